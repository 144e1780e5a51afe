//! The interface in the site's language: a right-to-left site in Arabic,
//! a site's own `i18n/<language>.yaml` over the built-in strings, and the
//! English fallback `check` warns of, key by key.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use scraper::{Html, Selector};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/i18n")
        .join(name)
}

fn annals(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_annals"))
        .args(args)
        .output()
        .expect("run annals")
}

/// Builds fixture `name` and reads page `path` of the output.
fn page(name: &str, path: &str) -> Html {
    let out = tempfile::tempdir().expect("temporary directory");
    let output = out.path().join("site");
    let site = fixture(name);
    let built = annals(&[
        "build",
        "--root",
        site.to_str().expect("UTF-8 path"),
        "--output",
        output.to_str().expect("UTF-8 path"),
    ]);
    assert!(
        built.status.success(),
        "{}",
        String::from_utf8_lossy(&built.stderr)
    );
    let html = std::fs::read_to_string(output.join(path)).expect("the page was written");
    Html::parse_document(&html)
}

fn texts(html: &Html, selector: &str) -> Vec<String> {
    let selector = Selector::parse(selector).expect("a selector");
    html.select(&selector)
        .map(|e| e.text().collect::<String>().trim().to_owned())
        .collect()
}

fn attribute(html: &Html, selector: &str, name: &str) -> Option<String> {
    let selector = Selector::parse(selector).expect("a selector");
    let element = html.select(&selector).next()?;
    element.value().attr(name).map(str::to_owned)
}

#[test]
fn an_arabic_site_is_right_to_left_with_arabic_words_and_dates() {
    let home = page("arabic", "index.html");
    assert_eq!(attribute(&home, "html", "lang").as_deref(), Some("ar"));
    assert_eq!(attribute(&home, "html", "dir").as_deref(), Some("rtl"));
    assert_eq!(texts(&home, ".skip"), ["انتقل إلى المحتوى"]);
    let nav = texts(&home, ".site-nav a");
    assert_eq!(nav[..3], ["الخط الزمني", "الأشخاص", "المصادر"]);
    assert_eq!(texts(&home, "#latest-articles"), ["أحدث المقالات"]);
    let counts = texts(&home, ".counts").concat();
    assert!(counts.starts_with("مقال واحد · تصريحان من"), "{counts}");

    let article = page("arabic", "articles/talks/index.html");
    // CLDR's Arabic: Arabic month names, Latin digits (see docs/TEMPLATES.md).
    let dates = texts(&article, ".page-header time");
    assert_eq!(dates, ["17 مايو 2021، 18:30 UTC\u{2212}04:00"]);
    assert!(texts(&article, ".paraphrase .label").contains(&"بتصرّف:".to_owned()));
    // The English quote stays isolated in its own direction.
    assert_eq!(
        attribute(&article, "blockquote", "lang").as_deref(),
        Some("en")
    );
    assert_eq!(
        attribute(&article, "blockquote", "dir").as_deref(),
        Some("auto")
    );
    assert_eq!(texts(&article, "#statements").len(), 1);
    assert!(texts(&article, "#statements")[0].starts_with("التصريحات"));
}

#[test]
fn a_site_file_overrides_built_in_strings() {
    let people = page("override", "people/index.html");
    assert_eq!(
        attribute(&people, "html", "dir"),
        None,
        "left to right by default"
    );
    assert_eq!(texts(&people, "h1"), ["Intervenants"]);
    let nav = texts(&people, ".site-nav a");
    assert_eq!(
        nav[..2],
        ["Chronologie", "Intervenants"],
        "the rest stays built in"
    );
    let article = page("override", "articles/talks/index.html");
    assert_eq!(
        texts(&article, ".page-header time"),
        ["17 mai 2021, 18:30 UTC\u{2212}04:00"]
    );
}

#[test]
fn strings_a_language_file_lacks_are_english_with_a_warning_each() {
    let home = page("partial", "index.html");
    let nav = texts(&home, ".site-nav a");
    assert_eq!(nav[..3], ["Kalendarium", "Ludzie", "Sources"]);
    // Polish dates come from CLDR even without a catalogue.
    let article = page("partial", "articles/talks/index.html");
    assert_eq!(
        texts(&article, ".page-header time"),
        ["17 maja 2021, 18:30 UTC\u{2212}04:00"]
    );

    let site = fixture("partial");
    let check = annals(&[
        "check",
        "--root",
        site.to_str().expect("UTF-8 path"),
        "--format",
        "json",
    ]);
    assert!(check.status.success(), "missing strings are warnings");
    let report: serde_json::Value = serde_json::from_slice(&check.stdout).expect("a JSON report");
    let diagnostics = report["diagnostics"].as_array().expect("diagnostics");
    let missing: Vec<&serde_json::Value> = diagnostics
        .iter()
        .filter(|d| d["file"] == "i18n/pl.yaml")
        .collect();
    assert!(missing.len() > 100, "one warning per missing key");
    assert!(missing.iter().all(|d| d["severity"] == "warning"));
    let places = missing
        .iter()
        .find(|d| {
            d["message"]
                .as_str()
                .is_some_and(|m| m.starts_with("`nav_places`"))
        })
        .expect("a warning naming the key");
    assert!(
        places["hint"]
            .as_str()
            .is_some_and(|h| h.contains("i18n/pl.yaml"))
    );
    assert!(!missing.iter().any(|d| {
        d["message"]
            .as_str()
            .is_some_and(|m| m.contains("`nav_people`"))
    }));
}

/// Topics and places are listed by name, as the language orders them: not
/// by their addresses, which spell Arabic in Latin letters (`hms`, `gz`).
#[test]
fn places_are_in_the_languages_order_of_their_names() {
    let places = page("arabic", "places/index.html");
    let names = texts(&places, "main li a");
    assert_eq!(names, ["حمص", "غزة", "Paris"], "{names:?}");
}
