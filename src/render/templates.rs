//! The Tera engine: built-in templates, a site's overrides, and turning
//! template errors into diagnostics.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use tera::{ErrorKind, Tera};

use super::tags::Mismatch;
use crate::content::TextFile;
use crate::diagnostic::{Diagnostic, Diagnostics, Lines};
use crate::i18n::Ui;

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
        "redirect.html",
        include_str!("../../templates/redirect.html"),
    ),
    (
        "withdrawn.html",
        include_str!("../../templates/withdrawn.html"),
    ),
    ("page.html", include_str!("../../templates/page.html")),
    ("data.html", include_str!("../../templates/data.html")),
    (
        "partials/withdrawn.html",
        include_str!("../../templates/partials/withdrawn.html"),
    ),
    (
        "partials/statement_line.html",
        include_str!("../../templates/partials/statement_line.html"),
    ),
    (
        "partials/cite.html",
        include_str!("../../templates/partials/cite.html"),
    ),
    (
        "corrections.html",
        include_str!("../../templates/corrections.html"),
    ),
    (
        "partials/corrections.html",
        include_str!("../../templates/partials/corrections.html"),
    ),
    (
        "partials/article_item.html",
        include_str!("../../templates/partials/article_item.html"),
    ),
    (
        "partials/chart.html",
        include_str!("../../templates/partials/chart.html"),
    ),
    (
        "partials/period_index.html",
        include_str!("../../templates/partials/period_index.html"),
    ),
    (
        "partials/citation.html",
        include_str!("../../templates/partials/citation.html"),
    ),
    (
        "partials/crumbs.html",
        include_str!("../../templates/partials/crumbs.html"),
    ),
    (
        "partials/documents.html",
        include_str!("../../templates/partials/documents.html"),
    ),
    (
        "partials/fields.html",
        include_str!("../../templates/partials/fields.html"),
    ),
    (
        "partials/pager.html",
        include_str!("../../templates/partials/pager.html"),
    ),
    (
        "partials/robust_link.html",
        include_str!("../../templates/partials/robust_link.html"),
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

/// The engines compiled for earlier builds, one per language: a watch
/// rebuild whose templates and interface are unchanged takes a copy rather
/// than compiling every template again (milliseconds per language, on every
/// edit).
#[derive(Default)]
pub(crate) struct Engines(Mutex<Vec<Compiled>>);

struct Compiled {
    templates: Vec<TextFile>,
    /// Held, so that a new interface is never taken for this one.
    ui: Arc<Ui>,
    tera: Tera,
}

impl Engines {
    /// The engine of `site_templates` in `ui`'s language, compiled now
    /// unless it was for the same templates and interface before.
    pub(super) fn get(
        &self,
        site_templates: &[TextFile],
        ui: &Arc<Ui>,
    ) -> Result<Tera, Diagnostics> {
        let same = |c: &Compiled| Arc::ptr_eq(&c.ui, ui) && c.templates == site_templates;
        // A poisoned lock only means a panic elsewhere: the cache is still
        // whole, as entries are pushed complete.
        let mut compiled = self
            .0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some(hit) = compiled.iter().find(|c| same(c)) {
            return Ok(hit.tera.clone());
        }
        let tera = engine(site_templates, ui)?;
        compiled.retain(|c| c.ui.tag() != ui.tag());
        compiled.push(Compiled {
            templates: site_templates.to_vec(),
            ui: Arc::clone(ui),
            tera: tera.clone(),
        });
        Ok(tera)
    }
}

/// Builds the engine: built-ins first, then the site's own files by the same
/// name replace them, and any extra site templates (partials) are added.
fn engine(site_templates: &[TextFile], ui: &Arc<Ui>) -> Result<Tera, Diagnostics> {
    let mut sources: BTreeMap<String, &str> = BUILT_IN
        .iter()
        .map(|(name, text)| ((*name).to_owned(), *text))
        .collect();
    for file in site_templates {
        sources.insert(template_name(&file.path), &file.text);
    }
    let mut tera = Tera::new();
    ui.register(&mut tera);
    let templates = sources.iter().map(|(name, text)| (name.as_str(), *text));
    tera.add_raw_templates(templates)
        .map_err(|error| diagnostics(&error, site_templates))?;
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

/// Every problem in a Tera error. Tera checks filters, tests, functions and
/// includes of all templates at once and returns one message holding a
/// report per problem, so that message is split back into its reports.
fn diagnostics(error: &tera::Error, site_templates: &[TextFile]) -> Diagnostics {
    let mut all = Diagnostics::default();
    if let ErrorKind::Msg(text) = error.kind() {
        for report in text.split("\n\n") {
            if let Some(diagnostic) = parse_report(report, site_templates) {
                all.push(diagnostic);
            }
        }
    }
    if all.is_empty() {
        all.push(diagnostic(error, site_templates));
    }
    all
}

/// One of Tera's text reports (`error: MESSAGE` then ` --> NAME:LINE:COLUMN`),
/// or `None` for anything else (a note, or a format this does not know).
fn parse_report(report: &str, site_templates: &[TextFile]) -> Option<Diagnostic> {
    let mut lines = report.lines();
    let message = lines.next()?.strip_prefix("error: ")?;
    let location = lines.next()?.trim_start().strip_prefix("--> ")?;
    let mut parts = location.rsplitn(3, ':');
    let column = parts.next()?.parse().ok()?;
    let line = parts.next()?.parse().ok()?;
    let name = parts.next()?;
    Some(located(name, line, column, message, site_templates))
}

/// A template error at a 1-based line and column of template `name`.
fn located(
    name: &str,
    line: usize,
    column: usize,
    message: &str,
    site_templates: &[TextFile],
) -> Diagnostic {
    Diagnostic::error(
        file_of(name, site_templates),
        format!("template error: {message}"),
    )
    .at_line(line)
    .at_column(column)
    .with_snippet_from(text_of(name, site_templates))
    .with_hint("fix the template; tera 2 syntax is described at keats.github.io/tera")
}

/// `found`, Tera's report of a parse error, saying which block is left
/// open (and where) or which closing tag closes nothing. A block never
/// closed is reported where it opens: the end of the file says nothing.
fn explained(mut found: Diagnostic, text: &str, mismatch: &Mismatch) -> Diagnostic {
    let hint = match *mismatch {
        Mismatch::Unclosed {
            open: (name, offset),
            closing,
        } => {
            let lines = Lines::new(text);
            let (line, column) = lines.position_of(offset);
            found.message = match closing {
                Some(closing) => format!(
                    "template error: `{{% {closing} %}}` is reached while the `{{% {name} %}}` of line {line} is still open"
                ),
                None => format!("template error: this `{{% {name} %}}` is never closed"),
            };
            if closing.is_none() {
                found = found
                    .at_line(line)
                    .at_column(column)
                    .with_snippet_in(&lines);
            }
            format!("close it with `{{% end{name} %}}` where its block ends, or remove it")
        }
        Mismatch::Stray { closing } => {
            found.message = format!(
                "template error: `{{% {closing} %}}` closes nothing: no block it could end is open here"
            );
            "remove it, or add the tag that opens its block above it".to_owned()
        }
    };
    found.with_hint(hint)
}

/// The site's file for template `name`, or a label for the built-in one.
fn file_of(name: &str, site_templates: &[TextFile]) -> PathBuf {
    match site_templates
        .iter()
        .find(|t| template_name(&t.path) == name)
    {
        Some(file) => file.path.clone(),
        None => PathBuf::from(format!("(built-in template) {name}")),
    }
}

/// The text of template `name`: the site's own, else the built-in one.
fn text_of<'a>(name: &str, site_templates: &'a [TextFile]) -> &'a str {
    site_templates
        .iter()
        .find(|t| template_name(&t.path) == name)
        .map(|f| f.text.as_str())
        .or_else(|| BUILT_IN.iter().find(|(n, _)| *n == name).map(|(_, t)| *t))
        .unwrap_or_default()
}

