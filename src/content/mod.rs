//! The content model — [`Site`], [`Article`], [`Statement`], [`Person`],
//! [`Source`], [`SitePage`] — and the stages that produce it from a site
//! directory.
//!
//! Everything downstream (index, render) reads these types and nothing else;
//! no later stage looks at the YAML or Markdown text again.

mod check;
mod front_matter;
mod load;
mod moment;
mod page;
mod parse;
mod translation;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::iter::IndexedParallelIterator;
use serde::Deserialize;

use crate::config::Config;
use crate::diagnostic::Diagnostics;
use crate::markdown::RawHtml;

pub(crate) use front_matter::body_line;
pub(crate) use load::{
    Area, FileChange, FileRead, STATIC_DIR, SiteFiles, TEMPLATES_DIR, TextFile, is_editor_leftover,
    read_checked, read_file, read_files, slash_path, unread,
};
pub(crate) use moment::{Moment, Precision, SortKey};
pub(crate) use parse::{is_language_tag, person_id, unsafe_text};
use translation::Entry;
pub(crate) use translation::{Translated, is_translation, original as translation_original};

/// The whole site in memory: the model every page is rendered from.
#[derive(Debug, Clone)]
pub(crate) struct Site {
    pub config: Config,
    /// Newest first; ties broken by slug so the order is deterministic.
    pub articles: Vec<Arc<Article>>,
    /// Keyed by person id (the file stem).
    pub people: BTreeMap<String, Person>,
    /// Pages outside the record (about, methodology), by slug.
    pub pages: Vec<Arc<SitePage>>,
    /// The translations of articles, people and pages, by their original.
    pub translations: Translations,
}

/// Every translation on the site, by its original's key (an article's or
/// page's slug, a person's id), then by language code as `languages:`
/// spells it.
///
/// Beside the originals rather than inside them: an `Article` is shared
/// (`Arc`) between the session's parse results and each built site, and
/// giving it its translations would copy every translated article, body
/// and all, for as long as the session lives; and a translation's edit
/// would re-assemble the article. Kept apart, a translation is one `Arc`
/// more, and its file is parsed alone.
#[derive(Debug, Clone, Default)]
pub(crate) struct Translations {
    pub articles: BTreeMap<String, BTreeMap<String, Arc<ArticleTranslation>>>,
    pub people: BTreeMap<String, BTreeMap<String, Arc<PersonTranslation>>>,
    pub pages: BTreeMap<String, BTreeMap<String, Arc<PageTranslation>>>,
}

/// An article's words in another language (`<name>.<code>.md`): its
/// sources, statements and dates are the original's.
#[derive(Debug, Clone)]
pub(crate) struct ArticleTranslation {
    pub file: PathBuf,
    pub title: String,
    /// Plain text: the `summary` field, else the body's first paragraph.
    pub summary: String,
    pub summary_written: bool,
    /// When the translation was last brought up to date with the original.
    pub updated: Option<Moment>,
    pub updated_line: usize,
    /// Statement id → its words in this language (`translations:`), with
    /// the line written on.
    pub statements: BTreeMap<String, (String, usize)>,
    /// The source ids the body cites inline, with their lines: checked
    /// against the original's sources when the site is assembled.
    pub citations: Vec<(String, usize)>,
    pub body_html: Html,
    /// The body's distinct words, as search normalises them.
    pub body_words: String,
    /// Root-relative link targets in the body with their lines.
    pub internal_links: Vec<(String, usize)>,
}

/// A person's name, role and bio in another language.
#[derive(Debug, Clone)]
pub(crate) struct PersonTranslation {
    pub file: PathBuf,
    pub name: String,
    pub role: Option<String>,
    pub affiliation: Option<String>,
    pub bio_html: String,
}

/// A page's words in another language.
#[derive(Debug, Clone)]
pub(crate) struct PageTranslation {
    pub file: PathBuf,
    pub title: String,
    /// Plain text: the `summary` field, else the body's first paragraph.
    pub summary: String,
    pub body_html: Html,
    /// The body's distinct words, as search normalises them.
    pub body_words: String,
    /// Root-relative link targets in the body with their lines.
    pub internal_links: Vec<(String, usize)>,
}

