//! The view types templates see: borrowed, display-ready slices of the model
//! with URLs and dates already worked out, so templates hold no logic.

use serde::Serialize;
use std::borrow::Cow;

use crate::content::{
    Article, ArticleTranslation, Label, Moment, Person, SitePage, Source, Statement,
};
use crate::index::{Document, Entry, Index, Publisher, StatementRef, Term};

use super::chart::{self, ChartView, Slot, Tally};
use super::cite::CiteView;
use super::{Page, Renderer, Urls, paginate};
use crate::i18n::Ui;

/// Site-wide values, available to every template as `site`.
#[derive(Serialize)]
pub(crate) struct SiteView<'a> {
    pub title: &'a str,
    pub description: &'a str,
    /// Absolute, ending in `/`.
    pub base_url: &'a str,
    /// Path prefix of every internal link: `/` or e.g. `/archive/`.
    pub root: &'a str,
    /// The root path of what every language shares: the stylesheet,
    /// scripts, the search index, the data and corrections.
    pub shared: &'a str,
    /// The language of the pages.
    pub language: &'a str,
    /// On another language's pages, the default language: the words of
    /// the record that are not translated (corrections, contexts) are in
    /// it, and are marked so that they are read out as that language.
    pub original: Option<&'a str>,
}

#[derive(Serialize)]
pub(crate) struct DateView<'a> {
    /// For `<time datetime>`.
    pub iso: &'a str,
    /// e.g. `17 May 2021`.
    pub display: String,
    pub year: i16,
}

impl<'a> DateView<'a> {
    pub(crate) fn new(moment: &'a Moment, dates: &crate::dates::Dates) -> Self {
        DateView {
            iso: moment.iso(),
            display: dates.long(moment),
            year: moment.year(),
        }
    }
}

#[derive(Serialize)]
pub(crate) struct Link<'a> {
    pub name: &'a str,
    pub url: String,
}

/// A link to an article by its title, with the title's language where it
/// is not the page's (an untranslated article on another language's page).
#[derive(Serialize)]
pub(crate) struct ArticleLink<'a> {
    pub name: &'a str,
    pub url: String,
    pub lang: Option<&'a str>,
}

/// An article as listed on other pages.
#[derive(Serialize)]
pub(crate) struct ArticleItem<'a> {
    pub url: String,
    pub slug: &'a str,
    pub title: &'a str,
    pub date: DateView<'a>,
    pub updated: Option<DateView<'a>>,
    pub summary: &'a str,
    pub draft: bool,
    pub statement_count: usize,
    pub source_count: usize,
    /// In another language's list, an article not translated into it: the
    /// language its page is in, and that language's own name.
    pub lang: Option<&'a str>,
    pub lang_name: Option<&'a str>,
}

/// An article page's `article`.
#[derive(Serialize)]
pub(crate) struct ArticleView<'a> {
    #[serde(flatten)]
    pub item: ArticleItem<'a>,
    pub topics: Vec<Link<'a>>,
    pub places: Vec<Link<'a>>,
    /// Rendered Markdown: output with `| safe`.
    pub body: Cow<'a, str>,
    pub sources: Vec<SourceView<'a>>,
    pub statements: Vec<StatementView<'a>>,
    /// Newest first.
    pub corrections: Vec<CorrectionView<'a>>,
    pub reviewed: Option<DateView<'a>>,
    pub cite: CiteView,
    /// The CSL-JSON item of the article and of each statement, by key, as
    /// JSON safe inside `<script>`: `cite.js` shows them as CSL-JSON and
    /// BibTeX.
    pub citations: String,
    /// The standfirst: the written summary; none when the summary is the
    /// body's first paragraph, which follows anyway.
    pub lead: Option<&'a str>,
}

/// A correction, on its article's page and on `/corrections/`.
#[derive(Serialize)]
pub(crate) struct CorrectionView<'a> {
    pub anchor: String,
    /// Its place on the article's page.
    pub url: String,
    pub date: DateView<'a>,
    pub text: &'a str,
    /// The permalink of the statement it corrects, if it corrects one.
    pub statement: Option<String>,
    pub article: Link<'a>,
}

#[derive(Serialize)]
pub(crate) struct SourceView<'a> {
    /// 1-based position in the article's source list.
    pub number: usize,
    /// Anchor on the article page.
    pub anchor: String,
    pub id: &'a str,
    pub publisher: Link<'a>,
    pub title: Option<&'a str>,
    pub url: Option<&'a str>,
    pub date: Option<DateView<'a>>,
    pub kind: &'static str,
    pub archive: Option<&'a str>,
    /// When the archived copy was made.
    pub archived: Option<DateView<'a>>,
    /// When the editor read the original.
    pub accessed: Option<DateView<'a>>,
    /// The title's language, when not the site's, and its translation.
    pub lang: Option<&'a str>,
    pub title_translation: Option<&'a str>,
    /// What a link to the original carries besides `url`.
    pub robust: Option<RobustLink<'a>>,
}

