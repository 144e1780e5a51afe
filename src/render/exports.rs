//! Machine-readable outputs: the sitemap, robots.txt, and the research
//! exports under `/data/` (statements as JSON and CSV, people, sources).

use std::borrow::Cow;
use std::io::{self, Write};

use serde::{Serialize, Serializer};

use super::{DataFile, Page, Renderer};
use crate::content::Moment;

/// One statement as a row of `/data/statements.{json,csv}`, in column order.
/// Every column is a `T` made from the text, so that the CSV can make each
/// one safe for spreadsheets ([`SpreadsheetCell`]) and the JSON keep it exact.
#[derive(Serialize)]
struct StatementRow<T> {
    id: T,
    person_id: T,
    person_name: T,
    date: T,
    kind: T,
    text: T,
    lang: T,
    translation: T,
    context: T,
    source_publisher: T,
    source_title: T,
    source_url: T,
    source_archive: T,
    article_title: T,
    article_url: T,
    permalink: T,
    /// The role at the time if the statement records one, else the
    /// person's current role. After the columns that came first, so
    /// scripts reading columns by position keep working; so are the next.
    person_role: T,
    /// When the source's archived copy was made, and when the editor read
    /// the original: after `person_role` for the same reason.
    source_archived: T,
    source_accessed: T,
    /// Ids the statement was published under before, space-separated.
    former_ids: T,
    /// For a statement withdrawn from the record (`withdrawn:`), the date,
    /// and why; then its other columns are empty but its id and addresses.
    withdrawn: T,
    withdrawn_reason: T,
    /// `year`, `month`, `day` or `time`: how much of `date` is known.
    date_precision: T,
}

/// A CSV cell that a spreadsheet will not run: text starting like a formula
/// (`=`, `+`, `-`, `@`, or a tab or carriage return before one) gets a
/// leading `'`, as OWASP advises against CSV injection. A quote such as
/// `=HYPERLINK("http://x","y")` would otherwise become a live link, or worse,
/// in the researcher's spreadsheet. The JSON export keeps the exact text.
struct SpreadsheetCell<'a>(Cow<'a, str>);

impl Serialize for SpreadsheetCell<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        if self.0.starts_with(['=', '+', '-', '@', '\t', '\r']) {
            serializer.collect_str(&format_args!("'{}", self.0))
        } else {
            serializer.serialize_str(&self.0)
        }
    }
}

#[derive(Serialize)]
struct PersonRow<'a> {
    id: &'a str,
    name: &'a str,
    kind: &'static str,
    role: Option<&'a str>,
    affiliation: Option<&'a str>,
    aliases: &'a [String],
    links: &'a [String],
    url: String,
    statement_count: usize,
}

#[derive(Serialize)]
struct PublisherRow<'a> {
    name: &'a str,
    url: String,
    documents: Vec<DocumentRow<'a>>,
}

#[derive(Serialize)]
struct DocumentRow<'a> {
    title: Option<&'a str>,
    url: Option<&'a str>,
    archive: Option<&'a str>,
    /// When the archived copy was made.
    archived: Option<&'a str>,
    /// When the editor read the original.
    accessed: Option<&'a str>,
    date: Option<&'a str>,
    kind: &'static str,
    cited_by: Vec<String>,
}

