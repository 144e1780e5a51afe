//! Integrity warnings over the model: things that parse and link but that a
//! careful editor would want to look at (an unused source, a quote also
//! attributed to someone else). Pure; `annals check` reports them, and
//! `--strict` makes them errors. `require_archive: error` in `annals.yaml`
//! makes one kind, a source without an archived copy, an error of every
//! build ([`errors`]).

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use crate::config::RequireArchive;
use crate::content::{Article, Moment, Person, Site, SourceKind, Words};
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::index::Index;
use crate::slug::slugify;

/// Every warning about `site`. `is_page` says whether a root-relative URL
/// path is a page or file of the built site (for links in bodies).
/// `today` (UTC) dates what is in the future.
pub(crate) fn warnings(
    site: &Site,
    index: &Index,
    is_page: &dyn Fn(&str) -> bool,
    today: jiff::civil::Date,
) -> Diagnostics {
    let mut warnings = Diagnostics::default();
    for article in &site.articles {
        dates_in_the_future(article, today, &mut warnings);
        sources_cited_by_nothing(article, &mut warnings);
        statement_dates(article, &mut warnings);
        changes_before_publication(article, &mut warnings);
        changed_without_a_note(article, &mut warnings);
        let links = &article.internal_links;
        links_to_no_page(
            &article.file,
            links,
            is_page,
            site.config.base_path(),
            &mut warnings,
        );
    }
    for page in &site.pages {
        let links = &page.internal_links;
        links_to_no_page(
            &page.file,
            links,
            is_page,
            site.config.base_path(),
            &mut warnings,
        );
    }
    let base = site.config.base_path();
    let translated = &site.translations;
    for t in translated.articles.values().flat_map(BTreeMap::values) {
        links_to_no_page(&t.file, &t.internal_links, is_page, base, &mut warnings);
    }
    for t in translated.pages.values().flat_map(BTreeMap::values) {
        links_to_no_page(&t.file, &t.internal_links, is_page, base, &mut warnings);
    }
    translations_behind(site, &mut warnings);
    people_without_statements(site, index, &mut warnings);
    quotes_attributed_twice(site, &mut warnings);
    urls_under_two_publishers(site, &mut warnings);
    aliases_naming_someone_else(site, &mut warnings);
    names_that_look_alike(site, &mut warnings);
    distinct_from_unknown_people(site, &mut warnings);
    direction_overrides(site, &mut warnings);
    if site.config.require_archive == RequireArchive::Warn {
        warnings.extend(missing_archives(site));
    }
    warnings
}

/// What the site's settings make errors of every build, `--strict` or not:
/// with `require_archive: error`, each source without an archived copy.
pub(crate) fn errors(site: &Site) -> Diagnostics {
    match site.config.require_archive {
        RequireArchive::Error => missing_archives(site).strict(),
        RequireArchive::Warn | RequireArchive::Off => Diagnostics::default(),
    }
}

fn warning(file: &Path, line: usize, message: String, hint: &str) -> Diagnostic {
    let mut diagnostic = Diagnostic::warning(file, message).with_hint(hint);
    if line > 0 {
        diagnostic = diagnostic.at_line(line);
    }
    diagnostic
}

/// The invisible characters that make text show in another order than it
/// is written ("Trojan Source"): left-to-right and right-to-left override.
/// A record's words, names and titles must read as written; the embeddings
/// and isolates a right-to-left text may need do not reorder its letters.
const OVERRIDES: [(char, &str); 2] = [
    ('\u{202D}', "U+202D LEFT-TO-RIGHT OVERRIDE"),
    ('\u{202E}', "U+202E RIGHT-TO-LEFT OVERRIDE"),
];

