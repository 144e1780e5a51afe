//! `annals serve`: the built site over HTTP on localhost, rebuilt on every
//! change, with live reload and an error overlay pushed over Server-Sent Events.
//!
//! The live-reload script is injected into HTML responses here, at serve
//! time, so it never reaches the files a build writes.

use std::convert::Infallible;
use std::net::{IpAddr, SocketAddr};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use axum::Router;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::handler::HandlerWithoutStateExt;
use axum::http::{HeaderValue, StatusCode, Uri, header};
use axum::middleware::{self, Next};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use tempfile::TempDir;
use tokio::sync::broadcast;
use tokio_stream::StreamExt;
use tokio_stream::wrappers::BroadcastStream;
use tower_http::services::ServeDir;

mod address;
mod paths;

use crate::build::{BuildOptions, Session};
use crate::diagnostic::Diagnostics;
use crate::watch::{self, Rebuild, Watcher};

const LIVE_SCRIPT: &str = include_str!("live.js");
const SCRIPT_TAG: &str = "<script src=\"/__annals/live.js\"></script>";
/// How many ports after the requested one are tried when it is taken.
const PORT_ATTEMPTS: u16 = 10;

/// `annals serve` settings.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// `output` may be `None`: then a temporary directory is used, so the
    /// localhost URLs never end up in the publishable output.
    pub build: BuildOptions,
    pub bind: IpAddr,
    pub port: u16,
    pub open: bool,
    pub poll: bool,
}

/// Why `annals serve` stopped early. Each message ends in what to do.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    #[error("cannot listen on {address}: {source}\n  = help: {hint}")]
    Bind {
        address: SocketAddr,
        source: std::io::Error,
        hint: String,
    },
    /// The site cannot be built at all: reported as `annals build` reports it.
    #[error("{0}")]
    Site(#[from] Diagnostics),
    #[error(
        "cannot create a temporary directory to build the preview in: {0}\n  = help: pass --output DIR to build it elsewhere"
    )]
    Temporary(std::io::Error),
    #[error(
        "cannot listen for Ctrl-C and SIGTERM: {0}\n  = help: serve could not stop cleanly; run `annals watch` and a static file server instead"
    )]
    Signals(std::io::Error),
    #[error("the preview server failed: {0}\n  = help: start `annals serve` again")]
    Io(#[from] std::io::Error),
}

/// What the browser is told.
#[derive(Debug, Clone)]
enum Live {
    Reload,
    Css,
    BuildError(String),
    Shutdown,
}

#[derive(Clone)]
struct AppState {
    live: broadcast::Sender<Live>,
    /// The last rebuild's error, shown to pages that connect while it stands.
    error: Arc<Mutex<Option<String>>>,
    output: PathBuf,
}

/// Builds, serves and watches until Ctrl-C or SIGTERM.
pub fn serve(options: ServeOptions) -> Result<(), ServeError> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    runtime.block_on(run(options))
}

async fn run(options: ServeOptions) -> Result<(), ServeError> {
    // Listening from the start: a signal during the first build still ends
    // in a clean stop, not in a temporary directory left behind.
    let stop = stop_requested()?;
    let (listener, reachable) = listen(options.bind, options.port).await?;
    let url = format!("http://{}/", reachable.site);
    let (mut session, temporary) = open_session(&options.build, &url)?;

    let (live, _) = broadcast::channel(16);
    let output = session.output().to_path_buf();
    let state = AppState {
        live: live.clone(),
        error: Arc::new(Mutex::new(None)),
        output: output.clone(),
    };
    if first_build(&mut session, &state) {
        count_warnings(&options.build);
    }
    let watcher = Watcher::start(&session, options.poll)?;
    spawn_rebuilds(watcher, session, state.clone());

    println!("serving {url} (Ctrl-C to stop)");
    if let Some(local) = reachable.local {
        println!("  and at http://{local}/ from this machine");
    }
    if options.open
        && let Err(error) = opener::open(&url)
    {
        eprintln!("warning: could not open a browser: {error}");
    }
    axum::serve(listener, router(state))
        .with_graceful_shutdown(async move {
            stop.await;
            println!("\nstopping");
            // Ends the event streams, which would otherwise keep the server open.
            let _ = live.send(Live::Shutdown);
        })
        .await?;
    // A rebuild or search update still running would write into the
    // directory being removed: wait for it, and keep holding the output
    // until the process ends, so that none starts. A rebuild that never
    // ends (a template looping for ever) is not waited for past a while.
    let (taken, lock) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        if let Ok(lock) = crate::output::Lock::take_alone(&output) {
            std::mem::forget(lock);
        }
        let _ = taken.send(());
    });
    if lock.recv_timeout(STOP_WAIT).is_err() {
        eprintln!(
            "a rebuild is still running after {} s (a template that never ends?): stopping without it",
            STOP_WAIT.as_secs()
        );
        remove(temporary);
        // Its thread cannot be stopped from outside; the process can.
        std::process::exit(0);
    }
    remove(temporary);
    Ok(())
}

