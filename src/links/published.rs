//! Every external URL the site publishes, with each place that publishes
//! it: sources' `url` and `archive`, people's `links`, and the absolute
//! http(s) links of article, person and page bodies.

use std::borrow::Cow;
use std::cell::OnceCell;
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use crate::content::{Article, Person, Site, body_line};

/// Where a URL is published: the file and line a finding points at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Place {
    pub file: PathBuf,
    /// `None` when the URL could not be found in the file's text as
    /// written (a body link Markdown percent-encoded, say).
    pub line: Option<usize>,
    pub role: Role,
}

/// What the URL is to the place that publishes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Role {
    /// A source's `url`, with the key of its `archive` if it has one, and
    /// the day that copy was made if known (`archived:`, or the capture time
    /// in a Wayback-style URL), as readers see it.
    Original {
        source: String,
        archive: Option<String>,
        archived: Option<String>,
    },
    /// A source's `archive`, with the key of its `url` if it has one.
    Archive {
        source: String,
        original: Option<String>,
    },
    /// One of a person's `links`.
    PersonLink,
    /// A link in an article's, person's or page's body.
    BodyLink,
}

/// Each URL (as [`key`] writes it) with every place that publishes it.
pub(super) type Published = BTreeMap<String, Vec<Place>>;

/// Every URL `site` publishes. `text_of` gives a file's text, to find the
/// line of a link the model keeps no line for.
pub(super) fn published(site: &Site, text_of: &dyn Fn(&Path) -> Option<String>) -> Published {
    let mut published = Published::new();
    for article in &site.articles {
        sources(article, &mut published);
        // Read only if the body has a link to find: most have none.
        let read = OnceCell::new();
        let text = || read.get_or_init(|| text_of(&article.file)).as_deref();
        body_links(
            &article.file,
            &article.body_html.expand(),
            &text,
            &mut published,
        );
    }
    for person in site.people.values() {
        let read = OnceCell::new();
        let text = || read.get_or_init(|| text_of(&person.file)).as_deref();
        person_links(person, &text, &mut published);
        body_links(&person.file, &person.bio_html, &text, &mut published);
    }
    for page in &site.pages {
        let read = OnceCell::new();
        let text = || read.get_or_init(|| text_of(&page.file)).as_deref();
        body_links(&page.file, &page.body_html.expand(), &text, &mut published);
    }
    published
}

/// The URL as checked and cached: parsed, http(s), without its fragment
/// (which never reaches the server). `None` for anything else.
pub(super) fn key(url: &str) -> Option<String> {
    let mut url = url::Url::parse(url.trim()).ok()?;
    if !matches!(url.scheme(), "http" | "https") {
        return None;
    }
    url.set_fragment(None);
    Some(url.to_string())
}

fn sources(article: &Article, published: &mut Published) {
    for source in &article.sources {
        let original = source.url.as_deref().and_then(key);
        let archive = source.archive.as_deref().and_then(key);
        let place = |line, role| Place {
            file: article.file.clone(),
            line: Some(line),
            role,
        };
        if let Some(url) = original.clone() {
            let role = Role::Original {
                source: source.id.clone(),
                archive: archive.clone(),
                archived: source.archived.as_ref().map(crate::dates::long),
            };
            add(published, url, place(source.url_line, role));
        }
        if let Some(archive) = archive {
            let role = Role::Archive {
                source: source.id.clone(),
                original,
            };
            add(published, archive, place(source.archive_line, role));
        }
    }
}

/// The file's text, read when first needed.
type Text<'a> = dyn Fn() -> Option<&'a str> + 'a;

fn person_links(person: &Person, text: &Text, published: &mut Published) {
    if person.links.is_empty() {
        return;
    }
    let front_matter = text().map(|text| {
        let end = body_line(text).unwrap_or(usize::MAX);
        (lines_by_url(text, 1..end), field_line(text, "links", end))
    });
    for link in &person.links {
        let Some(url) = key(link) else { continue };
        let line = front_matter
            .as_ref()
            .and_then(|(lines, field)| lines.get(&url).copied().or(*field));
        let place = Place {
            file: person.file.clone(),
            line,
            role: Role::PersonLink,
        };
        add(published, url, place);
    }
}

/// The body's links, each once per file, at the first line linking to it.
fn body_links(file: &Path, html: &str, text: &Text, published: &mut Published) {
    let links: Vec<String> = hrefs(html).filter_map(|href| key(&href)).collect();
    if links.is_empty() {
        return;
    }
    let lines = text().map(|text| {
        let start = body_line(text).unwrap_or(1);
        lines_by_url(text, start..usize::MAX)
    });
    for url in links {
        let line = lines.as_ref().and_then(|lines| lines.get(&url).copied());
        let place = Place {
            file: file.to_path_buf(),
            line,
            role: Role::BodyLink,
        };
        add(published, url, place);
    }
}