/// A warning for each title, name, quote and source title holding a
/// direction override.
fn direction_overrides(site: &Site, warnings: &mut Diagnostics) {
    let mut check = |file: &Path, line: usize, what: &str, text: &str| {
        if let Some((_, name)) = OVERRIDES.iter().find(|(c, _)| text.contains(*c)) {
            warnings.push(warning(
                file,
                line,
                format!("{name} in {what} shows the text in another order than written"),
                "remove the invisible character (an editor that shows invisible characters finds it): the pages set each text's direction themselves",
            ));
        }
    };
    for article in &site.articles {
        check(&article.file, 0, "the title", &article.title);
        for statement in &article.statements {
            check(
                &article.file,
                statement.line,
                "the statement's words",
                statement.words.text(),
            );
        }
        for source in &article.sources {
            let title = source.title.as_deref().unwrap_or_default();
            check(&article.file, source.line, "the source's title", title);
            check(
                &article.file,
                source.line,
                "the source's publisher",
                &source.publisher.name,
            );
        }
    }
    for person in site.people.values() {
        check(&person.file, person.name_line, "the name", &person.name);
    }
}

fn sources_cited_by_nothing(article: &Article, warnings: &mut Diagnostics) {
    let mut cited = vec![false; article.sources.len()];
    let citing = article.statements.iter().map(|s| s.source);
    for position in citing.chain(article.cited_in_body.iter().copied()) {
        cited[position] = true;
    }
    for (position, source) in article.sources.iter().enumerate() {
        if !cited[position] {
            warnings.push(warning(
                &article.file,
                source.line,
                format!("source `{}` is cited by no statement and not in the text", source.id),
                "record the statement it proves, cite it in the text as `[words](source:ID)`, or remove it",
            ));
        }
    }
}

/// An update, a review or a correction dated before the article itself:
/// one of the two dates is wrong, and the record shows both.
fn changes_before_publication(article: &Article, warnings: &mut Diagnostics) {
    let date = &article.date;
    let before = |moment: &&Moment| moment.last_day() < date.date;
    let field = |name: &str, moment: &Moment| format!("`{name}: {moment}`");
    let updated = (article.updated.as_ref().filter(before))
        .map(|d| (field("updated", d), article.updated_line));
    let reviewed = (article.reviewed.as_ref().filter(before)).map(|d| (field("reviewed", d), 0));
    let corrected = (article.corrections.iter())
        .filter(|c| before(&&c.date))
        .map(|c| (format!("a correction dated {}", c.date), c.line));
    for (what, line) in updated.into_iter().chain(reviewed).chain(corrected) {
        warnings.push(warning(
            &article.file,
            line,
            format!("{what} is before the article's date ({date})"),
            "a change comes after publication: check both dates",
        ));
    }
}

fn statement_dates(article: &Article, warnings: &mut Diagnostics) {
    // Its latest date: an update or a correction may add a later statement.
    let published = article.modified();
    for statement in &article.statements {
        let said = &statement.date;
        if said.date > published.date {
            warnings.push(warning(
                &article.file,
                statement.line,
                format!("statement dated {said}, after its article ({published})"),
                "check the date; if the article was updated to add it, set `updated:`",
            ));
        }
        if said.year() < 1900 {
            warnings.push(warning(
                &article.file,
                statement.line,
                format!("statement dated {said}, before 1900"),
                "check the year",
            ));
        }
        let source = &article.sources[statement.source];
        // A source of May 2021 may record words of 17 May: its span counts.
        if let Some(source_date) = source.date.as_ref().filter(|d| d.last_day() < said.date) {
            warnings.push(warning(
                &article.file,
                statement.line,
                format!(
                    "statement dated {said} cites source `{}`, dated earlier ({source_date})",
                    source.id
                ),
                "a source cannot record words said after it was published: check both dates",
            ));
        }
    }
}

