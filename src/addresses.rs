//! Redirects: old addresses of the site (`redirect_from:` of articles and
//! people, `redirects:` of annals.yaml) and where each leads now, checked
//! against the pages and files a build has. Pure: the session gives it the
//! model and what the output holds.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use crate::config::{CONFIG_FILE, Withdrawn};
use crate::content::{OldPath, Site};
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::slug::MAX_SEGMENT;

/// Every old path of the site and its final target, both site-root paths
/// (`/articles/old/`, without the base_url's sub-path).
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub(crate) struct Redirects {
    pub(crate) rules: BTreeMap<String, String>,
}

/// `text` as a site-root path an old address may have: starting with `/`,
/// plain segments (no `.` or `..`, no empty ones), no query, fragment,
/// backslash, space, control character or percent-encoding.
pub(crate) fn site_path(text: &str) -> Result<String, String> {
    let text = text.trim();
    let Some(inside) = text.strip_prefix('/') else {
        return Err(format!(
            "`{text}` is not a path from the site root (it must start with `/`)"
        ));
    };
    if let Some(bad) = text
        .chars()
        .find(|c| matches!(c, '?' | '#' | '\\') || c.is_whitespace() || c.is_control())
    {
        return Err(format!(
            "`{text}` holds `{}`, which no path of the site can",
            bad.escape_debug()
        ));
    }
    if text.contains('%') {
        // Servers decode a request before finding its file, so a file
        // named `caf%C3%A9` answers only `/caf%25C3%25A9/`.
        let decoded = percent_encoding::percent_decode_str(text).decode_utf8_lossy();
        return Err(match site_path(&decoded) {
            Ok(decoded) => format!(
                "`{text}` is percent-encoded, as an address bar copies it; write it decoded: `{decoded}`"
            ),
            Err(_) => format!(
                "`{text}` is percent-encoded, and decoded (`{decoded}`) it is no path of the site either"
            ),
        });
    }
    let segments: Vec<&str> = inside
        .strip_suffix('/')
        .unwrap_or(inside)
        .split('/')
        .collect();
    let plain = |s: &&str| !s.is_empty() && *s != "." && *s != "..";
    if !inside.is_empty() && !segments.iter().all(plain) {
        return Err(format!("`{text}` has an empty, `.` or `..` segment"));
    }
    if text.contains('*') || segments.iter().any(|s| s.starts_with(':')) {
        // In `_redirects` (Netlify, Cloudflare Pages) `*` is a splat and
        // `:name` a placeholder: `/*` would send every missing address on.
        return Err(format!(
            "`{text}` holds `*` or a segment starting with `:`, which static hosts' redirect rules read as a wildcard"
        ));
    }
    if segments
        .iter()
        .any(|s| s.starts_with('.') && *s != ".well-known")
    {
        // A redirect page at `/.git/config/` would write into the output's
        // `.git`, which hosts and tools treat as no part of the site.
        return Err(format!(
            "`{text}` has a segment starting with `.`, which annals does not publish (but `.well-known`)"
        ));
    }
    if segments.iter().any(|s| s.len() > MAX_SEGMENT) {
        return Err(format!(
            "`{text}` has a segment longer than {MAX_SEGMENT} bytes, which no file name can hold"
        ));
    }
    Ok(text.to_owned())
}

/// Where an old path's redirect page goes in the output, if it gets one:
/// `/a/b/` and `/a/b` → `a/b/index.html`, `/a/b.html` → `a/b.html`. A path
/// with another extension (`/feed.xml`) gets only a `_redirects` rule: an
/// HTML page there would be served as what its name says it is.
pub(crate) fn page_file(old: &str) -> Option<String> {
    let inside = old.trim_start_matches('/');
    let last = inside
        .trim_end_matches('/')
        .rsplit('/')
        .next()
        .unwrap_or("");
    if inside.is_empty() || inside.ends_with('/') {
        Some(format!("{inside}index.html"))
    } else if last.ends_with(".html") {
        Some(inside.to_owned())
    } else if last.contains('.') {
        None
    } else {
        Some(format!("{inside}/index.html"))
    }
}

/// Whether two paths from the site root name one address (written with or
/// without a trailing `/` or `index.html`).
pub(crate) fn same_address(a: &str, b: &str) -> bool {
    key(a) == key(b)
}

