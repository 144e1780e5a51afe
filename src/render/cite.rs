//! Ready citations ("cite this"): plain text, BibTeX and CSL-JSON, for an
//! article and for each statement. A statement's citation names its speaker
//! and the original source, as research archives ask ("cite the original"),
//! and points to this record for where it was found. No clock: the only
//! access date is the one the editor wrote (`accessed:`).

use serde::Serialize;
use serde_json::{Value, json};

use super::Renderer;
use super::feeds::shorten;
use crate::content::{Article, Delivery, Moment, Precision, Statement};

/// One thing to cite, in each format.
#[derive(Serialize)]
pub(crate) struct CiteView {
    pub text: String,
    pub bibtex: String,
    /// A CSL-JSON array of one item, on one line: pages carry one per
    /// statement.
    pub csl: String,
}

/// How long a statement's words may be as a citation's title.
const TITLE_CHARS: usize = 120;

impl Renderer<'_> {
    /// An article, published by the site.
    pub(crate) fn article_citation(&self, article: &Article) -> CiteView {
        let site = &self.site.config.title;
        let url = self.absolute(&self.urls.article(&article.slug));
        let date = crate::dates::long(&article.date);
        let title = &article.title;
        let mut text = format!("“{title}{}” {site}, {date}. {url}", stop(title));
        let modified = article.modified();
        if modified != &article.date {
            text.push_str(&format!(" (updated {}).", crate::dates::long(modified)));
        }
        let bibtex = bibtex(
            "online",
            &article.slug,
            &[
                ("title", &article.title),
                ("organization", site),
                ("date", article.date.calendar()),
                ("url", &url),
            ],
        );
        let csl = csl(json!({
            "id": article.slug,
            "type": "webpage",
            "title": article.title,
            "container-title": site,
            "publisher": site,
            "issued": date_parts(&article.date),
            "URL": url,
        }));
        CiteView { text, bibtex, csl }
    }

    /// A statement of `article`: its speaker's words, cited to its source,
    /// with this record's permalink as where it was found.
    pub(crate) fn statement_citation(&self, article: &Article, statement: &Statement) -> CiteView {
        let speaker = &self.site.people[&statement.person].name;
        let source = &article.sources[statement.source];
        let words = statement.words.text();
        let title = match statement.words.kind() {
            "quote" => format!("“{}”", shorten(words, TITLE_CHARS)),
            _ => format!("[Paraphrase] {}", shorten(words, TITLE_CHARS)),
        };
        let permalink = format!(
            "{}#{}",
            self.absolute(&self.urls.article(&article.slug)),
            statement.id
        );
        let found = format!("Recorded in {}: {permalink}", self.site.config.title);
        let original = [
            Some(source.publisher.name.as_str()),
            source.title.as_deref(),
        ]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(", ");
        let mut text = format!(
            "{speaker}. {}{} {}",
            title,
            stop(&title),
            crate::dates::long(&statement.date)
        );
        if let Some(delivery) = statement.delivery {
            text.push_str(&format!(", {}", delivery.words()));
        }
        text.push_str(&format!(". {original}"));
        if let Some(date) = &source.date {
            text.push_str(&format!(", {}", crate::dates::long(date)));
        }
        text.push('.');
        if let Some(url) = &source.url {
            text.push_str(&format!(" {url}."));
        }
        if let Some(accessed) = &source.accessed {
            text.push_str(&format!(" Accessed {}.", crate::dates::long(accessed)));
        }
        text.push_str(&format!(" {found}."));
        let url = source.url.as_deref().unwrap_or(&permalink);
        let mut fields = vec![
            ("author", speaker.as_str()),
            ("title", title.as_str()),
            ("date", statement.date.calendar()),
            ("howpublished", original.as_str()),
            ("url", url),
        ];
        if let Some(accessed) = &source.accessed {
            fields.push(("urldate", accessed.calendar()));
        }
        fields.push(("note", found.as_str()));
        let bibtex = bibtex("misc", &statement.id, &fields);
        let csl = csl(json!({
            "id": statement.id,
            "type": csl_type(statement.delivery),
            "author": [{ "literal": speaker }],
            "title": title,
            "issued": date_parts(&statement.date),
            "publisher": source.publisher.name,
            "container-title": source.title,
            "URL": url,
            "accessed": source.accessed.as_ref().map(date_parts),
            "genre": statement.delivery.map(Delivery::words),
            "note": found,
        }));
        CiteView { text, bibtex, csl }
    }
}

