//! The search index behind `/search/`: every article and statement as a
//! record, written in small JSON chunks at build time so searching needs no
//! server and a browser downloads only the chunks a query touches.
//!
//! Layout under `/search-index/` (see docs/ARCHITECTURE.md for why not pagefind):
//! - `index.json`: the manifest — record count, chunk size, the date range
//!   of every record chunk, the word-chunk names, and the people;
//! - `w/<key>.json`: words starting with `key` (their first two letters),
//!   each with the ids of the records containing it;
//! - `r/<n>.json`: records `n * CHUNK ..`, what a result shows;
//! - `p/<person-id>.json`: the ids of a person's records.
//!
//! Record ids follow date order, newest first, so a date range is a range of
//! ids and the first ids of any match are its newest results.

use std::collections::BTreeMap;

use fnv::FnvHashMap;
use rayon::prelude::*;
use serde::Serialize;

use crate::content::{Article, Site, Statement};
use crate::render::Urls;
use crate::words;

/// The output directory of the index, below the site root.
pub(crate) const DIR: &str = "search-index";
/// Whether an output path belongs to the index.
pub(crate) fn owns(path: &str) -> bool {
    path.strip_prefix(DIR)
        .is_some_and(|rest| rest.starts_with('/'))
}

/// Records per `r/<n>.json` chunk.
const CHUNK: usize = 200;
/// Letters of a word that name its chunk.
const KEY_LETTERS: usize = 2;
/// Characters of a statement or summary shown in a result.
const EXCERPT: usize = 280;

/// What a search result shows.
#[derive(Serialize)]
struct Record<'a> {
    /// URL from the site root (the page adds the root).
    url: String,
    title: &'a str,
    date: String,
    /// `article`, `quote` or `paraphrase`.
    kind: &'static str,
    /// The speaker's name, for statements.
    #[serde(skip_serializing_if = "Option::is_none")]
    person: Option<&'a str>,
    /// The article a statement belongs to.
    #[serde(skip_serializing_if = "Option::is_none")]
    article: Option<&'a str>,
    text: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    lang: Option<&'a str>,
}

/// A record before numbering: its words and sort date alongside.
struct Entry<'a> {
    record: Record<'a>,
    person_id: Option<&'a str>,
    /// The texts whose words find the record, borrowed.
    texts: [Option<&'a str>; 4],
    /// Words already normalised, space-separated (an article's body).
    words: &'a str,
    sort: String,
    /// The first and last day its date covers: a partial date's span.
    span: [jiff::civil::Date; 2],
}

#[derive(Serialize)]
struct Manifest<'a> {
    version: u32,
    records: usize,
    chunk: usize,
    key_letters: usize,
    /// `[newest, oldest]` day of each record chunk: the last day any of its
    /// records' dates covers, and the first.
    dates: Vec<[String; 2]>,
    /// Word-chunk keys that exist.
    keys: Vec<String>,
    /// Person id → name, for the person filter.
    people: BTreeMap<&'a str, &'a str>,
}

/// The index files (paths relative to the output directory, bytes).
pub(crate) fn files(site: &Site) -> Vec<(String, Vec<u8>)> {
    let mut entries = entries(site);
    entries.sort_by(|a, b| {
        b.sort
            .cmp(&a.sort)
            .then_with(|| a.record.url.cmp(&b.record.url))
    });
    let words = word_chunks(&entries);
    let mut files = Vec::with_capacity(words.len() + entries.len() / CHUNK + 8);
    let mut people: BTreeMap<&str, Vec<u32>> = BTreeMap::new();
    for (id, entry) in entries.iter().enumerate() {
        if let Some(person) = entry.person_id {
            people.entry(person).or_default().push(id as u32);
        }
    }
    for (person, ids) in &people {
        files.push((format!("{DIR}/p/{person}.json"), json(ids)));
    }
    let mut dates = Vec::new();
    for (n, chunk) in entries.chunks(CHUNK).enumerate() {
        let records: Vec<&Record> = chunk.iter().map(|e| &e.record).collect();
        files.push((format!("{DIR}/r/{n}.json"), json(&records)));
        let newest = chunk.iter().map(|e| e.span[1]).max();
        let oldest = chunk.iter().map(|e| e.span[0]).min();
        let day = |date: Option<jiff::civil::Date>| date.map(|d| d.to_string()).unwrap_or_default();
        dates.push([day(newest), day(oldest)]);
    }
    let manifest = Manifest {
        version: 1,
        records: entries.len(),
        chunk: CHUNK,
        key_letters: KEY_LETTERS,
        dates,
        keys: words.iter().map(|(key, _)| key.clone()).collect(),
        people: people
            .keys()
            .filter_map(|id| site.people.get(*id).map(|p| (*id, p.name.as_str())))
            .collect(),
    };
    files.extend(
        words
            .into_iter()
            .map(|(key, bytes)| (format!("{DIR}/w/{}.json", file_key(&key)), bytes)),
    );
    files.push((format!("{DIR}/index.json"), json(&manifest)));
    files.sort_by(|a, b| a.0.cmp(&b.0));
    files
}

