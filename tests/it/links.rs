//! `annals check --links` against a web server the test starts on
//! 127.0.0.1, never the internet: each of its paths a behaviour (200, 301,
//! 302, 404, 410, 429 with Retry-After, too slow, HEAD refused, HEAD
//! breaking the connection), on a site written with the server's port.

use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::process::{Command, Output};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use crate::process::path_str;

/// A request the server received.
#[derive(Debug, Clone)]
struct Request {
    method: String,
    /// With its query, if any.
    path: String,
    user_agent: String,
}

/// A web server on 127.0.0.1 whose paths behave as their names say; it
/// stops with the test process.
struct Server {
    port: u16,
    requests: Arc<Mutex<Vec<Request>>>,
}

impl Server {
    fn start() -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind a port on 127.0.0.1");
        let port = listener.local_addr().expect("local address").port();
        let requests: Arc<Mutex<Vec<Request>>> = Arc::default();
        let log = Arc::clone(&requests);
        std::thread::spawn(move || {
            for stream in listener.incoming().map_while(Result::ok) {
                let log = Arc::clone(&log);
                std::thread::spawn(move || answer(stream, &log));
            }
        });
        Server { port, requests }
    }

    fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }

    fn requests(&self) -> Vec<Request> {
        self.requests.lock().expect("request log").clone()
    }

    /// How many requests came for `path`, by method.
    fn count(&self, path: &str) -> BTreeMap<String, usize> {
        let mut counts = BTreeMap::new();
        for request in self.requests().into_iter().filter(|r| r.path == path) {
            *counts.entry(request.method).or_default() += 1;
        }
        counts
    }

    fn total(&self, path: &str) -> usize {
        self.count(path).values().sum()
    }
}

/// Reads one request and answers it as its path says.
fn answer(mut stream: TcpStream, log: &Mutex<Vec<Request>>) {
    let Some(request) = read_request(&mut stream) else {
        return;
    };
    let earlier = {
        let mut log = log.lock().expect("request log");
        log.push(request.clone());
        log.iter().filter(|r| r.path == request.path).count() - 1
    };
    let head = request.method == "HEAD";
    let path = request.path.split('?').next().unwrap_or_default();
    let (status, headers) = match path {
        "/ok" | "/temporary-target" => ("200 OK", String::new()),
        // A web archive's copy.
        archived if archived.starts_with("/web/") => ("200 OK", String::new()),
        "/moved" => ("301 Moved Permanently", "Location: /ok\r\n".to_owned()),
        "/temporary" => ("302 Found", "Location: /ok\r\n".to_owned()),
        "/gone" => ("410 Gone", String::new()),
        "/busy" if earlier == 0 => ("429 Too Many Requests", "Retry-After: 1\r\n".to_owned()),
        "/busy" => ("200 OK", String::new()),
        "/busy-long" => ("429 Too Many Requests", "Retry-After: 3600\r\n".to_owned()),
        "/slow" => {
            // Far beyond the check's timeout; the checker hangs up first.
            std::thread::sleep(Duration::from_secs(30));
            ("200 OK", String::new())
        }
        "/head-refused" if head => ("405 Method Not Allowed", "Allow: GET\r\n".to_owned()),
        "/head-refused" => ("200 OK", String::new()),
        // Hangs up without an answer.
        "/head-breaks" if head => return,
        "/head-breaks" => ("200 OK", String::new()),
        "/loop" => ("301 Moved Permanently", "Location: /loop\r\n".to_owned()),
        "/trap" => ("302 Found", "Location: javascript:alert(1)\r\n".to_owned()),
        "/huge" if head => ("405 Method Not Allowed", "Allow: GET\r\n".to_owned()),
        "/huge" => {
            return endless(
                stream,
                "HTTP/1.1 200 OK\r\nContent-Length: 1000000000000\r\n\r\n",
                "ok",
            );
        }
        "/headers-forever" => return endless(stream, "HTTP/1.1 200 OK\r\n", "X-Filler: ok\r\n"),
        _ => ("404 Not Found", String::new()),
    };
    let body = if head { "" } else { "ok" };
    let _ = write!(
        stream,
        "HTTP/1.1 {status}\r\nContent-Length: 2\r\nConnection: close\r\n{headers}\r\n{body}"
    );
}

