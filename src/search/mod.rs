//! The search index behind `/search/`: every article and statement as a
//! record, written in small JSON chunks at build time so searching needs no
//! server and a browser downloads only the chunks a query touches.
//!
//! Layout under `/search-index/` (see docs/ARCHITECTURE.md for why not pagefind):
//! - `index.json`: the manifest — record count, chunk size, the date range
//!   of every record chunk, the word-chunk names, and each filter's values
//!   with the names the form shows;
//! - `w/<key>.json`: words starting with `key` (their first two letters),
//!   each with the ids of the records containing it, written `-1 - id`
//!   (negative) where the word is in what the result shows (a title, a
//!   summary, the words said, the speaker), which is what sorting by
//!   relevance counts;
//! - `r/<n>.json`: records `n * CHUNK ..`, what a result shows, with its
//!   date as the site writes it;
//! - `f/<filter>/<value>.json`: the ids of the records a filter's value
//!   keeps (`person`, `publisher`, `topic`, `place`, `kind` of record,
//!   `source` kind), as gaps from the previous id: a browser fetches one
//!   only when its filter is used, and the gaps of a dense list are a digit
//!   or two where its ids would be five.
//!
//! Record ids follow date order, newest first, so a date range is a range of
//! ids and the first ids of any match are its newest results. Pages of
//! `content/pages/` (about, methodology) have no date: their records come
//! after every dated one (ids from `dated` on), outside any date range and
//! every filter.

use std::collections::BTreeMap;
use std::io;

use fnv::FnvHashMap;
use rayon::prelude::*;
use serde::Serialize;

use crate::content::{Article, Label, Site, SitePage, Source, SourceKind, Statement, Words};
use crate::dates::Dates;
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
/// Characters of a statement or summary a record keeps. More than a result
/// shows (static/search.js shows 280), so that a word found past the start
/// can be shown in its context.
const EXCERPT: usize = 400;

/// What a search result shows.
#[derive(Serialize)]
struct Record<'a> {
    /// URL from the site root (the page adds the root).
    url: String,
    title: &'a str,
    /// None for a page of `content/pages/`.
    #[serde(skip_serializing_if = "Option::is_none")]
    date: Option<String>,
    /// The date as every page of the site writes it ([`Dates::long`]).
    #[serde(skip_serializing_if = "Option::is_none")]
    when: Option<String>,
    /// `article`, `quote`, `paraphrase` or `page`.
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

/// A record before numbering: its words, filter values and sort date
/// alongside.
struct Entry<'a> {
    record: Record<'a>,
    /// The filter values that keep the record.
    filters: Vec<Value<'a>>,
    /// The texts a result shows (title and text, or speaker and words):
    /// their words count for relevance.
    shown: [Option<&'a str>; 2],
    /// More texts whose words find the record (a translation, a context).
    texts: [Option<&'a str>; 2],
    /// Words already normalised, space-separated (an article's body).
    words: &'a str,
    /// Dated records first, newest first; then pages, in the order of the
    /// site navigation.
    sort: Sort<'a>,
    /// The first and last day its date covers (a partial date's span);
    /// none for a page.
    span: Option<[jiff::civil::Date; 2]>,
}

/// What a search can be narrowed to, besides words and dates: one form
/// field, URL parameter and folder under `f/` each.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Filter {
    Person,
    /// A statement's source's; any of an article's sources'.
    Publisher,
    /// An article's topics and places are its statements' too.
    Topic,
    Place,
    /// Of record: article, quote or paraphrase.
    Kind,
    /// Of source (official, news…): a statement's source, any of an
    /// article's.
    Source,
}

impl Filter {
    /// The form field's name, and the folder of its id lists.
    fn name(self) -> &'static str {
        match self {
            Filter::Person => "person",
            Filter::Publisher => "publisher",
            Filter::Topic => "topic",
            Filter::Place => "place",
            Filter::Kind => "kind",
            Filter::Source => "source",
        }
    }
}

