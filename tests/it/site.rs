//! `annals build` on the example site and on tests/fixtures/site: every page
//! kind, every internal link and anchor, escaping, languages, drafts, and
//! byte-identical rebuilds.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;

use scraper::{Html, Selector};

use crate::process::path_str;

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Runs `annals build` on `root` into a new temporary directory.
pub(crate) fn build(root: &Path, extra: &[&str]) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("temporary directory");
    let output = dir.path().join("out");
    build_into(root, &output, extra);
    (dir, output)
}

/// Runs `annals build` on `root` into `output`; returns what it printed.
fn build_into(root: &Path, output: &Path, extra: &[&str]) -> String {
    let mut args = vec!["build", "--root", path_str(root), "--output"];
    args.push(path_str(output));
    args.extend_from_slice(extra);
    let run = Command::new(env!("CARGO_BIN_EXE_annals"))
        .args(&args)
        .output()
        .expect("run annals");
    assert!(
        run.status.success(),
        "build failed: {}",
        String::from_utf8_lossy(&run.stderr)
    );
    String::from_utf8_lossy(&run.stdout).into_owned()
}

pub(crate) fn read(output: &Path, page: &str) -> String {
    std::fs::read_to_string(output.join(page)).unwrap_or_else(|e| panic!("{page}: {e}"))
}

/// A gzipped chunk of the search index, as JSON.
pub(crate) fn read_chunk(output: &Path, chunk: &str) -> serde_json::Value {
    let file = std::fs::File::open(output.join(chunk)).unwrap_or_else(|e| panic!("{chunk}: {e}"));
    serde_json::from_reader(flate2::read::GzDecoder::new(file))
        .unwrap_or_else(|e| panic!("{chunk}: {e}"))
}

pub(crate) fn files(output: &Path) -> BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(output)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let name = e
                .path()
                .strip_prefix(output)
                .expect("inside output")
                .to_string_lossy()
                .into_owned();
            (name, std::fs::read(e.path()).expect("read output file"))
        })
        .collect()
}

/// Every link of the built site, checked like a visitor would follow it:
/// HTML `href`/`src`, feed entry links and sitemap URLs must lead to a file
/// of the output, and `#fragments` to an element with that id.
pub(crate) struct Crawl {
    output: PathBuf,
    /// The site's root path, e.g. `/archive/`, and its absolute form.
    root: String,
    base_url: String,
    ids: BTreeMap<String, BTreeSet<String>>,
    broken: Vec<String>,
    followed: usize,
}

impl Crawl {
    pub(crate) fn site(output: &Path, base_url: &str) -> Crawl {
        let root = format!(
            "/{}",
            base_url
                .split_once("//")
                .and_then(|(_, rest)| rest.split_once('/'))
                .map(|(_, path)| path)
                .unwrap_or_default()
        );
        let mut crawl = Crawl {
            output: output.to_owned(),
            root,
            base_url: base_url.to_owned(),
            ids: BTreeMap::new(),
            broken: Vec::new(),
            followed: 0,
        };
        for (name, bytes) in files(output) {
            let text = String::from_utf8_lossy(&bytes);
            if name.ends_with(".html") {
                crawl.html(&name, &text);
            } else if name.ends_with(".xml") {
                crawl.xml(&name, &text);
            }
        }
        crawl
    }

    fn html(&mut self, name: &str, text: &str) {
        let document = Html::parse_document(text);
        let links = Selector::parse("[href], [src]").expect("selector");
        for element in document.select(&links) {
            let value = element.value();
            for target in [value.attr("href"), value.attr("src")]
                .into_iter()
                .flatten()
            {
                self.follow(name, target);
            }
        }
    }

    fn xml(&mut self, name: &str, text: &str) {
        for (open, close) in [("<loc>", "</loc>"), ("href=\"", "\"")] {
            for piece in text.split(open).skip(1) {
                if let Some((target, _)) = piece.split_once(close) {
                    self.follow(name, &target.replace("&amp;", "&"));
                }
            }
        }
    }

