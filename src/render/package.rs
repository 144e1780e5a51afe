//! The research exports as a Frictionless Data Package: `datapackage.json`
//! names every table, its files, its columns (type and meaning) and its
//! keys, with the site's license and how to cite it; `/data/`, the codebook
//! page, shows readers the same. The columns are written here once, and a
//! test holds them to what `render/exports.rs` writes.

use serde::Serialize;
use serde_json::{Value, json};

use super::{DataFile, Format, Renderer, exports::SHARD_ROWS};
use crate::content::Moment;
use crate::download::Contents;

/// One column of a table.
#[derive(Debug, Clone, Copy, Serialize)]
pub(crate) struct Field {
    pub name: &'static str,
    /// A Table Schema type: `string` or `integer`.
    #[serde(rename = "type")]
    pub kind: &'static str,
    pub description: &'static str,
    /// The values it may hold, when they are a closed list (an empty cell
    /// is none): Table Schema's `enum`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub constraints: Option<OneOf>,
}

/// A Table Schema constraint: the column holds one of `values`.
#[derive(Debug, Clone, Copy, Serialize)]
pub(crate) struct OneOf {
    #[serde(rename = "enum")]
    pub values: &'static [&'static str],
}

const fn text(name: &'static str, description: &'static str) -> Field {
    Field {
        name,
        kind: "string",
        description,
        constraints: None,
    }
}

const fn count(name: &'static str, description: &'static str) -> Field {
    Field {
        name,
        kind: "integer",
        description,
        constraints: None,
    }
}

/// A text column that holds one of `values`, as annals reads them.
const fn one_of(
    name: &'static str,
    description: &'static str,
    values: &'static [&'static str],
) -> Field {
    Field {
        constraints: Some(OneOf { values }),
        ..text(name, description)
    }
}

const DELIVERIES: &[&str] = &[
    "spoken",
    "as-delivered",
    "as-prepared",
    "near-verbatim",
    "readout",
    "written",
    "post",
];
const SOURCE_KINDS: &[&str] = &["news", "official", "social", "report", "other"];

const DATE: &str = "ISO 8601 as the editor wrote it: a year (2021), a month (2021-05), a day (2021-05-17), or a date and time with its UTC offset.";

/// The columns of “statements/<year>.csv”, in order.
pub(crate) const STATEMENT_FIELDS: &[Field] = &[
    text(
        "id",
        "The statement's permanent id: the person, the date as written and a hash of the words. Stable across builds.",
    ),
    text("person_id", "Who made the statement: “id” in people.csv."),
    text("person_name", "Their name, as people.csv has it."),
    text("date", DATE),
    one_of(
        "kind",
        "“quote” (the words as said) or “paraphrase” (the editor's summary).",
        &["quote", "paraphrase"],
    ),
    text("text", "The words, in the language of “lang”."),
    text("lang", "BCP 47 language tag of “text”."),
    text(
        "translation",
        "The editor's translation into the site's language, when “text” is in another.",
    ),
    text(
        "context",
        "Where and to whom it was said, as the editor noted.",
    ),
    text(
        "source_publisher",
        "Who published the source that records the statement.",
    ),
    text("source_title", "The source document's title."),
    text("source_url", "The source document's address."),
    text("source_archive", "An archived copy of the source document."),
    text("article_title", "The article recording the statement."),
    text("article_url", "The article's address."),
    text(
        "permalink",
        "The statement's address on its article's page.",
    ),
    text(
        "person_role",
        "The speaker's role when they said it, or their current role.",
    ),
    text("source_archived", "When the archived copy was made."),
    text("source_accessed", "When the editor read the original."),
    text(
        "former_ids",
        "Ids the statement was published under before, space-separated.",
    ),
    text(
        "withdrawn",
        "For a statement withdrawn from the record, the date; its other columns but “id” and its addresses are then empty.",
    ),
    text("withdrawn_reason", "Why it was withdrawn."),
    one_of(
        "date_precision",
        "How much of “date” is known: “year”, “month”, “day” or “time”.",
        &["year", "month", "day", "time"],
    ),
    text(
        "via",
        "Who relayed the statement for its speaker (a spokesperson, an office): “id” in people.csv.",
    ),
    one_of(
        "delivery",
        "How the words reached the record, when the editor said: said aloud (“spoken”), a text checked against the speech (“as-delivered”) or released before it (“as-prepared”), a close transcript (“near-verbatim”), one side's account of a call (“readout”), a letter or statement (“written”), a social media post (“post”).",
        DELIVERIES,
    ),
    text("article_id", "The article's id: “id” in articles.csv."),
    text(
        "source_id",
        "The source's id within its article: with “article_id”, a row of sources.csv.",
    ),
];