impl Site {
    /// The pages the site navigation links, in its order: by `weight`,
    /// then title, then slug (two pages may share a title).
    pub(crate) fn menu(&self) -> Vec<&SitePage> {
        let mut menu: Vec<&SitePage> = self.pages.iter().map(|p| &**p).filter(|p| p.menu).collect();
        menu.sort_by(|a, b| (a.weight, &a.title, &a.slug).cmp(&(b.weight, &b.title, &b.slug)));
        menu
    }
}

/// Rendered Markdown, kept compressed: bodies were most of a large
/// archive's model (850 MB of 1.9 GB at 100,000 articles), and each is read
/// once a build, when its page renders.
#[derive(Clone, PartialEq, Eq)]
pub(crate) struct Html(Box<[u8]>);

impl Html {
    pub(crate) fn new(html: &str) -> Html {
        Html(lz4_flex::compress_prepend_size(html.as_bytes()).into_boxed_slice())
    }

    /// The HTML as it was given.
    pub(crate) fn expand(&self) -> String {
        // Only `new` makes the bytes, from a `str`: neither can fail.
        let bytes = lz4_flex::decompress_size_prepended(&self.0).unwrap_or_default();
        String::from_utf8(bytes).unwrap_or_default()
    }
}

impl std::fmt::Debug for Html {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("Html").field(&self.expand()).finish()
    }
}

/// A page outside the record: one Markdown file under `content/pages/`
/// (about, methodology, a corrections policy), at `/<slug>/`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct SitePage {
    /// Path relative to the site root, for messages.
    pub file: PathBuf,
    pub slug: String,
    /// Line of the `slug:` field; 0 when the slug is the file's name.
    pub slug_line: usize,
    pub title: String,
    /// Plain text: the `summary` field, else the body's first paragraph.
    pub summary: String,
    /// Whether the site navigation links it (`menu: true`).
    pub menu: bool,
    /// Its place in the navigation: lighter first.
    pub weight: i32,
    pub body_html: Html,
    /// The body's distinct words, as search normalises them.
    pub body_words: String,
    /// Root-relative link targets in the body with their lines.
    pub internal_links: Vec<(String, usize)>,
}

/// An article: one Markdown file under `content/articles/`.
#[derive(Debug, Clone)]
pub(crate) struct Article {
    /// Path relative to the site root, for messages.
    pub file: PathBuf,
    pub slug: String,
    pub title: String,
    pub date: Moment,
    pub updated: Option<Moment>,
    /// Lines of `date:` and `updated:`, for messages.
    pub date_line: usize,
    pub updated_line: usize,
    /// Plain text: the `summary` field, else the body's first paragraph.
    pub summary: String,
    /// Whether `summary` was written, rather than taken from the body
    /// (then the article page does not show it above itself again).
    pub summary_written: bool,
    pub draft: bool,
    pub topics: Vec<Label>,
    pub places: Vec<Label>,
    /// Lines of the `topics:` and `places:` fields, for messages.
    pub topics_line: usize,
    pub places_line: usize,
    pub sources: Vec<Source>,
    pub statements: Vec<Statement>,
    pub body_html: Html,
    /// Root-relative link targets in the body with their lines, for `annals check`.
    pub internal_links: Vec<(String, usize)>,
    /// The body's distinct words, space-separated, as search normalises
    /// them ([`crate::words`]): all the search index needs of the body, at a
    /// fraction of its size.
    pub body_words: String,
    /// Positions in `sources` of the sources the body cites inline.
    pub cited_in_body: Vec<usize>,
    /// Addresses the article had before (`redirect_from:`).
    pub redirect_from: Vec<OldPath>,
    /// Newest first.
    pub corrections: Vec<Correction>,
    /// When an editor last checked the article against its sources.
    pub reviewed: Option<Moment>,
}

/// An address a page had before, from the site root (`/articles/old/`),
/// with the line it is written on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct OldPath {
    pub path: String,
    pub line: usize,
}

/// A name shown to readers with the slug of its page (a publisher, topic or
/// place), slugified once when parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Label {
    pub name: String,
    pub slug: String,
}

impl Label {
    pub(crate) fn new(name: &str) -> Label {
        let name = name.trim();
        Label {
            name: name.to_owned(),
            slug: crate::slug::slugify(name),
        }
    }
}

