//! `annals.yaml` → [`Config`]: the site-wide settings.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::content::Moment;
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::markdown::RawHtml;
use crate::yaml;

pub(crate) const CONFIG_FILE: &str = "annals.yaml";

/// Site settings, as written in `annals.yaml`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Config {
    pub title: String,
    #[serde(default)]
    pub description: String,
    /// Where the site is published, e.g. `https://example.org/archive/`.
    pub base_url: String,
    /// The address feed ids are made from, when the site moved from it
    /// (`feed_id_base:`): RFC 4287 ids never change, so a feed reader does
    /// not get every entry again as new. `base_url` when not given.
    #[serde(default)]
    pub feed_id_base: Option<String>,
    /// BCP 47 language of the site, for `<html lang>`: the default one,
    /// served at the root.
    #[serde(default = "default_language")]
    pub language: String,
    /// The site's other languages, by BCP 47 code (`languages:`); content
    /// is translated into them by sibling files (`<name>.<code>.md`).
    #[serde(default)]
    pub languages: BTreeMap<String, LanguageConfig>,
    /// Output directory, relative to the site root.
    #[serde(default = "default_output")]
    pub output: PathBuf,
    #[serde(default)]
    pub markdown: MarkdownConfig,
    /// Items per page of long lists (home, people, publishers, years,
    /// topics and places); 0 puts every list on one page.
    #[serde(default = "default_paginate")]
    pub paginate: usize,
    /// Make every internal link relative to its page, so the output works
    /// opened from disk (`file://`) and moved to any host or path.
    #[serde(default)]
    pub relative_urls: bool,
    /// Old addresses and where each leads now, as written (`redirects:`).
    #[serde(default, rename = "redirects")]
    written_redirects: BTreeMap<String, String>,
    /// The same, checked, in file order: (old path, new path, line).
    #[serde(skip)]
    pub redirects: Vec<(String, String, usize)>,
    /// Pages and statements removed on purpose, as written (`withdrawn:`).
    #[serde(default, rename = "withdrawn")]
    written_withdrawn: Vec<WithdrawnFields>,
    /// The same, checked, in file order.
    #[serde(skip)]
    pub withdrawn: Vec<Withdrawal>,
    /// What a news, social or official source that links its original and
    /// no archived copy is: nothing, a warning (default) or an error.
    #[serde(default)]
    pub require_archive: RequireArchive,
    /// Where the site is published: the build fails when its output would
    /// not fit that host's limits.
    #[serde(default)]
    pub host: crate::hosts::Host,
    /// The line of `host:`, for the errors it causes (0: not written).
    #[serde(skip)]
    pub host_line: usize,
    /// The license of the site's data, for `datapackage.json` and `/data/`.
    #[serde(default)]
    pub license: Option<License>,
}

/// One entry of `languages:`: what the site is called in that language,
/// and how its lists treat what is not translated.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct LanguageConfig {
    pub title: String,
    #[serde(default)]
    pub description: String,
    /// Items per page of long lists in this language; the site's when absent.
    #[serde(default)]
    pub paginate: Option<usize>,
    #[serde(default)]
    pub untranslated: Untranslated,
}

/// What another language's lists do with an article, person or page that
/// has no translation into it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum Untranslated {
    /// Listed, linking the original, marked with its language: statements
    /// matter to every reader.
    #[default]
    Show,
    /// Left out.
    Hide,
}

/// `license:`: what others may do with the data. Written into the data
/// package as its spec has it (`path` for the address).
#[derive(Debug, Clone, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct License {
    /// An SPDX identifier, e.g. `CC-BY-4.0`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(rename(serialize = "path"), skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
}

/// The `require_archive:` setting.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum RequireArchive {
    /// For a site that keeps no archived copies.
    Off,
    /// A warning of `annals check`, an error with `--strict`.
    #[default]
    Warn,
    /// An error of every build.
    Error,
}

/// One entry of `withdrawn:` as written.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct WithdrawnFields {
    path: Option<String>,
    statement: Option<String>,
    article: Option<String>,
    #[serde(default)]
    former_ids: Vec<String>,
    date: String,
    reason: String,
}

