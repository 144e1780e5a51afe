//! Reading a site directory from disk: the only part of `content` that does I/O.

use std::path::{Path, PathBuf};

use rayon::prelude::*;
use walkdir::WalkDir;

use crate::diagnostic::{Diagnostic, Diagnostics, io_error};

/// A file's text with its path relative to the site root.
#[derive(Debug, Clone)]
pub struct TextFile {
    pub path: PathBuf,
    pub text: String,
}

/// The source files of a site, sorted by path: the text of people and
/// templates, and where the articles are. Article texts — the bulk of an
/// archive — are read by [`read_files`] while parsing and not kept.
#[derive(Debug, Default, Clone)]
pub struct SiteFiles {
    /// Paths relative to the site root.
    pub articles: Vec<PathBuf>,
    pub people: Vec<TextFile>,
    /// `templates/*.html` of the site itself (the built-in ones are not here).
    pub templates: Vec<TextFile>,
}

/// A file's path relative to the site root, with its text or why it could
/// not be read.
pub type FileRead = (PathBuf, Result<TextFile, Diagnostics>);

pub const ARTICLES_DIR: &str = "content/articles";
pub const PEOPLE_DIR: &str = "content/people";
pub const TEMPLATES_DIR: &str = "templates";

/// Finds every article and reads every person and template file under `root`.
pub fn read_site(root: &Path) -> Result<SiteFiles, Diagnostics> {
    let mut diagnostics = Diagnostics::default();
    let articles = list_tree(root, ARTICLES_DIR, MARKDOWN, true, &mut diagnostics);
    let people = list_tree(root, PEOPLE_DIR, MARKDOWN, false, &mut diagnostics);
    let templates = list_tree(root, TEMPLATES_DIR, &["html"], true, &mut diagnostics);
    let mut read_all = |paths: &[PathBuf]| -> Vec<TextFile> {
        read_files(root, paths)
            .collect::<Vec<_>>()
            .into_iter()
            .filter_map(|(_, read): FileRead| read.map_err(|d| diagnostics.extend(d)).ok())
            .collect()
    };
    let files = SiteFiles {
        people: read_all(&people),
        templates: read_all(&templates),
        articles,
    };
    diagnostics.into_result()?;
    Ok(files)
}

/// Reads `paths` (relative to `root`) in parallel, each only when the
/// consumer asks for it, so a caller that parses and drops each text never
/// holds the whole archive. Yields each path with its text or what went
/// wrong.
pub fn read_files<'a>(
    root: &'a Path,
    paths: &'a [PathBuf],
) -> impl IndexedParallelIterator<Item = FileRead> + 'a {
    paths
        .par_iter()
        .map(move |path| (path.clone(), read_text(root, path)))
}

/// The files with one of `extensions` under `root/dir` (a missing dir has
/// none), relative to `root`.
fn list_tree(
    root: &Path,
    dir: &str,
    extensions: &[&str],
    recursive: bool,
    diagnostics: &mut Diagnostics,
) -> Vec<PathBuf> {
    let top = root.join(dir);
    if !top.is_dir() {
        return Vec::new();
    }
    let walker = WalkDir::new(&top)
        .max_depth(if recursive { usize::MAX } else { 1 })
        .sort_by_file_name();
    let mut paths = Vec::new();
    for entry in walker {
        let entry = match entry {
            Ok(entry) => entry,
            Err(error) => {
                let path = error.path().unwrap_or(&top).to_path_buf();
                diagnostics.push(Diagnostic::error(
                    relative(root, &path),
                    format!("could not read: {error}"),
                ));
                continue;
            }
        };
        let path = entry.path();
        if !is_content_file(path, extensions) {
            continue;
        }
        if entry.path_is_symlink() && !points_inside(root, path) {
            diagnostics.push(
                Diagnostic::error(
                    relative(root, path),
                    "this symbolic link points outside the site",
                )
                .with_hint("copy the file into the site instead of linking to it"),
            );
            continue;
        }
        paths.push(relative(root, path));
    }
    paths
}

/// The extensions of Markdown files, compared without regard to case.
pub const MARKDOWN: &[&str] = &["md", "markdown"];

/// Whether `path` names a Markdown file (`.md`, `.markdown`, any case).
pub fn is_markdown(path: &Path) -> bool {
    has_extension(path, MARKDOWN)
}

fn has_extension(path: &Path, extensions: &[&str]) -> bool {
    let extension = path.extension().and_then(|e| e.to_str());
    extension.is_some_and(|e| extensions.iter().any(|x| e.eq_ignore_ascii_case(x)))
}

/// True for files with one of `extensions` that are not hidden or editor
/// leftovers.
fn is_content_file(path: &Path, extensions: &[&str]) -> bool {
    let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
        return false;
    };
    !name.starts_with('.') && !name.ends_with('~') && has_extension(path, extensions)
}

fn points_inside(root: &Path, path: &Path) -> bool {
    match (root.canonicalize(), path.canonicalize()) {
        (Ok(root), Ok(target)) => target.starts_with(root),
        _ => false,
    }
}

fn read_text(root: &Path, path: &Path) -> Result<TextFile, Diagnostics> {
    let shown = path.to_path_buf();
    let bytes = std::fs::read(root.join(path))
        .map_err(|error| io_error(&shown, "read the file", &error))?;
    match String::from_utf8(bytes) {
        Ok(text) => Ok(TextFile { path: shown, text }),
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

/// 1-based line and column of byte `offset`.
fn position_of(bytes: &[u8], offset: usize) -> (usize, usize) {
    let before = &bytes[..offset];
    let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
    let column = offset
        - before
            .iter()
            .rposition(|&b| b == b'\n')
            .map_or(0, |i| i + 1)
        + 1;
    (line, column)
}

/// `path` relative to `root`, as users see it in messages.
pub fn relative(root: &Path, path: &Path) -> PathBuf {
    path.strip_prefix(root).unwrap_or(path).to_path_buf()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_are_one_based() {
        assert_eq!(position_of(b"ab\ncd", 4), (2, 2));
        assert_eq!(position_of(b"ab", 0), (1, 1));
    }

    #[test]
    fn editor_leftovers_are_not_content() {
        assert!(is_content_file(Path::new("a/b.md"), MARKDOWN));
        assert!(is_content_file(Path::new("a/b.MD"), MARKDOWN));
        assert!(is_content_file(Path::new("a/b.markdown"), MARKDOWN));
        assert!(!is_content_file(Path::new("a/b.txt"), MARKDOWN));
        assert!(!is_content_file(Path::new("a/.b.md.swp"), MARKDOWN));
        assert!(!is_content_file(Path::new("a/.#b.md"), MARKDOWN));
        assert!(!is_content_file(Path::new("a/b.md~"), MARKDOWN));
        assert!(!is_content_file(Path::new("a/4913"), MARKDOWN));
    }
}
