//! Translations (issue 15, phase 1) on tests/fixtures/bilingual, English
//! with Arabic: `annals check`'s one line per language (and its JSON) and
//! its warning for a translation older than its original, the translations
//! table of the research exports, and names with dots that are no language
//! tags.
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
    let stderr = build(site.path());
    (site, stderr)
}

/// Builds `site` into `out` under it, which must succeed; stderr.
fn build(site: &Path) -> String {
    let out = site.join("out");
    let output = annals(&[
        "build",
        "--root",
        path_str(site),
        "--output",
        path_str(&out),
    ]);
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    assert!(output.status.success(), "{stderr}");
    stderr
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
    // Tools get the same sums from `--format json`.
    let json = annals(&["check", "--root", path_str(site.path()), "--format", "json"]);
    let report: serde_json::Value = serde_json::from_slice(&json.stdout).expect("JSON");
    assert_eq!(
        report["translated"],
        serde_json::json!([
            {"language": "ar", "articles": [2, 3], "people": [1, 2], "pages": [1, 2]}
        ]),
        "{report}"
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
    build(site.path());
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

// Phase 2: the pages in every language.

/// The site's address, as the bilingual fixture's `base_url` gives it.
const BASE: &str = "https://example.org/archive/";

fn built_output() -> (tempfile::TempDir, std::path::PathBuf) {
    let (site, _) = built();
    let out = site.path().join("out");
    (site, out)
}

fn select<'d>(document: &'d scraper::Html, css: &str) -> Vec<scraper::ElementRef<'d>> {
    let selector = scraper::Selector::parse(css).expect("selector");
    document.select(&selector).collect()
}

#[test]
fn every_language_has_the_lists_and_the_translated_pages_only() {
    let (site, out) = built_output();
    for page in [
        "ar/index.html",
        "ar/people/index.html",
        "ar/people/ada/index.html",
        "ar/people/ben/index.html",
        "ar/sources/index.html",
        "ar/timeline/index.html",
        "ar/timeline/2021/index.html",
        "ar/topics/index.html",
        "ar/places/index.html",
        "ar/search/index.html",
        "ar/404.html",
        "ar/atom.xml",
        "ar/articles/talks/index.html",
        "ar/articles/aid/index.html",
        "ar/methodology/index.html",
    ] {
        assert!(out.join(page).is_file(), "missing {page}");
    }
    for untranslated in [
        "ar/articles/report-final",
        "ar/about",
        "ar/data",
        "ar/corrections",
    ] {
        assert!(!out.join(untranslated).exists(), "{untranslated}");
    }
    let home = read(site.path(), "ar/index.html");
    assert!(home.contains("<html lang=\"ar\""), "{home}");
    assert!(home.contains("سجل وقف إطلاق النار"), "the language's title");
}

#[test]
fn lists_link_an_untranslated_original_marked_with_its_language() {
    let (site, _) = built();
    let home = scraper::Html::parse_document(&read(site.path(), "ar/index.html"));
    let original = select(&home, "a[href=\"/archive/articles/report-final/\"]");
    assert_eq!(original.len(), 1, "the original's own page");
    assert_eq!(original[0].value().attr("lang"), Some("en"));
    let label = select(&home, ".badge-language[lang=\"en\"]");
    assert_eq!(label.len(), 1);
    assert_eq!(label[0].text().collect::<String>(), "English");
    // A translated one links its page in this language, by its title there.
    let talks = select(&home, "a[href=\"/archive/ar/articles/talks/\"]");
    assert_eq!(talks.len(), 1);
    assert_eq!(talks[0].text().collect::<String>(), "استمرار المحادثات");
    let feed = read(site.path(), "ar/atom.xml");
    assert!(feed.contains("استمرار المحادثات"), "{feed}");
    assert!(feed.contains("https://example.org/archive/articles/report-final/"));
}

