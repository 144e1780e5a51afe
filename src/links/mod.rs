//! `annals check --links`: every external URL the site publishes, asked for
//! over HTTP — politely, per host — with what it found as diagnostics at
//! the places that publish each URL, and answers kept in `.annals/links.json`
//! for the next run. The network and that one file are all it touches.

mod cache;
mod findings;
mod http;
mod published;
mod schedule;

use std::collections::BTreeMap;
use std::fmt;
use std::path::Path;
use std::time::{Duration, Instant};

use jiff::Timestamp;

use crate::content::{self, Site};
use crate::diagnostic::{Diagnostics, Severity};
use crate::progress::{Progress, Steps};
use cache::Cache;
use findings::Checked;
use http::{Client, Outcome};

pub(crate) use cache::DIR as CACHE_DIR;

/// How `annals check --links` asks.
#[derive(Debug, Clone)]
pub struct LinkOptions {
    /// A cached answer younger than this is used instead of asking again.
    pub(crate) max_age: Duration,
    /// How long one request may take, from connecting to the response's
    /// headers.
    pub(crate) timeout: Duration,
    /// The longest a busy server's `Retry-After` is waited for.
    pub(crate) wait_cap: Duration,
    /// Between the starts of two requests to one host.
    pub(crate) delay: Duration,
    /// How a dead link is reported, unless it is a source's original with
    /// an archived copy (always a warning): an error by default, a warning
    /// for a check that should fail only on the site's own problems.
    pub(crate) dead: Severity,
}

impl Default for LinkOptions {
    fn default() -> Self {
        LinkOptions {
            max_age: Duration::from_secs(7 * 86_400),
            timeout: Duration::from_secs(15),
            wait_cap: Duration::from_secs(60),
            delay: Duration::from_secs(1),
            dead: Severity::Error,
        }
    }
}

/// What a link check did, for the line after the report.
#[derive(Debug)]
pub struct LinkSummary {
    /// `None` when the site had errors that kept links from being listed.
    ran: Option<Ran>,
}

#[derive(Debug)]
struct Ran {
    urls: usize,
    hosts: usize,
    /// URLs answered from the cache.
    cached: usize,
    max_age: Duration,
    took: Duration,
}

impl LinkSummary {
    /// Links were not checked: the site has errors.
    pub(crate) fn skipped() -> LinkSummary {
        LinkSummary { ran: None }
    }
}

impl fmt::Display for LinkSummary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let Some(ran) = &self.ran else {
            return write!(
                f,
                "links not checked: annals lists them from the site, which has errors (above)"
            );
        };
        let asked = ran.urls - ran.cached;
        let plural = |n: usize, what: &str| match n {
            1 => format!("1 {what}"),
            n => format!("{n} {what}s"),
        };
        let cache = format!(
            "{} (younger than {})",
            cache::path().display(),
            show_duration(ran.max_age)
        );
        match (asked, ran.cached) {
            (0, 0) => write!(f, "links: the site publishes no external link"),
            (0, cached) => write!(
                f,
                "links: {}, all answered from {cache}",
                plural(cached, "URL")
            ),
            (asked, cached) => {
                write!(
                    f,
                    "links: {} on {} asked for in {:.1} s",
                    plural(asked, "URL"),
                    plural(ran.hosts, "host"),
                    ran.took.as_secs_f64()
                )?;
                if cached > 0 {
                    write!(f, "; {cached} more answered from {cache}")?;
                }
                Ok(())
            }
        }
    }
}

/// Checks every external URL `site` (read from `root`) publishes, and
/// updates the cache. A cache that cannot be read or written is a
/// diagnostic too.
/// `progress` shows how many are done, on a terminal.
pub(crate) fn check(
    site: &Site,
    root: &Path,
    options: &LinkOptions,
    progress: &mut Progress,
) -> (Diagnostics, LinkSummary) {
    let started = Instant::now();
    let text_of = |path: &Path| content::read_checked(root, path).ok().map(|file| file.text);
    let published = published::published(site, &text_of);
    let mut found = Diagnostics::default();
    let (mut cache, unusable) = Cache::load(root);
    if let Some(warning) = unusable {
        found.push(warning);
    }
    let now = Timestamp::now();
    let mut checked: BTreeMap<String, Checked> = BTreeMap::new();
    let mut to_ask: Vec<&str> = Vec::new();
    for url in published.keys() {
        match cache.fresh(url, now, options.max_age) {
            Some(outcome) => {
                let answer = Checked {
                    outcome,
                    tries: 1,
                    wait_cut: None,
                };
                checked.insert(url.clone(), answer);
            }
            None => to_ask.push(url),
        }
    }
    let cached = checked.len();
    let hosts: Vec<String> = to_ask.iter().map(|url| host_of(url)).collect();
    let steps = progress.stage("checking links", Some(to_ask.len()));
    for (url, attempts) in to_ask.iter().zip(ask(&hosts, &to_ask, options, &steps)) {
        let wait_cut = http::longest_wait_cut(&attempts, options.wait_cap);
        let tries = attempts.len();
        let Some(outcome) = attempts.into_iter().last() else {
            continue;
        };
        cache.record(url, &outcome, now);
        let answer = Checked {
            outcome,
            tries,
            wait_cut,
        };
        checked.insert((*url).to_owned(), answer);
    }
    cache.retain(|url| published.contains_key(url));
    if let Err(errors) = cache.save(root) {
        found.extend(errors);
    }
    found.extend(findings::findings(&published, &checked, options));
    let mut distinct_hosts = hosts;
    distinct_hosts.sort();
    distinct_hosts.dedup();
    let summary = LinkSummary {
        ran: Some(Ran {
            urls: published.len(),
            hosts: distinct_hosts.len(),
            cached,
            max_age: options.max_age,
            took: started.elapsed(),
        }),
    };
    (found, summary)
}

