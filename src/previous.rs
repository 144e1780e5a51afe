//! The last published build (`--previous DIR`): which addresses and
//! statement ids it served, read from its sitemap and exports, and whether
//! this build still serves every one. Reading is the I/O edge; the
//! comparison is pure, on what the session gives it.

use std::collections::{BTreeMap, BTreeSet};
use std::io::BufRead;
use std::path::{Path, PathBuf};

use quick_xml::events::Event;
use serde::Deserialize;

use crate::addresses::key;
use crate::config::Withdrawn;
use crate::content::{Article, Person, Site};
use crate::diagnostic::{Diagnostic, Diagnostics, Lines, io_error};
use crate::render::Urls;

/// What the last published build served.
#[derive(Debug, Default)]
pub(crate) struct Published {
    /// Its pages, in the order its sitemap lists them.
    pages: Vec<OldPage>,
    /// Its statements, from its exports.
    statements: Vec<OldStatement>,
    /// The exports they were read from (one, or a year's each), for
    /// messages: a statement names its own by [`OldStatement::file`].
    statements_files: Vec<PathBuf>,
    /// Its corrections, from its export, with their lines there.
    corrections: Vec<(OldCorrection, usize)>,
    /// The export they were read from.
    corrections_file: PathBuf,
    /// The id of its site feed (`atom.xml`), with the file and line, if
    /// it had one.
    feed_id: Option<(PathBuf, usize, String)>,
}

impl Published {
    /// The export holding `statement`'s row.
    fn file_of(&self, statement: &OldStatement) -> &Path {
        (self.statements_files.get(statement.file))
            .map_or(Path::new("data/statements.json"), PathBuf::as_path)
    }
}

/// A row of the last build's correction export.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
struct OldCorrection {
    date: String,
    text: String,
    /// Where it was shown: absolute, as exported; made a site-root path on
    /// reading (`/articles/talks/#correction-1`).
    url: String,
}

/// An address the last build listed in its sitemap.
#[derive(Debug, Clone, PartialEq, Eq)]
struct OldPage {
    /// From the site root: `/articles/talks/`.
    path: String,
    /// The sitemap file that listed it, and the line; or the file that
    /// served it, and 0.
    file: PathBuf,
    line: usize,
    /// Where it sent readers on, from the site root, if it was a redirect.
    target: Option<String>,
}

/// A row of the last build's statement export: the columns a comparison
/// and its hints use.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
struct OldStatement {
    id: String,
    #[serde(default)]
    person_id: String,
    #[serde(default)]
    person_name: String,
    #[serde(default)]
    article_title: String,
    /// Absolute, as exported; made a site-root path on reading.
    #[serde(default)]
    article_url: String,
    /// Ids it was published under before, space-separated.
    #[serde(default)]
    former_ids: String,
    /// Which of [`Published::statements_files`] holds its row.
    #[serde(skip)]
    file: usize,
}

/// What this build serves, as the session knows it.
pub(crate) struct Current<'a> {
    pub site: &'a Site,
    /// Every address from the site root that answers: pages (redirect and
    /// withdrawal notices included), static files, `_redirects` rules.
    pub serves: BTreeSet<String>,
    /// Old path → new path, for following an old statement's article.
    pub redirects: &'a BTreeMap<String, String>,
    /// Whether `--base-url` set the site's address for this build (a
    /// preview), so feed ids made from it are not the published ones.
    pub preview: bool,
}

/// Reads the sitemap (and the sitemaps of a sitemap index) and the
/// statement export of the build in `dir`.
pub(crate) fn read(dir: &Path) -> Result<Published, Diagnostics> {
    let sitemap = dir.join("sitemap.xml");
    let text = read_text(&sitemap)?;
    let (listed, index) = locs(&sitemap, &text)?;
    let base = match site_address(dir) {
        Some(base) => base,
        None => shortest(&listed).ok_or_else(|| {
            Diagnostic::error(&sitemap, "the sitemap lists no address")
                .with_hint("give --previous the output folder of the last published build")
        })?,
    };
    let mut pages = Vec::new();
    if index {
        for loc in &listed {
            let file = dir.join(inside(&base, &loc.url).ok_or_else(|| outside(loc, &base))?);
            let text = read_text(&file)?;
            let (urls, _) = locs(&file, &text)?;
            pages.extend(old_pages(&urls, &base)?);
        }
    } else {
        pages = old_pages(&listed, &base)?;
    }
    let mut listed: BTreeSet<String> = pages.iter().map(|p| key(&p.path).to_owned()).collect();
    for page in unlisted(dir, &base, &listed) {
        if listed.insert(key(&page.path).to_owned()) {
            pages.push(page);
        }
    }
    let (statements_files, mut statements) = statements(dir)?;
    for statement in &mut statements {
        statement.article_url = from_root(&base, &statement.article_url);
    }
    let corrections_file = dir.join("data").join("corrections.json");
    let mut corrections = corrections(&corrections_file)?;
    for (correction, _) in &mut corrections {
        correction.url = from_root(&base, &correction.url);
    }
    Ok(Published {
        pages,
        statements,
        statements_files,
        corrections,
        corrections_file,
        feed_id: feed_id(&dir.join("atom.xml")),
    })
}

