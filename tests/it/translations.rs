//! Translations (issue 15, phase 1) on tests/fixtures/bilingual, English
//! with Arabic: `annals check`'s one line per language and its warning for
//! a translation older than its original, the translations table of the
//! research exports, and names with dots that are no language tags.
//! Every error class has its fixture in errors.rs.

use std::path::Path;
use std::process::{Command, Output};

use crate::process::{edit, fixture_copy, path_str};

fn annals(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_annals"))
        .args(args)
        .output()
        .expect("run annals")
}

/// A copy of the bilingual fixture, built into `out` under it; stderr.
fn built() -> (tempfile::TempDir, String) {
    let site = fixture_copy("bilingual");
    let out = site.path().join("out");
    let output = annals(&[
        "build",
        "--root",
        path_str(site.path()),
        "--output",
        path_str(&out),
    ]);
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    assert!(output.status.success(), "{stderr}");
    (site, stderr)
}

fn read(site: &Path, path: &str) -> String {
    std::fs::read_to_string(site.join("out").join(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

#[test]
fn check_sums_up_each_language_in_one_line_and_warns_of_stale_translations() {
    let site = fixture_copy("bilingual");
    let output = annals(&["check", "--root", path_str(site.path())]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    let summaries: Vec<&str> = stderr.lines().filter(|l| l.starts_with("ar: ")).collect();
    assert_eq!(
        summaries,
        ["ar: 2 of 3 articles, 1 of 2 people, 1 of 2 pages translated"],
        "{stderr}"
    );
    assert!(
        stderr.contains("the translation into `ar` is older than its original: translated 2021-05-21, original changed 2021-05-22"),
        "{stderr}"
    );
    assert!(
        stderr.contains("content/articles/2021/2021-05-20-aid.ar.md:3"),
        "{stderr}"
    );
    assert_eq!(
        stderr.matches("warning: ").count(),
        1,
        "one warning, not one per page: {stderr}"
    );
    // `--strict` fails on the stale translation, not on what is untranslated.
    let strict = annals(&["check", "--root", path_str(site.path()), "--strict"]);
    let stderr = String::from_utf8_lossy(&strict.stderr);
    assert!(!strict.status.success());
    assert_eq!(stderr.matches("error: ").count(), 1, "{stderr}");
    // Brought up to date, it is no longer behind.
    let aid = site
        .path()
        .join("content/articles/2021/2021-05-20-aid.ar.md");
    edit(&aid, "updated: 2021-05-21", "updated: 2021-05-22");
    let output = annals(&["check", "--root", path_str(site.path()), "--strict"]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn the_translations_table_holds_every_translated_text_keyed_by_record_language_and_field() {
    let (site, _) = built();
    let csv = read(site.path(), "data/translations.csv");
    let rows: Vec<&str> = csv.lines().collect();
    assert_eq!(
        rows,
        [
            "record,record_id,language,field,text",
            "article,talks,ar,title,استمرار المحادثات",
            "article,talks,ar,summary,ملخص المحادثات.",
            "article,aid,ar,title,دخول قافلة المساعدات",
            "article,aid,ar,summary,دخلت قافلة.",
            "person,ada,ar,name,آدا مثال",
            "person,ada,ar,role,وزيرة الخارجية",
            "page,methodology,ar,title,المنهجية",
            "page,methodology,ar,summary,كيف يُصنع السجل.",
            "statement,ada-talks,ar,text,سنواصل الحديث.",
            "statement,ben-aid,en,text,\"Aid must get through, in English.\"",
        ]
    );
    let json: serde_json::Value =
        serde_json::from_str(&read(site.path(), "data/translations.json")).expect("JSON");
    let rows = json.as_array().expect("an array");
    assert_eq!(rows.len(), 10);
    assert_eq!(rows[4]["record"], "person");
    assert_eq!(rows[4]["text"], "آدا مثال");
    let package: serde_json::Value =
        serde_json::from_str(&read(site.path(), "data/datapackage.json")).expect("JSON");
    let resources = package["resources"].as_array().expect("resources");
    let table = resources
        .iter()
        .find(|r| r["name"] == "translations")
        .expect("the translations table is in the package");
    assert_eq!(table["path"], "translations.csv");
    assert_eq!(
        table["schema"]["primaryKey"],
        serde_json::json!(["record", "record_id", "language", "field"])
    );
    let codebook = read(site.path(), "data/index.html");
    assert!(
        codebook.contains("translations.csv"),
        "the codebook lists it"
    );
}

#[test]
fn a_site_without_translations_writes_the_table_with_its_header_only() {
    let site = fixture_copy("bilingual");
    for file in [
        "content/articles/2021/2021-05-17-talks.ar.md",
        "content/articles/2021/2021-05-20-aid.ar.md",
        "content/people/ada.ar.md",
        "content/pages/methodology.ar.md",
    ] {
        std::fs::remove_file(site.path().join(file)).expect("remove");
    }
    let talks = site
        .path()
        .join("content/articles/2021/2021-05-17-talks.md");
    edit(
        &talks,
        "    translation: Aid must get through, in English.\n",
        "",
    );
    let out = site.path().join("out");
    let output = annals(&[
        "build",
        "--root",
        path_str(site.path()),
        "--output",
        path_str(&out),
    ]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert_eq!(
        read(site.path(), "data/translations.csv"),
        "record,record_id,language,field,text\r\n"
    );
    assert_eq!(read(site.path(), "data/translations.json").trim(), "[]");
}

#[test]
fn a_name_whose_last_part_is_no_language_tag_stays_an_article() {
    let (site, _) = built();
    let page = read(site.path(), "articles/report-final/index.html");
    assert!(page.contains("The final report"));
}
