//! What a checked URL means where it is published: the [`Verdict`] on its
//! outcome, and the diagnostic each place that publishes it gets. Pure.

use std::collections::BTreeMap;
use std::time::Duration;

use super::LinkOptions;
use super::http::{End, Failure, MAX_REDIRECTS, Outcome, is_busy, is_permanent, is_redirect};
use super::published::{Place, Published, Role};
use crate::diagnostic::{Diagnostic, Diagnostics, Severity};

/// A URL's outcome, with how it was reached.
#[derive(Debug, Clone)]
pub(super) struct Checked {
    pub outcome: Outcome,
    /// Requests made for it this run, retries included (1 when cached).
    pub tries: usize,
    /// The longest wait a busy server asked for that the cap cut short.
    pub wait_cut: Option<Duration>,
}

/// What an outcome says about a URL, wherever it is published.
#[derive(Debug, PartialEq, Eq)]
pub(super) enum Verdict<'a> {
    /// It opens: directly or through temporary redirects.
    Fine,
    /// It opens, but its first redirect says it moved for good, to `to`.
    Moved { status: u16, to: &'a str },
    /// It does not open (404, 410, no such host, refused, timed out).
    Dead(String),
    /// No telling: the server answered something else, or the connection
    /// failed in a way that may be the network's fault.
    Unverified(String),
}

impl Verdict<'_> {
    /// Whether a reader following the link gets the page.
    fn opens(&self) -> bool {
        matches!(self, Verdict::Fine | Verdict::Moved { .. })
    }
}

/// The verdict on `checked`.
pub(super) fn verdict<'a>(checked: &'a Checked, options: &LinkOptions) -> Verdict<'a> {
    let Outcome { redirects, end } = &checked.outcome;
    // Where the last answer came from, when redirects led elsewhere.
    let at = redirects
        .last()
        .map(|r| format!(" at `{}`", r.to))
        .unwrap_or_default();
    match end {
        End::Status { code, .. } if (200..300).contains(code) => moved(&checked.outcome),
        End::Status {
            code: code @ (404 | 410),
            ..
        } => Verdict::Dead(format!("{}{at}", status_text(*code))),
        End::Status { code, .. } if is_busy(*code) => {
            Verdict::Unverified(busy(checked, *code, options))
        }
        End::Status { code, .. } if is_redirect(*code) => Verdict::Unverified(format!(
            "answered {}{at} without saying where to",
            status_text(*code)
        )),
        End::Status { code, .. } => {
            Verdict::Unverified(format!("answered {}{at}", status_text(*code)))
        }
        End::Failed(failure) => failed(failure, checked.tries, &at, options),
    }
}

/// `Fine`, or `Moved` when the first redirect is permanent: to the last
/// URL reached by permanent redirects alone (a temporary one after them
/// is no new address).
fn moved(outcome: &Outcome) -> Verdict<'_> {
    let permanent = outcome
        .redirects
        .iter()
        .take_while(|r| is_permanent(r.status));
    match (outcome.redirects.first(), permanent.last()) {
        (Some(first), Some(last)) => Verdict::Moved {
            status: first.status,
            to: &last.to,
        },
        _ => Verdict::Fine,
    }
}

fn busy(checked: &Checked, code: u16, options: &LinkOptions) -> String {
    let tries = checked.tries;
    let cut = checked.wait_cut.map(|asked| {
        format!(
            " (it asked to wait {}; annals waits at most {}: see --links-wait-cap)",
            roughly(asked),
            super::show_duration(options.wait_cap)
        )
    });
    format!(
        "still answered {} after {tries} tries{}",
        status_text(code),
        cut.unwrap_or_default()
    )
}

/// `duration` in its largest unit, rounded down: a wait until a date
/// decades off is `26000d`, not a count of seconds.
fn roughly(duration: Duration) -> String {
    let millis = duration.as_millis();
    let unit = super::UNITS.iter().find(|(_, size)| millis >= *size);
    match unit {
        Some((name, size)) if !millis.is_multiple_of(*size) => {
            format!("over {}{name}", millis / size)
        }
        _ => super::show_duration(duration),
    }
}