/// The Robust Links attributes (robustlinks.mementoweb.org) of a link to a
/// source's original, so that a reader's browser extension or a crawler
/// can find the document as it was when cited once the link dies or its
/// page changes.
#[derive(Serialize)]
pub(crate) struct RobustLink<'a> {
    /// `data-originalurl`.
    pub originalurl: &'a str,
    /// `data-versionurl`: the archived copy.
    pub versionurl: Option<&'a str>,
    /// `data-versiondate`, `YYYY-MM-DD` as the specification asks: when the
    /// copy was made, else when the editor read the original.
    pub versiondate: Option<String>,
}

impl<'a> RobustLink<'a> {
    /// `None` without an original to link, or with nothing to add to its
    /// address.
    fn of(source: &'a Source) -> Option<Self> {
        let originalurl = source.url.as_deref()?;
        let versionurl = source.archive.as_deref();
        let version = source.archived.as_ref().or(source.accessed.as_ref());
        let versiondate = version.map(|moment| moment.date.to_string());
        (versionurl.is_some() || versiondate.is_some()).then_some(RobustLink {
            originalurl,
            versionurl,
            versiondate,
        })
    }
}

#[derive(Serialize)]
pub(crate) struct StatementView<'a> {
    /// Stable anchor, on both the article and the person page.
    pub id: &'a str,
    /// Ids it was published under before: anchors too.
    pub former_ids: &'a [String],
    /// Permalink: the article page at this statement's anchor.
    pub url: String,
    pub person: Link<'a>,
    /// The role at the time if recorded, else the person's current role.
    pub role: Option<&'a str>,
    /// The role's language when it is not the page's (an untranslated
    /// role on another language's page).
    pub role_lang: Option<&'a str>,
    /// Whether `role` is one the person held then and not now: their own
    /// page says only such a role.
    pub former_role: bool,
    pub date: DateView<'a>,
    /// `quote` or `paraphrase`.
    pub kind: &'static str,
    pub text: &'a str,
    pub context: Option<&'a str>,
    pub lang: Option<&'a str>,
    /// `rtl` for right-to-left languages, else `auto`.
    pub dir: &'static str,
    pub translation: Option<&'a str>,
    /// The language of `translation`.
    pub translation_lang: Option<&'a str>,
    pub source: SourceView<'a>,
    pub article: Link<'a>,
    /// The article's title's language, where it is not translated into the
    /// page's.
    pub article_lang: Option<&'a str>,
    /// Who relayed the words, if not the speaker.
    pub via: Option<Link<'a>>,
    /// How the words reached the record, in words ("as prepared for
    /// delivery").
    pub delivery: Option<&'a str>,
    /// The newest correction of this statement, on its article's page.
    pub corrected: Option<String>,
    /// Its citation, only where its permalink points (its article's page):
    /// every list repeating it would weigh on an archive of 100,000.
    pub cite: Option<CiteView>,
}

#[derive(Serialize)]
pub(crate) struct PersonView<'a> {
    pub id: &'a str,
    pub url: String,
    /// Their statements' feed: one for every language, the default's.
    pub feed: String,
    pub name: &'a str,
    /// `person` or `organisation`.
    pub kind: &'static str,
    pub role: Option<&'a str>,
    pub affiliation: Option<&'a str>,
    /// The language of the role and affiliation when it is not the page's:
    /// shown untranslated on another language's page.
    pub role_lang: Option<&'a str>,
    pub affiliation_lang: Option<&'a str>,
    pub aliases: &'a [String],
    pub links: &'a [String],
    /// Rendered Markdown: output with `| safe`.
    pub bio: Cow<'a, str>,
    /// The bio's language, where the person is not translated into the
    /// page's.
    pub bio_lang: Option<&'a str>,
    pub statement_count: usize,
}

#[derive(Serialize)]
pub(crate) struct PublisherView<'a> {
    pub name: &'a str,
    pub url: String,
    /// All of the publisher's documents, also when `documents` holds a part.
    pub document_count: usize,
    pub documents: Vec<DocumentView<'a>>,
}

/// The people of one part of the people index who share an initial.
#[derive(Serialize)]
pub(crate) struct InitialGroup<'v, 'a> {
    pub name: &'v str,
    pub anchor: &'v str,
    pub people: &'v [PersonView<'a>],
}

/// A publisher on the sources index.
#[derive(Serialize)]
pub(crate) struct SourcesEntry<'a> {
    #[serde(flatten)]
    pub publisher: PublisherView<'a>,
    /// The anchor of the initial this publisher is the first of.
    pub initial: Option<String>,
}

#[derive(Serialize)]
pub(crate) struct DocumentView<'a> {
    pub title: Option<&'a str>,
    pub url: Option<&'a str>,
    pub archive: Option<&'a str>,
    /// When the archived copy was made.
    pub archived: Option<DateView<'a>>,
    /// When the editor read the original.
    pub accessed: Option<DateView<'a>>,
    /// The title's language, when not the site's, and its translation.
    pub lang: Option<&'a str>,
    pub title_translation: Option<&'a str>,
    /// What a link to the original carries besides `url`.
    pub robust: Option<RobustLink<'a>>,
    pub date: Option<DateView<'a>>,
    pub kind: &'static str,
    /// Each article citing it, linked to its source list entry.
    pub cited_by: Vec<ArticleLink<'a>>,
}