#[test]
fn untranslated_hide_leaves_originals_out_of_a_languages_lists() {
    let site = fixture_copy("bilingual");
    edit(
        &site.path().join("annals.yaml"),
        "untranslated: show",
        "untranslated: hide",
    );
    edit(
        &site
            .path()
            .join("content/articles/2021/2021-05-21-report.final.md"),
        "date: 2021-05-21\n",
        "date: 2021-05-21\ntopics: [Reports]\n",
    );
    build(site.path());
    // Lists of articles; statements stay listed wherever they are (on a
    // year's or a person's page), linking their article's original.
    let lists = [
        "index.html",
        "atom.xml",
        "timeline/index.html",
        "timeline/2021/index.html",
    ];
    for page in lists {
        let text = read(site.path(), &format!("ar/{page}"));
        assert!(!text.contains("articles/report-final/"), "{page}: {text}");
        assert!(text.contains("ar/articles/talks/"), "{page}");
        // The default language lists everything still.
        assert!(
            read(site.path(), page).contains("articles/report-final/"),
            "{page}"
        );
    }
    // A topic whose only article is hidden is not in the language's index,
    // nor a page of it, nor an alternate of the default language's.
    assert!(!read(site.path(), "ar/topics/index.html").contains("topics/reports/"));
    assert!(read(site.path(), "topics/index.html").contains("topics/reports/"));
    assert!(
        !site
            .path()
            .join("out/ar/topics/reports/index.html")
            .exists()
    );
    assert!(!read(site.path(), "sitemap.xml").contains("ar/topics/reports/"));
    assert!(!read(site.path(), "topics/reports/index.html").contains("ar/topics/reports/"));
    // The timeline's chart and a year's months count what they list: the
    // two translated articles of 2021, not the hidden one.
    let timeline = read(site.path(), "ar/timeline/index.html");
    assert!(
        timeline.contains("aria-label=\"2021: مقالان، 3 تصريحات\""),
        "{timeline}"
    );
    let english = read(site.path(), "timeline/index.html");
    assert!(
        english.contains("aria-label=\"2021: 3 articles, 3 statements\""),
        "{english}"
    );
    // So does search: the language's index leaves out the untranslated
    // article and page, and keeps every statement.
    let out = site.path().join("out");
    let records = index_records(&out, "ar/search-index");
    let urls: Vec<&str> = records.iter().filter_map(|r| r["url"].as_str()).collect();
    assert_eq!(
        urls,
        [
            "/ar/articles/aid/",
            "/ar/articles/aid/#ben-convoy",
            "/ar/articles/talks/",
            "/ar/articles/talks/#ada-talks",
            "/ar/articles/talks/#ben-aid",
            "/ar/methodology/",
        ]
    );
    let words = index_words(&out, "ar/search-index");
    assert!(!words.contains_key("final") && !words.contains_key("who"));
    let manifest = read(site.path(), "ar/search-index/index.json");
    assert!(manifest.contains("\"records\":6,\"dated\":5"), "{manifest}");
}

/// The page a URL of the site names, as a file of the output.
fn file_of(url: &str) -> String {
    let path = url
        .strip_prefix(BASE)
        .unwrap_or_else(|| panic!("not absolute: {url}"));
    match path {
        "" => "index.html".to_owned(),
        dir if dir.ends_with('/') => format!("{dir}index.html"),
        file => file.to_owned(),
    }
}

/// Each `hreflang` of a page's alternates with its URL.
fn alternates(out: &Path, file: &str) -> Vec<(String, String)> {
    let html = std::fs::read_to_string(out.join(file)).unwrap_or_else(|e| panic!("{file}: {e}"));
    let document = scraper::Html::parse_document(&html);
    select(&document, "link[rel=alternate][hreflang]")
        .into_iter()
        .map(|l| {
            let attr = |name| l.value().attr(name).unwrap_or_default().to_owned();
            (attr("hreflang"), attr("href"))
        })
        .collect()
}

