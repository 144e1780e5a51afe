//! Ready citations ("cite this") for an article and each statement: plain
//! text in the page, and the data of a CSL-JSON item each, which the page
//! carries once (`#citations`) and `cite.js` shows as CSL-JSON and as
//! BibTeX. Three formats of every statement written into the HTML were a
//! third of an article page; a statement's item names its source by number,
//! so that the page says each source and its own address once.
//! A statement's citation names its speaker and the original source, as
//! research archives ask ("cite the original"), and points to this record
//! for where it was found. No clock: the only access date is the one the
//! editor wrote (`accessed:`).

use serde::Serialize;
use serde_json::{Map, Value, json};

use super::Renderer;
use super::feeds::shorten;
use crate::content::{Article, Delivery, Moment, Precision, Statement};

/// One thing to cite: its plain-text citation, and the key of its CSL-JSON
/// item in the page's citations.
#[derive(Serialize)]
pub(crate) struct CiteView {
    pub text: String,
    pub key: String,
}

/// A citation: what the page shows, and its CSL-JSON item (a statement's
/// without what its source and the page say, see [`Renderer::citation_data`]).
pub(crate) struct Citation {
    pub view: CiteView,
    pub csl: Value,
}

/// How long a statement's words may be as a citation's title.
const TITLE_CHARS: usize = 120;

impl Renderer<'_> {
    /// An article, published by the site.
    pub(crate) fn article_citation(&self, article: &Article) -> Citation {
        let site = self.titles().title;
        let url = self.absolute(&self.urls.article(&article.slug));
        let dates = self.ui.dates();
        let date = dates.long(&article.date);
        // The title the cited page shows: its translation's, on its page.
        let title = (self.article_translation(article)).map_or(&article.title, |t| &t.title);
        // The language's comma: `، ` in Arabic.
        let comma = self.ui.text("count_separator");
        let mut text = format!("“{title}{}” {site}{comma}{date}. {url}", stop(title));
        let modified = article.modified();
        if modified != &article.date {
            let updated = self.ui.text("updated");
            text.push_str(&format!(" ({updated} {}).", dates.long(modified)));
        }
        let csl = csl(json!({
            "type": "webpage",
            "title": title,
            "container-title": site,
            "publisher": site,
            "issued": date_parts(&article.date),
            "URL": url,
        }));
        let key = article.slug.clone();
        Citation {
            view: CiteView { text, key },
            csl,
        }
    }

    /// A statement of `article`: its speaker's words, cited to its source,
    /// with this record's permalink as where it was found.
    pub(crate) fn statement_citation(&self, article: &Article, statement: &Statement) -> Citation {
        let person = &self.site.people[&statement.person];
        let speaker = (self.person_translation(person)).map_or(&person.name, |t| &t.name);
        let source = &article.sources[statement.source];
        let words = statement.words.text();
        let title = match statement.words.kind() {
            "quote" => format!("“{}”", shorten(words, TITLE_CHARS)),
            _ => format!("[{}] {}", self.paraphrase(), shorten(words, TITLE_CHARS)),
        };
        let dates = self.ui.dates();
        let permalink = format!(
            "{}#{}",
            self.absolute(&self.urls.article(&article.slug)),
            statement.id
        );
        let found = format!("{}: {permalink}", self.recorded_in());
        let comma = self.ui.text("count_separator");
        let original = [
            Some(source.publisher.name.as_str()),
            source.title.as_deref(),
        ]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(comma);
        let mut text = format!(
            "{speaker}. {}{} {}",
            title,
            stop(&title),
            dates.long(&statement.date)
        );
        let delivery = statement.delivery.map(|d| self.ui.text(d.key()));
        if let Some(delivery) = delivery {
            text.push_str(&format!("{comma}{delivery}"));
        }
        text.push_str(&format!(". {original}"));
        if let Some(date) = &source.date {
            text.push_str(&format!("{comma}{}", dates.long(date)));
        }
        text.push('.');
        if let Some(url) = &source.url {
            text.push_str(&format!(" {url}."));
        }
        if let Some(accessed) = &source.accessed {
            let label = self.ui.text("accessed");
            text.push_str(&format!(" {label} {}.", dates.long(accessed)));
        }
        text.push_str(&format!(" {found}."));
        let csl = csl(json!({
            "type": csl_type(statement.delivery),
            "author": [{ "literal": speaker }],
            "title": title,
            "issued": date_parts(&statement.date),
            "genre": delivery,
            "source": statement.source,
        }));
        let key = statement.id.clone();
        Citation {
            view: CiteView { text, key },
            csl,
        }
    }
}

impl Renderer<'_> {
    /// What `#citations` carries for `article`: the `items` by key, each
    /// article source once (a statement's item names it by `source`), and
    /// the page, from which `cite.js` makes a statement's permalink and note.
    pub(crate) fn citation_data(&self, article: &Article, items: Map<String, Value>) -> Value {
        let sources: Vec<Value> = (article.sources.iter())
            .map(|source| {
                csl(json!({
                    "publisher": source.publisher.name,
                    "container-title": source.title,
                    "URL": source.url,
                    "accessed": source.accessed.as_ref().map(date_parts),
                }))
            })
            .collect();
        json!({
            "page": self.absolute(&self.urls.article(&article.slug)),
            "found": self.recorded_in(),
            "sources": sources,
            "items": items,
        })
    }

    /// Where a statement's citation says it was found, before its permalink.
    fn recorded_in(&self) -> String {
        format!("{} {}", self.ui.text("recorded_in"), self.titles().title)
    }

    /// "Paraphrase", as the pages label one, without the label's colon.
    fn paraphrase(&self) -> &str {
        let label = self.ui.text("paraphrase");
        label.trim_end_matches([':', '：', ' ', '\u{a0}', '\u{202f}'])
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

/// A CSL-JSON item, its empty fields left out.
fn csl(mut item: Value) -> Value {
    if let Value::Object(fields) = &mut item {
        fields.retain(|_, value| !value.is_null());
    }
    item
}

#[cfg(test)]
mod tests {
    use super::*;

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