/// A page of `content/pages/`: `page` in `page.html`.
#[derive(Serialize)]
pub(crate) struct SitePageView<'a> {
    pub url: String,
    pub slug: &'a str,
    pub title: &'a str,
    pub summary: &'a str,
    /// Rendered Markdown: output with `| safe`.
    pub body: Cow<'a, str>,
}

#[derive(Serialize)]
pub(crate) struct TermView<'a> {
    pub name: &'a str,
    pub url: String,
    pub article_count: usize,
}

#[derive(Serialize)]
pub(crate) struct YearView<'a> {
    pub year: i16,
    pub url: String,
    pub article_count: usize,
    pub statement_count: usize,
    /// Oldest first.
    pub months: Vec<PeriodView<'a>>,
    /// Every month of the year, whichever part shows it: each links to the
    /// part where it starts, with how many entries it has.
    pub index: Vec<PeriodLink>,
    /// Entries per month, on the first part of the year's own page (not on
    /// the timeline's summary).
    pub chart: Option<ChartView>,
}

/// A period of a list split into parts (a month of a year page, a year of
/// a person's page), in the index every part shows.
#[derive(Clone, Serialize)]
pub(crate) struct PeriodLink {
    pub name: String,
    pub anchor: String,
    /// The anchor on the part where the period starts.
    pub url: String,
    pub count: usize,
    /// What `count` counts, when its entries are of two kinds: `2
    /// articles, 12 statements` for a month of a year page.
    pub counted: Option<String>,
}

/// The entries of a period on one part of a list: a month of a year page
/// (or of the timeline's summary of it), a year of a person's page.
#[derive(Serialize)]
pub(crate) struct PeriodView<'a> {
    /// e.g. `May 2021`, `2021`.
    pub name: String,
    /// Anchor on the page, e.g. `2021-05`, `year-2021`.
    pub anchor: String,
    /// The anchor on the part holding the period's first entry shown here.
    pub url: String,
    pub articles: Vec<ArticleItem<'a>>,
    pub statements: Vec<StatementView<'a>>,
}

/// What a person's page shows beside the part of their statements it
/// lists: those statements by year, every year in an index and, on the
/// first part, a chart.
pub(crate) struct PersonRecord<'a> {
    pub years: Vec<PeriodView<'a>>,
    pub index: Vec<PeriodLink>,
    pub chart: Option<ChartView>,
}

/// A long list that every one of its parts indexes whole.
#[derive(PartialEq, Eq, Hash)]
pub(super) enum WholeList {
    Year(i16),
    Person(String),
    People,
}

/// What every part of a [`WholeList`] shows of the whole list: its index
/// of periods and its chart.
pub(super) struct WholeIndex {
    links: Vec<PeriodLink>,
    chart: Option<ChartView>,
}

/// A period of a whole list, with its link in the index and the positions
/// of its items.
pub(super) struct Period<K> {
    key: K,
    pub(super) link: PeriodLink,
    items: std::ops::Range<usize>,
}

fn direction(lang: Option<&str>) -> &'static str {
    match lang {
        Some(lang) if crate::i18n::is_rtl(lang) => "rtl",
        _ => "auto",
    }
}

impl<'a> Renderer<'a> {
    /// `article`'s translation into this language, and the URLs of the
    /// language that has its page: in another language, an untranslated
    /// article is the original's, and links lead there.
    fn article_version(&self, article: &Article) -> (Option<&'a ArticleTranslation>, &Urls) {
        let translation = self.article_translation(article);
        let untranslated = self.language.is_some() && translation.is_none();
        (
            translation,
            if untranslated { &self.home } else { &self.urls },
        )
    }

