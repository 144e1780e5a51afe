//! Machine-readable outputs: the sitemap, robots.txt, and the research
//! exports under `/data/`: statements by year as CSV and JSON, people,
//! articles, sources and corrections as tables, described by
//! `datapackage.json` (`render/package.rs`); and the whole-archive files
//! (`statements.json`, `people.json`…) that came first.

use std::borrow::Cow;
use std::io::{self, Write};

use serde::{Serialize, Serializer};

use super::package::{
    ARTICLE_FIELDS, CORRECTION_FIELDS, Field, PERSON_FIELDS, SOURCE_FIELDS, STATEMENT_FIELDS,
    TRANSLATION_FIELDS,
};
use super::{DataFile, Format, Page, Renderer};
use crate::content::{Moment, Precision};
use crate::index::StatementRef;

/// Statements per file of a year's export: at 100,000 articles a year of
/// 50,000 statements would be about 46 MB of JSON in one file, over the 25
/// MiB a file Cloudflare Pages allows; 20,000 rows stay near 19 MB.
pub(super) const SHARD_ROWS: usize = 20_000;

/// Addresses per sitemap file: the sitemaps protocol's limit.
const SITEMAP_URLS: usize = 50_000;

/// Bytes per sitemap file: the protocol's 50 MiB, less a margin for what
/// [`url_bytes`] does not count.
const SITEMAP_BYTES: usize = 50 * (1 << 20) - (1 << 16);

/// How many files a sitemap of `urls` addresses takes, `per_file` in each:
/// one, or past that an index and the files it lists.
fn sitemap_files(urls: usize, per_file: usize) -> usize {
    match urls.div_ceil(per_file.max(1)) {
        0 | 1 => 1,
        files => files + 1,
    }
}

/// The most bytes one `<url>` of the sitemap takes, when its address (as
/// escaped) is at most `longest` bytes and it lists `versions` language
/// versions (each a `<xhtml:link>` with an address a language prefix
/// longer, and `x-default`).
fn url_bytes(longest: usize, versions: usize) -> usize {
    let url = "  <url><loc></loc><lastmod>2021-05-17T18:30:00+03:00</lastmod></url>\n".len();
    let link = "<xhtml:link rel=\"alternate\" hreflang=\"\" href=\"\"/>".len();
    let alternates = match versions {
        0 | 1 => 0,
        n => (n + 1) * (link + 16 + longest + 16),
    };
    url + longest + alternates
}

/// How many addresses go in one sitemap file: the protocol's 50,000, or
/// fewer when so many would pass its 50 MiB (a site of many languages lists
/// each page's versions with it).
fn urls_per_file(longest: usize, versions: usize) -> usize {
    SITEMAP_URLS.min(SITEMAP_BYTES / url_bytes(longest, versions))
}

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
    /// The id of the person who relayed it, and how it was delivered
    /// (`as-prepared`, `readout`…), when recorded.
    via: T,
    delivery: T,
    /// The article's id (its slug, as in `articles.csv`) and the source's
    /// id within it (as in `sources.csv`): the table's foreign keys.
    article_id: T,
    source_id: T,
}

/// One correction as a row of `/data/corrections.{json,csv}`.
#[derive(Serialize)]
struct CorrectionRow<T> {
    date: T,
    article_title: T,
    article_url: T,
    /// The id of the statement it corrects; empty when it corrects the
    /// article.
    statement: T,
    text: T,
    /// Where the correction is shown on the article's page.
    url: T,
    article_id: T,
}

/// One translated text as a row of `/data/translations.{json,csv}`.
#[derive(Serialize)]
pub(super) struct TranslationRow<T> {
    record: T,
    record_id: T,
    language: T,
    field: T,
    text: T,
}

/// A CSV cell that a spreadsheet will not run: text starting like a formula
/// (`=`, `+`, `-`, `@`, or a tab or carriage return before one) gets a
/// leading `'`, as OWASP advises against CSV injection. A quote such as
/// `=HYPERLINK("http://x","y")` would otherwise become a live link, or worse,
/// in the researcher's spreadsheet. Text that starts with `'` gets one too,
/// so that taking the first `'` off any cell that has one always gives the
/// text as written (`'-5 dead` and `-5 dead` stay apart). The JSON export
/// keeps the exact text.
struct SpreadsheetCell<'a>(Cow<'a, str>);

