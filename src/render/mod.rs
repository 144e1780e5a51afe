//! Rendering: model + index → pages, through Tera templates.
//!
//! [`Page`] names every page the site has; [`Renderer::render`] turns one into
//! HTML. Rendering is pure — no disk, no clock — so pages can be rendered in
//! parallel and any subset can be re-rendered after a change.

mod chart;
mod cite;
mod exports;
mod feeds;
mod language;
mod moved;
mod package;
mod paginate;
mod relative;
mod structured;
mod tags;
mod templates;
pub(crate) use templates::Engines;
mod view;

use serde::Serialize;
use std::borrow::Cow;
use std::sync::Arc;

use tera::{Context, Tera};

use crate::i18n::Ui;

use crate::content::{Site, TextFile};
use crate::diagnostic::Diagnostics;
use crate::index::{Index, Publisher};

use crate::addresses::{self, Redirects};
use crate::config::Withdrawn;
use crate::download::Download;
pub(crate) use language::autonym;
use paginate::Pager;
pub(crate) use templates::{ASSETS, built_in_references, unused as unused_templates};
use view::Link;
pub(crate) use view::SiteView;

/// How many items the home page shows of each list.
const HOME_STATEMENTS: usize = 20;

/// Every kind of page, with what identifies one page of that kind.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Page {
    Home,
    /// Index into `Site::articles`.
    Article(usize),
    People,
    /// Person id.
    Person(String),
    Sources,
    /// Publisher slug.
    Publisher(String),
    Timeline,
    Year(i16),
    Terms(Taxonomy),
    /// Term slug.
    Term(Taxonomy, String),
    NotFound,
    /// `/search/`: the page; the index is written by [`crate::search`].
    Search,
    /// `/atom.xml`.
    Feed,
    /// `/people/<id>/atom.xml`.
    PersonFeed(String),
    Sitemap,
    Robots,
    Data(DataFile),
    /// An old address (`/articles/old/`, from the site root) that sends
    /// readers on to where its page is now.
    Redirect(String),
    /// `_redirects`: every redirect as a rule static hosts apply.
    RedirectRules,
    /// A page taken off the site on purpose (`withdrawn:`), by its old
    /// address: a notice of what went, when and why.
    Withdrawn(String),
    /// `/corrections/`: every correction, newest first.
    Corrections,
    /// `/corrections/atom.xml`.
    CorrectionsFeed,
    /// A page of `content/pages/` (about, methodology), by its index into
    /// `Site::pages`.
    Standalone(usize),
    /// `/data/`: the codebook of the research exports.
    Codebook,
    /// A page in another language: the language's position in
    /// `languages:`, and the page as the default language names it.
    In(u8, Box<Page>),
}

/// The research exports under `/data/`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum DataFile {
    /// Every statement in one file, and each of the tables below: the
    /// files researchers used before the data package.
    StatementsJson,
    StatementsCsv,
    People,
    Sources,
    CorrectionsJson,
    CorrectionsCsv,
    /// The statements said in one year, oldest first, in parts of at most
    /// [`exports::SHARD_ROWS`] rows: `statements/2021.csv`, `2021-2.csv`…
    Statements(i16, Format),
    /// The statements withdrawn from the record (`withdrawn:`).
    Withdrawn(Format),
    PeopleCsv,
    ArticlesCsv,
    /// Each article's sources, one row per source entry.
    SourcesCsv,
    /// Every translated text: titles, summaries, names, roles and
    /// statements in other languages than the record's own.
    TranslationsCsv,
    TranslationsJson,
    /// `datapackage.json`: every table above with its schema.
    Package,
}

/// How an export is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Format {
    Csv,
    Json,
}

impl Format {
    fn extension(self) -> &'static str {
        match self {
            Format::Csv => "csv",
            Format::Json => "json",
        }
    }
}

impl DataFile {
    /// The exports every site has; the yearly statements come on top.
    pub(crate) const ALL: [DataFile; 14] = [
        DataFile::StatementsJson,
        DataFile::StatementsCsv,
        DataFile::People,
        DataFile::Sources,
        DataFile::CorrectionsJson,
        DataFile::CorrectionsCsv,
        DataFile::Withdrawn(Format::Csv),
        DataFile::Withdrawn(Format::Json),
        DataFile::PeopleCsv,
        DataFile::ArticlesCsv,
        DataFile::SourcesCsv,
        DataFile::TranslationsCsv,
        DataFile::TranslationsJson,
        DataFile::Package,
    ];

    /// The file's path below `/data/`, for its part `part` (0-based).
    pub(crate) fn name(self, part: usize) -> String {
        let fixed = match self {
            DataFile::StatementsJson => "statements.json",
            DataFile::StatementsCsv => "statements.csv",
            DataFile::People => "people.json",
            DataFile::Sources => "sources.json",
            DataFile::CorrectionsJson => "corrections.json",
            DataFile::TranslationsJson => "translations.json",
            DataFile::Package => "datapackage.json",
            // Tables continue in numbered files past a file's rows.
            DataFile::CorrectionsCsv
            | DataFile::PeopleCsv
            | DataFile::ArticlesCsv
            | DataFile::SourcesCsv
            | DataFile::TranslationsCsv => {
                let table = match self {
                    DataFile::CorrectionsCsv => "corrections",
                    DataFile::PeopleCsv => "people",
                    DataFile::ArticlesCsv => "articles",
                    DataFile::TranslationsCsv => "translations",
                    _ => "sources",
                };
                return match part {
                    0 => format!("{table}.csv"),
                    _ => format!("{table}-{}.csv", part + 1),
                };
            }
            DataFile::Withdrawn(format) => {
                return format!("statements/withdrawn.{}", format.extension());
            }
            DataFile::Statements(year, format) => {
                let ext = format.extension();
                return match part {
                    0 => format!("statements/{year}.{ext}"),
                    _ => format!("statements/{year}-{}.{ext}", part + 1),
                };
            }
        };
        fixed.to_owned()
    }