/// A Tera error as a diagnostic on the template file it comes from, with
/// the offending line quoted.
pub(super) fn diagnostic(error: &tera::Error, site_templates: &[TextFile]) -> Diagnostic {
    match error.kind() {
        ErrorKind::SyntaxError(report) => {
            let span = report.span();
            let text = text_of(report.filename(), site_templates);
            let found = located(
                report.filename(),
                span.start_line,
                span.start_col + 1,
                report.message(),
                site_templates,
            );
            // Only the two messages a block left open gives: any other
            // error is Tera's to explain.
            let open_block = ["Unknown tag", "Unexpected end of input"].contains(&report.message());
            let mismatch = open_block.then(|| super::tags::mismatch_at(text, span.range.start));
            match mismatch.flatten() {
                Some(mismatch) => explained(found, text, &mismatch),
                None => found,
            }
        }
        ErrorKind::RenderingError(report) => {
            let span = report.span();
            located(
                report.filename(),
                span.start_line,
                span.start_col + 1,
                report.message(),
                site_templates,
            )
        }
        ErrorKind::MissingParent { current, parent } => {
            let text = text_of(current, site_templates);
            let diagnostic = Diagnostic::error(
                file_of(current, site_templates),
                format!("template extends `{parent}`, which does not exist"),
            )
            .with_hint("check the name in `{% extends %}`");
            match text
                .lines()
                .position(|l| l.contains("extends") && l.contains(parent.as_str()))
            {
                Some(index) => diagnostic.at_line(index + 1).with_snippet_from(text),
                None => diagnostic,
            }
        }
        ErrorKind::TemplateNotFound(name) => Diagnostic::error(
            file_of(name, site_templates),
            format!("template `{name}` not found"),
        )
        .with_hint("add the template under templates/"),
        ErrorKind::CircularExtend { tpl, .. } | ErrorKind::CircularInclude { tpl, .. } => {
            Diagnostic::error(
                file_of(tpl, site_templates),
                format!("template error: {error}"),
            )
            .with_hint("a template may not extend or include itself, directly or through others")
        }
        _ => Diagnostic::error("templates", format!("template error: {error}"))
            .with_hint("fix the template named in the message"),
    }
}