impl Serialize for SpreadsheetCell<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        if self.0.starts_with(['=', '+', '-', '@', '\t', '\r', '\'']) {
            serializer.collect_str(&format_args!("'{}", self.0))
        } else {
            serializer.serialize_str(&self.0)
        }
    }
}

/// One person as a row of `/data/people.csv`; lists are joined with `; `.
#[derive(Serialize)]
struct PersonTableRow<T> {
    id: T,
    name: T,
    kind: T,
    role: T,
    affiliation: T,
    aliases: T,
    links: T,
    url: T,
    statement_count: usize,
    former_urls: T,
}

/// One article as a row of `/data/articles.csv`.
#[derive(Serialize)]
struct ArticleRow<T> {
    id: T,
    title: T,
    date: T,
    updated: T,
    reviewed: T,
    summary: T,
    topics: T,
    places: T,
    url: T,
    statement_count: usize,
    source_count: usize,
    correction_count: usize,
    former_urls: T,
}

/// One source entry of an article as a row of `/data/sources.csv`: the
/// document as that article cites it.
#[derive(Serialize)]
struct SourceRow<T> {
    article_id: T,
    source_id: T,
    publisher: T,
    title: T,
    title_translation: T,
    lang: T,
    url: T,
    archive: T,
    archived: T,
    accessed: T,
    date: T,
    kind: T,
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
    former_urls: Vec<String>,
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
            .strip_prefix(self.home.root.as_str())
            .unwrap_or(path.trim_start_matches('/'));
        format!("{}{inside}", self.site.config.base_url)
    }

    /// Part `part` of the sitemap: every listed page in one file, or past
    /// [`SITEMAP_URLS`], an index (`sitemap.xml`) of files that many each.
    pub(super) fn sitemap(&self, part: usize) -> String {
        let files = self.parts(&Page::Sitemap);
        if files > 1 && part == 0 {
            return self.sitemap_index(files);
        }
        let per_file = self.sitemap_counts().1;
        let pages = self.pages();
        let parts = pages
            .iter()
            .filter(|p| p.is_listed())
            .flat_map(|p| self.parts_of(p))
            .skip(part.saturating_sub(1) * per_file)
            .take(per_file);
        let mut xml = String::from(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\" xmlns:xhtml=\"http://www.w3.org/1999/xhtml\">\n",
        );
        for (page, part) in parts {
            let location =
                quick_xml::escape::escape(self.absolute(&self.part_url(page, part))).into_owned();
            xml.push_str(&format!("  <url><loc>{location}</loc>"));
            // The protocol's lastmod is a whole date (or a time): a date
            // known to its month or year is left out, not made up.
            let modified = (self.last_modified(page.original()))
                .filter(|m| matches!(m.precision, Precision::Day | Precision::Time));
            if let Some(modified) = modified {
                xml.push_str(&format!("<lastmod>{}</lastmod>", modified.iso()));
            }
            self.push_alternates(&mut xml, page.original(), part);
            xml.push_str("</url>\n");
        }
        xml.push_str("</urlset>\n");
        xml
    }

    /// The versions of a page in every language, as a sitemap lists them
    /// (<https://developers.google.com/search/docs/specialty/international/localized-versions#sitemap>).
    fn push_alternates(&self, xml: &mut String, page: &Page, part: usize) {
        let alternates = self.alternates(page, part, "");
        let default = alternates.first().map(|a| ("x-default", &a.url));
        let versions = alternates.iter().map(|a| (a.lang, &a.url)).chain(default);
        for (lang, url) in versions {
            let url = quick_xml::escape::escape(url.as_str());
            xml.push_str(&format!(
                "<xhtml:link rel=\"alternate\" hreflang=\"{lang}\" href=\"{url}\"/>"
            ));
        }
    }

    /// `sitemap.xml` as an index of the `files - 1` sitemaps after it.
    fn sitemap_index(&self, files: usize) -> String {
        let mut xml = String::from(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
        );
        for part in 1..files {
            let location = self.absolute(&self.part_url(&Page::Sitemap, part));
            let location = quick_xml::escape::escape(location);
            xml.push_str(&format!("  <sitemap><loc>{location}</loc></sitemap>\n"));
        }
        xml.push_str("</sitemapindex>\n");
        xml
    }

    /// How many sitemap files the sitemap takes.
    pub(super) fn sitemap_files(&self) -> usize {
        let (urls, per_file) = self.sitemap_counts();
        sitemap_files(urls, per_file)
    }

    /// How many addresses the sitemap lists (every part of every listed
    /// page), and how many go in one file. Counted once per build.
    fn sitemap_counts(&self) -> (usize, usize) {
        *self.listed_parts.get_or_init(|| {
            let pages = self.pages();
            let parts = pages
                .iter()
                .filter(|p| p.is_listed())
                .flat_map(|p| self.parts_of(p));
            let (mut urls, mut longest) = (0, 0);
            for (page, part) in parts {
                urls += 1;
                let address = self.absolute(&self.part_url(page, part));
                longest = longest.max(quick_xml::escape::escape(address).len());
            }
            (urls, urls_per_file(longest, self.languages.len() + 1))
        })
    }

    /// When a page's content last changed, where the model knows it.
    fn last_modified(&self, page: &Page) -> Option<&Moment> {
        match page {
            Page::Article(a) => Some(self.site.articles[*a].modified()),
            Page::Person(id) => {
                let newest = self.index.by_person.get(id)?.last()?;
                Some(&crate::index::statement(self.site, *newest).date)
            }
            Page::Home => self.site.articles.first().map(|a| a.modified()),
            _ => None,
        }
    }

    pub(super) fn robots(&self) -> String {
        format!(
            "User-agent: *\nAllow: /\n\nSitemap: {}sitemap.xml\n",
            self.site.config.base_url
        )
    }

    /// Every statement as an export row, oldest first (the order a
    /// researcher reads a record in), then what was withdrawn from it.
    fn all_statement_rows<'s, T>(
        &'s self,
        cell: impl Fn(Cow<'s, str>) -> T + Copy + 's,
    ) -> impl Iterator<Item = StatementRow<T>> + 's {
        let said = self.statement_rows(self.index.statements.iter().rev(), cell);
        said.chain(self.withdrawn_rows(cell))
    }

    /// Part `part` of the statements said in `year`, oldest first.
    fn year_rows<'s, T>(
        &'s self,
        year: i16,
        part: usize,
        cell: impl Fn(Cow<'s, str>) -> T + Copy + 's,
    ) -> impl Iterator<Item = StatementRow<T>> + 's {
        let said = self
            .index
            .years
            .get(&year)
            .map_or(&[][..], |y| &y.statements);
        let shown = super::paginate::slice(said, SHARD_ROWS, part);
        self.statement_rows(shown.iter(), cell)
    }

    /// `references` as export rows, made as they are written: at 100,000
    /// articles the rows alone would take hundreds of megabytes. `cell`
    /// makes each column's value from its text.
    fn statement_rows<'s, T>(
        &'s self,
        references: impl Iterator<Item = &'s StatementRef> + 's,
        cell: impl Fn(Cow<'s, str>) -> T + Copy + 's,
    ) -> impl Iterator<Item = StatementRow<T>> + 's {
        references.map(move |&reference| {
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
                via: optional(&statement.via),
                delivery: text(
                    statement
                        .delivery
                        .map_or("", crate::content::Delivery::as_str),
                ),
                article_id: text(&article.slug),
                source_id: text(&source.id),
            }
        })
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
            let crate::config::Withdrawn::Statement {
                id,
                article,
                former_ids,
            } = &withdrawal.what
            else {
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
                former_ids: cell(former_ids.join(" ").into()),
                withdrawn: cell(Cow::Borrowed(withdrawal.date.iso())),
                withdrawn_reason: cell(Cow::Borrowed(&withdrawal.reason)),
                date_precision: empty(),
                via: empty(),
                delivery: empty(),
                article_id: empty(),
                source_id: empty(),
            })
        })
    }

    /// Writes part `part` of one of the `/data/` exports to `out`.
    pub(crate) fn write_data(
        &self,
        file: DataFile,
        part: usize,
        out: &mut dyn Write,
    ) -> io::Result<()> {
        match file {
            DataFile::StatementsJson => json_rows(out, self.all_statement_rows(|text| text)),
            DataFile::StatementsCsv => csv_rows(
                out,
                STATEMENT_FIELDS,
                self.all_statement_rows(SpreadsheetCell),
            ),
            DataFile::Statements(year, Format::Json) => {
                json_rows(out, self.year_rows(year, part, |text| text))
            }
            DataFile::Statements(year, Format::Csv) => csv_rows(
                out,
                STATEMENT_FIELDS,
                self.year_rows(year, part, SpreadsheetCell),
            ),
            DataFile::Withdrawn(Format::Json) => json_rows(out, self.withdrawn_rows(|text| text)),
            DataFile::Withdrawn(Format::Csv) => {
                csv_rows(out, STATEMENT_FIELDS, self.withdrawn_rows(SpreadsheetCell))
            }
            DataFile::PeopleCsv => csv_rows(
                out,
                PERSON_FIELDS,
                part_of(self.person_table(SpreadsheetCell), part),
            ),
            DataFile::ArticlesCsv => csv_rows(
                out,
                ARTICLE_FIELDS,
                part_of(self.article_table(SpreadsheetCell), part),
            ),
            DataFile::SourcesCsv => csv_rows(
                out,
                SOURCE_FIELDS,
                part_of(self.source_table(SpreadsheetCell), part),
            ),
            DataFile::Package => json(out, &self.package()),
            DataFile::People => json_rows(out, self.people_rows()),
            DataFile::Sources => json_rows(out, self.publisher_rows()),
            DataFile::CorrectionsJson => json_rows(out, self.correction_rows(|text| text)),
            DataFile::CorrectionsCsv => {
                let rows = part_of(self.correction_rows(SpreadsheetCell), part);
                csv_rows(out, CORRECTION_FIELDS, rows)
            }
            DataFile::TranslationsJson => json_rows(out, self.translation_rows(|text| text)),
            DataFile::TranslationsCsv => {
                let rows = part_of(self.translation_rows(SpreadsheetCell), part);
                csv_rows(out, TRANSLATION_FIELDS, rows)
            }
        }
    }

    /// Every translated text as an export row: articles (oldest first),
    /// people and pages, each in its languages' order, then statements by
    /// article (oldest first), each with its translation into the site's
    /// language and those its article's translations give.
    pub(super) fn translation_rows<'s, T: 's>(
        &'s self,
        cell: impl Fn(Cow<'s, str>) -> T + Copy + 's,
    ) -> impl Iterator<Item = TranslationRow<T>> + 's {
        let translations = &self.site.translations;
        let row = move |record: &'static str,
                        id: &'s str,
                        language: &'s str,
                        field: &'static str,
                        text: &'s str| {
            TranslationRow {
                record: cell(Cow::Borrowed(record)),
                record_id: cell(Cow::Borrowed(id)),
                language: cell(Cow::Borrowed(language)),
                field: cell(Cow::Borrowed(field)),
                text: cell(Cow::Borrowed(text)),
            }
        };
        let articles = (self.site.articles.iter().rev()).flat_map(move |article| {
            let languages = translations
                .articles
                .get(&article.slug)
                .into_iter()
                .flatten();
            languages.flat_map(move |(language, t)| {
                [("title", &t.title), ("summary", &t.summary)]
                    .map(|(field, text)| row("article", &article.slug, language, field, text))
            })
        });
        let people = translations.people.iter().flat_map(move |(id, languages)| {
            languages.iter().flat_map(move |(language, t)| {
                let fields = [
                    ("name", Some(&t.name)),
                    ("role", t.role.as_ref()),
                    ("affiliation", t.affiliation.as_ref()),
                ];
                fields.into_iter().filter_map(move |(field, text)| {
                    text.map(|text| row("person", id, language, field, text))
                })
            })
        });
        let pages = translations
            .pages
            .iter()
            .flat_map(move |(slug, languages)| {
                languages.iter().flat_map(move |(language, t)| {
                    [("title", &t.title), ("summary", &t.summary)]
                        .map(|(field, text)| row("page", slug, language, field, text))
                })
            });
        // By article, so that each article's translations are looked up
        // once, not once per statement.
        let statements = (self.site.articles.iter().rev()).flat_map(move |article| {
            let languages = translations.articles.get(&article.slug);
            article.statements.iter().flat_map(move |statement| {
                let own = (statement.translation.as_deref()).map(|text| {
                    let language = &self.site.config.language;
                    row("statement", &statement.id, language, "text", text)
                });
                let others = languages
                    .into_iter()
                    .flatten()
                    .filter_map(move |(language, t)| {
                        let (text, _) = t.statements.get(&statement.id)?;
                        Some(row("statement", &statement.id, language, "text", text))
                    });
                own.into_iter().chain(others)
            })
        });
        articles.chain(people).chain(pages).chain(statements)
    }

    /// Every correction as an export row, newest first.
    fn correction_rows<'s, T>(
        &'s self,
        cell: impl Fn(Cow<'s, str>) -> T + Copy + 's,
    ) -> impl Iterator<Item = CorrectionRow<T>> + 's {
        self.index.corrections.iter().map(move |&(a, c)| {
            let article = &self.site.articles[a];
            let correction = &article.corrections[c];
            let article_url = self.absolute(&self.urls.article(&article.slug));
            let text = |text: &'s str| cell(Cow::Borrowed(text));
            CorrectionRow {
                date: text(correction.date.iso()),
                article_title: text(&article.title),
                url: cell(format!("{article_url}#{}", article.correction_anchor(c)).into()),
                article_url: cell(article_url.into()),
                statement: text(correction.statement.as_deref().unwrap_or_default()),
                text: text(&correction.text),
                article_id: text(&article.slug),
            }
        })
    }

    /// The addresses a page had before, in full, oldest first.
    fn former_urls(&self, redirect_from: &[crate::content::OldPath]) -> Vec<String> {
        (redirect_from.iter())
            .map(|old| self.absolute(&old.path))
            .collect()
    }

    /// Every person, by id.
    fn person_table<'s, T>(
        &'s self,
        cell: impl Fn(Cow<'s, str>) -> T + Copy + 's,
    ) -> impl Iterator<Item = PersonTableRow<T>> + 's {
        self.site.people.values().map(move |person| {
            let text = |text: &'s str| cell(Cow::Borrowed(text));
            PersonTableRow {
                id: text(&person.id),
                name: text(&person.name),
                kind: text(person.kind.as_str()),
                role: text(person.role.as_deref().unwrap_or_default()),
                affiliation: text(person.affiliation.as_deref().unwrap_or_default()),
                aliases: cell(person.aliases.join("; ").into()),
                links: cell(person.links.join("; ").into()),
                url: cell(self.absolute(&self.urls.person(&person.id)).into()),
                statement_count: self.index.by_person.get(&person.id).map_or(0, Vec::len),
                former_urls: cell(self.former_urls(&person.redirect_from).join(" ").into()),
            }
        })
    }

    /// Every article, oldest first.
    fn article_table<'s, T>(
        &'s self,
        cell: impl Fn(Cow<'s, str>) -> T + Copy + 's,
    ) -> impl Iterator<Item = ArticleRow<T>> + 's {
        self.site.articles.iter().rev().map(move |article| {
            let text = |text: &'s str| cell(Cow::Borrowed(text));
            let date = |moment: &'s Option<Moment>| text(moment.as_ref().map_or("", Moment::iso));
            let names = |labels: &[crate::content::Label]| {
                let names: Vec<&str> = labels.iter().map(|l| l.name.as_str()).collect();
                cell(names.join("; ").into())
            };
            ArticleRow {
                id: text(&article.slug),
                title: text(&article.title),
                date: text(article.date.iso()),
                updated: date(&article.updated),
                reviewed: date(&article.reviewed),
                summary: text(&article.summary),
                topics: names(&article.topics),
                places: names(&article.places),
                url: cell(self.absolute(&self.urls.article(&article.slug)).into()),
                statement_count: article.statements.len(),
                source_count: article.sources.len(),
                correction_count: article.corrections.len(),
                former_urls: cell(self.former_urls(&article.redirect_from).join(" ").into()),
            }
        })
    }

    /// Every source entry of every article, oldest article first.
    fn source_table<'s, T>(
        &'s self,
        cell: impl Fn(Cow<'s, str>) -> T + Copy + 's,
    ) -> impl Iterator<Item = SourceRow<T>> + 's {
        let entries = (self.site.articles.iter().rev())
            .flat_map(|article| article.sources.iter().map(move |source| (article, source)));
        entries.map(move |(article, source)| {
            let text = |text: &'s str| cell(Cow::Borrowed(text));
            let optional = |value: &'s Option<String>| text(value.as_deref().unwrap_or_default());
            let date = |moment: &'s Option<Moment>| text(moment.as_ref().map_or("", Moment::iso));
            SourceRow {
                article_id: text(&article.slug),
                source_id: text(&source.id),
                publisher: text(&source.publisher.name),
                title: optional(&source.title),
                title_translation: optional(&source.title_translation),
                lang: optional(&source.lang),
                url: optional(&source.url),
                archive: optional(&source.archive),
                archived: date(&source.archived),
                accessed: date(&source.accessed),
                date: date(&source.date),
                kind: text(source.kind.as_str()),
            }
        })
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
                former_urls: self.former_urls(&person.redirect_from),
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