    /// Whether the file holds the whole record in one: then it is written
    /// only while the record is small (see [`Renderer::writes`]).
    fn is_whole_record(self) -> bool {
        matches!(
            self,
            DataFile::StatementsJson | DataFile::StatementsCsv | DataFile::Sources
        )
    }

    /// Every export of `format` for the statements said in one of `years`.
    pub(crate) fn statements_of(
        years: impl Iterator<Item = i16>,
    ) -> impl Iterator<Item = DataFile> {
        years.flat_map(|year| [Format::Csv, Format::Json].map(|f| DataFile::Statements(year, f)))
    }
}

impl Page {
    /// The template of every page kind, in [`Page::template`] order.
    pub(crate) const TEMPLATES: &[&str] = &[
        "index.html",
        "article.html",
        "people.html",
        "person.html",
        "sources.html",
        "publisher.html",
        "timeline.html",
        "year.html",
        "terms.html",
        "term.html",
        "404.html",
        "search.html",
        "redirect.html",
        "withdrawn.html",
        "corrections.html",
        "page.html",
        "data.html",
    ];

    /// The template that renders this page; `None` for feeds and data.
    pub(crate) fn template(&self) -> Option<&'static str> {
        let position = match self {
            Page::In(_, page) => return page.template(),
            Page::Home => 0,
            Page::Article(_) => 1,
            Page::People => 2,
            Page::Person(_) => 3,
            Page::Sources => 4,
            Page::Publisher(_) => 5,
            Page::Timeline => 6,
            Page::Year(_) => 7,
            Page::Terms(_) => 8,
            Page::Term(..) => 9,
            Page::NotFound => 10,
            Page::Search => 11,
            Page::Redirect(_) => 12,
            Page::Withdrawn(_) => 13,
            Page::Corrections => 14,
            Page::Standalone(_) => 15,
            Page::Codebook => 16,
            Page::Feed
            | Page::CorrectionsFeed
            | Page::PersonFeed(_)
            | Page::Sitemap
            | Page::Robots
            | Page::Data(_)
            | Page::RedirectRules => {
                return None;
            }
        };
        Some(Page::TEMPLATES[position])
    }

    /// The page's kind, as `--timings` names it.
    pub(crate) fn kind(&self) -> &'static str {
        match self {
            Page::In(_, page) => page.kind(),
            Page::Home => "home",
            Page::Article(_) => "article",
            Page::People => "people",
            Page::Person(_) => "person",
            Page::Sources => "sources",
            Page::Publisher(_) => "publisher",
            Page::Timeline => "timeline",
            Page::Year(_) => "year",
            Page::Terms(_) => "terms",
            Page::Term(..) => "term",
            Page::NotFound => "404",
            Page::Search => "search",
            Page::Feed => "feed",
            Page::PersonFeed(_) => "person feed",
            Page::Sitemap => "sitemap",
            Page::Robots => "robots",
            Page::Data(_) => "data export",
            Page::Redirect(_) => "redirect",
            Page::RedirectRules => "redirect rules",
            Page::Withdrawn(_) => "withdrawn",
            Page::Corrections => "corrections",
            Page::CorrectionsFeed => "corrections feed",
            Page::Standalone(_) => "page",
            Page::Codebook => "codebook",
        }
    }

    /// Whether the page is one file listing the whole archive.
    pub(crate) fn spans_site(&self) -> bool {
        match self {
            Page::In(_, page) => page.spans_site(),
            _ => matches!(
                self,
                Page::Data(_) | Page::Sitemap | Page::Sources | Page::People | Page::Timeline
            ),
        }
    }

    pub(crate) fn is_html(&self) -> bool {
        self.template().is_some()
    }

    /// Whether the page is one readers and search engines should find:
    /// not the 404 page, nor an old address that only sends them on.
    pub(crate) fn is_listed(&self) -> bool {
        match self {
            Page::In(_, page) => page.is_listed(),
            _ => {
                self.is_html()
                    && !matches!(
                        self,
                        Page::NotFound | Page::Redirect(_) | Page::Withdrawn(_)
                    )
            }
        }
    }

    /// The page as the default language names it.
    pub(crate) fn original(&self) -> &Page {
        match self {
            Page::In(_, page) => page,
            page => page,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Taxonomy {
    Topics,
    Places,
}

impl Taxonomy {
    fn dir(self) -> &'static str {
        match self {
            Taxonomy::Topics => "topics",
            Taxonomy::Places => "places",
        }
    }
}

#[derive(Serialize)]
struct TaxonomyView<'a> {
    /// `topics` or `places`: also the URL segment.
    name: &'static str,
    title: &'a str,
    url: String,
}

/// Internal URLs, all starting with the site's root path so the site works
/// when hosted under a sub-path of its domain.
pub(crate) struct Urls {
    root: String,
}

impl Urls {
    pub(crate) fn new(root: &str) -> Self {
        Urls {
            root: root.to_owned(),
        }
    }

    pub(crate) fn article(&self, slug: &str) -> String {
        format!("{}articles/{slug}/", self.root)
    }

    pub(crate) fn person(&self, id: &str) -> String {
        format!("{}people/{id}/", self.root)
    }

    pub(crate) fn publisher(&self, slug: &str) -> String {
        format!("{}sources/{slug}/", self.root)
    }

    pub(crate) fn term(&self, taxonomy: &str, slug: &str) -> String {
        format!("{}{taxonomy}/{slug}/", self.root)
    }

    pub(crate) fn year(&self, year: i16) -> String {
        format!("{}timeline/{year}/", self.root)
    }

    /// A page of `content/pages/`: at the top of the site.
    pub(crate) fn page(&self, slug: &str) -> String {
        format!("{}{slug}/", self.root)
    }

