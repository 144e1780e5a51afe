//! Addresses that outlive every edit: pages of old addresses that send
//! readers on, `_redirects` for static hosts.

use std::path::Path;

use scraper::{Html, Selector};

use crate::process::{fixture_copy, path_str, scratch_dir};

/// `annals build` of a copy of `fixture` into a new directory: the output.
fn built(fixture: &str) -> (tempfile::TempDir, tempfile::TempDir, std::path::PathBuf) {
    let site = fixture_copy(fixture);
    let out = scratch_dir();
    let output = out.path().join("site");
    let run = std::process::Command::new(env!("CARGO_BIN_EXE_annals"))
        .args([
            "build",
            "--root",
            path_str(site.path()),
            "--output",
            path_str(&output),
        ])
        .output()
        .expect("run annals");
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    (site, out, output)
}

fn read(output: &Path, file: &str) -> String {
    std::fs::read_to_string(output.join(file)).unwrap_or_else(|e| panic!("{file}: {e}"))
}

fn attribute(html: &Html, selector: &str, attribute: &str) -> Option<String> {
    let selector = Selector::parse(selector).expect("a selector");
    html.select(&selector)
        .next()
        .and_then(|e| e.value().attr(attribute))
        .map(str::to_owned)
}

#[test]
fn an_old_address_sends_readers_and_search_engines_on() {
    let (_site, _out, output) = built("redirects");
    let target = "https://example.org/record/articles/alpha/";
    for page in ["articles/alpha-old/index.html", "2020/alpha.html"] {
        let html = Html::parse_document(&read(&output, page));
        assert_eq!(
            attribute(&html, "meta[http-equiv=refresh]", "content").as_deref(),
            Some(format!("0; url={target}").as_str()),
            "{page}: sent on at once"
        );
        assert_eq!(
            attribute(&html, "link[rel=canonical]", "href").as_deref(),
            Some(target),
            "{page}"
        );
        assert_eq!(
            attribute(&html, "meta[name=robots]", "content").as_deref(),
            Some("noindex"),
            "{page}"
        );
        assert_eq!(
            attribute(&html, "body a", "href").as_deref(),
            Some(target),
            "{page}: a link to follow by hand"
        );
    }
    let person = Html::parse_document(&read(&output, "people/benjamin/index.html"));
    assert_eq!(
        attribute(&person, "link[rel=canonical]", "href").as_deref(),
        Some("https://example.org/record/people/ben/")
    );
    // A chain (/chain/ → /old-section/ → /timeline/) is collapsed.
    let chain = Html::parse_document(&read(&output, "chain/index.html"));
    assert_eq!(
        attribute(&chain, "link[rel=canonical]", "href").as_deref(),
        Some("https://example.org/record/timeline/")
    );
    // An old address that is not a page's gets only a rule.
    assert!(!output.join("feed.xml").exists());
    let sitemap = read(&output, "sitemap.xml");
    assert!(!sitemap.contains("alpha-old") && !sitemap.contains("old-section"));
}

#[test]
fn redirects_are_rules_for_static_hosts_after_the_sites_own() {
    let (_site, _out, output) = built("redirects");
    let rules = read(&output, "_redirects");
    assert_eq!(
        rules,
        "# The host's own rules come first.\n\
         /legacy/* /record/timeline/ 301\n\
         /record/2020/alpha.html /record/articles/alpha/ 301\n\
         /record/articles/alpha-old/ /record/articles/alpha/ 301\n\
         /record/chain/ /record/timeline/ 301\n\
         /record/feed.xml /record/atom.xml 301\n\
         /record/old-section/ /record/timeline/ 301\n\
         /record/people/benjamin/ /record/people/ben/ 301\n\
         /record/sources/old-wire/ /record/sources/example-wire/ 301\n"
    );
}

#[test]
fn a_site_without_redirects_writes_no_rules() {
    let (_site, _out, output) = built("converge");
    assert!(!output.join("_redirects").exists());
}

/// The `id`s of elements on `page`.
fn ids(output: &Path, page: &str) -> Vec<String> {
    let html = Html::parse_document(&read(output, page));
    let any = Selector::parse("[id]").expect("a selector");
    html.select(&any)
        .filter_map(|e| e.value().attr("id"))
        .map(str::to_owned)
        .collect()
}

#[test]
fn a_statement_keeps_its_former_ids_as_anchors_wherever_it_is_shown() {
    let (_site, _out, output) = built("redirects");
    for page in ["articles/alpha/index.html", "people/ada/index.html"] {
        let ids = ids(&output, page);
        assert!(
            ids.iter()
                .any(|id| id == "ada-2020-03-01-talks-begun-today"),
            "{page}: {ids:?}"
        );
    }
    let csv = read(&output, "data/statements.csv");
    assert!(csv.contains(",ada-2020-03-01-talks-begun-today,"), "{csv}");
}

#[test]
fn a_withdrawn_page_and_statement_leave_a_dated_notice() {
    let (_site, _out, output) = built("redirects");
    let notice = Html::parse_document(&read(&output, "articles/epsilon/index.html"));
    let text: String = notice.root_element().text().collect();
    assert!(text.contains("/articles/epsilon/"), "{text}");
    assert!(text.contains("10 January 2022"), "{text}");
    assert!(text.contains("later retracted its report"), "{text}");
    assert_eq!(
        attribute(&notice, "meta[name=robots]", "content").as_deref(),
        Some("noindex")
    );
    assert!(!read(&output, "sitemap.xml").contains("epsilon"));

    // The statement was recorded by alpha, under its old address: the
    // notice is on alpha's page, where its permalink still lands.
    let alpha = read(&output, "articles/alpha/index.html");
    assert!(
        ids(&output, "articles/alpha/index.html")
            .iter()
            .any(|id| id == "ada-2020-03-02-we-will-leave")
    );
    assert!(alpha.contains("attributed to the wrong speaker"));
    assert!(!read(&output, "people/ada/index.html").contains("we-will-leave"));
    let csv = read(&output, "data/statements.csv");
    let row = csv
        .lines()
        .find(|line| line.starts_with("ada-2020-03-02-we-will-leave,"))
        .expect("a row for the withdrawn statement");
    assert!(
        row.ends_with(",2022-02-01,The quote was attributed to the wrong speaker."),
        "{row}"
    );
}
