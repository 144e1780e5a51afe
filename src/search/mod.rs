//! The search index behind `/search/`: every article and statement as a
//! record, written in small JSON chunks at build time so searching needs no
//! server and a browser downloads only the chunks a query touches.
//!
//! Layout under `/search-index/` (see docs/ARCHITECTURE.md for why not pagefind):
//! - `index.json`: the manifest — record count, chunk size, the date range
//!   of every record chunk, the word-chunk names, and each filter's values
//!   with the names the form shows;
//! - `w/<key>.json.gz`: words starting with `key` (their first two letters),
//!   each with the ids of the records containing it, written `-1 - id`
//!   (negative) where the word is in what the result shows (a title, a
//!   summary, the words said, the speaker), which is what sorting by
//!   relevance counts;
//! - `r/<n>.json.gz`: records `n * CHUNK ..`, what a result shows, with its
//!   date as the site writes it;
//! - `f/<filter>/<value>.json.gz`: the ids of the records a filter's value
//!   keeps (`person`, `publisher`, `topic`, `place`, `kind` of record,
//!   `source` kind), as gaps from the previous id: a browser fetches one
//!   only when its filter is used, and the gaps of a dense list are a digit
//!   or two where its ids would be five.
//!
//! Every file but the manifest is gzipped JSON: the index was about a
//! sixteenth of what a site writes, and compressed it is under a third of
//! that on the host's disk, counted against its quota. The browser reads each
//! with `DecompressionStream`; a host that sends them with
//! `Content-Encoding: gzip` has the browser decompress them first, which
//! `static/search.js` tells apart by gzip's first two bytes.
//!
//! Record ids follow date order, newest first, so a date range is a range of
//! ids and the first ids of any match are its newest results. Pages of
//! `content/pages/` (about, methodology) have no date: their records come
//! after every dated one (ids from `dated` on), outside any date range and
//! every filter.

mod language;
mod records;

use std::collections::{BTreeMap, BTreeSet};
use std::io::{self, Write};
use std::ops::Range;
use std::sync::Arc;

use flate2::Compression;
use flate2::write::GzEncoder;
use fnv::FnvHashMap;
use jiff::civil::Date;
use rayon::prelude::*;
use serde::Serialize;

use crate::config::Config;
use crate::content::{Label, Moment, Site};
use crate::i18n::Ui;
use crate::words;
use language::Version;
use records::{Lens, Origin, Record, Texts};

/// The output directory of the default language's index, below the site
/// root; another language's is below its `/<code>/`.
pub(crate) const DIR: &str = "search-index";

/// The output directories of a site's indexes: `search-index`, and
/// `<code>/search-index` for each language of `languages:`.
pub(crate) struct Dirs(Vec<String>);

impl Dirs {
    pub(crate) fn of(config: &Config) -> Dirs {
        let languages = config.languages.keys().map(|code| format!("{code}/{DIR}"));
        Dirs(std::iter::once(DIR.to_owned()).chain(languages).collect())
    }

    /// Whether an output path belongs to one of the indexes.
    pub(crate) fn owns(&self, path: &str) -> bool {
        self.0.iter().any(|dir| {
            path.strip_prefix(dir.as_str())
                .is_some_and(|rest| rest.starts_with('/'))
        })
    }

    pub(crate) fn iter(&self) -> impl Iterator<Item = &str> {
        self.0.iter().map(String::as_str)
    }
}

/// Records per `r/<n>.json.gz` chunk.
const CHUNK: usize = 200;
/// Letters of a word that name its chunk, at least.
const KEY_LETTERS: usize = 2;
/// About the most bytes a word chunk's JSON holds before it is split by
/// its words' next letter, up to [`MAX_KEY_LETTERS`]: a search of a word
/// loads its whole chunk, and a chunk per two letters grew with the
/// archive (`co`, 4.7 MB gzipped at 100,000 articles).
const CHUNK_BYTES: usize = 256 * 1024;
const MAX_KEY_LETTERS: usize = 5;

