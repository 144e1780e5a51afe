//! What a build publishes for machines, read back with independent parsers
//! on tests/fixtures/publish: Atom feeds (feed-rs), the sitemap and
//! robots.txt, JSON-LD and page metadata (scraper, serde_json), the research
//! exports under /data/ (csv), and statement permalinks that do not move
//! when statements are added. On tests/fixtures/text-safety: text that a
//! spreadsheet would run, markup and control characters, which must leave
//! every feed, page and export valid.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use feed_rs::model::{Entry, Feed, FeedType};
use scraper::{ElementRef, Html, Selector};
use serde_json::{Value, json};

use crate::site::{build, files, read};

const BASE_URL: &str = "https://example.org/archive/";

/// An article of the fixture, as its front matter states it.
struct Article {
    slug: &'static str,
    title: &'static str,
    /// Its `summary`, or its first paragraph when it has none.
    summary: &'static str,
    date: &'static str,
    updated: Option<&'static str>,
    sources: usize,
    statements: usize,
}

impl Article {
    fn page(&self) -> String {
        format!("articles/{}/index.html", self.slug)
    }

    fn url(&self) -> String {
        format!("{BASE_URL}articles/{}/", self.slug)
    }

    fn modified(&self) -> &'static str {
        self.updated.unwrap_or(self.date)
    }
}

/// Newest first, the order of the site feed.
const ARTICLES: &[Article] = &[
    Article {
        slug: "ceasefire",
        title: "A ceasefire is announced",
        summary: "Both sides agree to stop firing at midnight.",
        date: "2021-05-12T18:30:00+03:00",
        updated: None,
        sources: 1,
        statements: 1,
    },
    Article {
        slug: "aid-convoy",
        title: "An aid convoy crosses the border",
        summary: "Twelve trucks crossed at dawn, the first in a week.",
        date: "2021-05-11",
        updated: None,
        sources: 2,
        statements: 2,
    },
    Article {
        slug: "talks-begin",
        title: "Talks begin in the capital",
        summary: "The first round of talks opens, and both sides state their terms.",
        date: "2021-05-10",
        updated: Some("2021-05-12"),
        sources: 2,
        statements: 2,
    },
];

/// A person of the fixture.
struct Person {
    id: &'static str,
    name: &'static str,
    /// The schema.org type of its `kind`.
    schema_type: &'static str,
    links: &'static [&'static str],
    statements: usize,
}

impl Person {
    fn page(&self) -> String {
        format!("people/{}/index.html", self.id)
    }

    fn feed(&self) -> String {
        format!("people/{}/atom.xml", self.id)
    }
}

const PEOPLE: &[Person] = &[
    Person {
        id: "amina",
        name: "Amina Haddad",
        schema_type: "Person",
        links: &[
            "https://example.org/amina",
            "https://social.example.net/@amina",
        ],
        statements: 2,
    },
    Person {
        id: "lars",
        name: "Lars Berg",
        schema_type: "Person",
        links: &[],
        statements: 2,
    },
    Person {
        id: "relief-agency",
        name: "Relief Agency",
        schema_type: "Organization",
        links: &[],
        statements: 1,
    },
];

/// The quote written as a YAML block scalar with commas, double quotes and
/// a line break: the hardest case for CSV.
const TRICKY_QUOTE: &str = "We said \"no\", then \"yes, but only if\", and waited,\nand the \"talks\", as they call them, went on.";

/// The columns of statements.csv, in the order researchers' scripts rely on.
const STATEMENT_COLUMNS: [&str; 27] = [
    "id",
    "person_id",
    "person_name",
    "date",
    "kind",
    "text",
    "lang",
    "translation",
    "context",
    "source_publisher",
    "source_title",
    "source_url",
    "source_archive",
    "article_title",
    "article_url",
    "permalink",
    "person_role",
    "source_archived",
    "source_accessed",
    "former_ids",
    "withdrawn",
    "withdrawn_reason",
    "date_precision",
    "via",
    "delivery",
    "article_id",
    "source_id",
];

/// The fixture's briefing of 10 May: its Wayback address's 14-digit
/// timestamp dates its archived copy, and `accessed:` says when it was read.
const BRIEFING_URL: &str = "https://example.org/ministry/briefing-10-may";
const BRIEFING_ARCHIVE: &str =
    "https://web.archive.org/web/20210510143000/https://example.org/ministry/briefing-10-may";
const BRIEFING_ARCHIVED: &str = "2021-05-10T14:30:00Z";
const BRIEFING_ACCESSED: &str = "2021-05-11";

type Row = BTreeMap<String, String>;

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/publish")
}

/// `index.html` → the base URL, `a/b/index.html` → `…/a/b/`.
fn page_url(file: &str) -> String {
    format!(
        "{BASE_URL}{}",
        file.strip_suffix("index.html").unwrap_or(file)
    )
}

fn html_files(output: &Path) -> Vec<String> {
    files(output)
        .into_keys()
        .filter(|name| name.ends_with(".html"))
        .collect()
}

/// Every HTML page of the output, parsed.
fn pages(output: &Path) -> Vec<(String, Html)> {
    html_files(output)
        .into_iter()
        .map(|name| {
            let html = Html::parse_document(&read(output, &name));
            (name, html)
        })
        .collect()
}

fn select<'h>(html: &'h Html, css: &str) -> Vec<ElementRef<'h>> {
    let selector = Selector::parse(css).unwrap_or_else(|e| panic!("selector {css}: {e}"));
    html.select(&selector).collect()
}

/// The attribute `name` of the first element matching `css`.
fn attr(html: &Html, css: &str, name: &str) -> Option<String> {
    let element = *select(html, css).first()?;
    element.value().attr(name).map(str::to_owned)
}

/// Collapses runs of whitespace, as a browser shows text.
fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A moment of the front matter (a day is its midnight UTC) as Unix seconds.
fn utc_seconds(moment: &str) -> i64 {
    let instant = match moment.len() {
        10 => format!("{moment}T00:00:00Z"),
        _ => moment.to_owned(),
    };
    let parsed: jiff::Timestamp = instant
        .parse()
        .unwrap_or_else(|e| panic!("{moment} is no date: {e}"));
    parsed.as_second()
}

fn feed(output: &Path, file: &str) -> Feed {
    let bytes = std::fs::read(output.join(file)).unwrap_or_else(|e| panic!("{file}: {e}"));
    let feed = feed_rs::parser::parse(bytes.as_slice())
        .unwrap_or_else(|e| panic!("{file} does not parse as a feed: {e:?}"));
    assert_eq!(feed.feed_type, FeedType::Atom, "{file} is not read as Atom");
    feed
}

/// The site feed and every person's feed.
fn feed_files() -> Vec<String> {
    let people = PEOPLE.iter().map(Person::feed);
    std::iter::once("atom.xml".to_owned())
        .chain(people)
        .collect()
}

