//! `annals check`: every error and warning of a site, found by the same
//! session a build uses, without writing anything — but for the link
//! cache (`.annals/links.json`) of `--links`.

use std::collections::{BTreeMap, HashSet};
use std::sync::Arc;

use super::{BuildOptions, Session, all_parts, output_paths, render_pages};
use crate::content::{self, Area, SiteFiles, TextFile};
use crate::diagnostic::Diagnostics;
use crate::index::Index;
use crate::links::{self, LinkOptions, LinkSummary};
use crate::output;
use crate::previous;
use crate::progress::Progress;
use crate::render::{ASSETS, Page, Renderer};

/// What `annals check` found.
#[derive(Debug)]
pub struct CheckReport {
    /// Sorted; warnings made errors with `--strict`.
    pub diagnostics: Diagnostics,
    /// What the link check did, when asked for one.
    pub links: Option<LinkSummary>,
    /// How much of the site each of its other languages has, in
    /// `languages:` order (none when the site could not be assembled).
    pub translated: Vec<Coverage>,
}

/// What one of the site's other languages has translated: (translated,
/// all) of its articles, people and pages. One line of `annals check`,
/// rather than a warning per untranslated file: a partly translated
/// archive is the rule, not a problem.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Coverage {
    pub language: String,
    pub articles: (usize, usize),
    pub people: (usize, usize),
    pub pages: (usize, usize),
}

impl CheckReport {
    /// `--format json`: the diagnostics, and each language's coverage as
    /// `{"language", "articles": [translated, all], "people", "pages"}`.
    pub fn to_json(&self) -> String {
        let mut report = self.diagnostics.to_value();
        let translated: Vec<serde_json::Value> = (self.translated.iter())
            .map(|c| {
                serde_json::json!({
                    "language": c.language,
                    "articles": c.articles,
                    "people": c.people,
                    "pages": c.pages,
                })
            })
            .collect();
        report["translated"] = translated.into();
        serde_json::to_string_pretty(&report).unwrap_or_default()
    }
}

impl std::fmt::Display for Coverage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let ((a, all_a), (p, all_p), (g, all_g)) = (self.articles, self.people, self.pages);
        let pages = if all_g == 1 { "page" } else { "pages" };
        let articles = if all_a == 1 { "article" } else { "articles" };
        write!(
            f,
            "{}: {a} of {all_a} {articles}, {p} of {all_p} people, {g} of {all_g} {pages} translated",
            self.language
        )
    }
}

/// The coverage of each of `site`'s other languages.
fn coverage(site: &content::Site) -> Vec<Coverage> {
    let translated = &site.translations;
    (site.config.languages.keys())
        .map(|code| Coverage {
            language: code.clone(),
            articles: count(
                site.articles.iter().map(|a| &a.slug),
                &translated.articles,
                code,
            ),
            people: count(site.people.keys(), &translated.people, code),
            pages: count(site.pages.iter().map(|p| &p.slug), &translated.pages, code),
        })
        .collect()
}

/// How many of `keys` have a translation into `code` in `translations`,
/// and how many there are.
fn count<'a, T>(
    keys: impl Iterator<Item = &'a String>,
    translations: &BTreeMap<String, BTreeMap<String, T>>,
    code: &str,
) -> (usize, usize) {
    keys.fold((0, 0), |(done, all), key| {
        let translated = translations.get(key).is_some_and(|t| t.contains_key(code));
        (done + usize::from(translated), all + 1)
    })
}

/// Every error and warning of the site, and with `links`, of every external
/// link it publishes. Pages are rendered (in memory) so template errors show
/// too: those of the site's own templates (`parts_to_check`).
pub fn check(options: &BuildOptions, links: Option<&LinkOptions>) -> CheckReport {
    let root = &options.root;
    let (mut found, site, mut progress) = match Session::read(options.clone()) {
        Ok(mut session) => {
            let (found, site) = session.check();
            (found, site, std::mem::take(&mut session.progress))
        }
        Err(errors) => (errors, None, Progress::default()),
    };
    let summary = links.map(|links| match &site {
        Some(site) => {
            let (link_findings, summary) = links::check(site, root, links, &mut progress);
            found.extend(link_findings);
            summary
        }
        None => LinkSummary::skipped(),
    });
    progress.clear();
    let diagnostics =
        found.with_snippets(|path| content::read_checked(root, path).ok().map(|file| file.text));
    let diagnostics = if options.strict {
        diagnostics.strict()
    } else {
        diagnostics
    };
    CheckReport {
        diagnostics: diagnostics.sorted(),
        links: summary,
        translated: site.as_ref().map(coverage).unwrap_or_default(),
    }
}

impl Session {
    /// Every problem of the site, and the site itself if it could be
    /// assembled (for the link check).
    fn check(&mut self) -> (Diagnostics, Option<content::Site>) {
        // Where `build` would write, checked as `build` checks it.
        let mut found = output::check_output_dir(self.root(), &self.output)
            .err()
            .unwrap_or_default();
        self.progress.stage("assembling the record", None);
        let site = match self.assemble() {
            Ok(site) => site,
            Err(errors) => {
                found.extend(errors);
                return (found, None);
            }
        };
        found.extend(self.host_address_fits(&site.config));
        found.extend(self.check_pages(&site).unwrap_or_else(|errors| errors));
        (found, Some(site))
    }

