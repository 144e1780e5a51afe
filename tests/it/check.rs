//! `annals check`: warnings fixtures, `--strict`, JSON output, and the table
//! in docs/VALIDATION.md, which this test keeps true.

use std::path::{Path, PathBuf};
use std::process::Command;

fn annals(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_annals"))
        .args(args)
        .output()
        .expect("run annals")
}

fn fixtures(kind: &str) -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(kind);
    let mut found: Vec<PathBuf> = std::fs::read_dir(&dir)
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| p.join("annals.yaml").is_file())
                .collect()
        })
        .unwrap_or_default();
    found.sort();
    found
}

/// `annals check --format json` on a site: (errors, warnings, messages).
fn check_json(site: &Path, extra: &[&str]) -> (u64, u64, Vec<serde_json::Value>) {
    let mut args = vec![
        "check",
        "--root",
        site.to_str().expect("UTF-8 path"),
        "--format",
        "json",
    ];
    args.extend_from_slice(extra);
    let output = annals(&args);
    let report: serde_json::Value =
        serde_json::from_slice(&output.stdout).expect("check prints JSON");
    let diagnostics = report["diagnostics"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    (
        report["errors"].as_u64().unwrap_or(0),
        report["warnings"].as_u64().unwrap_or(0),
        diagnostics,
    )
}

#[test]
fn every_warning_fixture_warns_and_fails_only_when_strict() {
    let sites = fixtures("warnings");
    assert!(sites.len() >= 9, "a fixture per warning");
    for site in sites {
        let (errors, warnings, diagnostics) = check_json(&site, &[]);
        assert_eq!(errors, 0, "{}: {diagnostics:?}", site.display());
        assert_eq!(
            warnings,
            1,
            "{}: one fixture, one warning: {diagnostics:?}",
            site.display()
        );
        for diagnostic in &diagnostics {
            assert_eq!(diagnostic["severity"], "warning");
            assert!(
                diagnostic["file"].as_str().is_some_and(|f| {
                    ["content/", "i18n/", "templates/"]
                        .iter()
                        .any(|folder| f.starts_with(folder))
                        || f == "annals.yaml"
                }),
                "{diagnostic}"
            );
            assert!(
                diagnostic["hint"].as_str().is_some_and(|h| !h.is_empty()),
                "{diagnostic}"
            );
        }
        let root = site.to_str().expect("UTF-8 path");
        assert!(
            annals(&["check", "--root", root]).status.success(),
            "warnings alone pass"
        );
        assert!(
            !annals(&["check", "--root", root, "--strict"])
                .status
                .success(),
            "--strict fails on warnings"
        );
        let output = tempfile::tempdir().expect("temporary directory");
        let out = output.path().join("site");
        let out = out.to_str().expect("UTF-8 path");
        let strict = annals(&["build", "--root", root, "--output", out, "--strict"]);
        assert!(
            !strict.status.success(),
            "build --strict fails on {}",
            site.display()
        );
        assert!(!Path::new(out).exists(), "a strict failure writes nothing");
        assert!(
            annals(&["build", "--root", root, "--output", out])
                .status
                .success(),
            "build ignores warnings"
        );
    }
}

#[test]
fn human_report_quotes_the_line_and_counts() {
    let site = fixtures("warnings")
        .into_iter()
        .find(|p| p.ends_with("link-to-no-page"))
        .expect("fixture");
    let output = annals(&["check", "--root", site.to_str().expect("UTF-8 path")]);
    let text = String::from_utf8_lossy(&output.stderr);
    assert!(
        text.contains("--> content/articles/2021-05-17-talks.md:20"),
        "{text}"
    );
    assert!(
        text.contains("20 | See [Ada's statements](/archive/people/nobody/)."),
        "{text}"
    );
    assert!(text.contains("0 errors, 1 warning"), "{text}");
}

/// The rows of docs/VALIDATION.md: one per fixture, with its first message.
fn validation_table() -> String {
    let mut rows = Vec::new();
    for kind in ["errors", "warnings"] {
        for site in fixtures(kind) {
            let name = site
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            let (_, _, diagnostics) = check_json(&site, &[]);
            let first = diagnostics.first().cloned().unwrap_or_default();
            let severity = first["severity"].as_str().unwrap_or("(none)").to_owned();
            let message = first["message"]
                .as_str()
                .unwrap_or("(no message)")
                .replace('|', "\\|");
            let location = match (first["file"].as_str(), first["line"].as_u64()) {
                (Some(file), Some(line)) => format!("{file}:{line}"),
                (Some(file), None) => file.to_owned(),
                _ => String::new(),
            };
            rows.push(format!(
                "| `{name}` | {severity} | {message} | {location} |"
            ));
        }
    }
    rows.join("\n")
}

#[test]
fn validation_doc_lists_every_check() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/VALIDATION.md");
    let doc = std::fs::read_to_string(&path).unwrap_or_default();
    let (start, end) = ("<!-- table:start -->\n", "\n<!-- table:end -->");
    let table = validation_table();
    let current = doc
        .split_once(start)
        .and_then(|(_, rest)| rest.split_once(end))
        .map(|(t, _)| t.to_owned());
    let header = "| check (fixture) | severity | example message | where |\n|---|---|---|---|\n";
    let expected = format!("{header}{table}");
    if std::env::var_os("ANNALS_UPDATE_DOCS").is_some() {
        let (before, after) = match (doc.split_once(start), doc.split_once(end)) {
            (Some((before, _)), Some((_, after))) => (before.to_owned(), after.to_owned()),
            _ => (doc.clone(), String::new()),
        };
        std::fs::write(&path, format!("{before}{start}{expected}{end}{after}"))
            .expect("write docs/VALIDATION.md");
        return;
    }
    assert_eq!(
        current.as_deref(),
        Some(expected.as_str()),
        "docs/VALIDATION.md is stale: run ANNALS_UPDATE_DOCS=1 cargo test validation_doc"
    );
}