fn title(entry: &Entry) -> &str {
    entry.title.as_ref().map_or("", |t| t.content.as_str())
}

/// The entry's `rel="alternate"` link (Atom's default relation).
fn alternate(entry: &Entry) -> &str {
    let link = entry
        .links
        .iter()
        .find(|l| l.rel.as_deref().is_none_or(|rel| rel == "alternate"));
    link.map_or("", |l| l.href.as_str())
}

/// `/data/statements.csv` read back: its header, and each row by column.
fn statements_csv(output: &Path) -> (Vec<String>, Vec<Row>) {
    let mut reader = csv::Reader::from_path(output.join("data/statements.csv"))
        .expect("data/statements.csv opens");
    let header: Vec<String> = reader
        .headers()
        .expect("statements.csv has a header")
        .iter()
        .map(str::to_owned)
        .collect();
    let rows = reader
        .records()
        .map(|record| {
            let record = record.expect("every statements.csv record parses as UTF-8 CSV");
            header
                .iter()
                .cloned()
                .zip(record.iter().map(str::to_owned))
                .collect()
        })
        .collect();
    (header, rows)
}

/// Rows by the value of one column.
fn by<'r>(rows: &'r [Row], column: &str) -> BTreeMap<&'r str, &'r Row> {
    rows.iter().map(|row| (row[column].as_str(), row)).collect()
}

/// A cell as the CSV export writes it: text a spreadsheet would run as a
/// formula gets a leading `'` (OWASP's advice against CSV injection).
fn for_spreadsheets(text: &str) -> String {
    match text.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{text}"),
        _ => text.to_owned(),
    }
}

fn json_file<T: serde::de::DeserializeOwned>(output: &Path, file: &str) -> T {
    serde_json::from_str(&read(output, file))
        .unwrap_or_else(|e| panic!("{file} does not parse as expected: {e}"))
}

/// Every document of /data/sources.json as (publisher, url).
fn documents(output: &Path) -> BTreeSet<(String, String)> {
    let publishers: Vec<Value> = json_file(output, "data/sources.json");
    let mut documents = BTreeSet::new();
    for publisher in &publishers {
        let name = publisher["name"].as_str().unwrap_or_default();
        for document in publisher["documents"].as_array().into_iter().flatten() {
            let url = document["url"].as_str().unwrap_or_default();
            documents.insert((name.to_owned(), url.to_owned()));
        }
    }
    documents
}

/// The JSON-LD nodes of every page (the items of each block's `@graph`);
/// fails naming the page if any block is not JSON.
fn json_ld_pages(output: &Path) -> BTreeMap<String, Vec<Value>> {
    let mut all = BTreeMap::new();
    for (name, html) in pages(output) {
        let mut nodes = Vec::new();
        for script in select(&html, r#"script[type="application/ld+json"]"#) {
            let text: String = script.text().collect();
            let block: Value = serde_json::from_str(&text)
                .unwrap_or_else(|e| panic!("{name}: a JSON-LD block is not JSON ({e}): {text}"));
            assert_eq!(block["@context"], "https://schema.org", "{name}: @context");
            match block.get("@graph").and_then(Value::as_array) {
                Some(graph) => nodes.extend(graph.iter().cloned()),
                None => nodes.push(block),
            }
        }
        all.insert(name, nodes);
    }
    all
}

fn of_type<'v>(nodes: &'v [Value], kind: &str) -> Vec<&'v Value> {
    nodes.iter().filter(|n| n["@type"] == kind).collect()
}

#[test]
fn the_site_feed_lists_every_article_with_absolute_links_and_dates() {
    let (_dir, output) = build(&fixture(), &[]);
    let feed = feed(&output, "atom.xml");
    assert_eq!(feed.entries.len(), ARTICLES.len(), "one entry per article");
    for (entry, article) in feed.entries.iter().zip(ARTICLES) {
        let slug = article.slug;
        assert_eq!(title(entry), article.title, "entries newest first");
        assert_eq!(alternate(entry), article.url(), "{slug}: entry link");
        assert_eq!(entry.id, article.url(), "{slug}: entry id");
        assert_eq!(
            entry.updated.map(|t| t.timestamp()),
            Some(utc_seconds(article.modified())),
            "{slug}: <updated> should be its `updated`, else its date"
        );
        assert_eq!(
            entry.published.map(|t| t.timestamp()),
            Some(utc_seconds(article.date)),
            "{slug}: <published> should be its date"
        );
    }
    let newest = ARTICLES.iter().map(|a| utc_seconds(a.modified())).max();
    assert_eq!(
        feed.updated.map(|t| t.timestamp()),
        newest,
        "the feed's <updated> should be its newest entry's"
    );
}

#[test]
fn each_person_feed_follows_what_that_person_says() {
    let (_dir, output) = build(&fixture(), &[]);
    let (_, rows) = statements_csv(&output);
    let by_permalink = by(&rows, "permalink");
    for person in PEOPLE {
        let file = person.feed();
        let feed = feed(&output, &file);
        assert_eq!(feed.entries.len(), person.statements, "{file}: entries");
        let mut previous = i64::MAX;
        for entry in &feed.entries {
            let link = alternate(entry);
            assert!(link.starts_with(BASE_URL), "{file}: {link} is not absolute");
            let row = by_permalink.get(link).unwrap_or_else(|| {
                panic!("{file}: entry link {link} is no permalink in statements.csv")
            });
            assert_eq!(
                row["person_id"], person.id,
                "{file}: {link} is someone else's"
            );
            let title = title(entry);
            assert!(
                title.starts_with(&format!("{}: ", person.name)) && !title.contains('\n'),
                "{file}: title {title:?} should be one line starting with the speaker's name"
            );
            let updated = entry.updated.map(|t| t.timestamp());
            assert_eq!(
                updated,
                Some(utc_seconds(&row["date"])),
                "{file}: {link} should be dated when it was said"
            );
            let updated = updated.unwrap_or_default();
            assert!(updated <= previous, "{file}: newest statement first");
            previous = updated;
        }
    }
}

#[test]
fn feed_ids_are_unique_and_the_same_in_every_build() {
    let ids = |output: &Path, file: &str| -> Vec<String> {
        let feed = feed(output, file);
        let entries = feed.entries.into_iter().map(|e| e.id);
        std::iter::once(feed.id).chain(entries).collect()
    };
    let (_a, first) = build(&fixture(), &[]);
    let (_b, second) = build(&fixture(), &[]);
    for file in feed_files() {
        let these = ids(&first, &file);
        let unique: BTreeSet<&String> = these.iter().collect();
        assert_eq!(unique.len(), these.len(), "{file}: repeated ids {these:?}");
        for id in &these {
            assert!(
                id.starts_with(BASE_URL),
                "{file}: id {id} is not under base_url"
            );
        }
        assert_eq!(
            these,
            ids(&second, &file),
            "{file}: ids changed between builds"
        );
    }
}

