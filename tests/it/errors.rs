//! Every error class of `annals build` and `annals check`, one fixture site
//! each under tests/fixtures/errors/: the build fails naming the file and
//! line with a hint, writes nothing, and leaves a previous output alone.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use crate::process::{copy_dir, edit, fixture_copy, mtimes, path_str};

const TALKS: &str = "content/articles/2021-05-17-talks.md";
const ARTICLE_TEMPLATE: &str = "templates/article.html";
const ABOUT: &str = "content/pages/about.md";
const TALKS_AR: &str = "content/articles/2021-05-17-talks.ar.md";
const TALKS_DE: &str = "content/articles/2021-05-17-talks.de.md";
const TALKS_EN: &str = "content/articles/2021-05-17-talks.en.md";

/// What each fixture must report first: (fixture, file, line, words of the
/// message). A fixture without a row fails `every_error_fixture_has_a_row`,
/// so no fixture goes unchecked.
const EXPECTED: &[(&str, &str, Option<usize>, &str)] = &[
    (
        "archived-copy-required",
        TALKS,
        Some(5),
        "source `briefing` has no archived copy",
    ),
    (
        "base-url-not-http",
        "annals.yaml",
        Some(2),
        "is not an http(s) URL",
    ),
    (
        "base-url-with-credentials",
        "annals.yaml",
        Some(2),
        "has a user name or password, which every page would publish",
    ),
    (
        "control-character",
        TALKS,
        Some(11),
        "statements[0].quote: contains U+0007, a control character",
    ),
    (
        "control-character-in-text",
        TALKS,
        Some(14),
        "the text contains U+000B, a control character",
    ),
    (
        "html-nested-too-deep",
        TALKS,
        Some(15),
        "the text nests more than 512 elements deep here",
    ),
    (
        "duplicate-field",
        TALKS,
        Some(7),
        "duplicate field `publisher`",
    ),
    (
        "duplicate-person-file",
        "content/people/ada.md",
        None,
        "this person is also described by content/people/ada.markdown",
    ),
    (
        "duplicate-slug",
        TALKS,
        None,
        "slug `talks` is also used by content/articles/2021-05-18-talks.md",
    ),
    (
        "duplicate-setting",
        "annals.yaml",
        Some(4),
        "duplicate field `title`",
    ),
    (
        "duplicate-source-id",
        TALKS,
        Some(7),
        "source id `briefing` is used twice",
    ),
    (
        "former-id-is-its-own-id",
        TALKS,
        Some(8),
        "statement id `ada-talks` is listed twice among this statement's ids",
    ),
    (
        "duplicate-statement-id",
        TALKS,
        Some(8),
        "statement id `ada-talks` is also used in",
    ),
    (
        "empty-person-name",
        "content/people/ben.md",
        Some(2),
        "name: must not be empty",
    ),
    (
        "empty-source-id",
        TALKS,
        Some(5),
        "source id must not be empty",
    ),
    ("empty-title", TALKS, Some(2), "title: must not be empty"),
    (
        "file-name-without-slug",
        "content/articles/2021-05-17-___.md",
        None,
        "cannot make a URL slug from this file name",
    ),
    (
        "i18n-count-without-other",
        "i18n/fr.yaml",
        Some(2),
        "`count_articles` has no `other:` form",
    ),
    (
        "i18n-invalid-yaml",
        "i18n/fr.yaml",
        Some(3),
        "invalid YAML: did not find expected ',' or ']'",
    ),
    (
        "invalid-config",
        "annals.yaml",
        Some(3),
        "unknown field `theme`",
    ),
    (
        "invalid-date",
        TALKS,
        Some(3),
        "`2021-02-30` is not a valid date",
    ),
    (
        "invalid-language-tag",
        TALKS,
        Some(12),
        "`english` is not a BCP 47 language tag",
    ),
    (
        "invalid-site-language",
        "annals.yaml",
        Some(3),
        "language `English` is not a BCP 47 language tag",
    ),
    (
        "invalid-statement-id",
        TALKS,
        Some(12),
        "`Ada/talks` is not a valid anchor",
    ),
    (
        "invalid-url",
        TALKS,
        Some(7),
        "`example.org/briefing` is not a valid URL",
    ),
    ("invalid-utf8", TALKS, Some(13), "not valid UTF-8"),
    (
        "invalid-utf8-settings",
        "annals.yaml",
        Some(2),
        "the file is not valid UTF-8",
    ),
    (
        "javascript-url",
        TALKS,
        Some(7),
        "`javascript:` links are not allowed",
    ),
    (
        "malformed-yaml",
        TALKS,
        Some(2),
        "mapping values are not allowed",
    ),
    (
        "missing-front-matter",
        TALKS,
        Some(1),
        "does not start with front matter",
    ),
    ("missing-title", TALKS, Some(2), "missing field `title`"),
    (
        "hashtag-read-as-a-comment",
        TALKS,
        Some(10),
        "`#ceasefire now.` would be dropped from the text",
    ),
    (
        "relayed-by-the-speaker",
        TALKS,
        Some(11),
        "via: `ada` is the speaker",
    ),
    (
        "statement-recorded-twice",
        TALKS,
        Some(12),
        "is also the id of the statement at line 8 of this file",
    ),
    (
        "pasted-non-breaking-space",
        TALKS,
        Some(11),
        "a non-breaking space (U+00A0) after the key's `:`",
    ),
    (
        "quote-not-closed",
        TALKS,
        Some(2),
        "the text that opens with \" here is not closed on its line",
    ),
    (
        "topic-holding-a-semicolon",
        TALKS,
        Some(4),
        "topics: `Aid; relief` holds a `;`",
    ),
    (
        "value-read-as-a-tag",
        TALKS,
        Some(10),
        "`!Important` starts a value, and YAML reads it as a tag",
    ),
    (
        "names-that-slugify-alike",
        TALKS,
        Some(4),
        "topic `Ceasefire talks` has the same URL as `Ceasefire Talks`",
    ),
    (
        "neither-quote-nor-paraphrase",
        TALKS,
        Some(8),
        "needs `quote` or `paraphrase`",
    ),
    (
        "page-address-of-a-section",
        "content/pages/history.md",
        Some(3),
        "page address `/timeline/` is taken by annals' own pages under /timeline/",
    ),
    (
        "page-address-of-a-static-folder",
        "content/pages/docs.md",
        None,
        "page address `/docs/` is taken by static/docs",
    ),
    (
        "page-address-redirected",
        "content/pages/who-we-are.md",
        Some(3),
        "page address `/about/` is an old address, redirected at annals.yaml:4",
    ),
    (
        "page-address-withdrawn",
        "content/pages/about.md",
        None,
        "page address `/about/` was withdrawn, at annals.yaml:4",
    ),
    (
        "page-duplicate-slug",
        "content/pages/who-we-are.md",
        Some(3),
        "page slug `about` is also used by content/pages/about.md",
    ),
    (
        "page-empty-title",
        ABOUT,
        Some(2),
        "title: must not be empty",
    ),
    (
        "page-invalid-slug",
        ABOUT,
        Some(3),
        "slug: `About Us` is not a valid slug",
    ),
    (
        "page-missing-title",
        ABOUT,
        Some(2),
        "missing field `title`",
    ),
    (
        "page-unknown-field",
        ABOUT,
        Some(3),
        "unknown field `menus`",
    ),
    (
        "page-weight-not-a-number",
        ABOUT,
        Some(4),
        "weight: invalid type: string \"first\"",
    ),
    (
        "person-id-with-dots",
        "content/people/ben.sample.md",
        None,
        "`ben.sample` cannot be a person id",
    ),
    (
        "publisher-without-letters",
        TALKS,
        Some(6),
        "publisher `—` has no letters or digits",
    ),
    (
        "places-alike-in-latin-letters",
        TALKS,
        Some(4),
        "place `حماس` has the same URL as `حمص`",
    ),
    (
        "publishers-that-slugify-alike",
        TALKS,
        Some(5),
        "publisher `Ministry of Examples` has the same URL as `Ministry of examples`",
    ),
    (
        "quote-and-paraphrase",
        TALKS,
        Some(8),
        "both `quote` and `paraphrase`",
    ),
    (
        "redirect-from-a-live-page",
        TALKS,
        Some(5),
        "redirect from `/people/ada/`, which is a page of the site",
    ),
    (
        "redirect-loop",
        "annals.yaml",
        Some(4),
        "redirects loop: /a/ → /b/ → /a/",
    ),
    (
        "redirect-not-a-path",
        TALKS,
        Some(3),
        "`articles/talks-old` is not a path from the site root",
    ),
    (
        "redirect-to-nowhere",
        "annals.yaml",
        Some(5),
        "redirect from `/gone/` to `/nowhere/`, which is no page of the site",
    ),
    (
        "segment-too-long",
        TALKS,
        Some(4),
        "makes a URL segment of 284 characters; at most 200",
    ),
    (
        "several-errors",
        TALKS,
        Some(3),
        "`2021-13-01` is not a valid date",
    ),
    (
        "slug-escaping-output",
        TALKS,
        Some(4),
        "`../../etc` is not a valid slug",
    ),
    (
        "static-file-in-a-languages-search-index",
        "static/ar/search-index/index.json",
        None,
        "static file would go inside /ar/search-index/, which annals generates",
    ),
    (
        "static-file-in-search-index",
        "static/search-index/index.json",
        None,
        "static file would go inside /search-index/, which annals generates",
    ),
    (
        "static-file-in-the-way",
        "static/people",
        None,
        "static file is in the way of the generated pages under /people/",
    ),
    (
        "static-file-replaces-page",
        "static/people/index.html",
        None,
        "would replace the generated page /people/index.html",
    ),
    ("tab-indented-yaml", TALKS, Some(6), "tab character"),
    (
        "template-block-never-closed",
        ARTICLE_TEMPLATE,
        Some(6),
        "is reached while the `{% if %}` of line 4 is still open",
    ),
    (
        "template-missing-parent",
        ARTICLE_TEMPLATE,
        Some(1),
        "extends `layout.html`, which does not exist",
    ),
    (
        "template-syntax-error",
        ARTICLE_TEMPLATE,
        Some(3),
        "but expected }}",
    ),
    (
        "template-unknown-field",
        ARTICLE_TEMPLATE,
        Some(3),
        "Field `sumary` is not defined",
    ),
    (
        "template-unknown-filter",
        ARTICLE_TEMPLATE,
        Some(3),
        "Unknown filter `shout`",
    ),
    (
        "topic-without-letters",
        TALKS,
        Some(4),
        "`!!!` has no letters or digits",
    ),
    ("unclosed-front-matter", TALKS, Some(1), "never closed"),
    ("unknown-field", TALKS, Some(7), "unknown field `statments`"),
    (
        "unknown-inline-citation",
        TALKS,
        Some(13),
        "`source:briefng` names no source",
    ),
    ("unknown-person", TALKS, Some(8), "unknown person `adaa`"),
    (
        "unknown-source-id",
        TALKS,
        Some(11),
        "cites source `briefng`, which this article does not list",
    ),
    (
        "unknown-source-kind",
        TALKS,
        Some(7),
        "unknown variant `blog`",
    ),
    (
        "withdrawn-entry-withdraws-two",
        "annals.yaml",
        Some(7),
        "an entry withdraws either a `path:` or a `statement:`",
    ),
    (
        "withdrawn-page-is-live",
        "annals.yaml",
        Some(4),
        "withdrawn `/articles/talks/` is a page of the site",
    ),
    (
        "withdrawn-statement-still-recorded",
        "annals.yaml",
        Some(4),
        "withdrawn statement `ada-2021-05-17-9201afcc` is still in content/articles/2021-05-17-talks.md",
    ),
    (
        "correction-of-an-unknown-statement",
        TALKS,
        Some(6),
        "correction names statement `ada-2021-05-17-nothing`, which this article does not record",
    ),
    (
        "correction-without-a-day",
        TALKS,
        Some(5),
        "correction date: `2021-05` does not say which day",
    ),
    (
        "partial-article-date",
        TALKS,
        Some(3),
        "date: `2021-05` does not say which day",
    ),
    (
        "unknown-delivery",
        TALKS,
        Some(11),
        "unknown variant `transcript`, expected one of `spoken`, `as-delivered`, `as-prepared`, `near-verbatim`, `readout`, `written`, `post`",
    ),
    (
        "unknown-via-person",
        TALKS,
        Some(11),
        "via: unknown person `spokesman`",
    ),
    (
        "misindented-field",
        TALKS,
        Some(6),
        "`publisher` is indented 3 spaces; align it with `id` (4 spaces)",
    ),
    (
        "topics-not-a-list",
        TALKS,
        Some(4),
        "topics: invalid type: string \"Ceasefire\", expected a sequence",
    ),
    (
        "unescaped-quote",
        TALKS,
        Some(2),
        "did not find expected key",
    ),
    // Translations (issue 15): `<name>.<code>.md` beside `<name>.md`.
    (
        "language-is-the-default",
        "annals.yaml",
        Some(5),
        "languages: `en` is the site's default language",
    ),
    (
        "language-not-a-tag",
        "annals.yaml",
        Some(7),
        "languages: `Ukrainian` is not a BCP 47 language tag",
    ),
    (
        "language-unknown-setting",
        "annals.yaml",
        Some(7),
        "unknown field `pagination`",
    ),
    (
        "translation-in-default-language",
        TALKS_EN,
        None,
        "`en` is the site's default language",
    ),
    (
        "translation-language-not-in-languages",
        TALKS_DE,
        None,
        "named as a translation into `de`, which is not one of the site's languages",
    ),
    (
        "translation-lists-statements",
        TALKS_AR,
        Some(3),
        "sources and statements are the original's",
    ),
    (
        "translation-repeats-persons-field",
        "content/people/ada.ar.md",
        Some(3),
        "`links` is the original's",
    ),
    (
        "translation-twice-in-one-language",
        TALKS_AR,
        None,
        "a second translation into `ar`",
    ),
    (
        "translation-unknown-citation",
        TALKS_AR,
        Some(6),
        "`source:briefng` names no source of the original",
    ),
    (
        "translation-unknown-field",
        "content/pages/about.ar.md",
        Some(3),
        "unknown field `sumary` in a translation",
    ),
    (
        "translation-of-a-former-id",
        TALKS_AR,
        Some(4),
        "translations: `ada-talk` is a former id of statement `ada-talks`",
    ),
    (
        "translation-unknown-statement",
        TALKS_AR,
        Some(5),
        "translations: `ada-talk` is not a statement of the original",
    ),
    (
        "translation-without-original",
        "content/people/cleo.ar.md",
        None,
        "a translation of `content/people/cleo.md`, which does not exist",
    ),
];