/// How long stopping waits for a rebuild under way to finish.
const STOP_WAIT: std::time::Duration = std::time::Duration::from_secs(5);

/// Binds the server and tells the user what they need to know first: a
/// port moved, or a preview shared beyond this machine.
async fn listen(
    ip: IpAddr,
    port: u16,
) -> Result<(tokio::net::TcpListener, address::Reachable), ServeError> {
    let (listener, bound) = bind(ip, port).await?;
    // Port 0 asks the system for any free port; only a taken port is news.
    if port != 0 && bound.port() != port {
        println!("port {port} is in use; using {} instead", bound.port());
    }
    if let Some(warning) = address::sharing_warning(ip) {
        eprintln!("{warning}");
    }
    Ok((listener, address::reachable(bound).await))
}

/// Opens the site for a preview whose pages link to `url`, and says where
/// it is built.
fn open_session(
    options: &BuildOptions,
    url: &str,
) -> Result<(Session, Option<TempDir>), ServeError> {
    let (output, temporary) = preview_dir(options.output.as_deref())?;
    let session = Session::open(BuildOptions {
        output: Some(output.clone()),
        base_url: Some(url.to_owned()),
        ..options.clone()
    })?;
    match &temporary {
        Some(_) => println!(
            "building the preview in {} (a temporary directory, removed when serve stops)",
            output.display()
        ),
        None => println!("building the preview in {}", output.display()),
    }
    Ok((session, temporary))
}

/// Where the preview is built: `given` (`--output`), or a directory inside a
/// new temporary one, so that the staging directory the build writes beside
/// its output is removed with it. The preview's local URLs must never reach
/// the publishable output, hence no default to the site's `output`.
fn preview_dir(given: Option<&Path>) -> Result<(PathBuf, Option<TempDir>), ServeError> {
    if let Some(dir) = given {
        return Ok((dir.to_path_buf(), None));
    }
    let temporary = tempfile::Builder::new()
        .prefix("annals-serve-")
        .tempdir()
        .map_err(ServeError::Temporary)?;
    Ok((temporary.path().join("site"), Some(temporary)))
}

/// Removes the temporary preview directory, saying so if it cannot.
fn remove(temporary: Option<TempDir>) {
    let Some(temporary) = temporary else { return };
    let path = temporary.path().to_path_buf();
    if let Err(error) = temporary.close() {
        eprintln!(
            "warning: could not remove the preview in {}: {error}; remove it by hand",
            path.display()
        );
    }
}

/// The first full build, and whether it succeeded. A broken site is still
/// served, with its errors in the page, so that fixing them updates it.
fn first_build(session: &mut Session, state: &AppState) -> bool {
    let started = std::time::Instant::now();
    match session.build_all() {
        Ok(report) => {
            println!(
                "built {} pages in {} ms",
                report.pages,
                started.elapsed().as_millis()
            );
            true
        }
        Err(diagnostics) => {
            eprintln!(
                "{diagnostics}\nthe first build failed; fix the errors and the page will update"
            );
            set_error(state, Some(diagnostics.to_string()));
            false
        }
    }
}

