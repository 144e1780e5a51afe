//! Reading a site from disk: the one loader every command uses, for a full
//! build and for each change `watch` sees, so that both find the same files
//! and refuse the same ones.
//!
//! A site's files live in six areas (articles, people, pages, templates,
//! static, and the interface strings of `i18n/`).
//! Listing an area, or any folder or file in it, applies the same rules:
//! which names count (Markdown in any case, no hidden files or editor
//! leftovers), and that no symbolic link — file or folder, at any depth, the
//! area's own folder included — leads out of the site. A refused link is
//! reported by its own path; nothing behind it is read.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Component, Path, PathBuf};

use rayon::prelude::*;
use walkdir::WalkDir;

use crate::diagnostic::{Diagnostic, Diagnostics, io_error};

/// A file's text with its path relative to the site root.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct TextFile {
    pub path: PathBuf,
    pub text: String,
}

/// A file's path relative to the site root, with its text or why it could
/// not be read.
pub(crate) type FileRead = (PathBuf, Result<TextFile, Diagnostics>);

pub(super) const ARTICLES_DIR: &str = "content/articles";
pub(super) const PEOPLE_DIR: &str = "content/people";
pub(super) const PAGES_DIR: &str = "content/pages";
pub(crate) const TEMPLATES_DIR: &str = "templates";
pub(crate) const STATIC_DIR: &str = "static";
pub(crate) const I18N_DIR: &str = crate::i18n::DIR;

/// The parts of a site, each a folder of one kind of file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) enum Area {
    Articles,
    People,
    /// Pages outside the record (about, methodology), each at `/<slug>/`.
    Pages,
    Templates,
    Static,
    /// The site's interface strings, `i18n/<language>.yaml`.
    I18n,
}

impl Area {
    pub(crate) const ALL: [Area; 6] = [
        Area::Articles,
        Area::People,
        Area::Pages,
        Area::Templates,
        Area::Static,
        Area::I18n,
    ];

    /// The area's folder, relative to the site root.
    pub(crate) fn dir(self) -> &'static Path {
        Path::new(match self {
            Area::Articles => ARTICLES_DIR,
            Area::People => PEOPLE_DIR,
            Area::Pages => PAGES_DIR,
            Area::Templates => TEMPLATES_DIR,
            Area::Static => STATIC_DIR,
            Area::I18n => I18N_DIR,
        })
    }

    /// Whether `path` (relative to the root, inside the area's folder) is
    /// one of the area's files, by its name alone.
    fn holds(self, path: &Path) -> bool {
        let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
            return false;
        };
        if is_editor_leftover(name) {
            return false;
        }
        // Static files may be hidden (`.nojekyll`, `.well-known/`); content
        // and templates starting with a dot are drafts put aside.
        let visible = !name.starts_with('.');
        match self {
            Area::Articles => visible && is_markdown(path),
            // A page's address is its name: one level, as for people.
            Area::People | Area::Pages => {
                visible && is_markdown(path) && path.parent() == Some(self.dir())
            }
            Area::Templates => visible && has_extension(path, &["html"]),
            Area::I18n => {
                visible && has_extension(path, &["yaml"]) && path.parent() == Some(self.dir())
            }
            Area::Static => true,
        }
    }
}

/// The files of each area of a site, sorted, and the entries refused while
/// listing them (links leading out of the site, unreadable folders).
#[derive(Debug, Default, Clone)]
pub(crate) struct SiteFiles {
    /// Each area's files, sorted (so parsing can split them among threads).
    files: BTreeMap<Area, Vec<PathBuf>>,
    refused: BTreeMap<PathBuf, Diagnostic>,
    /// Each link followed (relative to the root) and what it leads to
    /// (resolved): an edit there is an edit of the files listed through it.
    links: BTreeMap<PathBuf, PathBuf>,
}

/// A file of an area that appeared, changed or went, as found by
/// [`SiteFiles::refresh`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct FileChange {
    pub area: Area,
    /// Relative to the site root.
    pub path: PathBuf,
    /// Whether the file is there now.
    pub present: bool,
}

impl SiteFiles {
    /// Lists every area of the site at `root`.
    pub(crate) fn list(root: &Path) -> SiteFiles {
        let mut files = SiteFiles::default();
        for area in Area::ALL {
            let listing = list(root, area, area.dir());
            files
                .files
                .insert(area, listing.files.into_iter().collect());
            files.refused.extend(listing.refused);
            files.links.extend(listing.links);
        }
        files
    }