/// The one fixture with more than one error: all must come out of one run.
const SEVERAL: &str = "several-errors";
const SEVERAL_COUNT: usize = 3;

fn annals(args: &[&str], cwd: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_annals"))
        .args(args)
        .current_dir(cwd)
        .output()
        .expect("run annals")
}

/// `annals build --root root --output output`, run in `root`, and its stderr.
fn build_into(root: &Path, output: &str) -> (Output, String) {
    let result = annals(
        &["build", "--root", path_str(root), "--output", output],
        root,
    );
    let stderr = String::from_utf8_lossy(&result.stderr).into_owned();
    (result, stderr)
}

fn fixtures_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/errors")
}

/// Every directory under tests/fixtures/errors/, by name.
fn fixture_names() -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(fixtures_dir())
        .expect("tests/fixtures/errors exists")
        .map(|entry| entry.expect("readable fixture directory"))
        .filter(|entry| entry.path().is_dir())
        .map(|entry| entry.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// The row of `name` in [`EXPECTED`].
fn expected(name: &str) -> (&'static str, Option<usize>, &'static str) {
    let (_, file, line, says) = EXPECTED
        .iter()
        .find(|row| row.0 == name)
        .unwrap_or_else(|| panic!("no row in EXPECTED for fixture {name}"));
    (file, *line, says)
}

/// One error as `annals` prints it for people.
#[derive(Debug)]
struct Reported {
    message: String,
    file: String,
    line: Option<usize>,
    help: Option<String>,
}

/// The errors in a human report: blocks `error: …`, `  --> file[:line[:col]]`,
/// optionally the quoted line, and `  = help: …`, separated by blank lines.
fn reported(stderr: &str) -> Vec<Reported> {
    stderr
        .split("\n\n")
        .filter_map(|block| {
            let message = block.strip_prefix("error: ")?.lines().next()?.to_owned();
            let location = block.lines().find_map(|l| l.strip_prefix("  --> "))?;
            let mut parts = location.split(':');
            let file = parts.next()?.to_owned();
            let line = parts.next().and_then(|l| l.parse().ok());
            let help = block
                .lines()
                .find_map(|l| l.trim_start().strip_prefix("= help: "))
                .map(str::to_owned);
            Some(Reported {
                message,
                file,
                line,
                help,
            })
        })
        .collect()
}

/// `annals build` on a copy of the fixture into a fresh output directory:
/// the output, the directory it would be in, and the stderr.
fn build_fixture(name: &str) -> (Output, tempfile::TempDir, String) {
    let site = fixture_copy(&format!("errors/{name}"));
    let output_parent = tempfile::tempdir().expect("temporary directory");
    let out = output_parent.path().join("out");
    let (output, stderr) = build_into(site.path(), path_str(&out));
    (output, output_parent, stderr)
}

/// The names in `dir`, the parent of an output, but for the lock file a
/// build leaves beside it (`.out.annals-lock`: empty, and deleting a lock
/// file while another process waits on it would let two builds in).
fn beside_output(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .expect("output parent")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .filter(|name| !name.ends_with(".annals-lock"))
        .collect();
    names.sort();
    names
}

#[test]
fn every_error_fixture_has_a_row() {
    let names = fixture_names();
    let rows: Vec<&str> = EXPECTED.iter().map(|row| row.0).collect();
    for name in &names {
        assert!(
            rows.contains(&name.as_str()),
            "tests/fixtures/errors/{name} has no row in EXPECTED in tests/it/errors.rs"
        );
    }
    for row in &rows {
        assert!(
            names.iter().any(|n| n == row),
            "EXPECTED names {row}, but tests/fixtures/errors/{row} does not exist"
        );
    }
    assert!(names.len() >= 30, "a fixture per error class: {names:?}");
}

#[test]
fn every_error_fixture_fails_the_build_naming_file_line_and_fix() {
    for name in fixture_names() {
        let (file, line, says) = expected(&name);
        let (output, output_parent, stderr) = build_fixture(&name);
        assert!(!output.status.success(), "{name}: the build must fail");
        assert!(!stderr.contains("panicked"), "{name}: {stderr}");
        assert!(
            stderr.contains("build failed; the previous output was left as it was"),
            "{name}: {stderr}"
        );
        let errors = reported(&stderr);
        let count = if name == SEVERAL { SEVERAL_COUNT } else { 1 };
        assert_eq!(errors.len(), count, "{name}: one error class: {stderr}");
        let first = &errors[0];
        assert_eq!(
            (first.file.as_str(), first.line),
            (file, line),
            "{name}: file and line: {stderr}"
        );
        assert!(first.message.contains(says), "{name}: {stderr}");
        // The build quotes the line, as `check` does: also an error found
        // on the model after parsing. (A file not in UTF-8 has no text to
        // quote.)
        if let Some(line) = first.line.filter(|_| !name.starts_with("invalid-utf8")) {
            assert!(
                stderr.contains(&format!("\n{line} | ")),
                "{name}: line {line} quoted: {stderr}"
            );
        }
        for error in &errors {
            assert!(
                error.help.as_deref().is_some_and(|h| !h.is_empty()),
                "{name}: every error says what to do: {stderr}"
            );
        }
        let left = beside_output(output_parent.path());
        assert!(
            left.is_empty(),
            "{name}: a failed build creates no output (nor staging): {left:?}"
        );
    }
}

#[test]
fn several_errors_are_reported_together_with_a_count() {
    let (output, _output_parent, stderr) = build_fixture(SEVERAL);
    assert!(!output.status.success());
    let found: Vec<(String, Option<usize>)> = reported(&stderr)
        .into_iter()
        .map(|e| (e.file, e.line))
        .collect();
    let more = "content/articles/2021-05-18-more.md".to_owned();
    assert_eq!(
        found,
        [
            (TALKS.to_owned(), Some(3)),
            (TALKS.to_owned(), Some(11)),
            (more, Some(7)),
        ],
        "{stderr}"
    );
    for words in [
        "`2021-13-01` is not a valid date",
        "cites source `briefng`",
        "`javascript:` links are not allowed",
    ] {
        assert!(stderr.contains(words), "{words}: {stderr}");
    }
    assert!(
        stderr.contains(&format!("\n{SEVERAL_COUNT} errors\n")),
        "{stderr}"
    );
}

#[test]
fn unknown_person_suggests_the_closest_id() {
    let (_, _output_parent, stderr) = build_fixture("unknown-person");
    let errors = reported(&stderr);
    assert_eq!(
        errors[0].help.as_deref(),
        Some("did you mean `ada` (Ada Example)?"),
        "{stderr}"
    );
    assert!(
        stderr.contains("8 |   - person: adaa"),
        "quotes the line: {stderr}"
    );
}

#[test]
fn check_json_reports_every_error_fixture_with_file_and_line() {
    for name in fixture_names() {
        let (file, line, says) = expected(&name);
        let site = fixtures_dir().join(&name);
        let output = annals(
            &["check", "--root", path_str(&site), "--format", "json"],
            &site,
        );
        assert_eq!(output.status.code(), Some(1), "{name}: check exits 1");
        let report: serde_json::Value =
            serde_json::from_slice(&output.stdout).expect("check prints JSON");
        let count = if name == SEVERAL { SEVERAL_COUNT } else { 1 };
        assert_eq!(
            report["errors"].as_u64(),
            Some(count as u64),
            "{name}: {report}"
        );
        let diagnostics = report["diagnostics"].as_array().expect("diagnostics");
        for diagnostic in diagnostics {
            assert!(
                diagnostic["file"].as_str().is_some_and(|f| !f.is_empty()),
                "{name}: {diagnostic}"
            );
            assert!(diagnostic.get("line").is_some(), "{name}: {diagnostic}");
        }
        let first = &diagnostics[0];
        assert_eq!(first["severity"], "error", "{name}: {first}");
        assert_eq!(first["file"], file, "{name}: {first}");
        assert_eq!(
            first["line"].as_u64(),
            line.map(|l| l as u64),
            "{name}: {first}"
        );
        assert!(
            first["message"].as_str().is_some_and(|m| m.contains(says)),
            "{name}: {first}"
        );
        assert!(!String::from_utf8_lossy(&output.stderr).contains("panicked"));
    }
}

/// Every file under `dir` with its bytes and modification time.
fn snapshot(dir: &Path) -> BTreeMap<PathBuf, (Vec<u8>, std::time::SystemTime)> {
    mtimes(dir)
        .into_iter()
        .map(|(path, modified)| {
            let bytes = std::fs::read(dir.join(&path)).expect("read output file");
            (path, (bytes, modified))
        })
        .collect()
}

#[test]
fn a_failed_build_leaves_the_previous_output_untouched() {
    let site = fixture_copy("live");
    let output_parent = tempfile::tempdir().expect("temporary directory");
    let out = output_parent.path().join("out");
    let build = |site: &Path| build_into(site, path_str(&out)).0;
    assert!(build(site.path()).status.success(), "the live site builds");
    let before = snapshot(&out);
    assert!(before.len() > 10, "a real output: {before:?}");

    let fails_leaving_output_alone = |says: &str| {
        let failed = build(site.path());
        let stderr = String::from_utf8_lossy(&failed.stderr);
        assert!(!failed.status.success(), "{says}: the build fails");
        assert!(stderr.contains(says), "{says}: {stderr}");
        assert!(
            snapshot(&out) == before,
            "{says}: every file of the previous output keeps its bytes and mtime"
        );
        let names = beside_output(output_parent.path());
        assert_eq!(names, ["out"], "{says}: no staging directory is left");
    };

    // A content error stops the build before it writes anything.
    let article = site.path().join("content/articles/2021-05-17-second.md");
    edit(&article, "person: ben", "person: nobody");
    fails_leaving_output_alone("unknown person `nobody`");
    edit(&article, "person: nobody", "person: ben");

    // A template that fails only while rendering stops the build after it
    // began writing the staging directory, which must be thrown away.
    let template = site.path().join("templates/person.html");
    std::fs::create_dir_all(site.path().join("templates")).expect("create templates/");
    std::fs::write(&template, "<h1>{{ person.nme }}</h1>\n").expect("write template");
    fails_leaving_output_alone("Field `nme` is not defined");
    std::fs::remove_file(&template).expect("remove template");

    assert!(build(site.path()).status.success(), "repaired, it builds");
}

/// Every path under `dir` with the bytes of files (directories: empty).
fn tree(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .map(|entry| entry.expect("readable tree"))
        .map(|entry| {
            let bytes = if entry.file_type().is_file() {
                std::fs::read(entry.path()).expect("read file")
            } else {
                Vec::new()
            };
            (entry.path().to_path_buf(), bytes)
        })
        .collect()
}

/// A copy of the live fixture at `site/` in a new temporary directory, so
/// that "a parent of the root", or a link beside the site, is a directory
/// the test owns rather than the shared temporary directory.
fn site_one_level_down() -> (tempfile::TempDir, PathBuf) {
    let outer = tempfile::tempdir().expect("temporary directory");
    let root = outer.path().join("site");
    copy_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/live"),
        &root,
    );
    (outer, root)
}