/// A record of the default language's index before numbering: what it is
/// of, and what orders it, which every language's index keeps. What it
/// shows, its words and its filters are read from the model again where
/// each is written: held for every record at once, they took over half a
/// gigabyte at 100,000 articles.
struct Placed<'a> {
    origin: Origin<'a>,
    /// Dated records first, newest first; then pages, in the order of the
    /// site navigation.
    sort: Sort<'a>,
    /// The first and last day its date covers (a partial date's span);
    /// none for a page.
    span: Option<[Date; 2]>,
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
/// every dated one; records alike in that by [`Tie`].
#[derive(PartialEq, Eq, PartialOrd, Ord)]
enum Sort<'a> {
    Dated(std::cmp::Reverse<String>, Tie<'a>),
    Undated(i32, &'a str, Tie<'a>),
}

/// Between records of one date, an order that is the same in every build:
/// by the article's slug (a page's), the article before its statements,
/// and those by id. No two records share one.
type Tie<'a> = (&'a str, Option<&'a str>);

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
    /// In another language's index, the language of the originals it
    /// shows untranslated (`original` of a record) → the name its label
    /// gives.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    languages: BTreeMap<&'a str, &'a str>,
}

/// One index before its words: its folder, records, date spans and
/// filters.
struct Index<'a> {
    dir: String,
    records: usize,
    dated: usize,
    dates: Vec<[String; 2]>,
    lists: Lists<'a>,
    /// For [`Manifest::languages`].
    originals: BTreeMap<&'a str, &'a str>,
}

/// Hands each file of the indexes — the default language's, and one per
/// language of `languages:` in the interface `ui` has for it — to `emit`
/// as it is made (its path relative to the output directory, its bytes);
/// returns their paths, sorted.
pub(crate) fn write(site: &Site, ui: &Arc<Ui>, emit: &Emit<'_>) -> io::Result<Vec<String>> {
    let lens = Lens::new(site, ui, None);
    let placed = placed(site);
    // Each other language starts from the default's records, words and
    // lists: only what it shows differently is read again.
    let mut versions: Vec<Version> = (site.config.languages.par_iter())
        .map(|(code, settings)| {
            let language = Some((code.as_str(), settings.untranslated));
            Version::new(Lens::new(site, ui.language(code), language), &lens, &placed)
        })
        .collect();
    let words = word_chunks(
        (placed.par_iter().enumerate())
            .filter_map(|(id, p)| Some((id as u32, lens.texts(p.origin)?))),
    );
    // Another language's words go in the chunks the default's split into,
    // which the merging of the two follows.
    let keys: BTreeSet<&str> = words.keys().map(String::as_str).collect();
    for version in &mut versions {
        version.rekey(|added| rekeyed(added, &keys));
    }
    let lists = filter_lists(placed.iter().map(|p| lens.filters(p.origin)));
    let mut paths = Vec::new();
    let others = (versions.iter())
        .map(|version| version.index(&placed, &lists, emit, &mut paths))
        .collect::<io::Result<Vec<Index>>>()?;
    let mut indexes = vec![default_index(&lens, &placed, lists, emit, &mut paths)?];
    indexes.extend(others);
    let (written, keys) = write_word_chunks(words, &versions, emit)?;
    paths.extend(written);
    for (index, keys) in indexes.into_iter().zip(keys) {
        paths.extend(write_lists(&index, emit)?);
        paths.extend(write_manifest(index, keys, emit)?);
    }
    paths.sort();
    Ok(paths)
}