/// A page or statement taken off the site on purpose: its old address
/// shows a notice of what went, when and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Withdrawal {
    pub what: Withdrawn,
    pub date: Moment,
    pub reason: String,
    /// Line of the entry in `annals.yaml`.
    pub line: usize,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Withdrawn {
    /// A page, by its path from the site root.
    Page(String),
    /// A statement, by its id, and the article that recorded it (a path
    /// from the site root), whose page lists it as withdrawn; its former
    /// ids, published as anchors, land on the notice too.
    Statement {
        id: String,
        article: String,
        former_ids: Vec<String>,
    },
}

impl Withdrawn {
    /// The statement ids a withdrawal answers for: a statement's id and
    /// its former ids; none for a page.
    pub(crate) fn statement_ids(&self) -> impl Iterator<Item = &str> {
        let (id, former) = match self {
            Withdrawn::Statement { id, former_ids, .. } => (Some(id), former_ids.as_slice()),
            Withdrawn::Page(_) => (None, &[][..]),
        };
        id.into_iter().chain(former).map(String::as_str)
    }
}

/// The `markdown:` section.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct MarkdownConfig {
    /// `keep` (default) or `strip`: what to do with raw HTML in bodies.
    #[serde(default)]
    pub raw_html: RawHtml,
}

fn default_language() -> String {
    "en".to_owned()
}

fn default_paginate() -> usize {
    50
}

fn default_output() -> PathBuf {
    PathBuf::from("public")
}

/// The `redirects:` map checked, each with its line: both sides paths from
/// the site root.
fn redirects(
    written: &BTreeMap<String, String>,
    text: &str,
    errors: &mut Diagnostics,
) -> Vec<(String, String, usize)> {
    let mut checked = Vec::new();
    for (old, new) in written {
        let line = entry_line(text, "redirects", |entry| entry.starts_with(old.as_str()));
        match (
            crate::addresses::site_path(old),
            crate::addresses::site_path(new),
        ) {
            (Ok(old), Ok(new)) => checked.push((old, new, line)),
            (Err(why), _) | (_, Err(why)) => {
                let mut diagnostic = Diagnostic::error(CONFIG_FILE, format!("redirects: {why}"))
                    .with_hint("write both as paths from the site root, e.g. `/sources/old-name/: /sources/new-name/`");
                if line > 0 {
                    diagnostic = diagnostic.at_line(line).with_snippet_from(text);
                }
                errors.push(diagnostic);
            }
        }
    }
    checked.sort_by_key(|(_, _, line)| *line);
    checked
}

/// The 1-based line of the first indented entry under the top-level
/// `section:` that `is_entry` accepts (given the line without its indent
/// and opening quote); the section's line when none does, 0 when there is
/// no such section.
fn entry_line(text: &str, section: &str, is_entry: impl Fn(&str) -> bool) -> usize {
    let lines: Vec<&str> = text.lines().collect();
    let Some(start) = lines
        .iter()
        .position(|l| l.starts_with(&format!("{section}:")))
    else {
        return 0;
    };
    let found = lines[start + 1..].iter().position(|l| {
        let entry = l.trim_start().trim_start_matches(['"', '\'']);
        l.starts_with([' ', '\t']) && is_entry(entry)
    });
    found.map_or(start + 1, |i| start + i + 2)
}