/// Adds `place` to `url`'s places, unless a place of the same file and
/// role already is (a link repeated in one body).
fn add(published: &mut Published, url: String, place: Place) {
    let places = published.entry(url).or_default();
    let repeated = places.iter().any(|p| {
        p.file == place.file
            && p.role == place.role
            && (p.line == place.line || place.role == Role::BodyLink)
    });
    if !repeated {
        places.push(place);
    }
}

/// The targets of the `href` attributes of `html`, entities decoded, in
/// order. The HTML is annals' own rendering of Markdown (raw HTML kept as
/// written), in which text never holds a bare `"` or `<`, so an `href=`
/// after a space is an attribute.
pub(super) fn hrefs(html: &str) -> impl Iterator<Item = String> + '_ {
    // ASCII lowercasing keeps every byte offset.
    let lower = html.to_ascii_lowercase();
    let mut at = 0;
    std::iter::from_fn(move || {
        loop {
            let found = at + lower.get(at..)?.find("href")?;
            at = found + "href".len();
            let after_space = html[..found].ends_with(|c: char| c.is_ascii_whitespace());
            let rest = html[at..].trim_start();
            let Some(value) = rest.strip_prefix('=').map(str::trim_start) else {
                continue;
            };
            if !after_space {
                continue;
            }
            let (raw, length) = attribute_value(value);
            at = html.len() - value.len() + length;
            return Some(decode_entities(raw).into_owned());
        }
    })
}

/// An attribute's value at the start of `text`, quoted or not, and how
/// many bytes it took.
fn attribute_value(text: &str) -> (&str, usize) {
    match text.chars().next() {
        Some(quote @ ('"' | '\'')) => {
            let inner = &text[1..];
            let end = inner.find(quote).unwrap_or(inner.len());
            (&inner[..end], (end + 2).min(text.len()))
        }
        _ => {
            let end = text
                .find(|c: char| c.is_ascii_whitespace() || c == '>')
                .unwrap_or(text.len());
            (&text[..end], end)
        }
    }
}

/// The longest character reference [`decode_entities`] decodes, `&` to `;`
/// (`&#x0010FFFF;`, leading zeros allowed up to that).
const ENTITY_LENGTH: usize = 16;