/// Writes `start`, then `more` again and again until the client hangs up
/// (or ten minutes pass, should it never).
fn endless(mut stream: TcpStream, start: &str, more: &str) {
    let _ = stream.set_write_timeout(Some(Duration::from_secs(10)));
    let more = more.repeat(1_000);
    let started = std::time::Instant::now();
    let mut sent = stream.write_all(start.as_bytes());
    while sent.is_ok() && started.elapsed() < Duration::from_secs(600) {
        sent = stream.write_all(more.as_bytes());
    }
}

fn read_request(stream: &mut TcpStream) -> Option<Request> {
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .ok()?;
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") && head.len() < 16_384 {
        if stream.read(&mut byte).ok()? == 0 {
            return None;
        }
        head.push(byte[0]);
    }
    let head = String::from_utf8_lossy(&head).into_owned();
    let mut lines = head.lines();
    let mut first = lines.next()?.split_whitespace();
    let (method, path) = (first.next()?.to_owned(), first.next()?.to_owned());
    let user_agent = lines
        .filter_map(|line| line.split_once(':'))
        .find(|(name, _)| name.eq_ignore_ascii_case("user-agent"))
        .map(|(_, value)| value.trim().to_owned())
        .unwrap_or_default();
    Some(Request {
        method,
        path,
        user_agent,
    })
}

/// A port on 127.0.0.1 where nothing listens (taken, then let go).
fn closed_port() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind a port on 127.0.0.1");
    listener.local_addr().expect("local address").port()
}

/// The article of the test site, with its sources at known lines.
fn article(server: &Server, refused: &str) -> String {
    let url = |path| server.url(path);
    format!(
        r#"---
title: Talks
date: 2021-05-17
sources:
  - id: ok
    publisher: Example
    url: {ok}
  - id: moved
    publisher: Example
    url: {moved}
  - id: temporary
    publisher: Example
    url: {temporary}
  - id: missing
    publisher: Example
    url: {missing}
    archive: {u}/web/20210501120000/{missing}#snapshot
  - id: gone
    publisher: Example
    url: {gone}
  - id: slow
    publisher: Example
    url: {slow}
    archive: {head_refused}
  - id: busy
    publisher: Example
    url: {busy}
  - id: both-dead
    publisher: Example
    url: {missing}?again
    archive: {gone}
  - id: refused
    publisher: Example
    url: {refused}
  - id: archive-busy
    publisher: Example
    url: {missing}?3
    archive: {busy_long}
statements:
  - person: ada
    date: 2021-05-17
    quote: "Talks resume."
    source: ok
---
Sources: [a](source:moved), [b](source:temporary), [c](source:missing), [d](source:gone),
[e](source:slow), [f](source:busy), [g](source:both-dead), [h](source:refused), [i](source:archive-busy).

The minutes are [not online]({missing}); the <a href="{ok}#top">agenda</a> is.
"#,
        ok = url("/ok"),
        moved = url("/moved"),
        temporary = url("/temporary"),
        missing = url("/missing"),
        gone = url("/gone"),
        slow = url("/slow"),
        head_refused = url("/head-refused"),
        busy = url("/busy"),
        busy_long = url("/busy-long"),
        u = url(""),
    )
}

/// An article linking to what a hostile or broken server sends: a body
/// that never ends, headers that never end, a redirect loop, a redirect to
/// a script; and a link Markdown percent-encodes.
fn hostile_article(server: &Server) -> String {
    let url = |path| server.url(path);
    format!(
        "---\ntitle: Hostile\ndate: 2021-05-18\n---\n\
         A [huge page]({huge}), [endless headers]({headers}),\n\
         [a loop]({looping}) and [a trap]({trap}).\n\
         [A café]({u}/café).\n",
        huge = url("/huge"),
        headers = url("/headers-forever"),
        looping = url("/loop"),
        trap = url("/trap"),
        u = url(""),
    )
}