/// `url`, the value of `key`, checked as the address of a site's folder and
/// written `scheme://host[:port]/path/`.
fn site_address(key: &str, url: &str) -> Result<String, Diagnostics> {
    let parsed = url::Url::parse(url)
        .ok()
        .filter(|u| matches!(u.scheme(), "http" | "https"));
    let Some(mut parsed) = parsed else {
        return Err(
            Diagnostic::error(CONFIG_FILE, format!("{key} `{url}` is not an http(s) URL"))
                .with_hint(format!(
                    "write it in full, e.g. `{key}: https://example.org/archive/`"
                ))
                .into(),
        );
    };
    // Every page, feed and sitemap carries the address: credentials in it
    // would be published, and a query or a fragment would make every link
    // under it something else.
    let refuse = |what: &str| -> Result<String, Diagnostics> {
        Err(Diagnostic::error(CONFIG_FILE, format!("{key} `{url}` has {what}"))
            .with_hint(format!("give the site's public address alone, e.g. `{key}: https://example.org/archive/`"))
            .into())
    };
    if !parsed.username().is_empty() || parsed.password().is_some() {
        return refuse("a user name or password, which every page would publish");
    }
    if parsed.query().is_some() || parsed.fragment().is_some() {
        return refuse("a `?query` or a `#fragment`, which no address of the site can start with");
    }
    // `…/archive/index.html` is a page of the site, not its folder: every
    // address would be made under it.
    let last = (parsed.path().trim_end_matches('/').rsplit('/').next()).unwrap_or_default();
    let page = (last.rsplit_once('.')).is_some_and(|(_, extension)| {
        ["html", "htm", "php", "asp", "aspx", "xml", "json"]
            .contains(&extension.to_ascii_lowercase().as_str())
    });
    if page {
        let folder = url.trim_end_matches('/');
        let folder = &folder[..folder.len() - last.len()];
        return Err(Diagnostic::error(
            CONFIG_FILE,
            format!("{key} `{url}` ends with a file name, `{last}`: every address of the site would be made under it"),
        )
        .with_hint(format!("give the address of the site's folder: `{key}: {folder}`"))
        .into());
    }
    if !parsed.path().ends_with('/') {
        let path = format!("{}/", parsed.path());
        parsed.set_path(&path);
    }
    Ok(parsed.to_string())
}

/// The `languages:` map checked: each code a language tag, other than the
/// default language, with texts pages can carry.
fn languages(config: &Config, text: &str, errors: &mut Diagnostics) {
    let mut seen: BTreeMap<String, &str> = BTreeMap::new();
    for (code, settings) in &config.languages {
        let line = entry_line(text, "languages", |entry| {
            entry
                .strip_prefix(code.as_str())
                .is_some_and(|rest| rest.trim_start_matches(['"', '\'']).starts_with(':'))
        });
        let error = |message: String, hint: &str| {
            at_line(
                Diagnostic::error(CONFIG_FILE, message).with_hint(hint),
                line,
                text,
            )
        };
        if !crate::content::is_language_tag(code) {
            errors.push(error(
                format!("languages: `{code}` is not a BCP 47 language tag"),
                "use a tag such as `ar`, `uk` or `pt-BR`: it becomes the language's address, `/<code>/`",
            ));
        } else if code.eq_ignore_ascii_case(&config.language) {
            errors.push(error(
                format!("languages: `{code}` is the site's default language (`language:`)"),
                "remove it from `languages:`: the default language is served at the root and takes its title from `title:`",
            ));
        } else if let Some(other) = seen.insert(code.to_ascii_lowercase(), code) {
            // Language tags ignore case; addresses on many hosts do too.
            errors.push(error(
                format!("languages: `{code}` is `{other}` written in other letters' case"),
                "keep one of the two: language tags are the same whatever their case",
            ));
        }
        for (key, value) in [
            ("title", &settings.title),
            ("description", &settings.description),
        ] {
            if let Some((message, hint)) = crate::content::unsafe_text(key, value) {
                errors.push(error(format!("languages: {code}: {message}"), hint));
            }
        }
        if settings.title.trim().is_empty() {
            errors.push(error(
                format!("languages: {code}: title must not be empty"),
                "write the site's title in that language",
            ));
        }
    }
}

/// The `withdrawn:` list checked, each entry with its line.
fn withdrawals(
    written: &[WithdrawnFields],
    text: &str,
    errors: &mut Diagnostics,
) -> Vec<Withdrawal> {
    let lines = item_lines(text, "withdrawn");
    let mut checked = Vec::new();
    for (index, fields) in written.iter().enumerate() {
        let line = lines.get(index).copied().unwrap_or(0);
        match withdrawal(fields) {
            Ok(what) => match Moment::parse(&fields.date) {
                Ok(date) => checked.push(Withdrawal {
                    what,
                    date,
                    reason: fields.reason.trim().to_owned(),
                    line,
                }),
                Err(why) => errors.push(at_line(
                    Diagnostic::error(CONFIG_FILE, format!("withdrawn: date: {why}"))
                        .with_hint("write the date it was withdrawn as YYYY-MM-DD"),
                    line,
                    text,
                )),
            },
            Err((why, hint)) => errors.push(at_line(
                Diagnostic::error(CONFIG_FILE, format!("withdrawn: {why}")).with_hint(hint),
                line,
                text,
            )),
        }
    }
    checked
}