    /// `html` (a rendered Markdown body) with its root-relative links and
    /// images (`href="/people/x/"`) moved under the site's root, so editors
    /// write `/people/x/` and the link still works under a sub-path. Links
    /// already under the root are left alone.
    pub(crate) fn in_owned_html(&self, html: String) -> String {
        match self.in_html(&html) {
            Cow::Borrowed(_) => html,
            Cow::Owned(moved) => moved,
        }
    }

    /// The same for HTML borrowed from elsewhere.
    pub(crate) fn in_html<'h>(&self, html: &'h str) -> Cow<'h, str> {
        if self.root == "/" || !html.contains("=\"/") {
            return Cow::Borrowed(html);
        }
        let mut out = String::with_capacity(html.len() + 64);
        let mut rest = html;
        while let Some(at) = rest.find("=\"/") {
            let (before, after) = rest.split_at(at + 2);
            out.push_str(before);
            let is_attribute = before.ends_with("href=\"") || before.ends_with("src=\"");
            let moved = after.starts_with("//") || after.starts_with(self.root.as_str());
            if is_attribute && !moved {
                out.push_str(&self.root);
                rest = &after[1..];
            } else {
                rest = after;
            }
        }
        out.push_str(rest);
        Cow::Owned(out)
    }
}

/// Renders pages of one site; cheap to share across threads.
pub(crate) struct Renderer<'a> {
    site: &'a Site,
    index: &'a Index,
    /// The interface in the language rendered.
    ui: &'a Arc<Ui>,
    tera: Tera,
    urls: Urls,
    site_templates: &'a [TextFile],
    /// Items per part of a long list (`paginate`).
    per_part: usize,
    redirects: Redirects,
    /// The site's own `static/_redirects`, which `_redirects` begins with.
    own_rules: Option<String>,
    /// How many addresses the sitemap lists, and how many go in one of its
    /// files: counted once.
    listed_parts: std::sync::OnceLock<(usize, usize)>,
    /// Everyone in the people index's order, with the initial each is
    /// listed under: sorted once for all its parts.
    people_order: std::sync::OnceLock<Vec<(&'a crate::content::Person, Initial)>>,
    /// The publishers (slug and all) in the sources index's order, the
    /// same: by initial, then by name.
    publisher_order: std::sync::OnceLock<Vec<((&'a String, &'a Publisher), Initial)>>,
    /// The index and chart of each long list, made once for all its parts.
    whole_lists: std::sync::Mutex<
        std::collections::HashMap<view::WholeList, std::sync::Arc<view::WholeIndex>>,
    >,
    /// The zips of the data package as written, which `/data/` links.
    downloads: Vec<Download>,
    /// The language rendered, when not the default.
    language: Option<language::Language<'a>>,
    /// The default language's URLs: where another language links what it
    /// has no page of.
    home: Urls,
    /// The renderers of `languages:`, in its order (the default
    /// language's renderer only).
    languages: Vec<Renderer<'a>>,
}

impl<'a> Renderer<'a> {
    pub(crate) fn new(
        site: &'a Site,
        index: &'a Index,
        site_templates: &'a [TextFile],
        ui: &'a Arc<Ui>,
        engines: &templates::Engines,
    ) -> Result<Self, Diagnostics> {
        let languages = (site.config.languages.iter())
            .map(|(code, settings)| {
                let language = language::Language {
                    code,
                    untranslated: settings.untranslated,
                };
                let per_part = settings.paginate.unwrap_or(site.config.paginate);
                // Each language's interface is registered in its engine,
                // which is why each compiles the templates.
                let ui = ui.language(code);
                let tera = engines.get(site_templates, ui)?;
                let renderer =
                    Renderer::in_language(site, index, site_templates, tera, ui, Some(language));
                Ok(renderer.with_per_part(per_part))
            })
            .collect::<Result<_, Diagnostics>>()?;
        let tera = engines.get(site_templates, ui)?;
        Ok(Renderer {
            languages,
            ..Renderer::in_language(site, index, site_templates, tera, ui, None)
        })
    }

    /// The renderer of one language, the default when `language` is `None`.
    fn in_language(
        site: &'a Site,
        index: &'a Index,
        site_templates: &'a [TextFile],
        mut tera: Tera,
        ui: &'a Arc<Ui>,
        language: Option<language::Language<'a>>,
    ) -> Self {
        let config = &site.config;
        let home = Urls::new(config.base_path());
        let root = match &language {
            Some(l) => format!("{}{}/", config.base_path(), l.code),
            None => home.root.clone(),
        };
        let urls = Urls::new(&root);
        let mut renderer = Renderer {
            site,
            index,
            ui,
            tera: Tera::default(),
            urls,
            per_part: config.paginate,
            site_templates,
            redirects: Redirects::default(),
            own_rules: None,
            listed_parts: std::sync::OnceLock::new(),
            people_order: std::sync::OnceLock::new(),
            publisher_order: std::sync::OnceLock::new(),
            whole_lists: std::sync::Mutex::default(),
            downloads: Vec::new(),
            language,
            home,
            languages: Vec::new(),
        };
        let titles = renderer.titles();
        let site_view = SiteView {
            title: titles.title,
            description: titles.description,
            base_url: &config.base_url,
            root: &root,
            shared: config.base_path(),
            language: renderer.code(),
            original: (renderer.language.is_some()).then_some(config.language.as_str()),
        };
        tera.global_context().insert("site", &site_view);
        // The navigation of every page links the pages marked `menu: true`.
        let menu: Vec<Link> = (site.menu().into_iter())
            .map(|page| renderer.page_link(page))
            .collect();
        tera.global_context().insert("menu", &menu);
        renderer.tera = tera;
        renderer
    }

    fn with_per_part(self, per_part: usize) -> Self {
        Renderer { per_part, ..self }
    }

