//! The change→pages dependency map: which pages show what a set of file
//! changes touched, so an incremental rebuild renders those alone.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::addresses::Redirects;
use crate::content::{self, Article, SitePage, TEMPLATES_DIR, TextFile};
use crate::index::Index;
use crate::render::{DataFile, Page};

/// The exports of the whole archive that show statements and people.
const WHOLE_EXPORTS: [DataFile; 3] = [
    DataFile::StatementsJson,
    DataFile::StatementsCsv,
    DataFile::People,
];

/// What a set of changes touches, gathered before the new site is assembled.
/// What the last build had that pages beside the changed ones show.
pub(super) struct Previous<'p> {
    /// The timeline's years: each year page links the years beside it, so
    /// a year coming or going changes them.
    pub(super) years: &'p BTreeSet<i16>,
    pub(super) redirects: &'p Redirects,
    /// The navigation's links ([`menu`]), which every HTML page shows.
    pub(super) menu: &'p [(String, String)],
    /// Whether drafts are built, so whether a changed article's version
    /// before was on the site at all.
    pub(super) drafts: bool,
}

#[derive(Default)]
pub(super) struct Scope {
    pub(super) everything: bool,
    /// Versions of changed articles before the change, by file. (Hashed:
    /// every article's file is looked up here, and comparing paths, which
    /// ordered sets do, goes component by component.)
    pub(super) articles_before: HashMap<PathBuf, Arc<Article>>,
    pub(super) article_files: HashSet<PathBuf>,
    /// Changed people (id, file), and whether what other pages show of
    /// them changed (see `Person::shown_elsewhere`).
    pub(super) people: Vec<(String, PathBuf, bool)>,
    /// Page templates changed, by name (e.g. `person.html`).
    pub(super) templates: Vec<String>,
    /// Static files that appeared, changed or went, relative to the root.
    pub(super) static_files: Vec<PathBuf>,
    /// Versions of changed pages (`content/pages/`) before the change, by
    /// file, and the files changed.
    pub(super) pages_before: HashMap<PathBuf, Arc<SitePage>>,
    pub(super) page_files: HashSet<PathBuf>,
    /// Whether a changed article or person file changed its `redirect_from:`.
    pub(super) redirects_changed: bool,
    /// Translation files (`<name>.<code>.md`) that appeared, changed or
    /// went; they are in the sets above too, by their area.
    pub(super) translations: BTreeSet<PathBuf>,
    /// Whether one of them came, went, or became valid or invalid: its
    /// original's page in its language may have come or gone.
    pub(super) translations_moved: bool,
    /// Whether one of them changed what pages other than its own show of
    /// it ([`content::Translated::listed_alike`]).
    pub(super) translations_listed: bool,
}

/// What the site navigation shows of the pages it links: (title, slug),
/// in its order.
pub(super) fn menu(site: &content::Site) -> Vec<(String, String)> {
    let pages = site.menu().into_iter();
    pages.map(|p| (p.title.clone(), p.slug.clone())).collect()
}

impl Scope {
    /// Whether the changes can alter what the search index holds (a
    /// person's bio is not in it; their name is).
    pub(super) fn changes_content(&self) -> bool {
        self.everything
            || !self.article_files.is_empty()
            || !self.page_files.is_empty()
            || !self.translations.is_empty()
            || self
                .people
                .iter()
                .any(|(_, _, shown_elsewhere)| *shown_elsewhere)
    }

    /// Whether the changes may move an address of the site: add or remove
    /// a page or file (then the model is not reused either), or change a
    /// redirect, the site's own static files, or which translations there
    /// are.
    pub(super) fn moves_addresses(&self) -> bool {
        self.everything
            || self.redirects_changed
            || !self.static_files.is_empty()
            || !self.page_files.is_empty()
            || self.translations_moved
    }