#[test]
fn outputs_that_would_overwrite_the_site_are_refused() {
    let (outer, root) = site_one_level_down();
    let outer_path = path_str(outer.path()).to_owned();
    let cases: [(&str, &str); 5] = [
        (".", "it contains the site itself"),
        ("content", "it is inside the site's content"),
        ("static/out", "it is inside the site's static"),
        ("templates", "it is inside the site's templates"),
        (&outer_path, "it contains the site itself"),
    ];
    let before = tree(outer.path());
    for (output, why) in cases {
        let (result, stderr) = build_into(&root, output);
        assert!(!result.status.success(), "--output {output} is refused");
        assert!(
            stderr.contains("refusing to write the site to") && stderr.contains(why),
            "--output {output}: {stderr}"
        );
        assert!(stderr.contains("= help: "), "--output {output}: {stderr}");
        assert!(!stderr.contains("panicked"), "{stderr}");
        let check = annals(
            &["check", "--root", path_str(&root), "--output", output],
            &root,
        );
        let says = String::from_utf8_lossy(&check.stdout) + String::from_utf8_lossy(&check.stderr);
        assert!(
            !check.status.success() && says.contains(why),
            "check --output {output} reports it too: {says}"
        );
        assert!(
            tree(outer.path()) == before,
            "--output {output} wrote nothing"
        );
    }

    // The same refusal when the output comes from annals.yaml.
    let config = root.join("annals.yaml");
    let text = std::fs::read_to_string(&config).expect("read annals.yaml");
    std::fs::write(&config, format!("{text}output: content/public\n")).expect("write annals.yaml");
    let before = tree(outer.path());
    let result = annals(&["build", "--root", path_str(&root)], &root);
    let stderr = String::from_utf8_lossy(&result.stderr);
    assert!(!result.status.success());
    assert!(
        stderr.contains("it is inside the site's content"),
        "{stderr}"
    );
    assert!(
        tree(outer.path()) == before,
        "output from annals.yaml: nothing written"
    );
    std::fs::write(&config, text).expect("restore annals.yaml");

    // `/`: the site has a content error too, so that even if the refusal
    // broke, the build would stop before writing anything at the root.
    let article = root.join("content/articles/2021-05-17-second.md");
    edit(&article, "person: ben", "person: nobody");
    let (result, stderr) = build_into(&root, "/");
    assert!(!result.status.success());
    assert!(
        stderr.contains("refusing to write the site to /: it is the file system root"),
        "{stderr}"
    );
}