#[test]
fn every_page_links_its_versions_and_each_links_back() {
    let (_site, out) = built_output();
    let mut checked = 0;
    for (file, _) in crate::site::files(&out) {
        if !file.ends_with(".html") || file.ends_with("404.html") || file.starts_with("data/") {
            continue;
        }
        let versions = alternates(&out, &file);
        let translatable = !["about/", "corrections/", "articles/report-final/"]
            .iter()
            .any(|p| file.starts_with(p));
        if !translatable {
            assert!(
                versions.is_empty(),
                "{file} has no other version: {versions:?}"
            );
            continue;
        }
        assert!(
            versions.len() == 3,
            "{file}: en, ar, x-default: {versions:?}"
        );
        let own = versions
            .iter()
            .filter(|(_, url)| file_of(url) == file)
            .count();
        assert!(own >= 1, "{file} is among its own versions: {versions:?}");
        let default = versions.iter().find(|(lang, _)| lang == "x-default");
        let english = versions.iter().find(|(lang, _)| lang == "en");
        assert_eq!(default.map(|d| &d.1), english.map(|e| &e.1), "{file}");
        for (lang, url) in &versions {
            let target = file_of(url);
            let back = alternates(&out, &target);
            assert_eq!(
                back, versions,
                "{target} ({lang}) does not link back to {file}"
            );
            let html = std::fs::read_to_string(out.join(&target)).expect("read");
            if lang != "x-default" {
                assert!(html.contains(&format!("<html lang=\"{lang}\"")), "{target}");
            }
        }
        checked += 1;
    }
    assert!(checked > 20, "only {checked} pages with versions");
}

#[test]
fn the_sitemap_lists_each_pages_versions_as_xml() {
    let (site, _) = built();
    let sitemap = read(site.path(), "sitemap.xml");
    let mut reader = quick_xml::Reader::from_str(&sitemap);
    let (mut urls, mut links) = (0, 0);
    loop {
        match reader.read_event() {
            Ok(quick_xml::events::Event::Eof) => break,
            Ok(quick_xml::events::Event::Start(e)) if e.name().as_ref() == b"url" => urls += 1,
            Ok(quick_xml::events::Event::Empty(e)) if e.name().as_ref() == b"xhtml:link" => {
                links += 1
            }
            Ok(_) => {}
            Err(error) => panic!("sitemap.xml: {error}"),
        }
    }
    assert!(sitemap.contains("xmlns:xhtml=\"http://www.w3.org/1999/xhtml\""));
    assert!(sitemap.contains("<loc>https://example.org/archive/ar/articles/talks/</loc>"));
    assert!(sitemap.contains(
        "<xhtml:link rel=\"alternate\" hreflang=\"ar\" href=\"https://example.org/archive/ar/articles/talks/\"/>"
    ));
    assert!(urls > 30 && links > 60, "{urls} URLs, {links} alternates");
}

#[test]
fn every_language_links_resolve() {
    let (_site, out) = built_output();
    crate::site::Crawl::site(&out, BASE).assert_sound();
}