    /// The pages that show anything the changes touched (the dependency
    /// map), given what the last build had and the redirects now; `all`
    /// is every page, sorted, and `changed` the positions of the changed
    /// articles in the model.
    pub(super) fn pages(
        &self,
        site: &content::Site,
        index: &Index,
        previous: &Previous,
        redirects: &Redirects,
        all: &[Page],
        changed: &[usize],
    ) -> Vec<Page> {
        let drafts = previous.drafts;
        let mut pages = BTreeSet::new();
        let mut after: HashMap<&Path, &Article> = HashMap::new();
        for &position in changed {
            let article = &site.articles[position];
            pages.insert(Page::Article(position));
            after.insert(&article.file, article);
        }
        for path in &self.article_files {
            let before = (self.articles_before.get(path).map(|a| &**a))
                .filter(|article| drafts || !article.draft);
            pages.extend(pages_showing_changes(
                before,
                after.get(path.as_path()).copied(),
            ));
        }
        pages.extend(self.site_pages(site, previous, all));
        let (translated, translated_people) = self.translated_pages(site, all);
        pages.extend(translated);
        if !index.years.keys().eq(previous.years.iter()) {
            pages.extend(index.years.keys().map(|&year| Page::Year(year)));
        }
        let own_rules = self.static_files.iter().any(|f| f.ends_with("_redirects"));
        if redirects != previous.redirects || own_rules {
            let moved = all
                .iter()
                .filter(|p| matches!(p, Page::Redirect(_) | Page::RedirectRules));
            pages.extend(moved.cloned());
        }
        let people = (self.people.iter()).map(|(id, _, elsewhere)| (id, *elsewhere));
        let people = people.chain(translated_people.iter().map(|id| (id, true)));
        for (id, shown_elsewhere) in people {
            pages.insert(Page::Person(id.clone()));
            if !shown_elsewhere {
                continue;
            }
            pages.extend([
                Page::People,
                Page::Home,
                Page::PersonFeed(id.clone()),
                Page::Sitemap,
            ]);
            pages.extend(WHOLE_EXPORTS.map(Page::Data));
            pages.insert(Page::Data(DataFile::PeopleCsv));
            // Their name shows on every statement they made or relayed:
            // on its article, its year, its speaker's and relayer's pages,
            // and the export of its year (their name, their role).
            let relayed = index.relayed_by.get(id).into_iter().flatten();
            for reference in index.by_person.get(id).into_iter().flatten().chain(relayed) {
                let statement = crate::index::statement(site, *reference);
                pages.insert(Page::Article(reference.article));
                pages.insert(Page::Year(statement.date.year()));
                pages.extend(
                    DataFile::statements_of([statement.date.year()].into_iter()).map(Page::Data),
                );
                pages.insert(Page::Person(statement.person.clone()));
                if let Some(via) = &statement.via {
                    pages.insert(Page::Person(via.clone()));
                }
            }
        }
        if !self.templates.is_empty() {
            pages.extend(
                all.iter()
                    .filter(|p| {
                        self.templates
                            .iter()
                            .any(|t| p.template() == Some(t.as_str()))
                    })
                    .cloned(),
            );
        }
        in_every_language(pages, site.config.languages.len(), all)
    }

    /// The pages that show a changed translation (in the default
    /// language: every language's version of each is rendered): the
    /// original's own page; when what lists show of it changed, wherever
    /// lists show its title and the translations table (a page's slug keys
    /// its rows); the sitemap when a translation came or went (its
    /// alternates); also the people translated, whose names show wherever
    /// their statements do.
    fn translated_pages(&self, site: &content::Site, all: &[Page]) -> (Vec<Page>, Vec<String>) {
        if self.translations.is_empty() && self.page_files.is_empty() {
            return (Vec::new(), Vec::new());
        }
        // An edit of a translation's text alone shows on its own page only.
        let listed = self.translations_listed || !self.page_files.is_empty();
        let mut pages = Vec::new();
        if listed {
            pages.extend([
                Page::Data(DataFile::TranslationsCsv),
                Page::Data(DataFile::TranslationsJson),
                Page::Data(DataFile::Package),
                Page::Codebook,
            ]);
        }
        // Its alternates: only a translation that came or went moves them.
        if self.translations_moved {
            pages.push(Page::Sitemap);
        }
        let originals: HashSet<PathBuf> = (self.translations.iter())
            .filter_map(|path| content::translation_original(path))
            .collect();
        let is_original = |file: &Path| originals.contains(&file.with_extension(""));
        let articles = site.articles.iter().enumerate();
        for (position, article) in articles.filter(|(_, a)| is_original(&a.file)) {
            pages.push(Page::Article(position));
            if listed {
                pages.extend(listing(article));
            }
        }
        let standalone = site.pages.iter().enumerate();
        for (position, page) in standalone.filter(|(_, p)| is_original(&p.file)) {
            pages.push(Page::Standalone(position));
            // Its title in the navigation, on every page.
            if page.menu {
                pages.extend(all.iter().filter(|page| page.is_html()).cloned());
            }
        }
        let people = site.people.values().filter(|p| is_original(&p.file));
        (pages, people.map(|p| p.id.clone()).collect())
    }

