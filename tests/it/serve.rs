//! `annals serve` as its user meets it: what it says on start and on error,
//! what it answers to hostile paths, how it stops, and sharing it on a network.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use crate::process::{Running, fixture_copy, get, path_str, serve, serve_with};

const WAIT: Duration = Duration::from_secs(20);

/// The `Location` header of a response, if any.
fn location(headers: &[(String, String)]) -> Option<&str> {
    headers
        .iter()
        .find(|(name, _)| name == "location")
        .map(|(_, value)| value.as_str())
}

/// Whether a browser following `location` stays on the server: a path from
/// the root, not `//host` or `/\host` (browsers read `\` as `/`), nor a URL
/// with a scheme.
fn stays_on_this_server(location: &str) -> bool {
    location.starts_with('/') && !location[1..].starts_with(['/', '\\'])
}

/// Directories whose names are host names: a redirect that appends `/` to
/// `//evil.example` would send the browser there.
const HOST_NAMED: [&str; 2] = ["evil.example", "\\evil.example"];

#[test]
fn no_request_path_redirects_to_another_host() {
    let site = fixture_copy("live");
    for name in HOST_NAMED {
        let dir = site.path().join("static").join(name);
        std::fs::create_dir_all(&dir).expect("static directory");
        std::fs::write(dir.join("index.html"), "<html><body>static</body></html>")
            .expect("static page");
    }
    let output = site.path().join("served");
    let (_running, url) = serve(site.path(), &output);
    for name in HOST_NAMED {
        assert!(
            output.join(name).join("index.html").is_file(),
            "{name} built"
        );
    }

    let shapes = [
        "//evil.example",
        "//evil.example/",
        "///evil.example/x",
        "///evil.example",
        "/\\evil.example",
        "/\\evil.example/",
        "//\\evil.example",
        "/\\/evil.example",
        "/%2F%2Fevil.example",
        "//%2F%2Fevil.example",
        "//%5Cevil.example",
        "/.//evil.example",
        "//articles/first",
        "//articles//first",
        "/articles//first",
        "///articles///first?q=//evil.example",
        "http://evil.example/articles/first",
        "http://evil.example//evil.example",
    ];
    for shape in shapes {
        let (status, headers, _) = get(&url, shape);
        if let Some(location) = location(&headers) {
            assert!(
                stays_on_this_server(location),
                "{shape} redirected to {location}"
            );
        }
        assert!(
            [200, 307, 308, 301, 302, 400, 404].contains(&status),
            "{shape} gave {status}"
        );
    }

    // Doubled slashes still reach the page, by a redirect to its one address.
    for (shape, expected) in [
        ("//articles/first", "/articles/first/"),
        ("/articles//first", "/articles/first/"),
        ("//evil.example", "/evil.example/"),
        ("///articles///first?q=//x", "/articles/first/?q=//x"),
        ("http://evil.example/articles/first", "/articles/first/"),
    ] {
        let (status, headers, _) = get(&url, shape);
        assert_eq!(
            (status, location(&headers)),
            (307, Some(expected)),
            "{shape}"
        );
    }
    let (status, _, body) = get(&url, "//articles//first/");
    assert_eq!(status, 200);
    assert!(body.contains("First article"), "{body}");
}

#[test]
fn serve_help_says_the_preview_is_built_in_a_temporary_directory() {
    let help = |command: &str| {
        let output = Command::new(env!("CARGO_BIN_EXE_annals"))
            .args([command, "--help"])
            .output()
            .expect("run annals --help");
        assert!(output.status.success());
        String::from_utf8(output.stdout).expect("UTF-8 help")
    };
    let serve = help("serve");
    assert!(serve.contains("temporary directory"), "{serve}");
    assert!(serve.contains("removed"), "{serve}");
    assert!(
        !serve.contains("else public/"),
        "serve never builds into public/ by default:\n{serve}"
    );
    assert!(
        serve.contains("no password"),
        "--bind warns before sharing:\n{serve}"
    );
    let build = help("build");
    assert!(build.contains("else public/"), "{build}");
}