/// A filter's value on a record.
#[derive(Clone, Copy)]
struct Value<'a> {
    filter: Filter,
    /// A slug or id, checked when parsed: the list's file name.
    value: &'a str,
    /// What its option in the form shows.
    name: &'a str,
}

impl<'a> Value<'a> {
    fn new(filter: Filter, value: &'a str, name: &'a str) -> Self {
        Value {
            filter,
            value,
            name,
        }
    }

    fn label(filter: Filter, label: &'a Label) -> Self {
        Value::new(filter, &label.slug, &label.name)
    }
}

/// A filter value's records: the name its option shows and their ids,
/// ascending.
type Lists<'a> = BTreeMap<(Filter, &'a str), (&'a str, Vec<u32>)>;

/// Where a record sorts: by its date, newest first, or, undated, after
/// every dated one.
#[derive(PartialEq, Eq, PartialOrd, Ord)]
enum Sort<'a> {
    Dated(std::cmp::Reverse<String>),
    Undated(i32, &'a str),
}

#[derive(Serialize)]
struct Manifest<'a> {
    version: u32,
    records: usize,
    /// Records with a date: ids from here on are undated (pages).
    dated: usize,
    chunk: usize,
    key_letters: usize,
    /// `[newest, oldest]` day of each record chunk: the last day any of its
    /// records' dates covers, and the first.
    dates: Vec<[String; 2]>,
    /// Word-chunk keys that exist.
    keys: Vec<String>,
    /// Filter name → value → the name its option shows.
    filters: BTreeMap<&'static str, BTreeMap<&'a str, &'a str>>,
}

/// Hands each file of the index to `emit` as it is made (its path relative
/// to the output directory, its bytes); returns their paths, sorted.
pub(crate) fn write(site: &Site, dates: &Dates, emit: &Emit<'_>) -> io::Result<Vec<String>> {
    let mut entries = entries(site, dates);
    entries.sort_by(|a, b| (a.sort.cmp(&b.sort)).then_with(|| a.record.url.cmp(&b.record.url)));
    let dated = entries.iter().filter(|e| e.record.date.is_some()).count();
    let mut paths = Vec::new();
    let mut put = |path: String, bytes: Vec<u8>| -> io::Result<()> {
        emit_named(emit, &path, &bytes)?;
        paths.push(path);
        Ok(())
    };
    let words = word_chunks(&entries);
    let lists = filter_lists(&entries);
    for ((filter, value), (_, ids)) in &lists {
        put(
            format!("{DIR}/f/{}/{value}.json", filter.name()),
            json(&gaps(ids)),
        )?;
    }
    let mut dates = Vec::new();
    for (n, chunk) in entries.chunks(CHUNK).enumerate() {
        let records: Vec<&Record> = chunk.iter().map(|e| &e.record).collect();
        put(format!("{DIR}/r/{n}.json"), json(&records))?;
        // The span of the chunk's dated records; a chunk of pages alone
        // has none.
        let spans = || chunk.iter().filter_map(|e| e.span);
        let newest = spans().map(|span| span[1]).max();
        let oldest = spans().map(|span| span[0]).min();
        let day = |date: Option<jiff::civil::Date>| date.map(|d| d.to_string()).unwrap_or_default();
        dates.push([day(newest), day(oldest)]);
    }
    let manifest = Manifest {
        version: 3,
        records: entries.len(),
        dated,
        chunk: CHUNK,
        key_letters: KEY_LETTERS,
        dates,
        keys: words.keys().cloned().collect(),
        filters: options(&lists),
    };
    paths.extend(write_word_chunks(words, emit)?);
    emit_named(emit, &format!("{DIR}/index.json"), &json(&manifest))?;
    paths.push(format!("{DIR}/index.json"));
    paths.sort();
    Ok(paths)
}

/// Where [`write`] puts each file of the index as it is made: at 100,000
/// articles the index is hundreds of megabytes, too much to hold until the
/// pages are done.
pub(crate) type Emit<'a> = dyn Fn(&str, &[u8]) -> io::Result<()> + Sync + 'a;