    fn follow(&mut self, from: &str, target: &str) {
        let local = match target.strip_prefix(self.base_url.as_str()) {
            Some(rest) => format!("{}{rest}", self.root),
            None if target.contains("://") || target.starts_with("mailto:") => return,
            None => target.to_owned(),
        };
        let (path, fragment) = local.split_once('#').unwrap_or((&local, ""));
        let file = if path.is_empty() {
            Some(from.to_owned())
        } else if !path.starts_with('/') {
            resolve(from, path)
        } else {
            path.strip_prefix(self.root.as_str())
                .map(|inside| match inside {
                    "" => "index.html".to_owned(),
                    dir if dir.ends_with('/') => format!("{dir}index.html"),
                    file => file.to_owned(),
                })
        };
        self.followed += 1;
        let Some(file) = file.filter(|f| self.output.join(f).is_file()) else {
            self.broken.push(format!("{from}: {target} (no such file)"));
            return;
        };
        if !fragment.is_empty() && !self.ids_of(&file).contains(fragment) {
            self.broken
                .push(format!("{from}: {target} (no id `{fragment}`)"));
        }
    }

    fn ids_of(&mut self, file: &str) -> &BTreeSet<String> {
        let output = &self.output;
        self.ids.entry(file.to_owned()).or_insert_with(|| {
            let html = std::fs::read_to_string(output.join(file)).unwrap_or_default();
            let any_id = Selector::parse("[id]").expect("selector");
            Html::parse_document(&html)
                .select(&any_id)
                .filter_map(|e| e.value().attr("id").map(str::to_owned))
                .collect()
        })
    }

    pub(crate) fn assert_sound(&self) {
        assert!(self.followed > 50, "only {} links followed", self.followed);
        assert!(
            self.broken.is_empty(),
            "{} broken links:\n{}",
            self.broken.len(),
            self.broken.join("\n")
        );
    }
}

/// A relative link from the output file `from` as an output file; `None`
/// when it climbs out of the output.
fn resolve(from: &str, link: &str) -> Option<String> {
    let mut parts: Vec<&str> = from.split('/').collect();
    parts.pop();
    for piece in link.split('/') {
        match piece {
            "." | "" => {}
            ".." => {
                parts.pop()?;
            }
            name => parts.push(name),
        }
    }
    Some(parts.join("/"))
}

const PAGE_KINDS: &[&str] = &[
    "index.html",
    "404.html",
    "people/index.html",
    "sources/index.html",
    "timeline/index.html",
    "topics/index.html",
    "places/index.html",
    "atom.xml",
    "sitemap.xml",
    "robots.txt",
    "data/statements.json",
    "data/statements.csv",
    "data/people.json",
    "data/sources.json",
];

/// The example site's pages in Arabic: its home and lists, and those of
/// the article, people and page translated.
const ARABIC_PAGES: &[&str] = &[
    "ar/index.html",
    "ar/articles/biden-backs-ceasefire/index.html",
    "ar/people/index.html",
    "ar/people/joe-biden/index.html",
    "ar/people/antonio-guterres/index.html",
    "ar/methodology/index.html",
    "ar/sources/index.html",
    "ar/timeline/2021/index.html",
    "ar/search/index.html",
];