/// The feed id of the Atom feed at `file` (its first `<id>`, before any
/// entry's), with its line.
fn feed_id(file: &Path) -> Option<(PathBuf, usize, String)> {
    let text = std::fs::read_to_string(file).ok()?;
    let head = text.split("<entry>").next()?;
    let (before, rest) = head.split_once("<id>")?;
    let (id, _) = rest.split_once("</id>")?;
    let line = before.matches('\n').count() + 1;
    Some((file.to_path_buf(), line, id.trim().to_owned()))
}

/// The rows of the correction export at `file` (a row a line), each with
/// its line; none when the build had no such export (an older annals).
fn corrections(file: &Path) -> Result<Vec<(OldCorrection, usize)>, Diagnostics> {
    let Ok(text) = std::fs::read_to_string(file) else {
        return Ok(Vec::new());
    };
    let mut rows = Vec::new();
    for (index, line) in text.lines().enumerate() {
        let row = line.trim().trim_end_matches(',');
        if !row.starts_with('{') {
            continue;
        }
        let parsed: OldCorrection = serde_json::from_str(row).map_err(|error| {
            Diagnostic::error(file, format!("not a correction export: {error}"))
                .at_line(index + 1)
                .with_hint("give --previous the output folder of the last published build")
        })?;
        rows.push((parsed, index + 1));
    }
    Ok(rows)
}

/// A `<loc>` of a sitemap, where it was written.
struct Loc {
    url: String,
    file: PathBuf,
    line: usize,
}

/// The `<loc>`s of a sitemap, and whether it is a sitemap index.
fn locs(file: &Path, text: &str) -> Result<(Vec<Loc>, bool), Diagnostics> {
    let lines = Lines::new(text);
    let mut reader = quick_xml::Reader::from_str(text);
    let mut found = Vec::new();
    let (mut in_loc, mut index) = (false, false);
    loop {
        let at = usize::try_from(reader.buffer_position()).unwrap_or(usize::MAX);
        match reader.read_event() {
            Ok(Event::Start(tag)) => {
                in_loc = tag.local_name().as_ref() == b"loc";
                index |= tag.local_name().as_ref() == b"sitemapindex";
            }
            Ok(Event::End(_)) => in_loc = false,
            Ok(Event::Text(text)) if in_loc => {
                let url = text.unescape().map_err(|e| not_a_sitemap(file, &e))?;
                found.push(Loc {
                    url: url.trim().to_owned(),
                    file: file.to_owned(),
                    line: lines.line_of(at),
                });
            }
            Ok(Event::Eof) => return Ok((found, index)),
            Ok(_) => {}
            Err(error) => {
                return Err(not_a_sitemap(file, &error)
                    .at_line(lines.line_of(at))
                    .into());
            }
        }
    }
}

fn not_a_sitemap(file: &Path, error: &dyn std::fmt::Display) -> Diagnostic {
    Diagnostic::error(file, format!("not a sitemap: {error}"))
        .with_hint("give --previous the output folder of the last published build")
}

/// The site's address as the last build's `robots.txt` gives it (the
/// sitemap's, without `sitemap.xml`), so a build made with another
/// `--base-url` compares by paths from its own root.
fn site_address(dir: &Path) -> Option<String> {
    let robots = std::fs::read_to_string(dir.join("robots.txt")).ok()?;
    let sitemap = robots.lines().find_map(|line| {
        let (name, value) = line.split_once(':')?;
        name.trim()
            .eq_ignore_ascii_case("sitemap")
            .then(|| value.trim())
    })?;
    let (base, _) = sitemap.rsplit_once('/')?;
    Some(format!("{base}/"))
}

/// The shortest address listed, which is the home page's.
fn shortest(locs: &[Loc]) -> Option<String> {
    let home = locs
        .iter()
        .map(|loc| loc.url.as_str())
        .min_by_key(|url| url.len())?;
    Some(if home.ends_with('/') {
        home.to_owned()
    } else {
        format!("{home}/")
    })
}

/// `url`, absolute as exported, as a path from the site root (`/a/b/`);
/// empty when it is not under `base`.
fn from_root(base: &str, url: &str) -> String {
    inside(base, url)
        .map(|path| format!("/{path}"))
        .unwrap_or_default()
}

/// `url` relative to `base`, if it is under it.
fn inside<'u>(base: &str, url: &'u str) -> Option<&'u str> {
    url.strip_prefix(base)
}

fn outside(loc: &Loc, base: &str) -> Diagnostics {
    Diagnostic::error(&loc.file, format!("`{}` is not under {base}", loc.url))
        .at_line(loc.line)
        .with_hint("the sitemap and robots.txt of one build name one address: give --previous the output of one build")
        .into()
}

/// The sitemap's addresses as paths from the site root, but the parts of
/// long lists after the first: lists re-paginate as they grow.
fn old_pages(locs: &[Loc], base: &str) -> Result<Vec<OldPage>, Diagnostics> {
    let mut pages = Vec::new();
    for loc in locs {
        let path = format!(
            "/{}",
            inside(base, &loc.url).ok_or_else(|| outside(loc, base))?
        );
        if !is_later_part(&path) {
            pages.push(OldPage {
                path,
                file: loc.file.clone(),
                line: loc.line,
                target: None,
            });
        }
    }
    Ok(pages)
}