#[test]
fn an_output_directory_annals_did_not_write_is_not_replaced() {
    let site = fixture_copy("live");
    let output_parent = tempfile::tempdir().expect("temporary directory");
    let out = output_parent.path().join("out");
    std::fs::create_dir(&out).expect("create output");
    std::fs::write(out.join("thesis.txt"), "years of work\n").expect("write a user file");
    let (result, stderr) = build_into(site.path(), path_str(&out));
    assert!(!result.status.success());
    assert!(
        stderr.contains("files that annals did not write"),
        "{stderr}"
    );
    assert_eq!(
        tree(output_parent.path()).len(),
        3,
        "only the parent, out/ and the user's file"
    );
    assert_eq!(
        std::fs::read_to_string(out.join("thesis.txt")).expect("user file"),
        "years of work\n"
    );
}

#[test]
fn a_directory_without_annals_yaml_is_named() {
    let empty = tempfile::tempdir().expect("temporary directory");
    let output_parent = tempfile::tempdir().expect("temporary directory");
    let out = output_parent.path().join("out");
    let (result, stderr) = build_into(empty.path(), path_str(&out));
    assert!(!result.status.success());
    assert!(stderr.contains("has no annals.yaml"), "{stderr}");
    assert!(stderr.contains("= help: "), "{stderr}");
    assert!(!out.exists(), "nothing written");
}