/// Files every site gets unless its `static/` has one at the same path.
pub(crate) const ASSETS: &[(&str, &[u8])] = &[
    ("style.css", include_bytes!("../../static/style.css")),
    ("search.js", include_bytes!("../../static/search.js")),
    ("cite.js", include_bytes!("../../static/cite.js")),
];

/// A warning for each of the site's templates that annals never uses: not
/// one of the built-in names it overrides (`artcle.html` for
/// `article.html`), and included, extended or imported by no template.
pub(crate) fn unused(site_templates: &[TextFile]) -> Diagnostics {
    let mut found = Diagnostics::default();
    for file in site_templates {
        let name = template_name(&file.path);
        // Tera takes a name in double or single quotes (or backticks).
        let quoted = ['"', '\'', '`'].map(|q| format!("{q}{name}{q}"));
        let built_in = BUILT_IN.iter().any(|(n, _)| *n == name);
        let referenced = built_in_references(&name)
            || (site_templates.iter())
                .any(|other| quoted.iter().any(|q| other.text.contains(q.as_str())));
        if built_in || referenced {
            continue;
        }
        let nearest = BUILT_IN
            .iter()
            .map(|(candidate, _)| (strsim::jaro_winkler(&name, candidate), *candidate))
            .filter(|(score, _)| *score > 0.85)
            .max_by(|a, b| a.0.total_cmp(&b.0));
        let hint = match nearest {
            Some((_, candidate)) => format!(
                "to replace the built-in `{candidate}`, name the file templates/{candidate}"
            ),
            None => "name it as the built-in template it replaces (the README lists them), or include it from one with `{% include \"…\" %}`".to_owned(),
        };
        found.push(
            Diagnostic::warning(
                &file.path,
                format!("no template uses `{name}`: it is not a built-in template's name, and none includes or extends it"),
            )
            .with_hint(hint),
        );
    }
    found
}