#[test]
fn the_example_site_has_every_page_kind_and_no_broken_link() {
    let (_dir, output) = build(repo(), &[]);
    for page in PAGE_KINDS.iter().chain(&[
        "articles/biden-backs-ceasefire/index.html",
        "people/antonio-guterres/index.html",
        "people/antonio-guterres/atom.xml",
        "people/white-house/index.html",
        "sources/the-white-house/index.html",
        "sources/twitter/index.html",
        "timeline/2021/index.html",
        "topics/ceasefire/index.html",
        "places/gaza/index.html",
        "methodology/index.html",
        "about/index.html",
        "style.css",
    ]) {
        assert!(output.join(page).is_file(), "missing {page}");
    }
    // The Arabic version: every list, and what is translated. The crawl
    // below follows its links and hreflang alternates as it does English's.
    for page in ARABIC_PAGES {
        assert!(output.join(page).is_file(), "missing {page}");
        let english = page.strip_prefix("ar/").expect("under ar/");
        let html = read(&output, page);
        let alternate = |lang: &str, path: &str| {
            format!(
                "<link rel=\"alternate\" hreflang=\"{lang}\" href=\"https://example.org/annals/{path}\">"
            )
        };
        let (ar, en) = (
            page.trim_end_matches("index.html"),
            english.trim_end_matches("index.html"),
        );
        assert!(
            html.contains(&alternate("en", en)),
            "{page} names its English version"
        );
        assert!(
            read(&output, english).contains(&alternate("ar", ar)),
            "{english} names {page}"
        );
    }
    assert!(
        !output
            .join("ar/articles/netanyahu-strikes-continue")
            .exists()
    );
    // The article's old address moved its Arabic version's along, whose
    // page says so in Arabic.
    let moved = read(&output, "ar/articles/biden-ceasefire/index.html");
    assert!(moved.contains("<html lang=\"ar\" dir=\"rtl\">"), "{moved}");
    assert!(
        moved.contains("<link rel=\"canonical\" href=\"https://example.org/annals/ar/articles/biden-backs-ceasefire/\">"),
        "{moved}"
    );
    Crawl::site(&output, "https://example.org/annals/").assert_sound();
    // The sitemap protocol's <lastmod> is a whole date or a time: Ilhan
    // Omar's page, whose newest statement is known to its month, has none.
    let sitemap = read(&output, "sitemap.xml");
    for lastmod in sitemap.split("<lastmod>").skip(1) {
        let date = lastmod.split("</lastmod>").next().unwrap_or_default();
        let whole = date.len() >= 10 && date.as_bytes()[4] == b'-' && date.as_bytes()[7] == b'-';
        assert!(whole, "<lastmod>{date}</lastmod>");
    }
    let omar = sitemap
        .split("<url>")
        .find(|url| url.contains("/people/ilhan-omar/</loc>"))
        .expect("her page listed");
    assert!(!omar.contains("<lastmod>"), "{omar}");
    let guterres = read(&output, "people/antonio-guterres/index.html");
    assert!(guterres.contains("António Guterres"), "{guterres}");
    assert!(guterres.contains("Fighting must stop. It must stop immediately."));
}

#[test]
fn the_fixture_site_links_resolve_under_its_sub_path_and_a_preview_base_url() {
    let site = repo().join("tests/fixtures/site");
    let (_dir, output) = build(&site, &[]);
    Crawl::site(&output, "https://example.org/archive/").assert_sound();
    let body = read(&output, "articles/second/index.html");
    assert!(body.contains("href=\"/archive/articles/first/#a-heading\""));

    let preview = "https://preview.example.net/pr-7/";
    let (_dir, output) = build(&site, &["--base-url", preview]);
    Crawl::site(&output, preview).assert_sound();
    assert!(
        read(&output, "sitemap.xml").contains("https://preview.example.net/pr-7/articles/first/")
    );
}

#[test]
fn two_builds_of_the_same_site_are_byte_identical() {
    let site = repo().join("tests/fixtures/site");
    let (_a, first) = build(&site, &[]);
    let (_b, second) = build(&site, &[]);
    let (first, second) = (files(&first), files(&second));
    assert_eq!(
        first.keys().collect::<Vec<_>>(),
        second.keys().collect::<Vec<_>>()
    );
    for (name, bytes) in &first {
        assert!(&second[name] == bytes, "{name} differs between builds");
    }
}

#[test]
fn front_matter_text_is_escaped_everywhere() {
    let (_dir, output) = build(&repo().join("tests/fixtures/site"), &[]);
    for (name, bytes) in files(&output) {
        let text = String::from_utf8_lossy(&bytes);
        for raw in ["<script>alert", "<b>not bold", "<Wire>", "<tags>"] {
            assert!(
                !name.ends_with(".html") || !text.contains(raw),
                "{name} has unescaped {raw}"
            );
        }
    }
    let article = read(&output, "articles/first/index.html");
    assert!(
        article.contains("First &lt;script&gt;alert(&quot;title&quot;)&lt;/script&gt; article")
    );
}