/// `text` with HTML character references decoded: the five that escaping
/// writes, and numeric ones.
fn decode_entities(text: &str) -> Cow<'_, str> {
    if !text.contains('&') {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        // Only as far as the longest name decoded: a `;` further on would
        // be looked for again from each `&` before it.
        let end = rest.bytes().take(ENTITY_LENGTH).position(|b| b == b';');
        let decoded = end.and_then(|end| {
            let c = entity(&rest[1..end])?;
            Some((c, end + 1))
        });
        match decoded {
            Some((c, length)) => {
                out.push(c);
                rest = &rest[length..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    Cow::Owned(out)
}

/// The character an entity's name (between `&` and `;`) stands for.
fn entity(name: &str) -> Option<char> {
    let number = |digits: &str, radix| u32::from_str_radix(digits, radix).ok();
    let code = match name {
        "amp" => return Some('&'),
        "quot" => return Some('"'),
        "apos" => return Some('\''),
        "lt" => return Some('<'),
        "gt" => return Some('>'),
        _ => match name.strip_prefix('#')? {
            hex if hex.starts_with(['x', 'X']) => number(&hex[1..], 16)?,
            decimal => number(decimal, 10)?,
        },
    };
    char::from_u32(code)
}

/// URLs looked for in one word of text.
const URLS_PER_WORD: usize = 4;

/// The first line of each URL (as [`key`] writes it) written in the lines
/// `lines` (1-based, end excluded) of `text`. A URL is found as written
/// (`HTTPS://Example.org`, `ü` where the model keeps `%C3%BC`), with or
/// without the punctuation Markdown and YAML put after one (`)`, `]`,
/// `,`). One pass over the text, whatever the number of links.
fn lines_by_url(text: &str, lines: std::ops::Range<usize>) -> HashMap<String, usize> {
    let mut found = HashMap::new();
    let numbered = text.lines().enumerate().map(|(i, line)| (i + 1, line));
    for (number, line) in numbered.filter(|(n, _)| lines.contains(n)) {
        // ASCII lowercasing keeps every byte offset.
        let lower = line.to_ascii_lowercase();
        // Where the word of the last match ends, and how many matches it
        // held: a word is read for its first few URLs only (an archive's
        // URL holds the original's; `[url](url)` is one word), or a line
        // of one long word full of `http` would be read over and over.
        let (mut word_end, mut in_word) = (0, 0);
        for (start, _) in lower.match_indices("http") {
            if start < word_end {
                in_word += 1;
                if in_word >= URLS_PER_WORD {
                    continue;
                }
            } else {
                let rest = &line[start..];
                let length = rest
                    .find(|c: char| c.is_whitespace() || matches!(c, '"' | '\'' | '<' | '>' | '`'))
                    .unwrap_or(rest.len());
                (word_end, in_word) = (start + length, 0);
            }
            let mut word = &line[start..word_end];
            // A few trailing marks at most: `[a](https://x/y_(z)),`.
            for _ in 0..5 {
                if let Some(url) = key(word) {
                    found.entry(url).or_insert(number);
                }
                match word.strip_suffix([')', ']', '}', ',', '.', ';', ':', '!', '?', '*', '_']) {
                    Some(shorter) => word = shorter,
                    None => break,
                }
            }
        }
    }
    found
}

/// The line of the top-level field `name:` before line `end`.
fn field_line(text: &str, name: &str, end: usize) -> Option<usize> {
    let prefix = format!("{name}:");
    let mut front_matter = text.lines().take(end.saturating_sub(1));
    let line = front_matter.position(|l| l.starts_with(&prefix))?;
    Some(line + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hrefs_are_found_quoted_or_not_and_decoded() {
        let html = r#"<p><a href="https://a.example/x?b=1&amp;c=2">x</a>
<a class="y" HREF='https://b.example/&#x27;q&#39;'>y</a> <a href=https://c.example/z>z</a>
<a data-href="https://no.example/">n</a> <img src="https://img.example/">
<a href = "/people/ada/">ada</a></p>"#;
        let found: Vec<String> = hrefs(html).collect();
        assert_eq!(
            found,
            [
                "https://a.example/x?b=1&c=2",
                "https://b.example/'q'",
                "https://c.example/z",
                "/people/ada/",
            ]
        );
        assert_eq!(hrefs("<a href").count(), 0);
        assert_eq!(hrefs("<a href=\"https://unclosed").count(), 1);
    }

    #[test]
    fn keys_are_http_urls_without_fragments() {
        assert_eq!(
            key("https://Example.org#top").as_deref(),
            Some("https://example.org/")
        );
        assert_eq!(
            key(" http://a.example/p?q=1#x ").as_deref(),
            Some("http://a.example/p?q=1")
        );
        assert_eq!(key("/people/ada/"), None);
        assert_eq!(key("mailto:a@example.org"), None);
        assert_eq!(key("source:briefing"), None);
    }

    #[test]
    fn entities_are_decoded_and_stray_ampersands_kept() {
        assert_eq!(decode_entities("a&amp;b&lt;&#65;&#x42;"), "a&b<AB");
        assert_eq!(
            decode_entities("a & b &unknown; &#xZZ;"),
            "a & b &unknown; &#xZZ;"
        );
        let far = format!("{};", "&".repeat(100_000));
        assert_eq!(decode_entities(&far), far, "no name is that long");
    }

    #[test]
    fn urls_are_found_on_their_first_line_as_written() {
        let text = "---\nlinks: [HTTPS://A.example, \"https://b.example/\"]\n---\n\
                    See [x](https://c.example/y_(z)) and <https://d.example/ü>.\n\
                    Again [x](https://c.example/y_(z)).\n";
        let lines = lines_by_url(text, 1..usize::MAX);
        assert_eq!(lines.get("https://a.example/"), Some(&2));
        assert_eq!(lines.get("https://b.example/"), Some(&2));
        assert_eq!(lines.get("https://c.example/y_(z)"), Some(&4));
        assert_eq!(lines.get("https://d.example/%C3%BC"), Some(&4));
        let body = lines_by_url(text, 4..usize::MAX);
        let linked = lines_by_url("[https://e.example](https://f.example/)", 1..2);
        assert_eq!(linked.get("https://f.example/"), Some(&1));
        assert_eq!(body.get("https://a.example/"), None);
        assert_eq!(field_line(text, "links", 3), Some(2));
    }

    #[test]
    fn a_long_word_full_of_http_is_read_for_its_first_urls_only() {
        // Read whole at every `http` in it, this line would take minutes.
        let line = format!("https://a.example/{}", "http".repeat(250_000));
        let lines = lines_by_url(&line, 1..2);
        assert_eq!(lines.get(&line), Some(&1));
        assert_eq!(lines.len(), 1, "the rest are no URLs");
    }
}
