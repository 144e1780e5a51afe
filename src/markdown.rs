//! Markdown → HTML with pulldown-cmark: heading anchors, the first paragraph
//! as plain text (the default summary), the body's internal links (for
//! checking), inline citations of the article's sources (`[text](source:id)`),
//! and optional removal of raw HTML.

use pulldown_cmark::{CowStr, Event, Options, Parser, Tag, html};

use crate::slug::slugify;

/// A rendered Markdown body.
#[derive(Debug, Default, PartialEq, Eq)]
pub(crate) struct Rendered {
    pub html: String,
    /// Plain text of the first paragraph, whitespace collapsed.
    pub first_paragraph: String,
    /// Plain text of the whole document, for the search index.
    pub text: String,
    /// Link targets inside the site (`/people/x/`, or relative ones, which
    /// are flagged) with their byte offsets in the Markdown, for checking.
    pub internal_links: Vec<(String, usize)>,
    /// Positions (in the given source ids) of the sources cited inline.
    pub citations: Vec<usize>,
    /// `source:` links naming no source, with their byte offsets.
    pub unknown_citations: Vec<(String, usize)>,
    /// With [`RawHtml::Strip`], where the HTML first nests deeper than
    /// [`MAX_NESTING`] (a byte offset): then it is not cleaned but refused.
    pub too_deep: Option<usize>,
}

/// How deep the elements of a text may nest when its HTML is cleaned:
/// cleaning takes time growing with the square of the depth (11 s at
/// 40,000 nested quotes), and no page needs a tenth of this.
pub(crate) const MAX_NESTING: usize = 512;

/// The scheme of an inline citation: `[the Times](source:nyt)` links to the
/// article's source `nyt` in its numbered source list.
pub(crate) const CITATION_SCHEME: &str = "source:";

/// The anchor of the `position`th (0-based) source in an article's list.
pub(crate) fn source_anchor(position: usize) -> String {
    format!("source-{}", position + 1)
}

/// `html` with its inline citations (`href="source:id"`) pointed at the
/// anchors of `sources` (ids in list order), as [`render`] points an
/// original's: a translation is parsed without its original's sources, so
/// its citations are resolved when its page is rendered. An id not among
/// `sources` (reported when the site is assembled) keeps its link.
pub(crate) fn cite_in_html<'h>(html: &'h str, sources: &[&str]) -> std::borrow::Cow<'h, str> {
    const LINK: &str = "href=\"source:";
    if !html.contains(LINK) {
        return std::borrow::Cow::Borrowed(html);
    }
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(at) = rest.find(LINK) {
        let (before, after) = rest.split_at(at);
        out.push_str(before);
        let target = &after[LINK.len()..];
        let id = &target[..target.find('"').unwrap_or(target.len())];
        match sources.iter().position(|s| *s == id) {
            Some(position) => {
                out.push_str(&format!("href=\"#{}", source_anchor(position)));
                rest = &target[id.len()..];
            }
            None => {
                out.push_str(LINK);
                rest = target;
            }
        }
    }
    out.push_str(rest);
    std::borrow::Cow::Owned(out)
}

/// What to do with raw HTML written in Markdown (`markdown.raw_html`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum RawHtml {
    /// Editors are trusted: raw HTML is kept as written.
    #[default]
    Keep,
    /// Scripts, event handlers and other unsafe HTML are removed.
    Strip,
}

fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_SMART_PUNCTUATION
        | Options::ENABLE_HEADING_ATTRIBUTES
}

/// Renders `markdown`. Headings without an explicit `{#id}` get one from
/// their text, made unique within the document so every anchor resolves.
/// `sources` are the ids inline citations may name.
pub(crate) fn render(markdown: &str, raw_html: RawHtml, sources: &[&str]) -> Rendered {
    let (mut events, offsets): (Vec<Event>, Vec<usize>) = Parser::new_ext(markdown, options())
        .into_offset_iter()
        .map(|(e, r)| (e, r.start))
        .unzip();
    add_heading_ids(&mut events);
    let (citations, unknown_citations) = resolve_citations(&mut events, &offsets, sources);
    let first_paragraph = first_paragraph(&events);
    let text = plain_text(&events);
    let internal_links = internal_links(&events, &offsets);
    let too_deep = match raw_html {
        RawHtml::Strip => too_deep(&events, &offsets),
        RawHtml::Keep => None,
    };
    let mut html = String::with_capacity(markdown.len() * 3 / 2);
    html::push_html(&mut html, events.into_iter());
    if raw_html == RawHtml::Strip {
        html = match too_deep {
            Some(_) => String::new(),
            None => sanitizer().clean(&html).to_string(),
        };
    }
    // Kept for the whole build: give back what growing it left spare.
    html.shrink_to_fit();
    Rendered {
        html,
        first_paragraph,
        text,
        internal_links,
        citations,
        unknown_citations,
        too_deep,
    }
}