/// Dates after `today`: a typo in the year, usually. A day of slack, as
/// the site's editors may be a time zone ahead of UTC.
fn dates_in_the_future(article: &Article, today: jiff::civil::Date, warnings: &mut Diagnostics) {
    let Ok(tomorrow) = today.tomorrow() else {
        return;
    };
    let mut check = |date: &crate::content::Moment, line: usize, what: &str| {
        if date.date > tomorrow {
            warnings.push(warning(
                &article.file,
                line,
                format!("{what} {date} is in the future"),
                "check the year: a date still to come is usually a typo",
            ));
        }
    };
    check(&article.date, article.date_line, "date");
    if let Some(updated) = &article.updated {
        check(updated, article.updated_line, "updated");
    }
    for statement in &article.statements {
        check(&statement.date, statement.line, "statement dated");
    }
    for source in &article.sources {
        if let Some(date) = &source.date {
            check(date, source.line, "source dated");
        }
    }
}

/// An article whose editors record corrections or reviews (it has
/// `corrections:` or `reviewed:`) but whose `updated` date is later than
/// both: something changed and readers were not told what. Articles that
/// never opted in are not asked to.
fn changed_without_a_note(article: &Article, warnings: &mut Diagnostics) {
    let Some(updated) = &article.updated else {
        return;
    };
    let corrected = article.corrections.first().map(|c| &c.date);
    let noted = [corrected, article.reviewed.as_ref()]
        .into_iter()
        .flatten()
        .max();
    if let Some(noted) = noted.filter(|noted| noted.date < updated.date) {
        warnings.push(warning(
            &article.file,
            article.updated_line,
            format!("updated {updated}, after its last correction or review ({noted}): changed without a correction note"),
            "add a `corrections:` entry saying what changed, or set `reviewed:` to the day it was checked against its sources",
        ));
    }
}

/// Translations of an article older than the article's last change (its
/// `updated` date or a correction): dated by their own `updated:`, else
/// taken to be as old as the article's first version.
fn translations_behind(site: &Site, warnings: &mut Diagnostics) {
    for article in &site.articles {
        let translations = site.translations.articles.get(&article.slug);
        let changed = article.modified();
        for (code, translation) in translations.into_iter().flatten() {
            let translated = translation.updated.as_ref().unwrap_or(&article.date);
            if translated.date >= changed.date {
                continue;
            }
            let line = translation
                .updated
                .as_ref()
                .map_or(0, |_| translation.updated_line);
            warnings.push(warning(
                &translation.file,
                line,
                format!("the translation into `{code}` is older than its original: translated {translated}, original changed {changed}"),
                "bring it up to date with the original, then set its `updated:` to the day you did",
            ));
        }
    }
}

/// Links in a body (of the file `file`: an article or a page) to no page
/// of the site, or relative to the page showing them.
fn links_to_no_page(
    file: &Path,
    links: &[(String, usize)],
    is_page: &dyn Fn(&str) -> bool,
    root: &str,
    warnings: &mut Diagnostics,
) {
    for (target, line) in links {
        if !target.starts_with('/') {
            // A relative link resolves differently on each page showing the
            // text (an article's summary is on home, topic and year pages).
            let hint = match target.strip_prefix("@/") {
                Some(_) => "link a page by its address from the site root, e.g. `/articles/SLUG/`",
                None => {
                    "write it from the site root, e.g. `/people/ID/`, so it works wherever the text is shown"
                }
            };
            let message = format!("link to `{target}` is relative to the page it is on");
            warnings.push(warning(file, *line, message, hint));
            continue;
        }
        let path = target.split(['#', '?']).next().unwrap_or(target);
        // `/img/my%20map.png` names `static/img/my map.png`.
        let decoded = percent_encoding::percent_decode_str(path).decode_utf8_lossy();
        let path = decoded.as_ref();
        // Bodies link from the site root (`/people/x/`); rendering moves
        // such links under a sub-path, and leaves links already under it.
        let under_root = if path.starts_with(root) {
            path.to_owned()
        } else {
            format!("{root}{}", path.trim_start_matches('/'))
        };
        if !is_page(&under_root) {
            warnings.push(warning(
                file,
                *line,
                format!("link to `{target}`, which is no page or file of the site"),
                "check the address against the built site's pages and `static/` files (write it from the site root, e.g. `/people/ID/`)",
            ));
        }
    }
}