/// What the last build served that its sitemap does not list, since a
/// search engine is not to index it: redirect pages and withdrawal
/// notices, feeds (which readers subscribed to), and the old addresses of
/// its `_redirects` rules. Its exports and search index are not addresses
/// anyone links to.
fn unlisted(dir: &Path, base: &str, listed: &BTreeSet<String>) -> Vec<OldPage> {
    let mut pages = Vec::new();
    let files = walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|entry| {
            let name = entry.file_name();
            !(name == "search-index" || (entry.depth() == 1 && name == "data"))
        });
    for entry in files.filter_map(Result::ok) {
        let Ok(inside) = entry.path().strip_prefix(dir) else {
            continue;
        };
        let inside = crate::content::slash_path(inside);
        let name = entry.file_name().to_string_lossy();
        let path = match &*name {
            "index.html" => format!("/{}", inside.trim_end_matches("index.html")),
            "atom.xml" => format!("/{inside}"),
            "404.html" => continue,
            other if other.ends_with(".html") => format!("/{inside}"),
            _ => continue,
        };
        // Only what the sitemap left out is read (for where it sent readers).
        if !is_later_part(&path) && !listed.contains(key(&path)) {
            let target = name.ends_with(".html").then(|| sent_on(entry.path(), base));
            pages.push(OldPage {
                path,
                file: entry.path().to_owned(),
                line: 0,
                target: target.flatten(),
            });
        }
    }
    pages.extend(old_rules(dir, base));
    pages
}

/// Where the redirect page at `file` sends readers, from the site root:
/// its canonical address (`templates/redirect.html`); none for a page that
/// does not refresh.
fn sent_on(file: &Path, base: &str) -> Option<String> {
    let text = std::fs::read_to_string(file).ok()?;
    if !text.contains("http-equiv=\"refresh\"") {
        return None;
    }
    let (_, after) = text.split_once("<link rel=\"canonical\" href=\"")?;
    let (url, _) = after.split_once('"')?;
    inside(base, url).map(|path| format!("/{path}"))
}

/// The old addresses of the `_redirects` rules in `dir`, from the site
/// root; not those with a wildcard or a placeholder, which are not one
/// address.
fn old_rules(dir: &Path, base: &str) -> Vec<OldPage> {
    let file = dir.join("_redirects");
    let Ok(text) = std::fs::read_to_string(&file) else {
        return Vec::new();
    };
    let root = base
        .split_once("://")
        .and_then(|(_, rest)| rest.find('/').map(|at| &rest[at..]))
        .unwrap_or("/");
    let rules = rule_addresses(&text, root).map(|(line, path, target)| OldPage {
        path,
        file: file.clone(),
        line,
        target,
    });
    rules.collect()
}

/// The rules of `_redirects` text whose old address is one address under
/// the site's `root` path (not a splat or a placeholder): each one's line,
/// and its old address and target from the site root.
pub(crate) fn rule_addresses<'t>(
    text: &'t str,
    root: &'t str,
) -> impl Iterator<Item = (usize, String, Option<String>)> + 't {
    text.lines().enumerate().filter_map(move |(index, line)| {
        let mut words = line.split_whitespace();
        let old = words.next()?;
        if old.starts_with('#') || crate::hosts::is_dynamic(old) {
            return None;
        }
        let inside = old.strip_prefix(root)?;
        let target = words.next().and_then(|t| t.strip_prefix(root));
        Some((
            index + 1,
            format!("/{inside}"),
            target.map(|t| format!("/{t}")),
        ))
    })
}

/// `…/page/N/`: a later part of a paginated list.
fn is_later_part(path: &str) -> bool {
    let mut segments = key(path).rsplit('/');
    let number = segments.next().unwrap_or_default();
    !number.is_empty()
        && number.bytes().all(|b| b.is_ascii_digit())
        && segments.next() == Some("page")
}

/// The statement rows of the build in `dir`, and the files they are in:
/// `data/statements.json`, or when the export is sharded, every
/// `data/statements/*.json`.
fn statements(dir: &Path) -> Result<(Vec<PathBuf>, Vec<OldStatement>), Diagnostics> {
    let whole = dir.join("data").join("statements.json");
    if whole.is_file() {
        let rows = rows(&whole)?;
        return Ok((vec![whole], rows));
    }
    let shards = dir.join("data").join("statements");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&shards)
        .map_err(|error| {
            Diagnostics::from(
                io_error(&whole, "read the statement export", &error)
                    .with_hint("give --previous the output folder of the last published build, exports included"),
            )
        })?
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|path| path.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    let mut all = Vec::new();
    for (index, file) in files.iter().enumerate() {
        let start = all.len();
        all.extend(rows(file)?);
        all[start..].iter_mut().for_each(|row| row.file = index);
    }
    Ok((files, all))
}