/// The records each filter value keeps. Values are slugs and ids the
/// parser checked, safe as file names; an empty one (a name of punctuation
/// alone) has no page either, and no list.
fn filter_lists<'a>(entries: &[Entry<'a>]) -> Lists<'a> {
    let mut lists = Lists::new();
    for (id, entry) in entries.iter().enumerate() {
        let id = id as u32;
        for v in entry.filters.iter().filter(|v| !v.value.is_empty()) {
            let (_, ids) = lists
                .entry((v.filter, v.value))
                .or_insert_with(|| (v.name, Vec::new()));
            // An article with two sources of one publisher is listed once.
            if ids.last() != Some(&id) {
                ids.push(id);
            }
        }
    }
    lists
}

/// Each filter's values with the names the form shows.
fn options<'a>(lists: &Lists<'a>) -> BTreeMap<&'static str, BTreeMap<&'a str, &'a str>> {
    let mut options: BTreeMap<&'static str, BTreeMap<&str, &str>> = BTreeMap::new();
    for ((filter, value), (name, _)) in lists {
        options
            .entry(filter.name())
            .or_default()
            .insert(value, name);
    }
    options
}

fn record_kind_name(words: &Words) -> &'static str {
    match words {
        Words::Quote(_) => "Quotes",
        Words::Paraphrase(_) => "Paraphrases",
    }
}

fn source_kind_name(kind: SourceKind) -> &'static str {
    match kind {
        SourceKind::Official => "Official",
        SourceKind::Social => "Social media",
        SourceKind::News => "News",
        SourceKind::Report => "Report",
        SourceKind::Other => "Other",
    }
}

/// Ascending ids as gaps from the one before (the first from 0).
fn gaps(ids: &[u32]) -> Vec<u32> {
    let mut previous = 0;
    ids.iter()
        .map(|&id| {
            let gap = id - previous;
            previous = id;
            gap
        })
        .collect()
}

fn entries<'a>(site: &'a Site, dates: &Dates) -> Vec<Entry<'a>> {
    // URLs from the site root: the search page adds the root it is served
    // under, so the index works under a sub-path and on a preview host.
    let urls = &Urls::new("/");
    let mut entries: Vec<Entry> = site
        .articles
        .par_iter()
        .flat_map_iter(|article| {
            let url = urls.article(&article.slug);
            let statements = article
                .statements
                .iter()
                .map(move |s| statement_entry(site, article, s, urls, dates));
            std::iter::once(article_entry(article, url, dates)).chain(statements)
        })
        .collect();
    entries.extend(site.pages.iter().map(|page| page_entry(page, urls)));
    entries
}

fn page_entry<'a>(page: &'a SitePage, urls: &Urls) -> Entry<'a> {
    Entry {
        shown: [Some(&page.title), Some(&page.summary)],
        texts: [None, None],
        words: &page.body_words,
        sort: Sort::Undated(page.weight, &page.title),
        span: None,
        filters: Vec::new(),
        record: Record {
            url: urls.page(&page.slug),
            title: &page.title,
            date: None,
            when: None,
            kind: "page",
            person: None,
            article: None,
            text: excerpt(&page.summary),
            lang: None,
        },
    }
}

/// The filter values an article's records share: its topics and places.
fn article_filters(article: &Article) -> impl Iterator<Item = Value<'_>> {
    let topics = article
        .topics
        .iter()
        .map(|t| Value::label(Filter::Topic, t));
    topics.chain(
        article
            .places
            .iter()
            .map(|p| Value::label(Filter::Place, p)),
    )
}

/// The filter values a source gives the records citing it.
fn source_filters(source: &Source) -> [Value<'_>; 2] {
    let kind = source.kind;
    [
        Value::label(Filter::Publisher, &source.publisher),
        Value::new(Filter::Source, kind.as_str(), source_kind_name(kind)),
    ]
}