    /// Renders in memory the templated pages of `site` that can fail
    /// ([`parts_to_check`]): template errors,
    /// static files in the way of pages, what `--previous` published that is
    /// gone, and the site's warnings. Feeds, the sitemap and the exports are
    /// written by code from the model the checks already passed, and cannot
    /// fail but for the disk: rendering them, the exports above all, would
    /// cost much of a build's time and find nothing.
    fn check_pages(&mut self, site: &content::Site) -> Result<Diagnostics, Diagnostics> {
        self.progress.stage("indexing", None);
        let index = Index::new(site);
        self.progress.stage("preparing templates", None);
        let templates = self.template_files();
        let ui = Arc::clone(&self.ui.0);
        let (renderer, mut found) = self.renderer(site, &index, &templates, &ui)?;
        let pages = renderer.pages();
        let templated: Vec<_> = (pages.iter())
            .filter(|page| page.template().is_some())
            .cloned()
            .collect();
        let parts = parts_to_check(&renderer, &templated, &templates);
        let steps = self.progress.stage("rendering pages", Some(parts.len()));
        render_pages(&renderer, &parts, |_, _| {
            steps.advance();
            Ok(())
        })?;
        self.progress.stage("checking warnings", None);
        found.extend(self.static_conflicts(&output_paths(&renderer, &pages)));
        found.extend(self.compare_previous(site, &renderer));
        found.extend(warnings(&self.files, site, &index, &renderer));
        found.extend(self.setup_warnings());
        Ok(found)
    }
}

/// The parts of `pages` that `check` renders. A template of the site's own
/// may fail on any page's data, so every page that uses it is rendered, and
/// every page when it is not a page template used alone (a partial or a base
/// that others include). The built-in templates cannot fail on a model that
/// passed the checks: they read only what every page's view has, guarded
/// where it may be missing, and an entry of the site's catalogue that would
/// not fit their calls is dropped with its diagnostic (`i18n`). Of the pages
/// only they render, one part of each kind in each language is rendered,
/// which still puts the engine, the site's interface strings and its menu to
/// work. At 10,000 articles this leaves `check` two fifths of a build's time.
fn parts_to_check<'p>(
    renderer: &Renderer,
    pages: &'p [Page],
    own: &[TextFile],
) -> Vec<(&'p Page, usize)> {
    let alone: Option<HashSet<String>> = (own.iter())
        .map(|template| super::deps::page_template_used_alone(&template.path, own))
        .collect();
    let Some(alone) = alone else {
        return all_parts(renderer, pages);
    };
    let mut tried = HashSet::new();
    let mut parts = Vec::new();
    for page in pages {
        if page.template().is_some_and(|name| alone.contains(name)) {
            parts.extend(renderer.parts_of(page));
        } else if tried.insert((page.kind(), language(page))) {
            parts.extend(renderer.parts_of(page).take(1));
        }
    }
    parts
}

/// The language of `page`: its number among the site's other languages, or
/// none for the default's.
fn language(page: &Page) -> Option<u8> {
    match page {
        Page::In(code, _) => Some(*code),
        _ => None,
    }
}

impl Session {
    /// With `--previous DIR`: an error for each address and statement id
    /// the build in DIR served that this one does not.
    pub(super) fn compare_previous(
        &self,
        site: &content::Site,
        renderer: &Renderer,
    ) -> Diagnostics {
        let Some(dir) = &self.options.previous else {
            return Diagnostics::default();
        };
        let published = match previous::read(dir) {
            Ok(published) => published,
            Err(errors) => return errors,
        };
        let rules = &renderer.redirects().rules;
        let mut serves = self.addresses(site, renderer, renderer.pages().iter());
        serves.extend(rules.keys().cloned());
        // The site's own rules (`static/_redirects`) serve their addresses too.
        if let Ok(Some(own)) = self.own_rules() {
            let base = site.config.base_path();
            serves.extend(previous::rule_addresses(&own, base).map(|(_, old, _)| old));
        }
        previous::compare(
            &published,
            &previous::Current {
                site,
                serves,
                redirects: rules,
                preview: self.options.base_url.is_some(),
            },
        )
    }
}

/// The site's warnings; links in bodies are checked against every page and
/// every file of `static/`.
pub(super) fn warnings(
    files: &SiteFiles,
    site: &content::Site,
    index: &Index,
    renderer: &Renderer,
) -> Diagnostics {
    let base = site.config.base_path();
    let mut targets: HashSet<String> = renderer
        .pages()
        .iter()
        .flat_map(|p| renderer.parts_of(p))
        .map(|(page, part)| renderer.part_url(page, part))
        .collect();
    targets.extend(ASSETS.iter().map(|(path, _)| format!("{base}{path}")));
    let statics = files.of(Area::Static).iter().map(|path| {
        let inside = path.strip_prefix(content::STATIC_DIR).unwrap_or(path);
        format!("{base}{}", content::slash_path(inside))
    });
    targets.extend(statics);
    let is_page = |path: &str| targets.contains(path) || targets.contains(&format!("{path}/"));
    // The one read of the clock: for a warning, never for the output.
    let today = jiff::tz::TimeZone::UTC
        .to_datetime(jiff::Timestamp::now())
        .date();
    crate::audit::warnings(site, index, &is_page, today)
}