fn failed<'a>(failure: &Failure, tries: usize, at: &str, options: &LinkOptions) -> Verdict<'a> {
    match failure {
        Failure::NoSuchHost => Verdict::Dead(format!("no such host{at}")),
        Failure::Refused => Verdict::Dead(format!("connection refused{at}")),
        Failure::TimedOut => Verdict::Dead(format!(
            "no answer{at} within {}, {tries} {}",
            super::show_duration(options.timeout),
            if tries == 1 { "try" } else { "tries" }
        )),
        Failure::TooManyRedirects => {
            Verdict::Unverified(format!("more than {MAX_REDIRECTS} redirects, the last{at}"))
        }
        Failure::BadRedirect(location) => Verdict::Unverified(format!(
            "redirected{at} to `{location}`, which is no http(s) URL"
        )),
        Failure::Broken(error) => Verdict::Unverified(format!("the connection broke{at}: {error}")),
        Failure::Unreadable(error) => {
            Verdict::Unverified(format!("the answer{at} could not be read: {error}"))
        }
        Failure::Other(error) => Verdict::Unverified(format!("{error}{at}")),
    }
}

/// `404 Not Found`.
fn status_text(code: u16) -> String {
    let reason = ureq::http::StatusCode::from_u16(code)
        .ok()
        .and_then(|status| status.canonical_reason());
    match reason {
        Some(reason) => format!("{code} {reason}"),
        None => code.to_string(),
    }
}

/// A diagnostic for each place publishing a URL that does not simply open.
pub(super) fn findings(
    published: &Published,
    checked: &BTreeMap<String, Checked>,
    options: &LinkOptions,
) -> Diagnostics {
    let verdicts: BTreeMap<&str, Verdict> = checked
        .iter()
        .map(|(url, checked)| (url.as_str(), verdict(checked, options)))
        .collect();
    let archived = |archive: &str| match verdicts.get(archive) {
        Some(verdict) if verdict.opens() => Archived::Opens,
        Some(Verdict::Dead(_)) => Archived::Dead,
        _ => Archived::Unchecked,
    };
    let mut found = Diagnostics::default();
    for (url, places) in published {
        let Some(verdict) = verdicts.get(url.as_str()) else {
            continue;
        };
        for place in places {
            if let Some(diagnostic) = finding(url, place, verdict, &archived, options.dead) {
                found.push(diagnostic);
            }
        }
    }
    found
}

/// What became of a source's archived copy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Archived {
    Opens,
    Dead,
    /// It could not be checked (its own finding says why): a web archive
    /// that turns robots away is no reason to call the source lost.
    Unchecked,
}

/// What `place` gets for publishing `url` of `verdict`; `dead` is how a
/// dead link with no archived copy that opens is reported.
fn finding(
    url: &str,
    place: &Place,
    verdict: &Verdict,
    archived: &dyn Fn(&str) -> Archived,
    dead: Severity,
) -> Option<Diagnostic> {
    let subject = match &place.role {
        Role::Original { source, .. } => format!("source `{source}`: `{url}`"),
        Role::Archive { source, .. } => format!("source `{source}`: the archived copy `{url}`"),
        Role::PersonLink | Role::BodyLink => format!("link to `{url}`"),
    };
    let (diagnostic, hint) = match verdict {
        Verdict::Fine => return None,
        Verdict::Moved { status, to } => (
            Diagnostic::warning(
                &place.file,
                format!(
                    "{subject} has moved for good ({}) to `{to}`",
                    status_text(*status)
                ),
            ),
            format!("replace it with its new address, `{to}`"),
        ),
        Verdict::Unverified(why) => (
            Diagnostic::warning(
                &place.file,
                format!("{subject} could not be checked: {why}"),
            ),
            "open it in a browser: some servers turn robots away; if it is gone, replace it"
                .to_owned(),
        ),
        Verdict::Dead(why) => {
            let (message, hint, lost) = dead_link(url, &place.role, &subject, why, archived);
            let mut diagnostic = Diagnostic::warning(&place.file, message);
            if lost {
                diagnostic.severity = dead;
            }
            (diagnostic, hint)
        }
    };
    let diagnostic = diagnostic.with_hint(hint);
    Some(match place.line {
        Some(line) => diagnostic.at_line(line),
        None => diagnostic,
    })
}

/// Where the Wayback Machine lists its copies of `url`.
fn wayback(url: &str) -> String {
    format!("https://web.archive.org/web/*/{url}")
}

