//! The Tera engine: built-in templates, a site's overrides, and turning
//! template errors into diagnostics.

use std::collections::BTreeMap;
use std::path::PathBuf;

use tera::{ErrorKind, Tera};

use crate::content::TextFile;
use crate::diagnostic::{Diagnostic, Diagnostics};

/// The default templates, compiled into the binary from this repository's
/// own `templates/`, so a site without templates still builds.
const BUILT_IN: &[(&str, &str)] = &[
    ("base.html", include_str!("../../templates/base.html")),
    ("index.html", include_str!("../../templates/index.html")),
    ("article.html", include_str!("../../templates/article.html")),
    ("people.html", include_str!("../../templates/people.html")),
    ("person.html", include_str!("../../templates/person.html")),
    ("sources.html", include_str!("../../templates/sources.html")),
    (
        "publisher.html",
        include_str!("../../templates/publisher.html"),
    ),
    (
        "timeline.html",
        include_str!("../../templates/timeline.html"),
    ),
    ("year.html", include_str!("../../templates/year.html")),
    ("terms.html", include_str!("../../templates/terms.html")),
    ("term.html", include_str!("../../templates/term.html")),
    ("404.html", include_str!("../../templates/404.html")),
    ("search.html", include_str!("../../templates/search.html")),
    (
        "partials/article_item.html",
        include_str!("../../templates/partials/article_item.html"),
    ),
    (
        "partials/documents.html",
        include_str!("../../templates/partials/documents.html"),
    ),
    (
        "partials/source.html",
        include_str!("../../templates/partials/source.html"),
    ),
    (
        "partials/statement.html",
        include_str!("../../templates/partials/statement.html"),
    ),
];

/// Builds the engine: built-ins first, then the site's own files by the same
/// name replace them, and any extra site templates (partials) are added.
pub fn engine(site_templates: &[TextFile]) -> Result<Tera, Diagnostics> {
    let mut sources: BTreeMap<String, &str> = BUILT_IN
        .iter()
        .map(|(name, text)| ((*name).to_owned(), *text))
        .collect();
    for file in site_templates {
        sources.insert(template_name(&file.path), &file.text);
    }
    let mut tera = Tera::new();
    let templates = sources.iter().map(|(name, text)| (name.as_str(), *text));
    tera.add_raw_templates(templates)
        .map_err(|error| Diagnostics::from(diagnostic(&error, site_templates)))?;
    Ok(tera)
}

/// `templates/partials/x.html` → `partials/x.html`, with `/` on every platform.
fn template_name(path: &std::path::Path) -> String {
    let inside = path
        .strip_prefix(crate::content::TEMPLATES_DIR)
        .unwrap_or(path);
    inside
        .components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// A Tera error as a diagnostic on the template file it comes from, with
/// the offending line quoted.
pub fn diagnostic(error: &tera::Error, site_templates: &[TextFile]) -> Diagnostic {
    let site_file = |name: &str| {
        site_templates
            .iter()
            .find(|t| template_name(&t.path) == name)
    };
    let file_of = |name: &str| match site_file(name) {
        Some(file) => file.path.clone(),
        None => PathBuf::from(format!("(built-in template) {name}")),
    };
    match error.kind() {
        ErrorKind::SyntaxError(report) | ErrorKind::RenderingError(report) => {
            let span = report.span();
            let name = report.filename();
            let text = site_file(name)
                .map(|f| f.text.as_str())
                .or_else(|| BUILT_IN.iter().find(|(n, _)| *n == name).map(|(_, t)| *t))
                .unwrap_or_default();
            Diagnostic::error(
                file_of(name),
                format!("template error: {}", report.message()),
            )
            .at_line(span.start_line)
            .at_column(span.start_col + 1)
            .with_snippet_from(text)
            .with_hint("fix the template; tera 2 syntax is described at keats.github.io/tera")
        }
        ErrorKind::MissingParent { current, parent } => Diagnostic::error(
            file_of(current),
            format!("template extends `{parent}`, which does not exist"),
        )
        .with_hint("check the name in `{% extends %}`"),
        ErrorKind::TemplateNotFound(name) => {
            Diagnostic::error(file_of(name), format!("template `{name}` not found"))
                .with_hint("add the template under templates/")
        }
        _ => Diagnostic::error("templates", format!("template error: {error}"))
            .with_hint("fix the template named in the message"),
    }
}

/// Files every site gets unless its `static/` has one at the same path.
pub const ASSETS: &[(&str, &[u8])] = &[
    ("style.css", include_bytes!("../../static/style.css")),
    ("search.js", include_bytes!("../../static/search.js")),
];

/// True when a built-in template includes or extends `name`.
pub fn built_in_references(name: &str) -> bool {
    let quoted = format!("\"{name}\"");
    BUILT_IN.iter().any(|(_, text)| text.contains(&quoted))
}
