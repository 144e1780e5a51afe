//! Markdown → HTML with pulldown-cmark, plus heading anchors and the first
//! paragraph as plain text (the default summary).

use pulldown_cmark::{CowStr, Event, Options, Parser, Tag, html};

use crate::slug::slugify;

/// A rendered Markdown body.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Rendered {
    pub html: String,
    /// Plain text of the first paragraph, whitespace collapsed.
    pub first_paragraph: String,
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
pub fn render(markdown: &str) -> Rendered {
    let mut events: Vec<Event> = Parser::new_ext(markdown, options()).collect();
    add_heading_ids(&mut events);
    let first_paragraph = first_paragraph(&events);
    let mut html = String::with_capacity(markdown.len() * 3 / 2);
    html::push_html(&mut html, events.into_iter());
    Rendered {
        html,
        first_paragraph,
    }
}

fn add_heading_ids(events: &mut [Event]) {
    let mut used = std::collections::HashSet::new();
    let mut index = 0;
    while index < events.len() {
        if let Event::Start(Tag::Heading { id, .. }) = &events[index] {
            let text = text_until_end(&events[index + 1..]);
            let explicit = id.as_ref().map(|id| id.to_string());
            let base = explicit.unwrap_or_else(|| match slugify(&text) {
                s if s.is_empty() => "section".to_owned(),
                s => s,
            });
            let mut unique = base.clone();
            let mut n = 1;
            while !used.insert(unique.clone()) {
                unique = format!("{base}-{n}");
                n += 1;
            }
            if let Event::Start(Tag::Heading { id, .. }) = &mut events[index] {
                *id = Some(CowStr::from(unique));
            }
        }
        index += 1;
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

    #[test]
    fn headings_get_unique_anchors() {
        let out = render("## Who said what\n\n## Who said what\n\n## Custom {#mine}\n");
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
    fn extensions_are_on() {
        let out = render("| a |\n|---|\n| b |\n\n~~x~~ \"q\" note[^1]\n\n[^1]: n\n");
        assert!(out.html.contains("<table>"));
        assert!(out.html.contains("<del>x</del>"));
        assert!(out.html.contains("“q”"));
        assert!(out.html.contains("footnote"));
    }

    #[test]
    fn first_paragraph_is_plain_text() {
        let out = render("# Title\n\n- a list\n\nThe *first*\nparagraph.\n\nSecond.");
        assert_eq!(out.first_paragraph, "The first paragraph.");
        assert_eq!(render("").first_paragraph, "");
    }
}