/// The rows of file `part` of a table that continues in numbered files.
fn part_of<R>(rows: impl Iterator<Item = R>, part: usize) -> impl Iterator<Item = R> {
    rows.skip(part * SHARD_ROWS).take(SHARD_ROWS)
}

/// RFC 4180 CSV, UTF-8, CRLF, the header first, from the package's
/// columns: also when there are no rows, so that a reader finds them. Each
/// row's fields are in the same order (a test holds them to it).
fn csv_rows<R: Serialize>(
    out: &mut dyn Write,
    header: &[Field],
    rows: impl Iterator<Item = R>,
) -> io::Result<()> {
    let mut writer = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .has_headers(false)
        .from_writer(out);
    writer.write_record(header.iter().map(|field| field.name))?;
    for row in rows {
        writer.serialize(row)?;
    }
    writer.flush()
}

/// Rows as a JSON array of one object a line: as compact as JSON gets (the
/// indented rows were a sixth whitespace) and still readable line by line.
fn json_rows<R: Serialize>(
    out: &mut dyn Write,
    rows: impl IntoIterator<Item = R>,
) -> io::Result<()> {
    let mut separator: &[u8] = b"[\n";
    for row in rows {
        out.write_all(separator)?;
        serde_json::to_writer(&mut *out, &row)?;
        separator = b",\n";
    }
    out.write_all(if separator == b"[\n" {
        b"[]\n"
    } else {
        b"\n]\n"
    })
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
    fn a_sitemap_past_the_protocols_limit_becomes_an_index_of_sitemaps() {
        assert_eq!(sitemap_files(0, SITEMAP_URLS), 1);
        assert_eq!(sitemap_files(SITEMAP_URLS, SITEMAP_URLS), 1);
        assert_eq!(
            sitemap_files(SITEMAP_URLS + 1, SITEMAP_URLS),
            3,
            "the index and two"
        );
        assert_eq!(sitemap_files(164_406, SITEMAP_URLS), 5);
    }

    #[test]
    fn a_sitemap_file_stays_under_the_protocols_bytes_with_every_language() {
        // One language and short addresses: the 50,000 addresses bind.
        assert_eq!(urls_per_file(60, 1), SITEMAP_URLS);
        // Nine versions of each page with long addresses (review: 55 MB
        // for 50,000 of them): fewer a file, each file under 50 MiB.
        let per_file = urls_per_file(110, 9);
        assert!(per_file < SITEMAP_URLS, "{per_file}");
        assert!(per_file * url_bytes(110, 9) <= 50 << 20);
        assert!(per_file > 20_000, "{per_file}: not needlessly small");
    }

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
            "'=1+1,'+1,'-2,'@SUM(A1),'\t=1,\"'\r=1\",plain,, =1,''=1\n"
        );
    }
}