/// The message and hint for a dead `url`, and whether what it published is
/// lost to readers: not so for a source's original while its archived copy
/// opens (or may: it could not be checked), which is a warning.
fn dead_link(
    url: &str,
    role: &Role,
    subject: &str,
    why: &str,
    archived: &dyn Fn(&str) -> Archived,
) -> (String, String, bool) {
    let message = format!("{subject} is dead: {why}");
    match role {
        Role::Original {
            archive: Some(archive),
            archived: day,
            ..
        } => match archived(archive) {
            Archived::Opens => (
                match day {
                    Some(day) => format!("{message}, but archived at `{archive}` on {day}"),
                    None => format!("{message}, but archived at `{archive}`"),
                },
                "readers can still read the archived copy; if the document moved, update `url:` to its new address"
                    .to_owned(),
                false,
            ),
            Archived::Unchecked => (
                format!("{message}, but archived at `{archive}`, which could not be checked"),
                "open the archived copy in a browser; if it is gone too, replace `archive:`"
                    .to_owned(),
                false,
            ),
            Archived::Dead => (
                format!("{message}, and so is its archived copy `{archive}`"),
                format!(
                    "find where the document moved and update `url:`, or replace `archive:` with a copy that opens; the Wayback Machine may hold one: {}",
                    wayback(url)
                ),
                true,
            ),
        },
        Role::Original { archive: None, .. } => (
            message,
            format!(
                "add `archive:` with an archived copy, or update `url:` if the document moved; the Wayback Machine may hold a copy: {}",
                wayback(url)
            ),
            true,
        ),
        Role::Archive { original, .. } => {
            let elsewhere = original
                .as_deref()
                .map(|original| format!("; the Wayback Machine may hold one: {}", wayback(original)))
                .unwrap_or_default();
            (
                message,
                format!("replace `archive:` with an archived copy that opens{elsewhere}"),
                true,
            )
        }
        Role::PersonLink => (
            message,
            "update the link in `links:`, or remove it".to_owned(),
            true,
        ),
        Role::BodyLink => (
            message,
            format!(
                "update the link, or link to an archived copy of the page; the Wayback Machine may hold one: {}",
                wayback(url)
            ),
            true,
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::super::http::Redirect;
    use super::*;

    fn checked(redirects: &[(u16, &str)], end: End) -> Checked {
        Checked {
            outcome: Outcome {
                redirects: redirects
                    .iter()
                    .map(|&(status, to)| Redirect {
                        status,
                        to: to.to_owned(),
                    })
                    .collect(),
                end,
            },
            tries: 1,
            wait_cut: None,
        }
    }

    fn status(code: u16) -> End {
        End::Status {
            code,
            retry_after: None,
        }
    }

    #[track_caller]
    fn case(checked: &Checked, expected: &str) {
        let shown = match verdict(checked, &LinkOptions::default()) {
            Verdict::Fine => "fine".to_owned(),
            Verdict::Moved { status, to } => format!("moved {status} {to}"),
            Verdict::Dead(why) => format!("dead: {why}"),
            Verdict::Unverified(why) => format!("unverified: {why}"),
        };
        assert_eq!(shown, expected);
    }

    #[test]
    fn outcomes_are_judged() {
        case(&checked(&[], status(200)), "fine");
        case(&checked(&[(302, "https://b/")], status(200)), "fine");
        case(
            &checked(&[(301, "https://b/")], status(204)),
            "moved 301 https://b/",
        );
        case(
            &checked(&[(308, "https://b/"), (301, "https://c/")], status(200)),
            "moved 308 https://c/",
        );
        case(
            &checked(&[(301, "https://b/"), (302, "https://c/")], status(200)),
            "moved 301 https://b/",
        );
        case(
            &checked(&[(307, "https://b/"), (301, "https://c/")], status(200)),
            "fine",
        );
        case(&checked(&[], status(404)), "dead: 404 Not Found");
        case(
            &checked(&[(301, "https://b/")], status(410)),
            "dead: 410 Gone at `https://b/`",
        );
        case(
            &checked(&[], End::Failed(Failure::NoSuchHost)),
            "dead: no such host",
        );
        case(
            &checked(&[], End::Failed(Failure::Refused)),
            "dead: connection refused",
        );
        case(
            &Checked {
                tries: 2,
                ..checked(&[], End::Failed(Failure::TimedOut))
            },
            "dead: no answer within 15s, 2 tries",
        );
        case(
            &checked(&[], status(403)),
            "unverified: answered 403 Forbidden",
        );
        case(
            &checked(&[], status(500)),
            "unverified: answered 500 Internal Server Error",
        );
        case(
            &checked(&[], status(301)),
            "unverified: answered 301 Moved Permanently without saying where to",
        );
        case(
            &Checked {
                tries: 3,
                wait_cut: Some(Duration::from_secs(3600)),
                ..checked(&[], status(429))
            },
            "unverified: still answered 429 Too Many Requests after 3 tries (it asked to wait 1h; annals waits at most 1m: see --links-wait-cap)",
        );
    }

    #[test]
    fn long_waits_are_shown_in_their_largest_unit() {
        assert_eq!(roughly(Duration::from_secs(3600)), "1h");
        assert_eq!(roughly(Duration::from_secs(2_307_412_345)), "over 26706d");
        assert_eq!(roughly(Duration::from_secs(90)), "over 1m");
        assert_eq!(roughly(Duration::ZERO), "0s");
    }

    fn place(role: Role) -> Place {
        Place {
            file: "content/articles/a.md".into(),
            line: Some(7),
            role,
        }
    }

    fn original(archive: Option<&str>) -> Role {
        Role::Original {
            source: "briefing".to_owned(),
            archive: archive.map(str::to_owned),
            archived: None,
        }
    }

    /// The severity and message of the finding on `role` for a dead URL,
    /// when the archive is as `archived` and dead links are `dead`.
    fn dead_finding(role: Role, archived: Archived, dead: Severity) -> (Severity, String) {
        let verdict = Verdict::Dead("404 Not Found".to_owned());
        let archived = move |_: &str| archived;
        let found = finding("https://a/", &place(role), &verdict, &archived, dead);
        let found = found.expect("a finding");
        assert_eq!(found.line, Some(7));
        assert!(found.hint.is_some());
        (found.severity, found.message)
    }

    #[test]
    fn a_dead_original_is_a_warning_unless_its_archived_copy_is_dead_too() {
        let archived = Some("https://archive/");
        let error = Severity::Error;
        assert_eq!(
            dead_finding(original(archived), Archived::Opens, error),
            (
                Severity::Warning,
                "source `briefing`: `https://a/` is dead: 404 Not Found, but archived at `https://archive/`"
                    .to_owned()
            )
        );
        let dated = Role::Original {
            source: "briefing".to_owned(),
            archive: archived.map(str::to_owned),
            archived: Some("1 May 2021".to_owned()),
        };
        assert_eq!(
            dead_finding(dated, Archived::Opens, error).1,
            "source `briefing`: `https://a/` is dead: 404 Not Found, but archived at `https://archive/` on 1 May 2021"
        );
        assert_eq!(
            dead_finding(original(archived), Archived::Unchecked, error),
            (
                Severity::Warning,
                "source `briefing`: `https://a/` is dead: 404 Not Found, but archived at `https://archive/`, which could not be checked"
                    .to_owned()
            )
        );
        assert_eq!(
            dead_finding(original(archived), Archived::Dead, error),
            (
                Severity::Error,
                "source `briefing`: `https://a/` is dead: 404 Not Found, and so is its archived copy `https://archive/`"
                    .to_owned()
            )
        );
        assert_eq!(
            dead_finding(original(None), Archived::Opens, error).0,
            Severity::Error
        );
        let archive = Role::Archive {
            source: "briefing".to_owned(),
            original: Some("https://a/".to_owned()),
        };
        assert_eq!(
            dead_finding(archive, Archived::Opens, error).0,
            Severity::Error
        );
        assert_eq!(
            dead_finding(Role::PersonLink, Archived::Opens, error).0,
            Severity::Error
        );
        assert_eq!(
            dead_finding(Role::BodyLink, Archived::Opens, error).0,
            Severity::Error
        );
    }

    #[test]
    fn dead_links_may_be_warnings_and_hints_point_at_the_wayback_machine() {
        let warning = Severity::Warning;
        for role in [original(None), Role::BodyLink, Role::PersonLink] {
            assert_eq!(
                dead_finding(role, Archived::Dead, warning).0,
                Severity::Warning
            );
        }
        let verdict = Verdict::Dead("410 Gone".to_owned());
        let found = finding(
            "https://a/",
            &place(original(None)),
            &verdict,
            &|_| Archived::Dead,
            Severity::Error,
        );
        let hint = found.and_then(|found| found.hint).unwrap_or_default();
        assert!(hint.contains("add `archive:`"), "{hint}");
        assert!(
            hint.ends_with("https://web.archive.org/web/*/https://a/"),
            "{hint}"
        );
    }

    #[test]
    fn a_permanent_move_is_a_warning_naming_the_new_address() {
        let moved = Verdict::Moved {
            status: 301,
            to: "https://b/",
        };
        let opens = |_: &str| Archived::Opens;
        let body = place(Role::BodyLink);
        let found = finding("https://a/", &body, &moved, &opens, Severity::Error);
        let found = found.expect("a finding");
        assert_eq!(found.severity, Severity::Warning);
        assert_eq!(
            found.message,
            "link to `https://a/` has moved for good (301 Moved Permanently) to `https://b/`"
        );
        let fine = finding("https://a/", &body, &Verdict::Fine, &opens, Severity::Error);
        assert!(fine.is_none());
    }
}