/// Says, once, how many warnings the site has: a build shows none, and an
/// editor previewing would not know that `check` has something to say.
/// On a thread of its own, reading the site again, so that serving starts
/// at once.
fn count_warnings(options: &crate::BuildOptions) {
    let options = crate::BuildOptions {
        progress: false,
        ..options.clone()
    };
    std::thread::spawn(move || {
        let report = crate::build::check(&options, None);
        match report.diagnostics.warning_count() {
            0 => {}
            1 => eprintln!("note: 1 warning; `annals check` shows it"),
            n => eprintln!("note: {n} warnings; `annals check` shows them"),
        }
    });
}

/// Resolves when the user or the system asks serve to stop: Ctrl-C, or
/// SIGTERM, which systemd, docker and test runners send.
#[cfg(unix)]
fn stop_requested() -> Result<impl Future<Output = ()> + Send + 'static, ServeError> {
    use tokio::signal::unix::{SignalKind, signal};
    let mut interrupt = signal(SignalKind::interrupt()).map_err(ServeError::Signals)?;
    let mut terminate = signal(SignalKind::terminate()).map_err(ServeError::Signals)?;
    Ok(async move {
        tokio::select! {
            _ = interrupt.recv() => {}
            _ = terminate.recv() => {}
        }
    })
}

/// Resolves on Ctrl-C.
#[cfg(not(unix))]
fn stop_requested() -> Result<impl Future<Output = ()> + Send + 'static, ServeError> {
    Ok(async {
        // Without a handler Ctrl-C still ends the process, uncleanly; never
        // stop on our own.
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    })
}

/// Binds `port`, or the next free one of a few after it.
async fn bind(ip: IpAddr, port: u16) -> Result<(tokio::net::TcpListener, SocketAddr), ServeError> {
    let mut last_error = None;
    for candidate in port..port.saturating_add(PORT_ATTEMPTS) {
        let address = SocketAddr::new(ip, candidate);
        match tokio::net::TcpListener::bind(address).await {
            Ok(listener) => {
                let bound = listener.local_addr()?;
                return Ok((listener, bound));
            }
            Err(error) if error.kind() == std::io::ErrorKind::AddrInUse => last_error = Some(error),
            Err(source) => return Err(bind_error(address, source)),
        }
    }
    let source = last_error.unwrap_or_else(|| std::io::Error::other("no port to try"));
    Err(bind_error(SocketAddr::new(ip, port), source))
}

/// A failure to listen, with what to do about it by its cause.
fn bind_error(address: SocketAddr, source: std::io::Error) -> ServeError {
    use std::io::ErrorKind;
    let ip = address.ip();
    let hint = match source.kind() {
        ErrorKind::AddrInUse => format!(
            "ports {} to {} are taken: choose another with --port, or --port 0 for any free one",
            address.port(),
            address.port().saturating_add(PORT_ATTEMPTS - 1)
        ),
        ErrorKind::AddrNotAvailable => format!(
            "{ip} is not an address of this machine: use --bind 127.0.0.1 (the default) to preview here, or one of this machine's addresses to share the preview"
        ),
        ErrorKind::PermissionDenied => format!(
            "port {} needs privileges: use --port 1111 (the default) or another above 1023",
            address.port()
        ),
        _ => "choose another address with --bind (the default is 127.0.0.1) or another port with --port".to_owned(),
    };
    ServeError::Bind {
        address,
        source,
        hint,
    }
}

/// Runs the watcher on its own thread (it blocks) and relays rebuilds.
fn spawn_rebuilds(watcher: Watcher, session: Session, state: AppState) {
    std::thread::spawn(move || {
        watcher.run(session, |rebuild| {
            println!("{}", watch::summary(rebuild));
            // A catch-up alone reloads only when it rewrote `/data/`.
            if rebuild.touches_pages() {
                let _ = state.live.send(message_for(rebuild, &state));
            }
        });
    });
}