#[test]
fn a_languages_pages_show_its_translations_and_keep_the_originals_facts() {
    let (site, _) = built();
    let talks = read(site.path(), "ar/articles/talks/index.html");
    let document = scraper::Html::parse_document(&talks);
    // The statement's translation, marked, beside the verbatim original.
    let translations = select(&document, "#ada-talks .translation");
    assert_eq!(translations.len(), 1, "{talks}");
    assert!(
        translations[0]
            .text()
            .collect::<String>()
            .contains("سنواصل الحديث.")
    );
    assert!(select(&document, "#ada-talks blockquote").len() == 1);
    // The verbatim words say their language, the default one unless the
    // statement gives its own, as the page's is another.
    let lang_of = |css: &str| select(&document, css)[0].value().attr("lang");
    assert_eq!(lang_of("#ada-talks blockquote"), Some("en"), "{talks}");
    assert_eq!(lang_of("#ben-aid blockquote"), Some("fr"), "{talks}");
    // A translation in another language than the page's is isolated as
    // such, its label (in the page's language) left out of it.
    assert_eq!(lang_of("#ben-aid .translation"), None, "{talks}");
    assert_eq!(lang_of("#ben-aid .translation .label"), None, "{talks}");
    assert_eq!(
        lang_of("#ben-aid .translation span:not(.label)"),
        Some("en"),
        "{talks}"
    );
    // So do the record's words that are not translated: a context, a
    // source's title; a translated role does not.
    assert_eq!(lang_of("#ada-talks .context"), Some("en"), "{talks}");
    assert_eq!(lang_of(".source-list cite bdi"), Some("en"), "{talks}");
    // A role written on the statement that is the person's current one is
    // theirs, translated; on their own page it is not said at all.
    assert_eq!(lang_of("#ada-talks .role"), None, "{talks}");
    let role = select(&document, "#ada-talks .role")[0]
        .text()
        .collect::<String>();
    assert_eq!(role, "وزيرة الخارجية");
    let own = read(site.path(), "ar/people/ada/index.html");
    let own = scraper::Html::parse_document(&own);
    assert!(select(&own, "#ada-talks .speaker").is_empty());
    // The article is cited by the title its page shows, at its address.
    let cited = select(&document, "details[data-cite=\"talks\"] .cite-text");
    let cited: String = cited[0].text().collect();
    assert!(
        cited.starts_with("“استمرار المحادثات.”") && cited.ends_with("/archive/ar/articles/talks/"),
        "{cited}"
    );
    let original = read(site.path(), "articles/talks/index.html");
    assert!(!original.contains("<blockquote lang=\"en\""), "{original}");
    assert!(
        !original.contains("lang=\"en\" class=\"context\""),
        "{original}"
    );
    // Inline citations link the original's sources, as the original's do.
    let cited = select(&document, ".body a[href=\"#source-1\"]");
    assert_eq!(cited.len(), 1, "{talks}");
    assert!(!talks.contains("source:briefing"));
    assert_eq!(select(&document, "#source-1").len(), 1);
    // The person's translation: name on their page and on statements.
    let ada = read(site.path(), "ar/people/ada/index.html");
    assert!(
        ada.contains("آدا مثال") && ada.contains("وزيرة الخارجية"),
        "{ada}"
    );
    assert!(ada.contains("سيرة آدا."), "{ada}");
    assert!(talks.contains("آدا مثال"), "{talks}");
    // Their name stays the original's in the default language.
    assert!(!read(site.path(), "people/ada/index.html").contains("آدا مثال"));
}

/// The records of the search index in `dir` of the output, in id order.
fn index_records(out: &Path, dir: &str) -> Vec<serde_json::Value> {
    let mut records = Vec::new();
    for n in 0.. {
        let chunk = format!("{dir}/r/{n}.json.gz");
        if !out.join(&chunk).exists() {
            break;
        }
        let chunk: Vec<serde_json::Value> =
            serde_json::from_value(crate::site::read_chunk(out, &chunk)).expect("records");
        records.extend(chunk);
    }
    records
}

/// Each word of the search index in `dir` with the ids of the records it
/// finds (a negative posting is `-1 - id`).
fn index_words(out: &Path, dir: &str) -> std::collections::BTreeMap<String, Vec<i64>> {
    let mut words = std::collections::BTreeMap::new();
    for file in std::fs::read_dir(out.join(format!("{dir}/w"))).expect("word chunks") {
        let chunk = format!(
            "{dir}/w/{}",
            file.expect("entry").file_name().to_string_lossy()
        );
        let chunk: std::collections::BTreeMap<String, Vec<i64>> =
            serde_json::from_value(crate::site::read_chunk(out, &chunk)).expect("word chunk");
        for (word, postings) in chunk {
            let ids = postings.iter().map(|&p| if p < 0 { -1 - p } else { p });
            words.insert(word, ids.collect());
        }
    }
    words
}