    pub(crate) fn article_item(&self, article: &'a Article) -> ArticleItem<'a> {
        let (translation, urls) = self.article_version(article);
        let original = (self.language.is_some() && translation.is_none())
            .then_some(self.site.config.language.as_str());
        ArticleItem {
            url: urls.article(&article.slug),
            slug: &article.slug,
            title: translation.map_or(&article.title, |t| &t.title),
            date: self.date(&article.date),
            updated: article.updated.as_ref().map(|m| self.date(m)),
            summary: translation.map_or(&article.summary, |t| &t.summary),
            draft: article.draft,
            statement_count: article.statements.len(),
            source_count: article.sources.len(),
            lang: original,
            lang_name: original.map(super::language::autonym),
        }
    }

    /// An article's body in this language, its inline citations and
    /// root-relative links made to work as the original's do.
    fn body(&self, article: &'a Article) -> Cow<'a, str> {
        let Some(translation) = self.article_translation(article) else {
            return Cow::Owned(self.home.in_owned_html(article.body_html.expand()));
        };
        let html = translation.body_html.expand();
        let sources: Vec<&str> = article.sources.iter().map(|s| s.id.as_str()).collect();
        let cited = crate::markdown::cite_in_html(&html, &sources).into_owned();
        Cow::Owned(self.home.in_owned_html(cited))
    }

    pub(crate) fn article_view(&self, index: usize) -> ArticleView<'a> {
        let article = &self.site.articles[index];
        let mut citations = serde_json::Map::new();
        let mut view = ArticleView {
            item: self.article_item(article),
            topics: article
                .topics
                .iter()
                .map(|t| self.label_link("topics", t))
                .collect(),
            places: article
                .places
                .iter()
                .map(|p| self.label_link("places", p))
                .collect(),
            body: self.body(article),
            sources: article
                .sources
                .iter()
                .enumerate()
                .map(|(i, s)| self.source_view(i, s))
                .collect(),
            statements: (article.statements.iter().enumerate())
                .map(|(position, statement)| {
                    let citation = self.statement_citation(article, statement);
                    citations.insert(citation.view.key.clone(), citation.csl);
                    StatementView {
                        cite: Some(citation.view),
                        ..self.statement_view(StatementRef {
                            article: index,
                            statement: position,
                        })
                    }
                })
                .collect(),
            cite: {
                let citation = self.article_citation(article);
                citations.insert(citation.view.key.clone(), citation.csl);
                citation.view
            },
            citations: String::new(),
            lead: match self.article_translation(article) {
                Some(t) => t.summary_written.then_some(t.summary.as_str()),
                None => article.summary_written.then_some(article.summary.as_str()),
            },
            corrections: (0..article.corrections.len())
                .map(|position| self.correction_view(index, position))
                .collect(),
            reviewed: article.reviewed.as_ref().map(|m| self.date(m)),
        };
        let data = self.citation_data(article, citations);
        let json = serde_json::to_string(&data).unwrap_or_default();
        view.citations = super::structured::script_safe(&json);
        view
    }

    /// Correction `position` (newest first) of article `index`.
    pub(crate) fn correction_view(&self, index: usize, position: usize) -> CorrectionView<'a> {
        let article = &self.site.articles[index];
        let correction = &article.corrections[position];
        let article_url = self.urls.article(&article.slug);
        let anchor = article.correction_anchor(position);
        CorrectionView {
            url: format!("{article_url}#{anchor}"),
            anchor,
            date: self.date(&correction.date),
            text: &correction.text,
            statement: (correction.statement.as_ref()).map(|id| format!("{article_url}#{id}")),
            article: Link {
                name: &article.title,
                url: article_url,
            },
        }
    }

    fn label_link(&self, taxonomy: &str, label: &'a Label) -> Link<'a> {
        Link {
            name: &label.name,
            url: self.urls.term(taxonomy, &label.slug),
        }
    }

    fn source_view(&self, position: usize, source: &'a Source) -> SourceView<'a> {
        SourceView {
            number: position + 1,
            anchor: crate::markdown::source_anchor(position),
            id: &source.id,
            publisher: Link {
                name: &source.publisher.name,
                url: self.urls.publisher(&source.publisher.slug),
            },
            title: source.title.as_deref(),
            url: source.url.as_deref(),
            date: source.date.as_ref().map(|m| self.date(m)),
            kind: source.kind.as_str(),
            archive: source.archive.as_deref(),
            archived: source.archived.as_ref().map(|m| self.date(m)),
            accessed: source.accessed.as_ref().map(|m| self.date(m)),
            lang: source.lang.as_deref().or(self.untranslated_unless(false)),
            title_translation: source.title_translation.as_deref(),
            robust: RobustLink::of(source),
        }
    }

    /// The site's language on another language's page, for a text shown
    /// as written there, unless it was `translated`: so that it is read
    /// out, hyphenated and spell-checked as what it is.
    fn untranslated_unless(&self, translated: bool) -> Option<&'a str> {
        (self.language.is_some() && !translated).then_some(self.site.config.language.as_str())
    }

    pub(crate) fn statement_view(&self, reference: StatementRef) -> StatementView<'a> {
        let article = &self.site.articles[reference.article];
        let statement: &'a Statement = &article.statements[reference.statement];
        let person = &self.site.people[&statement.person];
        let item = self.article_item(article);
        let article_url = item.url;
        let translation = self.statement_translation(article, statement);
        // Another language's page shows the words as said, in the default
        // language when no `lang:` says otherwise: marked, so that they are
        // read out, hyphenated and isolated as that language.
        let lang = (statement.lang.as_deref())
            .or_else(|| (self.language.is_some()).then_some(self.site.config.language.as_str()));
        // A role written on the statement that is the person's current one
        // is shown as theirs, translated where it is; another is a role
        // they held then, as written.
        let translated_role = (self.person_translation(person)).and_then(|t| t.role.as_deref());
        let current_role = translated_role.or(person.role.as_deref());
        let former_role =
            (statement.role.as_deref()).filter(|&role| Some(role) != person.role.as_deref());
        StatementView {
            id: &statement.id,
            former_ids: &statement.former_ids,
            url: format!("{article_url}#{}", statement.id),
            person: self.person_link(person),
            role: former_role.or(current_role),
            role_lang: self.untranslated_unless(former_role.is_none() && translated_role.is_some()),
            former_role: former_role.is_some(),
            date: self.date(&statement.date),
            kind: statement.words.kind(),
            text: statement.words.text(),
            context: statement.context.as_deref(),
            lang,
            dir: direction(lang),
            translation: translation.map(|(text, _)| text),
            translation_lang: translation.map(|(_, lang)| lang),
            source: self.source_view(statement.source, &article.sources[statement.source]),
            via: (statement.via.as_ref()).map(|id| self.person_link(&self.site.people[id])),
            delivery: (statement.delivery).map(|d| self.ui.text(d.key())),
            corrected: (article.corrections.iter())
                .position(|c| c.statement.as_ref() == Some(&statement.id))
                .map(|position| format!("{article_url}#{}", article.correction_anchor(position))),
            cite: None,
            article_lang: item.lang,
            article: Link {
                name: item.title,
                url: article_url,
            },
        }
    }