fn message_for(rebuild: &Rebuild, state: &AppState) -> Live {
    match &rebuild.result {
        Err(diagnostics) => {
            let text = diagnostics.to_string();
            set_error(state, Some(text.clone()));
            Live::BuildError(text)
        }
        Ok(report) => {
            let had_error = set_error(state, None).is_some();
            let only_css =
                !report.written.is_empty() && report.written.iter().all(|p| p.ends_with(".css"));
            if only_css && !had_error {
                Live::Css
            } else {
                Live::Reload
            }
        }
    }
}

fn set_error(state: &AppState, error: Option<String>) -> Option<String> {
    let mut slot = state
        .error
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    std::mem::replace(&mut *slot, error)
}

fn router(state: AppState) -> Router {
    let not_found = {
        let output = state.output.clone();
        move || async move { not_found_page(&output) }
    };
    let files = ServeDir::new(&state.output).not_found_service(not_found.into_service());
    Router::new()
        .route("/__annals/live.js", get(live_script))
        .route("/__annals/events", get(events))
        .fallback_service(files)
        .layer(middleware::from_fn_with_state(state.clone(), local_only))
        .layer(middleware::from_fn(inject_live_reload))
        .with_state(state)
}

/// Hands on a plain path (see [`paths`]) and lets no redirect send the
/// browser to another host; both are answered with the 404 page instead.
async fn local_only(State(state): State<AppState>, mut request: Request, next: Next) -> Response {
    let Some(path) = paths::local_path(request.uri()) else {
        return not_found_page(&state.output);
    };
    *request.uri_mut() = Uri::from(path);
    let response = next.run(request).await;
    match response.headers().get(header::LOCATION) {
        Some(location) if !paths::stays_here(location) => not_found_page(&state.output),
        _ => response,
    }
}

/// The site's own 404 page, or a plain one while no build has succeeded.
fn not_found_page(output: &Path) -> Response {
    let page = std::fs::read_to_string(output.join("404.html"))
        .unwrap_or_else(|_| "<!DOCTYPE html><html><head><title>Not found</title></head><body><h1>Not found</h1></body></html>".into());
    (
        StatusCode::NOT_FOUND,
        [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
        page,
    )
        .into_response()
}

async fn live_script() -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, "text/javascript; charset=utf-8")],
        LIVE_SCRIPT,
    )
}

async fn events(
    State(state): State<AppState>,
) -> Sse<impl tokio_stream::Stream<Item = Result<Event, Infallible>>> {
    let standing = state
        .error
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .clone()
        .map(Live::BuildError);
    let updates = BroadcastStream::new(state.live.subscribe()).filter_map(Result::ok);
    let stream = tokio_stream::iter(standing)
        .chain(updates)
        // Browsers drop events without data, so every event carries some.
        .map_while(|live| match live {
            Live::Reload => Some(Event::default().event("reload").data("reload")),
            Live::Css => Some(Event::default().event("css").data("css")),
            Live::BuildError(text) => Some(Event::default().event("build-error").data(text)),
            Live::Shutdown => None,
        })
        .map(Ok);
    Sse::new(stream).keep_alive(KeepAlive::default())
}

/// Adds the live-reload script to HTML responses and turns caching off, so
/// the browser always shows the latest build.
async fn inject_live_reload(request: Request, next: Next) -> Response {
    let response = next.run(request).await;
    let is_html = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|value| value.starts_with("text/html"));
    let (mut parts, body) = response.into_parts();
    parts
        .headers
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    if !is_html {
        return Response::from_parts(parts, body);
    }
    let Ok(bytes) = axum::body::to_bytes(body, usize::MAX).await else {
        return (StatusCode::INTERNAL_SERVER_ERROR, "could not read the page").into_response();
    };
    let html = String::from_utf8_lossy(&bytes);
    let with_script = match html.rfind("</body>") {
        Some(at) => format!("{}{SCRIPT_TAG}{}", &html[..at], &html[at..]),
        None => format!("{html}{SCRIPT_TAG}"),
    };
    parts.headers.remove(header::CONTENT_LENGTH);
    Response::from_parts(parts, Body::from(with_script))
}
