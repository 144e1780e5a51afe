//! One URL asked over HTTP: HEAD, GET where HEAD is refused, each redirect
//! followed by hand so that it can be reported; what came back, as an
//! [`Outcome`]; and when to ask again ([`retry_in`]).

use std::io::ErrorKind;
use std::net::ToSocketAddrs;
use std::time::Duration;

use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use ureq::http::header::{LOCATION, RETRY_AFTER};

use super::LinkOptions;

/// Redirects followed before giving up on a URL; browsers stop at about 20.
pub(super) const MAX_REDIRECTS: usize = 10;
/// Tries of a URL whose server did not answer in time: one more, since a
/// timeout is as often the network's fault as the server's.
const TIMEOUT_TRIES: usize = 2;
/// Tries of a URL whose server said it is busy (429, 503).
const BUSY_TRIES: usize = 3;
/// The wait before asking a busy server again when it did not say how long.
const BUSY_WAIT: Duration = Duration::from_secs(10);

/// What asking for a URL came to: the redirects followed, then an answer
/// or a failure to get one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Outcome {
    pub redirects: Vec<Redirect>,
    pub end: End,
}

/// One redirect: its status and where it led (an absolute URL).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(super) struct Redirect {
    pub status: u16,
    pub to: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum End {
    /// The status of the last response. A redirect status here came without
    /// a `Location`.
    Status {
        code: u16,
        /// How long the server asked to be left alone (`Retry-After`).
        retry_after: Option<Duration>,
    },
    Failed(Failure),
}

/// Why no answer came.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Failure {
    /// The host name does not resolve.
    NoSuchHost,
    /// Nothing listens there.
    Refused,
    TimedOut,
    TooManyRedirects,
    /// A `Location` that is no http(s) URL.
    BadRedirect(String),
    /// The connection broke.
    Broken(String),
    /// The server's answer is no HTTP the client can read (or too large:
    /// ureq reads headers up to 64 KiB, 128 of them at most).
    Unreadable(String),
    /// Anything else: TLS, an address the client refuses, a proxy.
    Other(String),
}

impl Outcome {
    /// A plain answer, for tests.
    #[cfg(test)]
    pub(super) fn status(code: u16) -> Outcome {
        Outcome {
            redirects: Vec::new(),
            end: End::Status {
                code,
                retry_after: None,
            },
        }
    }

    /// Whether the server said to come back later (429, 503).
    fn busy(&self) -> Option<Option<Duration>> {
        match self.end {
            End::Status { code, retry_after } if is_busy(code) => Some(retry_after),
            _ => None,
        }
    }
}

/// 429 Too Many Requests and 503 Service Unavailable: come back later.
pub(super) fn is_busy(code: u16) -> bool {
    matches!(code, 429 | 503)
}

/// Whether `code` sends the client elsewhere with a `Location`.
pub(super) fn is_redirect(code: u16) -> bool {
    matches!(code, 301 | 302 | 303 | 307 | 308)
}

/// Whether a redirect of status `code` says the move is for good.
pub(super) fn is_permanent(code: u16) -> bool {
    matches!(code, 301 | 308)
}

/// Asks servers about URLs, one request at a time per call.
pub(super) struct Client {
    agent: ureq::Agent,
}

/// What one request brought back, before it is interpreted.
struct Reply {
    code: u16,
    location: Option<String>,
    retry_after: Option<String>,
}

#[derive(Clone, Copy)]
enum Method {
    Head,
    Get,
}

impl Client {
    pub(super) fn new(options: &LinkOptions) -> Client {
        let config = ureq::Agent::config_builder()
            .timeout_global(Some(options.timeout))
            .http_status_as_error(false)
            // Followed by hand, so that each one can be reported.
            .max_redirects(0)
            .user_agent(user_agent())
            .build();
        Client {
            agent: config.into(),
        }
    }

    /// Asks for `url`, following its redirects.
    pub(super) fn check(&self, url: &str) -> Outcome {
        let mut redirects = Vec::new();
        let mut current = url.to_owned();
        let failed = |redirects, failure| Outcome {
            redirects,
            end: End::Failed(failure),
        };
        loop {
            let reply = match self.ask(&current) {
                Ok(reply) => reply,
                Err(failure) => return failed(redirects, failure),
            };
            let next = reply
                .location
                .as_deref()
                .filter(|_| is_redirect(reply.code));
            let Some(location) = next else {
                let retry_after = reply
                    .retry_after
                    .as_deref()
                    .and_then(|value| retry_after(value, Timestamp::now()));
                let end = End::Status {
                    code: reply.code,
                    retry_after,
                };
                return Outcome { redirects, end };
            };
            let Some(to) = resolve(&current, location) else {
                return failed(redirects, Failure::BadRedirect(location.to_owned()));
            };
            if redirects.len() == MAX_REDIRECTS {
                return failed(redirects, Failure::TooManyRedirects);
            }
            redirects.push(Redirect {
                status: reply.code,
                to: to.clone(),
            });
            current = to;
        }
    }