/// Where the elements of the text first nest deeper than [`MAX_NESTING`]:
/// Markdown's (quotes, lists) and raw HTML's together, as the cleaner
/// sees them.
fn too_deep(events: &[Event], offsets: &[usize]) -> Option<usize> {
    let mut depth = 0usize;
    for (event, &offset) in events.iter().zip(offsets) {
        let deepest = match event {
            Event::Start(_) => {
                depth += 1;
                depth
            }
            Event::End(_) => {
                depth = depth.saturating_sub(1);
                depth
            }
            Event::Html(raw) | Event::InlineHtml(raw) => html_nesting(raw, &mut depth),
            _ => depth,
        };
        if deepest > MAX_NESTING {
            return Some(offset);
        }
    }
    None
}

/// Elements that never hold others (void) or that the next one closes
/// when their end tag is left out: they add no depth.
const FLAT: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
    "track", "wbr", "p", "li", "dt", "dd", "tr", "td", "th", "option", "optgroup", "thead",
    "tbody", "tfoot", "colgroup", "caption", "rt", "rp",
];

/// Follows the tags of raw HTML from `depth`; returns the deepest reached,
/// stopping once past [`MAX_NESTING`]. A tag ends at the next `>` or `<`,
/// whichever comes first, so each byte is read once however the tags are
/// (un)closed.
fn html_nesting(raw: &str, depth: &mut usize) -> usize {
    let mut deepest = *depth;
    let mut rest = raw;
    while let Some(at) = rest.find('<') {
        rest = &rest[at + 1..];
        let end = rest.find(['<', '>']).unwrap_or(rest.len());
        let (tag, closing) = match rest[..end].strip_prefix('/') {
            Some(tag) => (tag, true),
            None => (&rest[..end], false),
        };
        let name: String = (tag.chars())
            .take_while(char::is_ascii_alphanumeric)
            .map(|c| c.to_ascii_lowercase())
            .collect();
        if !name.starts_with(|c: char| c.is_ascii_alphabetic()) || FLAT.contains(&name.as_str()) {
            continue;
        }
        if closing {
            *depth = depth.saturating_sub(1);
        } else if !tag.ends_with('/') {
            *depth += 1;
            deepest = deepest.max(*depth);
            if deepest > MAX_NESTING {
                break;
            }
        }
    }
    deepest
}

/// Points `source:id` links at the source's anchor; returns the positions
/// cited and the links whose id is not in `sources`.
fn resolve_citations(
    events: &mut [Event],
    offsets: &[usize],
    sources: &[&str],
) -> (Vec<usize>, Vec<(String, usize)>) {
    let (mut cited, mut unknown) = (Vec::new(), Vec::new());
    let position_of: std::collections::HashMap<&str, usize> =
        sources.iter().enumerate().map(|(i, id)| (*id, i)).collect();
    for (event, &offset) in events.iter_mut().zip(offsets) {
        let Event::Start(Tag::Link { dest_url, .. }) = event else {
            continue;
        };
        let Some(id) = dest_url.strip_prefix(CITATION_SCHEME) else {
            continue;
        };
        match position_of.get(id).copied() {
            Some(position) => {
                cited.push(position);
                *dest_url = CowStr::from(format!("#{}", source_anchor(position)));
            }
            None => unknown.push((id.to_owned(), offset)),
        }
    }
    (cited, unknown)
}

/// ammonia's safe defaults, keeping the ids and classes our Markdown output
/// uses for heading anchors and footnotes.
fn sanitizer() -> ammonia::Builder<'static> {
    let mut builder = ammonia::Builder::default();
    builder
        .add_generic_attributes(["id", "class"])
        .link_rel(None);
    builder
}