/// A document an article cites.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Source {
    /// Unique within its article; statements refer to it.
    pub id: String,
    pub publisher: Label,
    pub title: Option<String>,
    pub url: Option<String>,
    pub date: Option<Moment>,
    pub kind: SourceKind,
    /// URL of an archived copy (e.g. a web archive snapshot).
    pub archive: Option<String>,
    /// When the archived copy was made: `archived:`, else the capture time
    /// a Wayback-style `archive` URL carries.
    pub archived: Option<Moment>,
    /// When the editor read the original (`accessed:`).
    pub accessed: Option<Moment>,
    /// BCP 47 language of the title, when not the site's.
    pub lang: Option<String>,
    /// The title in the site's language.
    pub title_translation: Option<String>,
    /// Line of the source in its article file, for messages.
    pub line: usize,
    /// Lines of its `url:` and `archive:` (the source's line when absent),
    /// for messages about the links themselves.
    pub url_line: usize,
    pub archive_line: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default, Deserialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum SourceKind {
    Official,
    Social,
    #[default]
    News,
    Report,
    Other,
}

impl SourceKind {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            SourceKind::Official => "official",
            SourceKind::Social => "social",
            SourceKind::News => "news",
            SourceKind::Report => "report",
            SourceKind::Other => "other",
        }
    }
}

/// Something a person said, as recorded by an article.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Statement {
    /// Stable anchor, unique across the site.
    pub id: String,
    /// Id of a person in [`Site::people`].
    pub person: String,
    /// When it was said (may differ from the article's date).
    pub date: Moment,
    pub words: Words,
    /// Index into the article's `sources`.
    pub source: usize,
    pub context: Option<String>,
    /// The speaker's role at the time, overriding the person's current role.
    pub role: Option<String>,
    /// BCP 47 language of the words, when not the site's language.
    pub lang: Option<String>,
    pub translation: Option<String>,
    /// Ids it was published under before (`former_ids:`), each still an
    /// anchor wherever it is shown, so old permalinks keep working.
    pub former_ids: Vec<String>,
    /// Id of the person who relayed the words (a spokesperson, the office
    /// that issued a readout), if not the speaker.
    pub via: Option<String>,
    /// How the words reached the record, when the editor says.
    pub delivery: Option<Delivery>,
    /// Line of the statement in its article file, for messages.
    pub line: usize,
}

/// How a statement's words reached the record, in the terms archives of
/// official statements use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub(crate) enum Delivery {
    /// Said aloud, recorded or reported.
    Spoken,
    /// A text checked against what was said.
    AsDelivered,
    /// A text released before it was delivered.
    AsPrepared,
    /// A transcript close to, but not exactly, what was said.
    NearVerbatim,
    /// An account of a call or meeting by one side.
    Readout,
    /// A letter, statement or document.
    Written,
    /// A post on social media.
    Post,
}

impl Delivery {
    /// Its value as written, for exports and JSON-LD.
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Delivery::Spoken => "spoken",
            Delivery::AsDelivered => "as-delivered",
            Delivery::AsPrepared => "as-prepared",
            Delivery::NearVerbatim => "near-verbatim",
            Delivery::Readout => "readout",
            Delivery::Written => "written",
            Delivery::Post => "post",
        }
    }

    /// The interface string that says it in words, after a statement's
    /// date: "as prepared for delivery" (`i18n.rs`).
    pub(crate) fn key(self) -> &'static str {
        match self {
            Delivery::Spoken => "delivery_spoken",
            Delivery::AsDelivered => "delivery_as_delivered",
            Delivery::AsPrepared => "delivery_as_prepared",
            Delivery::NearVerbatim => "delivery_near_verbatim",
            Delivery::Readout => "delivery_readout",
            Delivery::Written => "delivery_written",
            Delivery::Post => "delivery_post",
        }
    }
}

impl Article {
    /// When the article last changed for readers: its `updated` date or a
    /// later correction, else its date.
    pub(crate) fn modified(&self) -> &Moment {
        let corrected = self.corrections.first().map(|c| &c.date);
        [self.updated.as_ref(), corrected]
            .into_iter()
            .flatten()
            .fold(&self.date, |latest, date| latest.max(date))
    }