fn entries(site: &Site) -> Vec<Entry<'_>> {
    // URLs from the site root: the search page adds the root it is served
    // under, so the index works under a sub-path and on a preview host.
    let urls = &Urls::new("/");
    site.articles
        .par_iter()
        .flat_map_iter(|article| {
            let url = urls.article(&article.slug);
            let statements = article
                .statements
                .iter()
                .map(move |s| statement_entry(site, article, s, urls));
            std::iter::once(article_entry(article, url)).chain(statements)
        })
        .collect()
}

fn article_entry(article: &Article, url: String) -> Entry<'_> {
    Entry {
        texts: [Some(&article.title), Some(&article.summary), None, None],
        words: &article.body_words,
        sort: article.date.to_string(),
        span: [article.date.date, article.date.last_day()],
        person_id: None,
        record: Record {
            url,
            title: &article.title,
            date: article.date.calendar().to_owned(),
            kind: "article",
            person: None,
            article: None,
            text: excerpt(&article.summary),
            lang: None,
        },
    }
}

fn statement_entry<'a>(
    site: &'a Site,
    article: &'a Article,
    statement: &'a Statement,
    urls: &Urls,
) -> Entry<'a> {
    let name = site
        .people
        .get(&statement.person)
        .map_or(statement.person.as_str(), |p| p.name.as_str());
    let said = statement.words.text();
    Entry {
        texts: [
            Some(said),
            statement.translation.as_deref(),
            statement.context.as_deref(),
            Some(name),
        ],
        words: "",
        sort: statement.date.to_string(),
        span: [statement.date.date, statement.date.last_day()],
        person_id: Some(&statement.person),
        record: Record {
            url: format!("{}#{}", urls.article(&article.slug), statement.id),
            title: &article.title,
            date: statement.date.calendar().to_owned(),
            kind: statement.words.kind(),
            person: Some(name),
            article: Some(&article.title),
            text: excerpt(said),
            lang: statement.lang.as_deref(),
        },
    }
}

/// Word chunks, keyed by the words' first letters: `(key, JSON bytes)`.
/// Each word maps to the ascending ids of the records that contain it.
fn word_chunks(entries: &[Entry]) -> Vec<(String, Vec<u8>)> {
    // FNV: the keys are short words, for which SipHash's setup dominates.
    let postings: FnvHashMap<String, Vec<u32>> = entries
        .par_iter()
        .enumerate()
        .fold(
            FnvHashMap::default,
            |mut postings: FnvHashMap<String, Vec<u32>>, (id, entry)| {
                let id = id as u32;
                let mut add = |word: &str| match postings.get_mut(word) {
                    // A record's words are consecutive: its id is last.
                    Some(ids) if ids.last() == Some(&id) => {}
                    Some(ids) => ids.push(id),
                    None => {
                        postings.insert(word.to_owned(), vec![id]);
                    }
                };
                for text in entry.texts.iter().flatten() {
                    words::each(text, &mut add);
                }
                entry
                    .words
                    .split(' ')
                    .filter(|w| !w.is_empty())
                    .for_each(add);
                postings
            },
        )
        .reduce(FnvHashMap::default, |mut a, b| {
            for (word, ids) in b {
                a.entry(word).or_default().extend(ids);
            }
            a
        });
    let mut chunks: BTreeMap<String, BTreeMap<String, Vec<u32>>> = BTreeMap::new();
    for (word, mut ids) in postings {
        ids.sort_unstable();
        let key: String = word.chars().take(KEY_LETTERS).collect();
        chunks.entry(key).or_default().insert(word, ids);
    }
    chunks
        .into_par_iter()
        .map(|(key, words)| (key, json(&words)))
        .collect()
}

/// A chunk key as a file name: letters and digits as they are, anything
/// else (which a URL or file system could mangle) as its code point.
fn file_key(key: &str) -> String {
    key.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_string()
            } else {
                format!("_{:x}", c as u32)
            }
        })
        .collect()
}

fn excerpt(text: &str) -> String {
    match text.char_indices().nth(EXCERPT) {
        Some((end, _)) => format!("{}…", text[..end].trim_end()),
        None => text.to_owned(),
    }
}

fn json<T: Serialize + ?Sized>(value: &T) -> Vec<u8> {
    // Serializing plain maps, vectors and strings cannot fail.
    serde_json::to_vec(value).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chunk_keys_are_safe_file_names() {
        assert_eq!(file_key("ab"), "ab");
        assert_eq!(file_key("ми"), "_43c_438");
        assert_eq!(file_key("u."), "u_2e");
    }

    #[test]
    fn excerpts_cut_on_characters() {
        let long = "й".repeat(EXCERPT + 5);
        let cut = excerpt(&long);
        assert_eq!(cut.chars().count(), EXCERPT + 1);
        assert!(cut.ends_with('…'));
    }
}