    pub(crate) fn redirects(&self) -> &Redirects {
        &self.redirects
    }

    /// The renderer with the site's redirects (checked against its pages,
    /// which is why they come after it is made) and its own `_redirects`.
    pub(crate) fn with_redirects(self, redirects: Redirects, own_rules: Option<String>) -> Self {
        Renderer {
            redirects,
            own_rules,
            ..self
        }
    }

    /// A link to a page of `content/pages/`, in this language if it is
    /// translated into it.
    fn page_link(&self, page: &'a crate::content::SitePage) -> Link<'a> {
        match self.page_translation(page) {
            Some(translation) => Link {
                name: &translation.title,
                url: self.urls.page(&page.slug),
            },
            None => Link {
                name: &page.title,
                url: self.home.page(&page.slug),
            },
        }
    }

    /// The renderer with the zips of the data package, made from the
    /// exports (which is why they come after it is made), for `/data/`.
    pub(crate) fn with_downloads(self, downloads: Vec<Download>) -> Self {
        Renderer { downloads, ..self }
    }

    /// Every page of the site, in a stable order.
    pub(crate) fn pages(&self) -> Vec<Page> {
        let index = self.index;
        let mut pages = self.record_pages();
        pages.extend([
            Page::Corrections,
            Page::Codebook,
            Page::Feed,
            Page::CorrectionsFeed,
            Page::Sitemap,
            Page::Robots,
        ]);
        pages.extend(self.site.people.keys().cloned().map(Page::PersonFeed));
        let exports = DataFile::ALL.into_iter().filter(|&file| self.writes(file));
        pages.extend(exports.map(Page::Data));
        let said = (index.years.iter()).filter(|(_, year)| !year.statements.is_empty());
        pages.extend(DataFile::statements_of(said.map(|(&y, _)| y)).map(Page::Data));
        let rules = &self.redirects.rules;
        let with_pages = rules
            .keys()
            .filter(|old| addresses::page_file(old).is_some());
        pages.extend(with_pages.cloned().map(Page::Redirect));
        if !rules.is_empty() || self.own_rules.is_some() {
            pages.push(Page::RedirectRules);
        }
        let withdrawn = self
            .site
            .config
            .withdrawn
            .iter()
            .filter_map(|w| match &w.what {
                Withdrawn::Page(path) => addresses::page_file(path).map(|_| path.clone()),
                Withdrawn::Statement { .. } => None,
            });
        pages.extend(withdrawn.map(Page::Withdrawn));
        for (position, renderer) in self.languages.iter().enumerate() {
            let Ok(language) = u8::try_from(position) else {
                break;
            };
            let own = renderer.language_pages().into_iter();
            pages.extend(own.map(|page| Page::In(language, Box::new(page))));
        }
        pages
    }

    /// The record's pages and their lists, which every language has (of
    /// articles and pages, those it has: [`Renderer::localizes`]).
    fn record_pages(&self) -> Vec<Page> {
        let index = self.index;
        let mut pages = vec![
            Page::Home,
            Page::People,
            Page::Sources,
            Page::Timeline,
            Page::NotFound,
            Page::Search,
        ];
        pages.extend((0..self.site.articles.len()).map(Page::Article));
        pages.extend(self.site.people.keys().cloned().map(Page::Person));
        pages.extend(index.publishers.keys().cloned().map(Page::Publisher));
        pages.extend(index.years.keys().copied().map(Page::Year));
        for (taxonomy, terms) in [
            (Taxonomy::Topics, &index.topics),
            (Taxonomy::Places, &index.places),
        ] {
            pages.push(Page::Terms(taxonomy));
            pages.extend(terms.keys().cloned().map(|slug| Page::Term(taxonomy, slug)));
        }
        pages.extend((0..self.site.pages.len()).map(Page::Standalone));
        pages
    }

    /// Whether the build writes `file`: the files of the whole record in one
    /// only up to [`exports::SHARD_ROWS`] statements, a year's file at most,
    /// so that no export outgrows what hosts take in one file (25 MiB on
    /// Cloudflare Pages; 463 MB of `statements.json` at 100,000 articles).
    pub(crate) fn writes(&self, file: DataFile) -> bool {
        !file.is_whole_record() || self.index.statements.len() <= exports::SHARD_ROWS
    }

    /// How many rows an export that continues in numbered files has (none
    /// for the others, which are one file).
    pub(crate) fn rows(&self, file: DataFile) -> usize {
        let (site, index) = (self.site, self.index);
        match file {
            DataFile::Statements(year, _) => {
                index.years.get(&year).map_or(0, |y| y.statements.len())
            }
            DataFile::CorrectionsCsv => index.corrections.len(),
            DataFile::PeopleCsv => site.people.len(),
            DataFile::ArticlesCsv => site.articles.len(),
            DataFile::SourcesCsv => site.articles.iter().map(|a| a.sources.len()).sum(),
            DataFile::TranslationsCsv => self.translation_rows(|text| text).count(),
            _ => 0,
        }
    }

    /// How many parts the page's list makes (1 for pages without a list).
    pub(crate) fn parts(&self, page: &Page) -> usize {
        let (renderer, page) = self.version(page);
        if !std::ptr::eq(renderer, self) {
            return renderer.parts(page);
        }
        let (site, index) = (self.site, self.index);
        let items = match page {
            Page::Home if self.hiding() => self.home_articles().len(),
            Page::Home => site.articles.len(),
            Page::Person(id) => index.by_person[id].len(),
            Page::Publisher(slug) => index.publishers[slug].documents.len(),
            Page::Year(year) => index.years[year].entries.len(),
            Page::Term(taxonomy, slug) => self.listed(&self.terms(*taxonomy)[slug].articles).len(),
            Page::Corrections => index.corrections.len(),
            Page::People => site.people.len(),
            Page::Sources => index.publishers.len(),
            Page::Sitemap => return self.sitemap_files(),
            Page::Data(file) => return self.rows(*file).div_ceil(exports::SHARD_ROWS).max(1),
            _ => return 1,
        };
        paginate::count(items, self.per_part)
    }

    /// The parts of `page` showing any of `articles` (positions), for an
    /// edit that moved nothing in the index: only those can have changed.
    pub(crate) fn parts_showing(&self, page: &Page, articles: &[usize]) -> Vec<usize> {
        let (renderer, page) = self.version(page);
        if !std::ptr::eq(renderer, self) {
            return renderer.parts_showing(page, articles);
        }
        // Leaving articles out moves the others between parts.
        if self.hiding() {
            return (0..self.parts(page)).collect();
        }
        let (site, index) = (self.site, self.index);
        let changed = |a: &usize| articles.contains(a);
        let shown: Vec<bool> = match page {
            Page::Home => (0..site.articles.len()).map(|a| changed(&a)).collect(),
            Page::Person(id) => index.by_person[id]
                .iter()
                .map(|r| changed(&r.article))
                .collect(),
            Page::Publisher(slug) => index.publishers[slug]
                .documents
                .iter()
                .map(|d| d.citations.iter().any(|c| changed(&c.article)))
                .collect(),
            Page::Year(year) => index.years[year]
                .entries
                .iter()
                .map(|entry| match entry {
                    crate::index::Entry::Article(a) => changed(a),
                    crate::index::Entry::Statement(r) => changed(&r.article),
                })
                .collect(),
            Page::Term(taxonomy, slug) => self.terms(*taxonomy)[slug]
                .articles
                .iter()
                .map(changed)
                .collect(),
            _ => return (0..self.parts(page)).collect(),
        };
        let mut parts: Vec<usize> = shown
            .iter()
            .enumerate()
            .filter(|(_, shown)| **shown)
            .map(|(item, _)| item.checked_div(self.per_part).unwrap_or(0))
            .collect();
        // The first part of home also lists the latest statements, and
        // the first part of a person's page what they relayed.
        let latest = &index.statements[..index.statements.len().min(HOME_STATEMENTS)];
        let relayed = match page {
            Page::Person(id) => index.relayed_by.get(id).map_or(&[][..], Vec::as_slice),
            _ => &[],
        };
        let on_first = match page {
            Page::Home => latest,
            _ => &relayed[..self.at_most_a_part(relayed.len())],
        };
        if on_first.iter().any(|r| changed(&r.article)) && parts.first() != Some(&0) {
            parts.insert(0, 0);
        }
        parts.dedup();
        parts
    }

    /// How many of a list shown in brief (what a person relayed, a
    /// publisher's documents on the sources index) a page shows: a part's
    /// worth.
    fn at_most_a_part(&self, items: usize) -> usize {
        match self.per_part {
            0 => items,
            per_part => items.min(per_part),
        }
    }

    /// Every output file of `page` with its part number.
    pub(crate) fn parts_of<'p>(&self, page: &'p Page) -> impl Iterator<Item = (&'p Page, usize)> {
        (0..self.parts(page)).map(move |part| (page, part))
    }