pub(crate) const PERSON_FIELDS: &[Field] = &[
    text("id", "The person's id, as statements refer to them."),
    text("name", "Their name."),
    one_of(
        "kind",
        "“person” or “organisation”.",
        &["person", "organisation"],
    ),
    text("role", "Their current role."),
    text("affiliation", "The body they belong to."),
    text("aliases", "Other names, separated by “; ”."),
    text("links", "Pages about them elsewhere, separated by “; ”."),
    text("url", "Their page on this site."),
    count(
        "statement_count",
        "How many statements of theirs the record holds.",
    ),
    text(
        "former_urls",
        "Addresses their page had before, separated by spaces (`redirect_from:`): links to those lead here, and the last part of each was their id.",
    ),
];

pub(crate) const ARTICLE_FIELDS: &[Field] = &[
    text("id", "The article's id (its address's last part)."),
    text("title", "The article's title."),
    text("date", "When it was published (ISO 8601)."),
    text("updated", "When it was last updated, if it was."),
    text(
        "reviewed",
        "When it was last checked against its sources, if recorded.",
    ),
    text("summary", "Its summary, or its first paragraph."),
    text("topics", "Its topics, separated by “; ”."),
    text("places", "Its places, separated by “; ”."),
    text("url", "Its page."),
    count("statement_count", "Statements it records."),
    count("source_count", "Sources it cites."),
    count("correction_count", "Corrections made to it."),
    text(
        "former_urls",
        "Addresses its page had before, separated by spaces (`redirect_from:`): links to those lead here, and the last part of one under /articles/ was its id.",
    ),
];

pub(crate) const SOURCE_FIELDS: &[Field] = &[
    text("article_id", "The citing article: “id” in articles.csv."),
    text("source_id", "The source's id within that article."),
    text("publisher", "Who published the document."),
    text("title", "The document's title, in its own language."),
    text(
        "title_translation",
        "The title translated into the site's language.",
    ),
    text("lang", "BCP 47 language tag of the document."),
    text("url", "The document's address."),
    text("archive", "An archived copy."),
    text("archived", "When the archived copy was made."),
    text("accessed", "When the editor read the original."),
    text("date", "When the document was published (ISO 8601)."),
    one_of(
        "kind",
        "What the document is: “news” (the press), “official” (a government's or body's own), “social” (a social media post), “report” (an NGO's or UN body's), or “other”.",
        SOURCE_KINDS,
    ),
];

pub(crate) const CORRECTION_FIELDS: &[Field] = &[
    text("date", "When the correction was made."),
    text("article_title", "The corrected article."),
    text("article_url", "Its address."),
    text(
        "statement",
        "The id of the statement corrected; empty when the correction is to the article.",
    ),
    text("text", "What was corrected, in the editor's words."),
    text(
        "url",
        "Where the correction is shown on the article's page.",
    ),
    text("article_id", "The corrected article: “id” in articles.csv."),
];

/// The columns of “translations.csv”, in order.
pub(crate) const TRANSLATION_FIELDS: &[Field] = &[
    text(
        "record",
        "What is translated: “article”, “person”, “page” or “statement”.",
    ),
    text(
        "record_id",
        "Its id: “id” in articles.csv or people.csv, “id” of a statement, or a page's address without slashes.",
    ),
    text(
        "language",
        "BCP 47 language tag of “text”: one of the site's other languages, or for a statement its translation into the site's own.",
    ),
    text(
        "field",
        "Which text: “title” or “summary” (articles, pages), “name”, “role” or “affiliation” (people), “text” (statements).",
    ),
    text("text", "The text in that language."),
];