    /// What the links this listing followed lead to, resolved: what a
    /// watcher watches besides the areas.
    pub(crate) fn link_targets(&self) -> impl Iterator<Item = &Path> {
        self.links.values().map(PathBuf::as_path)
    }

    /// The paths (relative to the root) of the site's files that `changed`
    /// (resolved) is, or holds, through a link this listing followed.
    pub(crate) fn through_links(&self, changed: &Path) -> Vec<PathBuf> {
        let through = self.links.iter().filter_map(|(link, target)| {
            let below = changed.strip_prefix(target).ok()?;
            Some(match below.as_os_str().is_empty() {
                true => link.clone(),
                false => link.join(below),
            })
        });
        through.collect()
    }

    /// The files of `area`, relative to the root, sorted.
    pub(crate) fn of(&self, area: Area) -> &[PathBuf] {
        self.files.get(&area).map_or(&[], Vec::as_slice)
    }

    /// Every entry refused while listing: each is an error of the site.
    pub(crate) fn refused(&self) -> Diagnostics {
        let mut all = Diagnostics::default();
        for diagnostic in self.refused.values() {
            all.push(diagnostic.clone());
        }
        all
    }

    /// Lists again what is at or under `path` (relative to the root: a file
    /// or a folder, existing or not, or a folder holding areas such as
    /// `content/`), and returns every file found there or known there
    /// before: a folder's event may stand for any change to what it holds.
    pub(crate) fn refresh(&mut self, root: &Path, path: &Path) -> Vec<FileChange> {
        let mut changes = Vec::new();
        for area in Area::ALL {
            let under = match (path.starts_with(area.dir()), area.dir().starts_with(path)) {
                (true, _) => path,
                (false, true) => area.dir(),
                (false, false) => continue,
            };
            self.refused
                .retain(|refused, _| !refused.starts_with(under) && !under.starts_with(refused));
            self.links.retain(|link, _| !link.starts_with(under));
            let listing = list(root, area, under);
            self.refused.extend(listing.refused);
            self.links.extend(listing.links);
            let known = self.files.entry(area).or_default();
            let start = known.partition_point(|p| p.as_path() < under);
            let end = start + known[start..].partition_point(|p| p.starts_with(under));
            let before: Vec<PathBuf> = known
                .splice(start..end, listing.files.iter().cloned())
                .collect();
            for gone in before.into_iter().filter(|p| !listing.files.contains(p)) {
                changes.push(FileChange {
                    area,
                    path: gone,
                    present: false,
                });
            }
            changes.extend(listing.files.into_iter().map(|path| FileChange {
                area,
                path,
                present: true,
            }));
        }
        changes
    }
}

/// What listing a part of an area found.
struct Listing {
    files: BTreeSet<PathBuf>,
    refused: BTreeMap<PathBuf, Diagnostic>,
    /// Links followed, and what each leads to (resolved).
    links: BTreeMap<PathBuf, PathBuf>,
}