/// Asks for each of `urls` (whose hosts are `hosts`), politely, a step of
/// `steps` each; each URL's attempts, in order.
fn ask(hosts: &[String], urls: &[&str], options: &LinkOptions, steps: &Steps) -> Vec<Vec<Outcome>> {
    let client = Client::new(options);
    schedule::run(
        hosts,
        options.delay,
        |job| client.check(urls[job]),
        |attempts| http::retry_in(attempts, options),
        |event| match event {
            // Hundreds of URLs take minutes: a silent terminal looks stuck.
            schedule::Event::Done { done } => {
                steps.say("checking links");
                steps.reach(done);
            }
            schedule::Event::Pausing { host, wait } => steps.say(format!(
                "checking links: {host} asked to wait; waiting {}",
                show_duration(wait)
            )),
        },
    )
}

/// The politeness unit: a URL's host and port (`example.org:443`).
fn host_of(url: &str) -> String {
    let parsed = url::Url::parse(url).ok();
    let host = parsed.as_ref().and_then(|u| u.host_str()).unwrap_or("");
    let port = parsed.as_ref().and_then(url::Url::port_or_known_default);
    match port {
        Some(port) => format!("{host}:{port}"),
        None => host.to_owned(),
    }
}

/// Units of `--links-max-age` and the other durations, largest first.
const UNITS: [(&str, u128); 5] = [
    ("d", 86_400_000),
    ("h", 3_600_000),
    ("m", 60_000),
    ("s", 1_000),
    ("ms", 1),
];

/// A duration as the command line takes it: a whole number and a unit
/// (`500ms`, `10s`, `5m`, `12h`, `7d`), or `0`.
pub(crate) fn parse_duration(text: &str) -> Result<Duration, String> {
    let text = text.trim();
    let digits = text
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(text.len());
    let (number, unit) = text.split_at(digits);
    let number: u64 = number
        .parse()
        .map_err(|_| format!("`{text}` is no duration: write a whole number and a unit, e.g. 7d, 12h, 30m, 10s or 500ms"))?;
    if number == 0 && unit.is_empty() {
        return Ok(Duration::ZERO);
    }
    let millis = UNITS
        .iter()
        .find(|(name, _)| *name == unit)
        .map(|(_, millis)| *millis)
        .ok_or_else(|| format!("`{unit}` is no unit of time: use d, h, m, s or ms (e.g. 7d)"))?;
    let total = u128::from(number) * millis;
    u64::try_from(total)
        .map(Duration::from_millis)
        .map_err(|_| format!("`{text}` is too long"))
}

/// `duration` in the largest unit that shows it whole: `7d`, `90s`.
pub(crate) fn show_duration(duration: Duration) -> String {
    let millis = duration.as_millis();
    if millis == 0 {
        return "0s".to_owned();
    }
    let (name, size) = UNITS
        .iter()
        .find(|(_, size)| millis.is_multiple_of(*size))
        .copied()
        .unwrap_or(("ms", 1));
    format!("{}{name}", millis / size)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_read_and_show_in_one_notation() {
        for (text, seconds) in [
            ("7d", 604_800),
            ("12h", 43_200),
            ("30m", 1_800),
            ("10s", 10),
        ] {
            let duration = parse_duration(text).unwrap();
            assert_eq!(duration, Duration::from_secs(seconds), "{text}");
            assert_eq!(show_duration(duration), text);
        }
        assert_eq!(parse_duration("250ms"), Ok(Duration::from_millis(250)));
        assert_eq!(show_duration(Duration::from_millis(1_500)), "1500ms");
        assert_eq!(parse_duration("0"), Ok(Duration::ZERO));
        assert_eq!(show_duration(Duration::ZERO), "0s");
        for bad in [
            "",
            "7",
            "d",
            "7 days",
            "-1s",
            "1.5h",
            "99999999999999999999d",
        ] {
            assert!(parse_duration(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn the_summary_says_what_was_asked_and_what_the_cache_answered() {
        let ran = |urls, hosts, cached| LinkSummary {
            ran: Some(Ran {
                urls,
                hosts,
                cached,
                max_age: Duration::from_secs(7 * 86_400),
                took: Duration::from_millis(4_250),
            }),
        };
        let cache = cache::path().display().to_string();
        assert_eq!(
            ran(12, 2, 0).to_string(),
            "links: 12 URLs on 2 hosts asked for in 4.2 s"
        );
        assert_eq!(
            ran(12, 1, 11).to_string(),
            format!(
                "links: 1 URL on 1 host asked for in 4.2 s; 11 more answered from {cache} (younger than 7d)"
            )
        );
        assert_eq!(
            ran(12, 0, 12).to_string(),
            format!("links: 12 URLs, all answered from {cache} (younger than 7d)")
        );
        assert_eq!(
            ran(0, 0, 0).to_string(),
            "links: the site publishes no external link"
        );
        assert!(
            LinkSummary::skipped()
                .to_string()
                .starts_with("links not checked")
        );
    }

    #[test]
    fn hosts_are_told_apart_by_port() {
        assert_eq!(host_of("https://example.org/a"), "example.org:443");
        assert_eq!(host_of("http://127.0.0.1:8080/a"), "127.0.0.1:8080");
    }
}
