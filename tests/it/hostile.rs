//! Input a hostile contributor or a careless script could send: the
//! binary's report and memory stay bounded, and builds sharing an output
//! never interleave. (What each pathological input costs at two sizes is
//! measured by `scripts/hostile-bench.sh`, not asserted here.)

use std::fmt::Write as _;
use std::path::Path;
use std::process::{Command, Stdio};

use crate::process::{path_str, scratch_dir};

/// A site of `articles` small articles by one person.
fn write_site(root: &Path, articles: usize, body: &str) {
    let write = |path: &str, text: &str| {
        let path = root.join(path);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("create folders");
        std::fs::write(path, text).expect("write");
    };
    write(
        "annals.yaml",
        "title: Hostile\nbase_url: https://example.org/\n",
    );
    write("content/people/ada.md", "---\nname: Ada Example\n---\n");
    for n in 0..articles {
        let article = format!(
            "---\ntitle: Article {n}\ndate: 2021-05-{:02}\nsources:\n  - id: s\n    publisher: Example News\nstatements:\n  - person: ada\n    date: 2021-05-01\n    quote: Said {n}.\n    source: s\n---\n{body}\n",
            n % 28 + 1
        );
        write(&format!("content/articles/a-{n}.md"), &article);
    }
}

fn annals(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_annals"))
        .args(args)
        .output()
        .expect("run annals")
}

#[test]
fn thousands_of_problems_on_one_long_line_make_a_short_report() {
    let site = scratch_dir();
    let mut links = String::new();
    for i in 0..4_000 {
        let _ = write!(links, "[l{i}](/missing/page-{i}/) ");
    }
    write_site(site.path(), 1, &links);
    let root = path_str(site.path());

    let human = annals(&["check", "--root", root]);
    let report = String::from_utf8_lossy(&human.stderr);
    assert!(
        report.len() < 20_000,
        "a report of {} bytes: {}",
        report.len(),
        &report[..2_000.min(report.len())]
    );
    assert!(
        report.contains("and 3,997 more warnings like this in content/articles/a-0.md: link to `…`, which is no page or file of the site"),
        "{report}"
    );
    assert!(report.ends_with("0 errors, 4,000 warnings\n"), "{report}");

    let json = annals(&["check", "--root", root, "--format", "json"]);
    let parsed: serde_json::Value = serde_json::from_slice(&json.stdout).expect("JSON report");
    let diagnostics = parsed["diagnostics"].as_array().expect("diagnostics");
    assert_eq!(diagnostics.len(), 4_000, "JSON keeps every entry");
    for diagnostic in diagnostics {
        let snippet = diagnostic["snippet"]
            .as_str()
            .expect("each quotes its line");
        assert!(snippet.chars().count() <= 122, "bounded: {snippet}");
    }
}