/// A site whose every external link points at `server` (or at `refused`).
fn write_site(dir: &Path, server: &Server, refused: &str) {
    let files = [
        // Sources without an archived copy are the point here, not a
        // warning of their own.
        (
            "annals.yaml",
            "title: Links\nbase_url: https://example.org/\nrequire_archive: off\n".to_owned(),
        ),
        (
            "content/articles/2021-05-17-talks.md",
            article(server, refused),
        ),
        (
            "content/articles/2021-05-18-hostile.md",
            hostile_article(server),
        ),
        (
            "content/people/ada.md",
            format!(
                "---\nname: Ada Example\nlinks: [{}, {}]\n---\nAda's [old page]({}).\n",
                server.url("/head-breaks"),
                server.url("/busy-long"),
                server.url("/gone"),
            ),
        ),
        (
            "content/pages/about.md",
            format!(
                "---\ntitle: About\n---\nWe moved from [our old host]({}).\n",
                server.url("/gone")
            ),
        ),
    ];
    for (path, text) in files {
        let path = dir.join(path);
        std::fs::create_dir_all(path.parent().expect("a parent")).expect("create folders");
        std::fs::write(path, text).expect("write the site");
    }
}

/// Quick settings: the server's slow path outlasts the timeout, and its
/// hour-long Retry-After is cut to a second. The timeout leaves the
/// server's other answers time to come on a busy machine.
const QUICK: [&str; 6] = [
    "--links-timeout",
    "3s",
    "--links-wait-cap",
    "1s",
    "--links-delay",
    "10ms",
];

fn check(site: &Path, extra: &[&str]) -> Output {
    let mut args = vec!["check", "--root", path_str(site)];
    args.extend_from_slice(extra);
    Command::new(env!("CARGO_BIN_EXE_annals"))
        .args(&args)
        // Loopback never goes through a proxy the environment may set.
        .env("NO_PROXY", "127.0.0.1")
        .env("no_proxy", "127.0.0.1")
        .output()
        .expect("run annals check")
}