    /// The pages that show a changed page of `content/pages/`: its own, the
    /// sitemap when its address came, went or moved, and every HTML page
    /// when the navigation changed.
    fn site_pages(&self, site: &content::Site, previous: &Previous, all: &[Page]) -> Vec<Page> {
        if self.page_files.is_empty() {
            return Vec::new();
        }
        let mut pages: Vec<Page> = (site.pages.iter().enumerate())
            .filter(|(_, page)| self.page_files.contains(&page.file))
            .map(|(position, _)| Page::Standalone(position))
            .collect();
        let address = |page: Option<&SitePage>| page.map(|p| p.slug.clone());
        let moved = self.page_files.iter().any(|path| {
            let after = site.pages.iter().find(|p| &p.file == path);
            address(self.pages_before.get(path).map(|p| &**p)) != address(after.map(|p| &**p))
        });
        if moved {
            pages.push(Page::Sitemap);
        }
        if menu(site) != previous.menu {
            pages.extend(all.iter().filter(|page| page.is_html()).cloned());
        }
        pages
    }
}

/// The pages listing an article by its title, with their feeds: where
/// another language shows its translated title.
fn listing(article: &Article) -> impl Iterator<Item = Page> + '_ {
    use crate::render::Taxonomy::{Places, Topics};
    let fixed = [
        Page::Home,
        Page::Feed,
        Page::Sources,
        Page::Timeline,
        Page::Year(article.date.year()),
    ];
    let said = article.statements.iter();
    let years = said.clone().map(|s| Page::Year(s.date.year()));
    let people = said.flat_map(|s| std::iter::once(&s.person).chain(&s.via));
    let publishers = (article.sources.iter()).map(|s| Page::Publisher(s.publisher.slug.clone()));
    let topics = (article.topics.iter()).map(|t| Page::Term(Topics, t.slug.clone()));
    let places = (article.places.iter()).map(|p| Page::Term(Places, p.slug.clone()));
    fixed
        .into_iter()
        .chain(years)
        .chain(people.map(|id| Page::Person(id.clone())))
        .chain(publishers)
        .chain(topics)
        .chain(places)
}

/// `pages` (the default language's) with their versions in each of the
/// `languages` other languages, those the site has (`all`, sorted).
fn in_every_language(pages: BTreeSet<Page>, languages: usize, all: &[Page]) -> Vec<Page> {
    let mut selected = Vec::with_capacity(pages.len() * (languages + 1));
    for page in pages {
        for language in (0..languages).filter_map(|l| u8::try_from(l).ok()) {
            let version = Page::In(language, Box::new(page.clone()));
            if all.binary_search(&version).is_ok() {
                selected.push(version);
            }
        }
        if all.binary_search(&page).is_ok() {
            selected.push(page);
        }
    }
    // A version may be in `pages` already (every page using a template).
    selected.sort();
    selected.dedup();
    selected
}