    /// A link to a person's page in this language, by their name in it.
    fn person_link(&self, person: &'a Person) -> Link<'a> {
        Link {
            name: self
                .person_translation(person)
                .map_or(&person.name, |t| &t.name),
            url: self.urls.person(&person.id),
        }
    }

    pub(crate) fn statement_views(&self, references: &[StatementRef]) -> Vec<StatementView<'a>> {
        references.iter().map(|r| self.statement_view(*r)).collect()
    }

    pub(crate) fn article_items(&self, indices: &[usize]) -> Vec<ArticleItem<'a>> {
        indices
            .iter()
            .map(|&i| self.article_item(&self.site.articles[i]))
            .collect()
    }

    pub(crate) fn person_view(&self, person: &'a Person, index: &Index) -> PersonView<'a> {
        // Body links are written from the site's root: the default
        // language's pages, which every language's pages may link.
        let translation = self.person_translation(person);
        let bio = translation.map_or(person.bio_html.as_str(), |t| t.bio_html.as_str());
        PersonView {
            id: &person.id,
            url: self.urls.person(&person.id),
            feed: format!("{}atom.xml", self.home.person(&person.id)),
            name: translation.map_or(&person.name, |t| &t.name),
            kind: person.kind.as_str(),
            role: (translation.and_then(|t| t.role.as_deref())).or(person.role.as_deref()),
            affiliation: (translation.and_then(|t| t.affiliation.as_deref()))
                .or(person.affiliation.as_deref()),
            role_lang: self.untranslated_unless(translation.is_some_and(|t| t.role.is_some())),
            affiliation_lang: self
                .untranslated_unless(translation.is_some_and(|t| t.affiliation.is_some())),
            aliases: &person.aliases,
            links: &person.links,
            bio: self.home.in_html(bio),
            bio_lang: self.untranslated_unless(translation.is_some()),
            statement_count: index.by_person.get(&person.id).map_or(0, Vec::len),
        }
    }

    pub(crate) fn publisher_view(
        &self,
        slug: &str,
        publisher: &'a Publisher,
        documents: &'a [Document],
    ) -> PublisherView<'a> {
        PublisherView {
            name: &publisher.name,
            url: self.urls.publisher(slug),
            document_count: publisher.documents.len(),
            documents: documents.iter().map(|d| self.document_view(d)).collect(),
        }
    }

    fn document_view(&self, document: &Document) -> DocumentView<'a> {
        let first = document.citations[0];
        let source = &self.site.articles[first.article].sources[first.source];
        DocumentView {
            title: source.title.as_deref(),
            url: source.url.as_deref(),
            archive: source.archive.as_deref(),
            archived: source.archived.as_ref().map(|m| self.date(m)),
            accessed: source.accessed.as_ref().map(|m| self.date(m)),
            lang: source.lang.as_deref().or(self.untranslated_unless(false)),
            title_translation: source.title_translation.as_deref(),
            robust: RobustLink::of(source),
            date: source.date.as_ref().map(|m| self.date(m)),
            kind: source.kind.as_str(),
            cited_by: document
                .citations
                .iter()
                .map(|c| {
                    let article = &self.site.articles[c.article];
                    let (translation, urls) = self.article_version(article);
                    ArticleLink {
                        lang: self.untranslated_unless(translation.is_some()),
                        name: translation.map_or(&article.title, |t| &t.title),
                        url: format!(
                            "{}#{}",
                            urls.article(&article.slug),
                            crate::markdown::source_anchor(c.source)
                        ),
                    }
                })
                .collect(),
        }
    }

    pub(crate) fn site_page_view(&self, page: &'a SitePage) -> SitePageView<'a> {
        let translation = self.page_translation(page);
        let body = translation.map_or(&page.body_html, |t| &t.body_html);
        SitePageView {
            url: self.urls.page(&page.slug),
            slug: &page.slug,
            title: translation.map_or(&page.title, |t| &t.title),
            summary: translation.map_or(&page.summary, |t| &t.summary),
            body: Cow::Owned(self.home.in_owned_html(body.expand())),
        }
    }

    pub(crate) fn term_view(&self, taxonomy: &str, slug: &str, term: &'a Term) -> TermView<'a> {
        TermView {
            name: &term.name,
            url: self.urls.term(taxonomy, slug),
            article_count: self.listed(&term.articles).len(),
        }
    }

    /// The index and chart of `list`, made by `make` on the first part
    /// that asks: a list of n items has n / `paginate` parts, and making
    /// them on every part grew with the square of the archive.
    fn whole_list(
        &self,
        list: WholeList,
        make: impl FnOnce() -> WholeIndex,
    ) -> std::sync::Arc<WholeIndex> {
        let made = self.whole_lists.lock().map(|m| m.get(&list).cloned());
        if let Ok(Some(whole)) = made {
            return whole;
        }
        let whole = std::sync::Arc::new(make());
        if let Ok(mut memo) = self.whole_lists.lock() {
            memo.insert(list, whole.clone());
        }
        whole
    }

    /// A year with `part` of its entries grouped by month; with no part (the
    /// timeline's summary), its months and, when they fit on a part, its
    /// articles.
    pub(crate) fn year_view(&self, year: i16, part: Option<usize>) -> YearView<'a> {
        let (site, per_part) = (self.site, self.per_part);
        let entry = &self.index.years[&year];
        let url = self.urls.year(year);
        let (shown, first) = match part {
            Some(part) => (
                paginate::slice(&entry.entries, per_part, part),
                part * per_part,
            ),
            None => (&entry.entries[..], 0),
        };
        let list_articles = part.is_some() || per_part == 0 || entry.articles.len() <= per_part;
        let month = |item: &Entry| self.entry_date(item).month();
        let name = |month: &Option<i8>| month_name(self.ui, year, *month);
        let months = self.period_views(&url, shown, first, month, name, |view, item| match *item {
            Entry::Article(a) if list_articles && !self.hides(&site.articles[a]) => {
                view.articles.push(self.article_item(&site.articles[a]));
            }
            Entry::Statement(reference) if part.is_some() => {
                view.statements.push(self.statement_view(reference));
            }
            _ => {}
        });
        // An untranslated article a language hides is not counted either.
        let listed = &|item: &Entry| match *item {
            Entry::Article(a) => !self.hides(&site.articles[a]),
            Entry::Statement(_) => true,
        };
        let whole = self.whole_list(WholeList::Year(year), || {
            let every = periods(&url, per_part, 0, entry.entries.iter().map(month), name);
            let links = (every.iter())
                .map(|p| PeriodLink {
                    counted: Some(tally(&entry.entries[p.items.clone()], listed).words(self.ui)),
                    ..p.link.clone()
                })
                .collect();
            WholeIndex {
                chart: month_chart(self.ui, year, &entry.entries, &every, listed),
                links,
            }
        });
        YearView {
            year,
            url,
            article_count: self.listed(&entry.articles).len(),
            statement_count: entry.statements.len(),
            months,
            index: whole.links.clone(),
            // The chart is an overview: on the first part only. Every part
            // has the index, which gives the same counts as links.
            chart: (part == Some(0)).then(|| whole.chart.clone()).flatten(),
        }
    }

    /// Part `part` of a person's statements by year, with every year in an
    /// index and a chart.
    pub(crate) fn person_record(&self, id: &str, part: usize) -> PersonRecord<'a> {
        let said: &'a [StatementRef] = self.index.by_person.get(id).map_or(&[], Vec::as_slice);
        let url = self.urls.person(id);
        let year = |r: &StatementRef| crate::index::statement(self.site, *r).date.year();
        let shown = paginate::slice(said, self.per_part, part);
        let first = part * self.per_part;
        let year_name = |year: &i16| year_name(self.ui, year);
        let years = self.period_views(&url, shown, first, year, year_name, |view, r| {
            view.statements.push(self.statement_view(*r));
        });
        let whole = self.whole_list(WholeList::Person(id.to_owned()), || {
            let every = periods(&url, self.per_part, 0, said.iter().map(year), year_name);
            let counted = every.iter().map(|p| {
                let tally = Tally {
                    articles: None,
                    statements: p.link.count,
                };
                (p.key, tally, p.link.url.clone())
            });
            let slots = chart::per_year(counted, Tally::default(), self.ui);
            let heading = self.chart_heading("chart_statements_per_year", "chart_year");
            WholeIndex {
                chart: chart::layout(heading, slots, self.ui),
                links: every.into_iter().map(|p| p.link).collect(),
            }
        });
        PersonRecord {
            years,
            index: whole.links.clone(),
            chart: (part == 0).then(|| whole.chart.clone()).flatten(),
        }
    }

    /// The people index's links to where each initial starts, in `order`
    /// (the index's): made once for all its parts.
    pub(super) fn people_initials(&self, order: &[(&Person, super::Initial)]) -> Vec<PeriodLink> {
        let whole = self.whole_list(WholeList::People, || {
            let url = self.url_of(&Page::People);
            let initials = order.iter().map(|(_, initial)| initial);
            let every = periods(&url, self.per_part, 0, initials, |i| (*i).clone());
            WholeIndex {
                links: every.into_iter().map(|p| p.link).collect(),
                chart: None,
            }
        });
        whole.links.clone()
    }

    /// The timeline's chart: articles and statements per year, each year
    /// linking to its page.
    pub(crate) fn timeline_chart(&self) -> Option<ChartView> {
        let counted = self.index.years.iter().map(|(&year, entry)| {
            let tally = Tally {
                articles: Some(self.listed(&entry.articles).len()),
                statements: entry.statements.len(),
            };
            (year, tally, self.urls.year(year))
        });
        let empty = Tally {
            articles: Some(0),
            statements: 0,
        };
        let heading = self.chart_heading("chart_per_year", "chart_year");
        chart::layout(heading, chart::per_year(counted, empty, self.ui), self.ui)
    }

    fn chart_heading(&self, caption: &str, period: &str) -> chart::Heading {
        chart::Heading {
            caption: self.ui.text(caption).to_owned(),
            period: self.ui.text(period).to_owned(),
        }
    }

    fn date(&self, moment: &'a Moment) -> DateView<'a> {
        DateView::new(moment, self.ui.dates())
    }

    fn entry_date(&self, item: &Entry) -> &'a Moment {
        match *item {
            Entry::Article(a) => &self.site.articles[a].date,
            Entry::Statement(reference) => &crate::index::statement(self.site, reference).date,
        }
    }

    /// The items `shown` (from position `first` of the list at `url`) by
    /// period, each period's entries added by `add`.
    fn period_views<T, K: PartialEq>(
        &self,
        url: &str,
        shown: &[T],
        first: usize,
        key: impl Fn(&T) -> K,
        name: impl Fn(&K) -> (String, String),
        mut add: impl FnMut(&mut PeriodView<'a>, &T),
    ) -> Vec<PeriodView<'a>> {
        let periods = periods(url, self.per_part, first, shown.iter().map(key), name);
        periods
            .into_iter()
            .map(|period| {
                let mut view = PeriodView {
                    name: period.link.name,
                    anchor: period.link.anchor,
                    url: period.link.url,
                    articles: Vec::new(),
                    statements: Vec::new(),
                };
                for item in &shown[period.items] {
                    add(&mut view, item);
                }
                view
            })
            .collect()
    }
}