/// What one `withdrawn:` entry withdraws, or what is wrong with it.
fn withdrawal(fields: &WithdrawnFields) -> Result<Withdrawn, (String, &'static str)> {
    use crate::addresses::site_path;
    let page_hint =
        "write the page's address from the site root, e.g. `path: /articles/old-report/`";
    if fields.reason.trim().is_empty() {
        return Err((
            "an entry needs a `reason:`".to_owned(),
            "say why it was withdrawn: the notice shows readers",
        ));
    }
    if let Some(unsafe_reason) = crate::content::unsafe_text("reason", &fields.reason) {
        return Err(unsafe_reason);
    }
    if let Some(bad) = fields
        .former_ids
        .iter()
        .find(|id| !crate::slug::is_slug(id))
    {
        return Err((
            format!("former id `{bad}` is not a statement id"),
            "copy the id as it was published: lowercase letters, digits and dashes",
        ));
    }
    match (&fields.path, &fields.statement, &fields.article) {
        (Some(_), None, None) if !fields.former_ids.is_empty() => Err((
            "`former_ids:` belongs to a withdrawn statement, not a page".to_owned(),
            "remove it, or withdraw the statement with `statement: ID` and `article: /articles/SLUG/`",
        )),
        (Some(path), None, None) => site_path(path)
            .map(Withdrawn::Page)
            .map_err(|why| (why, page_hint)),
        (None, Some(id), Some(article)) if crate::slug::is_slug(id) => {
            let article = site_path(article).map_err(|why| (why, page_hint))?;
            Ok(Withdrawn::Statement {
                id: id.clone(),
                article,
                former_ids: fields.former_ids.clone(),
            })
        }
        (None, Some(id), Some(_)) => Err((
            format!("`{id}` is not a statement id"),
            "copy the id as it was published: lowercase letters, digits and dashes",
        )),
        (None, Some(_), None) => Err((
            "a withdrawn statement needs the `article:` that recorded it".to_owned(),
            "add `article: /articles/SLUG/`: its page lists the statement as withdrawn",
        )),
        _ => Err((
            "an entry withdraws either a `path:` or a `statement:` (with its `article:`)"
                .to_owned(),
            "keep one of the two: `path: /articles/old/` or `statement: ID` and `article: /articles/SLUG/`",
        )),
    }
}

/// The 1-based lines of the items of the top-level block list `key`.
fn item_lines(text: &str, key: &str) -> Vec<usize> {
    let lines: Vec<&str> = text.lines().collect();
    let Some(start) = lines.iter().position(|l| l.starts_with(&format!("{key}:"))) else {
        return Vec::new();
    };
    let mut items = Vec::new();
    let mut indent = None;
    for (index, line) in lines.iter().enumerate().skip(start + 1) {
        let trimmed = line.trim_start();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        let this = line.len() - trimmed.len();
        if this == 0 && !trimmed.starts_with('-') {
            break;
        }
        if trimmed.starts_with('-') && indent.is_none_or(|i| i == this) {
            indent = Some(this);
            items.push(index + 1);
        }
    }
    items
}

/// `diagnostic` at 1-based `line` of `text`, quoting it (0: no line).
fn at_line(diagnostic: Diagnostic, line: usize, text: &str) -> Diagnostic {
    match line {
        0 => diagnostic,
        line => diagnostic.at_line(line).with_snippet_from(text),
    }
}