/// The same address whether written with or without its trailing `/` or
/// `index.html`, for comparisons.
pub(crate) fn key(path: &str) -> &str {
    let path = path.strip_suffix("index.html").unwrap_or(path);
    path.strip_suffix('/').unwrap_or(path)
}

/// One redirect as written, with where it was written.
struct Written {
    old: String,
    target: String,
    file: PathBuf,
    line: usize,
    /// Whether the target is a page of the model (an article or person),
    /// which exists by construction.
    to_model: bool,
}

/// Every old path in `site` with its final target, or why not. `live`
/// holds the site-root paths of every page and file the build writes
/// besides redirects (pages, feeds, static files). Errors: an old path
/// that is also live, written twice, or not a path; a target that is not
/// live; a loop. A chain (an old path leading to another) is collapsed to
/// its end, with a warning.
pub(crate) fn resolve(site: &Site, live: &BTreeSet<String>) -> (Redirects, Diagnostics) {
    let mut found = Diagnostics::default();
    let live: BTreeSet<&str> = live.iter().map(|p| key(p)).collect();
    let mut written: BTreeMap<String, Written> = BTreeMap::new();
    for entry in declared(site) {
        let at = |message: String, hint: &str| {
            located(Diagnostic::error(&entry.file, message), entry.line).with_hint(hint)
        };
        if live.contains(key(&entry.old)) {
            found.push(at(
                format!("redirect from `{}`, which is a page of the site", entry.old),
                "remove it: the page there is live, and a redirect would hide it",
            ));
        } else if let Some(first) = written.get(key(&entry.old)) {
            found.push(at(
                format!(
                    "`{}` is redirected twice (also in {})",
                    entry.old,
                    first.file.display()
                ),
                "keep one: an old address can lead to one page only",
            ));
        } else {
            written.insert(key(&entry.old).to_owned(), entry);
        }
    }
    let mut rules = BTreeMap::new();
    // Each loop is reported once, at the first of its redirects.
    let mut looped: BTreeSet<String> = BTreeSet::new();
    for (old, entry) in &written {
        match follow(old, &written) {
            Err(_) if looped.contains(&entry.old) => {}
            Err(cycle) => {
                found.push(
                    located(
                        Diagnostic::error(
                            &entry.file,
                            format!("redirects loop: {}", cycle.join(" → ")),
                        ),
                        entry.line,
                    )
                    .with_hint("point one of them at a page of the site"),
                );
                looped.extend(cycle);
            }
            Ok(end) => {
                let last = &written[end];
                if !last.to_model && !live.contains(key(&last.target)) {
                    if std::ptr::eq(last, entry) {
                        found.push(
                            located(
                                Diagnostic::error(
                                    &entry.file,
                                    format!(
                                        "redirect from `{}` to `{}`, which is no page of the site",
                                        entry.old, entry.target
                                    ),
                                ),
                                entry.line,
                            )
                            .with_hint(
                                "point it at a page or file the site has, e.g. `/articles/SLUG/`",
                            ),
                        );
                    }
                    continue;
                }
                if end != old {
                    found.push(
                        located(Diagnostic::warning(&entry.file, format!(
                            "redirect from `{}` to `{}`, itself redirected: it leads to `{}`",
                            entry.old, entry.target, last.target
                        )), entry.line)
                        .with_hint(format!("point it at `{}` directly", last.target)),
                    );
                }
                rules.insert(entry.old.clone(), last.target.clone());
            }
        }
    }
    found.extend(withdrawals(site, &live, &rules));
    (Redirects { rules }, found)
}