/// What a link in the site points to, outside it: every file holds
/// [`SECRET`], which must never reach a message. Articles and templates are
/// broken, so that any that were read would be quoted in an error.
#[cfg(unix)]
fn outside_tree() -> tempfile::TempDir {
    let outside = tempfile::tempdir().expect("temporary directory");
    let files = [
        (
            "annals.yaml",
            format!("title: {SECRET}\nbase_url: https://example.org/\n"),
        ),
        (
            "articles/2021-05-17-secret.md",
            format!("---\ntitle: [{SECRET}\n---\n"),
        ),
        (
            "content/articles/2021-05-17-secret.md",
            format!("---\ntitle: [{SECRET}\n---\n"),
        ),
        (
            "content/people/eve.md",
            format!("---\nname: {SECRET}\n---\n"),
        ),
        ("people/eve.md", format!("---\nname: {SECRET}\n---\n")),
        ("pages/about.md", format!("---\ntitle: [{SECRET}\n---\n")),
        ("templates/article.html", format!("{{{{ {SECRET} }}}}\n")),
        ("static/secret.txt", format!("{SECRET}\n")),
    ];
    for (path, text) in files {
        let path = outside.path().join(path);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("create folders");
        std::fs::write(path, text).expect("write outside file");
    }
    outside
}