/// A table of the package and the files holding it.
pub(crate) struct Table {
    pub name: String,
    pub title: &'static str,
    pub description: &'static str,
    pub fields: &'static [Field],
    /// Its files, below `/data/`: one, or past [`SHARD_ROWS`] rows the
    /// numbered files it continues in, each with the header.
    pub files: Vec<String>,
    primary_key: &'static [&'static str],
    foreign_keys: &'static [(
        &'static [&'static str],
        &'static str,
        &'static [&'static str],
    )],
}

const STATEMENT_KEYS: &[(&[&str], &str, &[&str])] = &[
    (&["person_id"], "people", &["id"]),
    (&["via"], "people", &["id"]),
    (&["article_id"], "articles", &["id"]),
    (
        &["article_id", "source_id"],
        "sources",
        &["article_id", "source_id"],
    ),
];

impl Renderer<'_> {
    /// Every table of the package, statements first: one per year, in as
    /// many files as [`SHARD_ROWS`] asks, as every other table.
    pub(crate) fn tables(&self) -> Vec<Table> {
        let mut tables = Vec::new();
        for (&year, said) in &self.index.years {
            let parts = said.statements.len().div_ceil(SHARD_ROWS);
            if parts == 0 {
                continue;
            }
            tables.push(Table {
                name: format!("statements-{year}"),
                title: "Statements",
                description: "The statements of one year, oldest first.",
                fields: STATEMENT_FIELDS,
                files: (0..parts)
                    .map(|part| DataFile::Statements(year, Format::Csv).name(part))
                    .collect(),
                primary_key: &["id"],
                foreign_keys: STATEMENT_KEYS,
            });
        }
        let table =
            |name: &str, title, description, fields, file: DataFile, primary_key, foreign_keys| {
                Table {
                    name: name.to_owned(),
                    title,
                    description,
                    fields,
                    files: (0..self.parts(&super::Page::Data(file)))
                        .map(|part| file.name(part))
                        .collect(),
                    primary_key,
                    foreign_keys,
                }
            };
        tables.extend([
            table("statements-withdrawn", "Withdrawn statements", "Statements taken off the record on purpose, with when and why (`withdrawn:` in annals.yaml).", STATEMENT_FIELDS, DataFile::Withdrawn(Format::Csv), &["id"], &[]),
            table("people", "People", "Everyone whose statements the record holds, and those who relayed them.", PERSON_FIELDS, DataFile::PeopleCsv, &["id"], &[]),
            table("articles", "Articles", "Every article, oldest first.", ARTICLE_FIELDS, DataFile::ArticlesCsv, &["id"], &[]),
            table("sources", "Sources", "Every source each article cites: one row per article and source.", SOURCE_FIELDS, DataFile::SourcesCsv, &["article_id", "source_id"], &[(&["article_id"], "articles", &["id"])]),
            table("corrections", "Corrections", "Every correction, newest first.", CORRECTION_FIELDS, DataFile::CorrectionsCsv, &["url"], &[(&["article_id"], "articles", &["id"])]),
            // No foreign key: “record_id” points into a different table for
            // each kind of record, which Table Schema cannot say.
            table("translations", "Translations", "Every translated text, one row per record, language and field: what the other tables hold in the record's language, in the site's other languages (and statements' translations into the site's own).", TRANSLATION_FIELDS, DataFile::TranslationsCsv, &["record", "record_id", "language", "field"], &[]),
        ]);
        tables
    }

    /// What the data package's download holds: `datapackage.json` and
    /// every file it lists. Not the JSON twins of the yearly statements:
    /// the package describes the CSV, which is what a tool reading the
    /// unzipped folder loads, and the same rows again would double the zip.
    pub(crate) fn download_contents(&self) -> Contents {
        let package = DataFile::Package.name(0);
        let tables = self.tables().into_iter().flat_map(|table| table.files);
        Contents {
            files: std::iter::once(package).chain(tables).collect(),
            day: self.data_version().map(|moment| moment.date),
        }
    }

    /// `datapackage.json`.
    pub(super) fn package(&self) -> Value {
        let config = &self.site.config;
        let resources: Vec<Value> = self.tables().iter().map(resource).collect();
        let mut package = json!({
            "profile": "tabular-data-package",
            "name": package_name(&config.title),
            "title": config.title,
            "description": config.description,
            "homepage": config.base_url,
            "citation": self.citation(),
            "resources": resources,
        });
        // A record with nothing published yet has no version: the key is
        // left out, since the spec wants a string if it is there.
        if let Some(version) = self.data_version() {
            package["version"] = json!(version.iso());
        }
        if let Some(license) = &config.license {
            package["licenses"] = json!([license]);
        }
        package
    }

    /// The day the record last changed: its newest article's date, update
    /// or correction, or its newest withdrawal (which takes rows out).
    /// Never the build's clock.
    fn data_version(&self) -> Option<&Moment> {
        let articles = self.site.articles.iter().map(|a| a.modified());
        let withdrawn = self.site.config.withdrawn.iter().map(|w| &w.date);
        articles.chain(withdrawn).max()
    }

    /// How to cite the data.
    pub(crate) fn citation(&self) -> String {
        let config = &self.site.config;
        let version = match self.data_version() {
            Some(date) => format!(", version of {}", crate::dates::long(date)),
            None => String::new(),
        };
        format!("{}: data{version}. {}data/", config.title, config.base_url)
    }
}