/// The rows of one JSON export, read as a stream: the whole export of a
/// large archive is hundreds of megabytes.
fn rows(file: &Path) -> Result<Vec<OldStatement>, Diagnostics> {
    let open = std::fs::File::open(file).map_err(|e| io_error(file, "read the file", &e))?;
    serde_json::from_reader(std::io::BufReader::new(open)).map_err(|error| {
        Diagnostic::error(file, format!("not a statement export: {error}"))
            .at_line(error.line())
            .with_hint("give --previous the output folder of the last published build")
            .into()
    })
}

/// The most a sitemap file may hold: the protocol's 50 MiB, with room.
/// Anything larger (a link to `/dev/zero`) is no sitemap, and is not read.
const SITEMAP_BYTES: u64 = 64 << 20;

fn read_text(file: &Path) -> Result<String, Diagnostics> {
    let meta = std::fs::metadata(file);
    if meta
        .as_ref()
        .is_ok_and(|m| !m.is_file() || m.len() > SITEMAP_BYTES)
    {
        return Err(Diagnostic::error(file, "not a sitemap: not a file, or larger than the sitemap protocol allows (50 MiB)")
            .with_hint("give --previous the output folder of the last published build (a copy of the deployed site, or a CI artifact)")
            .into());
    }
    std::fs::read_to_string(file).map_err(|error| {
        io_error(file, "read the file", &error)
            .with_hint("give --previous the output folder of the last published build (a copy of the deployed site, or a CI artifact)")
            .into()
    })
}

/// An error for every address and statement id `published` served that
/// `current` does not, each with the line to add where one can be found.
pub(crate) fn compare(published: &Published, current: &Current) -> Diagnostics {
    let mut found = Diagnostics::default();
    let serves: BTreeSet<&str> = current.serves.iter().map(|p| key(p)).collect();
    let withdrawn = withdrawn_pages(current.site);
    let hints = Hints::new(published, current);
    for page in &published.pages {
        if !serves.contains(key(&page.path)) && !withdrawn(&page.path) {
            let mut error = Diagnostic::error(
                &page.file,
                format!(
                    "`{}` was published, and this build serves nothing there",
                    page.path
                ),
            )
            .with_hint(hints.page(&page.path, page.target.as_deref()));
            if page.line > 0 {
                error = error.at_line(page.line);
            }
            found.push(error);
        }
    }
    let resolves = statement_ids(current.site);
    let gone = |id: &str| !resolves.contains(id);
    // Rows whose id went, or one of whose former ids (anchors too).
    let missing: Vec<&OldStatement> = (published.statements.iter())
        .filter(|s| gone(&s.id) || s.former_ids.split_whitespace().any(gone))
        .collect();
    let lines = id_lines(&published.statements_files, &missing);
    for old in missing {
        let at = |error: Diagnostic| match lines.get(old.id.as_str()) {
            Some((line, text)) => error.at_line(*line).with_snippet_line(text),
            None => error,
        };
        if gone(&old.id) {
            let error = Diagnostic::error(
                published.file_of(old),
                format!(
                    "statement `{}` was published, and no statement of this build has that id",
                    old.id
                ),
            );
            found.push(at(error.with_hint(hints.statement(old))));
            continue;
        }
        for former in old.former_ids.split_whitespace().filter(|id| gone(id)) {
            let error = Diagnostic::error(
                published.file_of(old),
                format!(
                    "`{former}`, a former id of statement `{}`, was published (an anchor), and no statement of this build has that id",
                    old.id
                ),
            );
            found.push(at(error.with_hint(hints.former(former, &old.id))));
        }
    }
    compare_corrections(published, current, &mut found);
    if let Some(warning) = compare_feed_id(published, current) {
        found.push(warning);
    }
    compare_places(
        published,
        current,
        &serves,
        &lines_of_moved(published, current),
        &mut found,
    );
    found
}

/// A warning when the site feed's id changed (the site moved, and every
/// entry id with it): feed readers would show every entry again as new.
fn compare_feed_id(published: &Published, current: &Current) -> Option<Diagnostic> {
    let (file, line, old) = published.feed_id.as_ref()?;
    let config = &current.site.config;
    let now = format!("{}atom.xml", config.feed_id_base());
    if current.preview || *old == now {
        return None;
    }
    let hint = match old.strip_suffix("atom.xml") {
        Some(base) => format!(
            "if the site moved from `{base}`, add `feed_id_base: {base}` to annals.yaml: ids never change (RFC 4287), whatever the site's address"
        ),
        None => {
            "give `feed_id_base:` in annals.yaml the address the feed ids were made from".to_owned()
        }
    };
    let warning = Diagnostic::warning(
        file,
        format!(
            "the site feed's id was `{old}` and is now `{now}`: feed readers would show every entry again as new"
        ),
    );
    Some(warning.at_line(*line).with_hint(hint))
}

/// Whether an old address was withdrawn: a page, or a file such as a
/// feed, which has no notice; a person's feed goes with their page.
fn withdrawn_pages(site: &Site) -> impl Fn(&str) -> bool + '_ {
    let paths = withdrawn_paths(site);
    move |path| {
        let page = path.strip_suffix("atom.xml").unwrap_or(path);
        paths.contains(key(path)) || paths.contains(key(page))
    }
}