#[test]
fn quotes_carry_their_language_and_direction() {
    let (_dir, output) = build(&repo().join("tests/fixtures/site"), &[]);
    let home = read(&output, "index.html");
    assert!(
        home.contains("<html lang=\"en-GB\""),
        "html lang from config"
    );
    let quotes = |page: &str| -> Vec<(String, String, String)> {
        let html = Html::parse_document(&read(&output, page));
        let blockquote = Selector::parse("blockquote").expect("selector");
        html.select(&blockquote)
            .map(|q| {
                let attr = |name| q.value().attr(name).unwrap_or_default().to_owned();
                (attr("lang"), attr("dir"), q.text().collect::<String>())
            })
            .collect()
    };
    let first = quotes("articles/first/index.html");
    assert!(
        first.iter().any(|(lang, dir, text)| lang == "ar"
            && dir == "rtl"
            && text.contains("يجب أن يتوقف القتال")),
        "{first:?}"
    );
    let second = quotes("articles/second/index.html");
    assert!(
        second
            .iter()
            .any(|(lang, dir, _)| lang == "he" && dir == "rtl"),
        "{second:?}"
    );
    let older = quotes("articles/older/index.html");
    assert!(
        older
            .iter()
            .any(|(lang, dir, text)| lang == "uk" && dir != "rtl" && text.contains("Ми будемо")),
        "{older:?}"
    );
}

#[test]
fn drafts_are_left_out_unless_asked_for() {
    let site = repo().join("tests/fixtures/site");
    let (_dir, output) = build(&site, &[]);
    assert!(!output.join("articles/draft").exists());
    assert!(!read(&output, "people/olena/index.html").contains("A draft statement"));
    assert!(!read(&output, "data/statements.csv").contains("A draft statement"));
    let (_dir, output) = build(&site, &["--drafts"]);
    assert!(output.join("articles/draft/index.html").is_file());
    assert!(read(&output, "people/olena/index.html").contains("A draft statement"));
}

#[test]
fn pages_list_what_they_promise_in_order() {
    let (_dir, output) = build(&repo().join("tests/fixtures/site"), &[]);
    let position = |page: &str, needles: &[&str]| -> Vec<usize> {
        let html = read(&output, page);
        needles
            .iter()
            .map(|n| html.find(n).unwrap_or_else(|| panic!("{page} lacks {n}")))
            .collect()
    };
    // A person's statements, oldest first, each linking to its article anchor.
    let said = position(
        "people/antonio/index.html",
        &[
            "Fighting must stop",
            "Said talks would continue",
            "/archive/articles/first/#antonio-2021-05-16-",
        ],
    );
    assert!(said[0] < said[1], "statements in date order");
    // The role at the time replaces the person's current role.
    assert!(
        read(&output, "articles/second/index.html").contains("Former Prime Minister of Portugal")
    );
    // On their own page the heading names the speaker: a statement says
    // only a role they no longer hold.
    let own = read(&output, "people/antonio/index.html");
    let speakers: Vec<&str> = own.split("<span class=\"speaker\">").skip(1).collect();
    assert_eq!(speakers.len(), 1, "one statement in a former role");
    assert!(speakers[0].starts_with("<bdi class=\"role\">Former Prime Minister of Portugal"));
    // A publisher lists each document and the article citing it.
    let wire = read(&output, "sources/example-wire/index.html");
    for needle in [
        "A post with",
        "Wire story",
        "/archive/articles/first/#source-1",
        "/archive/articles/second/#source-2",
    ] {
        assert!(wire.contains(needle), "publisher page lacks {needle}");
    }
    // The timeline links every year, and a year page every article of it.
    let years = position("timeline/index.html", &["timeline/2021/", "timeline/2020/"]);
    assert!(years.iter().all(|&p| p > 0));
    let year = read(&output, "timeline/2021/index.html");
    assert!(
        year.contains("/archive/articles/first/") && year.contains("/archive/articles/second/")
    );
    // Taxonomies and slugs: transliterated, lowercase ASCII.
    assert!(output.join("topics/diplomacy/index.html").is_file());
    assert!(output.join("places/kyiv/index.html").is_file());
    assert!(read(&output, "topics/ceasefire/index.html").contains("Second article"));
}

