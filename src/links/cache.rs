//! The result cache, `.annals/links.json` at the site root: each URL's last
//! answer and when it came, so that a re-run asks only for URLs whose
//! answer is older than `--links-max-age`. The one file `annals check`
//! writes: read through the loader, written through `output` (a temporary
//! file and a rename).
//!
//! ```json
//! {
//!   "version": 1,
//!   "links": {
//!     "https://example.org/a": { "checked": "2026-11-20T10:00:00Z", "status": 200 },
//!     "https://example.org/b": { "checked": "2026-11-20T10:00:00Z", "status": 200,
//!       "redirects": [{ "status": 301, "to": "https://example.org/c" }] }
//!   }
//! }
//! ```

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use super::http::{End, Outcome, Redirect, is_busy};
use crate::content;
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::output;

/// The folder at the site root that annals keeps its own state in.
pub(crate) const DIR: &str = ".annals";
const FILE: &str = "links.json";
/// Bumped when the format changes; a cache of another version is ignored.
const VERSION: u32 = 1;

#[derive(Debug, Default, Serialize, Deserialize)]
struct CacheFile {
    version: u32,
    links: BTreeMap<String, Entry>,
}

/// A server's answer for one URL.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct Entry {
    /// When it came: RFC 3339, UTC.
    checked: String,
    /// The last response's status, after `redirects`.
    status: u16,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    redirects: Vec<Redirect>,
}

/// The answers of the last runs, by URL.
#[derive(Debug, Default)]
pub(super) struct Cache {
    entries: BTreeMap<String, Entry>,
}

/// Where the cache is, relative to the site root.
pub(super) fn path() -> PathBuf {
    Path::new(DIR).join(FILE)
}

impl Cache {
    /// The cache of the site at `root`: empty when there is none, and with
    /// a warning when there is one that cannot be used (every link is then
    /// asked for again, and the file rewritten).
    pub(super) fn load(root: &Path) -> (Cache, Option<Diagnostic>) {
        if root.join(path()).symlink_metadata().is_err() {
            return (Cache::default(), None);
        }
        let read = content::read_checked(root, &path()).map_err(|errors| {
            let first = errors.iter().next().map(|d| d.message.clone());
            first.unwrap_or_else(|| "it cannot be read".to_owned())
        });
        let parsed = read.and_then(|file| {
            let cache: CacheFile = serde_json::from_str(&file.text).map_err(|e| e.to_string())?;
            match cache.version {
                VERSION => Ok(cache),
                other => Err(format!("it is of format version {other}, not {VERSION}")),
            }
        });
        match parsed {
            Ok(file) => (
                Cache {
                    entries: file.links,
                },
                None,
            ),
            Err(why) => (Cache::default(), Some(unusable(&why))),
        }
    }

    /// The answer for `url` if it came less than `max_age` before `now`.
    pub(super) fn fresh(&self, url: &str, now: Timestamp, max_age: Duration) -> Option<Outcome> {
        let entry = self.entries.get(url)?;
        let checked: Timestamp = entry.checked.parse().ok()?;
        is_fresh(checked, now, max_age).then(|| Outcome {
            redirects: entry.redirects.clone(),
            end: End::Status {
                code: entry.status,
                retry_after: None,
            },
        })
    }

    /// Records the outcome of asking for `url` at `checked`, if it is an
    /// answer worth keeping; an older entry for it goes either way.
    pub(super) fn record(&mut self, url: &str, outcome: &Outcome, checked: Timestamp) {
        self.entries.remove(url);
        if let Some(status) = kept(outcome) {
            let entry = Entry {
                checked: whole_seconds(checked).to_string(),
                status,
                redirects: outcome.redirects.clone(),
            };
            self.entries.insert(url.to_owned(), entry);
        }
    }

    /// Forgets every URL for which `published` is false: the cache holds
    /// only what the site publishes now.
    pub(super) fn retain(&mut self, published: impl Fn(&str) -> bool) {
        self.entries.retain(|url, _| published(url));
    }