/// The withdrawn pages' paths, as [`key`]s.
fn withdrawn_paths(site: &Site) -> BTreeSet<&str> {
    (site.config.withdrawn.iter())
        .filter_map(|w| match &w.what {
            Withdrawn::Page(path) => Some(key(path)),
            Withdrawn::Statement { .. } => None,
        })
        .collect()
}

/// Where each statement id (and former id) is recorded now: its article.
fn recorded_in(site: &Site) -> BTreeMap<&str, &Article> {
    let mut at = BTreeMap::new();
    for article in &site.articles {
        for statement in &article.statements {
            for id in std::iter::once(&statement.id).chain(&statement.former_ids) {
                at.insert(id.as_str(), article.as_ref());
            }
        }
    }
    at
}

/// The export lines of the statements now on another article than the one
/// the last build had them on, found in one pass.
fn lines_of_moved(published: &Published, current: &Current) -> BTreeMap<String, (usize, String)> {
    let at = recorded_in(current.site);
    let urls = Urls::new("/");
    let moved: Vec<&OldStatement> = (published.statements.iter())
        .filter(|old| {
            at.get(old.id.as_str()).is_some_and(|article| {
                let now = urls.article(&article.slug);
                !old.article_url.is_empty() && key(&now) != followed(current, &old.article_url)
            })
        })
        .collect();
    if moved.is_empty() {
        return BTreeMap::new();
    }
    id_lines(&published.statements_files, &moved)
}

/// `path` as a [`key`], followed through this build's redirects.
fn followed<'p>(current: &'p Current, path: &'p str) -> &'p str {
    (current.redirects.get(key(path)))
        .or_else(|| current.redirects.get(path))
        .map_or(key(path), |to| key(to))
}

/// A statement's permalink is its article's address and its id. One now on
/// another article than the last build had it on, whose old address still
/// answers (a gone address is reported as such), no longer finds it there:
/// a warning each; and when every statement of an old article is on one
/// other article now, and its address shows another article (by its
/// title), the address was taken (a slug reused): an error.
fn compare_places(
    published: &Published,
    current: &Current,
    serves: &BTreeSet<&str>,
    lines: &BTreeMap<String, (usize, String)>,
    found: &mut Diagnostics,
) {
    let at = recorded_in(current.site);
    let urls = Urls::new("/");
    let by_page: BTreeMap<String, &Article> = (current.site.articles.iter())
        .map(|a| (key(&urls.article(&a.slug)).to_owned(), a.as_ref()))
        .collect();
    let mut by_article: BTreeMap<&str, Vec<(&OldStatement, &Article)>> = BTreeMap::new();
    for old in &published.statements {
        let Some(article) = at.get(old.id.as_str()) else {
            continue;
        };
        if !old.article_url.is_empty() && serves.contains(key(&old.article_url)) {
            by_article
                .entry(old.article_url.as_str())
                .or_default()
                .push((old, article));
        }
    }
    for (page, said) in by_article {
        let moved: Vec<&(&OldStatement, &Article)> = (said.iter())
            .filter(|(_, article)| key(&urls.article(&article.slug)) != followed(current, page))
            .collect();
        let Some((first, elsewhere)) = moved.first() else {
            continue;
        };
        let place = |old: &OldStatement, error: Diagnostic| match lines.get(&old.id) {
            Some((line, text)) => error.at_line(*line).with_snippet_line(text),
            None => error,
        };
        let one_other =
            moved.len() == said.len() && moved.iter().all(|(_, a)| a.slug == elsewhere.slug);
        // The same article keeps its title: then only statements moved.
        let another =
            (by_page.get(followed(current, page))).is_some_and(|a| a.title != first.article_title);
        if one_other && another {
            let now = urls.article(&elsewhere.slug);
            let error = Diagnostic::error(
                published.file_of(first),
                format!(
                    "`{page}` was published as “{}”, whose statements are at `{now}` now, and shows another page",
                    first.article_title
                ),
            )
            .with_hint(format!(
                "an address names one record for good: give the article now at `{page}` another slug, and add `redirect_from: [{page}]` to {}",
                elsewhere.file.display()
            ));
            found.push(place(first, error));
            continue;
        }
        for (old, article) in moved {
            let now = urls.article(&article.slug);
            let warning = Diagnostic::warning(
                published.file_of(old),
                format!(
                    "statement `{}` was published on `{page}` and is on `{now}` now: its permalink `{page}#{}` opens a page without it",
                    old.id, old.id
                ),
            )
            .with_hint(format!(
                "if it moved on purpose, its speaker's page still has it; if not, put it back in the article at `{page}` (it is at {})",
                article.file.display()
            ));
            found.push(place(old, warning));
        }
    }
}