/// The default language's index, its record chunks written (their paths
/// added to `paths`).
fn default_index<'a>(
    lens: &Lens<'a>,
    placed: &[Placed<'a>],
    lists: Lists<'a>,
    emit: &Emit<'_>,
    paths: &mut Vec<String>,
) -> io::Result<Index<'a>> {
    let records = |range: Range<usize>| -> Vec<(Record, Option<[Date; 2]>)> {
        (placed[range].iter())
            .filter_map(|p| Some((lens.record(p.origin)?, p.span)))
            .collect()
    };
    let (written, dates) = write_records(DIR, placed.len(), records, emit)?;
    paths.extend(written);
    Ok(Index {
        dir: DIR.to_owned(),
        records: placed.len(),
        dated: placed.iter().filter(|p| p.span.is_some()).count(),
        dates,
        lists,
        originals: BTreeMap::new(),
    })
}

/// Where [`write`] puts each file of the index as it is made: at 100,000
/// articles the index is hundreds of megabytes, too much to hold until the
/// pages are done.
pub(crate) type Emit<'a> = dyn Fn(&str, &[u8]) -> io::Result<()> + Sync + 'a;

/// Every record of the default language's index, in its order: every
/// article, statement and page (only another language leaves some out).
fn placed(site: &Site) -> Vec<Placed<'_>> {
    let articles = (site.articles.par_iter().enumerate()).flat_map_iter(|(a, article)| {
        let statements = (article.statements.iter()).map(move |s| Origin::Statement(a, s));
        std::iter::once(Origin::Article(a)).chain(statements)
    });
    let pages = (0..site.pages.len()).into_par_iter().map(Origin::Page);
    let mut placed: Vec<Placed> = (articles.chain(pages))
        .map(|origin| place(site, origin))
        .collect();
    placed.par_sort_unstable_by(|a, b| a.sort.cmp(&b.sort));
    placed
}

/// Where `origin` sorts.
fn place<'a>(site: &'a Site, origin: Origin<'a>) -> Placed<'a> {
    let dated = |moment: &Moment, tie| {
        let sort = Sort::Dated(std::cmp::Reverse(moment.to_string()), tie);
        (sort, Some([moment.date, moment.last_day()]))
    };
    let (sort, span) = match origin {
        Origin::Article(a) => {
            let article = &site.articles[a];
            dated(&article.date, (article.slug.as_str(), None))
        }
        Origin::Statement(a, statement) => {
            let tie = (site.articles[a].slug.as_str(), Some(statement.id.as_str()));
            dated(&statement.date, tie)
        }
        Origin::Page(p) => {
            let page = &site.pages[p];
            (
                Sort::Undated(page.weight, &page.title, (&page.slug, None)),
                None,
            )
        }
    };
    Placed { origin, sort, span }
}

/// Writes the record chunks of an index of `count` records, in parallel:
/// `chunk` gives the records of a range of ids and their date spans.
/// Returns the paths written and each chunk's `[newest, oldest]` day.
fn write_records<'r, R: Serialize + 'r>(
    dir: &str,
    count: usize,
    chunk: impl Fn(Range<usize>) -> Vec<(R, Option<[Date; 2]>)> + Sync,
    emit: &Emit<'_>,
) -> io::Result<(Vec<String>, Vec<[String; 2]>)> {
    let written: Vec<(String, [String; 2])> = (0..count.div_ceil(CHUNK))
        .into_par_iter()
        .map(|n| {
            let (records, spans): (Vec<R>, Vec<_>) = chunk(n * CHUNK..count.min((n + 1) * CHUNK))
                .into_iter()
                .unzip();
            let path = format!("{dir}/r/{n}.json.gz");
            emit_named(emit, &path, &gzipped(&records))?;
            // The span of the chunk's dated records; a chunk of pages
            // alone has none.
            let spans = || spans.iter().flatten();
            let newest = spans().map(|span| span[1]).max();
            let oldest = spans().map(|span| span[0]).min();
            let day = |date: Option<Date>| date.map(|d| d.to_string()).unwrap_or_default();
            Ok((path, [day(newest), day(oldest)]))
        })
        .collect::<io::Result<_>>()?;
    Ok(written.into_iter().unzip())
}

