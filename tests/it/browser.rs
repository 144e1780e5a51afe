//! Live preview in a real headless Chromium, driven over WebDriver by
//! chromedriver (`apt-get install chromium chromium-driver`; `.ci/run` does).

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::json;

use crate::process::{edit, fixture_copy, serve};

const NEEDS: &str = "needs chromium and chromedriver (Debian packages); .ci/run installs them";

/// A port on localhost nothing listens on yet.
fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("free port")
        .port()
}

/// Waits until `what` accepts connections on `port`.
fn wait_for_port(port: u16, what: &str) {
    let deadline = Instant::now() + Duration::from_secs(20);
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(Instant::now() < deadline, "{what} did not start");
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// chromedriver on a free port, stopped (with its browsers) when dropped.
struct Driver {
    process: Child,
    url: String,
    /// Each browser's profile directory, by which its processes are found.
    profiles: std::sync::Mutex<Vec<PathBuf>>,
}

impl Driver {
    fn start() -> Driver {
        let port = free_port();
        let process = Command::new("chromedriver")
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver is installed");
        wait_for_port(port, "chromedriver");
        Driver {
            process,
            url: format!("http://127.0.0.1:{port}"),
            profiles: Default::default(),
        }
    }

    async fn browser(&self, profile: &Path) -> Client {
        let args = [
            "--headless=new",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--hide-scrollbars",
            "--window-size=1280,900",
        ];
        let mut arguments: Vec<String> = args.iter().map(|a| (*a).to_owned()).collect();
        arguments.push(format!("--user-data-dir={}", profile.display()));
        self.profiles
            .lock()
            .expect("profiles")
            .push(profile.to_path_buf());
        let mut capabilities = serde_json::Map::new();
        capabilities.insert(
            "goog:chromeOptions".into(),
            json!({ "binary": "/usr/bin/chromium", "args": arguments }),
        );
        let connector = hyper_util::client::legacy::connect::HttpConnector::new();
        ClientBuilder::new(connector)
            .capabilities(capabilities)
            .connect(&self.url)
            .await
            .expect("a browser session")
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.process.kill();
        let _ = self.process.wait();
        // A failed test never reaches `close`; its browser must not outlive it.
        for profile in self.profiles.lock().map(|p| p.clone()).unwrap_or_default() {
            let pattern = format!("user-data-dir={}", profile.display());
            let _ = Command::new("pkill").args(["-f", &pattern]).status();
        }
    }
}

/// Polls `check` until it returns `Some`, or fails after `timeout`.
async fn eventually<T>(
    what: &str,
    timeout: Duration,
    mut check: impl AsyncFnMut() -> Option<T>,
) -> T {
    let deadline = Instant::now() + timeout;
    loop {
        if let Some(value) = check().await {
            return value;
        }
        assert!(Instant::now() < deadline, "{what}: not within {timeout:?}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Saves what the browser shows as `target/screenshots/<name>.png`, for
/// people to look at (no test compares them).
async fn keep_screenshot(browser: &Client, name: &str) {
    let shots = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/screenshots");
    std::fs::create_dir_all(&shots).expect("screenshot directory");
    let png = browser.screenshot().await.expect("screenshot");
    std::fs::write(shots.join(format!("{name}.png")), png).expect("save screenshot");
}

async fn text_of(browser: &Client, css: &str) -> Option<String> {
    browser
        .find(Locator::Css(css))
        .await
        .ok()?
        .text()
        .await
        .ok()
}

/// Rules a site's stylesheet may have, added to the example site's: an
/// overlay they could reach would take them. The example's own `pre` colours
/// made the overlay's text #fafafa on #f3efe4 in the light theme (1.1:1);
/// these are as bad in both themes, and reach for every element and every
/// `div` (the overlay's host), over any inline style.
const HOSTILE_CSS: &str = "
pre, code { color: #fafafa; background: #f3efe4; }
strong { color: #f3efe4; }
@media (prefers-color-scheme: dark) {
  pre, code, strong { color: #1f1e1b; background: #151513; }
}
* { font: 40px/1 serif !important; white-space: nowrap !important; }
div { all: unset !important; }
";

/// The error overlay's text, read through its shadow root, or `None` while
/// no overlay shows.
async fn overlay_text(browser: &Client) -> Option<String> {
    let script = "const root = document.getElementById('annals-error-overlay')?.shadowRoot;
        return root ? [...root.children].filter(e => e.localName !== 'style')
            .map(e => e.innerText).join('\\n') : null;";
    let text = browser.execute(script, vec![]).await.ok()?;
    text.as_str().map(str::to_owned)
}

/// For every element of the overlay that holds text: its WCAG 2 contrast
/// ratio against the background painted beneath it, which must be the
/// overlay's own (a background that lets the page show through would make
/// the contrast depend on the site). Also whether the overlay is what shows
/// at the middle of the window, and which colour scheme the page sees.
const OVERLAY_CONTRAST: &str = r#"
const host = document.getElementById('annals-error-overlay');
const root = host && host.shadowRoot;
if (!root) throw new Error('no error overlay with a shadow root');
const rgba = (css) => {
  const m = css.match(/^rgba?\(([\d.]+), ([\d.]+), ([\d.]+)(?:, ([\d.]+))?\)$/);
  if (!m) throw new Error('not an sRGB colour: ' + css);
  return [+m[1], +m[2], +m[3], m[4] === undefined ? 1 : +m[4]];
};
const over = (top, under) => [0, 1, 2].map(i => top[i] * top[3] + under[i] * (1 - top[3])).concat(1);
const luminance = (c) => {
  const [r, g, b] = c.slice(0, 3).map(v => v / 255)
    .map(v => v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4);
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
};
const background = (element) => {
  const layers = [];
  for (let node = element; ; node = node.parentElement || node.getRootNode().host) {
    const layer = rgba(getComputedStyle(node).backgroundColor);
    layers.push(layer);
    if (layer[3] === 1) break;
    if (node === host) throw new Error('the overlay lets the page show through ' + element.localName);
  }
  return layers.reverse().reduce((under, top) => over(top, under));
};
const texts = [...root.querySelectorAll('*')]
  .filter(e => [...e.childNodes].some(n => n.nodeType === Node.TEXT_NODE && n.data.trim()))
  .filter(e => e.localName !== 'style')
  .map(e => {
    const style = getComputedStyle(e);
    const back = background(e);
    const fore = over(rgba(style.color), back);
    const [light, dark] = [luminance(fore), luminance(back)].sort((a, b) => b - a);
    return { element: e.localName, color: style.color, background: 'rgb(' + back.slice(0, 3).join(', ') + ')',
             ratio: (light + 0.05) / (dark + 0.05) };
  });
const middle = document.elementFromPoint(innerWidth / 2, innerHeight / 2);
return { texts, covers: middle === host, dark: matchMedia('(prefers-color-scheme: dark)').matches };
"#;

/// A Chrome DevTools Protocol command, sent through chromedriver's own
/// endpoint for them: WebDriver has no way to emulate a colour scheme.
#[derive(Debug)]
struct DevTools {
    method: &'static str,
    params: serde_json::Value,
}

impl fantoccini::wd::WebDriverCompatibleCommand for DevTools {
    fn endpoint(
        &self,
        base: &url::Url,
        session: Option<&str>,
    ) -> Result<url::Url, url::ParseError> {
        base.join(&format!(
            "session/{}/goog/cdp/execute",
            session.unwrap_or_default()
        ))
    }

    // fantoccini takes the `http` crate's Method, which axum re-exports.
    fn method_and_body(&self, _: &url::Url) -> (axum::http::Method, Option<String>) {
        let body = json!({ "cmd": self.method, "params": self.params });
        (axum::http::Method::POST, Some(body.to_string()))
    }
}

/// Makes the browser's pages see `scheme` (`light` or `dark`) as the
/// reader's preferred colour scheme.
async fn emulate_colour_scheme(browser: &Client, scheme: &str) {
    browser
        .issue_cmd(DevTools {
            method: "Emulation.setEmulatedMedia",
            params: json!({ "features": [{ "name": "prefers-color-scheme", "value": scheme }] }),
        })
        .await
        .expect("emulate a colour scheme");
}

/// Checks that every text of the overlay reads at WCAG AA contrast (4.5:1)
/// and that the overlay covers the page, with the page in `scheme`; keeps a
/// screenshot, and returns the ratios measured.
async fn assert_overlay_readable(browser: &Client, scheme: &str) -> Vec<(String, f64)> {
    emulate_colour_scheme(browser, scheme).await;
    let found = browser
        .execute(OVERLAY_CONTRAST, vec![])
        .await
        .expect("measure the overlay");
    assert_eq!(
        found["dark"],
        json!(scheme == "dark"),
        "the page sees {scheme}: {found}"
    );
    assert_eq!(
        found["covers"],
        json!(true),
        "the overlay is on top in {scheme}: {found}"
    );
    let texts = found["texts"].as_array().expect("texts measured");
    assert!(
        texts.iter().any(|t| t["element"] == "pre"),
        "the report's pre is measured: {found}"
    );
    keep_screenshot(browser, &format!("overlay-{scheme}")).await;
    texts
        .iter()
        .map(|t| {
            let ratio = t["ratio"].as_f64().expect("a ratio");
            assert!(
                ratio >= 4.5,
                "{scheme}: contrast {ratio:.2}:1 is below 4.5:1: {t}"
            );
            (t["element"].as_str().unwrap_or_default().to_owned(), ratio)
        })
        .collect()
}

#[tokio::test]
#[ignore = "needs chromium and chromedriver (Debian packages); .ci/run installs them"]
async fn an_edit_on_disk_shows_in_the_open_page_and_errors_in_an_overlay_readable_on_any_site() {
    let site = fixture_copy("live");
    let repo_css = Path::new(env!("CARGO_MANIFEST_DIR")).join("static/style.css");
    let css = std::fs::read_to_string(repo_css).expect("the example stylesheet") + HOSTILE_CSS;
    std::fs::write(site.path().join("static/style.css"), css).expect("a hostile stylesheet");
    let (_server, url) = serve(site.path(), &site.path().join("served"));
    let driver = Driver::start();
    let browser = driver.browser(&site.path().join("profile")).await;
    browser
        .goto(&format!("{url}articles/first/"))
        .await
        .expect("open the article");
    assert_eq!(
        text_of(&browser, "h1").await.as_deref(),
        Some("First article"),
        "{NEEDS}"
    );
    let article = site.path().join("content/articles/2021-05-16-first.md");

    // 1. A new title on disk shows without the test navigating.
    edit(&article, "title: First article", "title: Edited on disk");
    eventually("the new title", Duration::from_secs(2), async || {
        text_of(&browser, "h1")
            .await
            .filter(|t| t == "Edited on disk")
    })
    .await;

    // 2. Broken YAML: an overlay names the file and line, says what is
    // wrong and what to do, readable whatever the site's styles.
    edit(&article, "title: Edited on disk", "title: \"unclosed");
    let overlay = eventually("the error overlay", Duration::from_secs(2), async || {
        overlay_text(&browser).await
    })
    .await;
    // The quote is named where it opens, not where YAML gave up.
    for part in [
        "content/articles/2021-05-16-first.md:2:8",
        "invalid front matter",
        "help: end the text with the same quote mark on this line",
    ] {
        assert!(overlay.contains(part), "{part:?} in {overlay}");
    }
    for scheme in ["light", "dark"] {
        for (element, ratio) in assert_overlay_readable(&browser, scheme).await {
            eprintln!("overlay contrast, {scheme}, {element}: {ratio:.2}:1");
        }
    }

    // 3. The fix removes the overlay.
    edit(&article, "title: \"unclosed", "title: Fixed title");
    eventually(
        "the fixed page without overlay",
        Duration::from_secs(2),
        async || {
            let overlay_gone = overlay_text(&browser).await.is_none();
            text_of(&browser, "h1")
                .await
                .filter(|t| overlay_gone && t == "Fixed title")
        },
    )
    .await;
    browser.close().await.expect("close the browser");
}

#[tokio::test]
#[ignore = "needs chromium and chromedriver (Debian packages); .ci/run installs them"]
async fn a_stylesheet_change_is_swapped_without_reloading_the_page() {
    let site = fixture_copy("live");
    let (_server, url) = serve(site.path(), &site.path().join("served"));
    let driver = Driver::start();
    let browser = driver.browser(&site.path().join("profile")).await;
    browser.goto(&url).await.expect("open home");
    // A reload would clear this marker.
    browser
        .execute("window.annalsMarker = 42;", vec![])
        .await
        .expect("set marker");
    std::fs::write(
        site.path().join("static/style.css"),
        "body { color: rgb(200, 0, 0); }\n",
    )
    .expect("css");
    let color_script = "return getComputedStyle(document.body).color";
    eventually("the new colour", Duration::from_secs(2), async || {
        let color = browser.execute(color_script, vec![]).await.ok()?;
        (color == json!("rgb(200, 0, 0)")).then_some(())
    })
    .await;
    let marker = browser
        .execute("return window.annalsMarker ?? null;", vec![])
        .await
        .expect("read marker");
    assert_eq!(marker, json!(42), "the page was not reloaded");
    browser.close().await.expect("close the browser");
}

/// The repository's own example site, built and served from a copy.
fn example_site() -> tempfile::TempDir {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let copy = tempfile::tempdir().expect("temporary directory");
    for part in ["annals.yaml", "content", "templates", "static"] {
        let status = Command::new("cp")
            .arg("-r")
            .arg(repo.join(part))
            .arg(copy.path())
            .status()
            .expect("cp");
        assert!(status.success(), "copy {part}");
    }
    copy
}

#[tokio::test]
#[ignore = "needs chromium and chromedriver (Debian packages); .ci/run installs them"]
async fn example_pages_fit_a_phone_and_screenshots_are_kept() {
    let site = example_site();
    let (_server, url) = serve(site.path(), &site.path().join("served"));
    let person = first_link(&site.path().join("served/people/index.html"), "/people/");
    let article = first_link(&site.path().join("served/index.html"), "/articles/");
    let pages = [
        ("home", url.clone()),
        ("article", article),
        ("person", person),
        ("timeline", format!("{url}timeline/")),
        ("year", format!("{url}timeline/2021/")),
        ("sources", format!("{url}sources/")),
        ("search", format!("{url}search/?q=ceasefire")),
        ("corrections", format!("{url}corrections/")),
        ("relayed", format!("{url}people/white-house/")),
        ("methodology", format!("{url}methodology/")),
    ];
    let driver = Driver::start();
    let browser = driver.browser(&site.path().join("profile")).await;
    for window in WINDOWS {
        let phone = size_window(&browser, window).await;
        let label = if phone { "phone" } else { "desktop" };
        for (name, page) in &pages {
            let page = if page.starts_with("http") {
                page.clone()
            } else {
                format!("{}{page}", url.trim_end_matches('/'))
            };
            browser.goto(&page).await.expect("open page");
            keep_screenshot(&browser, &format!("{name}-{label}")).await;
            if phone {
                assert_fits_a_phone(&browser, &page).await;
            }
        }
    }
    browser.close().await.expect("close the browser");
}

/// The windows pages are looked at in, (width, height) in CSS pixels: a
/// desktop's, then a phone's.
const WINDOWS: [(u32, u32); 2] = [(1280, 900), (375, 812)];

/// Sizes the browser's window; whether it is a phone's.
async fn size_window(browser: &Client, (width, height): (u32, u32)) -> bool {
    browser
        .set_window_size(width, height)
        .await
        .expect("resize");
    width <= 400
}

/// Checks that the open page, in a phone-sized window, does not scroll
/// sideways: nothing is wider than the screen.
async fn assert_fits_a_phone(browser: &Client, page: &str) {
    let sizes = browser
        .execute(
            "return [document.documentElement.scrollWidth, window.innerWidth];",
            vec![],
        )
        .await
        .expect("measure");
    let (scroll, inner) = (sizes[0].as_u64(), sizes[1].as_u64());
    assert!(scroll <= inner, "{page} scrolls sideways: {sizes}");
    assert!(
        inner.is_some_and(|w| w <= 400),
        "the viewport is phone-sized: {sizes}"
    );
}

/// The first link on a built page to a page below `prefix` (e.g. a person
/// under `/people/`), as a path.
fn first_link(page: &Path, prefix: &str) -> String {
    let html = std::fs::read_to_string(page).expect("built page");
    html.split("href=\"")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .find(|href| href.starts_with(prefix) && href.len() > prefix.len())
        .unwrap_or_else(|| panic!("no link below {prefix} in {}", page.display()))
        .to_owned()
}

/// A plain static file server (Python's), as a host without annals would
/// serve the built site; stopped when dropped.
struct StaticHost(Child);

/// A Python static server that, as Apache does with `AddEncoding gzip .gz`,
/// sends a `.gz` file with `Content-Encoding: gzip`, so that the browser
/// hands the page what the file holds once decompressed.
const CONTENT_ENCODING_HOST: &str = r#"
import functools, http.server, sys
class Handler(http.server.SimpleHTTPRequestHandler):
    def end_headers(self):
        if self.path.endswith(".gz"):
            self.send_header("Content-Encoding", "gzip")
        super().end_headers()
    def log_message(self, *args):
        pass
handler = functools.partial(Handler, directory=sys.argv[2])
http.server.ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), handler).serve_forever()
"#;

impl StaticHost {
    fn start(directory: &Path, port: u16) -> StaticHost {
        let mut command = Command::new("python3");
        command.args([
            "-m",
            "http.server",
            &port.to_string(),
            "--bind",
            "127.0.0.1",
            "--directory",
        ]);
        Self::spawn(command.arg(directory), port)
    }

    /// As [`StaticHost::start`], with `.gz` files content-encoded.
    fn start_content_encoded(directory: &Path, port: u16) -> StaticHost {
        let mut command = Command::new("python3");
        command.args(["-c", CONTENT_ENCODING_HOST, &port.to_string()]);
        Self::spawn(command.arg(directory), port)
    }

    fn spawn(command: &mut Command, port: u16) -> StaticHost {
        let child = (command.stdout(Stdio::null()).stderr(Stdio::null()))
            .spawn()
            .expect("python3 is installed");
        wait_for_port(port, "the static server");
        StaticHost(child)
    }
}

impl Drop for StaticHost {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Sets a form field as a person would, with the `input` event it fires
/// (WebDriver's clicks on `<option>` and date fields do not).
async fn set_field(browser: &Client, css: &str, value: &str) {
    let element = browser.find(Locator::Css(css)).await.expect(css);
    browser
        .execute(
            "arguments[0].value = arguments[1]; arguments[0].dispatchEvent(new Event('input', {bubbles: true}));",
            vec![serde_json::to_value(&element).expect("element"), json!(value)],
        )
        .await
        .expect("set the field");
}

/// Opens the search's filters, as a reader does to choose one, and waits
/// for their options, which the page reads then.
async fn open_filters(browser: &Client) {
    let _: bool = page_value(
        browser,
        "return document.getElementById('search-options').open = true;",
    )
    .await;
    eventually(
        "the filters' options",
        Duration::from_secs(10),
        async || {
            let count: usize = page_value(
                browser,
                "return document.querySelectorAll('#search-person option').length;",
            )
            .await;
            (count > 1).then_some(())
        },
    )
    .await;
}

/// Chooses `value` in the filter `css`, its options read first.
async fn choose(browser: &Client, css: &str, value: &str) {
    open_filters(browser).await;
    set_field(browser, css, value).await;
}

async fn results(browser: &Client) -> Vec<String> {
    let mut texts = Vec::new();
    for item in browser
        .find_all(Locator::Css("#search-results li"))
        .await
        .unwrap_or_default()
    {
        texts.push(item.text().await.unwrap_or_default());
    }
    texts
}

async fn results_where(
    browser: &Client,
    what: &str,
    accept: impl Fn(&[String]) -> bool,
) -> Vec<String> {
    eventually(what, Duration::from_secs(10), async || {
        let found = results(browser).await;
        accept(&found).then_some(found)
    })
    .await
}

/// Follows the first search result, and waits for the page at a path
/// holding `path` to open: its URL.
async fn follow_first_result(browser: &Client, path: &str) -> url::Url {
    browser
        .find(Locator::Css("#search-results li a"))
        .await
        .expect("a result link")
        .click()
        .await
        .expect("follow the result");
    eventually("the result opens", Duration::from_secs(10), async || {
        let url = browser.current_url().await.ok()?;
        url.path().contains(path).then_some(url)
    })
    .await
}

/// The site in `site` hosted as [`hosted`] does, and a browser on its
/// search page: the site, the host, the driver and the browser.
async fn on_search_page(
    site: tempfile::TempDir,
) -> (tempfile::TempDir, StaticHost, Driver, Client) {
    let (site, host, base) = hosted(site);
    let driver = Driver::start();
    let browser = driver.browser(&site.path().join("profile")).await;
    browser
        .goto(&format!("{base}search/"))
        .await
        .expect("open the search page");
    (site, host, driver, browser)
}

/// The site in `site` built for, and served by a plain static host at,
/// `http://127.0.0.1:<port>/archive/`: the site, the host and that address.
fn hosted(site: tempfile::TempDir) -> (tempfile::TempDir, StaticHost, String) {
    hosted_by(site, StaticHost::start)
}

/// As [`hosted`], by the host `start` starts.
fn hosted_by(
    site: tempfile::TempDir,
    start: fn(&Path, u16) -> StaticHost,
) -> (tempfile::TempDir, StaticHost, String) {
    let port = free_port();
    let host = site.path().join("www");
    let base = format!("http://127.0.0.1:{port}/archive/");
    let built = Command::new(env!("CARGO_BIN_EXE_annals"))
        .args(["build", "--base-url", &base, "--root"])
        .arg(site.path())
        .arg("--output")
        .arg(host.join("archive"))
        .status()
        .expect("run annals build");
    assert!(built.success());
    let served = start(&host, port);
    (site, served, base)
}

#[tokio::test]
#[ignore = "needs chromium and chromedriver (Debian packages); .ci/run installs them"]
async fn a_date_range_finds_the_statements_whose_month_or_year_it_overlaps() {
    let (_site, _host, _driver, browser) = on_search_page(fixture_copy("record")).await;
    set_field(&browser, "#search-from", "2021-05-10").await;
    set_field(&browser, "#search-to", "2021-05-12").await;
    let found = results_where(&browser, "the statements of May 2021 and of 2021", |r| {
        r.len() == 2
    })
    .await;
    assert!(
        found.iter().any(|t| t.contains("some time in May")),
        "{found:?}"
    );
    assert!(
        found.iter().any(|t| t.contains("during the year")),
        "{found:?}"
    );
    set_field(&browser, "#search-from", "2021-06-01").await;
    set_field(&browser, "#search-to", "").await;
    let found = results_where(&browser, "only the year overlaps June", |r| r.len() == 1).await;
    assert!(found[0].contains("during the year"), "{found:?}");
    browser.close().await.expect("close the browser");
}

#[tokio::test]
#[ignore = "needs chromium and chromedriver (Debian packages); .ci/run installs them"]
async fn search_finds_statements_by_words_person_and_date_under_a_sub_path() {
    let (_site, _host, _driver, browser) = on_search_page(fixture_copy("site")).await;
    let words = browser
        .find(Locator::Css("#search-q"))
        .await
        .expect("the search field");
    words.send_keys("fighti").await.expect("type");
    let found = results_where(&browser, "a quote found by a word prefix", |r| {
        r.iter().any(|t| t.contains("Fighting must stop"))
    })
    .await;
    assert!(found.iter().all(|t| !t.contains("Said talks")), "{found:?}");
    // A search of words reads no filter's options.
    let fetched: Vec<String> = page_value(
        &browser,
        "return performance.getEntriesByType('resource').map((r) => r.name);",
    )
    .await;
    assert!(
        fetched.iter().any(|f| f.ends_with("/index.json")),
        "{fetched:?}"
    );
    assert!(
        !fetched.iter().any(|f| f.ends_with("/filters.json.gz")),
        "{fetched:?}"
    );

    words.clear().await.expect("clear");
    words.send_keys("القتال").await.expect("type Arabic");
    results_where(&browser, "an Arabic quote found", |r| {
        r.len() == 1 && r[0].contains("مريم الحسن")
    })
    .await;

    words.clear().await.expect("clear");
    choose(&browser, "#search-person", "antonio").await;
    let his = results_where(&browser, "all of António's statements", |r| r.len() == 2).await;
    assert!(
        his.iter().all(|t| t.contains("António Guterres")),
        "{his:?}"
    );

    set_field(&browser, "#search-from", "2021-05-17").await;
    let later = results_where(&browser, "only the later statement", |r| r.len() == 1).await;
    assert!(later[0].contains("Said talks would continue"), "{later:?}");

    let url = follow_first_result(&browser, "/articles/").await;
    assert!(url.path().starts_with("/archive/articles/second/"), "{url}");
    assert!(
        url.fragment().is_some_and(|f| f.starts_with("antonio-")),
        "{url}"
    );
    browser.close().await.expect("close the browser");
}

#[tokio::test]
#[ignore = "needs chromium and chromedriver (Debian packages); .ci/run installs them"]
async fn search_reads_its_gzipped_index_from_a_host_that_sends_it_content_encoded() {
    let (site, _host, base) = hosted_by(fixture_copy("site"), StaticHost::start_content_encoded);
    let driver = Driver::start();
    let browser = driver.browser(&site.path().join("profile")).await;
    (browser
        .goto(&format!("{base}search/?q=fighting&person=antonio"))
        .await)
        .expect("open the search page");
    let found = results_where(&browser, "a quote found by word and person", |r| {
        r.len() == 1
    })
    .await;
    assert!(found[0].contains("Fighting must stop"), "{found:?}");
    browser.close().await.expect("close the browser");
}

#[tokio::test]
#[ignore = "needs chromium and chromedriver (Debian packages); .ci/run installs them"]
async fn a_search_whose_index_file_is_missing_says_so_rather_than_nothing_found() {
    // As after an upload cut short: the chunk of words starting "fi" is
    // gone from the host.
    let (site, _host, base) = hosted(fixture_copy("site"));
    let chunk = site.path().join("www/archive/search-index/w/fi.json.gz");
    std::fs::remove_file(&chunk).expect("the chunk of \"fighting\"");
    let driver = Driver::start();
    let browser = driver.browser(&site.path().join("profile")).await;
    (browser.goto(&format!("{base}search/?q=fighting")).await).expect("open the search page");
    let said = "The search index could not be loaded.";
    eventually(
        "the search says the index failed",
        Duration::from_secs(10),
        async || (text_of(&browser, "#search-status").await? == said).then_some(()),
    )
    .await;
    set_field(&browser, "#search-q", "talks").await;
    results_where(&browser, "the rest of the index still found", |r| {
        !r.is_empty()
    })
    .await;
    // A chunk of records gone: the words find ids, whose results cannot be
    // shown. A new profile, so that the chunk the search above read is not
    // in the browser's cache.
    browser.close().await.expect("close the browser");
    let records = site.path().join("www/archive/search-index/r/0.json.gz");
    std::fs::remove_file(&records).expect("the first chunk of records");
    let browser = driver.browser(&site.path().join("profile-2")).await;
    (browser.goto(&format!("{base}search/?q=talks")).await).expect("open the search page");
    eventually("no results, and why", Duration::from_secs(10), async || {
        (text_of(&browser, "#search-status").await? == said).then_some(())
    })
    .await;
    assert!(results(&browser).await.is_empty());
    browser.close().await.expect("close the browser");
}

/// The gzipped JSON of a search index file.
fn read_gzipped(path: &Path) -> serde_json::Value {
    let file = std::fs::File::open(path).expect("an index file");
    serde_json::from_reader(flate2::read::GzDecoder::new(file)).expect("gzipped JSON")
}

fn write_gzipped(path: &Path, value: &serde_json::Value) {
    use std::io::Write;
    let file = std::fs::File::create(path).expect("write an index file");
    let mut gz = flate2::write::GzEncoder::new(file, flate2::Compression::default());
    gz.write_all(value.to_string().as_bytes()).expect("gzip");
    gz.finish().expect("gzip");
}

/// A large archive's index splits a chunk of words by their next letter:
/// a word is looked up under the longest key that starts it, and the last
/// word typed matches as a prefix across its chunk and those split off
/// under it. The fixture's chunk `ta` split as a large one would be.
#[tokio::test]
#[ignore = "needs chromium and chromedriver (Debian packages); .ci/run installs them"]
async fn a_chunk_split_by_a_further_letter_is_found_by_its_longest_key() {
    let (site, _host, base) = hosted(fixture_copy("site"));
    let index = site.path().join("www/archive/search-index");
    let serde_json::Value::Object(words) = read_gzipped(&index.join("w/ta.json.gz")) else {
        panic!("a chunk is an object");
    };
    let (tal, ta): (serde_json::Map<_, _>, serde_json::Map<_, _>) = words
        .into_iter()
        .partition(|(word, _)| word.starts_with("tal"));
    assert!(tal.contains_key("talks"), "{tal:?}");
    write_gzipped(&index.join("w/tal.json.gz"), &tal.into());
    write_gzipped(&index.join("w/ta.json.gz"), &ta.into());
    let mut manifest: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(index.join("index.json")).expect("manifest"))
            .expect("JSON");
    manifest["keys"]
        .as_array_mut()
        .expect("keys")
        .push(json!("tal"));
    std::fs::write(index.join("index.json"), manifest.to_string()).expect("write the manifest");

    let driver = Driver::start();
    let browser = driver.browser(&site.path().join("profile")).await;
    (browser.goto(&format!("{base}search/")).await).expect("open the search page");
    for typed in ["talks", "tal", "ta"] {
        set_field(&browser, "#search-q", "").await;
        eventually("the results cleared", Duration::from_secs(10), async || {
            results(&browser).await.is_empty().then_some(())
        })
        .await;
        set_field(&browser, "#search-q", typed).await;
        let found = results_where(&browser, "the statements saying talks", |r| {
            r.iter().any(|t| t.to_lowercase().contains("talks"))
        })
        .await;
        assert!(!found.is_empty(), "{typed}");
    }
    browser.close().await.expect("close the browser");
}

#[tokio::test]
#[ignore = "needs chromium and chromedriver (Debian packages); .ci/run installs them"]
async fn search_lists_pages_after_dated_results_and_outside_date_filters() {
    let (_site, _host, _driver, browser) = on_search_page(fixture_copy("pages")).await;
    let words = browser
        .find(Locator::Css("#search-q"))
        .await
        .expect("the search field");
    // "record": Ada's quote (dated), and the methodology and about pages.
    words.send_keys("record").await.expect("type");
    let found = results_where(&browser, "a statement, then two pages", |r| r.len() == 3).await;
    assert!(found[0].contains("Ada Example"), "{found:?}");
    assert!(found[1].starts_with("Methodology"), "{found:?}");
    assert!(found[2].starts_with("About this record"), "{found:?}");
    let dates = browser
        .find_all(Locator::Css("#search-results li time"))
        .await
        .expect("dates");
    assert_eq!(dates.len(), 1, "pages show no date: {found:?}");

    set_field(&browser, "#search-from", "2020-01-01").await;
    let dated = results_where(&browser, "only the dated statement", |r| r.len() == 1).await;
    assert!(dated[0].contains("Ada Example"), "{dated:?}");
    set_field(&browser, "#search-from", "").await;
    set_field(&browser, "#search-to", "2030-12-31").await;
    results_where(&browser, "still only the dated statement", |r| r.len() == 1).await;
    set_field(&browser, "#search-to", "").await;

    words.clear().await.expect("clear");
    words.send_keys("verification").await.expect("type");
    results_where(&browser, "the methodology, by a word of its body", |r| {
        r.len() == 1 && r[0].starts_with("Methodology")
    })
    .await;
    let url = follow_first_result(&browser, "/methodology/").await;
    assert_eq!(url.path(), "/archive/methodology/", "{url}");
    browser.close().await.expect("close the browser");
}

/// A refresh drops the `#…` of the address it leaves; a statement's
/// permalink on a renamed article must still open at the statement, also on
/// a host without `_redirects` (the preview server has none).
#[tokio::test]
#[ignore = "needs chromium and chromedriver (Debian packages); .ci/run installs them"]
async fn an_old_address_with_a_statements_anchor_opens_the_new_page_at_the_statement() {
    let site = example_site();
    let (_server, url) = serve(site.path(), &site.path().join("served"));
    let driver = Driver::start();
    let browser = driver.browser(&site.path().join("profile")).await;
    let id = "white-house-2021-05-17-b319e528";
    browser
        .goto(&format!("{url}articles/biden-ceasefire/#{id}"))
        .await
        .expect("open the old address");
    let landed = eventually("sent on", Duration::from_secs(10), async || {
        let now = browser.current_url().await.ok()?;
        now.path()
            .ends_with("/articles/biden-backs-ceasefire/")
            .then_some(now)
    })
    .await;
    assert_eq!(landed.fragment(), Some(id), "{landed}");
    browser.close().await.expect("close the browser");
}

#[tokio::test]
#[ignore = "needs chromium and chromedriver (Debian packages); .ci/run installs them"]
async fn citations_open_without_script_and_get_a_copy_button_with_it() {
    let site = example_site();
    let (_server, url) = serve(site.path(), &site.path().join("served"));
    let driver = Driver::start();
    let browser = driver.browser(&site.path().join("profile")).await;
    browser
        .goto(&format!("{url}articles/biden-backs-ceasefire/"))
        .await
        .expect("open the article");
    let summary = browser
        .find(Locator::Css("details.cite summary"))
        .await
        .expect("a citation");
    summary.click().await.expect("open it");
    let copy = eventually("a copy button", Duration::from_secs(10), async || {
        browser
            .find(Locator::Css("details.cite[open] button.copy"))
            .await
            .ok()
    })
    .await;
    // Each button is named by its format: three would be three "Copy".
    let names: Vec<String> = page_value(
        &browser,
        "return [...document.querySelectorAll('details.cite[open] button.copy')]
           .map((b) => b.getAttribute('aria-label') ?? b.textContent);",
    )
    .await;
    assert_eq!(names, ["Copy Plain text", "Copy BibTeX", "Copy CSL-JSON"]);
    copy.click().await.expect("copy");
    let said = eventually(
        "the button says what happened",
        Duration::from_secs(10),
        async || {
            let text = copy.text().await.ok()?;
            (text != "Copy").then_some(text)
        },
    )
    .await;
    assert!(
        ["Copied", "Select and copy by hand"].contains(&said.as_str()),
        "{said}"
    );
    let text = text_of(&browser, "details.cite[open] .cite-text")
        .await
        .unwrap_or_default();
    assert!(text.contains("Recorded in"), "{text}");
    browser.close().await.expect("close the browser");
}

#[tokio::test]
#[ignore = "needs chromium and chromedriver (Debian packages); .ci/run installs them"]
async fn citations_come_as_bibtex_and_csl_json_made_from_the_pages_data() {
    let site = fixture_copy("site");
    let (_server, url) = serve(site.path(), &site.path().join("served"));
    let driver = Driver::start();
    let browser = driver.browser(&site.path().join("profile")).await;
    browser
        .goto(&format!("{url}articles/first/"))
        .await
        .expect("open the article");
    // [key, BibTeX, CSL-JSON] of each "Cite this", once cite.js has run.
    let script = "const all = [...document.querySelectorAll('details.cite')];
        return all.map(d => [d.dataset.cite,
            d.querySelector('.cite-bibtex')?.textContent ?? '',
            d.querySelector('.cite-csl')?.textContent ?? '']);";
    let cited: Vec<(String, String, String)> =
        eventually("BibTeX and CSL-JSON", Duration::from_secs(10), async || {
            let found = browser.execute(script, vec![]).await.ok()?;
            let found: Vec<(String, String, String)> = serde_json::from_value(found).ok()?;
            found.iter().all(|(_, b, _)| !b.is_empty()).then_some(found)
        })
        .await;
    assert_eq!(cited.len(), 3, "two statements and the article: {cited:?}");
    for (key, bibtex, csl) in &cited {
        let parsed =
            biblatex::Bibliography::parse(bibtex).unwrap_or_else(|e| panic!("{bibtex}\n{e:?}"));
        let entry = parsed.iter().next().expect("one entry");
        assert_eq!(parsed.len(), 1, "{bibtex}");
        let plain_key: String = key
            .chars()
            .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
            .collect();
        assert_eq!(entry.key, plain_key, "{bibtex}");
        let items: Vec<serde_json::Value> = serde_json::from_str(csl).expect("CSL-JSON");
        assert_eq!(items[0]["id"].as_str(), Some(key.as_str()), "{csl}");
    }
    // A statement's item, whole again: its source's fields and where it
    // was found, which the page says once.
    let (key, _, csl) = &cited[0];
    let items: Vec<serde_json::Value> = serde_json::from_str(csl).expect("CSL-JSON");
    assert_eq!(items[0]["publisher"], "Example <Wire>", "{csl}");
    assert_eq!(items[0]["URL"], "https://example.org/post?a=1&b=2", "{csl}");
    let note = items[0]["note"].as_str().unwrap_or_default();
    assert!(note.starts_with("Recorded in Site <fixture>"), "{note}");
    assert!(note.ends_with(&format!("/articles/first/#{key}")), "{note}");
    // The statement cited to a source whose title and address hold BibTeX's
    // special characters: escaped in values, verbatim in the url.
    let (_, post, _) = &cited[0];
    assert!(post.starts_with("@misc{"), "{post}");
    assert!(
        post.contains(r#"howpublished = {Example <Wire>, A post with "quotes" \& <tags>},"#),
        "{post}"
    );
    assert!(
        post.contains("url = {https://example.org/post?a=1&b=2},"),
        "{post}"
    );
    assert!(post.contains("date = {2021-05-16},"), "{post}");
    let (_, article, _) = &cited[2];
    assert!(article.starts_with("@online{first,"), "{article}");
    assert!(
        article.contains(r#"organization = {{Site <fixture> \& "friends"}},"#),
        "{article}"
    );
    browser.close().await.expect("close the browser");
}

/// axe-core's browser script, which `.ci/run` installs with
/// `npm install --no-save axe-core@4` under `target/node`.
fn axe_script() -> String {
    let path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("target/node/node_modules/axe-core/axe.min.js");
    std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "axe-core is missing at {} ({e}): run `npm install --no-save --prefix target/node axe-core@4` (.ci/run does)",
            path.display()
        )
    })
}

/// axe-core's violations on the open page, one line per rule and element.
async fn axe_violations(browser: &Client, axe: &str) -> Vec<String> {
    browser
        .execute(&format!("{axe}\nreturn true;"), vec![])
        .await
        .expect("load axe-core");
    let found = browser
        .execute_async(
            "const done = arguments[arguments.length - 1];
             axe.run(document, { resultTypes: ['violations'] })
               .then(r => done(r.violations.flatMap(v => v.nodes.map(n =>
                 `${v.id} (${v.impact}): ${n.target.join(' ')}: ${n.failureSummary.replace(/\\s+/g, ' ')}`))))
               .catch(e => done([`axe failed: ${e}`]));",
            vec![],
        )
        .await
        .expect("run axe-core");
    serde_json::from_value(found).expect("a list of violations")
}

/// How many results are listed, counted in the page (one call, however
/// many there are).
async fn listed(browser: &Client) -> usize {
    let script = "return document.querySelectorAll('#search-results li').length;";
    let count = browser
        .execute(script, vec![])
        .await
        .expect("count the results");
    count
        .as_u64()
        .and_then(|n| usize::try_from(n).ok())
        .unwrap_or(0)
}

/// A site of `count` articles, one a day from 1 January 2020, each with a
/// statement said that day: enough records for several chunks of the
/// search index and several pages of results. Article `n`'s publisher,
/// topic, place, kind of source and the kind of its statement follow `n`
/// as [`Day`] says.
fn many_articles(count: usize) -> tempfile::TempDir {
    let mut files = vec![(
        "content/people/ada.md".to_owned(),
        "---\nname: Ada\n---\n".to_owned(),
    )];
    for n in 0..count {
        let d = Day::of(n);
        let text = format!(
            "---\ntitle: Talks day {n}\ndate: {day}\ntopics: [{topic}]\nplaces: [{place}]\nsources:\n  - id: s\n    publisher: {publisher}\n    kind: {source}\nstatements:\n  - person: ada\n    date: {day}\n    {kind}: \"Talks go on, day {n}.\"\n    source: s\n---\nTalks went on.\n",
            day = d.day,
            topic = d.topic,
            place = d.place,
            publisher = d.publisher,
            source = d.source,
            kind = d.kind,
        );
        files.push((format!("content/articles/{}-day-{n}.md", d.day), text));
    }
    site_of("Many", &files)
}

/// What article `n` of [`many_articles`] is about and cites.
#[derive(Clone, Copy)]
struct Day {
    day: jiff::civil::Date,
    publisher: &'static str,
    topic: &'static str,
    place: &'static str,
    /// Of its source.
    source: &'static str,
    /// Of its statement.
    kind: &'static str,
}

impl Day {
    fn of(n: usize) -> Day {
        let day = jiff::civil::date(2020, 1, 1)
            .checked_add(jiff::Span::new().days(n as i64))
            .expect("a day");
        Day {
            day,
            publisher: ["Wire", "Post"][n % 2],
            topic: ["Ceasefire", "Aid", "Aid", "Aid"][n % 4],
            place: ["Gaza", "Kyiv", "Kyiv"][n % 3],
            source: ["official", "news", "social", "report", "news"][n % 5],
            kind: ["quote", "paraphrase", "paraphrase"][n % 3],
        }
    }
}

/// A site titled `title` with `files` (paths from the site root, texts).
fn site_of(title: &str, files: &[(String, String)]) -> tempfile::TempDir {
    let site = tempfile::tempdir().expect("temporary directory");
    let config = format!("title: {title}\nbase_url: https://example.org/\nrequire_archive: off\n");
    let config = ("annals.yaml".to_owned(), config);
    for (path, text) in std::iter::once(&config).chain(files) {
        let path = site.path().join(path);
        std::fs::create_dir_all(path.parent().expect("a folder")).expect("folder");
        std::fs::write(&path, text).expect("a site file");
    }
    site
}

#[tokio::test]
#[ignore = "needs chromium and chromedriver (Debian packages); .ci/run installs them"]
async fn every_page_kind_of_the_example_site_passes_axe_in_light_and_dark() {
    let (site, _host, base) = hosted(example_site());
    let built = site.path().join("www/archive");
    let pages = [
        String::new(),
        first_link(&built.join("index.html"), "/archive/articles/"),
        "people/".to_owned(),
        first_link(&built.join("people/index.html"), "/archive/people/"),
        "sources/".to_owned(),
        first_link(&built.join("sources/index.html"), "/archive/sources/"),
        "timeline/".to_owned(),
        first_link(&built.join("timeline/index.html"), "/archive/timeline/"),
        "topics/".to_owned(),
        first_link(&built.join("topics/index.html"), "/archive/topics/"),
        "places/".to_owned(),
        "search/".to_owned(),
        // Results, with the words found marked, in both colour schemes.
        "search/?q=ceasefire&sort=relevance".to_owned(),
        "corrections/".to_owned(),
        "methodology/".to_owned(),
        "data/".to_owned(),
        "404.html".to_owned(),
        // In Arabic, right to left: home, a list, and a page of each kind
        // translated (the article's English quotes and the person's
        // English statements inside).
        "ar/".to_owned(),
        "ar/articles/biden-backs-ceasefire/".to_owned(),
        "ar/people/".to_owned(),
        "ar/people/antonio-guterres/".to_owned(),
        "ar/methodology/".to_owned(),
        "ar/sources/".to_owned(),
        "ar/search/?q=ceasefire&sort=relevance".to_owned(),
        "ar/404.html".to_owned(),
    ];
    assert_passes_axe(&site, &base, &pages).await;
}

#[tokio::test]
#[ignore = "needs chromium and chromedriver (Debian packages); .ci/run installs them"]
async fn the_parts_of_a_generated_archives_long_lists_pass_axe_in_light_and_dark() {
    let (site, _host, base) = hosted(an_archive(240));
    let pages = [
        "page/2/",
        "people/speaker-0/page/2/",
        "sources/page/2/",
        "sources/wire-1/page/2/",
        "timeline/",
        "timeline/2021/page/2/",
        "topics/talks/page/2/",
    ];
    for page in pages {
        let file = site
            .path()
            .join("www/archive")
            .join(page)
            .join("index.html");
        assert!(file.is_file(), "the archive has {page}");
    }
    assert_passes_axe(&site, &base, &pages.map(String::from)).await;
}

/// An archive of `count` articles, a day apart from 2020 on, by four
/// speakers and from seven publishers, in parts of ten: every long list
/// has parts, and the sources index a jump list.
fn an_archive(count: usize) -> tempfile::TempDir {
    let site = tempfile::tempdir().expect("temporary directory");
    let root = site.path();
    std::fs::create_dir_all(root.join("content/articles")).expect("articles folder");
    std::fs::create_dir_all(root.join("content/people")).expect("people folder");
    std::fs::write(
        root.join("annals.yaml"),
        "title: Archive\nbase_url: https://example.org/\nrequire_archive: off\npaginate: 10\n",
    )
    .expect("annals.yaml");
    for n in 0..4 {
        let person = format!("---\nname: Speaker {n}\nlinks: [https://example.org/{n}]\n---\n");
        std::fs::write(root.join(format!("content/people/speaker-{n}.md")), person)
            .expect("a person");
    }
    let start = jiff::civil::date(2020, 1, 1);
    for n in 0..count {
        let day = start
            .checked_add(jiff::Span::new().days(3 * n as i64))
            .expect("a day");
        let (person, publisher) = (n % 4, ["Wire", "Radio"][n % 2]);
        let text = format!(
            "---\ntitle: Talks day {n}\ndate: {day}\ntopics: [Talks]\nplaces: [Geneva]\nsources:\n  - id: s\n    publisher: {publisher} {}\n    title: Report {n}\n    url: https://example.org/r/{n}\nstatements:\n  - person: speaker-{person}\n    date: {day}\n    quote: \"Talks go on, day {n}.\"\n    source: s\n---\nTalks went on.\n",
            n % 7
        );
        std::fs::write(
            root.join(format!("content/articles/{day}-day-{n}.md")),
            text,
        )
        .expect("an article");
    }
    site
}

/// Runs axe-core on each of `pages` (paths below `base`) in light and dark,
/// and fails listing every violation.
async fn assert_passes_axe(site: &tempfile::TempDir, base: &str, pages: &[String]) {
    let axe = axe_script();
    let root = base.trim_end_matches("/archive/");
    let pages: Vec<String> = (pages.iter())
        .map(|page| match page.strip_prefix('/') {
            Some(_) => format!("{root}{page}"),
            None => format!("{base}{page}"),
        })
        .collect();
    let driver = Driver::start();
    let mut failures = Vec::new();
    let browser = driver.browser(&site.path().join("profile")).await;
    for scheme in ["light", "dark"] {
        emulate_colour_scheme(&browser, scheme).await;
        for page in &pages {
            browser.goto(page).await.expect("open page");
            let dark = browser
                .execute(
                    "return matchMedia('(prefers-color-scheme: dark)').matches;",
                    vec![],
                )
                .await
                .expect("read the colour scheme");
            assert_eq!(dark, json!(scheme == "dark"), "{scheme} scheme on {page}");
            if page.contains("?q=") {
                eventually("marked results", Duration::from_secs(10), async || {
                    let marks: Vec<String> = page_value(&browser, MARKS).await;
                    (!marks.is_empty()).then_some(())
                })
                .await;
            }
            for violation in axe_violations(&browser, &axe).await {
                failures.push(format!("{scheme} {page}: {violation}"));
            }
        }
    }
    browser.close().await.expect("close the browser");
    assert!(
        failures.is_empty(),
        "{} axe-core violations:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// The search form's fields, by name (`#search-<name>`).
const FIELDS: [&str; 10] = [
    "q",
    "person",
    "publisher",
    "topic",
    "place",
    "kind",
    "source",
    "from",
    "to",
    "sort",
];

/// How many records of `many_articles(count)` a search for `case` (field
/// name, value) finds, worked out from what each article was given, not
/// from the index.
fn expected(count: usize, case: &[(&str, &str)]) -> usize {
    let asked = |name: &str| case.iter().find(|(n, _)| *n == name).map(|(_, v)| *v);
    assert!(
        asked("q").is_none_or(|q| q == "talks"),
        "every record says talks"
    );
    let days = (0..count).map(Day::of);
    let records = days.flat_map(|d| [(d, None, "article"), (d, Some("ada"), d.kind)]);
    records
        .filter(|&(d, person, kind)| {
            let is = |name: &str, value: Option<&str>| {
                asked(name).is_none_or(|v| Some(v) == value.map(str::to_lowercase).as_deref())
            };
            let day = d.day.to_string();
            is("person", person)
                && is("kind", Some(kind))
                && is("publisher", Some(d.publisher))
                && is("topic", Some(d.topic))
                && is("place", Some(d.place))
                && is("source", Some(d.source))
                && asked("from").is_none_or(|from| day.as_str() >= from)
                && asked("to").is_none_or(|to| day.as_str() <= to)
        })
        .count()
}

/// Sets every field of the search form: those `case` names to its values,
/// the others empty.
async fn search_for(browser: &Client, case: &[(&str, &str)]) {
    open_filters(browser).await;
    for name in FIELDS {
        let value = case
            .iter()
            .find(|(n, _)| *n == name)
            .map_or("", |(_, v)| *v);
        set_field(browser, &format!("#search-{name}"), value).await;
    }
}

/// What the status line says of `count` results in `case`'s order.
fn status_of(count: usize, case: &[(&str, &str)]) -> String {
    let by_relevance = case.contains(&("sort", "relevance")) && case.iter().any(|(n, _)| *n == "q");
    let order = if by_relevance {
        "most relevant first"
    } else {
        "newest first"
    };
    match count {
        0 => "Nothing found.".to_owned(),
        1 => format!("1 result, {order}."),
        _ => format!("{count} results, {order}."),
    }
}

/// Shows more until there is no more: how many results are then listed.
async fn show_all(browser: &Client, what: &str) -> usize {
    loop {
        let more = browser
            .find(Locator::Css("#search-more"))
            .await
            .expect("the button");
        if !more.is_displayed().await.unwrap_or(false) {
            return listed(browser).await;
        }
        let before = listed(browser).await;
        more.click().await.expect("show more");
        eventually(what, Duration::from_secs(10), async || {
            (listed(browser).await > before).then_some(())
        })
        .await;
        // The keyboard goes on at the first of the new results.
        let focus = "return [...document.querySelectorAll('#search-results li')]
            .findIndex((li) => li.contains(document.activeElement));";
        eventually(
            "focus on the first new result",
            Duration::from_secs(10),
            async || {
                let at: i64 =
                    serde_json::from_value(browser.execute(focus, vec![]).await.ok()?).ok()?;
                (at == before as i64).then_some(())
            },
        )
        .await;
    }
}

#[tokio::test]
#[ignore = "needs chromium and chromedriver (Debian packages); .ci/run installs them"]
async fn charts_and_indexes_of_long_records_pass_axe_in_light_and_dark() {
    // A year and a half of days: a year page charting every month, a
    // person's page in parts with an index of years and a chart of them.
    let site = many_articles(400);
    // A statement dated by its year alone: a bar of its own, shown as `?`.
    let undated = "---\ntitle: Undated\ndate: 2020-06-01\nsources:\n  - id: s\n    publisher: Wire\nstatements:\n  - person: ada\n    date: \"2020\"\n    quote: \"Some time that year.\"\n    source: s\n---\nUndated.\n";
    std::fs::write(site.path().join("content/articles/undated.md"), undated).expect("write");
    let (site, _host, base) = hosted(site);
    let year = std::fs::read_to_string(site.path().join("www/archive/timeline/2020/index.html"))
        .expect("the year's page");
    assert!(
        year.contains(">?</text></a>"),
        "a linked bar for the year alone"
    );
    let pages = [
        "timeline/",
        "timeline/2020/page/2/",
        "timeline/2020/",
        "people/ada/page/3/",
    ];
    assert_passes_axe(&site, &base, &pages.map(String::from)).await;
}

#[tokio::test]
#[ignore = "needs chromium and chromedriver (Debian packages); .ci/run installs them"]
async fn the_count_the_list_and_show_more_agree_under_every_filter() {
    const ARTICLES: usize = 450;
    let (_site, _host, _driver, browser) = on_search_page(many_articles(ARTICLES)).await;
    // Ranges within a chunk, across chunk ends, open at either end; with
    // and without words, alone and together with each filter.
    let cases: &[&[(&str, &str)]] = &[
        &[("from", "2020-03-01"), ("to", "2020-03-10")],
        &[("from", "2020-02-15"), ("to", "2020-09-30")],
        &[("from", "2021-01-01")],
        &[("q", "talks"), ("to", "2020-01-05")],
        &[
            ("person", "ada"),
            ("from", "2020-06-01"),
            ("to", "2020-06-30"),
        ],
        &[
            ("kind", "quote"),
            ("from", "2020-02-15"),
            ("to", "2020-09-30"),
        ],
        &[("publisher", "post"), ("source", "news")],
        &[
            ("topic", "ceasefire"),
            ("place", "gaza"),
            ("from", "2021-01-01"),
        ],
        &[("q", "talks"), ("kind", "article"), ("to", "2020-01-05")],
        &[
            ("q", "talks"),
            ("person", "ada"),
            ("source", "official"),
            ("sort", "relevance"),
        ],
        &[
            ("topic", "aid"),
            ("source", "report"),
            ("sort", "relevance"),
        ],
        &[("kind", "article"), ("person", "ada")],
        &[
            ("place", "kyiv"),
            ("kind", "paraphrase"),
            ("publisher", "wire"),
            ("from", "2020-04-01"),
            ("to", "2020-12-31"),
        ],
    ];
    for case in cases {
        let expected = expected(ARTICLES, case);
        search_for(&browser, case).await;
        let what = format!("{case:?}");
        // The count a search before this one left may linger a moment:
        // wait for this one's.
        let said = status_of(expected, case);
        eventually(&what, Duration::from_secs(10), async || {
            let status = text_of(&browser, "#search-status").await?;
            (status == said).then_some(())
        })
        .await;
        assert_eq!(show_all(&browser, &what).await, expected, "{what}");
    }

    // The last search is in the address, and opening it again restores it.
    let url = browser.current_url().await.expect("the address");
    let mut written: Vec<(String, String)> = url.query_pairs().into_owned().collect();
    written.sort();
    let last = cases[cases.len() - 1];
    let mut asked: Vec<(String, String)> = last
        .iter()
        .map(|(n, v)| ((*n).to_owned(), (*v).to_owned()))
        .collect();
    asked.sort();
    assert_eq!(written, asked, "{url}");
    browser.goto("about:blank").await.expect("leave");
    browser.goto(url.as_str()).await.expect("open the address");
    let said = status_of(expected(ARTICLES, last), last);
    eventually("the linked search", Duration::from_secs(10), async || {
        (text_of(&browser, "#search-status").await? == said).then_some(())
    })
    .await;
    for (name, value) in last {
        let field = browser
            .find(Locator::Css(&format!("#search-{name}")))
            .await
            .expect("the field");
        let shown = field.prop("value").await.expect("its value");
        assert_eq!(shown.as_deref(), Some(*value), "{name} restored");
    }
    browser.close().await.expect("close the browser");
}

/// The words marked in the results.
const MARKS: &str =
    "return [...document.querySelectorAll('#search-results mark')].map(m => m.textContent);";

/// Runs `script` in the page and reads its answer as `T`.
async fn page_value<T: serde::de::DeserializeOwned>(browser: &Client, script: &str) -> T {
    let value = browser.execute(script, vec![]).await.expect(script);
    serde_json::from_value(value).expect("the answer's shape")
}

#[tokio::test]
#[ignore = "needs chromium and chromedriver (Debian packages); .ci/run installs them"]
async fn found_words_are_marked_as_text_and_dates_read_as_on_the_site() {
    let (_site, _host, _driver, browser) = on_search_page(fixture_copy("site")).await;
    // Words the fixture's editors wrote inside markup-looking text.
    set_field(&browser, "#search-q", "alert").await;
    results_where(&browser, "the quote and the article", |r| r.len() == 2).await;
    let marks: Vec<String> = page_value(&browser, MARKS).await;
    assert!(
        marks.len() >= 2 && marks.iter().all(|m| m == "alert"),
        "{marks:?}"
    );
    let elements: Vec<String> = page_value(
        &browser,
        "return [...document.querySelectorAll('#search-results *')].map(e => e.localName);",
    )
    .await;
    assert!(
        elements
            .iter()
            .all(|e| ["li", "p", "a", "mark", "time", "bdi", "blockquote"].contains(&e.as_str())),
        "only the elements results are made of: {elements:?}"
    );
    let found = results(&browser).await;
    assert!(
        found
            .iter()
            .any(|t| t.contains("Fighting must stop. <script>alert(1)</script>")),
        "the markup shows as text: {found:?}"
    );

    // A prefix marks the whole word it found, in any case.
    set_field(&browser, "#search-q", "fight").await;
    eventually(
        "the whole word marked",
        Duration::from_secs(10),
        async || {
            let marks: Vec<String> = page_value(&browser, MARKS).await;
            marks.contains(&"Fighting".to_owned()).then_some(())
        },
    )
    .await;

    set_field(&browser, "#search-q", "").await;
    choose(&browser, "#search-person", "antonio").await;
    let dates = "return [...document.querySelectorAll('#search-results time')]
        .map(t => [t.dateTime, t.textContent]);";
    let day = |iso: &str, shown: &str| [iso.to_owned(), shown.to_owned()];
    let expected = [
        day("2021-05-17", "17 May 2021"),
        day("2021-05-16", "16 May 2021"),
    ];
    eventually(
        "António's statements, dated",
        Duration::from_secs(10),
        async || {
            let found: Vec<[String; 2]> = page_value(&browser, dates).await;
            (found == expected).then_some(())
        },
    )
    .await;
    browser.close().await.expect("close the browser");
}

/// A site where "zeitgeist" is in the body of a newer article and far into
/// the summary of an older one.
fn zeitgeist_site() -> tempfile::TempDir {
    let filler = |range: std::ops::Range<usize>| {
        range.map(|n| format!("w{n}")).collect::<Vec<_>>().join(" ")
    };
    let summary = format!("{} zeitgeist {}", filler(1..60), filler(60..120));
    let article = |day: &str, title: &str, summary: &str, body: &str| {
        (
            format!(
                "content/articles/{day}-{}.md",
                title.to_lowercase().replace(' ', "-")
            ),
            format!(
                "---\ntitle: {title}\ndate: {day}\nsummary: \"{summary}\"\nsources:\n  - id: s\n    publisher: Wire\n---\n{body}\n"
            ),
        )
    };
    site_of(
        "Zeitgeist",
        &[
            article(
                "2021-03-01",
                "Market day",
                "Nothing of note.",
                "A zeitgeist in the body.",
            ),
            article("2021-02-01", "Harbour news", &summary, "Boats."),
        ],
    )
}

#[tokio::test]
#[ignore = "needs chromium and chromedriver (Debian packages); .ci/run installs them"]
async fn excerpts_start_near_the_word_found_and_relevance_puts_shown_words_first() {
    let (_site, _host, _driver, browser) = on_search_page(zeitgeist_site()).await;
    set_field(&browser, "#search-q", "zeitgeist").await;
    let newest = results_where(&browser, "both articles", |r| r.len() == 2).await;
    assert!(newest[0].starts_with("Market day"), "{newest:?}");
    let excerpt = text_of(&browser, "#search-results li:nth-child(2) .excerpt")
        .await
        .expect("the older article's excerpt");
    let at = excerpt.find("zeitgeist").expect("the word is shown");
    assert!(excerpt.starts_with('…'), "{excerpt}");
    assert!(
        excerpt.ends_with('…') && !excerpt.contains("w1 "),
        "{excerpt}"
    );
    assert!(
        (20..=80).contains(&excerpt[..at].chars().count()),
        "some context before the word, not much: {excerpt}"
    );
    assert_eq!(
        text_of(&browser, "#search-results li:nth-child(2) .excerpt mark")
            .await
            .as_deref(),
        Some("zeitgeist")
    );

    set_field(&browser, "#search-sort", "relevance").await;
    let relevant = results_where(&browser, "the summary's match first", |r| {
        r.len() == 2 && r[0].starts_with("Harbour news")
    })
    .await;
    assert!(relevant[1].starts_with("Market day"), "{relevant:?}");
    browser
        .execute(
            "document.getElementById('search-status').scrollIntoView();",
            vec![],
        )
        .await
        .expect("scroll to the results");
    keep_screenshot(&browser, "search-relevance").await;
    assert_eq!(
        text_of(&browser, "#search-status").await.as_deref(),
        Some("2 results, most relevant first.")
    );
    browser.close().await.expect("close the browser");
}

#[tokio::test]
#[ignore = "needs chromium and chromedriver (Debian packages); .ci/run installs them"]
async fn the_search_form_fits_a_phone_with_labels_above_full_width_fields() {
    let (_site, _host, _driver, browser) = on_search_page(example_site()).await;
    assert!(size_window(&browser, WINDOWS[1]).await);
    set_field(&browser, "#search-q", "ceasefire").await;
    results_where(&browser, "some results", |r| !r.is_empty()).await;
    keep_screenshot(&browser, "search-phone").await;
    assert_fits_a_phone(&browser, "the search page").await;
    // The filters are folded: the first result is on the first screen.
    let [first, height]: [f64; 2] = page_value(
        &browser,
        "return [document.querySelector('#search-results li').getBoundingClientRect().top, window.innerHeight];",
    )
    .await;
    assert!(
        first < height,
        "the first result at {first}px of {height}px"
    );
    let url = browser.current_url().await.expect("the page's address");
    browser
        .goto(&format!(
            "{}?q=ceasefire&kind=quote",
            url.as_str().split('?').next().unwrap_or_default()
        ))
        .await
        .expect("open a filtered search");
    results_where(&browser, "quotes", |r| !r.is_empty()).await;
    let open: bool = page_value(
        &browser,
        "return document.getElementById('search-options').open;",
    )
    .await;
    assert!(open, "a search that filters shows its filters");
    // Each field: its label's bottom, the control's top, the control's
    // width and the form's.
    let fields: Vec<(String, f64, f64, f64, f64)> = page_value(
        &browser,
        "const form = document.getElementById('search-form').getBoundingClientRect();
         return [...document.querySelectorAll('.search-field')].map(p => {
           const label = p.querySelector('label').getBoundingClientRect();
           const control = p.querySelector('input, select').getBoundingClientRect();
           return [p.querySelector('label').textContent, label.bottom, control.top, control.width, form.width];
         });",
    )
    .await;
    assert_eq!(fields.len(), 10, "{fields:?}");
    for (label, label_bottom, top, width, form) in fields {
        assert!(label_bottom <= top, "{label}: label above its field");
        assert!(width >= form - 1.0, "{label}: {width}px of {form}px");
    }
    browser.close().await.expect("close the browser");
}

#[tokio::test]
#[ignore = "needs chromium and chromedriver (Debian packages); .ci/run installs them"]
async fn search_finds_abbreviations_other_names_and_arabic_spellings() {
    let (_site, _host, _driver, browser) = on_search_page(example_site()).await;
    // Chromium splits "U.S." at its stops; the index keeps the word whole.
    set_field(&browser, "#search-q", "U.S. engagement").await;
    let found = results_where(&browser, "the readout naming U.S. engagement", |r| {
        !r.is_empty()
    })
    .await;
    assert!(found.iter().all(|t| t.contains("U.S.")), "{found:?}");
    // A name the person's page lists among their other names.
    set_field(&browser, "#search-q", "Bibi").await;
    let found = results_where(&browser, "Netanyahu's statements", |r| !r.is_empty()).await;
    assert!(found.iter().all(|t| t.contains("Netanyahu")), "{found:?}");
    // Gaza with a heh where the text has a teh marbuta.
    let url = browser.current_url().await.expect("the page's address");
    let arabic = url.join("../ar/search/").expect("the Arabic search page");
    (browser.goto(arabic.as_str()).await).expect("open /ar/search/");
    set_field(&browser, "#search-q", "غزه").await;
    let found = results_where(&browser, "the statements naming غزة", |r| !r.is_empty()).await;
    assert!(found.iter().any(|t| t.contains("غزة")), "{found:?}");
    // The filters' people in Arabic order of their Arabic names, not by id.
    open_filters(&browser).await;
    let (shown, ordered): (Vec<String>, Vec<String>) = page_value(
        &browser,
        "const names = [...document.querySelectorAll('#search-person option')]
           .filter((o) => o.value).map((o) => o.text);
         return [names, [...names].sort(new Intl.Collator('ar').compare)];",
    )
    .await;
    assert!(shown.len() > 3, "{shown:?}");
    assert_eq!(shown, ordered);
    browser.close().await.expect("close the browser");
}

#[tokio::test]
#[ignore = "needs chromium and chromedriver (Debian packages); .ci/run installs them"]
async fn an_arabic_site_lays_out_mirrored_and_searches_in_arabic() {
    let (_site, _host, _driver, browser) = on_search_page(fixture_copy("i18n/arabic")).await;
    // Where things start: the right edge in a right-to-left page.
    let edges: (f64, f64, f64) = page_value(
        &browser,
        "const box = (css) => document.querySelector(css).getBoundingClientRect();
         const title = box('.site-title'), first = box('.site-nav li');
         return [innerWidth, title.right, first.right];",
    )
    .await;
    let (width, title, first_link) = edges;
    assert!(
        title > width * 0.75,
        "the site's title starts at the right: {edges:?}"
    );
    assert!(
        first_link > width / 2.0,
        "so does the navigation: {edges:?}"
    );
    set_field(&browser, "#search-q", "talking").await;
    let status = eventually("an Arabic status", Duration::from_secs(10), async || {
        text_of(&browser, "#search-status")
            .await
            .filter(|s| s.contains("الأحدث أولًا"))
    })
    .await;
    assert_eq!(status, "نتيجة واحدة، الأحدث أولًا.");
    keep_screenshot(&browser, "arabic-search").await;
    // A number in the digits the page writes finds the one in the text.
    set_field(&browser, "#search-q", "١٬٤٠٠").await;
    results_where(&browser, "the statement saying 1,400", |r| {
        r.iter().any(|t| t.contains("1,400 trucks"))
    })
    .await;
    set_field(&browser, "#search-q", "٣٠").await;
    let found = results_where(&browser, "the statement saying 30", |r| {
        r.iter().any(|t| t.contains("30 days"))
    })
    .await;
    assert_eq!(found.len(), 1, "{found:?}");
    // Arabic as the second language of an English site: its own index,
    // where a statement is found by its Arabic translation alone.
    let (_bilingual, _host, base) = hosted(fixture_copy("bilingual"));
    (browser.goto(&format!("{base}ar/search/")).await).expect("open /ar/search/");
    set_field(&browser, "#search-q", "سنواصل").await;
    let found = results_where(&browser, "the statement, by its translation", |r| {
        r.len() == 1
    })
    .await;
    assert!(found[0].contains("سنواصل الحديث.") && found[0].contains("We will keep talking."));
    let href: String = page_value(
        &browser,
        "return document.querySelector('#search-results li a').getAttribute('href');",
    )
    .await;
    assert_eq!(href, "/archive/ar/articles/talks/#ada-talks");
    keep_screenshot(&browser, "arabic-search-translation").await;
    // An untranslated article: the original's page, labelled with its
    // language as the lists label it.
    set_field(&browser, "#search-q", "final").await;
    let found = results_where(&browser, "the untranslated original", |r| {
        r.len() == 1 && r[0].contains("The final report")
    })
    .await;
    // (Shown in capitals by the stylesheet.)
    assert!(found[0].to_lowercase().contains("english"), "{found:?}");
    let link: (String, String) = page_value(
        &browser,
        "const link = document.querySelector('#search-results li a');
         return [link.getAttribute('href'), link.lang];",
    )
    .await;
    assert_eq!(
        link,
        ("/archive/articles/report-final/".into(), "en".into())
    );
    browser.close().await.expect("close the browser");
}

/// How a right-to-left page lays out, measured in the browser by
/// [`RTL_LAYOUT`].
#[derive(Debug, serde::Deserialize)]
struct RtlLayout {
    lang: String,
    dir: String,
    /// The computed `direction` and `text-align` of the page's first `h1`.
    heading: [String; 2],
    /// The right edge of the column the header and main text share.
    column: f64,
    /// The right edges of the site's title and of the first section link.
    title: f64,
    first_section: f64,
    inner_width: f64,
    /// Each quote of the page: `lang`, `dir` and computed `direction`.
    quotes: Vec<[String; 3]>,
    /// The computed `direction` of each statement's translation.
    translations: Vec<String>,
}

const RTL_LAYOUT: &str = "
    const html = document.documentElement;
    const style = (el) => getComputedStyle(el);
    const main = document.querySelector('main');
    const column = main.getBoundingClientRect().right - parseFloat(style(main).paddingRight);
    const h1 = document.querySelector('h1');
    return {
      lang: html.lang,
      dir: html.dir,
      heading: [style(h1).direction, style(h1).textAlign],
      column,
      title: document.querySelector('.site-title').getBoundingClientRect().right,
      first_section: document.querySelector('.site-nav li').getBoundingClientRect().right,
      inner_width: innerWidth,
      quotes: [...document.querySelectorAll('main blockquote')]
        .map(q => [q.lang, q.dir, style(q).direction]),
      translations: [...document.querySelectorAll('main .translation')]
        .map(t => style(t).direction),
    };";

/// Follows the language switcher's link to `lang` and waits for the page
/// at `path` (from the host's root) to open.
async fn switch_language(browser: &Client, lang: &str, path: &str) {
    let css = format!("nav.languages a[hreflang=\"{lang}\"]");
    let link = browser.find(Locator::Css(&css)).await.expect(&css);
    assert_eq!(
        link.attr("href").await.ok().flatten().as_deref(),
        Some(path)
    );
    link.click().await.expect("follow the switcher");
    eventually(
        "the other language opens",
        Duration::from_secs(10),
        async || {
            let url = browser.current_url().await.ok()?;
            let lang_now: String =
                page_value(browser, "return document.documentElement.lang;").await;
            (url.path() == path && lang_now == lang).then_some(())
        },
    )
    .await;
}

#[tokio::test]
#[ignore = "needs chromium and chromedriver (Debian packages); .ci/run installs them"]
async fn a_charts_labels_never_run_into_each_other_in_english_or_arabic() {
    let (site, _host, base) = hosted(example_site());
    let driver = Driver::start();
    let browser = driver.browser(&site.path().join("profile")).await;
    // Arabic's month names are long ("سبتمبر"): a year's twelve of them
    // under bars 32 pixels apart would touch unless they alternate rows.
    let pages = [
        "timeline/",
        "timeline/2021/",
        "ar/timeline/",
        "ar/timeline/2021/",
    ];
    for window in WINDOWS {
        size_window(&browser, window).await;
        for page in pages {
            browser
                .goto(&format!("{base}{page}"))
                .await
                .expect("open page");
            let labels: Vec<(String, [f64; 4])> = page_value(
                &browser,
                "return [...document.querySelectorAll('.chart text')].map(t => {
                   const b = t.getBoundingClientRect();
                   return [t.textContent, [b.left, b.top, b.right, b.bottom]];
                 });",
            )
            .await;
            assert!(!labels.is_empty(), "{page}: a chart");
            for (n, (a, [left, top, right, bottom])) in labels.iter().enumerate() {
                for (b, [l, t, r, bt]) in labels.iter().map(|(b, x)| (b, *x)).skip(n + 1) {
                    let apart = *right <= l || r <= *left || *bottom <= t || bt <= *top;
                    assert!(
                        apart,
                        "{page} at {}px: {a} runs into {b}: {labels:?}",
                        window.0
                    );
                }
            }
        }
    }
    browser.close().await.expect("close the browser");
}

#[tokio::test]
#[ignore = "needs chromium and chromedriver (Debian packages); .ci/run installs them"]
async fn the_example_sites_arabic_home_and_article_mirror_and_keep_english_quotes_left_to_right() {
    let (site, _host, base) = hosted(example_site());
    let built = site.path().join("www/archive");
    let article = first_link(&built.join("ar/index.html"), "/archive/ar/articles/");
    assert_eq!(article, "/archive/ar/articles/biden-backs-ceasefire/");
    let pages = [("home", "/archive/ar/".to_owned()), ("article", article)];
    let root = base.trim_end_matches("/archive/");
    let driver = Driver::start();
    let browser = driver.browser(&site.path().join("profile")).await;
    for window in WINDOWS {
        let (phone, width) = (size_window(&browser, window).await, window.0);
        for scheme in ["light", "dark"] {
            emulate_colour_scheme(&browser, scheme).await;
            for (name, path) in &pages {
                let page = format!("{root}{path}");
                browser.goto(&page).await.expect("open page");
                let layout: RtlLayout = page_value(&browser, RTL_LAYOUT).await;
                let seen = format!("{page} at {width}px: {layout:?}");
                assert_eq!(
                    (layout.lang.as_str(), layout.dir.as_str()),
                    ("ar", "rtl"),
                    "{seen}"
                );
                assert_eq!(layout.heading[0], "rtl", "{seen}");
                assert!(
                    ["start", "right"].contains(&layout.heading[1].as_str()),
                    "{seen}"
                );
                // Mirrored: the title and the first section stand at the
                // column's right edge, in the right half of the screen.
                assert!(layout.column > layout.inner_width / 2.0, "{seen}");
                assert!((layout.title - layout.column).abs() < 2.0, "{seen}");
                assert!((layout.first_section - layout.column).abs() < 2.0, "{seen}");
                // The verbatim English words read left to right, isolated
                // by their own `dir`; their Arabic translations right to left.
                assert!(!layout.quotes.is_empty(), "{seen}");
                for [lang, dir, direction] in &layout.quotes {
                    assert_eq!(lang, "en", "{seen}");
                    assert!(["auto", "ltr"].contains(&dir.as_str()), "{seen}");
                    assert_eq!(direction, "ltr", "{seen}");
                }
                assert!(!layout.translations.is_empty(), "{seen}");
                assert!(layout.translations.iter().all(|d| d == "rtl"), "{seen}");
                if phone {
                    assert_fits_a_phone(&browser, &page).await;
                }
                keep_screenshot(&browser, &format!("arabic-{name}-{width}-{scheme}")).await;
            }
        }
    }
    // The switcher leads to the English version of each page, and back.
    for (_, path) in &pages {
        browser
            .goto(&format!("{root}{path}"))
            .await
            .expect("open page");
        let english = path.replacen("/ar/", "/", 1);
        switch_language(&browser, "en", &english).await;
        switch_language(&browser, "ar", path).await;
    }
    browser.close().await.expect("close the browser");
}

/// Emulates CSS media `media` (`print`, or empty for the screen) with the
/// given features (`prefers-color-scheme`, `forced-colors`).
async fn emulate_media(browser: &Client, media: &str, features: serde_json::Value) {
    browser
        .issue_cmd(DevTools {
            method: "Emulation.setEmulatedMedia",
            params: json!({ "media": media, "features": features }),
        })
        .await
        .expect("emulate media");
}

/// Printed from a screen in dark mode, the page is black on white, its
/// badges too, and leaves out what works only on a screen; in forced
/// colours the current section and part keep a mark; a chart's bar shows
/// its focus ring whole.
#[tokio::test]
#[ignore = "needs chromium and chromedriver (Debian packages); .ci/run installs them"]
async fn print_forced_colours_and_charts_keep_what_marks_the_page() {
    let (site, _host, base) = hosted(example_site());
    let driver = Driver::start();
    let browser = driver.browser(&site.path().join("profile")).await;
    (browser
        .goto(&format!("{base}articles/biden-backs-ceasefire/"))
        .await)
        .expect("open an article");
    let dark = json!([{ "name": "prefers-color-scheme", "value": "dark" }]);
    emulate_media(&browser, "print", dark.clone()).await;
    let printed: (Vec<f64>, Vec<String>) = page_value(
        &browser,
        "const luminance = (css) => {
           const [r, g, b] = css.match(/\\d+/g).slice(0, 3).map((v) => v / 255)
             .map((c) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4));
           return 0.2126 * r + 0.7152 * g + 0.0722 * b;
         };
         const badges = [...document.querySelectorAll('.badge.kind')]
           .map((b) => 1.05 / (luminance(getComputedStyle(b).color) + 0.05));
         const shown = ['.languages', '.site-nav', 'details.cite']
           .filter((css) => [...document.querySelectorAll(css)].some((e) => getComputedStyle(e).display !== 'none'));
         return [badges, shown];",
    )
    .await;
    let (badges, shown) = printed;
    assert!(!badges.is_empty());
    assert!(
        badges.iter().all(|&ratio| ratio >= 4.5),
        "badges on paper: {badges:?}"
    );
    assert_eq!(
        shown,
        Vec::<String>::new(),
        "printed, though for the screen"
    );

    (browser.goto(&format!("{base}timeline/")).await).expect("open the timeline");
    emulate_media(
        &browser,
        "",
        json!([{ "name": "forced-colors", "value": "active" }]),
    )
    .await;
    let marks: (String, String) = page_value(
        &browser,
        "const nav = getComputedStyle(document.querySelector('.site-nav a[aria-current]'));
         return [nav.textDecorationLine, getComputedStyle(document.querySelector('.chart svg')).overflow];",
    )
    .await;
    assert_eq!(marks, ("underline".to_owned(), "visible".to_owned()));
    browser.close().await.expect("close the browser");
}