impl Config {
    /// Parses and checks the text of `annals.yaml`.
    pub(crate) fn parse(text: &str) -> Result<Config, Diagnostics> {
        let config: Config = yaml::from_str(text).map_err(|error| {
            let line = error
                .line
                .and_then(|line| text.lines().nth(line.checked_sub(1)?));
            let hint = yaml::hint(&error.message, line.unwrap_or_default());
            let mut diagnostic = Diagnostic::error(CONFIG_FILE, error.message).with_hint(hint);
            if let Some(line) = error.line {
                diagnostic = diagnostic.at_line(line).with_snippet_from(text);
            }
            if let Some(column) = error.column.filter(|_| error.line.is_some()) {
                diagnostic = diagnostic.at_column(column);
            }
            Diagnostics::from(diagnostic)
        })?;
        // Point at the setting in the file, where it is written there.
        let at = |key: &str, diagnostic: Diagnostic| {
            let line = text.lines().position(|l| l.starts_with(&format!("{key}:")));
            match line {
                Some(index) => diagnostic.at_line(index + 1).with_snippet_from(text),
                None => diagnostic,
            }
        };
        let mut errors = Diagnostics::default();
        // Each reaches pages, feeds or the data package.
        let license = config.license.iter().flat_map(|license| {
            [
                ("license", &license.name),
                ("license", &license.title),
                ("license", &license.url),
            ]
        });
        let texts = [
            ("title", &config.title),
            ("description", &config.description),
        ];
        let texts = texts.map(|(key, text)| (key, Some(text)));
        for (key, text) in texts
            .into_iter()
            .chain(license.map(|(k, t)| (k, t.as_ref())))
        {
            let found = text.and_then(|text| crate::content::unsafe_text(key, text));
            if let Some((message, hint)) = found {
                errors.push(at(
                    key,
                    Diagnostic::error(CONFIG_FILE, message).with_hint(hint),
                ));
            }
        }

        if !crate::content::is_language_tag(&config.language) {
            let diagnostic = Diagnostic::error(
                CONFIG_FILE,
                format!(
                    "language `{}` is not a BCP 47 language tag",
                    config.language
                ),
            )
            .with_hint("use a tag such as `en`, `ar`, `uk` or `pt-BR`: it becomes `<html lang>`");
            errors.push(at("language", diagnostic));
        }
        let mut config = config;
        config.host_line = text
            .lines()
            .position(|l| l.starts_with("host:"))
            .map_or(0, |i| i + 1);
        config.redirects = redirects(&config.written_redirects, text, &mut errors);
        languages(&config, text, &mut errors);
        config.withdrawn = withdrawals(&config.written_withdrawn, text, &mut errors);
        if let Some(written) = config.feed_id_base.take() {
            match site_address("feed_id_base", &written) {
                Ok(address) => config.feed_id_base = Some(address),
                Err(found) => {
                    (found.iter().cloned()).for_each(|d| errors.push(at("feed_id_base", d)))
                }
            }
        }
        let base_url = config.base_url.clone();
        let config = config.with_base_url(&base_url).map_err(|found| {
            for diagnostic in found.iter().cloned() {
                errors.push(at("base_url", diagnostic));
            }
        });
        match config {
            Ok(config) if errors.is_empty() => Ok(config),
            _ => Err(errors),
        }
    }

    /// Replaces `base_url` (e.g. for `--base-url`), checking the new value.
    pub(crate) fn with_base_url(mut self, base_url: &str) -> Result<Config, Diagnostics> {
        self.base_url = site_address("base_url", base_url)?;
        Ok(self)
    }

    /// The address feed ids start with: [`Config::feed_id_base`], else
    /// `base_url`.
    pub(crate) fn feed_id_base(&self) -> &str {
        self.feed_id_base.as_deref().unwrap_or(&self.base_url)
    }

    /// The path part of `base_url`, always starting and ending with `/`:
    /// every internal link starts with it, so the site works under a sub-path.
    pub(crate) fn base_path(&self) -> &str {
        // `with_base_url` normalised `base_url` to `scheme://host[:port]/path/`.
        let after_scheme = self.base_url.find("://").map_or(0, |i| i + 3);
        let path_start = self.base_url[after_scheme..]
            .find('/')
            .map_or(self.base_url.len(), |i| after_scheme + i);
        &self.base_url[path_start..]
    }