/// The example site shows what annals asks of a site: every check passes,
/// warnings too (its web sources link archived copies).
#[test]
fn the_example_site_checks_clean_even_when_strict() {
    let check = Command::new(env!("CARGO_BIN_EXE_annals"))
        .args(["check", "--strict", "--root", path_str(repo())])
        .output()
        .expect("run annals check");
    assert!(
        check.status.success(),
        "{}",
        String::from_utf8_lossy(&check.stderr)
    );
}

#[test]
fn init_writes_a_site_that_checks_clean_and_builds() {
    let dir = tempfile::tempdir().expect("temporary directory");
    let site = dir.path().join("new-site");
    let run = Command::new(env!("CARGO_BIN_EXE_annals"))
        .args(["init", path_str(&site)])
        .output()
        .expect("run annals init");
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let check = Command::new(env!("CARGO_BIN_EXE_annals"))
        .args(["check", "--strict", "--root", path_str(&site)])
        .output()
        .expect("run annals check");
    assert!(
        check.status.success(),
        "{}{}",
        String::from_utf8_lossy(&check.stdout),
        String::from_utf8_lossy(&check.stderr)
    );
    let (_out, output) = build(&site, &[]);
    assert!(output.join("index.html").is_file() && output.join("atom.xml").is_file());
    // Its article has no summary: the first paragraph is the body's, and
    // lists' and meta's, but not a standfirst above itself too.
    let articles = std::fs::read_dir(output.join("articles")).expect("articles");
    let article = articles
        .filter_map(Result::ok)
        .map(|entry| entry.path().join("index.html"))
        .find(|page| page.is_file())
        .expect("an article page");
    let html = std::fs::read_to_string(&article).expect("the article page");
    assert!(!html.contains("class=\"lead\""), "{html}");
    assert!(
        !html.contains("<meta name=\"description\" content=\"\">"),
        "the first paragraph describes the page"
    );
    let again = Command::new(env!("CARGO_BIN_EXE_annals"))
        .args(["init", path_str(&site)])
        .output()
        .expect("run annals init twice");
    assert!(!again.status.success(), "init must not overwrite a site");
}

/// The fixture site with `setting` added to its annals.yaml.
fn fixture_with(setting: &str) -> tempfile::TempDir {
    fixture_in("site", setting)
}

/// A copy of fixture `name` with `setting` added to its `annals.yaml`.
fn fixture_in(name: &str, setting: &str) -> tempfile::TempDir {
    let site = crate::process::fixture_copy(name);
    let config = site.path().join("annals.yaml");
    let text = std::fs::read_to_string(&config).expect("annals.yaml");
    std::fs::write(&config, format!("{text}{setting}\n")).expect("write annals.yaml");
    site
}

#[test]
fn long_lists_are_split_into_linked_parts() {
    let site = fixture_with("paginate: 1");
    let (_dir, output) = build(site.path(), &[]);
    Crawl::site(&output, "https://example.org/archive/").assert_sound();
    for part in [
        "page/3/index.html",
        "people/antonio/page/2/index.html",
        "people/page/2/index.html",
        "sources/example-wire/page/2/index.html",
        "sources/page/2/index.html",
        "topics/ceasefire/page/2/index.html",
        "timeline/2021/page/2/index.html",
    ] {
        let html = read(&output, part);
        assert!(html.contains("rel=\"prev\""), "{part} links back");
    }
    assert!(
        !output.join("page/4").exists(),
        "three articles, three parts"
    );
    // Every statement of a person is on exactly one part.
    let parts = [
        read(&output, "people/antonio/index.html"),
        read(&output, "people/antonio/page/2/index.html"),
    ];
    for words in ["Fighting must stop", "Said talks would continue"] {
        let found = parts.iter().filter(|p| p.contains(words)).count();
        assert_eq!(found, 1, "{words} on {found} parts");
    }
    let sitemap = read(&output, "sitemap.xml");
    assert!(sitemap.contains("/archive/people/antonio/page/2/"));
}