/// A correction is part of the record: one the last build published must
/// still be shown, where it was (its article followed through a redirect,
/// at the same anchor), unless its article was withdrawn. Its words
/// changed at its place is a warning: a mended typo is not a lost
/// correction.
fn compare_corrections(published: &Published, current: &Current, found: &mut Diagnostics) {
    let urls = Urls::new("/");
    let by_page: BTreeMap<String, &Article> = (current.site.articles.iter())
        .map(|a| (key(&urls.article(&a.slug)).to_owned(), a.as_ref()))
        .collect();
    let withdrawn: BTreeSet<&str> = (current.site.config.withdrawn.iter())
        .filter_map(|w| match &w.what {
            Withdrawn::Page(path) => Some(key(path)),
            Withdrawn::Statement { .. } => None,
        })
        .collect();
    let file = &published.corrections_file;
    for (old, line) in &published.corrections {
        let (page, anchor) = old.url.split_once('#').unwrap_or((&old.url, ""));
        if withdrawn.contains(key(page)) {
            continue;
        }
        let now = (current.redirects.get(key(page)))
            .or_else(|| current.redirects.get(page))
            .map_or(key(page), |to| key(to));
        let place = format!("`{page}#{anchor}`");
        let error = |message: String, hint: String| {
            Diagnostic::error(file, message)
                .at_line(*line)
                .with_hint(hint)
        };
        let keep = "a correction stays on the record: keep every published one under `corrections:` of its article, where it was (those of one date are numbered in the order written); if one was itself wrong, add a correction that says so";
        let Some(article) = by_page.get(now) else {
            found.push(error(format!("the correction of {} at {place} was published, and this build shows none there", old.date), keep.to_owned()));
            continue;
        };
        let all = article.corrections.iter().enumerate();
        let same = all
            .clone()
            .find(|(_, c)| c.date.iso() == old.date && c.text == old.text);
        let there = all
            .clone()
            .find(|(position, _)| article.correction_anchor(*position) == anchor);
        let at = |line: usize| format!("{}:{line}", article.file.display());
        match (same, there) {
            (Some((position, _)), _) if article.correction_anchor(position) == anchor => {}
            (Some((position, correction)), _) => found.push(error(
                format!("the correction of {} published at {place} is now at `#{}`: links to it open another", old.date, article.correction_anchor(position)),
                format!("{keep} ({})", at(correction.line)),
            )),
            (None, Some((_, correction))) if correction.date.iso() == old.date => found.push(
                Diagnostic::warning(file, format!("the correction at {place} now says something else than the one the last build published there ({})", old.date))
                    .at_line(*line)
                    .with_hint(format!("a correction's words are part of the record: if this only mends its wording, ignore this; if not, {keep} ({})", at(correction.line))),
            ),
            (None, _) => found.push(error(
                format!("the correction of {} at {place} was published, and this build shows none there", old.date),
                format!("{keep} ({})", article.file.display()),
            )),
        }
    }
}

/// Ids that resolve on this build's pages: every statement's id and former
/// ids, and the ids its withdrawal notices list.
fn statement_ids(site: &Site) -> BTreeSet<&str> {
    let recorded = (site.articles.iter())
        .flat_map(|a| &a.statements)
        .flat_map(|s| std::iter::once(&s.id).chain(&s.former_ids));
    let withdrawn = (site.config.withdrawn.iter()).flat_map(|w| w.what.statement_ids());
    recorded.map(String::as_str).chain(withdrawn).collect()
}

/// What each hint looks things up in, made once: a build that moved many
/// addresses must not search the whole site for each.
struct Hints<'a> {
    /// Old article and person paths → their title or name then.
    old_titles: BTreeMap<String, &'a str>,
    old_ids: BTreeSet<&'a str>,
    articles: BTreeMap<String, &'a Article>,
    /// Person page paths, as [`key`]s.
    people: BTreeMap<String, &'a Person>,
    /// Each statement's id → its article's file and its line.
    statements: BTreeMap<&'a str, (&'a Path, usize)>,
    /// Each withdrawn statement's id → the line of its entry in annals.yaml.
    withdrawn: BTreeMap<&'a str, usize>,
    article_titles: BTreeMap<&'a str, &'a Article>,
    person_names: BTreeMap<&'a str, &'a Person>,
    /// The one article, or person, not in the last build, if only one is new.
    new_article: Option<&'a Article>,
    new_person: Option<&'a Person>,
    /// Old path → new path, both as [`key`]s.
    moved: BTreeMap<&'a str, &'a str>,
    /// The site's other languages, whose pages are under `/<code>/`.
    languages: Vec<&'a str>,
    /// The withdrawn pages' paths, as [`key`]s.
    withdrawn_pages: BTreeSet<&'a str>,
}