fn internal_links(events: &[Event], offsets: &[usize]) -> Vec<(String, usize)> {
    events
        .iter()
        .zip(offsets)
        .filter_map(|(event, &offset)| match event {
            // An image is a link too: to a file of `static/`.
            Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. })
                if is_internal(dest_url) =>
            {
                Some((dest_url.to_string(), offset))
            }
            _ => None,
        })
        .collect()
}

/// A link into the site: no scheme (`https:`, `mailto:`), not
/// protocol-relative (`//host/`), not an anchor on the same page.
fn is_internal(target: &str) -> bool {
    !target.starts_with('#') && !target.starts_with("//") && url::Url::parse(target).is_err()
}

fn add_heading_ids(events: &mut [Event]) {
    let mut used = std::collections::HashSet::new();
    // The next suffix to try for each base: probing `same-1`, `same-2`, …
    // from 1 again for every heading would be quadratic in their number.
    let mut next: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    for index in 0..events.len() {
        let Event::Start(Tag::Heading { id, .. }) = &events[index] else {
            continue;
        };
        let explicit = id.as_ref().map(|id| id.to_string());
        let base =
            explicit.unwrap_or_else(|| match slugify(&text_until_end(&events[index + 1..])) {
                s if s.is_empty() => "section".to_owned(),
                s => s,
            });
        let mut unique = base.clone();
        let n = next.entry(base.clone()).or_insert(1);
        while !used.insert(unique.clone()) {
            unique = format!("{base}-{n}");
            *n += 1;
        }
        if let Event::Start(Tag::Heading { id, .. }) = &mut events[index] {
            *id = Some(CowStr::from(unique));
        }
    }
}

/// Concatenated text and code of `events` up to the end of the current block.
fn text_until_end(events: &[Event]) -> String {
    let mut text = String::new();
    let mut depth = 0usize;
    for event in events {
        match event {
            Event::Start(_) => depth += 1,
            Event::End(_) if depth == 0 => break,
            Event::End(_) => depth -= 1,
            Event::Text(t) | Event::Code(t) => text.push_str(t),
            Event::SoftBreak | Event::HardBreak => text.push(' '),
            _ => {}
        }
    }
    text
}

/// Text and code of `events`, a space between blocks so words stay apart.
fn plain_text(events: &[Event]) -> String {
    let mut text = String::new();
    for event in events {
        match event {
            Event::Text(t) | Event::Code(t) => text.push_str(t),
            Event::SoftBreak | Event::HardBreak | Event::End(_) if !text.ends_with(' ') => {
                text.push(' ')
            }
            _ => {}
        }
    }
    text.truncate(text.trim_end().len());
    text
}