    /// Where part `part` of `page` goes in the output, relative to the
    /// output directory.
    pub(crate) fn output_path(&self, page: &Page, part: usize) -> String {
        let url = self.part_url(page, part);
        let inside = url.get(self.home.root.len()..).unwrap_or_default();
        let page = page.original();
        match page {
            Page::Redirect(old) | Page::Withdrawn(old) => {
                addresses::page_file(old).unwrap_or_default()
            }
            page if page.is_html() && *page != Page::NotFound => format!("{inside}index.html"),
            _ => inside.to_owned(),
        }
    }

    /// The URL path of part `part` of `page`.
    pub(crate) fn part_url(&self, page: &Page, part: usize) -> String {
        let (renderer, page) = self.version(page);
        if !std::ptr::eq(renderer, self) {
            return renderer.part_url(page, part);
        }
        match page {
            Page::Data(file) => format!("{}data/{}", self.urls.root, file.name(part)),
            Page::Sitemap if part > 0 => format!("{}sitemap-{part}.xml", self.urls.root),
            _ => paginate::part_url(&self.url_of(page), part),
        }
    }

    /// The page's URL path (starting with the root path).
    pub(crate) fn url_of(&self, page: &Page) -> String {
        let (renderer, page) = self.version(page);
        if !std::ptr::eq(renderer, self) {
            return renderer.url_of(page);
        }
        // What this language has no page of is the default language's.
        let urls = match self.localizes(page) {
            true => &self.urls,
            false => &self.home,
        };
        let root = &urls.root;
        match page {
            Page::In(_, page) => self.url_of(page),
            Page::Home => root.clone(),
            Page::Article(a) => urls.article(&self.site.articles[*a].slug),
            Page::People => format!("{root}people/"),
            Page::Person(id) => urls.person(id),
            Page::Sources => format!("{root}sources/"),
            Page::Publisher(slug) => format!("{root}sources/{slug}/"),
            Page::Timeline => format!("{root}timeline/"),
            Page::Year(year) => urls.year(*year),
            Page::Terms(taxonomy) => format!("{root}{}/", taxonomy.dir()),
            Page::Term(taxonomy, slug) => format!("{root}{}/{slug}/", taxonomy.dir()),
            Page::NotFound => format!("{root}404.html"),
            Page::Search => format!("{root}search/"),
            Page::Feed => format!("{root}atom.xml"),
            Page::PersonFeed(id) => format!("{}atom.xml", urls.person(id)),
            Page::Sitemap => format!("{root}sitemap.xml"),
            Page::Robots => format!("{root}robots.txt"),
            Page::Data(file) => format!("{root}data/{}", file.name(0)),
            // In this language's own root: a language's notice is asked for
            // by the path it names without the language's prefix.
            Page::Redirect(old) | Page::Withdrawn(old) => {
                format!("{}{}", self.urls.root, old.trim_start_matches('/'))
            }
            Page::RedirectRules => format!("{root}_redirects"),
            Page::Corrections => format!("{root}corrections/"),
            Page::CorrectionsFeed => format!("{root}corrections/atom.xml"),
            Page::Standalone(p) => urls.page(&self.site.pages[*p].slug),
            Page::Codebook => format!("{root}data/"),
        }
    }

