//! Addresses that outlive every edit: pages of old addresses that send
//! readers on, `_redirects` for static hosts.

use std::path::{Path, PathBuf};

use scraper::{Html, Selector};

use crate::process::{edit, fixture_copy, path_str, scratch_dir};

/// `annals build` of a copy of `fixture` into a new directory: the output.
fn built(fixture: &str) -> (tempfile::TempDir, tempfile::TempDir, PathBuf) {
    let site = fixture_copy(fixture);
    let (out, output) = build_into(site.path(), &[]);
    (site, out, output)
}

/// `annals build` of the site at `root` with `args` into a new directory.
fn build_into(root: &Path, args: &[&str]) -> (tempfile::TempDir, PathBuf) {
    let out = scratch_dir();
    let output = out.path().join("site");
    let mut all = vec![
        "build",
        "--root",
        path_str(root),
        "--output",
        path_str(&output),
    ];
    all.extend(args);
    let run = annals(&all);
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    (out, output)
}

fn annals(args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_annals"))
        .args(args)
        .output()
        .expect("run annals")
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

/// The redirect page `page` of `output`, which must send readers to `link`
/// at once and by hand, with `canonical` as its canonical address.
#[track_caller]
fn sends_on(output: &Path, page: &str, link: &str, canonical: &str) -> Html {
    let html = Html::parse_document(&read(output, page));
    assert_eq!(
        attribute(&html, "meta[http-equiv=refresh]", "content").as_deref(),
        Some(format!("0; url={link}").as_str()),
        "{page}: sent on at once"
    );
    assert_eq!(
        attribute(&html, "body a", "href").as_deref(),
        Some(link),
        "{page}: a link to follow by hand"
    );
    assert_eq!(
        attribute(&html, "link[rel=canonical]", "href").as_deref(),
        Some(canonical),
        "{page}"
    );
    html
}

#[test]
fn an_old_address_sends_readers_and_search_engines_on() {
    let (_site, _out, output) = built("redirects");
    let target = "https://example.org/record/articles/alpha/";
    for page in ["articles/alpha-old/index.html", "2020/alpha.html"] {
        let html = sends_on(&output, page, target, target);
        assert_eq!(
            attribute(&html, "meta[name=robots]", "content").as_deref(),
            Some("noindex"),
            "{page}"
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

/// A person's old page address takes their feed's along (a rule: feed
/// readers follow a 301).
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
         /record/people/benjamin/atom.xml /record/people/ben/atom.xml 301\n\
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
        row.ends_with(",2022-02-01,The quote was attributed to the wrong speaker.,,,,,"),
        "{row}"
    );
}

/// `annals check --previous` of the site at `root`: its errors, as JSON
/// objects, and whether it passed.
fn check_previous(root: &Path, previous: &Path) -> (bool, Vec<serde_json::Value>) {
    let (passed, all) = checked_against(root, previous);
    let errors = all.into_iter().filter(|d| d["severity"] == "error");
    (passed, errors.collect())
}

/// `annals check --previous` and every diagnostic it gives, warnings too.
fn check_previous_all(root: &Path, previous: &Path) -> Vec<serde_json::Value> {
    checked_against(root, previous).1
}

/// Whether `annals check --previous` passed, and its diagnostics.
fn checked_against(root: &Path, previous: &Path) -> (bool, Vec<serde_json::Value>) {
    let run = annals(&[
        "check",
        "--root",
        path_str(root),
        "--previous",
        path_str(previous),
        "--format",
        "json",
    ]);
    let report: serde_json::Value =
        serde_json::from_slice(&run.stdout).expect("check --format json prints JSON");
    let all = report["diagnostics"]
        .as_array()
        .expect("a list of diagnostics");
    (run.status.success(), all.clone())
}

#[test]
fn check_previous_names_each_address_and_id_that_went_and_the_line_that_keeps_it() {
    let site = fixture_copy("redirects");
    let (_old, previous) = build_into(site.path(), &[]);
    assert_eq!(check_previous(site.path(), &previous), (true, vec![]));

    // A renamed file moves an article; a transcription fix changes an id.
    let articles = site.path().join("content/articles/2020");
    std::fs::rename(
        articles.join("2020-06-01-beta.md"),
        articles.join("2020-06-01-beta-pause.md"),
    )
    .expect("rename the article");
    let alpha = articles.join("2020-03-01-alpha.md");
    edit(&alpha, "The talks begin today.", "The talks began today.");
    let (passed, errors) = check_previous(site.path(), &previous);
    assert!(!passed);
    let messages: Vec<(&str, &str, u64)> = errors
        .iter()
        .map(|e| {
            (
                e["message"].as_str().unwrap_or_default(),
                e["hint"].as_str().unwrap_or_default(),
                e["line"].as_u64().unwrap_or_default(),
            )
        })
        .collect();
    let sitemap = previous.join("sitemap.xml");
    let moved = errors
        .iter()
        .find(|e| e["file"] == path_str(&sitemap))
        .expect("an error on the old sitemap");
    assert_eq!(
        moved["message"], "`/articles/beta/` was published, and this build serves nothing there",
        "{messages:?}"
    );
    assert!(
        moved["hint"]
            .as_str()
            .unwrap_or_default()
            .starts_with("add `redirect_from: [/articles/beta/]` to content/articles/2020/2020-06-01-beta-pause.md"),
        "{messages:?}"
    );
    let line = moved["line"].as_u64().expect("a line") as usize;
    let listed = read(&previous, "sitemap.xml");
    assert!(
        listed
            .lines()
            .nth(line - 1)
            .is_some_and(|l| l.contains("/articles/beta/"))
    );
    let id = errors
        .iter()
        .find(|e| e["file"] == path_str(&previous.join("data/statements.json")))
        .expect("an error on the old statement export");
    assert_eq!(
        id["message"],
        "statement `ada-2020-03-01-5aa94c6b` was published, and no statement of this build has that id"
    );
    assert!(
        id["hint"]
            .as_str()
            .unwrap_or_default()
            .starts_with("add `former_ids: [ada-2020-03-01-5aa94c6b]` to the statement at content/articles/2020/2020-03-01-alpha.md:13"),
        "{messages:?}"
    );
    // The export's row of the id, a row a line.
    let row = id["line"].as_u64().expect("the row's line") as usize;
    let export = read(&previous, "data/statements.json");
    assert!(
        (export.lines().nth(row - 1))
            .is_some_and(|l| l.starts_with("{\"id\":\"ada-2020-03-01-5aa94c6b\"")),
        "{messages:?}"
    );
    assert_eq!(errors.len(), 2, "{messages:?}");

    // The lines the hints give make it pass; so does a build for another
    // address, and `build --previous` agrees.
    edit(
        &articles.join("2020-06-01-beta-pause.md"),
        "date: 2020-06-01\n",
        "date: 2020-06-01\nredirect_from: [/articles/beta/]\n",
    );
    edit(
        &alpha,
        "former_ids: [ada-2020-03-01-talks-begun-today]",
        "former_ids: [ada-2020-03-01-talks-begun-today, ada-2020-03-01-5aa94c6b]",
    );
    assert_eq!(check_previous(site.path(), &previous), (true, vec![]));
    build_into(
        site.path(),
        &[
            "--previous",
            path_str(&previous),
            "--base-url",
            "https://preview.example.net/pr-7/",
        ],
    );
}

#[test]
fn a_sharded_previous_export_names_the_years_file_and_row_of_a_missing_statement() {
    let site = fixture_copy("redirects");
    let (_old, previous) = build_into(site.path(), &[]);
    // A record past 20,000 statements has its statements by year only.
    std::fs::remove_file(previous.join("data/statements.json")).expect("remove the whole export");
    let alpha = site
        .path()
        .join("content/articles/2020/2020-03-01-alpha.md");
    edit(&alpha, "The talks begin today.", "The talks began today.");
    let (passed, errors) = check_previous(site.path(), &previous);
    assert!(!passed);
    let shard = previous.join("data/statements/2020.json");
    let id = errors
        .iter()
        .find(|e| e["file"] == path_str(&shard))
        .unwrap_or_else(|| panic!("an error on the year's export: {errors:?}"));
    let row = id["line"].as_u64().expect("the row's line") as usize;
    assert!(
        (read(&previous, "data/statements/2020.json")
            .lines()
            .nth(row - 1))
        .is_some_and(|l| l.starts_with("{\"id\":\"ada-2020-03-01-5aa94c6b\"")),
        "{errors:?}"
    );
}

#[test]
fn build_previous_fails_before_writing_and_accepts_what_was_withdrawn() {
    let site = fixture_copy("redirects");
    let (_old, previous) = build_into(site.path(), &["--base-url", "https://old.example.org/"]);
    std::fs::remove_file(site.path().join("content/articles/2020/2020-06-01-beta.md"))
        .expect("remove an article");
    let out = scratch_dir();
    let output = out.path().join("site");
    let run = annals(&[
        "build",
        "--root",
        path_str(site.path()),
        "--output",
        path_str(&output),
        "--previous",
        path_str(&previous),
    ]);
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(!run.status.success());
    assert!(
        stderr.contains("`/articles/beta/` was published"),
        "{stderr}"
    );
    assert!(!output.exists(), "nothing written");

    // Withdrawn on purpose: the page and every statement it recorded.
    let ids: Vec<String> =
        serde_json::from_str::<Vec<serde_json::Value>>(&read(&previous, "data/statements.json"))
            .expect("the old export")
            .into_iter()
            .filter(|row| row["article_url"] == "https://old.example.org/articles/beta/")
            .filter_map(|row| row["id"].as_str().map(str::to_owned))
            .collect();
    assert!(!ids.is_empty());
    // Its topic went with it (no other article has it): that address is
    // withdrawn too.
    let mut config = read(site.path(), "annals.yaml");
    for path in ["/articles/beta/", "/topics/aid/"] {
        config.push_str(&format!(
            "  - path: {path}\n    date: 2023-04-01\n    reason: Withdrawn.\n"
        ));
    }
    for id in &ids {
        config.push_str(&format!(
            "  - statement: {id}\n    article: /articles/beta/\n    date: 2023-04-01\n    reason: Withdrawn.\n"
        ));
    }
    std::fs::write(site.path().join("annals.yaml"), config).expect("write annals.yaml");
    let errors = check_previous(site.path(), &previous).1;
    assert_eq!(errors, Vec::<serde_json::Value>::new());
}

#[test]
fn a_withdrawn_statement_answers_for_its_former_ids_when_it_lists_them() {
    let site = fixture_copy("redirects");
    let (_old, previous) = build_into(site.path(), &[]);
    let old: Vec<serde_json::Value> =
        serde_json::from_str(&read(&previous, "data/statements.json")).expect("the old export");
    let former = "ada-2020-03-01-talks-begun-today";
    let id = (old.iter())
        .find(|row| row["former_ids"] == former)
        .and_then(|row| row["id"].as_str())
        .expect("the statement with a former id");
    let article = site
        .path()
        .join("content/articles/2020/2020-03-01-alpha.md");
    let text = read(site.path(), "content/articles/2020/2020-03-01-alpha.md");
    let (before, after) = text.split_once("statements:\n").expect("a statements list");
    let (_, rest) = after
        .split_once("source: briefing\n")
        .expect("one statement");
    std::fs::write(&article, format!("{before}{rest}")).expect("remove the statement");
    let config = site.path().join("annals.yaml");
    let withdrawal = format!(
        "  - statement: {id}\n    article: /articles/alpha/\n    date: 2023-04-01\n    reason: Withdrawn.\n"
    );
    std::fs::write(&config, read(site.path(), "annals.yaml") + &withdrawal).expect("withdraw");

    let errors = check_previous(site.path(), &previous).1;
    assert_eq!(errors.len(), 1, "{errors:?}");
    let hint = errors[0]["hint"].as_str().unwrap_or_default();
    assert!(
        hint.contains(&format!(
            "add `former_ids: [{former}]` to the withdrawal of statement `{id}` (annals.yaml:"
        )),
        "{hint}"
    );

    let listed = withdrawal.replace(
        "    date:",
        &format!("    former_ids: [{former}]\n    date:"),
    );
    edit(&config, &withdrawal, &listed);
    assert_eq!(
        check_previous(site.path(), &previous).1,
        Vec::<serde_json::Value>::new()
    );
    let (_new, output) = build_into(site.path(), &[]);
    let ids = ids(&output, "articles/alpha/index.html");
    for anchor in [id, former] {
        assert_eq!(
            ids.iter().filter(|i| *i == anchor).count(),
            1,
            "{anchor}: {ids:?}"
        );
    }
    let csv = read(&output, "data/statements/withdrawn.csv");
    assert!(
        csv.contains(&format!(",{former},2023-04-01,Withdrawn.,")),
        "{csv}"
    );
}

#[test]
fn a_withdrawn_persons_feed_goes_with_their_page() {
    let site = fixture_copy("redirects");
    let (_old, previous) = build_into(site.path(), &[]);
    assert!(previous.join("people/cleo/atom.xml").is_file());
    let old: Vec<serde_json::Value> =
        serde_json::from_str(&read(&previous, "data/statements.json")).expect("the old export");
    let id = (old.iter())
        .find(|row| row["person_id"] == "cleo")
        .and_then(|row| row["id"].as_str())
        .expect("cleo's statement");
    std::fs::remove_file(site.path().join("content/people/cleo.md")).expect("remove cleo");
    let delta = site.path().join("content/articles/2021-07-01-delta.md");
    let text = read(site.path(), "content/articles/2021-07-01-delta.md");
    let (before, after) = text.split_once("statements:\n").expect("a statements list");
    let (_, rest) = after.split_once("source: report\n").expect("one statement");
    std::fs::write(&delta, format!("{before}{rest}")).expect("remove the statement");
    let withdrawals = format!(
        "  - path: /people/cleo/\n    date: 2023-04-01\n    reason: Withdrawn.\n\
         \x20 - statement: {id}\n    article: /articles/delta/\n    date: 2023-04-01\n    reason: Withdrawn.\n"
    );
    let config = site.path().join("annals.yaml");
    std::fs::write(&config, read(site.path(), "annals.yaml") + &withdrawals).expect("withdraw");
    assert_eq!(
        check_previous(site.path(), &previous).1,
        Vec::<serde_json::Value>::new()
    );
}

#[test]
fn later_parts_of_lists_may_go_and_a_sitemap_index_is_followed() {
    let site = fixture_copy("redirects");
    let config = site.path().join("annals.yaml");
    edit(&config, "language: en\n", "language: en\npaginate: 1\n");
    let (_old, previous) = build_into(site.path(), &[]);
    assert!(read(&previous, "sitemap.xml").contains("/page/2/"));
    // The last build's sitemap as one part of a sitemap index.
    std::fs::rename(previous.join("sitemap.xml"), previous.join("sitemap-1.xml"))
        .expect("move the sitemap");
    std::fs::write(
        previous.join("sitemap.xml"),
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
         <sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n\
         <sitemap><loc>https://example.org/record/sitemap-1.xml</loc></sitemap>\n\
         </sitemapindex>\n",
    )
    .expect("write a sitemap index");
    edit(&config, "paginate: 1\n", "");
    assert_eq!(check_previous(site.path(), &previous), (true, vec![]));
    let articles = site.path().join("content/articles");
    std::fs::rename(
        articles.join("2021-07-01-delta.md"),
        articles.join("2021-07-01-delta-review.md"),
    )
    .expect("rename an article");
    let errors = check_previous(site.path(), &previous).1;
    assert!(
        errors.iter().any(|e| e["message"]
            == "`/articles/delta/` was published, and this build serves nothing there"
            && e["file"] == path_str(&previous.join("sitemap-1.xml"))),
        "{errors:?}"
    );
}

#[test]
fn previous_that_is_not_a_build_is_an_error_naming_what_is_missing() {
    let site = fixture_copy("redirects");
    let empty = scratch_dir();
    let (passed, errors) = check_previous(site.path(), empty.path());
    assert!(!passed);
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_eq!(
        errors[0]["file"],
        path_str(&empty.path().join("sitemap.xml"))
    );
    assert!(
        errors[0]["hint"]
            .as_str()
            .unwrap_or_default()
            .contains("last published build"),
        "{errors:?}"
    );
    // A sitemap that is a link to an endless device is refused unread.
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink("/dev/zero", empty.path().join("sitemap.xml")).expect("a link");
        let (passed, errors) = check_previous(site.path(), empty.path());
        assert!(!passed);
        assert!(
            errors[0]["message"]
                .as_str()
                .unwrap_or_default()
                .starts_with("not a sitemap: not a file"),
            "{errors:?}"
        );
    }
}

/// Addresses the last build served outside its sitemap are published too:
/// a redirect page, a withdrawal notice, a person's feed, a `_redirects`
/// rule. Each is named by the old file or rule that served it.
#[test]
fn check_previous_also_keeps_redirects_notices_and_feeds() {
    let site = fixture_copy("redirects");
    let (_old, previous) = build_into(site.path(), &[]);
    edit(
        &site.path().join("content/people/ben.md"),
        "redirect_from:\n  - /people/benjamin/\n",
        "",
    );
    let config = site.path().join("annals.yaml");
    edit(&config, "  /feed.xml: /atom.xml\n", "");
    edit(
        &config,
        "  - path: /articles/epsilon/\n    date: 2022-01-10\n    reason: The article relied on a single source that later retracted its report.\n",
        "",
    );
    let (passed, errors) = check_previous(site.path(), &previous);
    assert!(!passed);
    let gone = |path: &str| {
        let message = format!("`{path}` was published, and this build serves nothing there");
        errors
            .iter()
            .find(|e| e["message"] == message.as_str())
            .unwrap_or_else(|| panic!("{path}: {errors:#?}"))
    };
    let page = gone("/people/benjamin/");
    assert_eq!(
        page["file"],
        path_str(&previous.join("people/benjamin/index.html"))
    );
    assert!(
        (page["hint"].as_str().unwrap_or_default())
            .starts_with("it sent readers to `/people/ben/`: add `redirect_from: [/people/benjamin/]` to content/people/ben.md;"),
        "{page}"
    );
    let rules = path_str(&previous.join("_redirects")).to_owned();
    let feed = gone("/people/benjamin/atom.xml");
    assert_eq!(
        (&feed["file"], &feed["line"]),
        (&rules.clone().into(), &9.into())
    );
    assert!(
        (feed["hint"].as_str().unwrap_or_default()).starts_with(
            "it sent readers to `/people/ben/`: add `redirect_from: [/people/benjamin/]` (which takes the feed along) to content/people/ben.md;"
        ),
        "{feed}"
    );
    let old_feed = gone("/feed.xml");
    assert_eq!(old_feed["file"], rules.as_str());
    assert!(
        (old_feed["hint"].as_str().unwrap_or_default()).starts_with(
            "it sent readers to `/atom.xml`: add `/feed.xml: /atom.xml` under `redirects:`"
        ),
        "{old_feed}"
    );
    assert_eq!(
        gone("/articles/epsilon/")["file"],
        path_str(&previous.join("articles/epsilon/index.html"))
    );
    assert_eq!(errors.len(), 4, "{errors:#?}");
}

/// A former id is an anchor the last build published (and exported in
/// `former_ids`): dropping it is as much a loss as dropping the id.
#[test]
fn check_previous_keeps_former_ids() {
    let site = fixture_copy("redirects");
    let (_old, previous) = build_into(site.path(), &[]);
    let alpha = site
        .path()
        .join("content/articles/2020/2020-03-01-alpha.md");
    edit(
        &alpha,
        "    former_ids: [ada-2020-03-01-talks-begun-today]\n",
        "",
    );
    let (passed, errors) = check_previous(site.path(), &previous);
    assert!(!passed);
    assert_eq!(errors.len(), 1, "{errors:#?}");
    let error = &errors[0];
    let message = error["message"].as_str().unwrap_or_default();
    assert!(
        message.starts_with(
            "`ada-2020-03-01-talks-begun-today`, a former id of statement `ada-2020-03-01-"
        ),
        "{error}"
    );
    let row = error["line"].as_u64().expect("the row's line") as usize;
    let export = read(&previous, "data/statements.json");
    assert!(
        (export.lines().nth(row - 1)).is_some_and(|l| l.contains("talks-begun-today")),
        "{error}"
    );
    assert!(
        (error["hint"].as_str().unwrap_or_default()).starts_with(
            "add `ada-2020-03-01-talks-begun-today` back to the `former_ids:` of the statement at content/articles/2020/2020-03-01-alpha.md:13"
        ),
        "{error}"
    );
}

/// Netlify serves a file before a rule for its address ("shadowing"), and
/// every old address has its page: for Netlify the rules are forced.
#[test]
fn redirect_rules_for_netlify_go_before_the_pages_at_old_addresses() {
    let site = fixture_copy("redirects");
    let netlify = [
        "--host",
        "netlify",
        "--base-url",
        "https://record.netlify.app/",
    ];
    let (_out, output) = build_into(site.path(), &netlify);
    let rules = read(&output, "_redirects");
    assert!(
        rules.contains("/articles/alpha-old/ /articles/alpha/ 301!\n"),
        "{rules}"
    );
    assert!(
        rules.contains("/legacy/* /record/timeline/ 301\n"),
        "the site's own as written: {rules}"
    );
}

/// The ids of the entries of the Atom feed at `file` of `output`.
fn entry_ids(output: &Path, file: &str) -> Vec<String> {
    let feed = read(output, file);
    let entries = feed.split("<entry>").skip(1);
    let id = |entry: &str| {
        entry
            .split_once("<id>")
            .and_then(|(_, rest)| rest.split_once("</id>"))
            .map(|(id, _)| id.to_owned())
    };
    entries.filter_map(id).collect()
}

/// RFC 4287: an entry's id never changes. Renamed, with its old address in
/// `redirect_from:`, an article keeps the ids of its entry and of its
/// statements' entries, and a feed reader does not show them again as new.
#[test]
fn a_renamed_article_keeps_its_feed_entries_ids() {
    let site = fixture_copy("site");
    let (_before, before) = build_into(site.path(), &[]);
    edit(
        &site.path().join("content/articles/2021-05-16-first.md"),
        "\ndate: 2021-05-16\n",
        "\ndate: 2021-05-16\nslug: first-renamed\nredirect_from: [/articles/first/]\n",
    );
    let (_after, after) = build_into(site.path(), &[]);
    assert!(after.join("articles/first-renamed/index.html").is_file());
    for feed in ["atom.xml", "people/antonio/atom.xml"] {
        let ids = entry_ids(&before, feed);
        assert!(
            ids.iter().any(|id| id.contains("/articles/first/")),
            "{feed}: {ids:?}"
        );
        assert_eq!(entry_ids(&after, feed), ids, "{feed}");
    }
}

/// A site moved to another address keeps its feed ids with
/// `feed_id_base:`, which `--previous` asks for when they changed.
#[test]
fn a_moved_site_keeps_its_feed_ids_with_feed_id_base() {
    let site = fixture_copy("site");
    let (_before, before) = build_into(site.path(), &[]);
    let config = site.path().join("annals.yaml");
    edit(
        &config,
        "base_url: https://example.org/archive/",
        "base_url: https://record.example.net/",
    );
    let warned = check_previous_all(site.path(), &before);
    let moved = (warned.iter())
        .find(|d| {
            d["message"]
                .as_str()
                .is_some_and(|m| m.contains("the site feed's id was"))
        })
        .unwrap_or_else(|| panic!("a warning of the feed's id: {warned:?}"));
    assert_eq!(moved["severity"], "warning");
    let hint = moved["hint"].as_str().unwrap_or_default();
    assert!(
        hint.contains("`feed_id_base: https://example.org/archive/`"),
        "{hint}"
    );

    let text = read(site.path(), "annals.yaml");
    std::fs::write(
        &config,
        format!("{text}feed_id_base: https://example.org/archive/\n"),
    )
    .expect("write annals.yaml");
    let warned = check_previous_all(site.path(), &before);
    assert!(
        !warned.iter().any(|d| d["message"]
            .as_str()
            .is_some_and(|m| m.contains("feed's id"))),
        "{warned:?}"
    );
    let (_after, after) = build_into(site.path(), &[]);
    for feed in [
        "atom.xml",
        "people/antonio/atom.xml",
        "corrections/atom.xml",
    ] {
        assert_eq!(entry_ids(&after, feed), entry_ids(&before, feed), "{feed}");
    }
    assert!(read(&after, "atom.xml").contains("<id>https://example.org/archive/atom.xml</id>"));
    assert!(read(&after, "index.html").contains("https://record.example.net/"));
}

/// A renamed person's page in another language is kept by the same
/// `redirect_from:` as theirs: `--previous` says so rather than asking for
/// a rule of its own, which would then be a second redirect.
#[test]
fn check_previous_asks_for_one_redirect_for_a_page_and_its_languages() {
    let site = fixture_copy("bilingual");
    let (_old, previous) = build_into(site.path(), &[]);
    let people = site.path().join("content/people");
    for (from, to) in [("ada.md", "ada-l.md"), ("ada.ar.md", "ada-l.ar.md")] {
        std::fs::rename(people.join(from), people.join(to)).expect("rename the person");
    }
    edit(
        &site
            .path()
            .join("content/articles/2021/2021-05-17-talks.md"),
        "person: ada\n",
        "person: ada-l\n",
    );
    let errors = check_previous(site.path(), &previous).1;
    let hint_for = |path: &str| {
        let message = format!("`{path}` was published");
        (errors.iter())
            .find(|e| {
                e["message"]
                    .as_str()
                    .is_some_and(|m| m.starts_with(&message))
            })
            .and_then(|e| e["hint"].as_str())
            .unwrap_or_else(|| panic!("{path}: {errors:?}"))
            .to_owned()
    };
    let hint = hint_for("/ar/people/ada/");
    assert!(
        hint.starts_with("add `redirect_from: [/people/ada/]` (which takes the `/ar/` page along) to content/people/ada-l.md"),
        "{hint}"
    );
    // Withdrawn instead: a notice is for one address, in its language.
    let config = site.path().join("annals.yaml");
    let withdrawn = "withdrawn:\n  - path: /people/ada/\n    date: 2023-04-01\n    reason: Gone.\n";
    std::fs::write(&config, read(site.path(), "annals.yaml") + withdrawn).expect("withdraw");
    let errors = check_previous(site.path(), &previous).1;
    let hint = (errors.iter())
        .find(|e| {
            e["message"]
                .as_str()
                .is_some_and(|m| m.starts_with("`/ar/people/ada/` was published"))
        })
        .and_then(|e| e["hint"].as_str())
        .unwrap_or_default();
    assert!(
        hint.starts_with(
            "`/people/ada/` is withdrawn: list `path: /ar/people/ada/` under `withdrawn:`"
        ),
        "{errors:?}"
    );
}

/// A person renamed, with their old address in `redirect_from:`, keeps
/// their feed's id, which RFC 4287 wants permanent as an entry's.
#[test]
fn a_renamed_person_keeps_their_feeds_id() {
    let site = fixture_copy("site");
    let feed_id = |output: &Path, file: &str| {
        let feed = read(output, file);
        let head = feed.split("<entry>").next().unwrap_or_default().to_owned();
        head.split_once("<id>")
            .and_then(|(_, rest)| rest.split_once("</id>"))
            .map(|(id, _)| id.to_owned())
    };
    let (_before, before) = build_into(site.path(), &[]);
    let people = site.path().join("content/people");
    std::fs::rename(
        people.join("antonio.md"),
        people.join("antonio-guterres.md"),
    )
    .expect("rename the person");
    for article in ["2021-05-16-first.md", "nested/2021-05-17-second.md"] {
        edit(
            &site.path().join("content/articles").join(article),
            "person: antonio\n",
            "person: antonio-guterres\n",
        );
    }
    let text = read(&people, "antonio-guterres.md");
    let moved = text.replacen("---\n", "---\nredirect_from: [/people/antonio/]\n", 1);
    std::fs::write(people.join("antonio-guterres.md"), moved).expect("write the person");
    let (_after, after) = build_into(site.path(), &[]);
    let old = feed_id(&before, "people/antonio/atom.xml");
    assert!(
        old.as_deref()
            .is_some_and(|id| id.ends_with("/people/antonio/atom.xml")),
        "{old:?}"
    );
    assert_eq!(feed_id(&after, "people/antonio-guterres/atom.xml"), old);
}

/// A statement's entry in its speaker's feed is updated when a correction
/// of it is, and published when the statement was made.
#[test]
fn a_corrected_statements_feed_entry_is_updated_on_the_corrections_date() {
    let (_site, _out, output) = built("record");
    let feed = read(&output, "people/ada/atom.xml");
    let entry = (feed.split("<entry>"))
        .find(|entry| entry.contains("#ada-2021-05-17-rewrote</id>"))
        .expect("the corrected statement's entry");
    assert!(
        entry.contains("<updated>2021-05-20T00:00:00+00:00</updated>"),
        "{entry}"
    );
    assert!(
        entry.contains("<published>2021-05-17T18:30:00+03:00</published>"),
        "{entry}"
    );
}

/// Corrections are part of the record: one published stays, at its anchor.
/// A correction appended on the date of another takes the next number; one
/// deleted is an error naming the old export's row.
#[test]
fn check_previous_keeps_every_published_correction_where_it_was() {
    let site = fixture_copy("record");
    let (_old, previous) = build_into(site.path(), &[]);
    let talks = site.path().join("content/articles/2021-05-17-talks.md");
    let appended = "    text: The quote was transcribed from a readout; it now follows the text as prepared.\n  - date: 2021-05-20\n    text: A second correction of the same day.\n";
    edit(
        &talks,
        "    text: The quote was transcribed from a readout; it now follows the text as prepared.\n",
        appended,
    );
    let about = |diagnostics: &[serde_json::Value]| -> Vec<String> {
        (diagnostics.iter())
            .filter(|d| {
                d["message"]
                    .as_str()
                    .unwrap_or_default()
                    .contains("correction")
            })
            .map(|d| format!("{}: {}", d["severity"], d["message"]))
            .collect()
    };
    let said = check_previous_all(site.path(), &previous);
    assert!(about(&said).is_empty(), "{:#?}", about(&said));
    // The correction of 18 May deleted: an error at its row of the export.
    edit(
        &talks,
        "  - date: 2021-05-18\n    text: An earlier version gave the wrong city for the talks; they were in Geneva.\n",
        "",
    );
    let said = check_previous_all(site.path(), &previous);
    let gone = (said.iter())
        .find(|d| {
            d["message"]
                == "the correction of 2021-05-18 at `/articles/talks/#correction-1` was published, and this build shows none there"
        })
        .unwrap_or_else(|| panic!("{:#?}", about(&said)));
    assert_eq!(gone["severity"], "error");
    assert_eq!(
        gone["file"],
        path_str(&previous.join("data/corrections.json"))
    );
    let row = gone["line"].as_u64().expect("a line") as usize;
    let export = read(&previous, "data/corrections.json");
    assert!(
        export
            .lines()
            .nth(row - 1)
            .is_some_and(|l| l.contains("wrong city")),
        "{gone}"
    );
    // The other moved up a number: its old anchor opens another now.
    assert!(
        about(&said).iter().any(|m| m
            .contains("published at `/articles/talks/#correction-2` is now at `#correction-1`")),
        "{:#?}",
        about(&said)
    );
}

/// A statement's permalink is its article's address and its id: moved to
/// another article, it is a warning; every statement of an article moved
/// to one other while its address shows another page (a slug reused) is
/// an error.
#[test]
fn check_previous_names_a_statement_moved_and_an_address_taken() {
    let site = fixture_copy("redirects");
    let (_old, previous) = build_into(site.path(), &[]);
    let articles = site.path().join("content/articles");
    let statement = "  - person: ben\n    date: 2020-05-31\n    paraphrase: Ben said the talks would pause.\n    source: wire\n";
    edit(
        &articles.join("2020/2020-06-01-beta.md"),
        &format!("statements:\n{statement}"),
        "",
    );
    edit(
        &articles.join("2021/2021-05-16-gamma.md"),
        "statements:\n",
        &format!("statements:\n{statement}"),
    );
    let said = check_previous_all(site.path(), &previous);
    let moved = (said.iter())
        .find(|d| {
            d["message"]
                .as_str()
                .unwrap_or_default()
                .contains("was published on `/articles/beta/` and is on `/articles/gamma/` now")
        })
        .unwrap_or_else(|| panic!("{said:#?}"));
    assert_eq!(moved["severity"], "warning", "{moved}");
    assert!(moved["line"].as_u64().is_some(), "{moved}");

    // Alpha renamed, and another article takes its address.
    let site = fixture_copy("redirects");
    let alpha = site
        .path()
        .join("content/articles/2020/2020-03-01-alpha.md");
    edit(
        &alpha,
        "\ndate: 2020-03-01\n",
        "\ndate: 2020-03-01\nslug: alpha-talks\n",
    );
    std::fs::write(
        site.path()
            .join("content/articles/2021/2021-06-01-alpha.md"),
        "---\ntitle: Another alpha\ndate: 2021-06-01\n---\nSomething else.\n",
    )
    .expect("write the article taking the address");
    let (passed, errors) = check_previous(site.path(), &previous);
    assert!(!passed);
    let taken = (errors.iter())
        .find(|e| {
            e["message"]
                .as_str()
                .unwrap_or_default()
                .starts_with("`/articles/alpha/` was published as “Alpha talks begin”")
        })
        .unwrap_or_else(|| panic!("{errors:#?}"));
    assert!(
        (taken["hint"].as_str().unwrap_or_default()).contains(
            "add `redirect_from: [/articles/alpha/]` to content/articles/2020/2020-03-01-alpha.md"
        ),
        "{taken}"
    );
}

/// With `relative_urls: true` an old address sends readers on relatively,
/// so a copy opened from disk stays on the disk; its canonical address
/// stays whole.
#[test]
fn an_old_address_sends_readers_on_relatively_under_relative_urls() {
    let site = fixture_copy("redirects");
    let config = site.path().join("annals.yaml");
    let text = std::fs::read_to_string(&config).expect("annals.yaml");
    std::fs::write(&config, format!("{text}relative_urls: true\n")).expect("annals.yaml");
    let (_out, output) = build_into(site.path(), &[]);
    for (page, relative) in [
        (
            "articles/alpha-old/index.html",
            "../../articles/alpha/index.html",
        ),
        ("2020/alpha.html", "../articles/alpha/index.html"),
    ] {
        sends_on(
            &output,
            page,
            relative,
            "https://example.org/record/articles/alpha/",
        );
    }
}

/// A rule of the site's own `static/_redirects` is published like annals'
/// rules, and kept: the build that still has it passes against itself.
#[test]
fn the_sites_own_redirect_rules_count_as_served() {
    let site = fixture_copy("redirects");
    let rules = site.path().join("static/_redirects");
    let text = std::fs::read_to_string(&rules).expect("_redirects");
    std::fs::write(
        &rules,
        format!("{text}/record/handbook/ /record/timeline/ 302\n"),
    )
    .expect("add a rule");
    let (_old, previous) = build_into(site.path(), &[]);
    assert_eq!(check_previous(site.path(), &previous), (true, vec![]));
    // Gone from the site's own rules, it is missed.
    std::fs::write(&rules, text).expect("drop the rule");
    let (passed, errors) = check_previous(site.path(), &previous);
    assert!(!passed);
    assert_eq!(
        errors[0]["message"], "`/handbook/` was published, and this build serves nothing there",
        "{errors:#?}"
    );
}