#[cfg(unix)]
const SECRET: &str = "SECRET-OUTSIDE-THE-SITE";

/// Symbolic links cannot be committed portably as fixtures, so these are
/// made here: a link anywhere in the site, file or folder, to something
/// outside it. The build and `check` refuse each, naming the link and
/// quoting nothing of what it points to.
#[cfg(unix)]
#[test]
fn links_leaving_the_site_are_refused_everywhere_naming_only_the_link() {
    let outside = outside_tree();
    let cases = [
        ("annals.yaml", "annals.yaml"),
        ("content", "content"),
        ("content/articles", "articles"),
        ("content/articles/sub", "articles"),
        (
            "content/articles/2021-05-18-secret.md",
            "articles/2021-05-17-secret.md",
        ),
        ("content/people/eve.md", "people/eve.md"),
        ("content/pages", "pages"),
        ("content/pages/about.md", "pages/about.md"),
        ("templates", "templates"),
        ("templates/article.html", "templates/article.html"),
        ("static/sub", "static"),
        ("static/eve.txt", "static/secret.txt"),
    ];
    for (link, target) in cases {
        let site = fixture_copy("live");
        let at = site.path().join(link);
        if at.is_dir() {
            std::fs::remove_dir_all(&at).expect("make room for the link");
        } else if at.exists() {
            std::fs::remove_file(&at).expect("make room for the link");
        }
        std::fs::create_dir_all(at.parent().expect("parent")).expect("create folders");
        std::os::unix::fs::symlink(outside.path().join(target), &at).expect("make a link");
        let output_parent = tempfile::tempdir().expect("temporary directory");
        let out = output_parent.path().join("out");
        let (built, stderr) = build_into(site.path(), path_str(&out));
        let stdout = String::from_utf8_lossy(&built.stdout);
        assert!(!built.status.success(), "{link}: the build fails");
        assert!(
            !stderr.contains(SECRET) && !stdout.contains(SECRET),
            "{link}: what the link points to is never read out: {stderr}"
        );
        let errors = reported(&stderr);
        assert!(
            errors.iter().any(|e| e.file == link
                && e.message.contains("symbolic link points outside the site")
                && e.help.is_some()),
            "{link}: the error names the link: {stderr}"
        );
        assert!(!out.exists(), "{link}: nothing written");
        let checked = annals(
            &["check", "--root", path_str(site.path()), "--format", "json"],
            site.path(),
        );
        let report = String::from_utf8_lossy(&checked.stdout);
        assert_eq!(
            checked.status.code(),
            Some(1),
            "{link}: check fails too: {report}"
        );
        assert!(!report.contains(SECRET), "{link}: {report}");
        assert!(
            report.contains(&format!("\"file\": \"{link}\"")),
            "{link}: {report}"
        );
    }
}