/// What a CSV cell's first `'` may be, said with every table.
const CSV_ESCAPE: &str = "A text that starts with =, +, -, @, ', a tab or a carriage return has one ' added before it, so that a spreadsheet does not run it as a formula: remove the first ' of any text that starts with one to get the text as written.";

/// A table as a Data Package resource.
fn resource(table: &Table) -> Value {
    let foreign_keys: Vec<Value> = (table.foreign_keys.iter())
        .map(|(fields, resource, reference)| {
            json!({ "fields": fields, "reference": { "resource": resource, "fields": reference } })
        })
        .collect();
    json!({
        "name": table.name,
        "title": table.title,
        "description": format!("{} {CSV_ESCAPE}", table.description),
        "profile": "tabular-data-resource",
        // A table in several files is one resource: Frictionless reads the
        // files in order, each with its header.
        "path": match table.files.as_slice() {
            [one] => json!(one),
            several => json!(several),
        },
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        "schema": {
            "fields": table.fields,
            "primaryKey": table.primary_key,
            "foreignKeys": foreign_keys,
        },
    })
}

/// A package name as the spec allows: lowercase letters, digits, `-`.
fn package_name(title: &str) -> String {
    match crate::slug::slugify(title) {
        name if name.is_empty() => "annals-data".to_owned(),
        name => name,
    }
}

/// What `/data/` shows.
#[derive(Serialize)]
pub(crate) struct Codebook<'a> {
    pub citation: String,
    pub license: Option<&'a crate::config::License>,
    pub package: String,
    /// Each year with statements, and its files.
    pub years: Vec<YearFiles>,
    pub withdrawn: [String; 2],
    pub statement_fields: &'static [Field],
    /// The other tables: title, description, file and columns.
    pub tables: Vec<TableView>,
    /// The whole-archive files.
    pub whole: Vec<String>,
    /// The package as one download, or in parts: each zip's address,
    /// name and size. Empty where nothing is written (`annals check`).
    pub downloads: Vec<DownloadView>,
}

#[derive(Serialize)]
pub(crate) struct DownloadView {
    pub url: String,
    pub name: String,
    /// `3.2 MB`.
    pub size: String,
}

#[derive(Serialize)]
pub(crate) struct YearFiles {
    pub year: i16,
    /// The CSV and JSON of each part.
    pub parts: Vec<[String; 2]>,
}

#[derive(Serialize)]
pub(crate) struct TableView {
    pub title: &'static str,
    pub description: &'static str,
    /// The file, or the files it continues in.
    pub urls: Vec<String>,
    pub fields: &'static [Field],
}

