//! Atom feeds: the site's articles (`/atom.xml`) and each person's
//! statements (`/people/<id>/atom.xml`, "follow what this person says").

use atom_syndication::{Content, Entry, Feed, FixedDateTime, Link, Person, Text};

use super::Renderer;
use crate::content::{Article, Moment, OldPath, Statement};
use crate::index::StatementRef;

/// How many entries a feed carries: readers only look at what is new.
const FEED_ENTRIES: usize = 50;

/// A moment as an Atom date-time (a day is its midnight UTC).
fn atom_time(moment: &Moment) -> FixedDateTime {
    let text = match moment.instant {
        Some(_) => moment.iso().to_owned(),
        None => format!("{}T00:00:00Z", moment.date),
    };
    FixedDateTime::parse_from_rfc3339(&text).unwrap_or_default()
}

fn link(href: String, rel: &str) -> Link {
    let mut link = Link::default();
    link.set_href(href);
    link.set_rel(rel);
    link
}

impl Renderer<'_> {
    fn feed(&self, title: String, page_url: &str, feed_url: &str, entries: Vec<Entry>) -> String {
        let id = self.absolute(feed_url);
        self.feed_with_id(title, page_url, feed_url, id, entries)
    }

    fn feed_with_id(
        &self,
        title: String,
        page_url: &str,
        feed_url: &str,
        id: String,
        entries: Vec<Entry>,
    ) -> String {
        let mut feed = Feed::default();
        feed.set_title(title);
        feed.set_id(self.as_id(&id));
        feed.set_subtitle(Some(Text::plain(self.titles().description.to_owned())));
        feed.set_lang(Some(self.code().to_owned()));
        // No clock: the feed changes when its newest entry does.
        let newest = entries.iter().map(|e| *e.updated()).max();
        feed.set_updated(newest.unwrap_or_default());
        let mut author = Person::default();
        author.set_name(self.titles().title.to_owned());
        feed.set_authors(vec![author]);
        feed.set_links(vec![
            link(self.absolute(page_url), "alternate"),
            link(self.absolute(feed_url), "self"),
        ]);
        feed.set_entries(entries);
        feed.to_string()
    }

    /// `/atom.xml`: the newest articles.
    /// In another language, its articles: translated where they are, the
    /// original (at its own address) where not, unless the language hides
    /// those.
    pub(super) fn site_feed(&self, feed_url: &str) -> String {
        let shown = self.site.articles.iter().filter(|a| !self.hides(a));
        let entries = shown.take(FEED_ENTRIES).map(|article| {
            let item = self.article_item(article);
            let url = self.absolute(&item.url);
            let mut entry = Entry::default();
            entry.set_title(item.title.to_owned());
            entry.set_id(self.as_id(&self.entry_id(article, &url)));
            entry.set_links(vec![link(url, "alternate")]);
            entry.set_published(Some(atom_time(&article.date)));
            entry.set_updated(atom_time(article.modified()));
            entry.set_summary(Some(Text::plain(item.summary.to_owned())));
            entry
        });
        self.feed(
            self.titles().title.to_owned(),
            &self.urls.root,
            feed_url,
            entries.collect(),
        )
    }

    /// `/corrections/atom.xml`: the newest corrections, each an entry of
    /// its own, so that a reader who saw the article learns what changed.
    pub(super) fn corrections_feed(&self, feed_url: &str) -> String {
        let entries = self
            .index
            .corrections
            .iter()
            .take(FEED_ENTRIES)
            .map(|&(a, c)| {
                let view = self.correction_view(a, c);
                let url = self.absolute(&view.url);
                let mut entry = Entry::default();
                let title = self.ui.fill("feed_correction", None, |_| {
                    Some(view.article.name.to_owned())
                });
                entry.set_title(title);
                let article = &self.site.articles[a];
                let (page, anchor) = url.split_once('#').unwrap_or((&url, ""));
                let id = format!("{}#{anchor}", self.entry_id(article, page));
                entry.set_id(self.as_id(&id));
                entry.set_links(vec![link(url.clone(), "alternate")]);
                let date = &article.corrections[c].date;
                entry.set_published(Some(atom_time(date)));
                entry.set_updated(atom_time(date));
                let mut content = Content::default();
                content.set_content_type(Some("text".to_owned()));
                content.set_value(Some(view.text.to_owned()));
                entry.set_content(Some(content));
                entry
            });
        let site = &self.site.config.title;
        let title = self
            .ui
            .fill("feed_corrections", None, |_| Some(site.clone()));
        let page = format!("{}corrections/", self.urls.root);
        self.feed(title, &page, feed_url, entries.collect())
    }

    /// `/people/<id>/atom.xml`: the person's newest statements.
    pub(super) fn person_feed(&self, id: &str, feed_url: &str) -> String {
        let person = &self.site.people[id];
        let said = self.index.by_person.get(id).map_or(&[][..], Vec::as_slice);
        let entries = said
            .iter()
            .rev()
            .take(FEED_ENTRIES)
            .map(|&reference| self.statement_entry(reference));
        let title = self.ui.fill("feed_person", None, |blank| match blank {
            "name" => Some(person.name.clone()),
            _ => Some(self.titles().title.to_owned()),
        });
        let page = self.urls.person(id);
        let first = self.first_address(&self.absolute(&page), &page, &person.redirect_from);
        let feed_id = format!("{}/atom.xml", first.trim_end_matches('/'));
        self.feed_with_id(title, &page, feed_url, feed_id, entries.collect())
    }

    fn statement_entry(&self, reference: StatementRef) -> Entry {
        let view = self.statement_view(reference);
        let url = self.absolute(&view.url);
        let mut entry = Entry::default();
        // A paraphrase says so, as on the pages: readers must not take it
        // for the speaker's own words.
        let words = match view.kind {
            "quote" => format!("“{}”", view.text),
            _ => format!("{} {}", self.ui.text("paraphrase"), view.text),
        };
        entry.set_title(format!("{}: {}", view.person.name, shorten(&words, 90)));
        let statement = crate::index::statement(self.site, reference);
        let article = &self.site.articles[reference.article];
        let page = url.split_once('#').map_or(url.as_str(), |(page, _)| page);
        let first_id = statement.former_ids.first().unwrap_or(&statement.id);
        let id = format!("{}#{first_id}", self.entry_id(article, page));
        entry.set_id(self.as_id(&id));
        entry.set_links(vec![link(url, "alternate")]);
        entry.set_published(Some(atom_time(&statement.date)));
        entry.set_updated(atom_time(corrected(article, statement)));
        let mut body = format!("{} ({}, {})", words, view.person.name, view.date.display);
        if let Some(translation) = view.translation {
            let label = self.ui.text("translation");
            body.push_str(&format!(". {label} {translation}"));
        }
        if let Some(context) = view.context {
            body.push_str(&format!(", {context}"));
        }
        let source = view
            .source
            .title
            .map_or(view.source.publisher.name.to_owned(), |t| {
                format!("{}: {t}", view.source.publisher.name)
            });
        let (source_label, in_label) = (self.ui.text("source"), self.ui.text("feed_in"));
        body.push_str(&format!(
            ". {source_label}: {source}. {in_label}: {}.",
            view.article.name
        ));
        let mut content = Content::default();
        content.set_content_type(Some("text".to_owned()));
        content.set_value(Some(body));
        entry.set_content(Some(content));
        entry
    }
}