fn first_paragraph(events: &[Event]) -> String {
    let mut depth = 0usize;
    for (index, event) in events.iter().enumerate() {
        match event {
            // Only a top-level paragraph: not one inside a list, quote or footnote.
            Event::Start(Tag::Paragraph) if depth == 0 => {
                let text = text_until_end(&events[index + 1..]);
                return text.split_whitespace().collect::<Vec<_>>().join(" ");
            }
            Event::Start(_) => depth += 1,
            Event::End(_) => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    String::new()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keep(markdown: &str) -> Rendered {
        render(markdown, RawHtml::Keep, &[])
    }

    #[test]
    fn a_translations_citations_point_at_its_originals_sources() {
        let html = keep("Per [the Times](source:nyt) and [a ghost](source:nope).").html;
        let cited = cite_in_html(&html, &["wapo", "nyt"]);
        assert!(cited.contains(r##"href="#source-2""##), "{cited}");
        assert!(cited.contains(r#"href="source:nope""#), "{cited}");
        assert!(matches!(
            cite_in_html("<p>x</p>", &[]),
            std::borrow::Cow::Borrowed(_)
        ));
    }

    #[test]
    fn headings_get_unique_anchors() {
        let out = keep("## Who said what\n\n## Who said what\n\n## Custom {#mine}\n");
        assert!(
            out.html.contains(r#"<h2 id="who-said-what">"#),
            "{}",
            out.html
        );
        assert!(
            out.html.contains(r#"<h2 id="who-said-what-1">"#),
            "{}",
            out.html
        );
        assert!(out.html.contains(r#"<h2 id="mine">"#), "{}", out.html);
    }

    #[test]
    fn repeated_headings_and_explicit_ids_never_share_an_anchor() {
        let out = keep("## A\n\n## A {#a-2}\n\n## A\n\n## A\n\n## A-1\n");
        let ids: Vec<&str> = out
            .html
            .split("id=\"")
            .skip(1)
            .filter_map(|s| s.split('"').next())
            .collect();
        assert_eq!(ids, ["a", "a-2", "a-1", "a-3", "a-1-1"]);
    }

    #[test]
    fn extensions_are_on() {
        let out = keep("| a |\n|---|\n| b |\n\n~~x~~ \"q\" note[^1]\n\n[^1]: n\n");
        assert!(out.html.contains("<table>"));
        assert!(out.html.contains("<del>x</del>"));
        assert!(out.html.contains("“q”"));
        assert!(out.html.contains("footnote"));
    }

    #[test]
    fn first_paragraph_is_plain_text() {
        let out = keep("# Title\n\n- a list\n\nThe *first*\nparagraph.\n\nSecond.");
        assert_eq!(out.first_paragraph, "The first paragraph.");
        assert_eq!(keep("").first_paragraph, "");
        assert_eq!(out.text, "Title a list The first paragraph. Second.");
    }

    const HOSTILE: &str = "Hi <script>alert(1)</script><img src=x onerror=alert(2)> [a](/people/x/) [b](https://e.org/)\n\n<div onclick=\"x()\">d</div>\n";

    #[test]
    fn raw_html_is_kept_or_stripped() {
        assert!(keep(HOSTILE).html.contains("<script>"));
        let stripped = render(HOSTILE, RawHtml::Strip, &[]);
        for unsafe_part in ["<script", "onerror", "onclick"] {
            assert!(!stripped.html.contains(unsafe_part), "{}", stripped.html);
        }
        assert!(
            stripped.html.contains("href=\"/people/x/\""),
            "{}",
            stripped.html
        );
        assert_eq!(
            stripped.internal_links,
            vec![("/people/x/".to_owned(), HOSTILE.find("[a]").unwrap_or(0))]
        );
    }

    #[test]
    fn html_too_deep_to_clean_is_refused_where_it_gets_too_deep() {
        let strip = |text: &str| render(text, RawHtml::Strip, &[]);
        let quotes = format!("Fine.\n\n{}deep", "> ".repeat(MAX_NESTING + 10));
        // The quote that passes the limit: the 513th `> ` after `Fine.\n\n`.
        assert_eq!(strip(&quotes).too_deep, Some(7 + 2 * MAX_NESTING));
        let divs = format!("{}x{}", "<div>".repeat(40_000), "</div>".repeat(40_000));
        assert_eq!(strip(&divs).too_deep, Some(0));
        assert_eq!(strip(&divs).html, "");
        assert_eq!(
            render(&divs, RawHtml::Keep, &[]).too_deep,
            None,
            "only cleaning is slow"
        );
        // Elements that close themselves or hold nothing add no depth.
        let flat = "<p>one <br> <img src=x> <li>item <span/>\n".repeat(2_000);
        assert_eq!(strip(&flat).too_deep, None);
        let closed = "<div><b>x</b></div>\n\n".repeat(2_000);
        assert_eq!(strip(&closed).too_deep, None);
        // Tags never ended by `>` are read once each, and add no depth
        // when each is closed.
        let unended = format!("<div {}", "</b <b ".repeat(100_000));
        assert_eq!(strip(&unended).too_deep, None);
    }

    #[test]
    fn stripping_keeps_heading_anchors_and_footnotes() {
        let out = render("## Title\n\nText[^1]\n\n[^1]: Note\n", RawHtml::Strip, &[]);
        assert!(out.html.contains("id=\"title\""), "{}", out.html);
        assert!(out.html.contains("footnote"), "{}", out.html);
    }

    #[test]
    fn citations_link_to_the_source_list_and_unknown_ids_are_reported() {
        let text = "Per [the Times](source:nyt) and [a ghost](source:nope).";
        let out = render(text, RawHtml::Keep, &["readout", "nyt"]);
        assert!(out.html.contains("href=\"#source-2\""), "{}", out.html);
        assert_eq!(out.citations, vec![1]);
        assert_eq!(
            out.unknown_citations,
            vec![("nope".to_owned(), text.find("[a ghost]").unwrap_or(0))]
        );
    }
}