fn article_entry<'a>(article: &'a Article, url: String, dates: &Dates) -> Entry<'a> {
    let sources = article.sources.iter().flat_map(source_filters);
    let mut filters: Vec<Value> = article_filters(article).chain(sources).collect();
    filters.push(Value::new(Filter::Kind, "article", "Articles"));
    Entry {
        shown: [Some(&article.title), Some(&article.summary)],
        texts: [None, None],
        words: &article.body_words,
        sort: Sort::Dated(std::cmp::Reverse(article.date.to_string())),
        span: Some([article.date.date, article.date.last_day()]),
        filters,
        record: Record {
            url,
            title: &article.title,
            date: Some(article.date.calendar().to_owned()),
            when: Some(dates.long(&article.date)),
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
    dates: &Dates,
) -> Entry<'a> {
    let name = site
        .people
        .get(&statement.person)
        .map_or(statement.person.as_str(), |p| p.name.as_str());
    let said = statement.words.text();
    let kind = statement.words.kind();
    let mut filters: Vec<Value> = article_filters(article).collect();
    filters.extend([
        Value::new(Filter::Person, &statement.person, name),
        Value::new(Filter::Kind, kind, record_kind_name(&statement.words)),
    ]);
    let source = article.sources.get(statement.source);
    filters.extend(source.into_iter().flat_map(source_filters));
    Entry {
        shown: [Some(said), Some(name)],
        texts: [
            statement.translation.as_deref(),
            statement.context.as_deref(),
        ],
        words: "",
        sort: Sort::Dated(std::cmp::Reverse(statement.date.to_string())),
        span: Some([statement.date.date, statement.date.last_day()]),
        filters,
        record: Record {
            url: format!("{}#{}", urls.article(&article.slug), statement.id),
            title: &article.title,
            date: Some(statement.date.calendar().to_owned()),
            when: Some(dates.long(&statement.date)),
            kind,
            person: Some(name),
            article: Some(&article.title),
            text: excerpt(said),
            lang: statement.lang.as_deref(),
        },
    }
}

/// One record holding one word: its id, and whether the word is in what
/// the result shows.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct Posting {
    id: u32,
    shown: bool,
}

impl Serialize for Posting {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let id = i64::from(self.id);
        serializer.serialize_i64(if self.shown { -1 - id } else { id })
    }
}

/// Word chunks, keyed by the words' first letters: `(key, JSON bytes)`.
/// Each word maps to the ascending ids of the records that contain it.
fn word_chunks(entries: &[Entry]) -> WordChunks {
    // FNV: the keys are short words, for which SipHash's setup dominates.
    let postings: FnvHashMap<String, Vec<Posting>> = entries
        .par_iter()
        .enumerate()
        .fold(
            FnvHashMap::default,
            |mut postings: FnvHashMap<String, Vec<Posting>>, (id, entry)| {
                let (id, shown) = (id as u32, true);
                // Shown texts first, so that a word they hold is marked
                // shown even if the body has it too.
                for text in entry.shown.iter().flatten() {
                    words::each(text, |w| add(&mut postings, w, Posting { id, shown }));
                }
                let other = Posting { id, shown: false };
                for text in entry.texts.iter().flatten() {
                    words::each(text, |w| add(&mut postings, w, other));
                }
                entry
                    .words
                    .split(' ')
                    .filter(|w| !w.is_empty())
                    .for_each(|w| add(&mut postings, w, other));
                postings
            },
        )
        .reduce(FnvHashMap::default, |mut a, b| {
            for (word, ids) in b {
                a.entry(word).or_default().extend(ids);
            }
            a
        });
    let mut chunks: WordChunks = BTreeMap::new();
    for (word, mut ids) in postings {
        ids.sort_unstable();
        let key: String = word.chars().take(KEY_LETTERS).collect();
        chunks.entry(key).or_default().insert(word, ids);
    }
    chunks
}

/// Each chunk's words and their postings, by the chunk's key.
type WordChunks = BTreeMap<String, BTreeMap<String, Vec<Posting>>>;