#[test]
fn every_page_links_the_site_feed_and_person_pages_their_own() {
    let (_dir, output) = build(&fixture(), &[]);
    for (name, html) in pages(&output) {
        let linked: Vec<String> = select(
            &html,
            r#"link[rel="alternate"][type="application/atom+xml"]"#,
        )
        .iter()
        .filter_map(|l| l.value().attr("href").map(str::to_owned))
        .collect();
        let person = name
            .strip_prefix("people/")
            .and_then(|rest| rest.strip_suffix("/index.html"));
        let own = person.map(|id| format!("people/{id}/atom.xml"));
        for feed in std::iter::once("atom.xml".to_owned()).chain(own) {
            assert!(
                linked.contains(&format!("/archive/{feed}")),
                "{name}: no <link rel=\"alternate\" type=\"application/atom+xml\"> to /archive/{feed} (has {linked:?})"
            );
            assert!(
                output.join(&feed).is_file(),
                "{name} links {feed}, not built"
            );
        }
    }
}

/// The sitemap's `<loc>`s with their `<lastmod>`, if any.
fn sitemap(xml: &str) -> Vec<(String, Option<String>)> {
    let between = |text: &str, open: &str, close: &str| -> Option<String> {
        let (_, rest) = text.split_once(open)?;
        rest.split_once(close).map(|(inside, _)| inside.to_owned())
    };
    xml.split("<url>")
        .skip(1)
        .map(|url| {
            let loc = between(url, "<loc>", "</loc>")
                .unwrap_or_else(|| panic!("sitemap <url> without <loc>: {url}"));
            (
                loc.replace("&amp;", "&"),
                between(url, "<lastmod>", "</lastmod>"),
            )
        })
        .collect()
}

#[test]
fn the_sitemap_lists_every_page_with_its_last_change_and_robots_points_at_it() {
    let (_dir, output) = build(&fixture(), &[]);
    let entries = sitemap(&read(&output, "sitemap.xml"));
    let listed: BTreeMap<String, Option<String>> = entries.iter().cloned().collect();
    assert_eq!(listed.len(), entries.len(), "a page is listed twice");
    let pages: BTreeSet<String> = html_files(&output)
        .iter()
        .filter(|name| *name != "404.html")
        .map(|name| page_url(name))
        .collect();
    let locs: BTreeSet<String> = listed.keys().cloned().collect();
    assert_eq!(
        locs, pages,
        "sitemap <loc>s (left) differ from the HTML pages of the output (right)"
    );
    for article in ARTICLES {
        assert_eq!(
            listed[&article.url()].as_deref(),
            Some(article.modified()),
            "{}: <lastmod> should be its `updated`, else its date",
            article.slug
        );
    }
    let robots = read(&output, "robots.txt");
    let line = format!("Sitemap: {BASE_URL}sitemap.xml");
    assert!(
        robots.lines().any(|l| l == line),
        "robots.txt lacks `{line}`:\n{robots}"
    );
}

#[test]
fn article_json_ld_is_a_news_article_citing_each_source() {
    let (_dir, output) = build(&fixture(), &[]);
    let json_ld = json_ld_pages(&output);
    let documents = documents(&output);
    for article in ARTICLES {
        let page = article.page();
        let news = of_type(&json_ld[&page], "NewsArticle");
        assert_eq!(news.len(), 1, "{page}: one NewsArticle");
        let news = news[0];
        for (field, expected) in [
            ("headline", article.title.to_owned()),
            ("url", article.url()),
            ("datePublished", article.date.to_owned()),
            ("dateModified", article.modified().to_owned()),
        ] {
            assert_eq!(news[field], expected, "{page}: NewsArticle {field}");
        }
        let citations = news["citation"].as_array().map_or(&[][..], Vec::as_slice);
        assert_eq!(
            citations.len(),
            article.sources,
            "{page}: one citation a source"
        );
        for citation in citations {
            let url = citation["url"].as_str().unwrap_or_default();
            let publisher = citation["publisher"]["name"].as_str().unwrap_or_default();
            let cited = (publisher.to_owned(), url.to_owned());
            assert!(
                documents.contains(&cited),
                "{page}: citation {cited:?} (publisher, url) is not in sources.json"
            );
            assert!(
                citation["name"].as_str().is_some_and(|n| !n.is_empty()),
                "{page}: citation {url} has no name"
            );
        }
    }
}

#[test]
fn each_statement_is_a_quotation_with_speaker_date_source_and_language() {
    let (_dir, output) = build(&fixture(), &[]);
    let json_ld = json_ld_pages(&output);
    let (_, rows) = statements_csv(&output);
    let by_permalink = by(&rows, "permalink");
    let mut languages = BTreeSet::new();
    let mut quotations = 0;
    for article in ARTICLES {
        let page = article.page();
        let said = of_type(&json_ld[&page], "Quotation");
        assert_eq!(
            said.len(),
            article.statements,
            "{page}: one Quotation a statement"
        );
        for quotation in said {
            let id = quotation["@id"].as_str().unwrap_or_default();
            let row = by_permalink
                .get(id)
                .unwrap_or_else(|| panic!("{page}: Quotation {id:?} is no statement permalink"));
            for (field, column) in [
                ("text", "text"),
                ("dateCreated", "date"),
                ("isBasedOn", "source_url"),
                ("inLanguage", "lang"),
            ] {
                assert_eq!(quotation[field], row[column].as_str(), "{id}: {field}");
            }
            let creator = &quotation["creator"];
            assert_eq!(
                creator["name"],
                row["person_name"].as_str(),
                "{id}: creator"
            );
            assert!(
                matches!(creator["@type"].as_str(), Some("Person" | "Organization")),
                "{id}: creator is a {}",
                creator["@type"]
            );
            let translation = &quotation["workTranslation"];
            match row["translation"].as_str() {
                "" => assert!(translation.is_null(), "{id}: no translation"),
                text => assert_eq!(
                    (
                        translation["text"].as_str(),
                        translation["inLanguage"].as_str()
                    ),
                    (Some(text), Some("en")),
                    "{id}: the translation"
                ),
            }
            languages.insert(row["lang"].clone());
            quotations += 1;
        }
    }
    assert_eq!(
        quotations,
        rows.len(),
        "every exported statement is a Quotation"
    );
    assert_eq!(
        languages,
        BTreeSet::from(["ar".into(), "en".into()]),
        "inLanguage"
    );
}