/// The id of the record linking `url` among `records`.
fn record_at(records: &[serde_json::Value], url: &str) -> i64 {
    let found = records.iter().position(|r| r["url"] == url);
    found.unwrap_or_else(|| panic!("no record of {url}: {records:#?}")) as i64
}

#[test]
fn each_language_has_a_search_index_of_its_translations_and_the_untranslated_originals() {
    let (_site, out) = built_output();
    let manifest: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(out.join("ar/search-index/index.json")).expect("manifest"),
    )
    .expect("JSON");
    // Filters in the language: its people's names and the kinds' words.
    let file = std::fs::File::open(out.join("ar/search-index/filters.json.gz")).expect("filters");
    let filters: serde_json::Value =
        serde_json::from_reader(flate2::read::GzDecoder::new(file)).expect("gzipped JSON");
    assert_eq!(filters["person"]["ada"], "آدا مثال");
    assert_eq!(filters["kind"]["article"], "مقالات");
    assert_eq!(filters["source"]["report"], "تقرير");
    assert_eq!(
        manifest["languages"],
        serde_json::json!({ "en": "English" })
    );
    let records = index_records(&out, "ar/search-index");
    let talks = &records[record_at(&records, "/ar/articles/talks/") as usize];
    assert_eq!(talks["title"], "استمرار المحادثات");
    assert_eq!(talks["original"], serde_json::Value::Null);
    let statement = record_at(&records, "/ar/articles/talks/#ada-talks");
    let ada = &records[statement as usize];
    assert_eq!(ada["person"], "آدا مثال");
    assert_eq!(ada["article"], "استمرار المحادثات");
    assert_eq!(ada["translation"], "سنواصل الحديث.");
    assert_eq!(ada["lang"], "en", "the words said, in the default language");
    // Untranslated: the original's page, words and language.
    let report = &records[record_at(&records, "/articles/report-final/") as usize];
    assert_eq!(report["title"], "The final report");
    assert_eq!(
        (&report["original"], &report["lang"]),
        (&"en".into(), &"en".into())
    );
    assert_eq!(
        record_at(&records, "/ar/methodology/"),
        records.len() as i64 - 1
    );
    let about = &records[record_at(&records, "/about/") as usize];
    assert_eq!(about["original"], "en");
    // A statement is found by its words and by its translation into the
    // language; a translated article by its translation's words only.
    let words = index_words(&out, "ar/search-index");
    assert_eq!(words["سنواصل"], [statement]);
    assert_eq!(words["talking"], [statement]);
    let talks = record_at(&records, "/ar/articles/talks/");
    assert_eq!(words["استمرار"], [talks]);
    assert_eq!(words["المحادثات"], [talks]);
    assert!(!words.contains_key("continue"), "the original's title");
    let final_report = record_at(&records, "/articles/report-final/");
    assert!(words["final"].contains(&final_report));
    // The default language's index has none of it.
    let default = index_words(&out, "search-index");
    assert!(default.contains_key("continue") && !default.contains_key("سنواصل"));
    let records = index_records(&out, "search-index");
    assert!(
        records
            .iter()
            .all(|r| !r["url"].as_str().unwrap_or("/ar/").starts_with("/ar/"))
    );
    // The Arabic search page reads its own index.
    let page = std::fs::read_to_string(out.join("ar/search/index.html")).expect("page");
    assert!(
        page.contains("data-index=\"/archive/ar/search-index/\""),
        "{page}"
    );
}

