//! The index of a language of `languages:`, made from the default
//! language's: the same records in the same order, less those
//! `untranslated: hide` leaves out. Most of an archive is untranslated and
//! shows the original's words in every language, so a language reads again
//! only the records whose texts differ (translated articles, pages and
//! statements, the statements of translated people) and takes every other
//! posting and filter list from the default's, renumbered.

use std::collections::BTreeMap;
use std::io;

use jiff::civil::Date;
use rayon::prelude::*;

use super::records::{Lens, Record, Texts};
use super::{
    DIR, Index, Lists, Placed, Posting, WordChunk, WordChunks, word_chunks, write_records,
};

/// An id in the default index of a record this language leaves out.
const NONE: u32 = u32::MAX;

/// One language's index, as it differs from the default's.
pub(super) struct Version<'a> {
    lens: Lens<'a>,
    /// `<code>/search-index`.
    pub(super) dir: String,
    /// The default index's id of each record this language keeps, in
    /// order: their positions here are this language's ids.
    kept: Vec<u32>,
    /// This language's id of each record of the default index, [`NONE`]
    /// where it is left out.
    ids: Vec<u32>,
    /// By default id, whether the record's words differ here: then its
    /// postings are in `added`, none taken from the default's.
    replaced: Vec<bool>,
    /// The postings of the records whose words differ, by this language's
    /// ids.
    added: WordChunks,
}

impl<'a> Version<'a> {
    /// The index `lens` sees of the default's records, `placed`, in their
    /// order, as `default` sees them.
    pub(super) fn new(lens: Lens<'a>, default: &Lens<'a>, placed: &[Placed<'a>]) -> Version<'a> {
        let dir = format!("{}/{DIR}", lens.code().unwrap_or_default());
        // Each record's texts here, and whether they are the default's.
        let texts: Vec<Option<(Texts<'a>, bool)>> = (placed.par_iter())
            .map(|p| {
                let texts = lens.texts(p.origin)?;
                let differs = !default.texts(p.origin).is_some_and(|d| texts.same(&d));
                Some((texts, differs))
            })
            .collect();
        let mut version = Version {
            lens,
            dir,
            kept: Vec::new(),
            ids: Vec::with_capacity(placed.len()),
            replaced: Vec::with_capacity(placed.len()),
            added: WordChunks::new(),
        };
        let mut changed = Vec::new();
        for (old, texts) in texts.into_iter().enumerate() {
            let Some((texts, differs)) = texts else {
                version.ids.push(NONE);
                version.replaced.push(false);
                continue;
            };
            let id = version.kept.len() as u32;
            version.ids.push(id);
            version.kept.push(old as u32);
            version.replaced.push(differs);
            if differs {
                changed.push((id, texts));
            }
        }
        version.added = word_chunks(changed.into_par_iter());
        version
    }

    /// The index, its record chunks written (their paths added to
    /// `paths`), with the default's filter lists, `lists`, as this
    /// language has them.
    pub(super) fn index(
        &self,
        placed: &[Placed<'a>],
        lists: &Lists<'a>,
        emit: &super::Emit<'_>,
        paths: &mut Vec<String>,
    ) -> io::Result<Index<'a>> {
        let chunk = |range: std::ops::Range<usize>| -> Vec<(Record<'a>, Option<[Date; 2]>)> {
            (self.kept[range].iter())
                .filter_map(|&old| {
                    let p = &placed[old as usize];
                    Some((self.lens.record(p.origin)?, p.span))
                })
                .collect()
        };
        let (written, dates) = write_records(&self.dir, self.kept.len(), chunk, emit)?;
        paths.extend(written);
        let default = self.lens.default_language();
        Ok(Index {
            dir: self.dir.clone(),
            records: self.kept.len(),
            // Dated records come first, as in the default index.
            dated: (self.kept).partition_point(|&old| placed[old as usize].span.is_some()),
            dates,
            lists: self.lists(lists),
            originals: BTreeMap::from([(default, crate::render::autonym(default))]),
        })
    }

    /// The default index's filter lists, `default`, renumbered, with the
    /// names their options show in this language; a value none of its
    /// records keeps has none.
    fn lists(&self, default: &Lists<'a>) -> Lists<'a> {
        (default.iter())
            .filter_map(|(&(filter, value), &(name, ref ids))| {
                let ids: Vec<u32> = (ids.iter())
                    .map(|&old| self.ids[old as usize])
                    .filter(|&id| id != NONE)
                    .collect();
                let name = self.lens.value(filter, value, name).name;
                (!ids.is_empty()).then_some(((filter, value), (name, ids)))
            })
            .collect()
    }

    /// Its own records' words, put in other chunks by `rekey`.
    pub(super) fn rekey(&mut self, rekey: impl FnOnce(WordChunks) -> WordChunks) {
        self.added = rekey(std::mem::take(&mut self.added));
    }

    /// The keys of the chunks its own records' words make.
    pub(super) fn added_keys(&self) -> impl Iterator<Item = &str> {
        self.added.keys().map(String::as_str)
    }

    /// Its word chunk `key`: the default's (`default`), renumbered, without
    /// the records whose words differ here, with theirs.
    pub(super) fn words<'w>(
        &'w self,
        key: &str,
        default: Option<&'w WordChunk>,
    ) -> BTreeMap<&'w str, Vec<Posting>> {
        let mut words = BTreeMap::new();
        for (word, postings) in default.into_iter().flatten() {
            let kept: Vec<Posting> = postings.iter().filter_map(|p| self.reused(*p)).collect();
            if !kept.is_empty() {
                words.insert(word.as_str(), kept);
            }
        }
        for (word, added) in self.added.get(key).into_iter().flatten() {
            let list: &mut Vec<Posting> = words.entry(word.as_str()).or_default();
            *list = merged(list, added);
        }
        words
    }

    /// A default index's posting as this language has it, if it does.
    fn reused(&self, posting: Posting) -> Option<Posting> {
        let old = posting.id as usize;
        let id = self.ids[old];
        (id != NONE && !self.replaced[old]).then_some(Posting { id, ..posting })
    }
}

/// Two ascending lists of postings of different records as one.
fn merged(a: &[Posting], b: &[Posting]) -> Vec<Posting> {
    let mut merged = Vec::with_capacity(a.len() + b.len());
    let (mut a, mut b) = (a.iter().peekable(), b.iter().peekable());
    while let (Some(x), Some(y)) = (a.peek(), b.peek()) {
        let next = if x.id < y.id { a.next() } else { b.next() };
        merged.extend(next.copied());
    }
    merged.extend(a.chain(b).copied());
    merged
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn postings_merge_in_id_order() {
        let p = |id, shown| Posting { id, shown };
        assert_eq!(
            merged(
                &[p(1, false), p(5, true)],
                &[p(0, true), p(3, false), p(9, false)]
            ),
            [
                p(0, true),
                p(1, false),
                p(3, false),
                p(5, true),
                p(9, false)
            ]
        );
    }
}