    /// The output directory resolved against the site root.
    pub(crate) fn output_dir(&self, root: &Path) -> PathBuf {
        root.join(&self.output)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[track_caller]
    fn base_path_of(base_url: &str, expected: &str) {
        let config = Config::parse(&format!("title: t\nbase_url: {base_url}\n")).unwrap();
        assert_eq!(config.base_path(), expected);
    }

    #[test]
    fn base_path_is_normalised() {
        base_path_of("https://example.org", "/");
        base_path_of("https://example.org/", "/");
        base_path_of("https://example.org/archive", "/archive/");
        base_path_of("http://localhost:1111/a/b/", "/a/b/");
    }

    #[test]
    fn a_base_url_with_credentials_a_query_or_a_fragment_is_refused() {
        for url in [
            "https://deploy:s3cret@example.org/",
            "https://deploy@example.org/",
            "https://example.org/x/?preview=1",
            "https://example.org/x/#top",
        ] {
            let error = Config::parse(&format!("title: t\nbase_url: {url}\n")).unwrap_err();
            assert!(
                format!("{error:?}").contains("base_url"),
                "{url}: {error:?}"
            );
        }
    }

    #[test]
    fn feed_id_base_is_an_address_checked_as_base_url_is() {
        let site = "title: t\nbase_url: https://new.example.net/\n";
        let config = Config::parse(&format!("{site}feed_id_base: https://example.org/x\n"))
            .expect("an address");
        assert_eq!(config.feed_id_base(), "https://example.org/x/");
        assert_eq!(
            Config::parse(site).expect("no base").feed_id_base(),
            "https://new.example.net/"
        );
        let error = Config::parse(&format!("{site}feed_id_base: example.org\n")).unwrap_err();
        let diagnostic = error.iter().next().expect("an error");
        assert!(
            diagnostic
                .message
                .contains("feed_id_base `example.org` is not an http(s) URL")
        );
        assert_eq!(diagnostic.line, Some(3));
    }

    #[test]
    fn a_yaml_mistake_in_settings_is_placed_and_explained_as_in_front_matter() {
        let text = "title: t\nbase_url: https://e.org/\ndescription: Who said what: a record\n";
        let errors = Config::parse(text).unwrap_err();
        let error = errors.iter().next().expect("an error");
        assert_eq!((error.line, error.column), (Some(3), Some(27)));
        assert!(
            error
                .hint
                .as_deref()
                .is_some_and(|h| h.contains("quote it, since it contains `: `")),
            "{error:?}"
        );
    }

    #[test]
    fn a_base_url_ending_with_a_page_is_refused() {
        let error =
            Config::parse("title: t\nbase_url: https://e.org/archive/index.html\n").unwrap_err();
        let text = format!("{error:?}");
        assert!(
            text.contains("ends with a file name, `index.html`"),
            "{text}"
        );
        assert!(text.contains("base_url: https://e.org/archive/`"), "{text}");
        assert!(Config::parse("title: t\nbase_url: https://e.org/v1.2\n").is_ok());
        let error = Config::parse("title: t\nbase_url: https://e.org/a/index.html/\n").unwrap_err();
        assert!(
            format!("{error:?}").contains("base_url: https://e.org/a/`"),
            "{error:?}"
        );
    }

    #[test]
    fn non_http_base_url_is_refused() {
        let error = Config::parse("title: t\nbase_url: ftp://example.org/\n").unwrap_err();
        assert!(error.to_string().contains("not an http(s) URL"));
        assert_eq!(error.iter().next().and_then(|d| d.line), Some(2));
    }

    #[test]
    fn site_language_must_be_a_language_tag() {
        let config = "title: t\nbase_url: https://e.org/\nlanguage: English\n";
        let error = Config::parse(config).unwrap_err();
        assert!(error.to_string().contains("not a BCP 47 language tag"));
        assert_eq!(error.iter().next().and_then(|d| d.line), Some(3));
        let config = "title: t\nbase_url: https://e.org/\nlanguage: pt-BR\n";
        assert_eq!(Config::parse(config).unwrap().language, "pt-BR");
    }

    #[test]
    fn a_repeated_setting_names_the_second_line() {
        let error = Config::parse("title: t\nbase_url: https://e.org/\ntitle: u\n").unwrap_err();
        let diagnostic = error.iter().next().unwrap();
        assert_eq!(diagnostic.line, Some(3));
        assert!(
            diagnostic
                .hint
                .as_deref()
                .is_some_and(|h| h.contains("only once"))
        );
    }

    #[test]
    fn control_characters_in_the_title_and_description_are_refused() {
        for (text, line) in [
            ("title: \"a\\0\"\nbase_url: https://e.org/\n", 1),
            (
                "title: t\nbase_url: https://e.org/\ndescription: \"\\x1b[2J\"\n",
                3,
            ),
        ] {
            let error = Config::parse(text).unwrap_err();
            let diagnostic = error.iter().next().unwrap();
            assert_eq!(diagnostic.line, Some(line), "{text}");
            assert!(
                diagnostic.message.contains("a control character"),
                "{error}"
            );
        }
    }

    #[test]
    fn control_characters_in_the_license_and_withdrawal_reasons_are_refused() {
        let site = "title: t\nbase_url: https://e.org/\n";
        for (setting, line) in [
            ("license:\n  name: CC-BY-4.0\n  title: \"CC\\0 BY\"\n", 3),
            (
                "withdrawn:\n  - path: /old/\n    date: 2021-05-17\n    reason: \"go\\0ne\"\n",
                4,
            ),
        ] {
            let error = Config::parse(&format!("{site}{setting}")).unwrap_err();
            let diagnostic = error.iter().next().unwrap();
            assert!(
                diagnostic.message.contains("a control character"),
                "{error}"
            );
            assert_eq!(diagnostic.line, Some(line), "{error}");
        }
    }

    #[test]
    fn require_archive_is_off_warn_or_error_and_warn_by_default() {
        let with = |setting: &str| {
            Config::parse(&format!("title: t\nbase_url: https://e.org/\n{setting}"))
                .map(|config| config.require_archive)
        };
        assert_eq!(with(""), Ok(RequireArchive::Warn));
        // `off` is text here, not YAML 1.1's false.
        assert_eq!(with("require_archive: off\n"), Ok(RequireArchive::Off));
        assert_eq!(with("require_archive: warn\n"), Ok(RequireArchive::Warn));
        assert_eq!(with("require_archive: error\n"), Ok(RequireArchive::Error));
        let error = with("require_archive: always\n").unwrap_err();
        let diagnostic = error.iter().next().unwrap();
        assert_eq!(diagnostic.line, Some(3));
        assert!(
            diagnostic
                .message
                .contains("expected one of `off`, `warn`, `error`"),
            "{diagnostic}"
        );
    }

    const SITE: &str = "title: t\nbase_url: https://e.org/\nlanguage: en\n";

    #[test]
    fn languages_are_read_with_their_settings() {
        let config = Config::parse(&format!(
            "{SITE}languages:\n  ar:\n    title: سجل\n    paginate: 20\n  pt-BR:\n    title: Registro\n    untranslated: hide\n"
        ))
        .unwrap();
        let ar = &config.languages["ar"];
        assert_eq!((ar.title.as_str(), ar.paginate), ("سجل", Some(20)));
        assert_eq!(ar.untranslated, Untranslated::Show);
        assert_eq!(config.languages["pt-BR"].untranslated, Untranslated::Hide);
        assert!(Config::parse(SITE).unwrap().languages.is_empty());
    }

    #[track_caller]
    fn language_error(languages: &str, line: usize, says: &str) {
        let error = Config::parse(&format!("{SITE}languages:\n{languages}")).unwrap_err();
        let diagnostic = error.iter().next().unwrap();
        assert_eq!(diagnostic.line, Some(line), "{error}");
        assert!(diagnostic.message.contains(says), "{error}");
        assert!(diagnostic.hint.is_some());
    }

    #[test]
    fn bad_languages_are_errors_at_their_line() {
        language_error(
            "  ar:\n    title: a\n  arabic:\n    title: b\n",
            7,
            "`arabic` is not a BCP 47",
        );
        language_error(
            "  ar:\n    title: a\n  en:\n    title: b\n",
            7,
            "`en` is the site's default language",
        );
        language_error(
            "  EN-gb:\n    title: a\n  en-GB:\n    title: b\n",
            7,
            "`en-GB` is `EN-gb` written in other letters' case",
        );
        language_error(
            "  ar:\n    title: a\n    titel: b\n",
            7,
            "unknown field `titel`",
        );
        language_error("  ar:\n    description: a\n", 6, "missing field `title`");
        language_error(
            "  ar:\n    title: a\n    untranslated: never\n",
            7,
            "unknown variant `never`",
        );
        language_error(
            "  ar:\n    title: \"a\\x07\"\n",
            5,
            "title: contains U+0007",
        );
    }

    #[test]
    fn unknown_setting_names_its_line() {
        let error = Config::parse("title: t\nbase_url: https://e.org/\ntitel: x\n").unwrap_err();
        let diagnostic = error.iter().next().unwrap();
        assert_eq!(diagnostic.line, Some(3));
    }
}