/// A link inside the site is followed like the folder or file it names.
#[cfg(unix)]
#[test]
fn links_that_stay_in_the_site_are_followed() {
    let site = fixture_copy("live");
    let shared = site.path().join("shared");
    std::fs::create_dir(&shared).expect("create shared/");
    std::fs::rename(
        site.path().join("content/articles/2020-01-01-older.md"),
        shared.join("2020-01-01-older.md"),
    )
    .expect("move an article");
    std::os::unix::fs::symlink(&shared, site.path().join("content/articles/shared"))
        .expect("make a link");
    let output_parent = tempfile::tempdir().expect("temporary directory");
    let out = output_parent.path().join("out");
    let (built, stderr) = build_into(site.path(), path_str(&out));
    assert!(built.status.success(), "{stderr}");
    assert!(out.join("articles/older/index.html").is_file());
}

/// A link that stays in the site but leads into a hidden folder of it (a
/// repository's `.git`, whose `config` holds the credentials a CI checkout
/// leaves) or into annals' own output (which would publish itself into
/// itself, deeper on every build) is refused like one that leaves.
#[cfg(unix)]
#[test]
fn links_into_git_or_into_the_output_are_refused() {
    let site = fixture_copy("live");
    let git = site.path().join(".git");
    std::fs::create_dir_all(&git).expect("create .git/");
    std::fs::write(
        git.join("config"),
        format!("[http]\n\textraheader = {SECRET}\n"),
    )
    .expect("write config");
    let out = site.path().join("public");
    let built = annals(&["build", "--root", path_str(site.path())], site.path());
    assert!(
        built.status.success(),
        "{}",
        String::from_utf8_lossy(&built.stderr)
    );
    for (link, target) in [("static/g", &git), ("static/pub", &out)] {
        let at = site.path().join(link);
        std::os::unix::fs::symlink(target, &at).expect("make a link");
        let (result, stderr) = build_into(site.path(), path_str(&out));
        assert!(!result.status.success(), "{link}: {stderr}");
        assert!(!stderr.contains(SECRET), "{stderr}");
        let errors = reported(&stderr);
        assert!(
            errors
                .iter()
                .any(|e| e.file == link && e.message.contains("into a hidden folder")),
            "{link}: {stderr}"
        );
        assert!(
            !out.join("g").exists() && !out.join("pub").exists(),
            "{link}"
        );
        std::fs::remove_file(&at).expect("remove the link");
    }
}