/// Sources that link an original of a kind that moves or disappears (a
/// news story, a post, an official page) and no archived copy: once the
/// link dies, no reader can check what the archive says it records. Reports
/// and other documents usually outlive their links (a DOI, a printed copy).
fn missing_archives(site: &Site) -> Diagnostics {
    let mut warnings = Diagnostics::default();
    for article in &site.articles {
        let unarchived = article.sources.iter().filter(|source| {
            source.archive.is_none()
                && matches!(
                    source.kind,
                    SourceKind::News | SourceKind::Social | SourceKind::Official
                )
        });
        for source in unarchived {
            let Some(url) = source.url.as_deref() else {
                continue;
            };
            let year = source.date.as_ref().unwrap_or(&article.date).year();
            warnings.push(warning(
                &article.file,
                source.line,
                format!(
                    "source `{}` has no archived copy: a dead link later cannot be recovered",
                    source.id
                ),
                &format!(
                    "save the page with the Wayback Machine (https://web.archive.org/save) and add the copy's address as `archive:`, or link the capture nearest its year: `archive: https://web.archive.org/web/{year}/{url}`"
                ),
            ));
        }
    }
    warnings
}

fn people_without_statements(site: &Site, index: &Index, warnings: &mut Diagnostics) {
    for person in site.people.values() {
        // One who only relays others' words (a spokesperson) has a page
        // for what they relayed.
        let silent = |of: &std::collections::BTreeMap<String, Vec<_>>| {
            of.get(&person.id).is_none_or(Vec::is_empty)
        };
        if silent(&index.by_person) && silent(&index.relayed_by) {
            warnings.push(warning(
                &person.file,
                0,
                format!("{} has no statements", person.name),
                "record a statement by them (or one they relayed, with `via:`), or remove the file",
            ));
        }
    }
}

/// The same verbatim words under two speakers usually mean one is wrong.
fn quotes_attributed_twice(site: &Site, warnings: &mut Diagnostics) {
    let mut first_speaker: HashMap<String, &str> = HashMap::new();
    // Oldest article first, so the later attribution is the one flagged.
    for article in site.articles.iter().rev() {
        for statement in &article.statements {
            let Words::Quote(quote) = &statement.words else {
                continue;
            };
            let normalised: String = quote
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
                .to_lowercase();
            let first = *first_speaker.entry(normalised).or_insert(&statement.person);
            if first != statement.person {
                warnings.push(warning(
                    &article.file,
                    statement.line,
                    format!("the same quote is also attributed to `{first}`"),
                    "check who said it; if both did, add `context:` to each",
                ));
            }
        }
    }
}

fn urls_under_two_publishers(site: &Site, warnings: &mut Diagnostics) {
    let mut publisher_of: BTreeMap<&str, &str> = BTreeMap::new();
    for article in site.articles.iter().rev() {
        for source in &article.sources {
            let Some(url) = source.url.as_deref() else {
                continue;
            };
            let first = *publisher_of.entry(url).or_insert(&source.publisher.name);
            if first != source.publisher.name {
                warnings.push(warning(
                    &article.file,
                    source.line,
                    format!(
                        "{url} is cited under publisher `{}` here and `{first}` elsewhere",
                        source.publisher.name
                    ),
                    "use one publisher name for one document",
                ));
            }
        }
    }
}

fn aliases_naming_someone_else(site: &Site, warnings: &mut Diagnostics) {
    let names: HashMap<String, &str> = site
        .people
        .values()
        .map(|p| (slugify(&p.name), p.id.as_str()))
        .collect();
    for person in site.people.values() {
        for alias in &person.aliases {
            if let Some(other) = names
                .get(&slugify(alias))
                .filter(|other| **other != person.id)
            {
                warnings.push(warning(
                    &person.file,
                    0,
                    format!("alias `{alias}` is the name of `{other}`"),
                    "statements could be attributed to the wrong person: remove or change the alias",
                ));
            }
        }
    }
}