#[test]
fn the_sources_index_is_split_with_a_jump_list_by_initial() {
    let site = fixture_with("paginate: 1");
    let (_dir, output) = build(site.path(), &[]);
    let parts = [
        read(&output, "sources/index.html"),
        read(&output, "sources/page/2/index.html"),
        read(&output, "sources/page/3/index.html"),
    ];
    assert!(!output.join("sources/page/4").exists(), "three publishers");
    // Each publisher is on one part only, and every part has the jump list,
    // which the crawl of the other test follows, anchors included.
    for publisher in [
        "/archive/sources/example-radio/",
        "/archive/sources/example-wire/",
        "/archive/sources/ministry-of-examples/",
    ] {
        let listed = format!("<a href=\"{publisher}\"><bdi>");
        let found = parts.iter().filter(|p| p.contains(&listed)).count();
        assert_eq!(found, 1, "{publisher} on {found} parts");
    }
    for part in &parts {
        assert!(
            part.contains("aria-label=\"Publishers by initial\""),
            "{part}"
        );
        assert!(
            part.contains(
                "href=\"/archive/sources/#initial-e\">E</a> <span class=\"count\">2</span>"
            ),
            "{part}"
        );
        assert!(
            part.contains("href=\"/archive/sources/page/3/#initial-m\">M</a>"),
            "{part}"
        );
    }
    assert!(parts[2].contains("id=\"initial-m\""));
    // A list of names with their counts; the documents are on each
    // publisher's own page.
    for part in &parts {
        let counted = [" document cited</span>", " documents cited</span>"];
        assert!(counted.iter().any(|c| part.contains(c)), "{part}");
    }
    assert!(!parts.iter().any(|p| p.contains("class=\"documents\"")));
}

#[test]
fn the_people_index_is_split_with_a_jump_list_by_initial_in_the_languages_order() {
    let site = fixture_with("paginate: 1");
    let (_dir, output) = build(site.path(), &[]);
    let parts: Vec<String> = ["people/index.html"]
        .into_iter()
        .map(str::to_owned)
        .chain((2..=5).map(|n| format!("people/page/{n}/index.html")))
        .map(|part| read(&output, &part))
        .collect();
    assert!(!output.join("people/page/6").exists(), "five people");
    // The language's order: Latin, then Cyrillic, Hebrew and Arabic, as
    // CLDR orders scripts; an accented initial listed under its letter.
    let order = [
        ("antonio", "initial-a", "A"),
        ("ministry", "initial-m", "M"),
        ("olena", "initial-о", "О"),
        ("yael", "initial-י", "י"),
        ("mariam", "initial-م", "م"),
    ];
    for (part, (id, anchor, letter)) in parts.iter().zip(order) {
        let link = format!("href=\"/archive/people/{id}/\"");
        let found = parts.iter().filter(|p| p.contains(&link)).count();
        assert_eq!(found, 1, "{id} on {found} parts");
        assert!(part.contains(&link), "{id} in the language's order: {part}");
        let heading = format!("<h2 id=\"{anchor}-title\">{letter}</h2>");
        assert!(part.contains(&heading), "{heading} in {part}");
    }
    for part in &parts {
        assert!(part.contains("aria-label=\"People by initial\""), "{part}");
        assert!(
            part.contains("href=\"/archive/people/page/3/#initial-о\">О</a>"),
            "{part}"
        );
    }
}

#[test]
fn relative_urls_work_from_disk() {
    let site = fixture_with("relative_urls: true");
    let (_dir, output) = build(site.path(), &[]);
    assert_opens_from_disk(&output);
    let person = read(&output, "people/antonio/index.html");
    assert!(person.contains("href=\"../../style.css\""), "{person}");
}

#[test]
fn relative_urls_work_from_disk_in_every_language() {
    let site = fixture_in("bilingual", "relative_urls: true");
    let (_dir, output) = build(site.path(), &[]);
    assert_opens_from_disk(&output);
    // A language's pages reach what every language shares, and each other.
    let talks = read(&output, "ar/articles/talks/index.html");
    assert!(talks.contains("href=\"../../../style.css\""), "{talks}");
    assert!(
        talks.contains("href=\"../../../articles/talks/index.html\""),
        "{talks}"
    );
}