/// The pages, other than the article's own, that show a part of it that
/// differs between two versions (`None`: the article did not exist then).
fn pages_showing_changes(before: Option<&Article>, after: Option<&Article>) -> BTreeSet<Page> {
    use crate::render::Taxonomy::{Places, Topics};
    let versions: Vec<&Article> = before.into_iter().chain(after).collect();
    let same = |f: fn(&Article, &Article) -> bool| matches!((before, after), (Some(b), Some(a)) if f(b, a));
    // What lists show of an article (`render::view::ArticleItem`).
    let listed = !same(|b, a| {
        (&b.slug, &b.title, &b.date, &b.updated, &b.summary, b.draft)
            == (&a.slug, &a.title, &a.date, &a.updated, &a.summary, a.draft)
            && (b.statements.len(), b.sources.len()) == (a.statements.len(), a.sources.len())
    });
    let said = !same(|b, a| b.statements == a.statements && b.sources == a.sources);
    let cited = !same(|b, a| b.sources == a.sources);
    let filed = !same(|b, a| b.topics == a.topics && b.places == a.places);
    // What `articles.csv` shows of it beyond what lists do.
    let tabled = !same(|b, a| {
        let former = |article: &Article| {
            article
                .redirect_from
                .iter()
                .map(|o| &o.path)
                .cloned()
                .collect::<Vec<_>>()
        };
        (&b.reviewed, b.corrections.len(), former(b))
            == (&a.reviewed, a.corrections.len(), former(a))
    });
    // A correction shows on the article, on `/corrections/`, as a marker
    // wherever a corrected statement is listed, and dates the article's
    // last change (feeds, sitemap).
    let corrected = !same(|b, a| b.corrections == a.corrections);
    // Its first address is in its feed entries' ids (`render::feeds`).
    let first_address = !same(|b, a| b.redirect_from.first() == a.redirect_from.first());

    let mut pages = BTreeSet::new();
    for article in versions {
        // Speakers, and who relayed their words.
        let people = || {
            (article.statements.iter())
                .flat_map(|s| std::iter::once(&s.person).chain(&s.via))
                .map(|id| Page::Person(id.clone()))
        };
        let publishers = || {
            article
                .sources
                .iter()
                .map(|s| Page::Publisher(s.publisher.slug.clone()))
        };
        let terms = || {
            let topics = article
                .topics
                .iter()
                .map(|t| Page::Term(Topics, t.slug.clone()));
            topics.chain(
                article
                    .places
                    .iter()
                    .map(|p| Page::Term(Places, p.slug.clone())),
            )
        };
        // The data package dates the data by its newest change (a date, an
        // update, a correction), and lists a table per year and part.
        if listed || said || corrected {
            pages.extend([Page::Data(DataFile::Package), Page::Codebook]);
        }
        if listed || filed || tabled {
            pages.insert(Page::Data(DataFile::ArticlesCsv));
        }
        if listed || cited {
            pages.insert(Page::Data(DataFile::SourcesCsv));
        }
        if listed || said {
            // Statements' translations, in the record's order.
            let translations = [DataFile::TranslationsCsv, DataFile::TranslationsJson];
            pages.extend(translations.map(Page::Data));
            pages.extend(WHOLE_EXPORTS.map(Page::Data));
            pages.insert(Page::Data(DataFile::PeopleCsv));
            let years = article.statements.iter().map(|s| s.date.year());
            pages.extend(DataFile::statements_of(years).map(Page::Data));
            pages.extend(
                article
                    .statements
                    .iter()
                    .map(|s| Page::PersonFeed(s.person.clone())),
            );
        }
        if listed || cited {
            pages.insert(Page::Data(DataFile::Sources));
        }
        // The sitemap lists every part of every page, and when people last
        // spoke; the timeline counts each year's articles and statements.
        if listed || said || cited || filed || corrected {
            pages.insert(Page::Sitemap);
        }
        // `/corrections/` names each corrected article, by title and address.
        if corrected || (listed && !article.corrections.is_empty()) {
            pages.extend([Page::Corrections, Page::CorrectionsFeed]);
            let exports = [DataFile::CorrectionsJson, DataFile::CorrectionsCsv];
            pages.extend(exports.map(Page::Data));
        }
        // Its first address is in the ids of its entries, its statements'
        // and its corrections'.
        if first_address {
            pages.insert(Page::Feed);
            pages.extend((article.statements.iter()).map(|s| Page::PersonFeed(s.person.clone())));
            if !article.corrections.is_empty() {
                pages.insert(Page::CorrectionsFeed);
            }
        }
        // A statement's entry in its speaker's feed is updated when it is
        // corrected.
        if corrected {
            pages.extend((article.statements.iter()).map(|s| Page::PersonFeed(s.person.clone())));
        }
        if corrected {
            pages.extend([Page::Feed, Page::Home]);
            pages.extend(people());
            pages.extend(article.statements.iter().map(|s| Page::Year(s.date.year())));
        }
        // The timeline's chart counts each year's articles and statements
        // (a date or a draft flag is `listed`); each year page's chart and
        // month index count that year's, and each person page's chart and
        // year index that person's, whose pages `listed` and `said` below
        // name. A change to any count (a date, a statement, a draft flag)
        // moves the index, so every part of those pages is rendered.
        if listed || said {
            pages.insert(Page::Timeline);
        }
        if listed {
            pages.insert(Page::Feed);
            // Person, publisher and source pages name the article too, and
            // so does each statement wherever it is listed: on the pages
            // of the years it was said in, which may not be the article's.
            pages.extend([Page::Home, Page::Sources, Page::Year(article.date.year())]);
            pages.extend(terms().chain(people()).chain(publishers()));
            pages.extend(article.statements.iter().map(|s| Page::Year(s.date.year())));
        }
        if said {
            pages.extend([Page::Home, Page::People]);
            pages.extend(people());
            pages.extend(article.statements.iter().map(|s| Page::Year(s.date.year())));
        }
        if cited {
            pages.extend([Page::Home, Page::Sources]);
            pages.extend(publishers());
        }
        if filed {
            pages.extend([Page::Terms(Topics), Page::Terms(Places)]);
            pages.extend(terms());
        }
    }
    pages
}

/// The page template a changed file is, if no other template includes or
/// extends it (then only the pages using it need rendering).
pub(super) fn page_template_used_alone(path: &Path, templates: &[TextFile]) -> Option<String> {
    let name = path
        .strip_prefix(TEMPLATES_DIR)
        .ok()?
        .to_str()?
        .replace('\\', "/");
    let is_page_template = Page::TEMPLATES.contains(&name.as_str());
    let quoted = [format!("\"{name}\""), format!("'{name}'")];
    let referenced = templates
        .iter()
        .any(|t| quoted.iter().any(|q| t.text.contains(q.as_str())))
        || crate::render::built_in_references(&name);
    (is_page_template && !referenced).then_some(name)
}