/// Two people whose names look the same on a page: one may be a duplicate
/// file, or a name retyped with look-alike letters (Cyrillic `о` for Latin
/// `o`) or invisible characters, which splits one speaker's statements over
/// two pages. Different people may share a name: `distinct_from` says so.
fn names_that_look_alike(site: &Site, warnings: &mut Diagnostics) {
    let mut by_look: BTreeMap<String, Vec<&Person>> = BTreeMap::new();
    for person in site.people.values() {
        by_look.entry(look(&person.name)).or_default().push(person);
    }
    for alike in by_look.values() {
        for (position, person) in alike.iter().enumerate() {
            for other in &alike[..position] {
                if !acknowledged(person, other) {
                    warnings.push(look_alike_warning(person, other));
                }
            }
        }
    }
}

/// What a name looks like: its skeleton as Unicode's confusable detection
/// (UTS #39) defines it, where look-alike characters share one form and
/// invisible ones are gone, with spaces collapsed.
fn look(name: &str) -> String {
    let skeleton: String = unicode_security::skeleton(name).collect();
    skeleton.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn acknowledged(a: &Person, b: &Person) -> bool {
    a.distinct_from.contains(&b.id) || b.distinct_from.contains(&a.id)
}

fn look_alike_warning(person: &Person, other: &Person) -> Diagnostic {
    let whose = format!("`{}` ({})", other.id, other.file.display());
    let (message, hint) = if person.name == other.name {
        (
            format!("`{}` is also the name of {whose}", person.name),
            format!(
                "if they are different people, add `distinct_from: [{}]` here; if not, merge the two files",
                other.id
            ),
        )
    } else {
        (
            format!(
                "`{}` looks like `{}`, the name of {whose}: they differ only in {}",
                person.name,
                other.name,
                differing(&person.name, &other.name)
            ),
            format!(
                "retype the name that was pasted; if they are different people, add `distinct_from: [{}]` here",
                other.id
            ),
        )
    };
    warning(&person.file, person.name_line, message, &hint)
}

/// How two names that look alike differ: the characters one has and the
/// other lacks, as code points, since a reader cannot see them.
fn differing(a: &str, b: &str) -> String {
    let mut differing: Vec<char> = a
        .chars()
        .filter(|c| !b.contains(*c))
        .chain(b.chars().filter(|c| !a.contains(*c)))
        .collect();
    differing.sort_unstable();
    differing.dedup();
    let codes: Vec<String> = differing
        .iter()
        .map(|c| format!("U+{:04X}", *c as u32))
        .collect();
    if codes.is_empty() {
        "spacing".to_owned()
    } else {
        format!("look-alike or invisible characters ({})", codes.join(", "))
    }
}

fn distinct_from_unknown_people(site: &Site, warnings: &mut Diagnostics) {
    for person in site.people.values() {
        for id in person
            .distinct_from
            .iter()
            .filter(|id| !site.people.contains_key(*id))
        {
            warnings.push(warning(
                &person.file,
                person.distinct_from_line,
                format!("distinct_from names `{id}`, who has no file in content/people/"),
                "write the id of a person: the name of their file, without `.md`",
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_look_alike_through_confusable_and_invisible_characters() {
        let joe = look("Joe Biden");
        for alike in [
            "Jоe Biden",
            "Joe\u{200B} Biden",
            "Joe  Bi\u{AD}den\u{200E}",
            "Joe\u{a0}Biden",
        ] {
            assert_eq!(look(alike), joe, "{alike:?}");
        }
        assert_ne!(look("Jon Biden"), joe);
        assert_ne!(look("Joe Bidén"), joe);
        assert_eq!(
            differing("Jоe Biden", "Joe\u{200B} Biden"),
            "look-alike or invisible characters (U+006F, U+043E, U+200B)"
        );
        assert_eq!(differing("Joe  Biden", "Joe Biden"), "spacing");
    }
}