    /// The anchor of correction `position` (in newest-first order): numbered
    /// oldest first, so that a new correction renumbers none.
    pub(crate) fn correction_anchor(&self, position: usize) -> String {
        format!("correction-{}", self.corrections.len() - position)
    }
}

/// A correction an editor recorded on an article (`corrections:`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Correction {
    pub date: Moment,
    /// What was wrong and what the record says now.
    pub text: String,
    /// The id of the statement it corrects, if it corrects one.
    pub statement: Option<String>,
    /// Line of the entry in its article file.
    pub line: usize,
}

/// A statement is either quoted verbatim or paraphrased, never both.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Words {
    Quote(String),
    Paraphrase(String),
}

impl Words {
    pub(crate) fn text(&self) -> &str {
        match self {
            Words::Quote(text) | Words::Paraphrase(text) => text,
        }
    }

    pub(crate) fn kind(&self) -> &'static str {
        match self {
            Words::Quote(_) => "quote",
            Words::Paraphrase(_) => "paraphrase",
        }
    }
}

/// A speaker: a person or an institution, one file under `content/people/`.
#[derive(Debug, Clone, Default)]
pub(crate) struct Person {
    /// The file stem; the person's URL is `/people/<id>/`.
    pub id: String,
    pub file: PathBuf,
    pub name: String,
    pub kind: PersonKind,
    pub aliases: Vec<String>,
    pub role: Option<String>,
    pub affiliation: Option<String>,
    pub links: Vec<String>,
    pub bio_html: String,
    /// Ids of people whose names look like this one's but who are someone
    /// else (`distinct_from:`): no look-alike warning for those pairs.
    pub distinct_from: Vec<String>,
    /// Lines of the `name:` and `distinct_from:` fields, for messages.
    pub name_line: usize,
    pub distinct_from_line: usize,
    /// Addresses the person's page had before (`redirect_from:`).
    pub redirect_from: Vec<OldPath>,
}

impl Person {
    /// Everything about the person other pages and exports show: all but the
    /// bio, which only their own page does. Their former addresses are in
    /// the exports, and the first is their feed's id.
    pub(crate) fn shown_elsewhere(&self) -> impl PartialEq + '_ {
        (
            &self.name,
            self.kind,
            &self.aliases,
            &self.role,
            &self.affiliation,
            &self.links,
            self.redirect_from
                .iter()
                .map(|old| &old.path)
                .collect::<Vec<_>>(),
        )
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum PersonKind {
    #[default]
    Person,
    #[serde(alias = "organization")]
    Organisation,
}

impl PersonKind {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            PersonKind::Person => "person",
            PersonKind::Organisation => "organisation",
        }
    }
}

/// Options that change which content is loaded.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct LoadOptions {
    pub drafts: bool,
}

/// The parse result of every content file, kept between rebuilds so that a
/// change re-parses only the files it touched.
#[derive(Default)]
pub(crate) struct Content {
    raw_html: RawHtml,
    people: BTreeMap<PathBuf, Parsed<Person>>,
    articles: BTreeMap<PathBuf, Parsed<Arc<Article>>>,
    pages: BTreeMap<PathBuf, Parsed<Arc<SitePage>>>,
    /// Translations of any of the three, by their own file.
    translations: BTreeMap<PathBuf, Parsed<Translated>>,
}

/// Files each `entries` result where it belongs: with the originals of
/// its area, or with the translations.
fn file_entries<T>(
    originals: &mut BTreeMap<PathBuf, Parsed<T>>,
    translations: &mut BTreeMap<PathBuf, Parsed<Translated>>,
    entries: Vec<(PathBuf, Entry<T>)>,
) {
    for (path, entry) in entries {
        match entry {
            Entry::Original(parsed) => {
                originals.insert(path, parsed);
            }
            Entry::Translation(parsed) => {
                translations.insert(path, parsed);
            }
        }
    }
}

/// One file's result: the value if it is valid, and its diagnostics.
type Parsed<T> = (Option<T>, Diagnostics);