/// The files of `area` at or under `under` (relative to `root`, inside the
/// area's folder), following links that stay in the site and refusing
/// those that leave it, on the way to `under` as well as below it.
fn list(root: &Path, area: Area, under: &Path) -> Listing {
    let mut listing = Listing {
        files: BTreeSet::new(),
        refused: BTreeMap::new(),
        links: BTreeMap::new(),
    };
    let Some(inside) = Inside::new(root) else {
        return listing;
    };
    if let Err(link) = inside.ancestors_stay(under) {
        listing
            .refused
            .insert(link.clone(), link_leaves_site(&link));
        return listing;
    }
    if let Some(file) = file_on_the_way(root, area.dir()) {
        let diagnostic = Diagnostic::error(&file, "this is a file, where annals reads a folder")
            .with_hint("rename the file, and make a folder of this name for what belongs there");
        listing.refused.insert(file, diagnostic);
        return listing;
    }
    let top = root.join(under);
    let inner = under.strip_prefix(area.dir()).unwrap_or(under);
    if !top.exists() || (area != Area::Static && inner.components().any(is_hidden)) {
        return listing;
    }
    let depth = match area {
        Area::People | Area::Pages => 1,
        _ => usize::MAX,
    };
    let walker = WalkDir::new(&top)
        .follow_links(true)
        .max_depth(depth.saturating_sub(inner.components().count()))
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|entry| {
            // Hidden folders of content and templates are put aside
            // (`.git`, `.drafts`); static ones (`.well-known`) are published.
            let hidden = entry.depth() > 0
                && area != Area::Static
                && entry.file_type().is_dir()
                && entry
                    .file_name()
                    .to_str()
                    .is_some_and(|n| n.starts_with('.'));
            if hidden {
                return false;
            }
            let leaves = entry.path_is_symlink() && !inside.holds(entry.path());
            if leaves {
                let shown = relative(root, entry.path());
                listing
                    .refused
                    .insert(shown.clone(), link_leaves_site(&shown));
            } else if entry.path_is_symlink()
                && let Ok(target) = entry.path().canonicalize()
            {
                listing.links.insert(relative(root, entry.path()), target);
            }
            !leaves
        });
    // Refused while the walker holds the listing: added after.
    let mut wrong = Vec::new();
    for entry in walker {
        match entry {
            Ok(entry) if entry.file_type().is_file() => {
                let path = relative(root, entry.path());
                if area.holds(&path) {
                    listing.files.insert(path);
                }
            }
            // A named pipe would block the read; a socket or a device is
            // no page. Either is refused by name rather than skipped.
            Ok(entry) if !entry.file_type().is_dir() => {
                let path = relative(root, entry.path());
                if area.holds(&path) {
                    let diagnostic = Diagnostic::error(
                        &path,
                        "this is not a regular file but a named pipe, socket or device",
                    )
                    .with_hint("remove it, or put a file of that name in its place");
                    wrong.push((path, diagnostic));
                }
            }
            Ok(_) => {}
            Err(error) => {
                let path = relative(root, error.path().unwrap_or(&top));
                let diagnostic = Diagnostic::error(&path, format!("could not read: {error}"))
                    .with_hint(
                        "check that it exists and can be read: a broken or looping link cannot",
                    );
                wrong.push((path, diagnostic));
            }
        }
    }
    listing.refused.extend(wrong);
    listing
}

/// The first of the folders leading to an area's folder `dir` (itself
/// included; relative to `root`) that is something other than a folder:
/// `content` written as a file would otherwise read as a site without
/// articles.
fn file_on_the_way(root: &Path, dir: &Path) -> Option<PathBuf> {
    let mut step = PathBuf::new();
    for component in dir.components() {
        step.push(component);
        match root.join(&step).metadata() {
            Ok(meta) if !meta.is_dir() => return Some(step),
            Ok(_) => {}
            Err(_) => return None,
        }
    }
    None
}

/// Whether a path component names a hidden file or folder (`.drafts`).
fn is_hidden(component: Component) -> bool {
    component
        .as_os_str()
        .to_str()
        .is_some_and(|n| n.starts_with('.'))
}

/// The error for a symbolic link, at `shown`, that leads out of the site.
/// It names the link only: nothing of what it points to is read or quoted.
fn link_leaves_site(shown: &Path) -> Diagnostic {
    Diagnostic::error(
        shown,
        "this symbolic link points outside the site, into a hidden folder of it (`.git`), or into annals' output",
    )
    .with_hint("copy the file or folder you mean to publish into the site instead of linking to it")
}

/// The site root with links resolved, to tell where a link leads.
struct Inside {
    root: PathBuf,
    canonical: PathBuf,
}

impl Inside {
    fn new(root: &Path) -> Option<Inside> {
        Some(Inside {
            root: root.to_path_buf(),
            canonical: root.canonicalize().ok()?,
        })
    }

    /// Whether `path`, with every link resolved, is in the site, and not in
    /// a hidden folder of it (`.git`, whose `config` holds the credentials
    /// a CI checkout leaves) nor in an output annals wrote (which would
    /// then publish itself into itself). A link that resolves to nothing
    /// (dangling) is not.
    fn holds(&self, path: &Path) -> bool {
        let Ok(target) = path.canonicalize() else {
            return false;
        };
        let Ok(inside) = target.strip_prefix(&self.canonical) else {
            return false;
        };
        let hidden = inside.components().any(is_hidden);
        let mut folder = Some(target.as_path());
        let mut output = false;
        while let Some(at) = folder.filter(|f| f.starts_with(&self.canonical)) {
            output |= at.join(crate::output::MARKER).is_file();
            folder = at.parent();
        }
        !hidden && !output
    }

