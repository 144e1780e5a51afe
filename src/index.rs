//! Derived lookups over the model, computed once per build: statements by
//! person, documents by publisher, articles and statements by year, and the
//! topic and place taxonomies. Pure and deterministic (sorted maps only).

use std::collections::BTreeMap;
use std::sync::Arc;

use crate::content::{Article, Site, Statement};
use crate::slug::slugify;

/// A statement, addressed by its article's and its own position in the model.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StatementRef {
    pub article: usize,
    pub statement: usize,
}

/// A source entry, addressed like [`StatementRef`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SourceRef {
    pub article: usize,
    pub source: usize,
}

/// One publisher and the documents of theirs the site cites.
#[derive(Debug, Default)]
pub struct Publisher {
    pub name: String,
    pub documents: Vec<Document>,
}

/// One cited document: every source entry, in any article, with the same
/// URL (or, lacking one, the same title) under one publisher.
#[derive(Debug)]
pub struct Document {
    /// Oldest article first; the first entry supplies title, URL and date.
    pub citations: Vec<SourceRef>,
}

/// A year of the timeline.
#[derive(Debug, Default)]
pub struct Year {
    /// Oldest first.
    pub articles: Vec<usize>,
    /// Oldest first.
    pub statements: Vec<StatementRef>,
}

/// A topic or place and its articles (newest first).
#[derive(Debug, Default)]
pub struct Term {
    pub name: String,
    pub articles: Vec<usize>,
}

#[derive(Debug, Default)]
pub struct Index {
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
    pub fn new(site: &Site) -> Index {
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
                index
                    .by_person
                    .entry(statement.person.clone())
                    .or_default()
                    .push(reference);
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
        for a in (0..site.articles.len()).rev() {
            add_documents(&mut index.publishers, &site.articles, a);
        }
        let oldest_first = |x: &StatementRef, y: &StatementRef| statement_order(site, x, y);
        index.statements.sort_by(|x, y| oldest_first(y, x));
        for statements in index.by_person.values_mut() {
            statements.sort_by(oldest_first);
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
        }
        index
    }
}

/// The statement a reference points at.
pub fn statement(site: &Site, reference: StatementRef) -> &Statement {
    &site.articles[reference.article].statements[reference.statement]
}

/// Oldest first; ties by article (older article first), then position.
fn statement_order(site: &Site, x: &StatementRef, y: &StatementRef) -> std::cmp::Ordering {
    let key = |r: &StatementRef| {
        (
            &statement(site, *r).date,
            std::cmp::Reverse(r.article),
            r.statement,
        )
    };
    key(x).cmp(&key(y))
}

fn add_terms(terms: &mut BTreeMap<String, Term>, names: &[String], article: usize) {
    for name in names {
        let term = terms.entry(slugify(name)).or_insert_with(|| Term {
            name: name.clone(),
            articles: Vec::new(),
        });
        if term.articles.last() != Some(&article) {
            term.articles.push(article);
        }
    }
}

fn add_documents(
    publishers: &mut BTreeMap<String, Publisher>,
    articles: &[Arc<Article>],
    a: usize,
) {
    for (s, source) in articles[a].sources.iter().enumerate() {
        let publisher = publishers
            .entry(slugify(&source.publisher))
            .or_insert_with(|| Publisher {
                name: source.publisher.clone(),
                documents: Vec::new(),
            });
        let same_document = |document: &&mut Document| {
            let first = document.citations[0];
            let other = &articles[first.article].sources[first.source];
            match (&source.url, &other.url) {
                (Some(url), Some(other)) => url == other,
                (None, None) => source.title.is_some() && source.title == other.title,
                _ => false,
            }
        };
        let citation = SourceRef {
            article: a,
            source: s,
        };
        match publisher.documents.iter_mut().find(same_document) {
            Some(document) => document.citations.push(citation),
            None => publisher.documents.push(Document {
                citations: vec![citation],
            }),
        }
    }
}
