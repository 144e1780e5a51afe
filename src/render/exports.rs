//! Machine-readable outputs: the sitemap, robots.txt, and the research
//! exports under `/data/` (statements as JSON and CSV, people, sources).

use serde::Serialize;

use super::{Page, Renderer};
use crate::content::Moment;

/// One statement as a row of `/data/statements.{json,csv}`, in column order.
#[derive(Serialize)]
struct StatementRow<'a> {
    id: &'a str,
    person_id: &'a str,
    person_name: &'a str,
    date: &'a str,
    kind: &'static str,
    text: &'a str,
    lang: &'a str,
    translation: &'a str,
    context: &'a str,
    source_publisher: &'a str,
    source_title: &'a str,
    source_url: &'a str,
    source_archive: &'a str,
    article_title: &'a str,
    article_url: String,
    permalink: String,
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
            .filter(|p| p.is_html() && **p != Page::NotFound)
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

    fn statement_rows(&self) -> Vec<StatementRow<'_>> {
        let mut rows = Vec::with_capacity(self.index.statements.len());
        // Oldest first: the order a researcher reads a record in.
        for &reference in self.index.statements.iter().rev() {
            let article = &self.site.articles[reference.article];
            let statement = &article.statements[reference.statement];
            let source = &article.sources[statement.source];
            let person = &self.site.people[&statement.person];
            let article_url = self.absolute(&self.urls.article(&article.slug));
            rows.push(StatementRow {
                id: &statement.id,
                person_id: &person.id,
                person_name: &person.name,
                date: statement.date.iso(),
                kind: statement.words.kind(),
                text: statement.words.text(),
                lang: statement
                    .lang
                    .as_deref()
                    .unwrap_or(&self.site.config.language),
                translation: statement.translation.as_deref().unwrap_or_default(),
                context: statement.context.as_deref().unwrap_or_default(),
                source_publisher: &source.publisher.name,
                source_title: source.title.as_deref().unwrap_or_default(),
                source_url: source.url.as_deref().unwrap_or_default(),
                source_archive: source.archive.as_deref().unwrap_or_default(),
                article_title: &article.title,
                permalink: format!("{article_url}#{}", statement.id),
                article_url,
            });
        }
        rows
    }

    pub(super) fn statements_json(&self) -> String {
        let rows = self.statement_rows();
        json(&rows, rows.len() * ROW_BYTES)
    }

    /// RFC 4180 CSV, UTF-8, columns in [`StatementRow`] order.
    pub(super) fn statements_csv(&self) -> String {
        let rows = self.statement_rows();
        let mut writer = csv::WriterBuilder::new()
            .terminator(csv::Terminator::CRLF)
            .from_writer(Vec::with_capacity(rows.len() * ROW_BYTES));
        for row in rows {
            // Writing to memory fails only if serialising fails, which these rows cannot.
            let _ = writer.serialize(row);
        }
        let bytes = writer.into_inner().unwrap_or_default();
        String::from_utf8(bytes).unwrap_or_default()
    }

    pub(super) fn people_json(&self) -> String {
        let rows: Vec<PersonRow> = self
            .site
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
            .collect();
        json(&rows, 0)
    }

    pub(super) fn sources_json(&self) -> String {
        let rows: Vec<PublisherRow> = self
            .index
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
                            date: source.date.as_ref().map(Moment::iso),
                            kind: source.kind.as_str(),
                            cited_by: cited_by.collect(),
                        }
                    })
                    .collect(),
            })
            .collect();
        json(&rows, 0)
    }
}

/// About what one statement takes in the exports, to size their buffers
/// once: growing a 40 MB buffer by doubling copies it again and again.
const ROW_BYTES: usize = 800;

/// `value` as pretty JSON, in a buffer of `capacity` bytes to start with.
fn json(value: &impl Serialize, capacity: usize) -> String {
    let mut bytes = Vec::with_capacity(capacity);
    // Serialising these rows of strings and numbers cannot fail.
    let _ = serde_json::to_writer_pretty(&mut bytes, value);
    bytes.push(b'\n');
    String::from_utf8(bytes).unwrap_or_default()
}