/// The full stop after `text` in a sentence, unless it ends with one (or
/// with a quotation mark, which holds its own).
fn stop(text: &str) -> &'static str {
    match text.chars().last() {
        Some('.' | '?' | '!' | '”' | '…') => "",
        _ => ".",
    }
}

/// The CSL item type for how the words were delivered.
fn csl_type(delivery: Option<Delivery>) -> &'static str {
    match delivery {
        Some(Delivery::Post) => "post",
        Some(Delivery::Written | Delivery::Readout) => "document",
        _ => "speech",
    }
}

/// CSL-JSON's date: as precise as the date was written.
fn date_parts(moment: &Moment) -> Value {
    let date = moment.date;
    let parts = match moment.precision {
        Precision::Year => json!([date.year()]),
        Precision::Month => json!([date.year(), date.month()]),
        Precision::Day | Precision::Time => json!([date.year(), date.month(), date.day()]),
    };
    json!({ "date-parts": [parts] })
}

/// A CSL-JSON array of `item`, its empty fields left out.
fn csl(mut item: Value) -> String {
    if let Value::Object(fields) = &mut item {
        fields.retain(|_, value| !value.is_null());
    }
    serde_json::to_string(&[item]).unwrap_or_default()
}

/// A BibTeX entry. Every value is braced and escaped, and names are
/// braced twice so that an organisation's name is never split into a
/// first and last name.
fn bibtex(kind: &str, key: &str, fields: &[(&str, &str)]) -> String {
    let mut entry = format!("@{kind}{{{},\n", bibtex_key(key));
    for (name, value) in fields {
        let value = escape(value);
        match *name {
            "author" | "organization" | "title" => {
                entry.push_str(&format!("  {name} = {{{{{value}}}}},\n"));
            }
            "url" => entry.push_str(&format!("  {name} = {{{}}},\n", escape_url(value.as_str()))),
            _ => entry.push_str(&format!("  {name} = {{{value}}},\n")),
        }
    }
    entry.push('}');
    entry
}

/// A citation key: letters, digits and `-`, as slugs and ids already are.
fn bibtex_key(key: &str) -> String {
    key.chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
        .collect()
}

/// Text safe inside a braced BibTeX value: TeX's special characters
/// escaped, so that no brace of the text can end the value.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\textbackslash{}"),
            '{' | '}' | '&' | '%' | '$' | '#' | '_' => {
                out.push('\\');
                out.push(c);
            }
            '^' => out.push_str("\\^{}"),
            '~' => out.push_str("\\~{}"),
            '\n' | '\r' | '\t' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// A URL as BibTeX tools read it: its characters as written but `%`,
/// `{`, `}` and `\`, which would break the value (already escaped by
/// [`escape`]; `_`, `&`, `#` are put back, since `url` fields are verbatim).
fn escape_url(escaped: &str) -> String {
    escaped
        .replace("\\_", "_")
        .replace("\\&", "&")
        .replace("\\#", "#")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bibtex_values_cannot_close_early() {
        let entry = bibtex("misc", "a b{c}", &[("title", "x} @misc{evil, 50% & \\end")]);
        assert_eq!(
            entry,
            "@misc{abc,\n  title = {{x\\} @misc\\{evil, 50\\% \\& \\textbackslash{}end}},\n}"
        );
    }

    #[test]
    fn dates_are_as_precise_as_written() {
        let parts = |text| date_parts(&Moment::parse_partial(text).expect("a date"));
        assert_eq!(parts("2021")["date-parts"], json!([[2021]]));
        assert_eq!(parts("2021-05")["date-parts"], json!([[2021, 5]]));
        assert_eq!(
            parts("2021-05-17T23:30:00-04:00")["date-parts"],
            json!([[2021, 5, 17]])
        );
    }
}
