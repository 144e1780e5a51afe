//! What each record of an index shows and which words find it, in one
//! language: the default's, or one of `languages:`, where a translated
//! article, page or person shows its translation and an untranslated one
//! the original, marked with the original's language, as the language's
//! lists show it.

use std::borrow::Cow;
use std::collections::BTreeMap;

use serde::Serialize;

use super::{Filter, Value};
use crate::config::Untranslated;
use crate::content::{ArticleTranslation, PageTranslation, PersonTranslation, Site, Statement};
use crate::i18n::Ui;
use crate::render::Urls;

/// Characters of a statement or summary a record keeps. More than a result
/// shows (static/search.js shows 280), so that a word found past the start
/// can be shown in its context.
pub(super) const EXCERPT: usize = 400;

/// What a record is of: an article, a statement of one (by their position
/// in the site's articles) or a page of `content/pages/`.
#[derive(Clone, Copy)]
pub(super) enum Origin<'a> {
    Article(usize),
    Statement(usize, &'a Statement),
    Page(usize),
}

/// What a search result shows.
#[derive(Serialize)]
pub(super) struct Record<'a> {
    /// URL from the site root (the page adds the root).
    pub(super) url: String,
    /// An article's or page's; none for a statement, whose result is
    /// headed by its speaker and names its article in `article`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) title: Option<&'a str>,
    /// None for a page of `content/pages/`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) date: Option<&'a str>,
    /// The date as every page of the index's language writes it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) when: Option<String>,
    /// `article`, `quote`, `paraphrase` or `page`.
    pub(super) kind: &'static str,
    /// The speaker's name, for statements.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) person: Option<&'a str>,
    /// The article a statement belongs to.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) article: Option<&'a str>,
    pub(super) text: Cow<'a, str>,
    /// The language of `text`, when it may not be the index's.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) lang: Option<&'a str>,
    /// The language of the page the result links to, in the index of
    /// another language: an untranslated original's.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) original: Option<&'a str>,
    /// A statement's translation into the index's language, from its
    /// article's translation (the default language's index has none: its
    /// `translation:` is searched, not shown, as before).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) translation: Option<Cow<'a, str>>,
}

/// The texts whose words find a record.
#[derive(Clone, Copy)]
pub(super) struct Texts<'a> {
    /// What the result shows (title and summary, or words said and
    /// speaker): their words count for relevance.
    pub(super) shown: [Option<&'a str>; 2],
    /// More texts whose words find the record (a translation, a context).
    pub(super) other: [Option<&'a str>; 2],
    /// The other names of a statement's speaker (`aliases:`), which their
    /// page shows: a reader may search by any of them.
    pub(super) names: &'a [String],
    /// Words already normalised, space-separated (a body).
    pub(super) words: &'a str,
}

impl Texts<'_> {
    /// Whether both are the very same texts of the model, which then give
    /// the same words: compared by address, not read.
    pub(super) fn same(&self, other: &Texts) -> bool {
        let same = |a: Option<&str>, b: Option<&str>| match (a, b) {
            (Some(a), Some(b)) => std::ptr::eq(a, b),
            (a, b) => a.is_none() && b.is_none(),
        };
        let pairs = self.shown.iter().zip(&other.shown);
        pairs
            .chain(self.other.iter().zip(&other.other))
            .all(|(a, b)| same(*a, *b))
            && std::ptr::eq(self.words, other.words)
            && std::ptr::eq(self.names, other.names)
    }
}

/// A language of `languages:` as its index sees it: the translations into
/// it, looked up once rather than per record.
struct Language<'a> {
    code: &'a str,
    hide: bool,
    /// Each article's translation, by the article's position.
    articles: Vec<Option<&'a ArticleTranslation>>,
    /// Each page's, likewise.
    pages: Vec<Option<&'a PageTranslation>>,
    /// Each translated person's, by id.
    people: BTreeMap<&'a str, &'a PersonTranslation>,
}

/// The site as one language's index shows it.
pub(super) struct Lens<'a> {
    site: &'a Site,
    /// The interface in the index's language: its dates and filter names.
    ui: &'a Ui,
    /// None for the default language.
    language: Option<Language<'a>>,
    /// The language's own pages.
    urls: Urls,
    /// The default language's: the originals.
    home: Urls,
}

/// An article or page as a language shows it.
struct Shown<'a> {
    title: &'a str,
    summary: &'a str,
    body: &'a str,
    /// Whether it is a translation, which has a page in the language.
    translated: bool,
    /// The original's language, when shown in another.
    original: Option<&'a str>,
}