    /// Renders part `part` of a page: HTML through its template, feeds and
    /// data directly.
    pub(crate) fn render(&self, page: &Page, part: usize) -> Result<String, Diagnostics> {
        // The notice at a language's old address (`/ar/…`) is in that
        // language, about the page it names without the prefix.
        if let Page::Withdrawn(old) = page
            && let Some((speaking, inner)) = self.speaking(old)
        {
            return speaking.render_version(&Page::Withdrawn(inner.to_owned()), part, &[]);
        }
        let (renderer, own) = self.version(page);
        let alternates = self.alternates(own, part, renderer.code());
        renderer.render_version(own, part, &alternates)
    }

    /// Renders part `part` of a page of this renderer's language, given
    /// its versions in every language.
    fn render_version(
        &self,
        page: &Page,
        part: usize,
        alternates: &[language::Alternate],
    ) -> Result<String, Diagnostics> {
        let url = self.part_url(page, part);
        if let Page::Redirect(old) = page {
            return self.redirect_page(old);
        }
        let Some(template) = page.template() else {
            return Ok(match page {
                Page::PersonFeed(id) => self.person_feed(id, &url),
                Page::Sitemap => self.sitemap(part),
                Page::Robots => self.robots(),
                Page::RedirectRules => self.redirect_rules(),
                Page::CorrectionsFeed => self.corrections_feed(&url),
                Page::Data(file) => {
                    let mut bytes = Vec::new();
                    // Writing to memory fails only if serialising does,
                    // which rows of strings and numbers cannot.
                    let _ = self.write_data(*file, part, &mut bytes);
                    String::from_utf8(bytes).unwrap_or_default()
                }
                _ => self.site_feed(&url),
            });
        };
        let mut context = self.context(page, part);
        let parts = self.parts(page);
        let pager = (parts > 1).then(|| Pager::new(&self.url_of(page), part, parts));
        context.insert("pager", &pager);
        context.insert("current_url", &url);
        context.insert("alternates", alternates);
        context.insert("permalink", &self.absolute(&url));
        let mut feeds = vec![Link {
            name: self.titles().title,
            url: format!("{}atom.xml", self.urls.root),
        }];
        if *page == Page::Corrections {
            feeds.push(Link {
                name: "Corrections",
                url: self.url_of(&Page::CorrectionsFeed),
            });
        }
        if let Page::Person(id) = page {
            let name = &self.site.people[id].name;
            feeds.push(Link {
                name,
                url: self.url_of(&Page::PersonFeed(id.clone())),
            });
        }
        context.insert("feeds", &feeds);
        context.insert("meta", &self.meta(page));
        context.insert("json_ld", &self.json_ld(page));
        let html = self
            .tera
            .render(template, &context)
            .map_err(|error| templates::diagnostic(&error, self.site_templates))?;
        // The 404 page is served at any missing address, so only root paths
        // work from it.
        Ok(
            match self.site.config.relative_urls && *page != Page::NotFound {
                true => relative::rewrite(&html, &self.home.root, &url),
                false => html,
            },
        )
    }

