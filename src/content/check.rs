//! Checks across files: things no single file can get wrong on its own.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::{Article, Label};
use crate::diagnostic::{Diagnostic, Diagnostics};

/// Reports two things that would share one URL or anchor: article slugs,
/// statement ids, and publisher, topic or place names that slugify alike.
pub(super) fn collisions(articles: &[Arc<Article>], diagnostics: &mut Diagnostics) {
    let mut slugs: HashMap<&str, &Path> = HashMap::with_capacity(articles.len());
    let mut statement_ids: HashMap<&str, &Path> = HashMap::with_capacity(articles.len() * 4);
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
                if let Some(first) = statement_ids.insert(id, &article.file) {
                    diagnostics.push(
                        Diagnostic::error(
                            &article.file,
                            format!("statement id `{id}` is also used in {}", first.display()),
                        )
                        .at_line(statement.line)
                        .with_hint(
                            "give one of the statements a different `id:` (or `former_ids:`)",
                        ),
                    );
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
            .with_hint(format!(
                "spell the {what} the same way everywhere, or make the names differ in letters"
            ));
            if line > 0 {
                diagnostic = diagnostic.at_line(line);
            }
            diagnostics.push(diagnostic);
        }
    }
}