/// `annals check --links --format json`: each diagnostic as
/// (severity, file:line, message).
fn check_links(site: &Path, extra: &[&str]) -> Vec<(String, String, String)> {
    let mut args = vec!["--links", "--format", "json"];
    args.extend_from_slice(&QUICK);
    args.extend_from_slice(extra);
    let output = check(site, &args);
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap_or_else(|e| {
        panic!(
            "check prints JSON ({e}): {}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        )
    });
    let text = |d: &serde_json::Value, key: &str| d[key].as_str().unwrap_or_default().to_owned();
    let diagnostics = report["diagnostics"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    diagnostics
        .iter()
        .map(|d| {
            let line = d["line"]
                .as_u64()
                .map(|l| format!(":{l}"))
                .unwrap_or_default();
            (
                text(d, "severity"),
                format!("{}{line}", text(d, "file")),
                text(d, "message"),
            )
        })
        .collect()
}

const ARTICLE: &str = "content/articles/2021-05-17-talks.md";
const HOSTILE: &str = "content/articles/2021-05-18-hostile.md";
const PERSON: &str = "content/people/ada.md";

/// What the test site should get: (severity, file:line, message), with
/// `{u}` for the server's address and `{refused}` for the closed one.
/// Sources are found at their `url:` and `archive:` lines.
const EXPECTED: &[(&str, &str, &str)] = &[
    (
        "warning",
        "content/articles/2021-05-17-talks.md:10",
        "source `moved`: `{u}/moved` has moved for good (301 Moved Permanently) to `{u}/ok`",
    ),
    (
        "warning",
        "content/articles/2021-05-17-talks.md:16",
        "source `missing`: `{u}/missing` is dead: 404 Not Found, but archived at `{u}/web/20210501120000/{u}/missing` on 1 May 2021, 12:00 UTC",
    ),
    (
        "error",
        "content/articles/2021-05-17-talks.md:20",
        "source `gone`: `{u}/gone` is dead: 410 Gone",
    ),
    (
        "warning",
        "content/articles/2021-05-17-talks.md:23",
        "source `slow`: `{u}/slow` is dead: no answer within 3s, 2 tries, but archived at `{u}/head-refused`",
    ),
    (
        "error",
        "content/articles/2021-05-17-talks.md:30",
        "source `both-dead`: `{u}/missing?again` is dead: 404 Not Found, and so is its archived copy `{u}/gone`",
    ),
    (
        "error",
        "content/articles/2021-05-17-talks.md:31",
        "source `both-dead`: the archived copy `{u}/gone` is dead: 410 Gone",
    ),
    (
        "error",
        "content/articles/2021-05-17-talks.md:34",
        "source `refused`: `{refused}` is dead: connection refused",
    ),
    (
        "warning",
        "content/articles/2021-05-17-talks.md:37",
        "source `archive-busy`: `{u}/missing?3` is dead: 404 Not Found, but archived at `{u}/busy-long`, which could not be checked",
    ),
    (
        "warning",
        "content/articles/2021-05-17-talks.md:38",
        "source `archive-busy`: the archived copy `{u}/busy-long` could not be checked: still answered 429 Too Many Requests after 3 tries (it asked to wait 1h; annals waits at most 1s: see --links-wait-cap)",
    ),
    (
        "error",
        "content/articles/2021-05-17-talks.md:48",
        "link to `{u}/missing` is dead: 404 Not Found",
    ),
    (
        "warning",
        "content/articles/2021-05-18-hostile.md:5",
        "link to `{u}/headers-forever` could not be checked: the answer could not be read: http parse resulted in too many headers",
    ),
    (
        "warning",
        "content/articles/2021-05-18-hostile.md:6",
        "link to `{u}/loop` could not be checked: more than 10 redirects, the last at `{u}/loop`",
    ),
    (
        "warning",
        "content/articles/2021-05-18-hostile.md:6",
        "link to `{u}/trap` could not be checked: redirected to `javascript:alert(1)`, which is no http(s) URL",
    ),
    (
        "error",
        "content/articles/2021-05-18-hostile.md:7",
        "link to `{u}/caf%C3%A9` is dead: 404 Not Found",
    ),
    (
        "warning",
        "content/people/ada.md:3",
        "link to `{u}/busy-long` could not be checked: still answered 429 Too Many Requests after 3 tries (it asked to wait 1h; annals waits at most 1s: see --links-wait-cap)",
    ),
    (
        "error",
        "content/people/ada.md:5",
        "link to `{u}/gone` is dead: 410 Gone",
    ),
    (
        "error",
        "content/pages/about.md:4",
        "link to `{u}/gone` is dead: 410 Gone",
    ),
];

fn expected(server: &Server, refused: &str) -> Vec<(String, String, String)> {
    let mut expected: Vec<(String, String, String)> = EXPECTED
        .iter()
        .map(|(severity, place, message)| {
            let message = message
                .replace("{u}", &server.url(""))
                .replace("{refused}", refused);
            ((*severity).to_owned(), (*place).to_owned(), message)
        })
        .collect();
    expected.sort_by(|a, b| (&a.1, &a.2).cmp(&(&b.1, &b.2)));
    expected
}

/// The findings about links (those naming the server), in report order.
fn link_findings(all: &[(String, String, String)]) -> Vec<(String, String, String)> {
    let mut found: Vec<_> = all
        .iter()
        .filter(|(_, _, message)| message.contains("http://127.0.0.1:"))
        .cloned()
        .collect();
    found.sort_by(|a, b| (&a.1, &a.2).cmp(&(&b.1, &b.2)));
    found
}

#[test]
fn check_links_reports_dead_and_moved_links_where_they_are_published() {
    let server = Server::start();
    let refused = format!("http://127.0.0.1:{}/", closed_port());
    let dir = crate::process::scratch_dir();
    let site = dir.path();
    write_site(site, &server, &refused);

    // Without --links, check asks nothing and writes nothing.
    let plain = check(site, &[]);
    assert!(plain.status.success(), "{plain:?}");
    assert!(server.requests().is_empty());
    assert!(!site.join(".annals").exists());

    let found = check_links(site, &[]);
    assert_eq!(link_findings(&found), expected(&server, &refused));
    assert_eq!(found.len(), EXPECTED.len(), "nothing else: {found:#?}");

    let requests = server.requests();
    assert!(
        requests.iter().all(|r| r
            .user_agent
            .starts_with(&format!("annals/{} (", env!("CARGO_PKG_VERSION")))),
        "{requests:#?}"
    );
    let counts = |pairs: &[(&str, usize)]| -> BTreeMap<String, usize> {
        pairs.iter().map(|(m, n)| ((*m).to_owned(), *n)).collect()
    };
    assert_eq!(
        server.count("/head-refused"),
        counts(&[("GET", 1), ("HEAD", 1)])
    );
    assert_eq!(
        server.count("/head-breaks"),
        counts(&[("GET", 1), ("HEAD", 1)])
    );
    assert_eq!(
        server.count("/busy"),
        counts(&[("HEAD", 2)]),
        "asked again after Retry-After"
    );
    assert_eq!(server.count("/busy-long"), counts(&[("HEAD", 3)]));
    assert_eq!(
        server.count("/slow"),
        counts(&[("HEAD", 2)]),
        "a timeout is tried twice"
    );
    // The endless body is never read: the answer is its status.
    assert_eq!(server.count("/huge"), counts(&[("GET", 1), ("HEAD", 1)]));
    assert_eq!(
        server.count("/loop"),
        counts(&[("HEAD", 11)]),
        "10 redirects followed"
    );
    assert_eq!(server.total("/trap"), 1, "a script is never asked for");

    // The cache keeps the answers, not failures to get one, nor "busy".
    let cache = std::fs::read_to_string(site.join(".annals/links.json")).expect("the cache");
    let cache: serde_json::Value = serde_json::from_str(&cache).expect("the cache is JSON");
    assert_eq!(cache["version"], 1);
    let links = cache["links"].as_object().cloned().unwrap_or_default();
    let moved = &links[&server.url("/moved")];
    assert_eq!(moved["status"], 200);
    assert_eq!(moved["redirects"][0]["status"], 301);
    assert_eq!(moved["redirects"][0]["to"], server.url("/ok"));
    assert!(moved["checked"].as_str().is_some_and(|t| t.ends_with('Z')));
    assert_eq!(links[&server.url("/gone")]["status"], 410);
    for unkept in ["/slow", "/busy-long"] {
        assert!(!links.contains_key(&server.url(unkept)), "{unkept}");
    }
    assert!(!links.contains_key(&refused));

    // A second run asks only for what the cache does not answer, and
    // finds the same.
    let before = |path: &str| server.total(path);
    let (missing, gone, busy_long) = (before("/missing"), before("/gone"), before("/busy-long"));
    assert_eq!(check_links(site, &[]), found);
    assert_eq!(server.total("/missing"), missing, "answered from the cache");
    assert_eq!(server.total("/gone"), gone, "answered from the cache");
    assert_eq!(
        server.total("/busy-long"),
        busy_long + 3,
        "429 is asked again"
    );

    // --links-max-age 0 asks for everything again; the human report ends
    // with what the check did.
    let mut args = vec!["--links", "--links-max-age", "0"];
    args.extend_from_slice(&QUICK);
    let human = check(site, &args);
    assert!(!human.status.success(), "errors fail the check");
    assert_eq!(server.total("/missing"), missing + 2, "asked again");
    let report = String::from_utf8_lossy(&human.stderr);
    let gone = server.url("/gone");
    assert!(
        report.contains(&format!(
            "error: source `gone`: `{gone}` is dead: 410 Gone\n  --> {ARTICLE}:20\n"
        )),
        "{report}"
    );
    assert!(
        report.contains(&format!(
            "= help: add `archive:` with an archived copy, or update `url:` if the document moved; the Wayback Machine may hold a copy: https://web.archive.org/web/*/{gone}\n"
        )),
        "{report}"
    );
    assert!(report.contains(&format!("--> {HOSTILE}:7\n")), "{report}");
    assert!(report.contains(&format!("--> {PERSON}:3\n")), "{report}");
    assert!(report.contains("8 errors, 9 warnings"), "{report}");
    let last = report.trim_end().lines().last().unwrap_or_default();
    assert!(
        last.starts_with("links: 19 URLs on 2 hosts asked for in "),
        "{report}"
    );

    // --links-dead warning: the same findings, none of them failing the
    // check; answers come from the cache.
    let mut args = vec!["--links", "--links-dead", "warning"];
    args.extend_from_slice(&QUICK);
    let lenient = check(site, &args);
    assert!(lenient.status.success(), "{lenient:?}");
    let lenient = String::from_utf8_lossy(&lenient.stderr);
    assert!(lenient.contains("0 errors, 17 warnings"), "{lenient}");
    assert!(
        lenient.contains("more answered from .annals/links.json (younger than 7d)"),
        "{lenient}"
    );
    // For the record of what the report looks like.
    println!("{report}");
}

/// Checks that `check --links` on `site` warns once about its cache, with
/// a message starting `beginning`.
#[track_caller]
fn one_cache_warning(site: &Path, beginning: &str) {
    let found = on_the_cache(site);
    assert_eq!(found.len(), 1, "{found:?}");
    let (severity, place, message) = &found[0];
    assert_eq!(
        (severity.as_str(), place.as_str()),
        ("warning", ".annals/links.json")
    );
    assert!(message.starts_with(beginning), "{message}");
}

/// The findings of `check --links` on the cache.
fn on_the_cache(site: &Path) -> Vec<(String, String, String)> {
    let found = check_links(site, &[]);
    found
        .into_iter()
        .filter(|(_, place, _)| place.starts_with(".annals"))
        .collect()
}

/// A site with no external link.
fn plain_site(dir: &Path) {
    let files = [
        (
            "annals.yaml",
            "title: Links\nbase_url: https://example.org/\n",
        ),
        (
            "content/people/ada.md",
            "---\nname: Ada Example\n---\nAda.\n",
        ),
    ];
    for (path, text) in files {
        let path = dir.join(path);
        std::fs::create_dir_all(path.parent().expect("a parent")).expect("create folders");
        std::fs::write(path, text).expect("write the site");
    }
}

#[test]
fn the_link_check_shows_its_progress_on_a_terminal_only() {
    let server = Server::start();
    let dir = crate::process::scratch_dir();
    let site = dir.path();
    plain_site(site);
    let links = [
        server.url("/ok"),
        server.url("/temporary"),
        server.url("/gone"),
    ];
    let person = format!(
        "---\nname: Ada Example\nlinks: [{}]\n---\nAda.\n",
        links.join(", ")
    );
    std::fs::write(site.join("content/people/ada.md"), person).expect("write a person");
    let mut args = vec![
        "check",
        "--root",
        path_str(site),
        "--links",
        "--links-max-age",
        "0",
    ];
    args.extend_from_slice(&QUICK);
    let loopback = [("NO_PROXY", "127.0.0.1"), ("no_proxy", "127.0.0.1")];
    let (_, text) = crate::progress::on_a_terminal(&args, &loopback);
    assert!(text.contains("checking links ["), "{text}");
    let report = crate::progress::after_clearing(&text);
    assert!(
        report.contains("links: 3 URLs on 1 host") && !report.contains("checking links"),
        "the report follows, whole: {report:?}"
    );

    let piped = check(site, &args[3..]);
    let stderr = String::from_utf8_lossy(&piped.stderr);
    assert!(
        !stderr.contains("checking links") && !stderr.contains('\x1b'),
        "{stderr}"
    );
    assert!(stderr.contains("links: 3 URLs on 1 host"), "{stderr}");
}

#[test]
fn a_cache_that_cannot_be_read_or_written_is_reported() {
    let dir = crate::process::scratch_dir();
    let site = dir.path();
    plain_site(site);
    let cache = site.join(".annals/links.json");

    // Unreadable: a warning, and the file rewritten.
    std::fs::create_dir_all(site.join(".annals")).expect("create .annals");
    std::fs::write(&cache, "{ half a cache").expect("write a broken cache");
    one_cache_warning(site, "the link cache could not be used (");
    let rewritten = std::fs::read_to_string(&cache).expect("the cache");
    assert_eq!(rewritten, "{\n  \"version\": 1,\n  \"links\": {}\n}\n");
    assert_eq!(on_the_cache(site), [], "read back");

    // Unwritable (a file where its folder goes): a warning, as the
    // findings stand; never silence.
    std::fs::remove_dir_all(site.join(".annals")).expect("remove .annals");
    std::fs::write(site.join(".annals"), "in the way").expect("write a file");
    one_cache_warning(site, "could not write the link cache");
    let unwritable = check(site, &["--links"]);
    assert!(unwritable.status.success(), "{unwritable:?}");

    // A link in its place would write outside the site.
    #[cfg(unix)]
    {
        let elsewhere = crate::process::scratch_dir();
        std::fs::remove_file(site.join(".annals")).expect("remove the file");
        std::os::unix::fs::symlink(elsewhere.path(), site.join(".annals")).expect("symlink");
        let found = on_the_cache(site);
        assert!(
            found
                .iter()
                .any(|(severity, _, message)| severity == "warning"
                    && message.contains("is a symbolic link")),
            "{found:?}"
        );
        assert!(!elsewhere.path().join("links.json").exists());
    }
}

#[test]
fn init_ignores_the_link_cache_and_builds_leave_it_out() {
    let dir = crate::process::scratch_dir();
    let site = dir.path().join("new-site");
    std::fs::create_dir_all(&site).expect("create the site folder");
    std::fs::write(site.join(".gitignore"), "/public").expect("a .gitignore of one's own");
    let init = Command::new(env!("CARGO_BIN_EXE_annals"))
        .args(["init", path_str(&site)])
        .output()
        .expect("run annals init");
    assert!(init.status.success(), "{init:?}");
    let ignore = std::fs::read_to_string(site.join(".gitignore")).expect(".gitignore");
    assert!(ignore.starts_with("/public\n"), "kept: {ignore}");
    assert!(ignore.lines().any(|line| line == "/.annals/"), "{ignore}");
    assert!(
        ignore.lines().any(|line| line == ".*.annals-*"),
        "the lock and staging a build keeps beside its output: {ignore}"
    );
    assert_eq!(
        ignore
            .lines()
            .filter(|line| *line == "/public/" || *line == "/public")
            .count(),
        1,
        "the output, once: {ignore}"
    );

    // The cache is no part of the site: the build neither reads nor copies it.
    std::fs::create_dir_all(site.join(".annals")).expect("create .annals");
    std::fs::write(site.join(".annals/links.json"), "not even JSON").expect("a cache");
    let output = dir.path().join("out");
    let build = Command::new(env!("CARGO_BIN_EXE_annals"))
        .args([
            "build",
            "--root",
            path_str(&site),
            "--output",
            path_str(&output),
        ])
        .output()
        .expect("run annals build");
    assert!(build.status.success(), "{build:?}");
    let copied = walkdir::WalkDir::new(&output)
        .into_iter()
        .filter_map(Result::ok)
        .any(|entry| entry.file_name() == "links.json" || entry.file_name() == ".annals");
    assert!(!copied);
}