/// Three builds started at once on one output: each waits for the one
/// before, so all succeed and the output is whole.
#[test]
fn builds_sharing_an_output_take_turns() {
    let site = scratch_dir();
    write_site(site.path(), 400, "A body.\n\n## A heading\n\nMore text.");
    let out = site.path().join("public");
    let args = ["build", "--root", path_str(site.path())];
    let builds: Vec<_> = (0..3)
        .map(|_| {
            Command::new(env!("CARGO_BIN_EXE_annals"))
                .args(args)
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .expect("start a build")
        })
        .collect();
    let outputs: Vec<_> = builds
        .into_iter()
        .map(|b| b.wait_with_output().expect("a build ends"))
        .collect();
    let mut waited = 0;
    for output in &outputs {
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(output.status.success(), "{stderr}");
        waited += usize::from(stderr.contains("waiting for another annals process"));
    }
    assert!(waited >= 1, "the later builds say they wait");
    // The output is what one build alone writes.
    let alone = scratch_dir();
    let alone_out = alone.path().join("out");
    let single = annals(&[
        "build",
        "--root",
        path_str(site.path()),
        "--output",
        path_str(&alone_out),
    ]);
    assert!(single.status.success());
    let files = |dir: &Path| crate::process::mtimes(dir).into_keys().collect::<Vec<_>>();
    assert_eq!(files(&out), files(&alone_out));
    let leftovers: Vec<_> = std::fs::read_dir(site.path())
        .expect("site")
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("annals-staging") || n.contains("annals-old"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

/// Ctrl-C or a CI job's cancel (SIGTERM) at any moment of a build leaves
/// the output whole: every page of the previous build, or every page of
/// the new one, never some of each. A stop while the output moves in waits
/// for the move and says so; the next build clears what a stop left.
#[test]
fn a_build_stopped_by_a_signal_leaves_one_whole_output() {
    let site = scratch_dir();
    write_site(site.path(), 300, "A body.");
    let config = site.path().join("annals.yaml");
    let args = ["build", "--root", path_str(site.path())];
    assert!(annals(&args).status.success(), "the first build");
    let mut seen = std::collections::BTreeSet::new();
    for (run, delay) in [30, 150, 400, 800, 1500].into_iter().enumerate() {
        let title = format!("Revision {run}");
        let text = format!("title: {title}\nbase_url: https://example.org/\n");
        std::fs::write(&config, text).expect("annals.yaml");
        let mut build = crate::process::Running::start(&args, site.path());
        std::thread::sleep(std::time::Duration::from_millis(delay));
        let signal = if run % 2 == 0 { "TERM" } else { "INT" };
        let _ = build.stop_with(signal);
        let (status, printed) = build.wait_exit(std::time::Duration::from_secs(60));
        match status.code() {
            Some(130) if printed.contains("stopped once the new output had moved in") => {}
            Some(130 | 143 | 0) => {}
            other => panic!("exit {other:?} after {delay} ms:\n{printed}"),
        }
        seen.insert(status.code());
        let mut revisions = std::collections::BTreeMap::new();
        for (path, bytes) in crate::process::tree(&site.path().join("public")) {
            if path.extension().is_some_and(|e| e == "html") {
                let page = String::from_utf8_lossy(&bytes);
                let title = page.split("class=\"site-title\" href=\"/\">").nth(1);
                // Pages without the site's header (redirects) name no revision.
                if let Some(title) = title.and_then(|t| t.split('<').next()) {
                    *revisions.entry(title.to_owned()).or_insert(0) += 1;
                }
            }
        }
        assert_eq!(revisions.len(), 1, "after {delay} ms: {revisions:?}");
    }
    eprintln!("exit codes seen: {seen:?}");
    assert!(annals(&args).status.success(), "a build after the stops");
    let staging = site.path().join(".public.annals-staging");
    assert!(
        !staging.exists(),
        "the last build cleared the staging directory"
    );
}

/// Some Windows editors begin UTF-8 files with a byte order mark: settings,
/// articles and templates saved so build as they read, and no page carries
/// the mark.
#[test]
fn a_byte_order_mark_is_read_past_in_settings_articles_and_templates() {
    let site = crate::process::fixture_copy("site");
    let articles = site.path().join("content/articles");
    let article = (std::fs::read_dir(&articles).expect("articles"))
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .find(|path| path.extension().is_some_and(|e| e == "md"))
        .expect("an article");
    for file in [site.path().join("annals.yaml"), article] {
        let text = std::fs::read_to_string(&file).expect("read");
        std::fs::write(&file, format!("\u{feff}{text}")).expect("write");
    }
    let template =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("templates/404.html"))
            .expect("the built-in 404 template");
    std::fs::create_dir_all(site.path().join("templates")).expect("templates folder");
    std::fs::write(
        site.path().join("templates/404.html"),
        format!("\u{feff}{template}"),
    )
    .expect("write the template");
    let out = site.path().join("public");
    let built = annals(&["build", "--root", path_str(site.path())]);
    assert!(
        built.status.success(),
        "{}",
        String::from_utf8_lossy(&built.stderr)
    );
    let page = std::fs::read_to_string(out.join("404.html")).expect("404.html");
    assert!(!page.contains('\u{feff}'), "{page}");
}

/// A named pipe where an article or a static file would be: refused by
/// name, with the build failing before it writes, rather than a read that
/// never returns or a file silently left out. (`mkfifo` is POSIX.)
#[test]
fn a_named_pipe_in_the_site_is_refused_by_name() {
    let site = crate::process::fixture_copy("site");
    for pipe in ["content/articles/pipe.md", "static/pipe.txt"] {
        let path = site.path().join(pipe);
        std::fs::create_dir_all(path.parent().expect("a folder")).expect("create the folder");
        let made = Command::new("mkfifo")
            .arg(&path)
            .status()
            .expect("run mkfifo");
        assert!(made.success(), "mkfifo {pipe}");
    }
    let out = site.path().join("public");
    let built = annals(&["build", "--root", path_str(site.path())]);
    let stderr = String::from_utf8_lossy(&built.stderr);
    assert!(!built.status.success(), "{stderr}");
    for pipe in ["content/articles/pipe.md", "static/pipe.txt"] {
        assert!(
            stderr.contains(pipe) && stderr.contains("not a regular file"),
            "{pipe}: {stderr}"
        );
    }
    assert!(!out.exists(), "nothing written");
    // annals.yaml made a pipe: refused, not read for ever.
    let config = site.path().join("annals.yaml");
    std::fs::remove_file(&config).expect("remove annals.yaml");
    let made = Command::new("mkfifo")
        .arg(&config)
        .status()
        .expect("run mkfifo");
    assert!(made.success());
    let checked = annals(&["check", "--root", path_str(site.path())]);
    let stderr = String::from_utf8_lossy(&checked.stderr);
    assert!(!checked.status.success(), "{stderr}");
    assert!(
        stderr.contains("annals.yaml") && stderr.contains("not a regular file"),
        "{stderr}"
    );
}

/// `content` (or an area's folder in it) written as a file: an error
/// naming it, not a site without articles replacing the last output.
#[test]
fn a_file_where_an_areas_folder_belongs_is_refused_by_name() {
    for file in ["content", "content/articles", "static"] {
        let site = crate::process::fixture_copy("site");
        let path = site.path().join(file);
        if path.is_dir() {
            std::fs::remove_dir_all(&path).expect("remove the folder");
        }
        std::fs::write(&path, "not a folder\n").expect("write the file");
        let built = annals(&["build", "--root", path_str(site.path())]);
        let stderr = String::from_utf8_lossy(&built.stderr);
        assert!(!built.status.success(), "{file}: {stderr}");
        assert!(
            stderr.contains(&format!("--> {file}\n"))
                && stderr.contains("this is a file, where annals reads a folder"),
            "{file}: {stderr}"
        );
        assert!(
            !site.path().join("public").exists(),
            "{file}: nothing written"
        );
    }
}