/// The (file, line, message) of each warning `annals check` gives on `site`.
fn warnings_of(site: &Path) -> Vec<(String, Option<u64>, String)> {
    let (errors, _, diagnostics) = check_json(site, &[]);
    assert_eq!(errors, 0, "{diagnostics:?}");
    let text = |d: &serde_json::Value, key: &str| d[key].as_str().unwrap_or_default().to_owned();
    diagnostics
        .iter()
        .map(|d| (text(d, "file"), d["line"].as_u64(), text(d, "message")))
        .collect()
}

#[test]
fn look_alike_names_warn_naming_both_files_unless_distinct_from_says_otherwise() {
    let site = crate::process::fixture_copy("warnings/names-that-look-alike");
    let (first, second) = (
        site.path().join("content/people/joe-biden.md"),
        site.path().join("content/people/joe-biden-2.md"),
    );
    let pasted = "name: J\u{43e}e Biden";
    let cases: [(&str, &str); 4] = [
        (pasted, "`J\u{43e}e Biden` looks like `Joe Biden`"),
        (
            "name: Joe Biden",
            "`Joe Biden` is also the name of `joe-biden`",
        ),
        ("name: \"Joe\\u200B Biden\"", "(U+200B)"),
        ("name: \"\\u202AJoe Biden\\u202C\"", "(U+202A, U+202C)"),
    ];
    for (name, says) in cases {
        let text = std::fs::read_to_string(&second).expect("read person");
        let line = text.lines().nth(1).expect("the name's line").to_owned();
        crate::process::edit(&second, &line, name);
        let found = warnings_of(site.path());
        assert_eq!(found.len(), 1, "{name}: {found:?}");
        let (file, line, message) = &found[0];
        assert_eq!(
            (file.as_str(), *line),
            ("content/people/joe-biden-2.md", Some(2)),
            "{name}"
        );
        assert!(
            message.contains(says) && message.contains("(content/people/joe-biden.md)"),
            "{name}: {message}"
        );
    }
    // Either file may say that the two are different people.
    for (file, other) in [(&second, "joe-biden"), (&first, "joe-biden-2")] {
        let text = std::fs::read_to_string(file).expect("read person");
        let acknowledged = text.replacen("---\n", &format!("---\ndistinct_from: [{other}]\n"), 1);
        std::fs::write(file, acknowledged).expect("write person");
        assert_eq!(warnings_of(site.path()), [], "{other}");
        std::fs::write(file, text).expect("restore person");
    }
    crate::process::edit(
        &second,
        "name: \"\\u202AJoe Biden\\u202C\"",
        "name: Joan Biden",
    );
    assert_eq!(warnings_of(site.path()), [], "different names");
}

const UNARCHIVED: &str = "content/articles/2021-05-17-talks.md";

/// `annals check` and `annals build` on `site`: (errors, warnings, the
/// diagnostics, whether the build succeeded).
fn check_and_build(site: &Path) -> (u64, u64, Vec<serde_json::Value>, bool) {
    let (errors, warnings, diagnostics) = check_json(site, &[]);
    let output = crate::process::scratch_dir();
    let out = output.path().join("out");
    let built = annals(&[
        "build",
        "--root",
        site.to_str().expect("UTF-8 path"),
        "--output",
        out.to_str().expect("UTF-8 path"),
    ]);
    (errors, warnings, diagnostics, built.status.success())
}