/// Every period of the list at `url`, split into parts of `per_part`, one
/// key per item in list order from position `first`, each linking to the
/// part where it starts: the one index of year pages (by month) and person
/// pages (by year).
fn periods<K: PartialEq>(
    url: &str,
    per_part: usize,
    first: usize,
    keys: impl IntoIterator<Item = K>,
    name: impl Fn(&K) -> (String, String),
) -> Vec<Period<K>> {
    let part = |position: usize| paginate::part_of(first + position, per_part);
    periods_in_parts(url, part, keys, name)
}

/// The same for parts of any size: `part` says which part holds an item
/// (the sources index packs its publishers by their documents).
pub(super) fn periods_in_parts<K: PartialEq>(
    url: &str,
    part: impl Fn(usize) -> usize,
    keys: impl IntoIterator<Item = K>,
    name: impl Fn(&K) -> (String, String),
) -> Vec<Period<K>> {
    let runs = paginate::runs(keys).into_iter();
    runs.map(|run| {
        let (anchor, name) = name(&run.key);
        let link = PeriodLink {
            url: format!(
                "{}#{anchor}",
                paginate::part_url(url, part(run.items.start))
            ),
            anchor,
            name,
            count: run.items.len(),
            counted: None,
        };
        Period {
            key: run.key,
            link,
            items: run.items,
        }
    })
    .collect()
}