impl<'a> Hints<'a> {
    fn new(published: &'a Published, current: &Current<'a>) -> Self {
        let urls = Urls::new("/");
        let site = current.site;
        let mut old_titles = BTreeMap::new();
        for statement in &published.statements {
            if !statement.article_url.is_empty() {
                old_titles.insert(
                    key(&statement.article_url).to_owned(),
                    statement.article_title.as_str(),
                );
            }
            let person = urls.person(&statement.person_id);
            old_titles.insert(key(&person).to_owned(), statement.person_name.as_str());
        }
        let old_paths: BTreeSet<&str> = published.pages.iter().map(|p| key(&p.path)).collect();
        let articles: BTreeMap<String, &Article> = (site.articles.iter())
            .map(|a| (key(&urls.article(&a.slug)).to_owned(), a.as_ref()))
            .collect();
        let new_article = single(
            (articles.iter())
                .filter(|(path, _)| !old_paths.contains(path.as_str()))
                .map(|(_, a)| *a),
        );
        let new_person = single(
            (site.people.values()).filter(|p| !old_paths.contains(key(&urls.person(&p.id)))),
        );
        Hints {
            old_titles,
            old_ids: published.statements.iter().map(|s| s.id.as_str()).collect(),
            article_titles: site
                .articles
                .iter()
                .map(|a| (a.title.as_str(), a.as_ref()))
                .collect(),
            person_names: site.people.values().map(|p| (p.name.as_str(), p)).collect(),
            articles,
            statements: (site.articles.iter())
                .flat_map(|a| {
                    a.statements
                        .iter()
                        .map(move |s| (s.id.as_str(), (a.file.as_path(), s.line)))
                })
                .collect(),
            withdrawn: (site.config.withdrawn.iter())
                .flat_map(|w| w.what.statement_ids().take(1).map(|id| (id, w.line)))
                .collect(),
            people: (site.people.values())
                .map(|p| (key(&urls.person(&p.id)).to_owned(), p))
                .collect(),
            new_article,
            new_person,
            moved: (current.redirects.iter())
                .map(|(from, to)| (key(from), key(to)))
                .collect(),
            languages: site.config.languages.keys().map(String::as_str).collect(),
            withdrawn_pages: withdrawn_paths(site),
        }
    }

    /// What to add so that `path` answers again: the `redirect_from:` line
    /// for the article or person now under another address when one can be
    /// told (by its title or name, else as the only one new).
    fn page(&self, path: &str, target: Option<&str>) -> String {
        // A person's feed moves with their page.
        if let Some(page) = (path.strip_suffix("atom.xml")).filter(|p| p.starts_with("/people/")) {
            let target = target.and_then(|t| t.strip_suffix("atom.xml"));
            return self
                .page(page, target)
                .replacen("]`", "]` (which takes the feed along)", 1);
        }
        // A page in another language moves with the default language's: one
        // `redirect_from:` takes both.
        let language = (self.languages.iter()).find_map(|&code| {
            let rest = path.strip_prefix('/')?.strip_prefix(code)?;
            let record = rest.starts_with("/articles/") || rest.starts_with("/people/");
            record.then_some((code, rest))
        });
        if let Some((code, rest)) = language {
            if self.withdrawn_pages.contains(key(rest)) {
                return format!(
                    "`{rest}` is withdrawn: list `path: {path}` under `withdrawn:` in annals.yaml too, with a date and the reason in that language (a notice is for one address)"
                );
            }
            let target = target.and_then(|t| t.strip_prefix(&format!("/{code}")));
            return (self.page(rest, target)).replacen(
                "]`",
                &format!("]` (which takes the `/{code}/` page along)"),
                1,
            );
        }
        let withdraw = "if it was removed on purpose, list it under `withdrawn:` in annals.yaml with a date and reason";
        // An old redirect: to what is at its target now.
        if let Some(target) = target {
            return match self.file_at(target) {
                Some(file) => format!(
                    "it sent readers to `{target}`: add `redirect_from: [{path}]` to {}; or, {withdraw}",
                    file.display()
                ),
                None => format!(
                    "it sent readers to `{target}`: add `{path}: {target}` under `redirects:` in annals.yaml; or, {withdraw}"
                ),
            };
        }
        let title = self
            .old_titles
            .get(key(path))
            .copied()
            .filter(|t| !t.is_empty());
        let successor = if path.starts_with("/articles/") {
            let by_title = title.and_then(|t| self.article_titles.get(t).copied());
            by_title.or(self.new_article).map(|a| &a.file)
        } else if path.starts_with("/people/") {
            let by_name = title.and_then(|t| self.person_names.get(t).copied());
            by_name.or(self.new_person).map(|p| &p.file)
        } else {
            None
        };
        match successor {
            Some(file) => format!(
                "add `redirect_from: [{path}]` to {}; or, {withdraw}",
                file.display()
            ),
            None if path.starts_with("/articles/") || path.starts_with("/people/") => format!(
                "add `redirect_from: [{path}]` to the one now there, or `{path}: /new/address/` under `redirects:` in annals.yaml; or, {withdraw}"
            ),
            None => format!(
                "add `{path}: /new/address/` under `redirects:` in annals.yaml; or, {withdraw}"
            ),
        }
    }

    /// What to add so that `former`, a former id of the statement now
    /// `id`, resolves again: the line of that statement.
    fn former(&self, former: &str, id: &str) -> String {
        if let Some(line) = self.withdrawn.get(id) {
            return format!(
                "add `former_ids: [{former}]` to the withdrawal of statement `{id}` (annals.yaml:{line}), so that its notice answers for that anchor too"
            );
        }
        let at = (self.statements.get(id))
            .map(|(file, line)| format!("the statement at {}:{line}", file.display()))
            .unwrap_or_else(|| format!("statement `{id}`"));
        format!(
            "add `{former}` back to the `former_ids:` of {at}; or, if it was never that statement's, list `statement: {former}` under `withdrawn:` in annals.yaml with its article, a date and reason"
        )
    }