/// Writes the id lists of an index's filter values; returns their paths.
fn write_lists(index: &Index, emit: &Emit<'_>) -> io::Result<Vec<String>> {
    let mut paths = Vec::new();
    for ((filter, value), (_, ids)) in &index.lists {
        let path = format!("{}/f/{}/{value}.json.gz", index.dir, filter.name());
        emit_named(emit, &path, &gzipped(&gaps(ids)))?;
        paths.push(path);
    }
    Ok(paths)
}

/// Writes an index's manifest, last: a browser finding it finds every
/// file it names. Returns its path.
/// Writes the manifest, `index.json`, which every search reads, and the
/// filters' options, `filters.json.gz` (filter name → value → the name its
/// option shows), which the page reads when a filter is opened or used: a
/// list of every person, 370 KB at 100,000 articles, was in the manifest.
fn write_manifest(
    index: Index,
    keys: BTreeSet<String>,
    emit: &Emit<'_>,
) -> io::Result<[String; 2]> {
    let filters = format!("{}/filters.json.gz", index.dir);
    emit_named(emit, &filters, &gzipped(&options(&index.lists)))?;
    let manifest = Manifest {
        version: 5,
        records: index.records,
        dated: index.dated,
        chunk: CHUNK,
        key_letters: KEY_LETTERS,
        dates: index.dates,
        keys: keys.into_iter().collect(),
        languages: index.originals,
    };
    let path = format!("{}/index.json", index.dir);
    emit_named(emit, &path, &json(&manifest))?;
    Ok([path, filters])
}