    /// Checks each existing step from the root to `relative` (itself
    /// included): the first link that leaves the site, by its relative path.
    fn ancestors_stay(&self, relative: &Path) -> Result<(), PathBuf> {
        let mut step = PathBuf::new();
        for component in relative.components() {
            step.push(component);
            let path = self.root.join(&step);
            match path.symlink_metadata() {
                Ok(meta) if meta.file_type().is_symlink() && !self.holds(&path) => {
                    return Err(step);
                }
                Ok(_) => {}
                Err(_) => return Ok(()),
            }
        }
        Ok(())
    }
}

/// Reads `paths` (relative to `root`) in parallel, each only when the
/// consumer asks for it, so a caller that parses and drops each text never
/// holds the whole archive. Yields each path with its text or what went
/// wrong.
pub(crate) fn read_files<'a>(
    root: &'a Path,
    paths: &'a [PathBuf],
) -> impl IndexedParallelIterator<Item = FileRead> + 'a {
    paths
        .par_iter()
        .map(move |path| (path.clone(), read_file(root, path)))
}

/// Reads the file at `relative`, unless a link on the way leads out of the
/// site (for files named by a diagnostic, or the configuration, which
/// were not found by listing).
pub(crate) fn read_checked(root: &Path, relative: &Path) -> Result<TextFile, Diagnostics> {
    let inside = Inside::new(root).ok_or_else(|| {
        Diagnostics::from(Diagnostic::error(root, "the site folder cannot be read"))
    })?;
    inside
        .ancestors_stay(relative)
        .map_err(|link| Diagnostics::from(link_leaves_site(&link)))?;
    read_file(root, relative)
}

/// Reads the file at `path` (relative to `root`), found by listing.
pub(crate) fn read_file(root: &Path, path: &Path) -> Result<TextFile, Diagnostics> {
    let shown = path.to_path_buf();
    // A named pipe (`annals.yaml` made one) would block the read for ever.
    if std::fs::metadata(root.join(path)).is_ok_and(|meta| !meta.is_file()) {
        return Err(Diagnostic::error(
            shown,
            "this is not a regular file but a folder, named pipe, socket or device",
        )
        .with_hint("remove it, or put a file of that name in its place")
        .into());
    }
    let bytes = std::fs::read(root.join(path))
        .map_err(|error| io_error(&shown, "read the file", &error))?;
    match String::from_utf8(bytes) {
        Ok(mut text) => {
            // Some Windows editors begin UTF-8 with a byte order mark: YAML
            // would read it as part of the first key, and a template would
            // write it into pages.
            if text.starts_with('\u{feff}') {
                text.drain(..'\u{feff}'.len_utf8());
            }
            Ok(TextFile { path: shown, text })
        }
        Err(error) => {
            let (line, column) = position_of(error.as_bytes(), error.utf8_error().valid_up_to());
            Err(Diagnostic::error(shown, "the file is not valid UTF-8")
                .at_line(line)
                .at_column(column)
                .with_hint("save the file as UTF-8 in your editor")
                .into())
        }
    }
}

/// 1-based line and column (in characters) of byte `offset`.
fn position_of(bytes: &[u8], offset: usize) -> (usize, usize) {
    let before = &bytes[..offset];
    let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
    let line_start = before
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |i| i + 1);
    let column = String::from_utf8_lossy(&before[line_start..])
        .chars()
        .count()
        + 1;
    (line, column)
}

/// Markdown files under `content/` that no area reads, a warning each: an
/// article put in `content/article/` or in `content/` itself, a person in
/// a folder of `content/people/`. Hidden files and folders are put aside
/// on purpose, and not named.
pub(crate) fn unread(root: &Path, files: &SiteFiles) -> Diagnostics {
    let read: BTreeSet<&Path> = [Area::Articles, Area::People, Area::Pages]
        .iter()
        .flat_map(|&area| files.of(area))
        .map(PathBuf::as_path)
        .collect();
    let mut found = Diagnostics::default();
    // Every Markdown file of `content/articles/` is read: not walked again.
    let articles = root.join(ARTICLES_DIR);
    let walker = WalkDir::new(root.join("content"))
        .sort_by_file_name()
        .into_iter();
    let visible = walker.filter_entry(|entry| {
        let name = entry.file_name().to_string_lossy();
        let aside = name.starts_with('.') || is_editor_leftover(&name);
        entry.depth() == 0 || !(aside || entry.path() == articles)
    });
    for entry in visible.filter_map(Result::ok) {
        let Ok(path) = entry.path().strip_prefix(root) else {
            continue;
        };
        if !entry.file_type().is_file() || !is_markdown(path) || read.contains(path) {
            continue;
        }
        found.push(
            Diagnostic::warning(path, "annals reads no Markdown file here: it is not published")
                .with_hint(format!(
                    "move it to {ARTICLES_DIR}/ (an article, in any folder there), {PEOPLE_DIR}/ (a person) or {PAGES_DIR}/ (a page), those two without subfolders; or start its name with `.` to keep it aside"
                )),
        );
    }
    found
}

