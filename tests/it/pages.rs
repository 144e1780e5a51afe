//! Pages of `content/pages/` (about, methodology, a policy): built at
//! `/<slug>/` through `page.html`, linked from the navigation of every page
//! when `menu: true`, in the sitemap and in search (undated, after every
//! dated result), in no feed or export, and refused at an address annals or
//! the site already uses.

use std::path::{Path, PathBuf};
use std::process::Command;

use scraper::{Html, Selector};

use crate::process::{fixture_copy, path_str};
use crate::site::{Crawl, build, files, read};

const BASE: &str = "https://example.org/record/";

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/pages")
}

fn select<'d>(document: &'d Html, css: &str) -> Vec<scraper::ElementRef<'d>> {
    let selector = Selector::parse(css).expect("selector");
    document.select(&selector).collect()
}

fn text(element: &scraper::ElementRef) -> String {
    element.text().collect::<String>().trim().to_owned()
}

fn attribute(document: &Html, css: &str, name: &str) -> Option<String> {
    let found = select(document, css);
    found.first()?.value().attr(name).map(str::to_owned)
}

#[test]
fn a_page_is_built_at_its_address_with_a_description_and_json_ld() {
    let (_dir, output) = build(&fixture(), &[]);
    let page = Html::parse_document(&read(&output, "methodology/index.html"));
    let heading: Vec<String> = select(&page, "main h1").iter().map(text).collect();
    assert_eq!(heading, ["Methodology"]);
    assert_eq!(
        select(&page, "main h2#verification").len(),
        1,
        "the body, with heading anchors"
    );
    assert_eq!(
        select(&page, "title").first().map(text).as_deref(),
        Some("Methodology · Pages fixture")
    );
    let summary = "How statements are selected, verified, archived and corrected.";
    assert_eq!(
        attribute(&page, "meta[name=description]", "content").as_deref(),
        Some(summary)
    );
    assert_eq!(
        attribute(&page, "link[rel=canonical]", "href"),
        Some(format!("{BASE}methodology/"))
    );
    let json = select(&page, "script[type='application/ld+json']")
        .first()
        .map(|s| s.inner_html())
        .expect("JSON-LD");
    let ld: serde_json::Value = serde_json::from_str(&json).expect("JSON-LD parses");
    let web_page = &ld["@graph"][0];
    assert_eq!(web_page["@type"], "WebPage");
    assert_eq!(web_page["url"], format!("{BASE}methodology/"));
    assert_eq!(web_page["name"], "Methodology");
    assert_eq!(
        attribute(&page, "meta[name=description]", "content"),
        Some(summary.to_owned())
    );
    assert_eq!(web_page["isPartOf"]["url"], BASE);

    // Without a summary, the first paragraph describes the page; links
    // from the site root move under the site's sub-path.
    let about = Html::parse_document(&read(&output, "about/index.html"));
    assert_eq!(
        attribute(&about, "meta[name=description]", "content").as_deref(),
        Some("This record keeps who said what about the talks, and on whose authority.")
    );
    assert_eq!(
        attribute(&about, "main .body a", "href").as_deref(),
        Some("/record/people/ada/")
    );
    assert!(output.join("corrections-policy/index.html").is_file());
    Crawl::site(&output, BASE).assert_sound();
}