    /// The file of the article or person whose page is at `path` now.
    fn file_at(&self, path: &str) -> Option<&'a Path> {
        let article = self.articles.get(key(path)).map(|a| a.file.as_path());
        article.or_else(|| self.people.get(key(path)).map(|p| p.file.as_path()))
    }

    /// What to add so that a statement id resolves again: the `former_ids:`
    /// line, on the statement by the same person in the same article that
    /// is new since (the one a correction made).
    fn statement(&self, old: &OldStatement) -> String {
        let id = &old.id;
        let withdraw = format!(
            "if it was removed on purpose, list `statement: {id}` under `withdrawn:` in annals.yaml with its article, a date and reason"
        );
        let candidates: Vec<(&Article, usize)> = (self.article_of(old).into_iter())
            .flat_map(|a| {
                (a.statements.iter())
                    .filter(|s| s.person == old.person_id && !self.old_ids.contains(s.id.as_str()))
                    .map(move |s| (a, s.line))
            })
            .collect();
        match candidates.as_slice() {
            [(article, line)] => format!(
                "add `former_ids: [{id}]` to the statement at {}:{line}; {withdraw}",
                article.file.display()
            ),
            [] => format!("add `former_ids: [{id}]` to the statement it became; {withdraw}"),
            several => {
                let at: Vec<String> = (several.iter().take(3))
                    .map(|(a, line)| format!("{}:{line}", a.file.display()))
                    .collect();
                format!(
                    "add `former_ids: [{id}]` to the statement it became (one of {}); {withdraw}",
                    at.join(", ")
                )
            }
        }
    }

    /// The article that recorded `old`: at its address, where that address
    /// now redirects, or by its title.
    fn article_of(&self, old: &OldStatement) -> Option<&'a Article> {
        let path = key(&old.article_url);
        (self.articles.get(path).copied())
            .or_else(|| (self.moved.get(path)).and_then(|to| self.articles.get(*to).copied()))
            .or_else(|| self.article_titles.get(old.article_title.as_str()).copied())
    }
}

/// The one item of `items`, if there is exactly one.
fn single<T>(mut items: impl Iterator<Item = T>) -> Option<T> {
    let first = items.next()?;
    items.next().is_none().then_some(first)
}

/// The line of each missing id in the export, and the line itself, found
/// by one pass over the file (never held whole).
fn id_lines(files: &[PathBuf], missing: &[&OldStatement]) -> BTreeMap<String, (usize, String)> {
    let mut found = BTreeMap::new();
    for (index, file) in files.iter().enumerate() {
        let wanted = missing.iter().filter(|s| s.file == index);
        found.extend(lines_of(file, wanted.map(|s| s.id.as_str())));
    }
    found
}

/// The line of each of `ids` in the export `file`, and its text.
fn lines_of<'i>(
    file: &Path,
    ids: impl Iterator<Item = &'i str>,
) -> BTreeMap<String, (usize, String)> {
    let mut wanted: BTreeSet<String> = ids
        .map(|id| serde_json::to_string(id).unwrap_or_default())
        .collect();
    let mut found = BTreeMap::new();
    if wanted.is_empty() {
        return found;
    }
    let Ok(open) = std::fs::File::open(file) else {
        return found;
    };
    for (index, line) in std::io::BufReader::new(open).lines().enumerate() {
        if wanted.is_empty() {
            break;
        }
        let Ok(line) = line else { break };
        // A row a line, `{"id":"…",…}`; an indented export has `"id": "…",`.
        let start = line.trim_start().trim_start_matches('{');
        let Some(rest) = start.strip_prefix("\"id\":") else {
            continue;
        };
        let mut values =
            serde_json::Deserializer::from_str(rest.trim_start()).into_iter::<String>();
        let Some(Ok(id)) = values.next() else {
            continue;
        };
        let quoted = serde_json::to_string(&id).unwrap_or_default();
        if wanted.remove(&quoted) {
            found.insert(id, (index + 1, line));
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn later_parts_of_lists_are_exempt() {
        assert!(is_later_part("/timeline/2021/page/2/"));
        assert!(is_later_part("/page/12/index.html"));
        assert!(!is_later_part("/articles/page/"));
        assert!(!is_later_part("/articles/2/"));
        assert!(!is_later_part("/page/two/"));
    }

    #[test]
    fn the_site_address_is_the_sitemaps_folder_or_the_home_page() {
        let loc = |url: &str| Loc {
            url: url.to_owned(),
            file: PathBuf::from("sitemap.xml"),
            line: 1,
        };
        let locs = [
            loc("https://example.org/record/articles/a/"),
            loc("https://example.org/record/"),
        ];
        assert_eq!(
            shortest(&locs).as_deref(),
            Some("https://example.org/record/")
        );
        let pages = old_pages(&locs, "https://example.org/record/").expect("under the base");
        assert_eq!(pages[0].path, "/articles/a/");
        assert_eq!(pages[1].path, "/");
    }
}