    /// Writes the cache into the site at `root`, atomically. A cache that
    /// cannot be written is a warning: the findings stand, and only the
    /// next check is slower (a read-only checkout in CI must not fail).
    pub(super) fn save(&self, root: &Path) -> Result<(), Diagnostics> {
        let dir = root.join(DIR);
        // A link would write the file wherever it points, outside the site.
        if dir
            .symlink_metadata()
            .is_ok_and(|m| m.file_type().is_symlink())
        {
            return Err(unwritable(
                &format!("{DIR} is a symbolic link"),
                &format!(
                    "remove the link {DIR}: annals keeps its link cache in a folder of that name and writes nowhere else"
                ),
            ));
        }
        let file = CacheFile {
            version: VERSION,
            links: self.entries.clone(),
        };
        let hint = format!(
            "the findings stand; make {DIR}/ a writable folder (or remove what is in its way) so that the next check can reuse them"
        );
        let json =
            serde_json::to_string_pretty(&file).map_err(|e| unwritable(&e.to_string(), &hint))?;
        output::write_if_changed(&dir, FILE, format!("{json}\n").as_bytes())
            .map(|_| ())
            .map_err(|e| unwritable(&e.to_string(), &hint))
    }
}

fn unwritable(why: &str, hint: &str) -> Diagnostics {
    let message = format!("could not write the link cache: {why}");
    Diagnostic::warning(path(), message).with_hint(hint).into()
}

/// The status worth keeping from `outcome`: a server's answer, not its
/// "come back later" (429, 5xx) nor a failure to get one, which are as
/// likely the network's fault as the link's, and are asked again each run.
fn kept(outcome: &Outcome) -> Option<u16> {
    match outcome.end {
        End::Status { code, .. } if !is_busy(code) && code < 500 => Some(code),
        _ => None,
    }
}

/// `time` without its fraction of a second: cut, not rounded, as rounding
/// up would date an answer in the future, which [`is_fresh`] refuses.
fn whole_seconds(time: Timestamp) -> Timestamp {
    let round = jiff::TimestampRound::new()
        .smallest(jiff::Unit::Second)
        .mode(jiff::RoundMode::Trunc);
    time.round(round).unwrap_or(time)
}

/// Whether an answer of `checked` is younger than `max_age` at `now`. One
/// from the future (a clock set back) is not: its age is unknown.
pub(super) fn is_fresh(checked: Timestamp, now: Timestamp, max_age: Duration) -> bool {
    let age = checked.duration_until(now);
    Duration::try_from(age).is_ok_and(|age| age < max_age)
}

fn unusable(why: &str) -> Diagnostic {
    Diagnostic::warning(
        path(),
        format!("the link cache could not be used ({why}); every link was asked for again"),
    )
    .with_hint(
        "nothing to do: this check writes a new one; if this repeats, delete the .annals folder",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> Timestamp {
        text.parse().unwrap()
    }

    #[test]
    fn answers_expire_after_max_age() {
        let day = Duration::from_secs(86_400);
        let checked = at("2026-11-20T10:00:00Z");
        assert!(is_fresh(checked, at("2026-11-20T10:00:00Z"), day));
        assert!(is_fresh(checked, at("2026-11-21T09:59:59Z"), day));
        assert!(!is_fresh(checked, at("2026-11-21T10:00:00Z"), day));
        assert!(
            !is_fresh(checked, at("2026-11-19T10:00:00Z"), day),
            "future"
        );
        assert!(!is_fresh(checked, checked, Duration::ZERO), "max age 0");
    }

    #[test]
    fn only_answers_are_kept_and_they_read_back() {
        let mut cache = Cache::default();
        let now = at("2026-11-20T10:00:00.5Z");
        let week = Duration::from_secs(7 * 86_400);
        let moved = Outcome {
            redirects: vec![Redirect {
                status: 301,
                to: "https://b/".to_owned(),
            }],
            ..Outcome::status(200)
        };
        cache.record("https://a/", &moved, now);
        cache.record("https://gone/", &Outcome::status(410), now);
        for busy in [429, 503, 500] {
            cache.record(&format!("https://busy/{busy}"), &Outcome::status(busy), now);
        }
        let timed_out = Outcome {
            redirects: Vec::new(),
            end: End::Failed(super::super::http::Failure::TimedOut),
        };
        cache.record("https://slow/", &timed_out, now);
        assert_eq!(cache.entries.len(), 2);
        assert_eq!(cache.entries["https://a/"].checked, "2026-11-20T10:00:00Z");
        assert!(
            cache.fresh("https://a/", now, week).is_some(),
            "fresh at once"
        );
        let later = at("2026-11-21T10:00:00Z");
        assert_eq!(cache.fresh("https://a/", later, week), Some(moved));
        assert_eq!(
            cache.fresh("https://a/", later, Duration::from_secs(60)),
            None
        );
        // A failure replaces an older answer: it is asked for again next time.
        cache.record("https://gone/", &timed_out, later);
        assert_eq!(cache.fresh("https://gone/", later, week), None);
        cache.retain(|url| url != "https://a/");
        assert_eq!(cache.entries.len(), 0);
    }
}
