//! Derived lookups over the model, computed once per build: statements by
//! person, documents by publisher, articles and statements by year, and the
//! topic and place taxonomies. Pure and deterministic (sorted maps only).

use std::collections::{BTreeMap, HashMap};

use crate::content::{Article, Label, Site, Statement};

/// A statement, addressed by its article's and its own position in the model.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct StatementRef {
    pub article: usize,
    pub statement: usize,
}

/// A source entry, addressed like [`StatementRef`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) struct SourceRef {
    pub article: usize,
    pub source: usize,
}

/// One publisher and the documents of theirs the site cites.
#[derive(Debug, Default)]
pub(crate) struct Publisher {
    pub name: String,
    pub documents: Vec<Document>,
}

/// One cited document: every source entry, in any article, with the same
/// URL (or, lacking one, the same title) under one publisher.
#[derive(Debug)]
pub(crate) struct Document {
    /// Oldest article first; the first entry supplies title, URL and date.
    pub citations: Vec<SourceRef>,
}

/// An article or a statement in a year's chronological list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Entry {
    Article(usize),
    Statement(StatementRef),
}

/// A year of the timeline.
#[derive(Debug, Default)]
pub(crate) struct Year {
    /// Oldest first.
    pub articles: Vec<usize>,
    /// Oldest first.
    pub statements: Vec<StatementRef>,
    /// Both, merged oldest first; on the same day an article comes before
    /// the statements.
    pub entries: Vec<Entry>,
}

/// A topic or place and its articles (newest first).
#[derive(Debug, Default)]
pub(crate) struct Term {
    pub name: String,
    pub articles: Vec<usize>,
}

#[derive(Debug, Default)]
pub(crate) struct Index {
    /// Person id → statements, oldest first.
    pub by_person: BTreeMap<String, Vec<StatementRef>>,
    /// Every statement, newest first.
    pub statements: Vec<StatementRef>,
    /// Publisher slug → publisher.
    pub publishers: BTreeMap<String, Publisher>,
    pub years: BTreeMap<i16, Year>,
    /// Topic slug → term.
    pub topics: BTreeMap<String, Term>,
    /// Place slug → term.
    pub places: BTreeMap<String, Term>,
}

impl Index {
    pub(crate) fn new(site: &Site) -> Index {
        let mut index = Index::default();
        for id in site.people.keys() {
            index.by_person.insert(id.clone(), Vec::new());
        }
        for (a, article) in site.articles.iter().enumerate() {
            for (s, statement) in article.statements.iter().enumerate() {
                let reference = StatementRef {
                    article: a,
                    statement: s,
                };
                index.statements.push(reference);
                // Every statement's person exists: parse checked it.
                if let Some(said) = index.by_person.get_mut(&statement.person) {
                    said.push(reference);
                }
            }
            index
                .years
                .entry(article.date.year())
                .or_default()
                .articles
                .push(a);
            add_terms(&mut index.topics, &article.topics, a);
            add_terms(&mut index.places, &article.places, a);
        }
        // Articles are newest first in the model; iterate oldest first here.
        let mut places = DocumentPlaces::with_capacity(site.articles.len() * 4);
        for a in (0..site.articles.len()).rev() {
            add_documents(&mut index.publishers, &mut places, &site.articles[a], a);
        }
        // Keys looked up once per statement, not per comparison: each is a
        // jump into a different article, and at 100,000 articles those
        // cache misses made the sort the slowest part of indexing.
        let order = |r: &StatementRef| statement_order(site, r);
        index
            .statements
            .sort_by_cached_key(|r| std::cmp::Reverse(order(r)));
        for statements in index.by_person.values_mut() {
            statements.sort_by_cached_key(order);
        }
        for reference in index.statements.iter().rev() {
            let year = statement(site, *reference).date.year();
            index
                .years
                .entry(year)
                .or_default()
                .statements
                .push(*reference);
        }
        for year in index.years.values_mut() {
            year.articles.reverse();
            year.entries = year.merge(site);
        }
        index
    }
}

impl Year {
    fn merge(&self, site: &Site) -> Vec<Entry> {
        let mut entries = Vec::with_capacity(self.articles.len() + self.statements.len());
        let (mut articles, mut statements) = (
            self.articles.iter().peekable(),
            self.statements.iter().peekable(),
        );
        loop {
            let next = match (articles.peek(), statements.peek()) {
                (Some(&&a), Some(&&s))
                    if site.articles[a].date.calendar_key()
                        <= statement(site, s).date.calendar_key() =>
                {
                    articles.next();
                    Entry::Article(a)
                }
                (_, Some(&&s)) => {
                    statements.next();
                    Entry::Statement(s)
                }
                (Some(&&a), None) => {
                    articles.next();
                    Entry::Article(a)
                }
                (None, None) => return entries,
            };
            entries.push(next);
        }
    }
}

/// The statement a reference points at.
pub(crate) fn statement(site: &Site, reference: StatementRef) -> &Statement {
    &site.articles[reference.article].statements[reference.statement]
}

/// A statement's date's sort key, its article reversed, its position.
type StatementOrder = (
    ((i16, i8, i8), Option<jiff::Timestamp>),
    std::cmp::Reverse<usize>,
    usize,
);

/// Sort key, oldest first; ties by article (older article first), then position.
fn statement_order(site: &Site, r: &StatementRef) -> StatementOrder {
    let date = &statement(site, *r).date;
    (date.sort_key(), std::cmp::Reverse(r.article), r.statement)
}

fn add_terms(terms: &mut BTreeMap<String, Term>, labels: &[Label], article: usize) {
    for label in labels {
        if !terms.contains_key(&label.slug) {
            let term = Term {
                name: label.name.clone(),
                articles: Vec::new(),
            };
            terms.insert(label.slug.clone(), term);
        }
        let Some(term) = terms.get_mut(&label.slug) else {
            continue;
        };
        if term.articles.last() != Some(&article) {
            term.articles.push(article);
        }
    }
}

/// What makes two source entries one document: the publisher and the URL,
/// or lacking a URL, the title; an entry with neither stands alone.
#[derive(PartialEq, Eq, Hash)]
enum DocumentKey<'a> {
    Url(&'a str, &'a str),
    Title(&'a str, &'a str),
    Alone(SourceRef),
}

/// Where each document already is: publisher slug and position.
type DocumentPlaces<'a> = HashMap<DocumentKey<'a>, usize>;

fn add_documents<'a>(
    publishers: &mut BTreeMap<String, Publisher>,
    places: &mut DocumentPlaces<'a>,
    article: &'a Article,
    a: usize,
) {
    for (s, source) in article.sources.iter().enumerate() {
        let citation = SourceRef {
            article: a,
            source: s,
        };
        let slug = source.publisher.slug.as_str();
        let key = match (&source.url, &source.title) {
            (Some(url), _) => DocumentKey::Url(slug, url),
            (None, Some(title)) => DocumentKey::Title(slug, title),
            (None, None) => DocumentKey::Alone(citation),
        };
        if !publishers.contains_key(slug) {
            let publisher = Publisher {
                name: source.publisher.name.clone(),
                documents: Vec::new(),
            };
            publishers.insert(slug.to_owned(), publisher);
        }
        let Some(publisher) = publishers.get_mut(slug) else {
            continue;
        };
        match places.get(&key) {
            Some(&position) => publisher.documents[position].citations.push(citation),
            None => {
                places.insert(key, publisher.documents.len());
                publisher.documents.push(Document {
                    citations: vec![citation],
                });
            }
        }
    }
}