/// The records each filter value keeps. Values are slugs and ids the
/// parser checked, safe as file names; an empty one (a name of punctuation
/// alone) has no page either, and no list.
/// `filters` gives each record's values, in id order.
fn filter_lists<'a>(filters: impl Iterator<Item = Vec<Value<'a>>>) -> Lists<'a> {
    let mut lists = Lists::new();
    for (id, values) in filters.enumerate() {
        let id = id as u32;
        for v in values.iter().filter(|v| !v.value.is_empty()) {
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

/// One record holding one word: its id, and whether the word is in what
/// the result shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
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

/// Word chunks, keyed by the words' first letters, of records given as
/// `(id, texts)`. Each word maps to the ascending ids of the records that
/// contain it.
fn word_chunks<'t>(entries: impl ParallelIterator<Item = (u32, Texts<'t>)>) -> WordChunks {
    // FNV: the keys are short words, for which SipHash's setup dominates.
    let postings: FnvHashMap<String, Vec<Posting>> = entries
        .fold(
            FnvHashMap::default,
            |mut postings: FnvHashMap<String, Vec<Posting>>, (id, texts)| {
                let shown = true;
                // Shown texts first, so that a word they hold is marked
                // shown even if the body has it too.
                for text in texts.shown.iter().flatten() {
                    words::each(text, |w| add(&mut postings, w, Posting { id, shown }));
                }
                let other = Posting { id, shown: false };
                let names = texts.names.iter().map(String::as_str);
                for text in texts.other.iter().flatten().copied().chain(names) {
                    words::each(text, |w| add(&mut postings, w, other));
                }
                texts
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
    let mut split = WordChunks::new();
    for (key, words) in chunks {
        split_into(&mut split, key, words);
    }
    split
}

/// Puts the chunk `key` of `words` into `chunks`, split by its words' next
/// letter while it is over [`CHUNK_BYTES`]. A word no longer than the key
/// stays under the key itself.
fn split_into(chunks: &mut WordChunks, key: String, words: WordChunk) {
    let letters = key.chars().count();
    let bytes: usize = (words.iter())
        .map(|(word, ids)| word.len() + 4 + 6 * ids.len())
        .sum();
    if bytes <= CHUNK_BYTES || letters >= MAX_KEY_LETTERS {
        chunks.insert(key, words);
        return;
    }
    let mut parts: BTreeMap<String, WordChunk> = BTreeMap::new();
    for (word, ids) in words {
        let part: String = word.chars().take(letters + 1).collect();
        parts.entry(part).or_default().insert(word, ids);
    }
    for (part, words) in parts {
        match part == key {
            true => {
                chunks.insert(part, words);
            }
            false => split_into(chunks, part, words),
        }
    }
}

/// `chunks` with each word under the longest of `keys` that starts it (the
/// default index's, which another language's words follow), else under
/// its first letters.
fn rekeyed(chunks: WordChunks, keys: &BTreeSet<&str>) -> WordChunks {
    let mut by_key = WordChunks::new();
    for (word, ids) in chunks.into_values().flatten() {
        let prefix = |n: usize| {
            word.char_indices()
                .nth(n)
                .map_or(word.as_str(), |(i, _)| &word[..i])
        };
        let key = (KEY_LETTERS..=MAX_KEY_LETTERS)
            .rev()
            .map(prefix)
            .find(|key| keys.contains(key))
            .unwrap_or_else(|| prefix(KEY_LETTERS))
            .to_owned();
        by_key.entry(key).or_default().insert(word, ids);
    }
    by_key
}

/// Each chunk's words and their postings, by the chunk's key.
type WordChunks = BTreeMap<String, WordChunk>;
/// A chunk's words and their postings.
type WordChunk = BTreeMap<String, Vec<Posting>>;

/// Writes each word chunk of the default language's index (`chunks`) and
/// of every other language's (made from it) as it is serialised, dropping
/// its postings: the whole index at once, as JSON beside its postings, was
/// a few hundred megabytes at 100,000 articles. Returns the paths written,
/// and the keys of each index's chunks, the default's first.
fn write_word_chunks(
    chunks: WordChunks,
    versions: &[Version],
    emit: &Emit<'_>,
) -> io::Result<(Vec<String>, Vec<BTreeSet<String>>)> {
    let mut all: BTreeMap<String, Option<WordChunk>> = chunks
        .into_iter()
        .map(|(key, words)| (key, Some(words)))
        .collect();
    for key in versions.iter().flat_map(Version::added_keys) {
        all.entry(key.to_owned()).or_insert(None);
    }
    let written: Vec<Vec<(usize, String, String)>> = all
        .into_par_iter()
        .map(|(key, words)| {
            let file = file_key(&key);
            let mut written = Vec::new();
            if let Some(words) = &words {
                let path = format!("{DIR}/w/{file}.json.gz");
                emit_named(emit, &path, &gzipped(words))?;
                written.push((0, key.clone(), path));
            }
            for (n, version) in versions.iter().enumerate() {
                let words = version.words(&key, words.as_ref());
                if !words.is_empty() {
                    let path = format!("{}/w/{file}.json.gz", version.dir);
                    emit_named(emit, &path, &gzipped(&words))?;
                    written.push((n + 1, key.clone(), path));
                }
            }
            Ok(written)
        })
        .collect::<io::Result<_>>()?;
    let mut paths = Vec::new();
    let mut keys = vec![BTreeSet::new(); versions.len() + 1];
    for (index, key, path) in written.into_iter().flatten() {
        keys[index].insert(key);
        paths.push(path);
    }
    Ok((paths, keys))
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

fn json<T: Serialize + ?Sized>(value: &T) -> Vec<u8> {
    // Serializing plain maps, vectors and strings cannot fail.
    serde_json::to_vec(value).unwrap_or_default()
}

/// `value` as gzipped JSON. The fastest level: at 10,000 articles it makes
/// 34 MB of chunks 8 MB, where the default level (6) makes them 6.9 MB in
/// four times the time. The header carries no time, so an unchanged chunk is
/// the same bytes and a warm build leaves its file alone.
fn gzipped<T: Serialize + ?Sized>(value: &T) -> Vec<u8> {
    // Serialized first: the encoder is several times slower fed serde's
    // many small writes. Writing to a vector cannot fail.
    let json = json(value);
    let mut gz = GzEncoder::new(Vec::with_capacity(json.len() / 3), Compression::fast());
    let _ = gz.write_all(&json);
    gz.finish().unwrap_or_default()
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
        use records::{EXCERPT, excerpt};
        let long = "й".repeat(EXCERPT + 5);
        let cut = excerpt(&long);
        assert_eq!(cut.chars().count(), EXCERPT + 1);
        assert!(cut.ends_with('…'));
        assert!(matches!(excerpt("short"), std::borrow::Cow::Borrowed(_)));
    }

    /// The texts of a record showing `shown`, with `body` as its article
    /// body.
    fn texts<'a>(shown: &'a str, body: &'a str) -> Texts<'a> {
        Texts {
            shown: [Some(shown), None],
            other: [None, Some("context words")],
            names: &[],
            words: body,
        }
    }

    #[test]
    fn filter_lists_hold_each_record_once_in_id_order_as_gaps() {
        use Filter::*;
        let wire = Value::new(Publisher, "wire", "The Wire");
        let article = Value::new(Kind, "article", "Articles");
        let records = [
            vec![wire, wire, article],
            vec![
                Value::new(Kind, "quote", "Quotes"),
                Value::new(Topic, "", "?"),
            ],
            vec![wire, article],
        ];
        let lists = filter_lists(records.into_iter());
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
    fn a_large_chunk_is_split_by_its_words_next_letters() {
        let few = || {
            vec![Posting {
                id: 0,
                shown: false,
            }]
        };
        let many = || (0..50_000).map(|id| Posting { id, shown: false }).collect();
        let words: WordChunk = [
            ("co", few()),
            ("cow", few()),
            ("council", many()),
            ("country", many()),
        ]
        .into_iter()
        .map(|(word, ids)| (word.to_owned(), ids))
        .collect();
        let mut chunks = WordChunks::new();
        split_into(&mut chunks, "co".to_owned(), words);
        let keys: Vec<&str> = chunks.keys().map(String::as_str).collect();
        // Each large word alone, at most five letters deep; the small
        // chunk of `cow` splits no further than it had to.
        assert_eq!(keys, ["co", "counc", "count", "cow"]);
        // Another language's words follow the same keys, else their first
        // letters.
        let added: WordChunks = BTreeMap::from([(
            "co".to_owned(),
            ["countess", "cousin", "council"]
                .map(|w| (w.to_owned(), few()))
                .into(),
        )]);
        let keys: BTreeSet<&str> = keys.into_iter().collect();
        let rekeyed = rekeyed(added, &keys);
        let placed: Vec<(&str, &str)> = (rekeyed.iter())
            .flat_map(|(key, words)| words.keys().map(move |w| (key.as_str(), w.as_str())))
            .collect();
        assert_eq!(
            placed,
            [
                ("co", "cousin"),
                ("counc", "council"),
                ("count", "countess")
            ]
        );
    }

    #[test]
    fn words_a_result_shows_are_marked_negative_for_relevance() {
        let records = [
            texts("Talks resume", "talks went on"),
            texts("Other news", "talks elsewhere"),
            texts("Talks", ""),
        ];
        let chunks: BTreeMap<String, serde_json::Value> =
            word_chunks((records.par_iter().enumerate()).map(|(id, texts)| (id as u32, *texts)))
                .into_iter()
                .map(|(key, words)| (key, serde_json::from_slice(&json(&words)).expect("json")))
                .collect();
        // -1 - id: records 0 and 2 show "talks", record 1 has it in its body.
        assert_eq!(chunks["ta"]["talks"], serde_json::json!([-1, 1, -3]));
        assert_eq!(chunks["co"]["context"], serde_json::json!([0, 1, 2]));
        assert_eq!(chunks["ne"]["news"], serde_json::json!([-2]));
    }
}