impl Renderer<'_> {
    /// `base_url` + a root-relative URL path: the page's full address.
    pub(super) fn absolute(&self, path: &str) -> String {
        let inside = path
            .strip_prefix(self.urls.root.as_str())
            .unwrap_or(path.trim_start_matches('/'));
        format!("{}{inside}", self.site.config.base_url)
    }

    pub(super) fn sitemap(&self) -> String {
        let mut xml = String::from(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
        );
        let pages = self.pages();
        let parts = pages
            .iter()
            .filter(|p| p.is_listed())
            .flat_map(|p| self.parts_of(p));
        for (page, part) in parts {
            let location =
                quick_xml::escape::escape(self.absolute(&self.part_url(page, part))).into_owned();
            xml.push_str(&format!("  <url><loc>{location}</loc>"));
            if let Some(modified) = self.last_modified(page) {
                xml.push_str(&format!("<lastmod>{}</lastmod>", modified.iso()));
            }
            xml.push_str("</url>\n");
        }
        xml.push_str("</urlset>\n");
        xml
    }

    /// When a page's content last changed, where the model knows it.
    fn last_modified(&self, page: &Page) -> Option<&Moment> {
        match page {
            Page::Article(a) => {
                let article = &self.site.articles[*a];
                Some(article.updated.as_ref().unwrap_or(&article.date))
            }
            Page::Person(id) => {
                let newest = self.index.by_person.get(id)?.last()?;
                Some(&crate::index::statement(self.site, *newest).date)
            }
            Page::Home => self
                .site
                .articles
                .first()
                .map(|a| a.updated.as_ref().unwrap_or(&a.date)),
            _ => None,
        }
    }

    pub(super) fn robots(&self) -> String {
        format!(
            "User-agent: *\nAllow: /\n\nSitemap: {}sitemap.xml\n",
            self.site.config.base_url
        )
    }

    /// Every statement as an export row, made as they are written: at
    /// 100,000 articles the rows alone would take hundreds of megabytes.
    /// `cell` makes each column's value from its text.
    fn statement_rows<'s, T>(
        &'s self,
        cell: impl Fn(Cow<'s, str>) -> T + Copy + 's,
    ) -> impl Iterator<Item = StatementRow<T>> + 's {
        // Oldest first: the order a researcher reads a record in; then
        // what was withdrawn from it.
        let said = self.index.statements.iter().rev().map(move |&reference| {
            let article = &self.site.articles[reference.article];
            let statement = &article.statements[reference.statement];
            let source = &article.sources[statement.source];
            let person = &self.site.people[&statement.person];
            let article_url = self.absolute(&self.urls.article(&article.slug));
            let text = |text: &'s str| cell(Cow::Borrowed(text));
            let optional = |value: &'s Option<String>| text(value.as_deref().unwrap_or_default());
            StatementRow {
                id: text(&statement.id),
                person_id: text(&person.id),
                person_name: text(&person.name),
                date: text(statement.date.iso()),
                kind: text(statement.words.kind()),
                text: text(statement.words.text()),
                lang: text(
                    statement
                        .lang
                        .as_deref()
                        .unwrap_or(&self.site.config.language),
                ),
                translation: optional(&statement.translation),
                context: optional(&statement.context),
                source_publisher: text(&source.publisher.name),
                source_title: optional(&source.title),
                source_url: optional(&source.url),
                source_archive: optional(&source.archive),
                article_title: text(&article.title),
                permalink: cell(format!("{article_url}#{}", statement.id).into()),
                article_url: cell(article_url.into()),
                person_role: text(
                    statement
                        .role
                        .as_deref()
                        .or(person.role.as_deref())
                        .unwrap_or_default(),
                ),
                source_archived: text(source.archived.as_ref().map_or("", Moment::iso)),
                source_accessed: text(source.accessed.as_ref().map_or("", Moment::iso)),
                former_ids: cell(statement.former_ids.join(" ").into()),
                withdrawn: text(""),
                withdrawn_reason: text(""),
                date_precision: text(statement.date.precision.name()),
            }
        });
        said.chain(self.withdrawn_rows(cell))
    }

    /// A row for each statement withdrawn from the record: its id, the
    /// addresses that showed it (its article's, followed through any
    /// redirect), when and why.
    fn withdrawn_rows<'s, T>(
        &'s self,
        cell: impl Fn(Cow<'s, str>) -> T + Copy + 's,
    ) -> impl Iterator<Item = StatementRow<T>> + 's {
        let withdrawn = self.site.config.withdrawn.iter();
        withdrawn.filter_map(move |withdrawal| {
            let crate::config::Withdrawn::Statement { id, article } = &withdrawal.what else {
                return None;
            };
            let path = self.redirects.rules.get(article).unwrap_or(article);
            let article_url = self.absolute(&format!(
                "{}{}",
                self.urls.root,
                path.trim_start_matches('/')
            ));
            let empty = || cell(Cow::Borrowed(""));
            Some(StatementRow {
                id: cell(Cow::Borrowed(id)),
                person_id: empty(),
                person_name: empty(),
                date: empty(),
                kind: empty(),
                text: empty(),
                lang: empty(),
                translation: empty(),
                context: empty(),
                source_publisher: empty(),
                source_title: empty(),
                source_url: empty(),
                source_archive: empty(),
                article_title: empty(),
                permalink: cell(format!("{article_url}#{id}").into()),
                article_url: cell(article_url.into()),
                person_role: empty(),
                source_archived: empty(),
                source_accessed: empty(),
                former_ids: empty(),
                withdrawn: cell(Cow::Borrowed(withdrawal.date.iso())),
                withdrawn_reason: cell(Cow::Borrowed(&withdrawal.reason)),
                date_precision: empty(),
            })
        })
    }

    /// Writes one of the `/data/` exports to `out`.
    pub(crate) fn write_data(&self, file: DataFile, out: &mut dyn Write) -> io::Result<()> {
        match file {
            DataFile::StatementsJson => json(out, &Streamed(|| self.statement_rows(|text| text))),
            DataFile::StatementsCsv => self.statements_csv(out),
            DataFile::People => json(out, &self.people_rows()),
            DataFile::Sources => json(out, &self.publisher_rows()),
        }
    }

    /// RFC 4180 CSV, UTF-8, columns in [`StatementRow`] order.
    fn statements_csv(&self, out: &mut dyn Write) -> io::Result<()> {
        let mut writer = csv::WriterBuilder::new()
            .terminator(csv::Terminator::CRLF)
            .from_writer(out);
        for row in self.statement_rows(SpreadsheetCell) {
            writer.serialize(row)?;
        }
        writer.flush()
    }

    fn people_rows(&self) -> Vec<PersonRow<'_>> {
        self.site
            .people
            .values()
            .map(|person| PersonRow {
                id: &person.id,
                name: &person.name,
                kind: person.kind.as_str(),
                role: person.role.as_deref(),
                affiliation: person.affiliation.as_deref(),
                aliases: &person.aliases,
                links: &person.links,
                url: self.absolute(&self.urls.person(&person.id)),
                statement_count: self.index.by_person.get(&person.id).map_or(0, Vec::len),
            })
            .collect()
    }

    fn publisher_rows(&self) -> Vec<PublisherRow<'_>> {
        self.index
            .publishers
            .iter()
            .map(|(slug, publisher)| PublisherRow {
                name: &publisher.name,
                url: self.absolute(&self.urls.publisher(slug)),
                documents: publisher
                    .documents
                    .iter()
                    .map(|document| {
                        let first = document.citations[0];
                        let source = &self.site.articles[first.article].sources[first.source];
                        let cited_by = document.citations.iter().map(|c| {
                            let article = &self.site.articles[c.article];
                            self.absolute(&self.urls.article(&article.slug))
                        });
                        DocumentRow {
                            title: source.title.as_deref(),
                            url: source.url.as_deref(),
                            archive: source.archive.as_deref(),
                            archived: source.archived.as_ref().map(Moment::iso),
                            accessed: source.accessed.as_ref().map(Moment::iso),
                            date: source.date.as_ref().map(Moment::iso),
                            kind: source.kind.as_str(),
                            cited_by: cited_by.collect(),
                        }
                    })
                    .collect(),
            })
            .collect()
    }
}

/// Rows serialised as a JSON array as an iterator makes them.
struct Streamed<F>(F);

impl<F, I> Serialize for Streamed<F>
where
    F: Fn() -> I,
    I: Iterator,
    I::Item: Serialize,
{
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq((self.0)())
    }
}

/// `value` as pretty JSON and a final newline.
fn json(out: &mut dyn Write, value: &impl Serialize) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, value)?;
    out.write_all(b"\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_a_spreadsheet_would_run_get_a_leading_quote() {
        let cells = [
            "=1+1", "+1", "-2", "@SUM(A1)", "\t=1", "\r=1", "plain", "", " =1", "'=1",
        ];
        let mut writer = csv::Writer::from_writer(Vec::new());
        let row: Vec<SpreadsheetCell> = cells.map(|c| SpreadsheetCell(c.into())).into();
        writer.serialize(row).unwrap();
        let written = String::from_utf8(writer.into_inner().unwrap()).unwrap();
        assert_eq!(
            written,
            "'=1+1,'+1,'-2,'@SUM(A1),'\t=1,\"'\r=1\",plain,, =1,'=1\n"
        );
    }
}