    fn context(&self, page: &Page, part: usize) -> Context {
        let mut context = Context::new();
        let (site, index) = (self.site, self.index);
        let per_part = self.per_part;
        match page {
            Page::Home => {
                let all = self.home_articles();
                context.insert(
                    "articles",
                    &self.article_items(paginate::slice(&all, per_part, part)),
                );
                // Latest statements on the first part only: later parts
                // continue the list of articles.
                let latest = if part == 0 { HOME_STATEMENTS } else { 0 };
                let statements = &index.statements[..index.statements.len().min(latest)];
                context.insert("statements", &self.statement_views(statements));
                context.insert("article_count", &site.articles.len());
                context.insert("statement_count", &index.statements.len());
                context.insert("person_count", &site.people.len());
                context.insert("publisher_count", &index.publishers.len());
            }
            Page::Article(a) => {
                context.insert("article", &self.article_view(*a));
                let path = Urls::new("/").article(&site.articles[*a].slug);
                context.insert("withdrawn", &self.withdrawn_from(&path));
            }
            Page::Withdrawn(path) => {
                context.insert("withdrawal", &self.withdrawal(path));
                context.insert("withdrawn", &self.withdrawn_from(path));
            }
            Page::Standalone(p) => {
                context.insert("page", &self.site_page_view(&site.pages[*p]));
            }
            Page::People => {
                let order = self.people_in_order();
                let shown = paginate::slice(order, per_part, part);
                let people: Vec<_> = (shown.iter())
                    .map(|(person, _)| self.person_view(person, index))
                    .collect();
                let groups: Vec<_> = paginate::runs(shown.iter().map(|(_, initial)| initial))
                    .into_iter()
                    .map(|run| view::InitialGroup {
                        name: &run.key.1,
                        anchor: &run.key.0,
                        people: &people[run.items],
                    })
                    .collect();
                context.insert("groups", &groups);
                context.insert("people", &people);
                context.insert("initials", &self.people_initials(order));
            }
            Page::Person(id) => {
                context.insert("person", &self.person_view(&site.people[id], index));
                let record = self.person_record(id, part);
                context.insert("years", &record.years);
                context.insert("year_index", &record.index);
                context.insert("chart", &record.chart);
                // What they relayed: the newest, a part's worth, on the
                // first part only, with how many there are in all.
                let relayed = index.relayed_by.get(id).map_or(&[][..], Vec::as_slice);
                let shown = match part {
                    0 => &relayed[..self.at_most_a_part(relayed.len())],
                    _ => &[],
                };
                context.insert("relayed", &self.statement_views(shown));
                context.insert("relayed_count", &relayed.len());
            }
            Page::Codebook => {
                context.insert("codebook", &self.codebook());
            }
            Page::Corrections => {
                let shown = paginate::slice(&index.corrections, per_part, part);
                let corrections: Vec<_> = (shown.iter())
                    .map(|&(a, c)| self.correction_view(a, c))
                    .collect();
                context.insert("corrections", &corrections);
                context.insert("correction_count", &index.corrections.len());
            }
            Page::Sources => {
                // A part's worth of publishers, each linking to its page of
                // documents: the index is a list of names, as of people.
                let order = self.publishers_in_order();
                let first = per_part * part;
                let shown = paginate::slice(order, per_part, part);
                let publishers: Vec<_> = (shown.iter().enumerate())
                    .map(|(at, ((slug, p), initial))| {
                        let position = first + at;
                        let starts_initial = position == 0 || order[position - 1].1 != *initial;
                        view::SourcesEntry {
                            publisher: self.publisher_view(slug, p, &[]),
                            initial: starts_initial.then(|| initial.0.clone()),
                        }
                    })
                    .collect();
                context.insert("publishers", &publishers);
                let url = self.url_of(page);
                let part = |position| paginate::part_of(position, per_part);
                let initials = order.iter().map(|(_, initial)| initial.clone());
                let runs = view::periods_in_parts(&url, part, initials, |initial| initial.clone());
                let jump: Vec<_> = runs.into_iter().map(|run| run.link).collect();
                context.insert("initials", &jump);
            }
            Page::Publisher(slug) => {
                let publisher = &index.publishers[slug];
                let documents = paginate::slice(&publisher.documents, per_part, part);
                context.insert(
                    "publisher",
                    &self.publisher_view(slug, publisher, documents),
                );
            }
            Page::Timeline => {
                let years: Vec<_> = index
                    .years
                    .keys()
                    .map(|&y| self.year_view(y, None))
                    .collect();
                context.insert("years", &years);
                context.insert("chart", &self.timeline_chart());
            }
            Page::Year(year) => {
                context.insert("year", &self.year_view(*year, Some(part)));
                let link = |y: Option<(&i16, _)>| y.map(|(&y, _)| (y, self.urls.year(y)));
                context.insert("previous", &link(index.years.range(..*year).next_back()));
                context.insert("next", &link(index.years.range(year + 1..).next()));
            }
            Page::Terms(taxonomy) => {
                // A term whose every article this language hides lists none.
                // By name as the language orders them, not by address
                // (حمص's `hms` after غزة's `gz`).
                let mut terms: Vec<_> = self
                    .terms(*taxonomy)
                    .iter()
                    .map(|(slug, t)| self.term_view(taxonomy.dir(), slug, t))
                    .filter(|term| term.article_count > 0)
                    .collect();
                terms.sort_by_cached_key(|term| self.ui.sort_key(term.name));
                context.insert("taxonomy", &self.taxonomy_view(*taxonomy));
                context.insert("terms", &terms);
            }
            Page::Term(taxonomy, slug) => {
                let term = &self.terms(*taxonomy)[slug];
                context.insert("taxonomy", &self.taxonomy_view(*taxonomy));
                context.insert("term", &self.term_view(taxonomy.dir(), slug, term));
                let listed = self.listed(&term.articles);
                let articles = paginate::slice(&listed, per_part, part);
                context.insert("articles", &self.article_items(articles));
            }
            _ => {}
        }
        context
    }

    /// The articles home lists, newest first.
    fn home_articles(&self) -> Vec<usize> {
        let all: Vec<usize> = (0..self.site.articles.len()).collect();
        self.listed(&all).into_owned()
    }

    fn terms(
        &self,
        taxonomy: Taxonomy,
    ) -> &'a std::collections::BTreeMap<String, crate::index::Term> {
        match taxonomy {
            Taxonomy::Topics => &self.index.topics,
            Taxonomy::Places => &self.index.places,
        }
    }

    fn taxonomy_title(&self, taxonomy: Taxonomy) -> &'a str {
        self.ui.text(match taxonomy {
            Taxonomy::Topics => "topics_title",
            Taxonomy::Places => "places_title",
        })
    }

    fn taxonomy_view(&self, taxonomy: Taxonomy) -> TaxonomyView<'a> {
        let title = self.taxonomy_title(taxonomy);
        TaxonomyView {
            name: taxonomy.dir(),
            title,
            url: format!("{}{}/", self.urls.root, taxonomy.dir()),
        }
    }
}

/// An initial of an index: its anchor and how it is written.
pub(super) type Initial = (String, String);

impl<'a> Renderer<'a> {
    /// Everyone, in the people index's order: by initial, then by name,
    /// each as the language orders them, a name's translation when there
    /// is one.
    fn people_in_order(&self) -> &[(&'a crate::content::Person, Initial)] {
        self.people_order.get_or_init(|| {
            let people = self.site.people.values().map(|person| {
                let translation = self.person_translation(person);
                (
                    person,
                    translation.map_or(person.name.as_str(), |t| t.name.as_str()),
                )
            });
            in_name_order(self.ui, people)
        })
    }

    /// Every publisher, in the sources index's order: by initial, then by
    /// name, as the language orders them (numbers by their value).
    fn publishers_in_order(&self) -> &[((&'a String, &'a Publisher), Initial)] {
        self.publisher_order.get_or_init(|| {
            let publishers = self.index.publishers.iter();
            in_name_order(
                self.ui,
                publishers.map(|entry| (entry, entry.1.name.as_str())),
            )
        })
    }
}

/// `items` with their names, in the order of an index by initial: by
/// initial, then by name, each as the language orders them; ties in the
/// order given. Each with the initial it is listed under.
fn in_name_order<'n, T>(ui: &Ui, items: impl Iterator<Item = (T, &'n str)>) -> Vec<(T, Initial)> {
    let mut keyed: Vec<_> = items
        .enumerate()
        .map(|(position, (item, name))| {
            let initial = name_initial(ui, name);
            // The anchor parts initials the language writes alike.
            let key = (ui.sort_key(&initial.1), initial.0.clone());
            ((key, ui.sort_key(name), position), item, initial)
        })
        .collect();
    keyed.sort_by(|a, b| a.0.cmp(&b.0));
    keyed
        .into_iter()
        .map(|(_, item, initial)| (item, initial))
        .collect()
}

