//! Checks across files: things no single file can get wrong on its own.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::{Article, Label, SitePage};
use crate::diagnostic::{Diagnostic, Diagnostics};

/// Reports two things that would share one URL or anchor: article slugs,
/// statement ids, and publisher, topic or place names that slugify alike.
pub(super) fn collisions(articles: &[Arc<Article>], diagnostics: &mut Diagnostics) {
    let mut slugs: HashMap<&str, &Path> = HashMap::with_capacity(articles.len());
    let mut statement_ids: HashMap<&str, (&Path, usize)> =
        HashMap::with_capacity(articles.len() * 4);
    for article in articles {
        if let Some(first) = slugs.insert(&article.slug, &article.file) {
            diagnostics.push(
                Diagnostic::error(
                    &article.file,
                    format!(
                        "slug `{}` is also used by {}",
                        article.slug,
                        first.display()
                    ),
                )
                .with_hint("give one of the articles a different `slug:` (or file name)"),
            );
        }
        for statement in &article.statements {
            // A former id is an anchor too: it may not name another statement.
            let ids = std::iter::once(&statement.id).chain(&statement.former_ids);
            for id in ids {
                let here = (article.file.as_path(), statement.line);
                if let Some(first) = statement_ids.insert(id, here) {
                    diagnostics.push(same_statement_id(id, first, here));
                }
            }
        }
    }
    let sources = articles
        .iter()
        .flat_map(|a| a.sources.iter().map(move |s| (&**a, &s.publisher, s.line)));
    names_slug_alike("publisher", sources, diagnostics);
    let topics = articles
        .iter()
        .flat_map(|a| a.topics.iter().map(move |t| (&**a, t, a.topics_line)));
    names_slug_alike("topic", topics, diagnostics);
    let places = articles
        .iter()
        .flat_map(|a| a.places.iter().map(move |p| (&**a, p, a.places_line)));
    names_slug_alike("place", places, diagnostics);
}

/// Two statements with the id `id`, the `first` in its file and line.
/// One file twice is a statement pasted twice, as its id is made of its
/// speaker, date and words when none is written. One statement twice is
/// its id among its own former ids (as a correction undone leaves it).
fn same_statement_id(id: &str, first: (&Path, usize), (file, line): (&Path, usize)) -> Diagnostic {
    let (message, hint) = match first.0 == file {
        true if first.1 == line => (
            format!("statement id `{id}` is listed twice among this statement's ids"),
            "remove it from `former_ids:`: an id is listed once, and the statement's own id is never a former one",
        ),
        true => (
            format!(
                "statement id `{id}` is also the id of the statement at line {} of this file",
                first.1
            ),
            "a statement recorded twice has one id: delete one, or if both are meant, give one an `id:` of its own",
        ),
        false => (
            format!(
                "statement id `{id}` is also used in {}:{}",
                first.0.display(),
                first.1
            ),
            "give one of the statements a different `id:` (or `former_ids:`)",
        ),
    };
    Diagnostic::error(file, message)
        .at_line(line)
        .with_hint(hint)
}

/// Reports two pages with one slug (`pages`, sorted by slug): both would
/// be written at `/<slug>/`.
pub(super) fn page_slugs(pages: &[Arc<SitePage>], diagnostics: &mut Diagnostics) {
    for pair in pages.windows(2) {
        let [first, second] = pair else { continue };
        if first.slug != second.slug {
            continue;
        }
        let mut diagnostic = Diagnostic::error(
            &second.file,
            format!(
                "page slug `{}` is also used by {}",
                second.slug,
                first.file.display()
            ),
        )
        .with_hint("give one of the pages a different `slug:` (or file name)");
        if second.slug_line > 0 {
            diagnostic = diagnostic.at_line(second.slug_line);
        }
        diagnostics.push(diagnostic);
    }
}

/// Reports two person files for one id (`ada.md` and `ada.markdown`):
/// which one the site would use is not for annals to guess.
pub(super) fn person_files<'a>(
    paths: impl Iterator<Item = &'a PathBuf>,
    diagnostics: &mut Diagnostics,
) {
    let mut by_id: HashMap<String, &Path> = HashMap::new();
    for path in paths {
        if let Some(first) = by_id.insert(super::person_id(path), path) {
            diagnostics.push(
                Diagnostic::error(
                    path,
                    format!("this person is also described by {}", first.display()),
                )
                .with_hint("keep one file per person: merge the two and delete the other"),
            );
        }
    }
}

/// What to do about two names with one address: spell one name one way;
/// names the address transliterates (حمص and حماس are both `hms`) need a
/// Latin spelling in one to tell them apart.
fn alike_hint(what: &str, name: &str, first: &str, slug: &str) -> String {
    let same = "spell it the same way everywhere";
    match name.is_ascii() && first.is_ascii() {
        true => {
            format!("if they are one {what}, {same}; if two, make their names differ in letters")
        }
        false => format!(
            "if they are one {what}, {same}; if two, add a Latin spelling to one, as in `Homs (حمص)`: its address is made from the name in Latin letters, `{slug}` for both"
        ),
    }
}

/// Two different spellings with one slug would share a page: report, never merge.
fn names_slug_alike<'a>(
    what: &str,
    names: impl Iterator<Item = (&'a Article, &'a Label, usize)>,
    diagnostics: &mut Diagnostics,
) {
    let mut by_slug: BTreeMap<&str, (&str, &Path)> = BTreeMap::new();
    for (article, label, line) in names {
        let name = label.name.as_str();
        let (first_name, first_file) = *by_slug.entry(&label.slug).or_insert((name, &article.file));
        if first_name != name {
            let mut diagnostic = Diagnostic::error(
                &article.file,
                format!(
                    "{what} `{name}` has the same URL as `{first_name}` (in {})",
                    first_file.display()
                ),
            )
            .with_hint(alike_hint(what, name, first_name, &label.slug));
            if line > 0 {
                diagnostic = diagnostic.at_line(line);
            }
            diagnostics.push(diagnostic);
        }
    }
}