/// A month of `year` (`None`: a date of the year alone, in no month, which
/// comes first, in a group of its own): its anchor and name.
fn month_name(ui: &Ui, year: i16, month: Option<i8>) -> (String, String) {
    match month {
        Some(month) => (
            format!("{year}-{month:02}"),
            ui.dates().month_of_year(year, month),
        ),
        None => {
            let year_written = ui.localize_digits(&year.to_string());
            let name = ui.fill("month_not_known", None, |_| Some(year_written.clone()));
            (format!("{year}-year"), name)
        }
    }
}

/// A year of a person's statements: its anchor and name.
fn year_name(ui: &Ui, year: &i16) -> (String, String) {
    (
        format!("year-{year}"),
        ui.localize_digits(&year.to_string()),
    )
}

/// A year page's chart: its entries per month, every month a slot, and a
/// first one for dates of the year alone if it has any.
/// The articles and statements among `entries`.
/// The articles `listed` keeps of `entries`, and their statements.
fn tally(entries: &[Entry], listed: &dyn Fn(&Entry) -> bool) -> Tally {
    let articles = (entries.iter())
        .filter(|e| matches!(e, Entry::Article(_)) && listed(e))
        .count();
    let statements = (entries.iter())
        .filter(|e| matches!(e, Entry::Statement(_)))
        .count();
    Tally {
        articles: Some(articles),
        statements,
    }
}

fn month_chart(
    ui: &Ui,
    year: i16,
    entries: &[Entry],
    periods: &[Period<Option<i8>>],
    listed: &dyn Fn(&Entry) -> bool,
) -> Option<ChartView> {
    let slot = |period: Option<&Period<Option<i8>>>, name: String, label: String| Slot {
        name,
        label,
        tally: tally(
            period.map_or(&[][..], |p| &entries[p.items.clone()]),
            listed,
        ),
        href: period.map(|p| p.link.url.clone()),
    };
    let unknown = (periods.first())
        .filter(|p| p.key.is_none())
        .map(|p| slot(Some(p), p.link.name.clone(), "?".to_owned()));
    // Named as labelled ("Jan 2021", not "January 2021"): a link's name
    // should contain the words it shows (WCAG 2.5.3, label in name).
    let months = (1..=12).map(|month| {
        let period = periods.iter().find(|p| p.key == Some(month));
        let label = ui.dates().month_short(month);
        let name = format!("{label} {}", ui.localize_digits(&year.to_string()));
        slot(period, name, label)
    });
    let year_written = ui.localize_digits(&year.to_string());
    let heading = chart::Heading {
        caption: ui.fill("chart_year_by_month", None, |_| Some(year_written.clone())),
        period: ui.text("chart_month").to_owned(),
    };
    chart::layout(heading, unknown.into_iter().chain(months).collect(), ui)
}