/// The directory named by serve's `building the preview in DIR` line.
fn preview_dir(running: &mut Running) -> PathBuf {
    let line = running.wait_for("building the preview in ", WAIT);
    let (_, rest) = line
        .split_once("building the preview in ")
        .expect("the directory follows");
    let dir = rest.split_once(" (").map_or(rest, |(dir, _)| dir);
    PathBuf::from(dir)
}

#[test]
fn serve_names_the_directory_it_builds_in() {
    let site = fixture_copy("live");
    let output = site.path().join("served");
    let mut running = Running::start(
        &[
            "serve",
            "--root",
            path_str(site.path()),
            "--output",
            path_str(&output),
            "--port",
            "0",
        ],
        site.path(),
    );
    let line = running.wait_for("building the preview in ", WAIT);
    assert!(line.contains(path_str(&output)), "{line}");
    assert!(!line.contains("temporary"), "{line}");
    running.wait_for("serving http://", WAIT);
    assert!(running.interrupt(), "Ctrl-C stops the server cleanly");
    assert!(output.join("index.html").is_file(), "--output is kept");
}

/// `annals serve` of the site at `root` without `--output`: the process,
/// the preview's directory and the temporary directory holding it.
#[cfg(unix)]
fn serving_in_a_temporary_directory(root: &Path) -> (Running, PathBuf, PathBuf) {
    let mut running = Running::start(&["serve", "--root", path_str(root), "--port", "0"], root);
    let dir = preview_dir(&mut running);
    let temporary = dir
        .parent()
        .expect("inside a temporary directory")
        .to_owned();
    (running, dir, temporary)
}

/// Serve without `--output` is stopped by `signal`: it must exit cleanly and
/// leave no temporary directory behind.
#[cfg(unix)]
fn stopping_removes_the_temporary_directory(signal: &str) {
    let site = fixture_copy("live");
    let (mut running, dir, temporary) = serving_in_a_temporary_directory(site.path());
    let line = running.wait_for("serving http://", WAIT);
    assert!(dir.join("index.html").is_file(), "built into {dir:?}");
    let url = line.split_whitespace().nth(1).expect("url").to_owned();
    assert_eq!(get(&url, "/").0, 200);
    assert!(running.stop_with(signal), "SIG{signal} stops serve cleanly");
    assert!(!dir.exists(), "SIG{signal} left {dir:?} behind");
    assert!(!temporary.exists(), "SIG{signal} left {temporary:?} behind");
}

#[cfg(unix)]
#[test]
fn sigterm_stops_serve_and_removes_its_temporary_directory() {
    stopping_removes_the_temporary_directory("TERM");
}

#[cfg(unix)]
#[test]
fn ctrl_c_stops_serve_and_removes_its_temporary_directory() {
    stopping_removes_the_temporary_directory("INT");
}

/// A template that never ends keeps its rebuild running; Ctrl-C still stops
/// serve, after waiting a while for it, and removes the preview.
#[cfg(unix)]
#[test]
fn ctrl_c_stops_serve_while_a_rebuild_never_ends() {
    let site = fixture_copy("live");
    let (mut running, _, temporary) = serving_in_a_temporary_directory(site.path());
    running.wait_for("serving http://", WAIT);
    let templates = site.path().join("templates");
    std::fs::create_dir_all(&templates).expect("templates/");
    std::fs::write(
        templates.join("article.html"),
        "{% for i in range(end=100000) %}{% for j in range(end=100000) %}{% for k in range(end=100000) %}{% endfor %}{% endfor %}{% endfor %}",
    )
    .expect("write a template that never ends");
    // Time for the watcher to see it and the rebuild to start: not asserted.
    std::thread::sleep(Duration::from_secs(3));
    assert!(running.interrupt(), "Ctrl-C stops serve cleanly");
    running.find_or_wait("a rebuild is still running", WAIT);
    assert!(!temporary.exists(), "{temporary:?} left behind");
}

/// Every file under `dir` whose bytes contain `needle`.
fn files_containing(dir: &Path, needle: &str) -> Vec<PathBuf> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|entry| entry.file_type().is_file())
        .filter(|entry| {
            let bytes = std::fs::read(entry.path()).expect("read built file");
            bytes
                .windows(needle.len())
                .any(|window| window == needle.as_bytes())
        })
        .map(|entry| entry.into_path())
        .collect()
}