/// The group of the people index a name falls in: its first letter, as a
/// capital, without an accent the language does not count as a letter of
/// its own (Élodie under E; Swedish Ärla under Ä); one group for names
/// starting with a digit (`0–9` in the language's digits), and one for
/// names with neither.
fn name_initial(ui: &Ui, name: &str) -> Initial {
    const NFD: icu_normalizer::DecomposingNormalizerBorrowed<'static> =
        icu_normalizer::DecomposingNormalizerBorrowed::new_nfd();
    match name.chars().find(|c| c.is_alphanumeric()) {
        Some(c) if c.is_numeric() => {
            let digits = format!("{}–{}", ui.number(0), ui.number(9));
            ("initial-0-9".to_owned(), digits)
        }
        Some(c) => {
            let letter = c.to_string();
            let base = NFD.normalize(&letter).chars().next().unwrap_or(c);
            let shown = match base != c && ui.same_letter(&letter, &base.to_string()) {
                true => base,
                false => c,
            };
            let anchor = format!("initial-{}", shown.to_lowercase());
            (anchor, shown.to_uppercase().collect())
        }
        None => ("initial-other".to_owned(), "#".to_owned()),
    }
}

#[cfg(test)]
mod tests {
    use super::{DataFile, Format, Ui, Urls, name_initial};

    #[test]
    fn names_are_ordered_by_initial_then_by_name_numbers_by_their_value() {
        let (english, _) = Ui::new("en", None);
        let names = ["Publisher 10", "Élodie", "Publisher 2", "eduardo", "9 News"];
        let ordered = super::in_name_order(&english, names.iter().map(|&n| (n, n)));
        let ordered: Vec<(&str, &str)> = (ordered.iter())
            .map(|(name, initial)| (*name, initial.1.as_str()))
            .collect();
        assert_eq!(
            ordered,
            [
                ("9 News", "0–9"),
                ("eduardo", "E"),
                ("Élodie", "E"),
                ("Publisher 2", "P"),
                ("Publisher 10", "P"),
            ]
        );
    }

    #[test]
    fn a_name_is_listed_under_its_first_letter_as_the_language_has_it() {
        let (english, _) = Ui::new("en", None);
        let letter = |ui: &Ui, name| name_initial(ui, name).1;
        assert_eq!(letter(&english, "Élodie Martin"), "E");
        assert_eq!(letter(&english, "ángel"), "A");
        assert_eq!(letter(&english, "‘Abd al-Rahman"), "A");
        assert_eq!(letter(&english, "Олена"), "О");
        let (arabic, _) = Ui::new("ar", None);
        assert_eq!(letter(&arabic, "أنطونيو"), "ا", "hamza forms under alef");
        let (egyptian, _) = Ui::new("ar-EG", None);
        assert_eq!(
            letter(&egyptian, "2 Brigade"),
            "٠–٩",
            "digits as the language writes them"
        );
        assert_eq!(letter(&english, "2nd Battalion"), "0–9");
        assert_eq!(letter(&english, "…"), "#");
        assert_eq!(name_initial(&english, "Élodie").0, "initial-e");
        // Letters of their own in their languages keep their marks.
        let (swedish, _) = Ui::new("sv", None);
        assert_eq!(letter(&swedish, "Ärla"), "Ä");
        let (russian, _) = Ui::new("ru", None);
        assert_eq!(letter(&russian, "Йосип"), "Й");
        let (ukrainian, _) = Ui::new("uk", None);
        assert_eq!(letter(&ukrainian, "Їжак"), "Ї");
    }

    #[test]
    fn a_years_statements_continue_in_numbered_files() {
        let csv = DataFile::Statements(2021, Format::Csv);
        assert_eq!(csv.name(0), "statements/2021.csv");
        assert_eq!(csv.name(1), "statements/2021-2.csv");
        assert_eq!(
            DataFile::Statements(-44, Format::Json).name(0),
            "statements/-44.json"
        );
        assert_eq!(
            DataFile::Withdrawn(Format::Json).name(0),
            "statements/withdrawn.json"
        );
        assert_eq!(DataFile::ArticlesCsv.name(0), "articles.csv");
        assert_eq!(DataFile::SourcesCsv.name(2), "sources-3.csv");
    }

    #[test]
    fn body_links_move_under_the_sub_path_but_other_links_stay() {
        let html = r##"<a href="/people/x/">x</a> <a href="/annals/y/">y</a> <img src="/a.png"> <a href="//cdn.example/">c</a> <a href="https://e.org/">e</a> <a href="#s">s</a> <p title="/no">"##;
        let moved = Urls::new("/annals/").in_html(html);
        assert_eq!(
            moved,
            r##"<a href="/annals/people/x/">x</a> <a href="/annals/y/">y</a> <img src="/annals/a.png"> <a href="//cdn.example/">c</a> <a href="https://e.org/">e</a> <a href="#s">s</a> <p title="/no">"##
        );
        assert!(matches!(
            Urls::new("/").in_html(html),
            std::borrow::Cow::Borrowed(_)
        ));
    }
}
