//! The site in its other languages (`languages:`): which pages each has,
//! the words a page takes from translations, and the alternates linking a
//! page's versions.
//!
//! Each language has a [`Renderer`] of its own whose URLs start at
//! `/<code>/`; the default language's renderer holds them and hands it
//! every [`Page::In`]. A language has every list and index page, each
//! person, and the articles and pages translated into it; statements are
//! the original's facts everywhere.

use std::borrow::Cow;

use serde::Serialize;

use super::{Page, Renderer};
use crate::config::Untranslated;
use crate::content::{Article, ArticleTranslation, Person, PersonTranslation, SitePage};
use crate::content::{PageTranslation, Statement};

/// A language of `languages:` as its renderer sees it.
pub(super) struct Language<'a> {
    /// A key of `languages:`.
    pub(super) code: &'a str,
    pub(super) untranslated: Untranslated,
}

/// What a language calls the site.
pub(super) struct Titles<'a> {
    pub(super) title: &'a str,
    pub(super) description: &'a str,
}

/// One version of a page, for `<link rel="alternate" hreflang>` and the
/// language switcher.
#[derive(Serialize)]
pub(crate) struct Alternate<'a> {
    pub lang: &'a str,
    /// The language's own name.
    pub name: &'a str,
    /// Absolute, as search engines require.
    pub url: String,
    /// From the site's root, for the switcher: it works on a preview too.
    pub path: String,
    pub current: bool,
}

/// Languages' names in themselves, for the switcher and the label of an
/// untranslated article; another code is shown as written.
const AUTONYMS: &[(&str, &str)] = &[
    ("ar", "العربية"),
    ("de", "Deutsch"),
    ("en", "English"),
    ("es", "Español"),
    ("fa", "فارسی"),
    ("fr", "Français"),
    ("he", "עברית"),
    ("it", "Italiano"),
    ("pt", "Português"),
    ("ru", "Русский"),
    ("tr", "Türkçe"),
    ("uk", "Українська"),
    ("ur", "اردو"),
    ("zh", "中文"),
];

/// `code`'s own name, by its primary subtag.
pub(crate) fn autonym(code: &str) -> &str {
    let primary = code.split('-').next().unwrap_or(code).to_ascii_lowercase();
    AUTONYMS
        .iter()
        .find(|(c, _)| *c == primary)
        .map_or(code, |(_, name)| name)
}