#[test]
fn an_edited_translation_brings_its_languages_search_index_up_to_date() {
    use annals::build::{BuildOptions, Change, Session};
    let site = fixture_copy("bilingual");
    let out = site.path().join("out");
    let options = BuildOptions {
        root: site.path().to_path_buf(),
        output: Some(out.clone()),
        ..BuildOptions::default()
    };
    let mut session = Session::open(options).expect("open the site");
    session.build_all().expect("build");
    let file = "content/articles/2021/2021-05-17-talks.ar.md";
    edit(&site.path().join(file), "سنواصل الحديث.", "سنتفاوض غدًا.");
    let changes = std::collections::BTreeSet::from([Change::Path(file.into())]);
    session.apply(&changes).expect("rebuild");
    // As in watch: the index catches up once edits pause.
    let job = session.start_catch_up().expect("the search index lags");
    session
        .finish_catch_up(job.run().expect("catch up"))
        .expect("finish");
    let words = index_words(&out, "ar/search-index");
    assert!(words.contains_key("سنتفاوض") && !words.contains_key("سنواصل"));
    let records = index_records(&out, "ar/search-index");
    let statement = record_at(&records, "/ar/articles/talks/#ada-talks") as usize;
    assert_eq!(records[statement]["translation"], "سنتفاوض غدًا.");
}

#[test]
fn a_translations_text_alone_rerenders_its_own_page_and_its_title_the_lists() {
    use annals::build::{BuildOptions, Change, Session};
    let site = fixture_copy("bilingual");
    let options = BuildOptions {
        root: site.path().to_path_buf(),
        output: Some(site.path().join("out")),
        ..BuildOptions::default()
    };
    let mut session = Session::open(options).expect("open the site");
    session.build_all().expect("build");
    let file = "content/articles/2021/2021-05-17-talks.ar.md";
    let changes = std::collections::BTreeSet::from([Change::Path(file.into())]);
    // The text, with the written summary as it was: the article's own
    // page in each language, and of them only the Arabic one changes.
    edit(
        &site.path().join(file),
        "استمرت المحادثات",
        "تواصلت المحادثات",
    );
    let report = session.apply(&changes).expect("rebuild");
    assert_eq!(report.pages, 2, "{report:?}");
    assert_eq!(report.written, ["ar/articles/talks/index.html"]);
    // The title shows in lists too.
    edit(
        &site.path().join(file),
        "استمرار المحادثات",
        "تواصل المحادثات",
    );
    let report = session.apply(&changes).expect("rebuild");
    assert!(report.pages > 2, "{report:?}");
    assert!(
        report.written.contains(&"ar/index.html".to_owned()),
        "{report:?}"
    );
}

/// A withdrawn article's notice at its Arabic address is in Arabic, laid
/// out right to left, as the rest of that language's pages.
#[test]
fn a_withdrawal_notice_at_a_languages_address_is_in_that_language() {
    let site = fixture_copy("bilingual");
    let articles = site.path().join("content/articles/2021");
    for file in ["2021-05-20-aid.md", "2021-05-20-aid.ar.md"] {
        std::fs::remove_file(articles.join(file)).expect("remove the article");
    }
    let config = site.path().join("annals.yaml");
    let text = std::fs::read_to_string(&config).expect("annals.yaml");
    let withdrawn = "withdrawn:\n  - path: /articles/aid/\n    date: 2021-06-01\n    reason: Its only source retracted.\n  - path: /ar/articles/aid/\n    date: 2021-06-01\n    reason: سحب مصدره الوحيد تقريره.\n";
    std::fs::write(&config, format!("{text}{withdrawn}")).expect("annals.yaml");
    build(site.path());
    let arabic = read(site.path(), "ar/articles/aid/index.html");
    assert!(
        arabic.contains("<html lang=\"ar\" dir=\"rtl\">"),
        "{arabic}"
    );
    assert!(arabic.contains("سُحبت الصفحة التي كانت على"), "{arabic}");
    assert!(arabic.contains("سحب مصدره الوحيد تقريره."), "{arabic}");
    assert!(
        arabic.contains(
            "<link rel=\"canonical\" href=\"https://example.org/archive/ar/articles/aid/\">"
        ),
        "{arabic}"
    );
    let english = read(site.path(), "articles/aid/index.html");
    assert!(english.contains("<html lang=\"en\">"), "{english}");
    assert!(english.contains("Its only source retracted."), "{english}");
}