impl Content {
    /// Parses every person file, article and page as the readers yield
    /// them (see [`read_files`]); a file that could not be read is an error
    /// of that file, like a parse error.
    pub(crate) fn parse(
        people: impl IndexedParallelIterator<Item = FileRead>,
        articles: impl IndexedParallelIterator<Item = FileRead>,
        pages: impl IndexedParallelIterator<Item = FileRead>,
        raw_html: RawHtml,
    ) -> Content {
        let mut content = Content {
            raw_html,
            ..Content::default()
        };
        let people = parse::people(people, raw_html);
        file_entries(&mut content.people, &mut content.translations, people);
        content.reparse_articles(articles);
        let pages = page::pages(pages, raw_html);
        file_entries(&mut content.pages, &mut content.translations, pages);
        content
    }

    /// The raw HTML setting the content was parsed with.
    pub(crate) fn raw_html(&self) -> RawHtml {
        self.raw_html
    }

    /// Parses the articles `files` yields, each text dropped once parsed;
    /// other articles keep their results.
    pub(crate) fn reparse_articles(
        &mut self,
        files: impl IndexedParallelIterator<Item = FileRead>,
    ) {
        let people = self.known_people();
        let entries = parse::articles(files, &people, self.raw_html);
        file_entries(&mut self.articles, &mut self.translations, entries);
    }

    /// Applies a new version of an article, as read (`None` when it was
    /// deleted).
    pub(crate) fn set_article(&mut self, path: &Path, read: Option<Result<TextFile, Diagnostics>>) {
        match read {
            Some(read) => self.reparse_articles(rayon::iter::once((path.to_path_buf(), read))),
            None => self.forget(path),
        }
    }

    /// Applies a new version of a person file, as read (`None` when
    /// deleted). If the set of person ids changes ([`Content::person_ids`]),
    /// every article must be parsed again ([`Content::reparse_articles`])
    /// to check it against them: once for a batch of changes, not per file.
    pub(crate) fn set_person(&mut self, path: &Path, read: Option<Result<TextFile, Diagnostics>>) {
        match read {
            Some(read) => {
                let file = rayon::iter::once((path.to_path_buf(), read));
                let entries = parse::people(file, self.raw_html);
                file_entries(&mut self.people, &mut self.translations, entries);
            }
            None => self.forget(path),
        }
    }

    /// Applies a new version of a page, as read (`None` when deleted).
    pub(crate) fn set_page(&mut self, path: &Path, read: Option<Result<TextFile, Diagnostics>>) {
        match read {
            Some(read) => {
                let file = rayon::iter::once((path.to_path_buf(), read));
                let entries = page::pages(file, self.raw_html);
                file_entries(&mut self.pages, &mut self.translations, entries);
            }
            None => self.forget(path),
        }
    }

    /// Forgets the file at `path`, gone: an original or a translation.
    fn forget(&mut self, path: &Path) {
        self.articles.remove(path);
        self.people.remove(path);
        self.pages.remove(path);
        self.translations.remove(path);
    }

    /// The current page parsed from `path`, if it is valid.
    pub(crate) fn page(&self, path: &Path) -> Option<&Arc<SitePage>> {
        self.pages.get(path).and_then(|(page, _)| page.as_ref())
    }

    /// Every valid page, by slug, or the problems of the page files: their
    /// own, and two pages with one slug.
    pub(crate) fn site_pages(&self) -> Result<Vec<Arc<SitePage>>, Diagnostics> {
        let mut diagnostics = Diagnostics::default();
        let pages = self.pages_into(&mut diagnostics);
        diagnostics.into_result().map(|()| pages)
    }

    /// Every valid page, by slug, with the page files' problems added to
    /// `diagnostics`.
    fn pages_into(&self, diagnostics: &mut Diagnostics) -> Vec<Arc<SitePage>> {
        for (_, found) in self.pages.values() {
            diagnostics.extend(found.clone());
        }
        let mut pages: Vec<Arc<SitePage>> = self
            .pages
            .values()
            .filter_map(|(page, _)| page.clone())
            .collect();
        // Of two pages with one slug, the one that wrote it in `slug:` is
        // reported, at that line: the other has its file's name.
        pages.sort_by_cached_key(|p| (p.slug.clone(), p.slug_line > 0, p.file.clone()));
        check::page_slugs(&pages, diagnostics);
        pages
    }