/// Every internal link of the output resolves, and is relative to a file,
/// as a page opened from disk (`file://`) needs.
fn assert_opens_from_disk(output: &Path) {
    let crawl = Crawl::site(output, "https://example.org/archive/");
    crawl.assert_sound();
    let links = Selector::parse("[href], [src]").expect("selector");
    for (name, bytes) in files(output) {
        if !name.ends_with(".html") || name == "404.html" || name.ends_with("/404.html") {
            continue;
        }
        let html = Html::parse_document(&String::from_utf8_lossy(&bytes));
        for element in html.select(&links) {
            let value = element.value();
            let target = value.attr("href").or(value.attr("src")).unwrap_or_default();
            let path = target.split('#').next().unwrap_or_default();
            if target.contains("://") || path.is_empty() {
                continue;
            }
            assert!(!path.starts_with('/'), "{name}: {target} is root-relative");
            assert!(
                !path.ends_with('/'),
                "{name}: {target} is a directory, which file:// cannot open"
            );
        }
    }
}

/// The full HTML of one article page, to review any change to what readers
/// see (`cargo insta review`, or `INSTA_UPDATE=always cargo test` and diff).
#[test]
fn article_page_snapshot() {
    let (_dir, output) = build(&repo().join("tests/fixtures/site"), &[]);
    insta::assert_snapshot!(read(&output, "articles/second/index.html"));
}

#[test]
fn timings_report_every_stage_and_page_kind() {
    let dir = tempfile::tempdir().expect("temporary directory");
    let printed = build_into(repo(), &dir.path().join("out"), &["--timings"]);
    for stage in [
        "read and parse",
        "index",
        "render and write pages",
        "move the output in",
    ] {
        assert!(printed.contains(stage), "no stage {stage:?} in:\n{printed}");
    }
    let kinds: Vec<&str> = printed
        .lines()
        .skip_while(|l| !l.starts_with("rendering by page kind"))
        .skip(2)
        .filter_map(|l| l.split_whitespace().next())
        .collect();
    for kind in ["article", "person", "year", "data", "sitemap"] {
        assert!(
            kinds.contains(&kind),
            "no page kind {kind:?} in:\n{printed}"
        );
    }
    // The article row counts the example's three articles and the one
    // of them translated into Arabic.
    let article = printed
        .lines()
        .find(|l| l.trim_start().starts_with("article "))
        .expect("article row");
    assert_eq!(article.split_whitespace().nth(1), Some("4"), "{article}");
    // The search index counts its files, and is a fraction of the site.
    let search = printed
        .lines()
        .find(|l| l.trim_start().starts_with("search index "))
        .expect("search index row");
    let files: usize = search
        .split_whitespace()
        .nth(2)
        .and_then(|n| n.parse().ok())
        .expect("files");
    assert!(files > 10, "{search}");
}

#[test]
fn a_full_rebuild_touches_only_the_files_whose_bytes_changed() {
    use crate::process::{edit, fixture_copy, mtimes};
    let site = fixture_copy("site");
    let output = site.path().join("out");
    let build = || build_into(site.path(), &output, &[]);
    build();
    let first = mtimes(&output);
    // Timestamps must be able to differ between the builds.
    std::thread::sleep(std::time::Duration::from_millis(20));
    build();
    assert_eq!(
        mtimes(&output),
        first,
        "a rebuild of the same site touched files"
    );

    edit(
        &site.path().join("content/articles/2021-05-16-first.md"),
        "Body of the first article",
        "Body of the first article, edited",
    );
    build();
    let touched: Vec<String> = mtimes(&output)
        .into_iter()
        .filter(|(path, modified)| first.get(path) != Some(modified))
        .map(|(path, _)| path.to_string_lossy().replace('\\', "/"))
        .collect();
    assert!(
        touched.iter().any(|p| p.starts_with("articles/first/")),
        "the edited article was not rewritten: {touched:?}"
    );
    // A body edit changes no statement, person or source: the exports (streamed to
    // their files) stay as they were, as do the pages that do not show the body.
    for kept in [
        "data/statements.json",
        "data/statements.csv",
        "data/people.json",
        "data/sources.json",
        "people/antonio/index.html",
    ] {
        assert!(
            !touched.iter().any(|p| p == kept),
            "{kept} was rewritten: {touched:?}"
        );
    }

    // A page the site no longer has goes, and the rebuilt output is what a
    // first build of the same site writes, file for file.
    edit(
        &site.path().join("content/articles/2020-02-02-older.md"),
        "slug: older",
        "slug: elder",
    );
    build();
    assert!(
        !output.join("articles/older").exists(),
        "a stale page stayed"
    );
    let fresh = site.path().join("fresh");
    build_into(site.path(), &fresh, &[]);
    assert!(
        crate::process::tree(&output) == crate::process::tree(&fresh),
        "a rebuild differs from a first build"
    );
}