#[test]
fn every_page_links_the_menu_pages_by_weight_and_marks_its_own() {
    let (_dir, output) = build(&fixture(), &[]);
    let mut html_pages = 0;
    for (name, bytes) in files(&output) {
        if !name.ends_with(".html") {
            continue;
        }
        html_pages += 1;
        let page = Html::parse_document(&String::from_utf8_lossy(&bytes));
        let links: Vec<String> = select(&page, ".site-nav a").iter().map(text).collect();
        assert_eq!(
            links[links.len() - 2..],
            ["Methodology", "About this record"],
            "{name}: menu pages last, lighter first: {links:?}"
        );
        assert!(
            !links.iter().any(|l| l == "Corrections policy"),
            "{name}: a page without `menu: true` is not in the navigation"
        );
        let isolated: Vec<String> = select(&page, ".site-nav a bdi").iter().map(text).collect();
        assert_eq!(
            isolated,
            ["Methodology", "About this record"],
            "{name}: a page's title, which may be right to left, is isolated"
        );
        let current: Vec<String> = select(&page, ".site-nav a[aria-current=page]")
            .iter()
            .map(text)
            .collect();
        let own = match name.as_str() {
            "about/index.html" => vec!["About this record".to_owned()],
            "methodology/index.html" => vec!["Methodology".to_owned()],
            _ => current.clone(),
        };
        assert_eq!(current, own, "{name}");
    }
    assert!(html_pages > 20, "every HTML page: {html_pages}");
}

#[test]
fn pages_are_in_the_sitemap_and_searchable_after_dated_records_but_in_no_feed_or_export() {
    let (_dir, output) = build(&fixture(), &[]);
    let sitemap = read(&output, "sitemap.xml");
    for slug in ["about", "methodology", "corrections-policy"] {
        assert!(
            sitemap.contains(&format!("<url><loc>{BASE}{slug}/</loc></url>")),
            "{slug}: {sitemap}"
        );
    }
    let manifest: serde_json::Value =
        serde_json::from_str(&read(&output, "search-index/index.json")).expect("manifest");
    assert_eq!(
        (manifest["records"].as_u64(), manifest["dated"].as_u64()),
        (Some(8), Some(5))
    );
    let records = crate::site::read_chunk(&output, "search-index/r/0.json.gz");
    let records = records.as_array().expect("a list");
    assert!(records[..5].iter().all(|r| r["date"].is_string()));
    let pages: Vec<(&str, &str, bool)> = records[5..]
        .iter()
        .map(|r| {
            let field = |key: &str| r[key].as_str().unwrap_or_default();
            (field("url"), field("kind"), r.get("date").is_some())
        })
        .collect();
    assert_eq!(
        pages,
        [
            ("/corrections-policy/", "page", false),
            ("/methodology/", "page", false),
            ("/about/", "page", false),
        ],
        "undated, by weight then title"
    );
    let words = crate::site::read_chunk(&output, "search-index/w/ve.json.gz");
    assert_eq!(words["verification"], serde_json::json!([6]), "body words");
    for file in [
        "atom.xml",
        "data/statements.json",
        "data/statements.csv",
        "data/people.json",
        "data/sources.json",
    ] {
        let text = read(&output, file);
        assert!(
            !text.contains("/methodology/") && !text.contains("About this record"),
            "{file} lists no page"
        );
    }
}

#[test]
fn a_site_template_replaces_the_built_in_page_template() {
    let site = fixture_copy("pages");
    let templates = site.path().join("templates");
    std::fs::create_dir_all(&templates).expect("templates/");
    std::fs::write(
        templates.join("page.html"),
        "{% extends \"base.html\" %}{% block content %}<h1 class=\"own\">{{ page.title }}</h1>{{ page.body | safe }}{% endblock content %}\n",
    )
    .expect("write page.html");
    let (_dir, output) = build(site.path(), &[]);
    let page = Html::parse_document(&read(&output, "about/index.html"));
    let heading: Vec<String> = select(&page, "h1.own").iter().map(text).collect();
    assert_eq!(heading, ["About this record"]);
    let article = read(&output, "articles/first/index.html");
    assert!(
        !article.contains("class=\"own\""),
        "other pages keep theirs"
    );
}