    /// HEAD, which costs the server no body; GET when HEAD is refused,
    /// breaks the connection or gets an unreadable answer, or answers anything but success, a redirect
    /// or "busy": some servers route HEAD nowhere, and a page reported dead
    /// that opens in a browser would be worse than a second request.
    fn ask(&self, url: &str) -> Result<Reply, Failure> {
        match self.request(Method::Head, url) {
            Ok(reply) if (200..400).contains(&reply.code) || is_busy(reply.code) => Ok(reply),
            Ok(_) | Err(Failure::Broken(_) | Failure::Unreadable(_)) => {
                self.request(Method::Get, url)
            }
            Err(failure) => Err(failure),
        }
    }

    fn request(&self, method: Method, url: &str) -> Result<Reply, Failure> {
        let sent = match method {
            Method::Head => self.agent.head(url).call(),
            Method::Get => self.agent.get(url).call(),
        };
        // The body is never read: dropping the response closes it.
        let response = sent.map_err(|error| failure(error, url))?;
        let header = |name| {
            let value = response.headers().get(name)?;
            value.to_str().ok().map(str::to_owned)
        };
        Ok(Reply {
            code: response.status().as_u16(),
            location: header(LOCATION),
            retry_after: header(RETRY_AFTER),
        })
    }
}

/// `annals/VERSION (+REPOSITORY)`: who is asking, so that a site's
/// administrator can tell the requests apart and find out why they come.
fn user_agent() -> String {
    let version = env!("CARGO_PKG_VERSION");
    let home = [env!("CARGO_PKG_REPOSITORY"), env!("CARGO_PKG_HOMEPAGE")]
        .into_iter()
        .find(|url| !url.is_empty());
    match home {
        Some(url) => format!("annals/{version} (link checker; +{url})"),
        None => format!("annals/{version} (link checker)"),
    }
}

/// The absolute URL a `Location` leads to from `base`, if it is http(s).
fn resolve(base: &str, location: &str) -> Option<String> {
    let mut to = url::Url::parse(base).ok()?.join(location).ok()?;
    // A fragment is never sent; keeping it would make one page two URLs.
    to.set_fragment(None);
    matches!(to.scheme(), "http" | "https").then(|| to.to_string())
}

/// What a client error says about the link.
fn failure(error: ureq::Error, url: &str) -> Failure {
    match error {
        ureq::Error::Timeout(_) => Failure::TimedOut,
        ureq::Error::HostNotFound => Failure::NoSuchHost,
        ureq::Error::Io(e) if e.kind() == ErrorKind::ConnectionRefused => Failure::Refused,
        ureq::Error::Io(e) if e.kind() == ErrorKind::TimedOut => Failure::TimedOut,
        // std reports a failed lookup as an uncategorised I/O error, told
        // apart only by its text: asking the resolver again is the one
        // reliable test.
        ureq::Error::Io(_) if !resolves(url) => Failure::NoSuchHost,
        ureq::Error::Io(e) if is_broken(e.kind()) => Failure::Broken(e.to_string()),
        ureq::Error::Protocol(e) => Failure::Unreadable(e.to_string()),
        other => Failure::Other(other.to_string()),
    }
}

fn is_broken(kind: ErrorKind) -> bool {
    matches!(
        kind,
        ErrorKind::ConnectionReset
            | ErrorKind::ConnectionAborted
            | ErrorKind::BrokenPipe
            | ErrorKind::UnexpectedEof
    )
}

/// Whether the host of `url` resolves to an address.
fn resolves(url: &str) -> bool {
    let Ok(url) = url::Url::parse(url) else {
        return false;
    };
    let (Some(host), Some(port)) = (url.host_str(), url.port_or_known_default()) else {
        return false;
    };
    // `[::1]` is written with brackets in URLs, and resolved without.
    let host = host.trim_start_matches('[').trim_end_matches(']');
    (host, port)
        .to_socket_addrs()
        .is_ok_and(|mut addresses| addresses.next().is_some())
}

/// A `Retry-After` value: seconds, or an HTTP date (RFC 9110), as a wait
/// from `now`; a date past is no wait.
pub(super) fn retry_after(value: &str, now: Timestamp) -> Option<Duration> {
    let value = value.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let date = jiff::fmt::rfc2822::DateTimeParser::new()
        .parse_timestamp(value)
        .ok()?;
    let wait = Duration::try_from(now.duration_until(date)).unwrap_or(Duration::ZERO);
    // Whole seconds, as a `Retry-After` in seconds would be: a wait shown
    // as `89.734s` says nothing more.
    Some(Duration::from_secs(
        wait.as_secs() + u64::from(wait.subsec_nanos() > 0),
    ))
}

/// How long to wait before asking for a URL again after `attempts` (the
/// last one last), or `None` when its last outcome stands: a timeout gets
/// one more try, a busy server two, after the wait it asked for, cut to
/// `--links-wait-cap`.
pub(super) fn retry_in(attempts: &[Outcome], options: &LinkOptions) -> Option<Duration> {
    let last = attempts.last()?;
    match (&last.end, last.busy()) {
        (End::Failed(Failure::TimedOut), _) if attempts.len() < TIMEOUT_TRIES => {
            Some(options.delay)
        }
        (_, Some(asked)) if attempts.len() < BUSY_TRIES => {
            Some(asked.unwrap_or(BUSY_WAIT).min(options.wait_cap))
        }
        _ => None,
    }
}