/// True when a built-in template includes or extends `name`.
pub(crate) fn built_in_references(name: &str) -> bool {
    let quoted = format!("\"{name}\"");
    BUILT_IN.iter().any(|(_, text)| text.contains(&quoted))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_template_included_in_any_quotes_is_used() {
        let file = |path: &str, text: &str| TextFile {
            path: path.into(),
            text: text.into(),
        };
        let site = [
            file("templates/page.html", "{% include 'partials/mine.html' %}"),
            file("templates/partials/mine.html", "x"),
            file("templates/artcle.html", "x"),
        ];
        let unused: Vec<String> = unused(&site).iter().map(|d| d.message.clone()).collect();
        assert_eq!(unused.len(), 1, "{unused:?}");
        assert!(unused[0].contains("`artcle.html`"), "{unused:?}");
    }

    fn site_template(text: &str) -> TextFile {
        TextFile {
            path: "templates/article.html".into(),
            text: text.to_owned(),
        }
    }

    #[test]
    fn an_engine_is_compiled_again_only_when_its_templates_or_interface_change() {
        let engines = Engines::default();
        let render = |text: &str, ui: &Arc<Ui>| {
            let file = TextFile {
                path: "templates/partials/note.html".into(),
                text: text.to_owned(),
            };
            let tera = engines.get(&[file], ui).expect("compiles");
            tera.render("partials/note.html", &tera::Context::new())
                .expect("renders")
        };
        let english = Ui::english();
        assert_eq!(render("one", &english), "one");
        assert_eq!(render("one", &english), "one");
        assert_eq!(engines.0.lock().expect("lock").len(), 1, "one language");
        assert_eq!(render("two", &english), "two", "a changed template");
        let other = Arc::new(Ui::new("en", None).0);
        assert_eq!(render("two", &other), "two", "another interface");
        assert_eq!(engines.0.lock().expect("lock").len(), 1, "one per language");
    }

    /// Tera reports unknown filters as formatted text; if its format changes,
    /// the diagnostic loses its line and this test says so.
    #[test]
    fn unknown_filters_are_located_in_the_site_file() {
        let file = site_template(
            "{% extends \"base.html\" %}\n{% block content %}\n{{ article.title | shout }}\n{{ article.title | whisper }}\n{% endblock content %}\n",
        );
        let errors = engine(std::slice::from_ref(&file), &crate::i18n::Ui::english())
            .expect_err("unknown filters are refused");
        let found: Vec<_> = errors.iter().map(|d| (d.file.clone(), d.line)).collect();
        assert_eq!(
            found,
            [(file.path.clone(), Some(3)), (file.path.clone(), Some(4))]
        );
        let first = errors.iter().next().expect("a diagnostic");
        assert!(first.message.contains("Unknown filter `shout`"), "{first}");
        assert_eq!(
            first.snippet.as_deref(),
            Some("{{ article.title | shout }}")
        );
    }

    #[test]
    fn a_missing_parent_points_at_the_extends_line() {
        let file = site_template("{# layout #}\n{% extends \"layout.html\" %}\n");
        let errors = engine(std::slice::from_ref(&file), &crate::i18n::Ui::english())
            .expect_err("a missing parent is refused");
        let first = errors.iter().next().expect("a diagnostic");
        assert_eq!(
            (first.file.clone(), first.line),
            (file.path.clone(), Some(2))
        );
    }
}