impl Renderer<'_> {
    /// The codebook: every export, its columns and how to cite the data.
    pub(super) fn codebook(&self) -> Codebook<'_> {
        let data =
            |file: DataFile, part: usize| format!("{}data/{}", self.urls.root, file.name(part));
        let years = (self.index.years.iter())
            .filter(|(_, said)| !said.statements.is_empty())
            .map(|(&year, said)| YearFiles {
                year,
                parts: (0..said.statements.len().div_ceil(SHARD_ROWS))
                    .map(|part| {
                        [Format::Csv, Format::Json]
                            .map(|f| data(DataFile::Statements(year, f), part))
                    })
                    .collect(),
            })
            .collect();
        let tables = (self.tables().into_iter())
            .filter(|table| !table.name.starts_with("statements"))
            .map(|table| TableView {
                title: table.title,
                description: table.description,
                urls: (table.files.iter())
                    .map(|file| format!("{}data/{file}", self.urls.root))
                    .collect(),
                fields: table.fields,
            })
            .collect();
        let whole = [
            DataFile::StatementsJson,
            DataFile::StatementsCsv,
            DataFile::People,
            DataFile::Sources,
            DataFile::CorrectionsJson,
            DataFile::TranslationsJson,
        ];
        let whole = whole.into_iter().filter(|&file| self.writes(file));
        Codebook {
            citation: self.citation(),
            license: self.site.config.license.as_ref(),
            package: data(DataFile::Package, 0),
            years,
            withdrawn: [Format::Csv, Format::Json].map(|f| data(DataFile::Withdrawn(f), 0)),
            statement_fields: STATEMENT_FIELDS,
            tables,
            whole: whole.map(|file| data(file, 0)).collect(),
            downloads: (self.downloads.iter())
                .map(|zip| DownloadView {
                    url: format!("{}{}", self.urls.root, zip.path),
                    name: zip.path.rsplit('/').next().unwrap_or_default().to_owned(),
                    size: crate::hosts::size(zip.bytes),
                })
                .collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::{Delivery, SourceKind};

    #[test]
    fn closed_lists_are_the_values_annals_reads() {
        let read = |value: &str| serde_yaml::from_str::<Delivery>(value).map(Delivery::as_str);
        for value in DELIVERIES {
            assert_eq!(read(value).ok(), Some(*value));
        }
        let read = |value: &str| serde_yaml::from_str::<SourceKind>(value).map(SourceKind::as_str);
        for value in SOURCE_KINDS {
            assert_eq!(read(value).ok(), Some(*value));
        }
        for wrong in ["transcript", "video"] {
            assert!(read(wrong).is_err(), "{wrong}");
        }
        // Every value annals reads is listed: a new one fails to compile here.
        let all = |delivery| match delivery {
            Delivery::Spoken
            | Delivery::AsDelivered
            | Delivery::AsPrepared
            | Delivery::NearVerbatim
            | Delivery::Readout
            | Delivery::Written
            | Delivery::Post => DELIVERIES.contains(&Delivery::as_str(delivery)),
        };
        assert!(all(Delivery::Post) && DELIVERIES.len() == 7);
        let all = |kind| match kind {
            SourceKind::News
            | SourceKind::Official
            | SourceKind::Social
            | SourceKind::Report
            | SourceKind::Other => SOURCE_KINDS.contains(&SourceKind::as_str(kind)),
        };
        assert!(all(SourceKind::Other) && SOURCE_KINDS.len() == 5);
    }

    fn table(files: &[&str]) -> Table {
        Table {
            name: "articles".into(),
            title: "Articles",
            description: "",
            fields: ARTICLE_FIELDS,
            files: files.iter().map(|f| (*f).to_owned()).collect(),
            primary_key: &["id"],
            foreign_keys: &[],
        }
    }

    #[test]
    fn a_table_in_several_files_is_one_resource_listing_them_in_order() {
        assert_eq!(
            resource(&table(&["articles.csv"]))["path"],
            json!("articles.csv")
        );
        let several = resource(&table(&["articles.csv", "articles-2.csv"]));
        assert_eq!(several["path"], json!(["articles.csv", "articles-2.csv"]));
        assert_eq!(several["schema"]["primaryKey"], json!(["id"]));
    }

    #[test]
    fn package_names_are_slugs() {
        assert_eq!(package_name("Annals — May 2021"), "annals-may-2021");
        assert_eq!(package_name("—"), "annals-data");
    }
}