/// The output is checked where it really is: through links in any part of
/// its path, not only in the whole of it.
#[cfg(unix)]
#[test]
fn an_output_reached_through_a_link_into_the_site_is_refused() {
    let (outer, root) = site_one_level_down();
    std::fs::create_dir_all(root.join("templates")).expect("create templates/");
    std::fs::write(root.join("templates/notes.txt"), "a note\n").expect("write a file");
    let link = outer.path().join("link");
    std::os::unix::fs::symlink(root.join("templates"), &link).expect("make a link");
    let before = tree(&root);
    let (result, stderr) = build_into(&root, path_str(&link.join("out")));
    assert!(!result.status.success(), "{stderr}");
    assert!(
        stderr.contains("it is inside the site's templates"),
        "{stderr}"
    );
    assert!(tree(&root) == before, "nothing written in the site");
}

#[test]
fn an_existing_file_given_as_output_is_refused_and_left_alone() {
    let site = fixture_copy("live");
    let output_parent = tempfile::tempdir().expect("temporary directory");
    let file = output_parent.path().join("out.txt");
    std::fs::write(&file, "years of work\n").expect("write a user file");
    let before = tree(output_parent.path());
    let (result, stderr) = build_into(site.path(), path_str(&file));
    assert!(!result.status.success());
    assert!(
        stderr.contains("this is a file, not a directory"),
        "{stderr}"
    );
    assert!(stderr.contains("= help: "), "{stderr}");
    assert!(
        tree(output_parent.path()) == before,
        "the file keeps its bytes and nothing is put beside it"
    );
    // An output inside that file: the file is named, not a lock error.
    let (result, stderr) = build_into(site.path(), path_str(&file.join("sub")));
    assert!(!result.status.success());
    assert!(
        stderr.contains("this is a file, and the output would be inside it"),
        "{stderr}"
    );
    assert!(tree(output_parent.path()) == before, "nothing written");
}

#[test]
fn yaml_mistakes_editors_make_get_their_own_hints() {
    for (fixture, hint) in [
        (
            "misindented-field",
            "help: indent every field of a list item as far as its first one",
        ),
        (
            "unescaped-quote",
            "help: a `\"` inside double quotes ends the text: write it as `\\\"`",
        ),
        (
            "topics-not-a-list",
            "help: write a list: `[Example, Another]` on the line",
        ),
    ] {
        let (_, _output, stderr) = build_fixture(fixture);
        assert!(stderr.contains(hint), "{fixture}: {stderr}");
    }
}