/// What a language's page shows untranslated says its language, so that it
/// is read out and laid out as that language: a bio, an article's title
/// after "recorded in", the articles citing a document.
#[test]
fn what_a_languages_page_shows_untranslated_says_its_language() {
    let site = fixture_copy("bilingual");
    let people = site.path().join("content/people/ben.md");
    std::fs::write(
        &people,
        "---\nname: Ben Sample\n---\nBen speaks for the convoy.\n",
    )
    .expect("give ben a bio");
    std::fs::write(
        site.path().join("content/articles/2021/2021-05-21-report.final.md"),
        "---\ntitle: The final report\ndate: 2021-05-21\nsources:\n  - id: wire\n    publisher: Example Wire\nstatements:\n  - person: ben\n    date: 2021-05-21\n    quote: The report is final.\n    source: wire\n---\nA report.\n",
    )
    .expect("give the untranslated article a statement");
    let config = site.path().join("annals.yaml");
    let withdrawn = "withdrawn:\n  - statement: ben-gone\n    article: /articles/talks/\n    date: 2021-06-01\n    reason: It was misattributed.\n";
    let text = std::fs::read_to_string(&config).expect("annals.yaml");
    std::fs::write(&config, format!("{text}{withdrawn}")).expect("annals.yaml");
    build(site.path());
    let page = |path: &str| scraper::Html::parse_document(&read(site.path(), path));
    let lang_of = |document: &scraper::Html, css: &str| {
        let found = select(document, css);
        found
            .first()
            .and_then(|e| e.value().attr("lang"))
            .map(str::to_owned)
    };
    let ben = page("ar/people/ben/index.html");
    assert_eq!(lang_of(&ben, ".bio").as_deref(), Some("en"));
    let titles: Vec<_> = select(&ben, ".in-article bdi")
        .iter()
        .filter(|e| e.text().collect::<String>() == "The final report")
        .map(|e| e.value().attr("lang"))
        .collect();
    assert_eq!(titles, [Some("en")]);
    let wire = page("ar/sources/example-wire/index.html");
    assert_eq!(lang_of(&wire, ".cited-by bdi").as_deref(), Some("en"));
    // A withdrawn statement's reason, written once for every language.
    let talks = page("ar/articles/talks/index.html");
    assert_eq!(
        lang_of(&talks, "#ben-gone span[lang]").as_deref(),
        Some("en")
    );
    // The default language's pages need no marks.
    assert_eq!(lang_of(&page("people/ben/index.html"), ".bio"), None);
}

/// "Cite this" on a language's page is in its language: the speaker's
/// name, the date, the words and comma, the site's title there.
#[test]
fn citations_on_a_languages_page_are_in_its_language() {
    let (site, _) = built();
    let document =
        scraper::Html::parse_document(&read(site.path(), "ar/articles/talks/index.html"));
    let cited: Vec<String> = select(&document, ".cite-text")
        .iter()
        .map(|e| e.text().collect())
        .collect();
    assert_eq!(
        cited,
        [
            "آدا مثال. “We will keep talking.” 17 مايو 2021. Ministry of Examples، Daily briefing. https://example.org/briefing. مسجَّل في سجل وقف إطلاق النار: https://example.org/archive/ar/articles/talks/#ada-talks.",
            "Ben Sample. “Aid must get through.” 17 مايو 2021. Ministry of Examples، Daily briefing. https://example.org/briefing. مسجَّل في سجل وقف إطلاق النار: https://example.org/archive/ar/articles/talks/#ben-aid.",
            "“استمرار المحادثات.” سجل وقف إطلاق النار، 17 مايو 2021. https://example.org/archive/ar/articles/talks/",
        ]
    );
}