impl<'a> Renderer<'a> {
    /// The language this renderer writes: `languages:`'s code, or the
    /// site's default language.
    pub(super) fn code(&self) -> &'a str {
        match &self.language {
            Some(language) => language.code,
            None => &self.site.config.language,
        }
    }

    /// The site's title and description in this language.
    pub(super) fn titles(&self) -> Titles<'a> {
        let config = &self.site.config;
        let settings = (self.language.as_ref()).and_then(|l| config.languages.get(l.code));
        match settings {
            Some(settings) => Titles {
                title: &settings.title,
                description: &settings.description,
            },
            None => Titles {
                title: &config.title,
                description: &config.description,
            },
        }
    }

    pub(super) fn article_translation(&self, article: &Article) -> Option<&'a ArticleTranslation> {
        let language = self.language.as_ref()?;
        let versions = self.site.translations.articles.get(&article.slug)?;
        versions.get(language.code).map(|t| &**t)
    }

    pub(super) fn person_translation(&self, person: &Person) -> Option<&'a PersonTranslation> {
        let language = self.language.as_ref()?;
        let versions = self.site.translations.people.get(&person.id)?;
        versions.get(language.code).map(|t| &**t)
    }

    pub(super) fn page_translation(&self, page: &SitePage) -> Option<&'a PageTranslation> {
        let language = self.language.as_ref()?;
        let versions = self.site.translations.pages.get(&page.slug)?;
        versions.get(language.code).map(|t| &**t)
    }

    /// A statement's translation into this language (`translations:` of
    /// its article's translation), else its `translation:` into the
    /// default language, with the language it is in.
    pub(super) fn statement_translation(
        &self,
        article: &Article,
        statement: &'a Statement,
    ) -> Option<(&'a str, &'a str)> {
        let own = self
            .article_translation(article)
            .and_then(|t| t.statements.get(&statement.id))
            .map(|(text, _)| (text.as_str(), self.code()));
        own.or_else(|| {
            let default = self.site.config.language.as_str();
            (statement.translation.as_deref()).map(|text| (text, default))
        })
    }

    /// Whether this language has `page`: the default language has every
    /// page; another, its lists and indexes, each person, and what is
    /// translated into it.
    pub(super) fn localizes(&self, page: &Page) -> bool {
        if self.language.is_none() {
            return true;
        }
        match page {
            Page::Home
            | Page::People
            | Page::Person(_)
            | Page::Sources
            | Page::Publisher(_)
            | Page::Timeline
            | Page::Year(_)
            | Page::Terms(_)
            | Page::NotFound
            | Page::Search
            | Page::Feed => true,
            Page::Article(a) => self.article_translation(&self.site.articles[*a]).is_some(),
            Page::Standalone(p) => self.page_translation(&self.site.pages[*p]).is_some(),
            // Not a topic or place whose every article the language hides.
            Page::Term(taxonomy, slug) => !self
                .listed(&self.terms(*taxonomy)[slug].articles)
                .is_empty(),
            _ => false,
        }
    }

    /// Whether this language's lists leave out what is not translated.
    pub(super) fn hiding(&self) -> bool {
        matches!(&self.language, Some(l) if l.untranslated == Untranslated::Hide)
    }

    /// Whether this language's lists leave `article` out.
    pub(super) fn hides(&self, article: &Article) -> bool {
        self.hiding() && self.article_translation(article).is_none()
    }

    /// `articles` (positions) as this language lists them.
    pub(super) fn listed<'l>(&self, articles: &'l [usize]) -> Cow<'l, [usize]> {
        match self.hiding() {
            false => Cow::Borrowed(articles),
            true => Cow::Owned(
                (articles.iter().copied())
                    .filter(|&a| !self.hides(&self.site.articles[a]))
                    .collect(),
            ),
        }
    }

    /// Every page of this language other than the default's.
    pub(super) fn language_pages(&self) -> Vec<Page> {
        let mut pages = self.record_pages();
        pages.retain(|page| self.localizes(page));
        pages.push(Page::Feed);
        pages
    }

    /// The renderer of `page` and the page as it sees it.
    pub(super) fn version<'p>(&self, page: &'p Page) -> (&Renderer<'a>, &'p Page) {
        match page {
            Page::In(language, inner) => match self.languages.get(usize::from(*language)) {
                Some(renderer) => (renderer, inner),
                None => (self, inner),
            },
            _ => (self, page),
        }
    }

    /// Part `part` of `page` (as the default language names it) in every
    /// language having it, the default's first: none when it has no other.
    pub(super) fn alternates(&self, page: &Page, part: usize, current: &str) -> Vec<Alternate<'a>> {
        if self.languages.is_empty() || !page.is_listed() {
            return Vec::new();
        }
        let versions = std::iter::once(self).chain(&self.languages);
        let alternates: Vec<Alternate> = versions
            .filter(|renderer| renderer.localizes(page) && part < renderer.parts(page))
            .map(|renderer| {
                let path = renderer.part_url(page, part);
                Alternate {
                    lang: renderer.code(),
                    name: autonym(renderer.code()),
                    url: renderer.absolute(&path),
                    path,
                    current: renderer.code() == current,
                }
            })
            .collect();
        match alternates.len() {
            0 | 1 => Vec::new(),
            _ => alternates,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::autonym;

    #[test]
    fn languages_are_named_in_themselves() {
        assert_eq!(autonym("ar"), "العربية");
        assert_eq!(autonym("pt-BR"), "Português");
        assert_eq!(autonym("gsw"), "gsw");
    }
}