#[cfg(test)]
mod tests {
    use super::{RobustLink, Ui, direction, month_name, periods, year_name};
    use crate::content::{Label, Moment, Source, SourceKind};

    fn source(url: Option<&str>, archive: Option<&str>, dates: [Option<&str>; 2]) -> Source {
        let moment = |text: Option<&str>| text.map(|t| Moment::parse(t).expect("a date"));
        Source {
            id: "s".into(),
            publisher: Label::new("P"),
            title: None,
            url: url.map(str::to_owned),
            date: None,
            kind: SourceKind::News,
            archive: archive.map(str::to_owned),
            archived: moment(dates[0]),
            accessed: moment(dates[1]),
            lang: None,
            title_translation: None,
            line: 1,
            url_line: 1,
            archive_line: 1,
        }
    }

    /// (data-originalurl, data-versionurl, data-versiondate) of a source.
    fn attributes(source: &Source) -> Option<(&str, Option<&str>, Option<String>)> {
        let link = RobustLink::of(source)?;
        Some((link.originalurl, link.versionurl, link.versiondate))
    }

    #[test]
    fn robust_links_date_the_copy_else_the_reading_as_a_day() {
        let (url, copy) = (Some("https://e.org/a"), Some("https://archive.example/a"));
        let instant = Some("2021-05-17T23:30:00-04:00");
        let day = |d: &str| Some(d.to_owned());
        let cases = [
            (
                source(url, copy, [instant, Some("2021-05-19")]),
                Some(("https://e.org/a", copy, day("2021-05-17"))),
            ),
            (
                source(url, copy, [None, Some("2021-05-19")]),
                Some(("https://e.org/a", copy, day("2021-05-19"))),
            ),
            (
                source(url, copy, [None, None]),
                Some(("https://e.org/a", copy, None)),
            ),
            (
                source(url, None, [None, Some("2021-05-19")]),
                Some(("https://e.org/a", None, day("2021-05-19"))),
            ),
            // Nothing to add to the link, or no link to add it to.
            (source(url, None, [None, None]), None),
            (source(None, copy, [instant, None]), None),
        ];
        for (source, expected) in cases {
            assert_eq!(attributes(&source), expected, "{source:?}");
        }
    }

    #[test]
    fn right_to_left_languages() {
        assert_eq!(direction(Some("he")), "rtl");
        assert_eq!(direction(Some("ar-EG")), "rtl");
        assert_eq!(direction(Some("uk")), "auto");
        assert_eq!(direction(None), "auto");
    }

    /// (name, count, url) of each period in an index.
    fn index<K: PartialEq>(
        per_part: usize,
        keys: Vec<K>,
        name: impl Fn(&K) -> (String, String),
    ) -> Vec<(String, usize, String)> {
        (periods("/people/ada/", per_part, 0, keys, name).into_iter())
            .map(|p| (p.link.name, p.link.count, p.link.url))
            .collect()
    }

    #[test]
    fn a_year_index_counts_each_year_and_links_where_it_starts() {
        let years = vec![2019, 2019, 2019, 2021, 2021, 2021, 2021, 2021, 2022, 2023];
        let entry = |name: &str, count, url: &str| (name.to_owned(), count, url.to_owned());
        let english = Ui::english();
        let year_name = |year: &i16| year_name(&english, year);
        assert_eq!(
            index(3, years.clone(), year_name),
            [
                entry("2019", 3, "/people/ada/#year-2019"),
                entry("2021", 5, "/people/ada/page/2/#year-2021"),
                entry("2022", 1, "/people/ada/page/3/#year-2022"),
                entry("2023", 1, "/people/ada/page/4/#year-2023"),
            ]
        );
        let one_part = index(0, years, year_name);
        assert!(
            one_part
                .iter()
                .all(|(_, _, url)| url.starts_with("/people/ada/#"))
        );
        // A part of a list: positions count from where the part starts.
        let on_part_two = periods("/p/", 3, 3, [2021, 2021], year_name);
        assert_eq!(on_part_two[0].link.url, "/p/page/2/#year-2021");
        assert_eq!(on_part_two[0].items, 0..2);
    }

    #[test]
    fn dates_of_the_year_alone_are_a_period_before_its_months() {
        let months = vec![None, Some(1), Some(1), Some(5)];
        let entries = index(2, months, |m| month_name(&Ui::english(), 2021, *m));
        let names: Vec<&str> = entries.iter().map(|(name, ..)| name.as_str()).collect();
        assert_eq!(names, ["2021, month not known", "January 2021", "May 2021"]);
        assert_eq!(entries[0].2, "/people/ada/#2021-year");
        assert_eq!(entries[2].2, "/people/ada/page/2/#2021-05");
    }
}