/// The extensions of Markdown files, compared without regard to case.
const MARKDOWN: &[&str] = &["md", "markdown"];

/// Whether `path` names a Markdown file (`.md`, `.markdown`, any case).
pub(super) fn is_markdown(path: &Path) -> bool {
    has_extension(path, MARKDOWN)
}

fn has_extension(path: &Path, extensions: &[&str]) -> bool {
    let extension = path.extension().and_then(|e| e.to_str());
    extension.is_some_and(|e| extensions.iter().any(|x| e.eq_ignore_ascii_case(x)))
}

/// Swap, backup and temporary files of vim, emacs, VS Code and JetBrains,
/// and annals' own temporary files: never part of a site.
pub(crate) fn is_editor_leftover(name: &str) -> bool {
    name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name.ends_with(".swo")
        || name.ends_with(".annals-tmp")
        || name.starts_with(".#")
        || name == "4913"
        || name.contains("___jb_")
}

/// `path` relative to `root`, as users see it in messages.
pub(crate) fn relative(root: &Path, path: &Path) -> PathBuf {
    path.strip_prefix(root).unwrap_or(path).to_path_buf()
}

/// `relative` as a `/`-separated string of its normal components.
pub(crate) fn slash_path(relative: &Path) -> String {
    let parts: Vec<_> = relative
        .components()
        .filter_map(|c| match c {
            Component::Normal(part) => Some(part.to_string_lossy()),
            _ => None,
        })
        .collect();
    parts.join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_byte_order_mark_is_removed_as_a_file_is_read() {
        let dir = tempfile::tempdir().expect("temporary directory");
        std::fs::write(dir.path().join("a.md"), "\u{feff}---\r\ntitle: A\r\n").expect("write");
        let file = read_file(dir.path(), Path::new("a.md")).expect("read");
        assert_eq!(file.text, "---\r\ntitle: A\r\n");
    }

    #[test]
    fn positions_are_one_based() {
        assert_eq!(position_of(b"ab\ncd", 4), (2, 2));
        assert_eq!(position_of(b"ab", 0), (1, 1));
        assert_eq!(position_of("é\nαβx".as_bytes(), 7), (2, 3));
    }

    #[track_caller]
    fn holds(area: Area, path: &str, expected: bool) {
        assert_eq!(area.holds(Path::new(path)), expected, "{area:?} {path}");
    }

    #[test]
    fn areas_hold_their_files_and_not_editor_leftovers() {
        holds(Area::Articles, "content/articles/a/b.md", true);
        holds(Area::Articles, "content/articles/b.MD", true);
        holds(Area::Articles, "content/articles/b.markdown", true);
        holds(Area::Articles, "content/articles/b.txt", false);
        holds(Area::Articles, "content/articles/.b.md.swp", false);
        holds(Area::Articles, "content/articles/.#b.md", false);
        holds(Area::Articles, "content/articles/b.md~", false);
        holds(Area::Articles, "content/articles/4913", false);
        holds(Area::Articles, "content/articles/.draft.md", false);
        holds(Area::People, "content/people/ada.md", true);
        holds(Area::People, "content/people/old/ada.md", false);
        holds(Area::Pages, "content/pages/about.md", true);
        holds(Area::Pages, "content/pages/About.Markdown", true);
        holds(Area::Pages, "content/pages/.about.md.swp", false);
        holds(Area::Pages, "content/pages/about.md~", false);
        holds(Area::Pages, "content/pages/.draft.md", false);
        holds(Area::Pages, "content/pages/team/ada.md", false);
        holds(Area::Pages, "content/pages/notes.txt", false);
        holds(Area::Templates, "templates/partials/x.HTML", true);
        holds(Area::Templates, "templates/x.htm", false);
        holds(Area::Static, "static/.nojekyll", true);
        holds(Area::Static, "static/.well-known/security.txt", true);
        holds(Area::Static, "static/.style.css.swp", false);
        holds(Area::Static, "static/.style.css.annals-tmp", false);
    }

    fn write(root: &Path, path: &str) {
        let path = root.join(path);
        std::fs::create_dir_all(path.parent().expect("a parent")).expect("create folders");
        std::fs::write(path, "---\n---\n").expect("write");
    }

    fn paths(files: &SiteFiles, area: Area) -> Vec<String> {
        files.of(area).iter().map(|p| slash_path(p)).collect()
    }

    #[test]
    fn refreshing_a_folder_finds_what_came_and_went() {
        let site = tempfile::tempdir().expect("temporary directory");
        let root = site.path();
        write(root, "content/articles/2021/a.md");
        write(root, "content/articles/2021/b.md");
        write(root, "content/articles/c.md");
        let mut files = SiteFiles::list(root);
        assert_eq!(paths(&files, Area::Articles).len(), 3);
        std::fs::rename(
            root.join("content/articles/2021"),
            root.join("content/articles/2022"),
        )
        .expect("rename");
        let mut changes = files.refresh(root, Path::new("content/articles/2021"));
        changes.extend(files.refresh(root, Path::new("content/articles/2022")));
        let summary: Vec<(String, bool)> = changes
            .iter()
            .map(|c| (slash_path(&c.path), c.present))
            .collect();
        assert_eq!(
            summary,
            [
                ("content/articles/2021/a.md".into(), false),
                ("content/articles/2021/b.md".into(), false),
                ("content/articles/2022/a.md".into(), true),
                ("content/articles/2022/b.md".into(), true),
            ]
        );
        // Hidden folders are put aside, whether listed whole or refreshed.
        write(root, "content/articles/.drafts/d.md");
        assert!(
            files
                .refresh(root, Path::new("content/articles/.drafts/d.md"))
                .is_empty()
        );
        assert!(
            files
                .refresh(root, Path::new("content/articles/.drafts"))
                .is_empty()
        );
        assert!(
            !SiteFiles::list(root)
                .of(Area::Articles)
                .iter()
                .any(|p| p.ends_with("d.md"))
        );
        // `content/` itself covers articles and people.
        std::fs::remove_dir_all(root.join("content")).expect("remove content");
        let gone = files.refresh(root, Path::new("content"));
        assert_eq!(gone.len(), 3);
        assert!(files.of(Area::Articles).is_empty());
    }

    #[cfg(unix)]
    #[test]
    fn links_out_of_the_site_are_refused_at_any_depth() {
        let outside = tempfile::tempdir().expect("temporary directory");
        write(outside.path(), "articles/secret.md");
        for link in [
            "content",
            "content/articles",
            "content/articles/sub",
            "content/articles/secret.md",
        ] {
            let site = tempfile::tempdir().expect("temporary directory");
            let root = site.path();
            if link != "content" {
                write(root, "content/people/ada.md");
            }
            let target = match link {
                "content" => outside.path().to_path_buf(),
                "content/articles/secret.md" => outside.path().join("articles/secret.md"),
                _ => outside.path().join("articles"),
            };
            std::fs::create_dir_all(root.join(link).parent().expect("parent")).expect("folders");
            std::os::unix::fs::symlink(&target, root.join(link)).expect("link");
            let files = SiteFiles::list(root);
            assert!(files.of(Area::Articles).is_empty(), "{link}");
            let refused: Vec<_> = files
                .refused()
                .iter()
                .map(|d| slash_path(&d.file))
                .collect();
            assert!(refused.contains(&link.to_owned()), "{link}: {refused:?}");
            let mut again = files.clone();
            assert!(
                again
                    .refresh(root, Path::new("content/articles/secret.md"))
                    .is_empty(),
                "{link}: refreshing through the link reads nothing"
            );
        }
    }

    #[cfg(unix)]
    #[test]
    fn links_inside_the_site_are_followed() {
        let site = tempfile::tempdir().expect("temporary directory");
        let root = site.path();
        write(root, "shared/a.md");
        std::fs::create_dir_all(root.join("content/articles")).expect("folders");
        std::os::unix::fs::symlink(root.join("shared"), root.join("content/articles/shared"))
            .expect("link");
        let files = SiteFiles::list(root);
        assert_eq!(
            paths(&files, Area::Articles),
            ["content/articles/shared/a.md"]
        );
        assert!(files.refused().is_empty());
    }
}