impl<'a> Lens<'a> {
    /// The default language's view of `site` when `language` is none; else
    /// that of `languages:`'s `(code, untranslated)`.
    pub(super) fn new(
        site: &'a Site,
        ui: &'a Ui,
        language: Option<(&'a str, Untranslated)>,
    ) -> Lens<'a> {
        // URLs from the site root: the search page adds the root it is
        // served under, so the index works under a sub-path and on a
        // preview host.
        let home = Urls::new("/");
        let urls = match language {
            Some((code, _)) => Urls::new(&format!("/{code}/")),
            None => Urls::new("/"),
        };
        let language = language.map(|(code, untranslated)| {
            let translations = &site.translations;
            let of = |slug: &str| translations.articles.get(slug)?.get(code).map(|t| &**t);
            let page = |slug: &str| translations.pages.get(slug)?.get(code).map(|t| &**t);
            let people = (translations.people.iter())
                .filter_map(|(id, versions)| Some((id.as_str(), &**versions.get(code)?)));
            Language {
                code,
                hide: untranslated == Untranslated::Hide,
                articles: site.articles.iter().map(|a| of(&a.slug)).collect(),
                pages: site.pages.iter().map(|p| page(&p.slug)).collect(),
                people: people.collect(),
            }
        });
        Lens {
            site,
            ui,
            language,
            urls,
            home,
        }
    }