/// Problems with `withdrawn:`: a withdrawn page that is live or
/// redirected, a withdrawn statement still in an article, or listed on no
/// page, an entry made twice.
fn withdrawals(
    site: &Site,
    live: &BTreeSet<&str>,
    rules: &BTreeMap<String, String>,
) -> Diagnostics {
    let mut found = Diagnostics::default();
    let ids: BTreeSet<&str> = (site.config.withdrawn.iter())
        .flat_map(|w| w.what.statement_ids())
        .collect();
    // Only the withdrawn ids are looked for, and the articles' addresses
    // listed once: a large archive has hundreds of thousands of both.
    let statements = still_recorded(site, &ids);
    let articles: BTreeSet<String> = match ids.is_empty() {
        true => BTreeSet::new(),
        false => (site.articles.iter())
            .map(|a| key(&crate::render::Urls::new("/").article(&a.slug)).to_owned())
            .collect(),
    };
    let pages: BTreeSet<&str> = (site.config.withdrawn.iter())
        .filter_map(|w| match &w.what {
            Withdrawn::Page(path) => Some(key(path)),
            Withdrawn::Statement { .. } => None,
        })
        .collect();
    let redirected: BTreeSet<&str> = rules.keys().map(|old| key(old)).collect();
    let mut seen: BTreeSet<String> = BTreeSet::new();
    for withdrawal in &site.config.withdrawn {
        let error = |message: String, hint: &str| {
            located(Diagnostic::error(CONFIG_FILE, message), withdrawal.line).with_hint(hint)
        };
        let (whats, problem) = match &withdrawal.what {
            Withdrawn::Page(path) => (
                vec![key(path).to_owned()],
                if live.contains(key(path)) {
                    Some(error(
                        format!("withdrawn `{path}` is a page of the site"),
                        "remove the page from the site, or this entry",
                    ))
                } else if redirected.contains(key(path)) {
                    Some(error(
                        format!("withdrawn `{path}` is also redirected"),
                        "keep one: a redirect if the page moved, `withdrawn` if it is gone",
                    ))
                } else {
                    None
                },
            ),
            Withdrawn::Statement { article, .. } => {
                let target = rules.get(article).map_or(article.as_str(), String::as_str);
                let listed = articles.contains(key(target)) || pages.contains(key(target));
                let ids: Vec<&str> = withdrawal.what.statement_ids().collect();
                let recorded = ids.iter().find_map(|id| Some((*id, statements.get(id)?)));
                (
                    ids.iter().map(|id| (*id).to_owned()).collect(),
                    match recorded {
                        Some((id, file)) => Some(error(
                            format!("withdrawn statement `{id}` is still in {}", file.display()),
                            "remove it from the article, or this entry",
                        )),
                        None if !listed => Some(error(
                            format!(
                                "withdrawn statement `{}`: `{article}` is no article of the site, nor a withdrawn page",
                                ids[0]
                            ),
                            "give the address of the article that recorded it: its page lists the statement as withdrawn",
                        )),
                        None => None,
                    },
                )
            }
        };
        if let Some(what) = whats.into_iter().find(|what| !seen.insert(what.clone())) {
            found.push(error(
                format!("`{what}` is withdrawn twice"),
                "keep one entry",
            ));
        } else if let Some(problem) = problem {
            found.push(problem);
        }
    }
    found
}

/// The article file still recording each of `ids`, by id or former id.
fn still_recorded<'s>(site: &'s Site, ids: &BTreeSet<&str>) -> BTreeMap<&'s str, &'s Path> {
    if ids.is_empty() {
        return BTreeMap::new();
    }
    (site.articles.iter())
        .flat_map(|a| a.statements.iter().map(move |s| (s, &a.file)))
        .flat_map(|(s, file)| {
            std::iter::once(&s.id)
                .chain(&s.former_ids)
                .map(move |id| (id.as_str(), file.as_path()))
        })
        .filter(|(id, _)| ids.contains(id))
        .collect()
}

/// The key of the written redirect a chain from `old` ends at, or the
/// paths of the loop it runs into.
fn follow<'w>(
    old: &'w str,
    written: &'w BTreeMap<String, Written>,
) -> Result<&'w str, Vec<String>> {
    let mut seen: Vec<&str> = vec![old];
    let mut at = old;
    while let Some((next, _)) = written.get_key_value(key(&written[at].target)) {
        if seen.contains(&next.as_str()) {
            let mut cycle: Vec<String> = seen.iter().map(|p| written[*p].old.clone()).collect();
            cycle.push(written[next.as_str()].old.clone());
            return Err(cycle);
        }
        seen.push(next);
        at = next;
    }
    Ok(at)
}

/// Every old path the site declares, with the file and line declaring it.
pub(crate) fn old_paths(site: &Site) -> Vec<(String, PathBuf, usize)> {
    let declared = declared(site).into_iter();
    declared.map(|w| (w.old, w.file, w.line)).collect()
}

