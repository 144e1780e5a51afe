//! `annals.yaml` → [`Config`]: the site-wide settings.

use std::path::{Path, PathBuf};

use serde::Deserialize;

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
    /// BCP 47 language of the site, for `<html lang>`.
    #[serde(default = "default_language")]
    pub language: String,
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
    /// What a news, social or official source that links its original and
    /// no archived copy is: nothing, a warning (default) or an error.
    #[serde(default)]
    pub require_archive: RequireArchive,
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

impl Config {
    /// Parses and checks the text of `annals.yaml`.
    pub(crate) fn parse(text: &str) -> Result<Config, Diagnostics> {
        let config: Config = yaml::from_str(text).map_err(|error| {
            let hint = if error.message.contains("duplicate field") {
                "a setting may appear only once: keep one of the two"
            } else if error.message.contains("control character") {
                "remove the invisible character at this position: it often comes with pasted text"
            } else {
                "see the README's `annals.yaml` section for the settings"
            };
            let mut diagnostic = Diagnostic::error(CONFIG_FILE, error.message).with_hint(hint);
            if let Some(line) = error.line {
                diagnostic = diagnostic.at_line(line).with_snippet_from(text);
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
        // Both reach every page and feed.
        for (key, text) in [
            ("title", &config.title),
            ("description", &config.description),
        ] {
            if let Some((message, hint)) = crate::content::unsafe_text(key, text) {
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
        let parsed = url::Url::parse(base_url)
            .ok()
            .filter(|u| matches!(u.scheme(), "http" | "https"));
        let Some(mut parsed) = parsed else {
            return Err(Diagnostic::error(
                CONFIG_FILE,
                format!("base_url `{base_url}` is not an http(s) URL"),
            )
            .with_hint("write it in full, e.g. `base_url: https://example.org/archive/`")
            .into());
        };
        if !parsed.path().ends_with('/') {
            let path = format!("{}/", parsed.path());
            parsed.set_path(&path);
        }
        parsed.set_query(None);
        parsed.set_fragment(None);
        self.base_url = parsed.to_string();
        Ok(self)
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

    #[test]
    fn unknown_setting_names_its_line() {
        let error = Config::parse("title: t\nbase_url: https://e.org/\ntitel: x\n").unwrap_err();
        let diagnostic = error.iter().next().unwrap();
        assert_eq!(diagnostic.line, Some(3));
    }
}
