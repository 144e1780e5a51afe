//! `annals serve` as its user meets it: what it says on start and on error,
//! what it answers to hostile paths, how it stops, and sharing it on a network.

use std::path::Path;
use std::time::Duration;

use crate::process::{Running, fixture_copy, get, path_str, serve};

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