#[test]
fn a_source_without_an_archived_copy_is_what_require_archive_says() {
    let site = crate::process::fixture_copy("warnings/source-without-archived-copy");
    let config = site.path().join("annals.yaml");
    let settings = std::fs::read_to_string(&config).expect("annals.yaml");
    // (setting, errors, warnings, builds)
    let cases = [
        ("", 0, 1, true),
        ("require_archive: warn\n", 0, 1, true),
        ("require_archive: off\n", 0, 0, true),
        ("require_archive: error\n", 1, 0, false),
    ];
    for (setting, errors, warnings, builds) in cases {
        std::fs::write(&config, format!("{settings}{setting}")).expect("write annals.yaml");
        let (found_errors, found_warnings, diagnostics, built) = check_and_build(site.path());
        assert_eq!(
            (found_errors, found_warnings, built),
            (errors, warnings, builds),
            "{setting:?}: {diagnostics:?}"
        );
        for diagnostic in &diagnostics {
            assert_eq!(diagnostic["file"], UNARCHIVED, "{diagnostic}");
            assert_eq!(diagnostic["line"], 5, "{diagnostic}");
            let message = diagnostic["message"].as_str().unwrap_or_default();
            assert_eq!(
                message,
                "source `briefing` has no archived copy: a dead link later cannot be recovered"
            );
            let hint = diagnostic["hint"].as_str().unwrap_or_default();
            for says in [
                "https://web.archive.org/save",
                "`archive: https://web.archive.org/web/2021/https://example.org/briefing`",
            ] {
                assert!(hint.contains(says), "{says}: {hint}");
            }
        }
    }
}

#[test]
fn only_news_social_and_official_sources_with_a_url_need_an_archived_copy() {
    let site = crate::process::fixture_copy("warnings/source-without-archived-copy");
    let article = site.path().join(UNARCHIVED);
    // The briefing's kind: the line after its date (the report has none).
    let of_kind = |kind: &str| format!("date: 2021-05-17\n    kind: {kind}\n");
    let mut kind = "official";
    for (next, warns) in [
        ("news", true),
        ("social", true),
        ("report", false),
        ("other", false),
    ] {
        crate::process::edit(&article, &of_kind(kind), &of_kind(next));
        kind = next;
        let found = warnings_of(site.path());
        assert_eq!(found.len(), usize::from(warns), "{kind}: {found:?}");
    }
    crate::process::edit(&article, &of_kind("other"), &of_kind("news"));
    let archive = "    archive: https://web.archive.org/web/2021/https://example.org/briefing\n";
    let url = "    url: https://example.org/briefing\n";
    crate::process::edit(&article, url, &format!("{url}{archive}"));
    assert_eq!(warnings_of(site.path()), [], "an archived copy");
    crate::process::edit(&article, &format!("{url}{archive}"), "");
    assert_eq!(warnings_of(site.path()), [], "no url, nothing to lose");
}

/// `check` renders only what can fail: with the built-in templates one page of
/// each kind, but every page of a template of the site's own, so an error
/// that one page's data alone brings out is still found, in a page template
/// and in a partial that page templates include, as the build finds it.
#[test]
fn check_finds_a_template_error_that_one_pages_data_alone_brings_out() {
    let site = crate::process::fixture_copy("site");
    let templates = site.path().join("templates");
    std::fs::create_dir_all(templates.join("partials")).expect("create templates/");
    let (errors, _, diagnostics, built) = check_and_build(site.path());
    assert_eq!((errors, built), (0, true), "{diagnostics:?}");
    let cases = [
        (
            "person.html",
            "{% extends \"base.html\" %}{% block content %}<h1>{{ person.name }}</h1>\
             {% if person.id == \"olena\" %}{{ person.nme }}{% endif %}{% endblock content %}",
        ),
        (
            "partials/statement.html",
            "<p>{{ statement.text }}</p>{% if statement.person.name == \"Олена Коваленко\" %}{{ statement.nme }}{% endif %}",
        ),
    ];
    for (name, text) in cases {
        let path = templates.join(name);
        std::fs::write(&path, text).expect("write the template");
        let (errors, _, diagnostics, built) = check_and_build(site.path());
        assert!(errors >= 1 && !built, "{name}: {diagnostics:?}");
        let found = diagnostics.iter().any(|d| {
            d["file"] == format!("templates/{name}")
                && d["message"].as_str().is_some_and(|m| m.contains("nme"))
        });
        assert!(found, "{name}: {diagnostics:?}");
        std::fs::remove_file(&path).expect("remove the template");
    }
}

#[test]
fn an_image_written_percent_encoded_finds_its_file() {
    let site = crate::process::fixture_copy("warnings/image-of-no-file");
    let article = site.path().join("content/articles/2021-05-17-talks.md");
    crate::process::edit(&article, "(/img/map.png)", "(/img/my%20map%C3%BC.png)");
    std::fs::create_dir_all(site.path().join("static/img")).expect("static/img");
    std::fs::write(site.path().join("static/img/my mapü.png"), "").expect("the image");
    let (errors, warnings, diagnostics) = check_json(site.path(), &[]);
    assert_eq!((errors, warnings), (0, 0), "{diagnostics:?}");
}