impl Renderer<'_> {
    /// The id of `article`'s entry, whose page is at `url`: RFC 4287 wants
    /// it never to change, and a renamed article keeps its old address in
    /// `redirect_from:`, first first. So it is the page's address with the
    /// article's first address in place of its current one: a reader who
    /// had the entry does not get it again as new.
    fn entry_id(&self, article: &Article, url: &str) -> String {
        let current = self.urls.article(&article.slug);
        self.first_address(url, &current, &article.redirect_from)
    }

    /// `url`, an absolute address of the site, as a feed or entry id: under
    /// `feed_id_base` where the site moved from there.
    fn as_id(&self, url: &str) -> String {
        let config = &self.site.config;
        match url.strip_prefix(config.base_url.as_str()) {
            Some(inside) => format!("{}{inside}", config.feed_id_base()),
            None => url.to_owned(),
        }
    }

    /// `url`, the absolute address of a page now at `current`, as it was at
    /// the first of the page's former addresses: what an id that must never
    /// change is made of (a person's feed's too).
    fn first_address(&self, url: &str, current: &str, redirect_from: &[OldPath]) -> String {
        let Some(first) = redirect_from.first() else {
            return url.to_owned();
        };
        let tail = current
            .strip_prefix(self.urls.root.as_str())
            .unwrap_or(current);
        match url.strip_suffix(tail) {
            Some(root) => format!("{root}{}", first.path.trim_start_matches('/')),
            None => url.to_owned(),
        }
    }
}

/// When `statement` last changed: its date, or the latest correction of
/// it (by its id or a former one).
fn corrected<'a>(article: &'a Article, statement: &'a Statement) -> &'a Moment {
    let corrects = |id: &str| id == statement.id || statement.former_ids.iter().any(|f| f == id);
    (article.corrections.iter())
        .filter(|c| c.statement.as_deref().is_some_and(corrects))
        .map(|c| &c.date)
        .fold(&statement.date, |latest, date| latest.max(date))
}

/// One line (a title: a quote's line breaks would show in feed readers) of
/// at most `limit` characters, cut at a word and marked with an ellipsis.
pub(super) fn shorten(text: &str, limit: usize) -> String {
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if text.chars().count() <= limit {
        return text;
    }
    let cut: String = text.chars().take(limit).collect();
    let at_word = cut.rfind(' ').map_or(cut.as_str(), |i| &cut[..i]);
    format!("{at_word}…")
}