#[test]
fn serve_on_every_address_warns_and_links_to_an_address_of_this_machine() {
    let site = fixture_copy("live");
    let output = site.path().join("served");
    let (mut running, url) = serve_with(
        site.path(),
        &["--output", path_str(&output), "--bind", "0.0.0.0"],
    );
    // Printed before `serving`, on stderr: its line may have been read already.
    let warning = running.find_or_wait("warning:", WAIT);
    assert!(warning.contains("--bind"), "{warning}");
    assert!(!url.contains("0.0.0.0"), "{url}");
    let built = files_containing(&output, "0.0.0.0");
    assert!(built.is_empty(), "pages link to 0.0.0.0: {built:?}");
    assert!(
        !files_containing(&output, &url).is_empty(),
        "pages link to {url}"
    );

    let (status, _, body) = get(&url, "/articles/first/");
    assert_eq!(status, 200, "{url} answers");
    assert!(body.contains(&format!("href=\"{url}articles/first/\"")));
    let local = running.find_or_wait("http://127.0.0.1:", WAIT);
    let local = local
        .split_whitespace()
        .find(|word| word.starts_with("http://127.0.0.1:"))
        .expect("the loopback URL");
    assert_eq!(get(local, "/articles/first/").0, 200, "{local} answers");
    assert!(running.interrupt(), "Ctrl-C stops the server cleanly");
}

#[test]
fn serve_on_loopback_does_not_warn() {
    let site = fixture_copy("live");
    let output = site.path().join("served");
    let (mut running, url) = serve(site.path(), &output);
    assert!(url.starts_with("http://127.0.0.1:"), "{url}");
    assert!(running.interrupt(), "Ctrl-C stops the server cleanly");
    let (_, printed) = running.wait_exit(WAIT);
    // The site's own warnings may be counted in a note meanwhile; no
    // warning of serve's own (of an address others can reach) is given.
    assert!(
        !printed.lines().any(|l| l.starts_with("warning")),
        "{printed}"
    );
}

/// Runs serve with `args` until it exits by itself; returns what it printed.
fn failing_serve(cwd: &Path, args: &[&str]) -> String {
    let mut running = Running::start(args, cwd);
    let (status, printed) = running.wait_exit(WAIT);
    assert!(!status.success(), "serve should fail:\n{printed}");
    assert!(!printed.contains("error: error:"), "{printed}");
    assert!(!printed.contains("serving"), "{printed}");
    printed
}

#[test]
fn serve_on_a_directory_without_a_site_reports_it_once() {
    let empty = tempfile::tempdir().expect("temporary directory");
    let printed = failing_serve(
        empty.path(),
        &["serve", "--root", path_str(empty.path()), "--port", "0"],
    );
    assert!(
        printed.starts_with("error: ") && printed.contains("has no annals.yaml"),
        "{printed}"
    );
    assert!(
        printed.contains("help: "),
        "the diagnostic's hint: {printed}"
    );
    assert!(printed.contains("1 error"), "{printed}");
}

#[test]
fn serve_on_an_address_it_cannot_listen_on_says_what_to_do() {
    let site = fixture_copy("live");
    // From the documentation range (RFC 5737), and not an address of this machine.
    let printed = failing_serve(
        site.path(),
        &[
            "serve",
            "--root",
            path_str(site.path()),
            "--bind",
            "192.0.2.1",
            "--port",
            "0",
        ],
    );
    let error = printed
        .lines()
        .find(|line| line.starts_with("error: "))
        .unwrap_or_else(|| panic!("no error line in:\n{printed}"));
    assert!(error.contains("cannot listen on 192.0.2.1"), "{error}");
    assert!(
        printed.contains("--bind 127.0.0.1"),
        "says which address to use instead:\n{printed}"
    );
}

#[test]
fn serve_says_once_how_many_warnings_the_site_has() {
    let site = fixture_copy("warnings/link-to-no-page");
    let (mut running, _) = serve(site.path(), &site.path().join("served"));
    let line = running.wait_for("note: ", WAIT);
    assert_eq!(line, "note: 1 warning; `annals check` shows it");
    assert!(running.interrupt(), "Ctrl-C stops the server cleanly");
}