/// The longest wait a server asked for, among `attempts` that were tried
/// again, if it was longer than the cap (and so cut).
pub(super) fn longest_wait_cut(attempts: &[Outcome], cap: Duration) -> Option<Duration> {
    let retried = &attempts[..attempts.len().saturating_sub(1)];
    let asked = retried.iter().filter_map(|a| a.busy().flatten());
    asked.filter(|asked| *asked > cap).max()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn now() -> Timestamp {
        "2026-11-20T10:00:00Z".parse().unwrap()
    }

    #[test]
    fn retry_after_is_seconds_or_an_http_date() {
        let wait = |value| retry_after(value, now());
        assert_eq!(wait("120"), Some(Duration::from_secs(120)));
        assert_eq!(wait(" 0 "), Some(Duration::ZERO));
        assert_eq!(
            wait("Fri, 20 Nov 2026 10:01:30 GMT"),
            Some(Duration::from_secs(90))
        );
        assert_eq!(wait("Fri, 20 Nov 2026 09:00:00 GMT"), Some(Duration::ZERO));
        let later = |value| retry_after(value, "2026-11-20T10:00:00.25Z".parse().unwrap());
        assert_eq!(
            later("Fri, 20 Nov 2026 10:01:30 GMT"),
            Some(Duration::from_secs(90)),
            "whole seconds"
        );
        assert_eq!(wait("soon"), None);
        assert_eq!(wait("-5"), None);
    }

    fn busy(retry_after: Option<u64>) -> Outcome {
        Outcome {
            redirects: Vec::new(),
            end: End::Status {
                code: 429,
                retry_after: retry_after.map(Duration::from_secs),
            },
        }
    }

    fn options() -> LinkOptions {
        LinkOptions {
            wait_cap: Duration::from_secs(60),
            delay: Duration::from_millis(500),
            ..LinkOptions::default()
        }
    }

    #[test]
    fn busy_servers_are_asked_again_after_their_wait_cut_to_the_cap() {
        let options = options();
        assert_eq!(
            retry_in(&[busy(Some(5))], &options),
            Some(Duration::from_secs(5))
        );
        assert_eq!(
            retry_in(&[busy(Some(3600))], &options),
            Some(Duration::from_secs(60))
        );
        assert_eq!(retry_in(&[busy(None)], &options), Some(BUSY_WAIT));
        assert_eq!(
            retry_in(&[busy(Some(5)), busy(Some(5)), busy(Some(5))], &options),
            None,
            "three tries at most"
        );
        let tries = [busy(Some(3600)), busy(Some(2)), Outcome::status(200)];
        assert_eq!(
            longest_wait_cut(&tries, options.wait_cap),
            Some(Duration::from_secs(3600))
        );
        assert_eq!(longest_wait_cut(&tries[1..], options.wait_cap), None);
    }

    #[test]
    fn a_timeout_is_tried_once_more_and_answers_stand() {
        let options = options();
        let timed_out = Outcome {
            redirects: Vec::new(),
            end: End::Failed(Failure::TimedOut),
        };
        assert_eq!(
            retry_in(std::slice::from_ref(&timed_out), &options),
            Some(options.delay)
        );
        assert_eq!(retry_in(&[timed_out.clone(), timed_out], &options), None);
        for code in [200, 301, 404, 410, 500] {
            assert_eq!(retry_in(&[Outcome::status(code)], &options), None, "{code}");
        }
        let refused = Outcome {
            redirects: Vec::new(),
            end: End::Failed(Failure::Refused),
        };
        assert_eq!(retry_in(&[refused], &options), None);
    }

    #[test]
    fn client_errors_are_classified() {
        let url = "http://127.0.0.1:9/";
        let io = |kind| ureq::Error::Io(std::io::Error::from(kind));
        assert_eq!(failure(ureq::Error::HostNotFound, url), Failure::NoSuchHost);
        assert_eq!(
            failure(io(ErrorKind::ConnectionRefused), url),
            Failure::Refused
        );
        assert_eq!(
            failure(ureq::Error::Timeout(ureq::Timeout::Global), url),
            Failure::TimedOut
        );
        assert!(matches!(
            failure(io(ErrorKind::ConnectionReset), url),
            Failure::Broken(_)
        ));
    }

    #[test]
    fn redirects_resolve_against_the_url_they_came_from() {
        let base = "https://example.org/a/b?x=1";
        assert_eq!(
            resolve(base, "/c").as_deref(),
            Some("https://example.org/c")
        );
        assert_eq!(
            resolve(base, "d#top").as_deref(),
            Some("https://example.org/a/d")
        );
        assert_eq!(
            resolve(base, "http://other.example/").as_deref(),
            Some("http://other.example/")
        );
        assert_eq!(resolve(base, "ftp://example.org/"), None);
    }

    #[test]
    fn the_user_agent_names_annals_and_its_version() {
        assert!(user_agent().starts_with(&format!("annals/{} (", env!("CARGO_PKG_VERSION"))));
    }
}