    /// The article of `path` if its file parsed without any problem.
    pub(crate) fn clean_article(&self, path: &Path) -> Option<&Arc<Article>> {
        match self.articles.get(path) {
            Some((Some(article), diagnostics)) if diagnostics.is_empty() => Some(article),
            _ => None,
        }
    }

    /// The current article parsed from `path`, if it is valid.
    pub(crate) fn article(&self, path: &Path) -> Option<&Arc<Article>> {
        self.articles
            .get(path)
            .and_then(|(article, _)| article.as_ref())
    }

    /// The person of `path` if its file parsed without any problem.
    pub(crate) fn clean_person(&self, path: &Path) -> Option<&Person> {
        match self.people.get(path) {
            Some((Some(person), diagnostics)) if diagnostics.is_empty() => Some(person),
            _ => None,
        }
    }

    /// The current person parsed from `path`, if it is valid.
    /// The translation file at `path`, if it parsed: then it may give its
    /// original a page in its language.
    pub(crate) fn translation(&self, path: &Path) -> Option<&Translated> {
        self.translations
            .get(path)
            .and_then(|(translated, _)| translated.as_ref())
    }

    pub(crate) fn person(&self, path: &Path) -> Option<&Person> {
        self.people
            .get(path)
            .and_then(|(person, _)| person.as_ref())
    }

    /// Every person id with a file, and whether the file is valid.
    pub(crate) fn person_ids(&self) -> BTreeSet<(String, bool)> {
        let ids = self.people.iter();
        ids.map(|(path, (person, _))| (parse::person_id(path), person.is_some()))
            .collect()
    }

    fn known_people(&self) -> parse::KnownPeople<'_> {
        let mut people = parse::KnownPeople::default();
        for (path, (person, _)) in &self.people {
            match person {
                Some(person) => {
                    people.valid.insert(&person.id, person);
                }
                None => {
                    people.broken.insert(parse::person_id(path));
                }
            }
        }
        people
    }

    fn people_by_id(&self) -> BTreeMap<String, Person> {
        self.people
            .values()
            .filter_map(|(person, _)| person.clone())
            .map(|person| (person.id.clone(), person))
            .collect()
    }

    /// Assembles the site, or every problem in every file and across files.
    pub(crate) fn site(&self, config: Config, options: LoadOptions) -> Result<Site, Diagnostics> {
        let mut diagnostics = Diagnostics::default();
        let parsed = self
            .people
            .values()
            .map(|(_, d)| d)
            .chain(self.articles.values().map(|(_, d)| d));
        parsed.for_each(|d| diagnostics.extend(d.clone()));
        let mut articles: Vec<Arc<Article>> = self
            .articles
            .values()
            .filter_map(|(article, _)| article.clone())
            .filter(|article| options.drafts || !article.draft)
            .collect();
        articles.sort_by(|a, b| b.date.cmp(&a.date).then_with(|| a.slug.cmp(&b.slug)));
        check::collisions(&articles, &mut diagnostics);
        check::person_files(self.people.keys(), &mut diagnostics);
        let pages = self.pages_into(&mut diagnostics);
        let (translations, found) = self.site_translations(&config, options);
        diagnostics.extend(found);
        diagnostics.into_result()?;
        Ok(Site {
            config,
            articles,
            people: self.people_by_id(),
            pages,
            translations,
        })
    }

    /// Every valid translation by its original, and the problems of the
    /// translation files and across files.
    pub(crate) fn site_translations(
        &self,
        config: &Config,
        options: LoadOptions,
    ) -> (Translations, Diagnostics) {
        let mut diagnostics = Diagnostics::default();
        if self.translations.is_empty() {
            return (Translations::default(), diagnostics);
        }
        let originals = translation::Originals {
            articles: translation::by_stem(self.articles.iter().map(|(p, (a, _))| (p, a)), |a| {
                &**a
            }),
            people: translation::by_stem(self.people.iter().map(|(p, (a, _))| (p, a)), |p| p),
            pages: translation::by_stem(self.pages.iter().map(|(p, (a, _))| (p, a)), |p| &**p),
        };
        let translations = translation::assemble(
            &self.translations,
            &originals,
            config,
            options.drafts,
            &mut diagnostics,
        );
        (translations, diagnostics)
    }
}