#[test]
fn markdown_files_count_whatever_their_extension_is_called() {
    let site = crate::process::fixture_copy("site");
    let articles = site.path().join("content/articles");
    std::fs::rename(
        articles.join("2021-05-16-first.md"),
        articles.join("2021-05-16-first.markdown"),
    )
    .expect("rename");
    let people = site.path().join("content/people");
    std::fs::rename(people.join("antonio.md"), people.join("antonio.MD")).expect("rename");
    let (_dir, output) = build(site.path(), &[]);
    assert!(read(&output, "articles/first/index.html").contains("Body of the first article"));
    assert!(read(&output, "people/antonio/index.html").contains("Fighting must stop."));
}

#[test]
fn the_search_index_names_each_filter_value_and_lists_its_records() {
    let (_dir, output) = build(&repo().join("tests/fixtures/site"), &[]);
    let json = |path: &str| read_chunk(&output, &format!("search-index/{path}"));
    // Beside the manifest, which every search reads: only a search that
    // uses a filter, or opens them, reads their options.
    let manifest: serde_json::Value =
        serde_json::from_str(&read(&output, "search-index/index.json")).expect("manifest");
    assert!(manifest.get("filters").is_none(), "{manifest}");
    let filters = &json("filters.json.gz");
    assert_eq!(
        filters["publisher"],
        serde_json::json!({
            "example-radio": "Example Radio",
            "example-wire": "Example <Wire>",
            "ministry-of-examples": "Ministry of Examples",
        }),
        "names as written; the draft's publisher is not there"
    );
    assert_eq!(
        filters["topic"],
        serde_json::json!({ "ceasefire": "Ceasefire", "diplomacy": "Diplomacy" })
    );
    assert_eq!(filters["place"]["kyiv"], "Kyiv");
    assert_eq!(filters["person"]["olena"], "Олена Коваленко");
    assert_eq!(
        filters["source"],
        serde_json::json!({ "news": "News", "official": "Official", "social": "Social media" })
    );
    assert_eq!(
        filters["kind"],
        serde_json::json!({ "article": "Articles", "paraphrase": "Paraphrases", "quote": "Quotes" })
    );

    // The records citing Example <Wire>: both articles citing it, and the
    // statements taken from it.
    let records = json("r/0.json.gz");
    let mut id = 0;
    let mut cited: Vec<(String, String)> = json("f/publisher/example-wire.json.gz")
        .as_array()
        .expect("gaps")
        .iter()
        .map(|gap| {
            id += gap.as_u64().expect("a gap");
            let record = &records[id as usize];
            let url = record["url"].as_str().expect("a url");
            let page = url.split('#').next().unwrap_or(url).to_owned();
            (page, record["kind"].as_str().expect("a kind").to_owned())
        })
        .collect();
    cited.sort();
    let cite = |page: &str, kind: &str| (page.to_owned(), kind.to_owned());
    assert_eq!(
        cited,
        [
            cite("/articles/first/", "article"),
            cite("/articles/first/", "quote"),
            cite("/articles/first/", "quote"),
            cite("/articles/second/", "article"),
            cite("/articles/second/", "paraphrase"),
        ]
    );
    let second = records
        .as_array()
        .expect("records")
        .iter()
        .find(|r| r["url"] == "/articles/second/")
        .expect("the second article");
    assert_eq!(
        (&second["date"], &second["when"]),
        (
            &serde_json::json!("2021-05-17"),
            &serde_json::json!("17 May 2021, 18:30 UTC+03:00")
        ),
        "the machine's date and the site's"
    );
}
