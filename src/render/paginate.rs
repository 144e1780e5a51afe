//! Long lists split into numbered parts: a person's first statements at
//! `/people/x/`, the next at `/people/x/page/2/`, and so on (`paginate` in
//! annals.yaml; 0 keeps every list on one page).

use serde::Serialize;
use std::ops::Range;

/// Where a part sits among its siblings, for prev/next links.
#[derive(Debug, Serialize)]
pub(super) struct Pager {
    /// 1-based.
    pub number: usize,
    pub count: usize,
    pub first: String,
    pub previous: Option<String>,
    pub next: Option<String>,
    /// The numbered links shown: the first and last parts, those near this
    /// one, and milestones further away ([`is_milestone`]), with a gap
    /// (`number: None`) where parts are left out.
    pub links: Vec<PagerLink>,
}

#[derive(Debug, Serialize, PartialEq, Eq)]
pub(super) struct PagerLink {
    /// 1-based; `None` for a gap.
    pub number: Option<usize>,
    pub url: String,
    pub current: bool,
}

/// How many parts on each side of the current one the pager links.
const NEAR: usize = 2;

impl Pager {
    pub(super) fn new(url: &str, part: usize, count: usize) -> Pager {
        Pager {
            number: part + 1,
            count,
            first: url.to_owned(),
            previous: part.checked_sub(1).map(|p| part_url(url, p)),
            next: (part + 1 < count).then(|| part_url(url, part + 1)),
            links: links(url, part, count),
        }
    }
}

/// The first part, the last, those within [`NEAR`] of `part` and the
/// milestones, in order, a gap between any two that are not neighbours.
fn links(url: &str, part: usize, count: usize) -> Vec<PagerLink> {
    let shown = (0..count).filter(|&p| {
        p == 0 || p + 1 == count || p.abs_diff(part) <= NEAR || is_milestone(p + 1, part + 1)
    });
    let mut links = Vec::new();
    let mut last = None;
    for p in shown {
        if last.is_some_and(|l: usize| p > l + 1) {
            links.push(PagerLink {
                number: None,
                url: String::new(),
                current: false,
            });
        }
        links.push(PagerLink {
            number: Some(p + 1),
            url: part_url(url, p),
            current: p == part,
        });
        last = Some(p);
    }
    links
}

/// Whether part `number` is linked from part `here` (both 1-based) as a
/// milestone: every tenth part within fifty, every hundredth within five
/// hundred, and so on, so that any part of a list of hundreds (a topic of
/// 18,000 articles) is a few clicks away, not a hundred.
fn is_milestone(number: usize, here: usize) -> bool {
    let steps = std::iter::successors(Some(10_usize), |step| step.checked_mul(10));
    steps
        .take_while(|&step| step <= number)
        .any(|step| number.is_multiple_of(step) && number.abs_diff(here) <= 5 * step)
}

/// The URL of part `part` (0-based) of the page at `url`.
pub(super) fn part_url(url: &str, part: usize) -> String {
    match part {
        0 => url.to_owned(),
        _ => format!("{url}page/{}/", part + 1),
    }
}

/// The part (0-based) holding item `position` of a list.
pub(super) fn part_of(position: usize, per_part: usize) -> usize {
    position.checked_div(per_part).unwrap_or(0)
}

/// A run of neighbouring items of a list that share a key (the month of a
/// year's entries, the year of a person's statements): the key and the
/// positions it covers.
#[derive(Debug, PartialEq, Eq)]
pub(super) struct Run<K> {
    pub key: K,
    pub items: Range<usize>,
}

/// The runs of `keys`, one item's key each, in list order. Lists are
/// sorted by date, so each period is one run and a period's first
/// position says which part it starts in.
pub(super) fn runs<K: PartialEq>(keys: impl IntoIterator<Item = K>) -> Vec<Run<K>> {
    let mut runs: Vec<Run<K>> = Vec::new();
    for (position, key) in keys.into_iter().enumerate() {
        match runs.last_mut() {
            Some(last) if last.key == key => last.items.end = position + 1,
            _ => runs.push(Run {
                key,
                items: position..position + 1,
            }),
        }
    }
    runs
}

/// How many parts `items` make, at least one (an empty list still has a page).
pub(super) fn count(items: usize, per_part: usize) -> usize {
    match per_part {
        0 => 1,
        n => items.div_ceil(n).max(1),
    }
}

/// The items of part `part`.
pub(super) fn slice<T>(items: &[T], per_part: usize, part: usize) -> &[T] {
    if per_part == 0 {
        return items;
    }
    let start = (part * per_part).min(items.len());
    &items[start..(start + per_part).min(items.len())]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parts_cover_every_item_once() {
        let items: Vec<usize> = (0..25).collect();
        assert_eq!(count(items.len(), 10), 3);
        let joined: Vec<usize> = (0..3).flat_map(|p| slice(&items, 10, p).to_vec()).collect();
        assert_eq!(joined, items);
        assert_eq!(count(0, 10), 1);
        assert_eq!(count(25, 0), 1);
        assert_eq!(slice(&items, 0, 0).len(), 25);
    }

    #[test]
    fn runs_group_neighbours_and_say_where_each_starts() {
        let runs = runs([2019, 2019, 2020, 2021, 2021, 2021]);
        let starts: Vec<(i32, usize, usize)> = runs
            .iter()
            .map(|r| (r.key, r.items.start, r.items.len()))
            .collect();
        assert_eq!(starts, [(2019, 0, 2), (2020, 2, 1), (2021, 3, 3)]);
        assert_eq!(super::runs(Vec::<u8>::new()), []);
        assert_eq!(part_of(3, 2), 1);
        assert_eq!(part_of(3, 0), 0, "one part when lists are not split");
    }

    #[test]
    fn links_between_parts() {
        let pager = Pager::new("/people/x/", 1, 3);
        assert_eq!(pager.previous.as_deref(), Some("/people/x/"));
        assert_eq!(pager.next.as_deref(), Some("/people/x/page/3/"));
        assert!(Pager::new("/people/x/", 2, 3).next.is_none());
    }

    #[test]
    fn numbered_links_keep_the_ends_and_the_neighbours() {
        let numbers = |part, count| -> Vec<Option<usize>> {
            links("/y/", part, count).iter().map(|l| l.number).collect()
        };
        assert_eq!(
            numbers(6, 34),
            [
                Some(1),
                None,
                Some(5),
                Some(6),
                Some(7),
                Some(8),
                Some(9),
                Some(10),
                None,
                Some(20),
                None,
                Some(30),
                None,
                Some(34)
            ]
        );
        assert_eq!(numbers(0, 3), [Some(1), Some(2), Some(3)]);
        assert_eq!(numbers(1, 5), [Some(1), Some(2), Some(3), Some(4), Some(5)]);
        // A list of 361 parts, as a topic of 18,000 articles: tens nearby,
        // hundreds further; part 180 is three clicks from the first.
        let shown = |part| -> Vec<usize> { numbers(part, 361).into_iter().flatten().collect() };
        assert_eq!(shown(0), [1, 2, 3, 10, 20, 30, 40, 50, 100, 200, 300, 361]);
        assert!(shown(99).contains(&150) && shown(149).contains(&180));
        let current: Vec<bool> = links("/y/", 3, 5).iter().map(|l| l.current).collect();
        assert_eq!(current, [false, false, false, true, false]);
    }
}