/// Every redirect the site declares, in a stable order.
fn declared(site: &Site) -> Vec<Written> {
    let base = site.config.base_path();
    let page = |url: String| format!("/{}", url.strip_prefix(base).unwrap_or(&url));
    let mut all = Vec::new();
    for (old, target, line) in &site.config.redirects {
        all.push(Written {
            old: old.clone(),
            target: target.clone(),
            file: PathBuf::from(CONFIG_FILE),
            line: *line,
            to_model: false,
        });
    }
    let mut from_model = |paths: &[OldPath], file: &PathBuf, target: String| {
        for OldPath { path, line } in paths {
            all.push(Written {
                old: path.clone(),
                target: target.clone(),
                file: file.clone(),
                line: *line,
                to_model: true,
            });
        }
    };
    // A page's version in another language moved with it: `/ar/` and its
    // old path lead to `/ar/` and its new one, where that version exists
    // (an article's where it is translated, a person's in every language).
    let languages: Vec<&str> = site.config.languages.keys().map(String::as_str).collect();
    let in_language = |code: &str, paths: &[OldPath]| -> Vec<OldPath> {
        let each = paths.iter().map(|old| OldPath {
            path: format!("/{code}{}", old.path),
            line: old.line,
        });
        each.collect()
    };
    for article in &site.articles {
        let url = page(crate::render::Urls::new(base).article(&article.slug));
        from_model(&article.redirect_from, &article.file, url.clone());
        let translated = site.translations.articles.get(&article.slug);
        for code in languages
            .iter()
            .filter(|c| translated.is_some_and(|t| t.contains_key(**c)))
        {
            from_model(
                &in_language(code, &article.redirect_from),
                &article.file,
                format!("/{code}{url}"),
            );
        }
    }
    for person in site.people.values() {
        let url = crate::render::Urls::new(base).person(&person.id);
        for code in &languages {
            let own = page(url.clone());
            from_model(
                &in_language(code, &person.redirect_from),
                &person.file,
                format!("/{code}{own}"),
            );
        }
        from_model(&person.redirect_from, &person.file, page(url.clone()));
        // A person's page has their feed beside it, which readers subscribed
        // to: it moves with the page (a `_redirects` rule; feed readers
        // follow a 301).
        let feeds = (person.redirect_from.iter()).filter(|old| old.path.ends_with('/'));
        let feeds: Vec<OldPath> = feeds
            .map(|old| OldPath {
                path: format!("{}{FEED}", old.path),
                line: old.line,
            })
            .collect();
        from_model(&feeds, &person.file, page(format!("{url}{FEED}")));
    }
    all
}

/// The file name of a person's feed, beside their page.
const FEED: &str = "atom.xml";

fn located(diagnostic: Diagnostic, line: usize) -> Diagnostic {
    match line {
        0 => diagnostic,
        line => diagnostic.at_line(line),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn site_paths_are_plain_paths_from_the_root() {
        for good in [
            "/articles/old/",
            "/old",
            "/a/b.html",
            "/",
            "/sources/الجزيرة/",
        ] {
            assert!(site_path(good).is_ok(), "{good}");
        }
        for bad in [
            "articles/old/",
            "/a/../b",
            "/a//b",
            "/a/./b",
            "/a?b",
            "/a#b",
            "/a b",
            "/a\\b",
            "",
            "/%2e%2e/x/",
            "/*",
            "/old/*/",
            "/:lang/old/",
            "/.git/config/",
            "/a/.hidden",
        ] {
            assert!(site_path(bad).is_err(), "{bad}");
        }
        let encoded = site_path("/articles/caf%C3%A9-talks/").unwrap_err();
        assert!(
            encoded.ends_with("write it decoded: `/articles/café-talks/`"),
            "{encoded}"
        );
        // Decoded, no better: no decoded path is suggested.
        let escape = site_path("/x/%2e%2e/%2e%2e/esc3/").unwrap_err();
        assert!(escape.contains("no path of the site either"), "{escape}");
        assert!(site_path("/.well-known/security.txt").is_ok());
    }

    #[test]
    fn redirect_pages_go_where_a_host_looks_for_the_old_path() {
        assert_eq!(
            page_file("/articles/old/").as_deref(),
            Some("articles/old/index.html")
        );
        assert_eq!(
            page_file("/articles/old").as_deref(),
            Some("articles/old/index.html")
        );
        assert_eq!(page_file("/old.html").as_deref(), Some("old.html"));
        assert_eq!(page_file("/feed.xml"), None);
    }

    #[test]
    fn addresses_compare_with_or_without_their_trailing_slash() {
        assert_eq!(key("/a/b/"), key("/a/b"));
        assert_eq!(key("/a/b/index.html"), key("/a/b"));
    }
}
