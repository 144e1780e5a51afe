//! Pages outside the record — about, methodology, a corrections policy —
//! from `content/pages/<slug>.md`: front matter and Markdown → [`SitePage`],
//! checked like articles (unknown fields, control characters, slugs).

use std::path::PathBuf;
use std::sync::Arc;

use rayon::prelude::*;
use serde::Deserialize;

use super::parse::{FileContext, Within, finish, front_matter, non_empty, slug_of, texts};
use super::translation::{Entry, Kind, or_original};
use super::{FileRead, SitePage, TextFile};
use crate::diagnostic::Diagnostics;
use crate::markdown::{self, RawHtml};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PageFields {
    title: String,
    summary: Option<String>,
    slug: Option<String>,
    #[serde(default)]
    menu: bool,
    #[serde(default)]
    weight: i32,
}

impl PageFields {
    /// Every text of the front matter, by key (see `ArticleFields::texts`).
    fn texts(&self) -> Vec<(&'static str, &str)> {
        let fields = [
            ("title", Some(&self.title)),
            ("summary", self.summary.as_ref()),
            ("slug", self.slug.as_ref()),
        ];
        texts(&fields, &[])
    }
}

/// Parses page files as `files` yields them: for each, the page if valid,
/// and its diagnostics.
pub(super) fn pages(
    files: impl IndexedParallelIterator<Item = FileRead>,
    raw_html: RawHtml,
) -> Vec<(PathBuf, Entry<Arc<SitePage>>)> {
    files
        .map(|read| {
            or_original(Kind::Page, read, raw_html, |file| {
                let (page, diagnostics) = page(file, raw_html);
                (page.map(Arc::new), diagnostics)
            })
        })
        .collect()
}

fn page(file: &TextFile, raw_html: RawHtml) -> (Option<SitePage>, Diagnostics) {
    let mut diagnostics = Diagnostics::default();
    let Some((split, fields)) = front_matter::<PageFields>(file, &mut diagnostics) else {
        return (None, diagnostics);
    };
    let mut cx = FileContext::new(file, &split, diagnostics);
    cx.check_texts(Within::Top, fields.texts());
    if fields.title.trim().is_empty() {
        let line = cx.locator.field("title");
        cx.error_at(
            line,
            "title: must not be empty",
            "give the page a title: the navigation and search show it",
        );
    }
    let slug = slug_of(&mut cx, fields.slug.as_deref());
    let body = markdown::render(split.body, raw_html, &[]);
    cx.check_body(split.body, &body);
    let Some(slug) = slug else {
        return (None, cx.diagnostics);
    };
    let page = SitePage {
        file: file.path.clone(),
        slug,
        slug_line: fields.slug.as_ref().map_or(0, |_| cx.locator.field("slug")),
        title: fields.title.trim().to_owned(),
        summary: non_empty(fields.summary).unwrap_or(body.first_paragraph),
        menu: fields.menu,
        weight: fields.weight,
        body_words: crate::words::distinct(&body.text),
        internal_links: cx.lines_in_body(split.body, body.internal_links),
        body_html: super::Html::new(&body.html),
    };
    finish(page, cx.diagnostics)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(name: &str, text: &str) -> (Option<SitePage>, Diagnostics) {
        let file = TextFile {
            path: format!("content/pages/{name}").into(),
            text: text.to_owned(),
        };
        page(&file, RawHtml::Keep)
    }

    /// (line, message) of each diagnostic of `text` parsed as `about.md`.
    fn found(text: &str) -> Vec<(Option<usize>, String)> {
        let (page, diagnostics) = parse("about.md", text);
        assert_eq!(page.is_none(), diagnostics.has_errors());
        diagnostics
            .iter()
            .map(|d| (d.line, d.message.clone()))
            .collect()
    }

    #[test]
    fn a_page_takes_its_slug_from_its_name_and_its_summary_from_its_body() {
        let (page, diagnostics) = parse(
            "How We Work.md",
            "---\ntitle: How we work\nmenu: true\nweight: -2\n---\nFirst *paragraph*.\n\nSee [the people](/people/).\n",
        );
        let page = page.unwrap_or_else(|| panic!("{diagnostics}"));
        assert_eq!(page.slug, "how-we-work");
        assert_eq!(page.slug_line, 0);
        assert_eq!(page.summary, "First paragraph.");
        assert_eq!((page.menu, page.weight), (true, -2));
        assert_eq!(page.internal_links, [("/people/".to_owned(), 8)]);
        assert!(page.body_words.contains("paragraph"));
    }

    #[test]
    fn a_written_slug_and_summary_win() {
        let (page, _) = parse(
            "a.md",
            "---\ntitle: A\nslug: about-us\nsummary: Who we are.\n---\nBody.\n",
        );
        let page = page.expect("valid");
        assert_eq!((page.slug.as_str(), page.slug_line), ("about-us", 3));
        assert_eq!(page.summary, "Who we are.");
        assert!(!page.menu);
    }

    #[test]
    fn bad_pages_are_errors_at_their_line() {
        let cases = [
            ("---\nmenu: true\n---\n", Some(2), "missing field `title`"),
            (
                "---\ntitle: \" \"\n---\n",
                Some(2),
                "title: must not be empty",
            ),
            (
                "---\ntitle: A\nslug: About Us\n---\n",
                Some(3),
                "slug: `About Us` is not a valid slug",
            ),
            (
                "---\ntitle: A\nmenus: true\n---\n",
                Some(3),
                "unknown field `menus`",
            ),
            (
                "---\ntitle: A\nweight: heavy\n---\n",
                Some(3),
                "weight: invalid type",
            ),
            (
                "---\ntitle: \"A\\x07\"\n---\n",
                Some(2),
                "title: contains U+0007",
            ),
        ];
        for (text, line, says) in cases {
            let found = found(text);
            assert_eq!(found.len(), 1, "{text}: {found:?}");
            assert_eq!(found[0].0, line, "{text}: {found:?}");
            assert!(found[0].1.contains(says), "{text}: {found:?}");
        }
    }
}