#[test]
fn person_json_ld_has_same_as_from_links() {
    let (_dir, output) = build(&fixture(), &[]);
    let json_ld = json_ld_pages(&output);
    for person in PEOPLE {
        let page = person.page();
        let nodes = of_type(&json_ld[&page], person.schema_type);
        assert_eq!(nodes.len(), 1, "{page}: one {}", person.schema_type);
        let node = nodes[0];
        assert_eq!(node["name"], person.name, "{page}: name");
        assert_eq!(node["url"], page_url(&page), "{page}: url");
        assert_eq!(
            node["sameAs"],
            json!(person.links),
            "{page}: sameAs from links"
        );
    }
}

#[test]
fn pages_carry_canonical_open_graph_twitter_and_description_meta() {
    let (_dir, output) = build(&fixture(), &[]);
    for (name, html) in pages(&output) {
        let content =
            |css: &str| attr(&html, css, "content").unwrap_or_else(|| panic!("{name}: no {css}"));
        let canonical = attr(&html, r#"link[rel="canonical"]"#, "href");
        assert_eq!(canonical, Some(page_url(&name)), "{name}: canonical link");
        let og_url = content(r#"meta[property="og:url"]"#);
        assert_eq!(
            Some(og_url),
            canonical,
            "{name}: og:url is not the canonical URL"
        );
        let description = content(r#"meta[name="description"]"#);
        assert!(!description.is_empty(), "{name}: empty description");
        // Said once: Open Graph and schema.org readers fall back to it.
        assert_eq!(
            attr(&html, r#"meta[property="og:description"]"#, "content"),
            None,
            "{name}: og:description repeats the description"
        );
        assert!(
            !html
                .html()
                .contains(&format!("\"description\":\"{description}")),
            "{name}: the JSON-LD repeats the description"
        );
        assert!(
            !content(r#"meta[property="og:title"]"#).is_empty(),
            "{name}: og:title"
        );
        assert_eq!(content(r#"meta[name="twitter:card"]"#), "summary", "{name}");
    }
    for article in ARTICLES {
        let page = article.page();
        let html = Html::parse_document(&read(&output, &page));
        let content = |css: &str| attr(&html, css, "content").unwrap_or_default();
        assert_eq!(
            content(r#"meta[name="description"]"#),
            article.summary,
            "{page}: the description should be the summary"
        );
        assert_eq!(content(r#"meta[property="og:type"]"#), "article", "{page}");
        let og_title = content(r#"meta[property="og:title"]"#);
        assert!(
            og_title.starts_with(article.title),
            "{page}: og:title {og_title}"
        );
    }
}

#[test]
fn statements_csv_reads_back_with_fixed_columns_and_every_quote_intact() {
    let (_dir, output) = build(&fixture(), &[]);
    let raw = read(&output, "data/statements.csv");
    assert!(
        raw.starts_with(&format!("{}\r\n", STATEMENT_COLUMNS.join(","))),
        "statements.csv should start with the header and an RFC 4180 CRLF"
    );
    let (header, rows) = statements_csv(&output);
    assert_eq!(
        header, STATEMENT_COLUMNS,
        "statements.csv columns or their order"
    );
    let statements: usize = ARTICLES.iter().map(|a| a.statements).sum();
    assert_eq!(rows.len(), statements, "one row per statement");
    let row = |column: &str, value: &str| -> &Row {
        let found = rows.iter().find(|r| r[column].starts_with(value));
        found.unwrap_or_else(|| panic!("no row whose {column} starts with {value:?}"))
    };
    let tricky = row("text", "We said");
    assert_eq!(
        tricky["text"], TRICKY_QUOTE,
        "the quote with commas, quotes and a line break did not survive"
    );
    assert_eq!(tricky["source_title"], "Daily briefing, 10 May");
    assert_eq!(
        (
            tricky["source_archive"].as_str(),
            tricky["source_archived"].as_str(),
            tricky["source_accessed"].as_str()
        ),
        (BRIEFING_ARCHIVE, BRIEFING_ARCHIVED, BRIEFING_ACCESSED),
        "the archived copy, when it was made and when the source was read"
    );
    let convoy = row("source_title", "Convoy update");
    assert_eq!(
        (
            convoy["source_archived"].as_str(),
            convoy["source_accessed"].as_str()
        ),
        ("", ""),
        "an archive address without a capture timestamp dates nothing"
    );
    let arabic = row("lang", "ar");
    assert_eq!(arabic["text"], "وصلت الشاحنات الأولى", "the Arabic quote");
    assert_eq!(arabic["translation"], "The first trucks have arrived.");
    assert_eq!(
        arabic["person_role"], "Spokesperson",
        "the role at the time, not today's"
    );
    assert_eq!(
        row("person_id", "lars")["person_role"],
        "Special Envoy",
        "without a role at the time, the person's role"
    );
    assert_eq!(
        row("kind", "paraphrase")["person_id"],
        "lars",
        "the paraphrase"
    );
    let named = row("id", "lars-midnight");
    assert_eq!(
        named["permalink"],
        format!("{BASE_URL}articles/ceasefire/#lars-midnight"),
        "an explicit id is the permalink's anchor"
    );
}

#[test]
fn the_json_exports_agree_with_the_csv() {
    let (_dir, output) = build(&fixture(), &[]);
    let (_, rows) = statements_csv(&output);
    let json_rows: Vec<Row> = json_file(&output, "data/statements.json");
    let as_csv: Vec<Row> = json_rows
        .iter()
        .map(|row| {
            let cells = row.iter().map(|(k, v)| (k.clone(), for_spreadsheets(v)));
            cells.collect()
        })
        .collect();
    assert_eq!(as_csv, rows, "statements.json and statements.csv differ");

    let people: Vec<Value> = json_file(&output, "data/people.json");
    let speakers: BTreeSet<&str> = rows.iter().map(|r| r["person_id"].as_str()).collect();
    let ids: BTreeSet<&str> = people.iter().filter_map(|p| p["id"].as_str()).collect();
    assert_eq!(
        ids, speakers,
        "people.json ids and statements.csv person_ids"
    );
    for person in &people {
        let id = person["id"].as_str().unwrap_or_default();
        let said: Vec<&Row> = rows.iter().filter(|r| r["person_id"] == id).collect();
        assert_eq!(
            person["statement_count"],
            said.len(),
            "{id}: statement_count"
        );
        for row in said {
            assert_eq!(person["name"], row["person_name"].as_str(), "{id}: name");
        }
    }

    let cited: BTreeSet<(String, String)> = rows
        .iter()
        .map(|r| (r["source_publisher"].clone(), r["source_url"].clone()))
        .collect();
    assert_eq!(
        documents(&output),
        cited,
        "sources.json (left) and the sources statements.csv cites (right)"
    );
}

/// Every document of /data/sources.json by its url.
fn documents_by_url(output: &Path) -> BTreeMap<String, Value> {
    let publishers: Vec<Value> = json_file(output, "data/sources.json");
    let documents = publishers
        .iter()
        .flat_map(|p| p["documents"].as_array().cloned().unwrap_or_default());
    documents
        .filter_map(|d| Some((d["url"].as_str()?.to_owned(), d)))
        .collect()
}

#[test]
fn sources_json_dates_each_archived_copy_and_reading() {
    let (_dir, output) = build(&fixture(), &[]);
    let documents = documents_by_url(&output);
    let briefing = &documents[BRIEFING_URL];
    assert_eq!(briefing["archive"], BRIEFING_ARCHIVE);
    assert_eq!(
        briefing["archived"], BRIEFING_ARCHIVED,
        "from the timestamp"
    );
    assert_eq!(briefing["accessed"], BRIEFING_ACCESSED);
    let wire = &documents["https://news.example.com/envoy-returns"];
    assert_eq!(
        (wire["archive"].as_str(), wire["archived"].as_str()),
        (
            Some("https://archive.example.net/envoy-returns.html"),
            Some("2021-05-10")
        ),
        "`archived:` as written"
    );
    let convoy = &documents["https://relief.example.org/updates/convoy"];
    assert!(convoy["archived"].is_null() && convoy["accessed"].is_null());
}

#[test]
fn json_ld_cites_each_archived_copy_with_its_date() {
    let (_dir, output) = build(&fixture(), &[]);
    let json_ld = json_ld_pages(&output);
    let documents = documents_by_url(&output);
    let mut archived = 0;
    for article in ARTICLES {
        let page = article.page();
        let news = of_type(&json_ld[&page], "NewsArticle");
        let citations = news[0]["citation"].as_array().cloned().unwrap_or_default();
        for citation in citations {
            let url = citation["url"].as_str().unwrap_or_default();
            let document = &documents[url];
            let copy = &citation["archivedAt"];
            match document["archive"].as_str() {
                None => assert!(copy.is_null(), "{page}: {url} has no archived copy"),
                Some(archive) => {
                    assert_eq!(copy["@type"], "WebPage", "{page}: {url}");
                    assert_eq!(copy["url"], archive, "{page}: {url}");
                    assert_eq!(copy["dateCreated"], document["archived"], "{page}: {url}");
                    archived += 1;
                }
            }
        }
    }
    assert!(archived >= 4, "the fixture's archived sources: {archived}");
    let talks = &json_ld[&ARTICLES[2].page()];
    let citations = &of_type(talks, "NewsArticle")[0]["citation"];
    assert_eq!(citations[0]["archivedAt"]["dateCreated"], BRIEFING_ARCHIVED);
}

/// The citation a link to a source is part of: its source list item, its
/// statement's source line, or its publisher page's document.
fn citation_of(link: ElementRef<'_>) -> Option<ElementRef<'_>> {
    link.ancestors().filter_map(ElementRef::wrap).find(|e| {
        let element = e.value();
        element.name() == "li" || element.classes().any(|c| c == "cite")
    })
}

/// What the Robust Links attributes of a link to `document` (a row of
/// sources.json) must be: the original, its copy, and the day of the copy,
/// else of the reading.
fn robust_attributes(document: &Value) -> [Option<String>; 3] {
    let text = |key: &str| document[key].as_str().map(str::to_owned);
    let date = text("archived").or_else(|| text("accessed"));
    let day = date.map(|d| d.chars().take(10).collect());
    [text("url"), text("archive"), day]
}

#[test]
fn every_link_to_a_source_is_a_robust_link_beside_its_archived_copy() {
    let (_dir, output) = build(&fixture(), &[]);
    let documents = documents_by_url(&output);
    let mut checked = BTreeSet::new();
    for (name, html) in pages(&output) {
        for link in select(&html, "a[href]") {
            let href = link.value().attr("href").unwrap_or_default();
            let Some(document) = documents.get(href) else {
                continue;
            };
            let found = ["data-originalurl", "data-versionurl", "data-versiondate"]
                .map(|a| link.value().attr(a).map(str::to_owned));
            assert_eq!(found, robust_attributes(document), "{name}: {href}");
            let citation = citation_of(link).unwrap_or_else(|| panic!("{name}: {href}"));
            let copies: Vec<ElementRef> = citation
                .select(&Selector::parse("a.archive").expect("selector"))
                .collect();
            let archive = document["archive"].as_str();
            assert_eq!(
                copies.first().and_then(|a| a.value().attr("href")),
                archive,
                "{name}: {href}: the archived copy beside it"
            );
            if let Some(copy) = copies.first() {
                let text = one_line(&copy.text().collect::<String>());
                assert!(text.starts_with("Archived copy"), "{name}: {text}");
            }
            checked.insert(name.split('/').next().unwrap_or_default().to_owned());
        }
    }
    assert_eq!(
        checked,
        BTreeSet::from(
            // A year lists each statement in a line, linked to its article.
            ["articles", "index.html", "people", "sources"].map(String::from)
        ),
        "links to sources on every kind of page that shows them"
    );
    let talks = Html::parse_document(&read(&output, &ARTICLES[2].page()));
    let copy = select(&talks, "#source-1 a.archive time");
    assert_eq!(
        copy.first().and_then(|t| t.value().attr("datetime")),
        Some(BRIEFING_ARCHIVED)
    );
    let accessed = select(&talks, "#source-1 .accessed");
    let accessed = accessed
        .first()
        .map(|a| one_line(&a.text().collect::<String>()));
    assert_eq!(accessed.as_deref(), Some("Accessed 11 May 2021."));
}

/// Every place a statement's anchor is published, as (file, anchor, what
/// it shows): the statements of every page and the rows of both exports.
fn permalinks(output: &Path) -> BTreeSet<(String, String, String)> {
    let mut found = BTreeSet::new();
    for (name, html) in pages(output) {
        for figure in select(&html, "figure.statement") {
            let id = figure.value().attr("id").unwrap_or_default().to_owned();
            let shown = one_line(&figure.text().collect::<String>());
            found.insert((name.clone(), id, shown));
        }
    }
    let (_, csv_rows) = statements_csv(output);
    let json_rows: Vec<Row> = json_file(output, "data/statements.json");
    for (file, rows) in [("statements.csv", csv_rows), ("statements.json", json_rows)] {
        for row in rows {
            found.insert((
                file.to_owned(),
                row["permalink"].clone(),
                row["text"].clone(),
            ));
        }
    }
    found
}

#[test]
fn statement_permalinks_do_not_move_when_a_statement_is_added() {
    let site = crate::process::fixture_copy("publish");
    let (_a, output) = build(site.path(), &[]);
    let before = permalinks(&output);
    // Same person and day as the article's first statement, and placed
    // before it: neither a position nor a per-day counter may make the ids.
    let said = "  - person: amina\n    date: 2021-05-10\n";
    let added = "    quote: A statement added later.\n    source: briefing\n";
    crate::process::edit(
        &site
            .path()
            .join("content/articles/2021-05-10-talks-begin.md"),
        &format!("statements:\n{said}"),
        &format!("statements:\n{said}{added}{said}"),
    );
    let (_b, output) = build(site.path(), &[]);
    let after = permalinks(&output);
    let moved: Vec<_> = before.difference(&after).collect();
    assert!(
        moved.is_empty(),
        "existing statements lost their anchor after a statement was added:\n{moved:#?}"
    );
    let new: BTreeSet<&str> = after
        .difference(&before)
        .map(|(file, _, _)| file.as_str())
        .collect();
    for file in [
        "articles/talks-begin/index.html",
        "people/amina/index.html",
        "statements.csv",
        "statements.json",
    ] {
        assert!(
            new.contains(file),
            "the added statement is missing from {file}"
        );
    }
}

fn text_safety() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/text-safety")
}

#[test]
fn csv_cells_a_spreadsheet_would_run_are_neutralised_and_json_keeps_the_text() {
    let (_dir, output) = build(&text_safety(), &[]);
    let (_, csv_rows) = statements_csv(&output);
    let json_rows: Vec<Row> = json_file(&output, "data/statements.json");
    assert_eq!(
        csv_rows.len(),
        json_rows.len(),
        "one row per statement in each"
    );
    let mut neutralised = BTreeSet::new();
    for (csv_row, json_row) in csv_rows.iter().zip(&json_rows) {
        for (column, exact) in json_row {
            let cell = &csv_row[column];
            if exact.starts_with(['=', '+', '-', '@']) {
                assert_eq!(*cell, format!("'{exact}"), "{column}: a formula cell");
                neutralised.insert(column.as_str());
            } else {
                assert_eq!(cell, exact, "{column}: other text is left alone");
            }
        }
    }
    let texts: BTreeSet<&str> = json_rows.iter().map(|r| r["text"].as_str()).collect();
    let quotes = ["=HYPERLINK(\"http://x\",\"y\")", "+1", "-2", "@SUM(A1)"];
    for quote in quotes {
        assert!(
            texts.contains(quote),
            "statements.json keeps {quote:?} exactly"
        );
    }
    let csv_texts: BTreeSet<&str> = csv_rows.iter().map(|r| r["text"].as_str()).collect();
    for quote in quotes {
        let cell = format!("'{quote}");
        assert!(
            csv_texts.contains(cell.as_str()),
            "statements.csv has {cell:?}"
        );
    }
    assert_eq!(
        neutralised,
        BTreeSet::from([
            "article_title",
            "context",
            "person_role",
            "source_publisher",
            "source_title",
            "text",
            "translation"
        ]),
        "every text column is neutralised"
    );
}

/// Whether XML 1.0 allows `c` in a document (its `Char` production).
fn is_xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | ' '..='\u{d7ff}' | '\u{e000}'..='\u{fffd}' | '\u{10000}'..)
}

#[track_caller]
fn assert_xml_text(file: &str, text: &str) {
    if let Some(c) = text.chars().find(|&c| !is_xml_char(c)) {
        panic!("{file}: U+{:04X} is not allowed in XML 1.0", c as u32);
    }
}

/// Parses `text` with quick-xml, which does not itself check characters:
/// every text and attribute value, references resolved, must be XML 1.0.
#[track_caller]
fn assert_well_formed_xml(file: &str, text: &str) {
    use quick_xml::events::Event;
    assert_xml_text(file, text);
    let mut reader = quick_xml::Reader::from_str(text);
    let mut depth = 0usize;
    loop {
        let event = reader
            .read_event()
            .unwrap_or_else(|e| panic!("{file}: not well-formed XML: {e}"));
        if matches!(event, Event::Start(_)) {
            depth += 1;
        }
        match event {
            Event::Eof => break,
            Event::Start(element) | Event::Empty(element) => {
                for attribute in element.attributes() {
                    let attribute =
                        attribute.unwrap_or_else(|e| panic!("{file}: an attribute: {e}"));
                    let value = attribute
                        .unescape_value()
                        .unwrap_or_else(|e| panic!("{file}: an attribute: {e}"));
                    assert_xml_text(file, &value);
                }
            }
            Event::End(_) => depth -= 1,
            Event::Text(text) => {
                let text = text
                    .unescape()
                    .unwrap_or_else(|e| panic!("{file}: a reference: {e}"));
                assert_xml_text(file, &text);
            }
            _ => {}
        }
    }
    assert_eq!(depth, 0, "{file}: unclosed elements");
}

/// Every feed and the sitemap parse as XML 1.0 (and the feeds as Atom),
/// every JSON file and JSON-LD block as JSON, and no page carries a
/// control character, which HTML reports as an error.
fn assert_valid_output(output: &Path) {
    let mut feeds = 0;
    // Every file but the data package's zips is text; the search index's
    // chunks are gzipped JSON, checked as what they hold.
    let text_files = (files(output).into_iter())
        .filter(|(name, _)| !name.ends_with(".zip"))
        .map(|(name, bytes)| match name.strip_suffix(".gz") {
            Some(held) => (held.to_owned(), gunzipped(&name, &bytes)),
            None => (name, bytes),
        });
    for (name, bytes) in text_files {
        let text = String::from_utf8(bytes).unwrap_or_else(|e| panic!("{name}: {e}"));
        if name.ends_with(".xml") {
            assert_well_formed_xml(&name, &text);
        }
        if name.ends_with("atom.xml") {
            feed(output, &name);
            feeds += 1;
        }
        if name.ends_with(".json") {
            serde_json::from_str::<Value>(&text)
                .unwrap_or_else(|e| panic!("{name} is not JSON: {e}"));
        }
        if name.ends_with(".html") {
            let control = text.chars().find(|c| c.is_control() && !c.is_whitespace());
            assert_eq!(control, None, "{name}: a control character in a page");
        }
    }
    assert!(feeds >= 3, "the site feed and one per person: {feeds}");
    assert!(output.join("sitemap.xml").is_file(), "a sitemap");
    json_ld_pages(output);
}

fn gunzipped(name: &str, bytes: &[u8]) -> Vec<u8> {
    let mut held = Vec::new();
    std::io::Read::read_to_end(&mut flate2::read::GzDecoder::new(bytes), &mut held)
        .unwrap_or_else(|e| panic!("{name}: {e}"));
    held
}

#[test]
fn markup_in_every_field_leaves_feeds_sitemap_pages_and_json_valid() {
    let (_dir, output) = build(&text_safety(), &[]);
    assert_valid_output(&output);
    let site = feed(&output, "atom.xml");
    let titles: Vec<&str> = site.entries.iter().map(title).collect();
    assert!(
        titles.contains(&"Markup <script>alert(1)</script> & ]]> in a title"),
        "titles come back exactly: {titles:?}"
    );
}

const FORMULAS: &str = "content/articles/2021-05-10-formulas.md";
const MARKUP: &str = "content/articles/2021-05-11-markup.md";
const AMINA: &str = "content/people/amina.md";

/// Control characters as they reach a site, written raw or as an escape of
/// YAML or a Markdown reference: (file, text, replaced by, line to report).
const CONTROL_CHARACTERS: &[(&str, &str, &str, usize)] = &[
    (
        "annals.yaml",
        "title: Record & <archive> \"of\" ]]> words",
        "title: \"Record\\0 of words\"",
        1,
    ),
    (MARKUP, "title: \"Markup", "title: \"\\0Markup", 2),
    (MARKUP, "quote: \"Line one", "quote: \"\\aLine one", 16),
    (AMINA, "name: Amina Haddad", "name: \"Amina\\e Haddad\"", 2),
    (FORMULAS, "-Ministry of", "-Ministry\\x7F of", 8),
    (
        FORMULAS,
        "\"@briefing, 10 May\"",
        "\"\\x93briefing\\x94\"",
        9,
    ),
    (FORMULAS, "=1+1 in a", "=1+1\u{7} in a", 19),
    (MARKUP, "A body with", "A body\u{b} with", 25),
    (MARKUP, "&#160;", "&#27;", 25),
    (AMINA, "Speaks for", "Speaks\u{1} for", 5),
];

#[test]
fn control_characters_are_refused_at_their_line_so_output_stays_valid() {
    for (file, from, to, line) in CONTROL_CHARACTERS {
        let site = crate::process::fixture_copy("text-safety");
        crate::process::edit(&site.path().join(file), from, to);
        let dir = tempfile::tempdir().expect("temporary directory");
        let output = dir.path().join("out");
        let run = std::process::Command::new(env!("CARGO_BIN_EXE_annals"))
            .args(["build", "--root", crate::process::path_str(site.path())])
            .args(["--output", crate::process::path_str(&output)])
            .output()
            .expect("run annals");
        let stderr = String::from_utf8_lossy(&run.stderr);
        if run.status.success() {
            // Whatever is built must be valid: this fails if a control
            // character got through.
            assert_valid_output(&output);
            panic!("{file}: {to:?} was published, not refused");
        }
        assert!(
            stderr.contains(&format!("--> {file}:{line}")),
            "{file}: {to:?} is reported at line {line}: {stderr}"
        );
        assert!(stderr.contains("= help: "), "{stderr}");
        assert!(!output.exists(), "{file}: nothing written");
    }
}

#[test]
fn person_feeds_carry_translations_and_say_what_is_a_paraphrase() {
    let (_dir, output) = build(&fixture(), &[]);
    let body = |entry: &Entry| {
        entry
            .content
            .as_ref()
            .and_then(|c| c.body.clone())
            .unwrap_or_default()
    };
    let amina = feed(&output, "people/amina/atom.xml");
    let quoted = &amina.entries[0];
    assert!(
        body(quoted).contains("“وصلت الشاحنات الأولى” (")
            && body(quoted).contains("Translation: The first trucks have arrived."),
        "{}",
        body(quoted)
    );
    let paraphrases: Vec<String> = feed_files()
        .iter()
        .filter(|file| file.starts_with("people/"))
        .flat_map(|file| feed(&output, file).entries)
        .map(|entry| title(&entry).to_owned())
        .filter(|title| !title.contains('“'))
        .collect();
    assert!(!paraphrases.is_empty(), "the fixture has paraphrases");
    for title in paraphrases {
        assert!(title.contains(": Paraphrase: "), "{title}");
    }
}

#[test]
fn the_data_package_describes_every_file_with_its_columns_and_keys() {
    let (_dir, output) = build(&fixture(), &[]);
    let package: Value =
        serde_json::from_str(&read(&output, "data/datapackage.json")).expect("datapackage.json");
    let resources = package["resources"].as_array().expect("resources");
    let names: BTreeSet<&str> = resources
        .iter()
        .filter_map(|r| r["name"].as_str())
        .collect();
    assert!(
        [
            "statements-2021",
            "statements-withdrawn",
            "people",
            "articles",
            "sources",
            "corrections"
        ]
        .iter()
        .all(|name| names.contains(name)),
        "{names:?}"
    );
    let codebook = read(&output, "data/index.html");
    let mut ids = BTreeSet::new();
    for resource in resources {
        let path = resource["path"].as_str().expect("a path");
        let fields: Vec<&str> = (resource["schema"]["fields"]
            .as_array()
            .expect("fields")
            .iter())
        .filter_map(|f| f["name"].as_str())
        .collect();
        let text = read(&output, &format!("data/{path}"));
        let mut rows = csv::Reader::from_reader(text.as_bytes());
        let header: Vec<String> = rows
            .headers()
            .expect("a header")
            .iter()
            .map(str::to_owned)
            .collect();
        assert_eq!(header, fields, "{path}: its header is its schema's columns");
        for key in resource["schema"]["primaryKey"]
            .as_array()
            .expect("a primary key")
        {
            assert!(
                fields.contains(&key.as_str().unwrap_or_default()),
                "{path}: {key}"
            );
        }
        for foreign in resource["schema"]["foreignKeys"]
            .as_array()
            .expect("foreign keys")
        {
            let target = foreign["reference"]["resource"]
                .as_str()
                .unwrap_or_default();
            assert!(names.contains(target), "{path}: {foreign}");
        }
        assert!(
            codebook.contains(&format!("/data/{path}\"")),
            "the codebook links {path}"
        );
        if path.starts_with("statements/") {
            for row in rows.records() {
                let row = row.expect("a row");
                assert!(
                    ids.insert(row[0].to_owned()),
                    "{} is in one file only",
                    &row[0]
                );
            }
        }
    }
    // The yearly files and the withdrawn one hold every statement once.
    let (_, whole) = statements_csv(&output);
    let whole: BTreeSet<String> = whole.iter().map(|row| row["id"].clone()).collect();
    assert_eq!(ids, whole);
    assert!(
        package["licenses"].is_null(),
        "the fixture names no license"
    );
    assert!(
        package["citation"]
            .as_str()
            .is_some_and(|c| c.contains("/data/"))
    );
}

/// When a zip says a file was last changed: (year, month, day) and
/// (hour, minute, second).
type ZipTime = ((u16, u8, u8), (u8, u8, u8));

/// What the zip at `file` of the output holds: each file's path inside it,
/// bytes and date, in order.
fn unzip(output: &Path, file: &str) -> Vec<(String, Vec<u8>, ZipTime)> {
    use std::io::Read;
    let bytes = std::fs::read(output.join(file)).unwrap_or_else(|e| panic!("{file}: {e}"));
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("a zip");
    (0..archive.len())
        .map(|i| {
            let mut entry = archive.by_index(i).expect("an entry");
            let mut data = Vec::new();
            entry
                .read_to_end(&mut data)
                .expect("its bytes, CRC checked");
            let t = entry.last_modified().expect("a date");
            let date = (t.year(), t.month(), t.day());
            let time = (t.hour(), t.minute(), t.second());
            (
                entry.name().expect("a name").into_owned(),
                data,
                (date, time),
            )
        })
        .collect()
}

/// `datapackage.json` and every file it lists, in its order.
fn package_files(output: &Path) -> Vec<String> {
    let package: Value =
        serde_json::from_str(&read(output, "data/datapackage.json")).expect("datapackage.json");
    let resources = package["resources"].as_array().expect("resources");
    let paths = resources.iter().flat_map(|r| match &r["path"] {
        Value::Array(several) => several.clone(),
        one => vec![one.clone()],
    });
    let paths = paths.map(|path| path.as_str().expect("a path").to_owned());
    std::iter::once("datapackage.json".to_owned())
        .chain(paths)
        .collect()
}

#[test]
fn the_data_package_downloads_as_one_zip_of_the_files_it_lists() {
    let (_dir, output) = build(&fixture(), &[]);
    let inside = unzip(&output, "data/annals-data.zip");
    let names: Vec<String> = inside.iter().map(|(name, ..)| name.clone()).collect();
    assert_eq!(
        names,
        package_files(&output),
        "the package, at its own paths"
    );
    let package: Value =
        serde_json::from_str(&read(&output, "data/datapackage.json")).expect("datapackage.json");
    let version = package["version"].as_str().expect("a version");
    let number = |at: std::ops::Range<usize>| -> u16 { version[at].parse().expect("a number") };
    let day = (number(0..4), number(5..7) as u8, number(8..10) as u8);
    for (name, bytes, (date, time)) in &inside {
        let exported = std::fs::read(output.join("data").join(name)).expect("the export");
        assert!(*bytes == exported, "{name} unzips to data/{name}");
        assert_eq!(
            (*date, *time),
            (day, (0, 0, 0)),
            "{name} is dated by the record"
        );
    }
    assert!(
        !names
            .iter()
            .any(|name| name.ends_with(".json") && name != "datapackage.json"),
        "no JSON twins: {names:?}"
    );
    let codebook = Html::parse_document(&read(&output, "data/index.html"));
    let link = select(&codebook, "a[href$='/data/annals-data.zip']");
    assert_eq!(link.len(), 1, "the codebook links the zip");
    let size = std::fs::metadata(output.join("data/annals-data.zip"))
        .expect("zip")
        .len();
    let shown = format!("({:.1} kB)", size as f64 / 1e3);
    assert!(read(&output, "data/index.html").contains(&shown), "{shown}");

    // Another build of the same record: the same bytes.
    let (_again_dir, again) = build(&fixture(), &[]);
    assert!(
        std::fs::read(again.join("data/annals-data.zip")).ok()
            == std::fs::read(output.join("data/annals-data.zip")).ok(),
        "two builds give one zip"
    );
}

#[test]
fn past_the_limit_the_zip_is_split_in_parts_of_whole_files() {
    let (_dir, whole) = build(&fixture(), &[]);
    let limit = 3_000;
    let (_split_dir, output) = build(&fixture(), &["--download-part-limit", "3000"]);
    let zips: Vec<String> = files(&output)
        .into_keys()
        .filter(|name| name.starts_with("data/annals-data"))
        .collect();
    assert!(zips.len() > 1, "{zips:?}");
    let expected: Vec<String> = (1..=zips.len())
        .map(|n| format!("data/annals-data-{n}.zip"))
        .collect();
    let mut zips = zips;
    zips.sort_by_key(|name| name.len());
    assert_eq!(zips, expected);
    let mut names = Vec::new();
    let codebook = read(&output, "data/index.html");
    for zip in &zips {
        let inside = unzip(&output, zip);
        let size = std::fs::metadata(output.join(zip)).expect("zip").len();
        assert!(size <= limit || inside.len() == 1, "{zip}: {size} bytes");
        names.extend(inside.into_iter().map(|(name, ..)| name));
        assert!(
            codebook.contains(&format!("/{zip}\"")),
            "the codebook links {zip}"
        );
    }
    let one: Vec<String> = unzip(&whole, "data/annals-data.zip")
        .into_iter()
        .map(|(name, ..)| name)
        .collect();
    assert_eq!(names, one, "the parts hold every file once, in order");
}

#[test]
fn the_datas_version_counts_withdrawals_and_an_empty_record_has_none() {
    // The newest article is of 2021; a statement was withdrawn in 2022,
    // which took a row out of the data.
    let redirects = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/redirects");
    let (_dir, output) = build(&redirects, &[]);
    let package: Value =
        serde_json::from_str(&read(&output, "data/datapackage.json")).expect("datapackage.json");
    assert_eq!(package["version"], "2022-02-01");
    assert!(
        (package["citation"].as_str()).is_some_and(|c| c.contains("version of 1 February 2022")),
        "{}",
        package["citation"]
    );
    // Nothing published yet: no version rather than `null`, which the
    // Data Package spec refuses.
    let empty = crate::process::scratch_dir();
    std::fs::write(
        empty.path().join("annals.yaml"),
        "title: Empty\nbase_url: https://example.org/\n",
    )
    .expect("write annals.yaml");
    let (_dir, output) = build(empty.path(), &[]);
    let package: Value =
        serde_json::from_str(&read(&output, "data/datapackage.json")).expect("datapackage.json");
    assert!(package.get("version").is_none(), "{package}");
}

#[test]
fn every_csv_cell_starting_with_a_quote_mark_has_one_added_and_the_package_says_so() {
    let site = crate::process::fixture_copy("publish");
    let article = site
        .path()
        .join("content/articles/2021-05-10-talks-begin.md");
    let text = std::fs::read_to_string(&article).expect("the article");
    let text = text.replacen(
        "title: Talks begin in the capital",
        "title: \"'We stay' -- talks begin\"",
        1,
    );
    std::fs::write(&article, &text).expect("write the article");
    let (_dir, output) = build(site.path(), &[]);
    let articles = read(&output, "data/articles.csv");
    assert!(articles.contains(",''We stay' -- "), "{articles}");
    let package: Value =
        serde_json::from_str(&read(&output, "data/datapackage.json")).expect("datapackage.json");
    for resource in package["resources"].as_array().expect("resources") {
        let description = resource["description"].as_str().unwrap_or_default();
        assert!(
            description.contains("remove the first ' of any text that starts with one"),
            "{description}"
        );
    }
}