/// Writes each word chunk as it is serialised, dropping its postings: the
/// whole index at once, as JSON beside its postings, was a few hundred
/// megabytes at 100,000 articles. Returns the paths written.
fn write_word_chunks(chunks: WordChunks, emit: &Emit<'_>) -> io::Result<Vec<String>> {
    chunks
        .into_par_iter()
        .map(|(key, words)| {
            let path = format!("{DIR}/w/{}.json", file_key(&key));
            emit_named(emit, &path, &json(&words))?;
            Ok(path)
        })
        .collect()
}

/// `emit`, with the path in its error: the caller sees only the index as a
/// whole.
fn emit_named(emit: &Emit<'_>, path: &str, bytes: &[u8]) -> io::Result<()> {
    emit(path, bytes).map_err(|e| io::Error::new(e.kind(), format!("{path}: {e}")))
}

/// Adds `posting` to `word`'s list unless its record has the word already.
fn add(postings: &mut FnvHashMap<String, Vec<Posting>>, word: &str, posting: Posting) {
    match postings.get_mut(word) {
        // A record's words are consecutive: its id is last.
        Some(ids) if ids.last().is_some_and(|p| p.id == posting.id) => {}
        Some(ids) => ids.push(posting),
        None => {
            postings.insert(word.to_owned(), vec![posting]);
        }
    }
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

    /// A dated record showing `shown`, with `body` as its article body.
    fn entry<'a>(shown: &'a str, body: &'a str, filters: &[Value<'a>]) -> Entry<'a> {
        Entry {
            record: Record {
                url: "/articles/a/".into(),
                title: shown,
                date: Some("2021-05-17".into()),
                when: Some("17 May 2021".into()),
                kind: "article",
                person: None,
                article: None,
                text: excerpt(shown),
                lang: None,
            },
            filters: filters.to_vec(),
            shown: [Some(shown), None],
            texts: [None, Some("context words")],
            words: body,
            sort: Sort::Undated(0, ""),
            span: None,
        }
    }

    #[test]
    fn filter_lists_hold_each_record_once_in_id_order_as_gaps() {
        use Filter::*;
        let wire = Value::new(Publisher, "wire", "The Wire");
        let article = Value::new(Kind, "article", "Articles");
        let entries = [
            entry("a", "", &[wire, wire, article]),
            entry(
                "b",
                "",
                &[
                    Value::new(Kind, "quote", "Quotes"),
                    Value::new(Topic, "", "?"),
                ],
            ),
            entry("c", "", &[wire, article]),
        ];
        let lists = filter_lists(&entries);
        let found: Vec<(&str, &str, Vec<u32>)> = lists
            .iter()
            .map(|((filter, value), (_, ids))| (filter.name(), *value, gaps(ids)))
            .collect();
        assert_eq!(
            found,
            [
                ("publisher", "wire", vec![0, 2]),
                ("kind", "article", vec![0, 2]),
                ("kind", "quote", vec![1]),
            ],
            "an empty value has no list"
        );
        assert_eq!(gaps(&[3, 4, 10, 200]), [3, 1, 6, 190]);
        assert_eq!(
            serde_json::to_value(options(&lists)).expect("json"),
            serde_json::json!({
                "kind": { "article": "Articles", "quote": "Quotes" },
                "publisher": { "wire": "The Wire" },
            })
        );
    }

    #[test]
    fn words_a_result_shows_are_marked_negative_for_relevance() {
        let entries = [
            entry("Talks resume", "talks went on", &[]),
            entry("Other news", "talks elsewhere", &[]),
            entry("Talks", "", &[]),
        ];
        let chunks: BTreeMap<String, serde_json::Value> = word_chunks(&entries)
            .into_iter()
            .map(|(key, words)| (key, serde_json::from_slice(&json(&words)).expect("json")))
            .collect();
        // -1 - id: records 0 and 2 show "talks", record 1 has it in its body.
        assert_eq!(chunks["ta"]["talks"], serde_json::json!([-1, 1, -3]));
        assert_eq!(chunks["co"]["context"], serde_json::json!([0, 1, 2]));
        assert_eq!(chunks["ne"]["news"], serde_json::json!([-2]));
    }
}