/// `annals check --format json` on `root`: each error's file, line and
/// message.
fn errors_of(root: &Path) -> Vec<(String, Option<u64>, String)> {
    let output = Command::new(env!("CARGO_BIN_EXE_annals"))
        .args(["check", "--format", "json", "--root", path_str(root)])
        .output()
        .expect("run annals check");
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON report");
    let diagnostics = report["diagnostics"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    diagnostics
        .iter()
        .filter(|d| d["severity"] == "error")
        .map(|d| {
            let field = |key: &str| d[key].as_str().unwrap_or_default().to_owned();
            assert!(!field("hint").is_empty(), "{d}");
            (field("file"), d["line"].as_u64(), field("message"))
        })
        .collect()
}

fn write(root: &Path, path: &str, text: &str) {
    let path = root.join(path);
    std::fs::create_dir_all(path.parent().expect("a parent")).expect("folders");
    std::fs::write(path, text).expect("write");
}

#[test]
fn no_page_takes_an_address_annals_or_the_site_already_uses() {
    let site = fixture_copy("pages");
    let root = site.path();
    let page = |title: &str| format!("---\ntitle: {title}\n---\nText.\n");
    for name in [
        "search",
        "sources",
        "corrections",
        "data",
        "search-index",
        "media",
        "old-about",
        "gone",
    ] {
        write(root, &format!("content/pages/{name}.md"), &page(name));
    }
    // The home page fits on one page today; `/page/2/` is where it goes on.
    write(
        root,
        "content/pages/more.md",
        "---\ntitle: More\nslug: page\n---\nText.\n",
    );
    write(root, "static/media/logo.png", "png");
    let config = root.join("annals.yaml");
    let mut settings = std::fs::read_to_string(&config).expect("annals.yaml");
    settings.push_str("redirects:\n  /old-about/: /about/\nwithdrawn:\n  - path: /gone/\n    date: 2022-01-10\n    reason: Gone.\n");
    std::fs::write(&config, settings).expect("write annals.yaml");
    let found = errors_of(root);
    let expected = [
        (
            "corrections.md",
            None,
            "`/corrections/` is taken by annals' own pages under /corrections/",
        ),
        (
            "data.md",
            None,
            "`/data/` is taken by the folder /data/, which annals writes whole",
        ),
        ("gone.md", None, "`/gone/` was withdrawn, at annals.yaml:8"),
        ("media.md", None, "`/media/` is taken by static/media"),
        (
            "more.md",
            Some(3),
            "`/page/` is taken by annals' own pages under /page/",
        ),
        (
            "old-about.md",
            None,
            "`/old-about/` is an old address, redirected at annals.yaml:6",
        ),
        (
            "search.md",
            None,
            "`/search/` is taken by annals' own pages under /search/",
        ),
        (
            "search-index.md",
            None,
            "`/search-index/` is taken by the folder /search-index/, which annals writes whole",
        ),
        (
            "sources.md",
            None,
            "`/sources/` is taken by annals' own pages under /sources/",
        ),
    ];
    assert_eq!(found.len(), expected.len(), "one error each: {found:#?}");
    for (file, line, says) in expected {
        let path = format!("content/pages/{file}");
        assert!(
            found
                .iter()
                .any(|(f, l, m)| *f == path && *l == line && m.contains(says)),
            "{path}:{line:?} {says}: {found:#?}"
        );
    }
}

#[test]
fn init_starts_a_site_with_about_and_methodology_in_the_navigation() {
    let dir = tempfile::tempdir().expect("temporary directory");
    let site = dir.path().join("new-site");
    let init = Command::new(env!("CARGO_BIN_EXE_annals"))
        .args(["init", path_str(&site)])
        .status()
        .expect("run annals init");
    assert!(init.success());
    let (_out, output) = build(&site, &[]);
    let home = Html::parse_document(&read(&output, "index.html"));
    let links: Vec<String> = select(&home, ".site-nav a").iter().map(text).collect();
    assert_eq!(
        links[links.len() - 2..],
        ["Methodology", "About"],
        "{links:?}"
    );
    for page in ["about/index.html", "methodology/index.html"] {
        assert!(output.join(page).is_file(), "{page}");
    }
}
