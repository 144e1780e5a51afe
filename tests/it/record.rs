//! The record shows its working: corrections and reviews, who relayed a
//! statement and how it was delivered, dates only as precise as known.

use std::path::{Path, PathBuf};
use std::process::Command;

use scraper::{Html, Selector};

use crate::process::{path_str, scratch_dir, tree};

/// `annals build` of `root` into a new directory, with `env` set.
fn build(root: &Path, env: &[(&str, &str)]) -> (tempfile::TempDir, PathBuf) {
    let out = scratch_dir();
    let output = out.path().join("site");
    let mut command = Command::new(env!("CARGO_BIN_EXE_annals"));
    command.args([
        "build",
        "--root",
        path_str(root),
        "--output",
        path_str(&output),
    ]);
    command.envs(env.iter().copied());
    let run = command.output().expect("run annals");
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    (out, output)
}

fn built() -> (tempfile::TempDir, PathBuf) {
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/record");
    build(&fixture, &[])
}

fn page(output: &Path, file: &str) -> Html {
    let text = std::fs::read_to_string(output.join(file)).unwrap_or_else(|e| panic!("{file}: {e}"));
    Html::parse_document(&text)
}

/// The text of each element `selector` matches, whitespace collapsed.
fn texts(html: &Html, selector: &str) -> Vec<String> {
    let selector = Selector::parse(selector).expect("a selector");
    html.select(&selector)
        .map(|e| {
            e.text()
                .collect::<String>()
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect()
}

fn attributes(html: &Html, selector: &str, name: &str) -> Vec<String> {
    let selector = Selector::parse(selector).expect("a selector");
    html.select(&selector)
        .filter_map(|e| e.value().attr(name).map(str::to_owned))
        .collect()
}

#[test]
fn an_article_shows_its_corrections_newest_first_and_when_it_was_reviewed() {
    let (_out, output) = built();
    let article = page(&output, "articles/talks/index.html");
    assert_eq!(
        texts(&article, ".corrections li"),
        [
            "20 May 2021: The quote was transcribed from a readout; it now follows the text as prepared. The corrected statement.",
            "18 May 2021: An earlier version gave the wrong city for the talks; they were in Geneva.",
        ]
    );
    assert_eq!(
        attributes(&article, ".corrections li", "id"),
        ["correction-2", "correction-1"],
        "numbered oldest first, so a new one renumbers none"
    );
    assert_eq!(
        texts(&article, ".meta .reviewed"),
        ["· last reviewed against its sources 21 May 2021"]
    );
    // The corrected statement links to its correction, on every page
    // listing it.
    for file in ["articles/talks/index.html", "people/ada/index.html"] {
        let html = page(&output, file);
        assert_eq!(
            attributes(&html, "#ada-2021-05-17-rewrote .corrected", "href"),
            ["/articles/talks/#correction-2"],
            "{file}"
        );
    }
    // JSON-LD: each correction, and the last change.
    let ld: serde_json::Value =
        serde_json::from_str(&texts(&article, r#"script[type="application/ld+json"]"#)[0])
            .expect("JSON-LD");
    let news = ld["@graph"]
        .as_array()
        .and_then(|graph| graph.iter().find(|n| n["@type"] == "NewsArticle"))
        .unwrap_or(&ld);
    assert_eq!(news["dateModified"], "2021-05-20");
    assert_eq!(news["correction"][0]["@type"], "CorrectionComment");
    assert_eq!(news["correction"][0]["datePublished"], "2021-05-20");
}

#[test]
fn corrections_have_a_page_a_feed_and_an_export() {
    let (_out, output) = built();
    let listed = page(&output, "corrections/index.html");
    let items = texts(&listed, ".correction-list li");
    assert_eq!(items.len(), 2, "{items:?}");
    assert!(
        items[0].starts_with("20 May 2021 · Talks continue: The quote was"),
        "{items:?}"
    );
    let feed = std::fs::read(output.join("corrections/atom.xml")).expect("the feed");
    let feed = feed_rs::parser::parse(feed.as_slice()).expect("Atom that parses");
    let links: Vec<&str> = feed
        .entries
        .iter()
        .map(|e| e.links[0].href.as_str())
        .collect();
    assert_eq!(
        links,
        [
            "https://example.org/articles/talks/#correction-2",
            "https://example.org/articles/talks/#correction-1"
        ]
    );
    // The site's feed dates the article by its last correction.
    let site = std::fs::read(output.join("atom.xml")).expect("the site feed");
    let site = feed_rs::parser::parse(site.as_slice()).expect("Atom");
    let talks = site
        .entries
        .iter()
        .find(|e| e.links[0].href.ends_with("/articles/talks/"))
        .expect("the article's entry");
    assert_eq!(
        talks.updated.map(|t| t.to_rfc3339()).as_deref(),
        Some("2021-05-20T00:00:00+00:00")
    );
    let csv = std::fs::read_to_string(output.join("data/corrections.csv")).expect("the export");
    let mut rows = csv::Reader::from_reader(csv.as_bytes());
    let header: Vec<String> = rows
        .headers()
        .expect("a header")
        .iter()
        .map(str::to_owned)
        .collect();
    assert_eq!(
        header,
        [
            "date",
            "article_title",
            "article_url",
            "statement",
            "text",
            "url",
            "article_id"
        ]
    );
    let rows: Vec<csv::StringRecord> = rows.records().map(|r| r.expect("a row")).collect();
    assert_eq!(&rows[0][3], "ada-2021-05-17-rewrote");
    assert_eq!(&rows[1][3], "");
}

#[test]
fn how_a_statement_reached_the_record_is_said_in_words_and_exported() {
    let (_out, output) = built();
    let article = page(&output, "articles/talks/index.html");
    assert_eq!(
        texts(&article, "#ada-2021-05-17-rewrote .said"),
        ["17 May 2021, 18:30 UTC+03:00, as prepared for delivery, via UN Spokesperson."]
    );
    let spokesperson = page(&output, "people/spokesperson/index.html");
    assert_eq!(
        attributes(&spokesperson, ".relayed figure", "id"),
        ["ada-2021-05-17-rewrote"],
        "what they relayed, apart from what they said"
    );
    assert_eq!(
        attributes(&spokesperson, ".statements figure", "id").len(),
        2,
        "their own statements"
    );
    let json = std::fs::read_to_string(output.join("data/statements.json")).expect("export");
    let rows: Vec<serde_json::Value> = serde_json::from_str(&json).expect("JSON");
    let row = |id: &str| rows.iter().find(|r| r["id"] == id).expect("a row").clone();
    let relayed = row("ada-2021-05-17-rewrote");
    assert_eq!(
        (
            &relayed["via"],
            &relayed["delivery"],
            &relayed["date_precision"]
        ),
        (
            &"spokesperson".into(),
            &"as-prepared".into(),
            &"time".into()
        )
    );
}

#[test]
fn partial_dates_read_as_written_and_sort_before_the_days_they_contain() {
    let (_out, output) = built();
    let ada = page(&output, "people/ada/index.html");
    assert_eq!(
        texts(&ada, ".statements .said time"),
        ["2021", "17 May 2021, 18:30 UTC+03:00"],
        "oldest first, a year before its days"
    );
    // The year's parts (two entries a part), in order.
    let parts = std::iter::once("timeline/2021/index.html".to_owned())
        .chain((2..).map(|n| format!("timeline/2021/page/{n}/index.html")))
        .take_while(|file| output.join(file).is_file());
    let mut months: Vec<String> = parts
        .flat_map(|file| texts(&page(&output, &file), "main h2"))
        .collect();
    months.dedup();
    assert_eq!(months[0], "2021, month not known", "{months:?}");
    assert!(months.iter().any(|m| m == "May 2021"), "{months:?}");
    let json = std::fs::read_to_string(output.join("data/statements.json")).expect("export");
    let rows: Vec<serde_json::Value> = serde_json::from_str(&json).expect("JSON");
    let precisions: Vec<(&str, &str)> = rows
        .iter()
        .map(|r| {
            (
                r["date"].as_str().unwrap_or(""),
                r["date_precision"].as_str().unwrap_or(""),
            )
        })
        .collect();
    assert!(precisions.contains(&("2021", "year")), "{precisions:?}");
    assert!(precisions.contains(&("2021-05", "month")), "{precisions:?}");
    assert!(
        precisions.contains(&("2021-03-02", "day")),
        "{precisions:?}"
    );
}

#[test]
fn the_build_machines_time_zone_changes_no_byte() {
    let example = Path::new(env!("CARGO_MANIFEST_DIR"));
    let builds: Vec<_> = ["UTC", "America/New_York", "Asia/Kolkata"]
        .iter()
        .map(|zone| build(example, &[("TZ", zone)]))
        .collect();
    let first = tree(&builds[0].1);
    for (_, output) in &builds[1..] {
        assert!(first == tree(output), "the output differs in another zone");
    }
}

#[test]
fn every_citation_parses_and_cites_the_original() {
    let (_out, output) = built();
    let article = page(&output, "articles/talks/index.html");
    let summaries = texts(&article, "details.cite summary");
    assert_eq!(
        summaries.len(),
        4,
        "three statements and the article: {summaries:?}"
    );
    assert_eq!(summaries[3], "Cite this article");
    // The page carries each citation's CSL-JSON item once, by the key its
    // "Cite this" names; cite.js shows them (browser::citations_…).
    let keys = attributes(&article, "details.cite", "data-cite");
    let data: serde_json::Value =
        serde_json::from_str(&texts_as_written(&article, "script#citations")[0])
            .expect("the citations are JSON");
    let items: Vec<serde_json::Value> = keys.iter().map(|key| data["items"][key].clone()).collect();
    assert_eq!(
        data["items"].as_object().map(serde_json::Map::len),
        Some(keys.len()),
        "one item per citation shown, no other"
    );
    assert_eq!(data["page"], "https://example.org/articles/talks/");
    assert_eq!(data["found"], "Recorded in Record fixture");
    // The relayed, prepared statement: its speaker; its original source,
    // which the page says once and the item names by number.
    let spoken = &items[0];
    assert_eq!(spoken["author"][0]["literal"], "Ada Example");
    let source = &data["sources"][spoken["source"].as_u64().expect("a source") as usize];
    assert_eq!(source["URL"], "https://example.org/un/remarks");
    assert_eq!(source["publisher"], "United Nations");
    assert_eq!(
        source["accessed"]["date-parts"],
        serde_json::json!([[2021, 5, 18]])
    );
    assert_eq!(
        spoken["issued"]["date-parts"],
        serde_json::json!([[2021, 5, 17]])
    );
    // A month is cited as a month.
    assert_eq!(
        items[1]["issued"]["date-parts"],
        serde_json::json!([[2021, 5]])
    );
    assert_eq!(items[3]["type"], "webpage");
    assert_eq!(items[3]["publisher"], "Record fixture");
    let plain = texts(&article, ".cite-text");
    assert_eq!(
        plain[0],
        "Ada Example. “We will keep talking until there is a ceasefire.” 17 May 2021, 18:30 UTC+03:00, as prepared for delivery. United Nations, Remarks to the press. https://example.org/un/remarks. Accessed 18 May 2021. Recorded in Record fixture: https://example.org/articles/talks/#ada-2021-05-17-rewrote."
    );
    // Only where the permalink points: not on the person's page.
    assert!(texts(&page(&output, "people/ada/index.html"), "details.cite").is_empty());
}

/// The text of each element `selector` matches, as written.
fn texts_as_written(html: &Html, selector: &str) -> Vec<String> {
    let selector = Selector::parse(selector).expect("a selector");
    html.select(&selector).map(|e| e.text().collect()).collect()
}

#[test]
fn a_right_to_left_title_is_isolated_in_an_english_caption() {
    let (_out, output) = built();
    let article = page(&output, "articles/aid/index.html");
    assert_eq!(
        attributes(&article, ".source-list cite bdi", "lang"),
        ["ar"],
        "the title isolated, in its language"
    );
    assert_eq!(
        texts(&article, ".source-list .title-translation"),
        ["[Aid talks begin in Geneva]"]
    );
    // Every name and title from front matter inside a caption is isolated,
    // so a right-to-left one cannot reorder the date after it.
    for (selector, expected) in [
        (".statement .speaker a bdi", "Ben Example"),
        (".source-list .publisher bdi", "Al Jazeera"),
    ] {
        assert!(
            texts(&article, selector).iter().any(|t| t == expected),
            "{selector}"
        );
    }
}

#[test]
fn pagers_number_their_parts_and_mark_the_current_one() {
    let (_out, output) = built();
    let part = page(&output, "timeline/2021/page/2/index.html");
    assert_eq!(texts(&part, ".pager-parts a"), ["1", "2", "3", "4", "5"]);
    assert_eq!(
        attributes(&part, ".pager-parts a[aria-current=page]", "href"),
        ["/timeline/2021/page/2/"]
    );
    assert_eq!(
        attributes(&part, ".pager-parts a", "href"),
        [
            "/timeline/2021/",
            "/timeline/2021/page/2/",
            "/timeline/2021/page/3/",
            "/timeline/2021/page/4/",
            "/timeline/2021/page/5/"
        ]
    );
}

#[test]
fn a_label_inside_words_of_another_language_is_marked_in_the_sites() {
    let (_out, output) = built();
    let article = page(&output, "articles/aid/index.html");
    assert_eq!(
        attributes(&article, ".paraphrase[lang=ar] .label", "lang"),
        ["en"]
    );
}

#[test]
fn every_part_of_a_year_lists_every_month_and_where_it_starts() {
    let (_out, output) = built();
    let parts = [
        "timeline/2021/index.html",
        "timeline/2021/page/2/index.html",
        "timeline/2021/page/3/index.html",
        "timeline/2021/page/4/index.html",
    ];
    let indexes: Vec<Vec<String>> = parts
        .iter()
        .map(|file| {
            attributes(
                &page(&output, file),
                r#"nav[aria-label="Months"] a"#,
                "href",
            )
        })
        .collect();
    assert!(
        indexes.iter().all(|index| index == &indexes[0]),
        "{indexes:?}"
    );
    assert_eq!(
        indexes[0],
        [
            "/timeline/2021/#2021-year",
            "/timeline/2021/#2021-03",
            "/timeline/2021/page/4/#2021-05"
        ]
    );
}

#[test]
fn a_persons_first_part_links_to_their_latest_statements() {
    let (_out, output) = built();
    let first = page(&output, "people/spokesperson/index.html");
    let last = attributes(&first, ".pager-parts a", "href")
        .pop()
        .expect("parts");
    assert_eq!(
        attributes(&first, ".latest a", "href"),
        [format!("{last}#statements")]
    );
    let file = format!("{}index.html", last.trim_start_matches('/'));
    let latest = page(&output, &file);
    assert!(
        attributes(&latest, ".latest a", "href").is_empty(),
        "not on the last part"
    );
}