    /// The language's code, none for the default language.
    pub(super) fn code(&self) -> Option<&'a str> {
        self.language.as_ref().map(|l| l.code)
    }

    /// The default language, for the label of what is not translated.
    pub(super) fn default_language(&self) -> &'a str {
        &self.site.config.language
    }

    /// What `translation` makes of an original, in this language.
    fn shown(
        &self,
        translation: Option<(&'a str, &'a str, &'a str)>,
        original: (&'a str, &'a str, &'a str),
    ) -> Shown<'a> {
        let ((title, summary, body), translated) = match translation {
            Some(words) => (words, true),
            None => (original, false),
        };
        let original = (self.language.is_some() && !translated).then(|| self.default_language());
        Shown {
            title,
            summary,
            body,
            translated,
            original,
        }
    }

    /// `shown` unless `untranslated: hide` leaves it out of this
    /// language's lists, as an untranslated article or page. Statements
    /// stay, as on its pages: they are facts in every language.
    fn listed(&self, shown: Shown<'a>) -> Option<Shown<'a>> {
        let hide = self.language.as_ref().is_some_and(|l| l.hide);
        (shown.translated || !hide).then_some(shown)
    }

    fn article_translation(&self, article: usize) -> Option<&'a ArticleTranslation> {
        let language = self.language.as_ref()?;
        language.articles.get(article).copied().flatten()
    }

    fn article(&self, article: usize) -> Shown<'a> {
        let a = &self.site.articles[article];
        let translation = self.article_translation(article);
        let words = translation.map(|t| (t.title.as_str(), t.summary.as_str(), &*t.body_words));
        self.shown(words, (&a.title, &a.summary, &a.body_words))
    }

    fn page(&self, page: usize) -> Shown<'a> {
        let p = &self.site.pages[page];
        let language = self.language.as_ref();
        let translation = language.and_then(|l| l.pages.get(page).copied().flatten());
        let words = translation.map(|t| (t.title.as_str(), t.summary.as_str(), &*t.body_words));
        self.shown(words, (&p.title, &p.summary, &p.body_words))
    }

    /// A person's name in this language.
    pub(super) fn person_name(&self, id: &'a str) -> &'a str {
        let translated = self.language.as_ref().and_then(|l| l.people.get(id));
        match (translated, self.site.people.get(id)) {
            (Some(t), _) => &t.name,
            (None, Some(person)) => &person.name,
            (None, None) => id,
        }
    }

    /// A statement's translation into this language, from its article's
    /// translation.
    fn own_translation(&self, article: usize, statement: &Statement) -> Option<&'a str> {
        let translation = self.article_translation(article)?;
        (translation.statements.get(&statement.id)).map(|(text, _)| text.as_str())
    }

    /// The texts whose words find the record of `origin`; none when this
    /// language leaves it out.
    pub(super) fn texts(&self, origin: Origin<'a>) -> Option<Texts<'a>> {
        match origin {
            Origin::Article(a) => Some(self.listed(self.article(a))?.texts()),
            Origin::Page(p) => Some(self.listed(self.page(p))?.texts()),
            Origin::Statement(a, statement) => {
                // Found by what its pages show of it: its words, and its
                // translation into this language, else into the default.
                let own = self.own_translation(a, statement);
                Some(Texts {
                    shown: [
                        Some(statement.words.text()),
                        Some(self.person_name(&statement.person)),
                    ],
                    other: [
                        own.or(statement.translation.as_deref()),
                        statement.context.as_deref(),
                    ],
                    names: (self.site.people.get(&statement.person))
                        .map_or(&[], |person| person.aliases.as_slice()),
                    words: "",
                })
            }
        }
    }

    /// What the result of `origin` shows; none when this language leaves
    /// it out.
    pub(super) fn record(&self, origin: Origin<'a>) -> Option<Record<'a>> {
        match origin {
            Origin::Article(a) => {
                let article = &self.site.articles[a];
                let shown = self.listed(self.article(a))?;
                let url = self.urls_of(&shown).article(&article.slug);
                let mut record = shown.record(url, "article");
                record.date = Some(article.date.calendar());
                record.when = Some(self.when(&article.date));
                Some(record)
            }
            Origin::Page(p) => {
                let shown = self.listed(self.page(p))?;
                let url = self.urls_of(&shown).page(&self.site.pages[p].slug);
                Some(shown.record(url, "page"))
            }
            Origin::Statement(a, statement) => Some(self.statement_record(a, statement)),
        }
    }

    fn statement_record(&self, a: usize, statement: &'a Statement) -> Record<'a> {
        let article = &self.site.articles[a];
        let shown = self.article(a);
        let page = self.urls_of(&shown).article(&article.slug);
        // In another language, words in no language of their own are in
        // the default's.
        let lang = match self.language {
            Some(_) => Some(statement.lang.as_deref().unwrap_or(self.default_language())),
            None => statement.lang.as_deref(),
        };
        Record {
            url: format!("{page}#{}", statement.id),
            title: None,
            date: Some(statement.date.calendar()),
            when: Some(self.when(&statement.date)),
            kind: statement.words.kind(),
            person: Some(self.person_name(&statement.person)),
            article: Some(shown.title),
            text: excerpt(statement.words.text()),
            lang,
            original: shown.original,
            translation: self.own_translation(a, statement).map(excerpt),
        }
    }

    fn urls_of(&self, shown: &Shown) -> &Urls {
        match shown.translated {
            true => &self.urls,
            false => &self.home,
        }
    }

    fn when(&self, moment: &crate::content::Moment) -> String {
        self.ui.dates().long(moment)
    }

    /// The filter values that keep the record of `origin`, with the names
    /// their options show in this language.
    pub(super) fn filters(&self, origin: Origin<'a>) -> Vec<Value<'a>> {
        let (article, statement) = match origin {
            Origin::Page(_) => return Vec::new(),
            Origin::Article(a) => (&self.site.articles[a], None),
            Origin::Statement(a, s) => (&self.site.articles[a], Some(s)),
        };
        let mut filters: Vec<Value> = (article.topics.iter())
            .map(|t| Value::label(Filter::Topic, t))
            .chain(
                article
                    .places
                    .iter()
                    .map(|p| Value::label(Filter::Place, p)),
            )
            .collect();
        let sources = match statement {
            None => {
                filters.push(self.value(Filter::Kind, "article", ""));
                article.sources.iter().collect()
            }
            Some(s) => {
                filters.push(self.value(Filter::Person, &s.person, ""));
                filters.push(self.value(Filter::Kind, s.words.kind(), ""));
                article
                    .sources
                    .get(s.source)
                    .into_iter()
                    .collect::<Vec<_>>()
            }
        };
        for source in sources {
            filters.push(Value::label(Filter::Publisher, &source.publisher));
            filters.push(self.value(Filter::Source, source.kind.as_str(), ""));
        }
        filters
    }

    /// A filter value with the name its option shows in this language:
    /// a person's name, a kind's in the interface's words, else `name`.
    pub(super) fn value(&self, filter: Filter, value: &'a str, name: &'a str) -> Value<'a> {
        let key = match filter {
            Filter::Person => return Value::new(filter, value, self.person_name(value)),
            Filter::Kind | Filter::Source => option_key(filter, value),
            _ => None,
        };
        let name = key.map_or(name, |key| self.ui.text(key));
        Value::new(filter, value, name)
    }
}

/// The catalogue key naming a kind of record or of source in the form.
fn option_key(filter: Filter, value: &str) -> Option<&'static str> {
    Some(match (filter, value) {
        (Filter::Kind, "article") => "search_kind_articles",
        (Filter::Kind, "quote") => "search_kind_quotes",
        (Filter::Kind, "paraphrase") => "search_kind_paraphrases",
        (Filter::Source, "official") => "search_source_official",
        (Filter::Source, "social") => "search_source_social",
        (Filter::Source, "news") => "search_source_news",
        (Filter::Source, "report") => "search_source_report",
        (Filter::Source, "other") => "search_source_other",
        _ => return None,
    })
}

impl<'a> Shown<'a> {
    fn texts(&self) -> Texts<'a> {
        Texts {
            shown: [Some(self.title), Some(self.summary)],
            other: [None, None],
            names: &[],
            words: self.body,
        }
    }

    /// Its record, undated.
    fn record(&self, url: String, kind: &'static str) -> Record<'a> {
        Record {
            url,
            title: Some(self.title),
            date: None,
            when: None,
            kind,
            person: None,
            article: None,
            text: excerpt(self.summary),
            lang: self.original,
            original: self.original,
            translation: None,
        }
    }
}

pub(super) fn excerpt(text: &str) -> Cow<'_, str> {
    match text.char_indices().nth(EXCERPT) {
        Some((end, _)) => Cow::Owned(format!("{}…", text[..end].trim_end())),
        None => Cow::Borrowed(text),
    }
}
