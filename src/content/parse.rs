//! Front matter and Markdown text → model types, with every problem in a
//! file reported at its line. Pure: the files were read by `load`.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;
use serde::Deserialize;

use super::front_matter::{self, Locator, Split};
use super::translation::{Entry, Kind, or_original};
use super::{
    Article, Correction, Delivery, FileRead, Label, Moment, OldPath, Person, PersonKind, Source,
    SourceKind, Statement, TextFile, Words,
};
use crate::diagnostic::{Diagnostic, Diagnostics, Lines};
use crate::markdown::{self, RawHtml};
use crate::slug::{MAX_SEGMENT, is_slug, slugify};
use crate::yaml;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ArticleFields {
    title: String,
    date: String,
    updated: Option<String>,
    summary: Option<String>,
    slug: Option<String>,
    #[serde(default)]
    draft: bool,
    #[serde(default)]
    topics: Vec<String>,
    #[serde(default)]
    places: Vec<String>,
    #[serde(default)]
    sources: Vec<SourceFields>,
    #[serde(default)]
    statements: Vec<StatementFields>,
    #[serde(default)]
    redirect_from: Vec<String>,
    #[serde(default)]
    corrections: Vec<CorrectionFields>,
    reviewed: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CorrectionFields {
    date: String,
    text: String,
    statement: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SourceFields {
    id: String,
    publisher: String,
    title: Option<String>,
    url: Option<String>,
    date: Option<String>,
    #[serde(default)]
    kind: SourceKind,
    archive: Option<String>,
    archived: Option<String>,
    accessed: Option<String>,
    lang: Option<String>,
    title_translation: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct StatementFields {
    person: String,
    date: String,
    quote: Option<String>,
    paraphrase: Option<String>,
    source: String,
    context: Option<String>,
    role: Option<String>,
    lang: Option<String>,
    translation: Option<String>,
    id: Option<String>,
    #[serde(default)]
    former_ids: Vec<String>,
    via: Option<String>,
    delivery: Option<Delivery>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PersonFields {
    name: String,
    #[serde(default)]
    kind: PersonKind,
    #[serde(default)]
    aliases: Vec<String>,
    role: Option<String>,
    affiliation: Option<String>,
    #[serde(default)]
    links: Vec<String>,
    #[serde(default)]
    distinct_from: Vec<String>,
    #[serde(default)]
    redirect_from: Vec<String>,
}

impl ArticleFields {
    /// Every text of the front matter outside its lists of items, by key.
    /// A new text field belongs here too, so that it is checked like the rest.
    fn texts(&self) -> Vec<(&'static str, &str)> {
        let fields = [
            ("title", Some(&self.title)),
            ("date", Some(&self.date)),
            ("updated", self.updated.as_ref()),
            ("summary", self.summary.as_ref()),
            ("slug", self.slug.as_ref()),
            ("reviewed", self.reviewed.as_ref()),
        ];
        texts(
            &fields,
            &[
                ("topics", &self.topics),
                ("places", &self.places),
                ("redirect_from", &self.redirect_from),
            ],
        )
    }
}

impl SourceFields {
    /// Every text of the source, by key (see [`ArticleFields::texts`]).
    fn texts(&self) -> Vec<(&'static str, &str)> {
        let fields = [
            ("id", Some(&self.id)),
            ("publisher", Some(&self.publisher)),
            ("title", self.title.as_ref()),
            ("url", self.url.as_ref()),
            ("date", self.date.as_ref()),
            ("archive", self.archive.as_ref()),
            ("archived", self.archived.as_ref()),
            ("accessed", self.accessed.as_ref()),
            ("lang", self.lang.as_ref()),
            ("title_translation", self.title_translation.as_ref()),
        ];
        texts(&fields, &[])
    }
}

impl StatementFields {
    /// Every text of the statement, by key (see [`ArticleFields::texts`]).
    fn texts(&self) -> Vec<(&'static str, &str)> {
        let fields = [
            ("person", Some(&self.person)),
            ("date", Some(&self.date)),
            ("quote", self.quote.as_ref()),
            ("paraphrase", self.paraphrase.as_ref()),
            ("source", Some(&self.source)),
            ("context", self.context.as_ref()),
            ("role", self.role.as_ref()),
            ("lang", self.lang.as_ref()),
            ("translation", self.translation.as_ref()),
            ("id", self.id.as_ref()),
            ("via", self.via.as_ref()),
        ];
        texts(&fields, &[])
    }
}

impl PersonFields {
    /// Every text of the person file's front matter, by key (see
    /// [`ArticleFields::texts`]).
    fn texts(&self) -> Vec<(&'static str, &str)> {
        let fields = [
            ("name", Some(&self.name)),
            ("role", self.role.as_ref()),
            ("affiliation", self.affiliation.as_ref()),
        ];
        let lists = [
            ("aliases", &self.aliases),
            ("links", &self.links),
            ("distinct_from", &self.distinct_from),
            ("redirect_from", &self.redirect_from),
        ];
        texts(&fields, &lists)
    }
}

/// Fields holding one text or none, and lists of texts, as (key, text).
pub(super) fn texts<'a>(
    fields: &[(&'static str, Option<&'a String>)],
    lists: &[(&'static str, &'a Vec<String>)],
) -> Vec<(&'static str, &'a str)> {
    let single = fields
        .iter()
        .filter_map(|(key, text)| text.map(|text| (*key, text.as_str())));
    let listed = lists
        .iter()
        .flat_map(|(key, texts)| texts.iter().map(move |text| (*key, text.as_str())));
    single.chain(listed).collect()
}

/// Whether `c` may not be part of a text: a control character (Unicode's Cc:
/// C0, DEL and C1) other than tab and line feed, or U+FFFE and U+FFFF. XML 1.0
/// cannot carry most of them, so one in a title makes every feed listing it
/// unreadable, and HTML reports each as an error. A carriage return reaches
/// a YAML string only through an escape (YAML turns line breaks into line
/// feeds), and an XML parser would turn it into a line feed too.
fn is_unsafe_char(c: char) -> bool {
    (c.is_control() && !matches!(c, '\t' | '\n')) || matches!(c, '\u{fffe}' | '\u{ffff}')
}

/// The message and hint for field `name` if its `text` holds a character
/// that pages and feeds cannot carry: a control character but tab and line
/// feed, U+FFFE or U+FFFF.
pub(crate) fn unsafe_text(name: &str, text: &str) -> Option<(String, &'static str)> {
    let (_, c) = find_unsafe(text, is_unsafe_char)?;
    Some((
        format!("{name}: contains {}", cannot_carry(c)),
        "remove it: it is invisible, and comes from pasted text or an escape such as `\\0` or `\\x07` in double quotes",
    ))
}

/// The first character of `text` that `is_unsafe` (at most
/// [`is_unsafe_char`]) refuses, with its byte offset. Bodies are the bulk of
/// an archive, so 64-byte chunks are passed over by their bytes first, with
/// no decoding (which the compiler vectorises, several times faster); only
/// a chunk holding a byte that can start such a character (a C0 control but
/// tab or line feed, DEL, 0xC2 for C1 controls, 0xEF for U+FFFE and U+FFFF)
/// is read character by character.
fn find_unsafe(text: &str, is_unsafe: impl Fn(char) -> bool) -> Option<(usize, char)> {
    const CHUNK: usize = 64;
    let may_start =
        |b: u8| (b < 0x20 && b != b'\t' && b != b'\n') | (b == 0x7f) | (b == 0xc2) | (b == 0xef);
    let mut chunks = text.as_bytes().chunks(CHUNK).enumerate();
    let suspect = |chunk: &[u8]| chunk.iter().fold(false, |any, &b| any | may_start(b));
    chunks.find_map(|(index, chunk)| {
        if !suspect(chunk) {
            return None;
        }
        let end = (index + 1) * CHUNK;
        let start = (0..=index * CHUNK)
            .rev()
            .find(|&at| text.is_char_boundary(at))
            .unwrap_or(0);
        let chars = text[start..].char_indices().map(|(at, c)| (start + at, c));
        chars
            .take_while(|&(at, _)| at < end)
            .find(|&(_, c)| is_unsafe(c))
    })
}

/// `c`, a character pages and feeds cannot carry, named for a message.
fn cannot_carry(c: char) -> String {
    let kind = if c.is_control() {
        "control character"
    } else {
        "noncharacter"
    };
    format!(
        "U+{:04X}, a {kind} that web pages and feeds cannot carry",
        c as u32
    )
}

/// Where a front-matter text sits: at the top level, or in item `index` of
/// the list `list`.
#[derive(Clone, Copy)]
pub(super) enum Within<'a> {
    Top,
    Item(&'a str, usize),
}

/// One file being parsed: where diagnostics point and what they quote.
pub(super) struct FileContext<'a> {
    pub(super) file: &'a Path,
    text: &'a str,
    /// The file's lines, found once when first needed: a file may have
    /// thousands of errors, and most have none.
    lines: std::cell::OnceCell<Lines<'a>>,
    pub(super) locator: Locator<'a>,
    pub(super) diagnostics: Diagnostics,
}

impl<'a> FileContext<'a> {
    pub(super) fn new(file: &'a TextFile, split: &Split<'a>, diagnostics: Diagnostics) -> Self {
        FileContext {
            file: &file.path,
            text: &file.text,
            lines: std::cell::OnceCell::new(),
            locator: Locator::new(split),
            diagnostics,
        }
    }

    fn lines(&self) -> &Lines<'a> {
        self.lines.get_or_init(|| Lines::new(self.text))
    }

    pub(super) fn error_at(
        &mut self,
        line: usize,
        message: impl Into<String>,
        hint: impl Into<String>,
    ) {
        self.diagnostics.push(
            Diagnostic::error(self.file, message)
                .at_line(line)
                .with_hint(hint)
                .with_snippet_in(self.lines()),
        );
    }

    /// The 1-based line and column (in characters) of byte `offset` of
    /// `body`, which ends the file.
    fn position_in_body(&self, body: &str, offset: usize) -> (usize, usize) {
        self.lines().position_of(self.body_start(body) + offset)
    }

    /// The 1-based line of byte `offset` of `body`, which ends the file:
    /// for each of a body's links, so without counting the characters
    /// before it on its line (a line may hold 100,000 links).
    pub(super) fn line_in_body(&self, body: &str, offset: usize) -> usize {
        self.lines().line_of(self.body_start(body) + offset)
    }

    /// `found` (a text with its byte offset in `body`) with lines instead.
    pub(super) fn lines_in_body(
        &self,
        body: &str,
        found: Vec<(String, usize)>,
    ) -> Vec<(String, usize)> {
        let lines = found.into_iter();
        lines
            .map(|(text, offset)| (text, self.line_in_body(body, offset)))
            .collect()
    }

    fn body_start(&self, body: &str) -> usize {
        self.text.len().saturating_sub(body.len())
    }

    /// Reports each of `texts` (key, text) that holds a character pages and
    /// feeds cannot carry, at the line of its key.
    pub(super) fn check_texts(&mut self, within: Within, texts: Vec<(&str, &str)>) {
        for (key, text) in texts {
            if find_unsafe(text, is_unsafe_char).is_none() {
                continue;
            }
            let (line, name) = match within {
                Within::Top => (self.locator.field(key), key.to_owned()),
                Within::Item(list, index) => (
                    self.locator.item_field(list, index, key),
                    format!("{list}[{index}].{key}"),
                ),
            };
            if let Some((message, hint)) = unsafe_text(&name, text) {
                self.error_at(line, message, hint);
            }
        }
    }

    /// Reports the first character of a Markdown body that pages and feeds
    /// cannot carry, written raw or as a reference such as `&#7;`, which
    /// Markdown turns into the character itself (found in `html`, the body
    /// rendered). Carriage returns there are line ends, which Markdown reads.
    pub(super) fn check_body(&mut self, body: &str, rendered: &markdown::Rendered) {
        if let Some(offset) = rendered.too_deep {
            let (line, column) = self.position_in_body(body, offset);
            let message = format!(
                "the text nests more than {} elements deep here, too deep for `raw_html: strip` to clean",
                markdown::MAX_NESTING
            );
            let diagnostic = Diagnostic::error(self.file, message)
                .at_line(line)
                .at_column(column)
                .with_hint("nest fewer quotes, lists or HTML elements: no page needs this many, and cleaning them would take minutes")
                .with_snippet_in(self.lines());
            self.diagnostics.push(diagnostic);
        }
        let html = rendered.html.as_str();
        let is_unsafe = |c: char| c != '\r' && is_unsafe_char(c);
        let hint = "remove it: it is invisible, and often comes with text pasted from a PDF or a word processor";
        let found = match find_unsafe(body, is_unsafe) {
            Some((offset, c)) => Some((offset, format!("the text contains {}", cannot_carry(c)))),
            None if find_unsafe(html, is_unsafe).is_some() => {
                let reference = numeric_references(body).find(|(_, _, c)| is_unsafe(*c));
                Some(match reference {
                    Some((offset, reference, c)) => {
                        (offset, format!("`{reference}` stands for {}", cannot_carry(c)))
                    }
                    // Not expected, since the text and its references are
                    // clean; refused all the same, so no feed breaks.
                    None => (
                        0,
                        "the text, rendered, holds a control character that web pages and feeds cannot carry".to_owned(),
                    ),
                })
            }
            None => None,
        };
        if let Some((offset, message)) = found {
            let (line, column) = self.position_in_body(body, offset);
            let diagnostic = Diagnostic::error(self.file, message)
                .at_line(line)
                .at_column(column)
                .with_hint(hint)
                .with_snippet_in(self.lines());
            self.diagnostics.push(diagnostic);
        }
    }

    /// An error, at `line` when the problem is on one (a file name is not).
    fn error(&mut self, line: Option<usize>, message: String, hint: impl Into<String>) {
        match line {
            Some(line) => self.error_at(line, message, hint),
            None => self
                .diagnostics
                .push(Diagnostic::error(self.file, message).with_hint(hint)),
        }
    }

    /// Whether `slug`, the path segment `what` makes in the output, fits in
    /// a file name; if not, reports it: the build could not write the page.
    fn segment_fits(&mut self, line: Option<usize>, what: &str, slug: &str, hint: &str) -> bool {
        if slug.len() <= MAX_SEGMENT {
            return true;
        }
        let message = format!(
            "{what} makes a URL segment of {} characters; at most {MAX_SEGMENT} fit in a file name",
            slug.len()
        );
        self.error(line, message, hint);
        false
    }

    /// The `redirect_from:` list: each a path from the site root.
    fn old_paths(&mut self, written: Vec<String>) -> Vec<OldPath> {
        let mut paths = Vec::with_capacity(written.len());
        for (index, text) in written.iter().enumerate() {
            let line = self.locator.item_line("redirect_from", index);
            match crate::addresses::site_path(text) {
                Ok(path) => paths.push(OldPath { path, line }),
                Err(why) => self.error_at(
                    line,
                    format!("redirect_from: {why}"),
                    "write the old address from the site root, without the base_url's path, e.g. `/articles/old-slug/`",
                ),
            }
        }
        paths
    }

    pub(super) fn moment(&mut self, line: usize, field: &str, text: &str) -> Option<Moment> {
        let hint = "write a date as YYYY-MM-DD, or a date-time as 2021-05-17T18:30:00-04:00";
        self.checked_moment(line, field, Moment::parse(text), hint)
    }

    /// A date that may be a year or a month alone (a statement's or a
    /// source's: what is known only that precisely).
    fn partial_moment(&mut self, line: usize, field: &str, text: &str) -> Option<Moment> {
        let hint = "write a date as YYYY-MM-DD, or only YYYY-MM or YYYY when the day or month is not known, or a date-time as 2021-05-17T18:30:00-04:00";
        self.checked_moment(line, field, Moment::parse_partial(text), hint)
    }

    fn checked_moment(
        &mut self,
        line: usize,
        field: &str,
        parsed: Result<Moment, String>,
        hint: &str,
    ) -> Option<Moment> {
        parsed
            .map_err(|message| self.error_at(line, format!("{field}: {message}"), hint))
            .ok()
    }

    /// A `lang:` field, if it is a BCP 47 tag.
    fn language(&mut self, line: usize, text: Option<String>) -> Option<String> {
        text.filter(|lang| {
            let ok = is_language_tag(lang);
            if !ok {
                self.error_at(
                    line,
                    format!("lang: `{lang}` is not a BCP 47 language tag"),
                    "use a tag such as `en`, `he`, `ar` or `uk`",
                );
            }
            ok
        })
    }

    fn web_url(&mut self, line: usize, field: &str, text: Option<String>) -> Option<String> {
        let text = text?;
        match url::Url::parse(text.trim()) {
            Ok(url) if matches!(url.scheme(), "http" | "https") => Some(url.to_string()),
            Ok(url) => {
                self.error_at(
                    line,
                    format!("{field}: `{}:` links are not allowed", url.scheme()),
                    "link to an http:// or https:// address",
                );
                None
            }
            Err(error) => {
                self.error_at(
                    line,
                    format!("{field}: `{text}` is not a valid URL ({error})"),
                    "write the full address, starting with https://",
                );
                None
            }
        }
    }
}

/// Splits a file and parses its front matter into `T`, reporting failures.
pub(super) fn front_matter<'a, T: serde::de::DeserializeOwned>(
    file: &'a TextFile,
    diagnostics: &mut Diagnostics,
) -> Option<(Split<'a>, T)> {
    let split = match front_matter::split(&file.text) {
        Ok(split) => split,
        Err(error) => {
            let diagnostic = Diagnostic::error(&file.path, error.message)
                .at_line(error.line)
                .with_hint(error.hint)
                .with_snippet_from(&file.text);
            diagnostics.push(diagnostic);
            return None;
        }
    };
    match yaml::from_str::<T>(split.yaml) {
        Ok(fields) => Some((split, fields)),
        Err(error) => {
            let at = error.line.zip(error.column);
            if let Some((line, message)) =
                at.and_then(|at| misindented(&error.message, split.yaml, at))
            {
                let diagnostic = Diagnostic::error(&file.path, message)
                    .at_line(split.yaml_line + line - 1)
                    .with_hint("indent every field of a list item as far as its first one")
                    .with_snippet_from(&file.text);
                diagnostics.push(diagnostic);
                return None;
            }
            let quoted = error.line.and_then(|line| split.yaml.lines().nth(line - 1));
            let mut diagnostic = Diagnostic::error(
                &file.path,
                format!("invalid front matter: {}", error.message),
            )
            .with_hint(crate::yaml::hint(
                &error.message,
                quoted.unwrap_or_default(),
            ));
            if let Some(column) = error.column {
                diagnostic = diagnostic.at_column(column);
            }
            if let Some(line) = error.line {
                diagnostic = diagnostic
                    .at_line(split.yaml_line + line - 1)
                    .with_snippet_from(&file.text);
            }
            diagnostics.push(diagnostic);
            None
        }
    }
}

/// For "missing field `x`" at the first key of a mapping (`line`,
/// `column`, 1-based, in `yaml`): the line where `x:` was written at
/// another indentation than that key, and a message saying so. YAML reads
/// a field indented one space off as belonging elsewhere, which serde can
/// only report as missing.
fn misindented(
    message: &str,
    yaml: &str,
    (line, column): (usize, usize),
) -> Option<(usize, String)> {
    let field = message.split("missing field `").nth(1)?.split('`').next()?;
    let lines: Vec<&str> = yaml.lines().collect();
    let first = lines.get(line - 1)?;
    let expected = column - 1;
    let sibling: String = first
        .get(expected..)?
        .chars()
        .take_while(|c| !matches!(c, ':' | ' '))
        .collect();
    // The item's own lines: until a line at or left of the item's dash.
    let dash = first.len() - first.trim_start().len();
    let item = lines.iter().enumerate().skip(line).take_while(|(_, text)| {
        let indent = text.len() - text.trim_start().len();
        text.trim().is_empty()
            || indent > dash
            || (indent == dash && !text.trim_start().starts_with('-'))
    });
    item.map(|(index, text)| {
        (
            index,
            text.len() - text.trim_start().len(),
            text.trim_start(),
        )
    })
    .find(|(_, indent, text)| {
        *indent != expected
            && text
                .strip_prefix(field)
                .is_some_and(|rest| rest.starts_with(':'))
    })
    .map(|(index, indent, _)| {
        let spaces = |n: usize| format!("{n} space{}", if n == 1 { "" } else { "s" });
        (
            index + 1,
            format!(
                "`{field}` is indented {}; align it with `{sibling}` ({})",
                spaces(indent),
                spaces(expected)
            ),
        )
    })
}

/// Parses person files as `files` yields them: for each, the person if
/// valid, and its diagnostics.
pub(super) fn people(
    files: impl IndexedParallelIterator<Item = FileRead>,
    raw_html: RawHtml,
) -> Vec<(PathBuf, Entry<Person>)> {
    files
        .map(|read| or_original(Kind::Person, read, raw_html, |file| person(file, raw_html)))
        .collect()
}

fn person(file: &TextFile, raw_html: RawHtml) -> (Option<Person>, Diagnostics) {
    let mut diagnostics = Diagnostics::default();
    let Some((split, fields)) = front_matter::<PersonFields>(file, &mut diagnostics) else {
        return (None, diagnostics);
    };
    let mut cx = FileContext::new(file, &split, diagnostics);
    cx.check_texts(Within::Top, fields.texts());
    let id = person_id(&file.path);
    if is_slug(&id) {
        let what = format!("person id `{}`", elided(&id));
        let hint = "rename the file to a shorter id: it is the person's URL";
        cx.segment_fits(None, &what, &id, hint);
    } else {
        let suggestion = slugify(&id);
        cx.diagnostics.push(
            Diagnostic::error(
                &file.path,
                format!("`{id}` cannot be a person id: the file name becomes the person's URL"),
            )
            .with_hint(format!(
                "rename the file to `{}.md` (lowercase letters, digits and dashes)",
                if suggestion.is_empty() {
                    "name-of-person"
                } else {
                    &suggestion
                }
            )),
        );
    }
    if fields.name.trim().is_empty() {
        let line = cx.locator.field("name");
        cx.error_at(
            line,
            "name: must not be empty",
            "write the person's or organisation's full name",
        );
    }
    if let Some(alias) = fields.aliases.iter().find(|alias| alias.contains(';')) {
        // The data's CSV joins the names with `; `.
        let line = cx.locator.field("aliases");
        cx.error_at(
            line,
            format!("aliases: `{alias}` holds a `;`"),
            "write each name as an item of its own: `[Bibi, Bibi Netanyahu]`",
        );
    }
    let links_line = cx.locator.field("links");
    let links: Vec<String> = fields
        .links
        .into_iter()
        .filter_map(|link| cx.web_url(links_line, "links", Some(link)))
        .collect();
    let bio = markdown::render(split.body, raw_html, &[]);
    cx.check_body(split.body, &bio);
    let person = Person {
        id,
        file: file.path.clone(),
        name: fields.name.trim().to_owned(),
        kind: fields.kind,
        aliases: fields.aliases,
        role: non_empty(fields.role),
        affiliation: non_empty(fields.affiliation),
        links,
        bio_html: bio.html,
        distinct_from: fields.distinct_from,
        name_line: cx.locator.field("name"),
        distinct_from_line: cx.locator.field("distinct_from"),
        redirect_from: cx.old_paths(fields.redirect_from),
    };
    finish(person, cx.diagnostics)
}

/// The id of the person a file under `content/people/` describes: its name.
pub(crate) fn person_id(path: &Path) -> String {
    path.file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or_default()
        .to_owned()
}

/// The people articles are checked against, borrowed from the parsed
/// person files.
#[derive(Default)]
pub(super) struct KnownPeople<'a> {
    pub valid: BTreeMap<&'a str, &'a Person>,
    /// Ids of person files that exist but have errors: those errors are
    /// reported on the person file, and articles citing the person are not
    /// blamed as well.
    pub broken: BTreeSet<String>,
}

impl KnownPeople<'_> {
    fn knows(&self, id: &str) -> bool {
        self.valid.contains_key(id) || self.broken.contains(id)
    }
}

/// Parses article files against the known people, like [`people`].
pub(super) fn articles(
    files: impl IndexedParallelIterator<Item = FileRead>,
    people: &KnownPeople<'_>,
    raw_html: RawHtml,
) -> Vec<(PathBuf, Entry<Arc<Article>>)> {
    files
        .map(|read| {
            or_original(Kind::Article, read, raw_html, |file| {
                let (article, diagnostics) = article(file, people, raw_html);
                (article.map(Arc::new), diagnostics)
            })
        })
        .collect()
}

fn article(
    file: &TextFile,
    people: &KnownPeople<'_>,
    raw_html: RawHtml,
) -> (Option<Article>, Diagnostics) {
    let mut diagnostics = Diagnostics::default();
    let Some((split, fields)) = front_matter::<ArticleFields>(file, &mut diagnostics) else {
        return (None, diagnostics);
    };
    let mut cx = FileContext::new(file, &split, diagnostics);
    cx.check_texts(Within::Top, fields.texts());
    if fields.title.trim().is_empty() {
        let line = cx.locator.field("title");
        cx.error_at(line, "title: must not be empty", "give the article a title");
    }
    let date_line = cx.locator.field("date");
    let date = cx.moment(date_line, "date", &fields.date);
    let updated_line = cx.locator.field("updated");
    let updated = fields
        .updated
        .as_deref()
        .and_then(|text| cx.moment(updated_line, "updated", text));
    let reviewed_line = cx.locator.field("reviewed");
    let reviewed = fields
        .reviewed
        .as_deref()
        .and_then(|text| cx.moment(reviewed_line, "reviewed", text));
    let slug = slug_of(&mut cx, fields.slug.as_deref());
    let sources = sources(&mut cx, fields.sources);
    let statements = statements(&mut cx, fields.statements, &sources, people);
    let corrections = corrections(&mut cx, fields.corrections, &statements);
    let topics = labels(&mut cx, "topics", fields.topics);
    let places = labels(&mut cx, "places", fields.places);
    let ids: Vec<&str> = sources.iter().map(|s| s.id.as_str()).collect();
    let body = markdown::render(split.body, raw_html, &ids);
    cx.check_body(split.body, &body);
    for (id, offset) in &body.unknown_citations {
        let line = cx.line_in_body(split.body, *offset);
        cx.error_at(
            line,
            format!(
                "`{}{id}` names no source of this article",
                markdown::CITATION_SCHEME
            ),
            unknown_source_hint(id, &ids),
        );
    }
    let written = non_empty(fields.summary);
    let summary_written = written.is_some();
    let summary = written.unwrap_or(body.first_paragraph);
    let (Some(date), Some(slug)) = (date, slug) else {
        return (None, cx.diagnostics);
    };
    let article = Article {
        file: file.path.clone(),
        slug,
        title: fields.title.trim().to_owned(),
        date,
        date_line,
        updated,
        updated_line,
        summary,
        summary_written,
        draft: fields.draft,
        topics,
        places,
        topics_line: cx.locator.field("topics"),
        places_line: cx.locator.field("places"),
        sources,
        statements,
        body_html: super::Html::new(&body.html),
        body_words: crate::words::distinct(&body.text),
        cited_in_body: body.citations,
        redirect_from: cx.old_paths(fields.redirect_from),
        corrections,
        reviewed,
        internal_links: cx.lines_in_body(split.body, body.internal_links),
    };
    finish(article, cx.diagnostics)
}

/// The `slug` field, else the file stem without a leading `YYYY-MM-DD-`:
/// for articles and pages alike.
pub(super) fn slug_of(cx: &mut FileContext, explicit: Option<&str>) -> Option<String> {
    if let Some(slug) = explicit {
        let line = cx.locator.field("slug");
        if is_slug(slug) {
            let what = format!("slug: `{}`", elided(slug));
            let fits = cx.segment_fits(Some(line), &what, slug, "write a shorter slug");
            return fits.then(|| slug.to_owned());
        }
        let suggestion = slugify(slug);
        cx.error_at(
            line,
            format!("slug: `{slug}` is not a valid slug"),
            format!(
                "use lowercase letters, digits and dashes, e.g. `{}`",
                if suggestion.is_empty() {
                    "ceasefire-call"
                } else {
                    &suggestion
                }
            ),
        );
        return None;
    }
    let stem = cx
        .file
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or_default();
    let slug = slugify(strip_date_prefix(stem));
    if slug.is_empty() {
        cx.diagnostics.push(
            Diagnostic::error(cx.file, "cannot make a URL slug from this file name")
                .with_hint("add a `slug:` field, or rename the file using letters or digits"),
        );
        return None;
    }
    let hint = "add a shorter `slug:` field, or shorten the file name";
    cx.segment_fits(None, "the file name", &slug, hint)
        .then_some(slug)
}

fn strip_date_prefix(stem: &str) -> &str {
    let bytes = stem.as_bytes();
    let is_dated = bytes.len() > 11
        && bytes[..10].iter().enumerate().all(|(i, b)| {
            if i == 4 || i == 7 {
                *b == b'-'
            } else {
                b.is_ascii_digit()
            }
        })
        && bytes[10] == b'-';
    if is_dated { &stem[11..] } else { stem }
}

fn sources(cx: &mut FileContext, fields: Vec<SourceFields>) -> Vec<Source> {
    let mut seen = HashSet::new();
    let mut sources = Vec::with_capacity(fields.len());
    for (index, fields) in fields.into_iter().enumerate() {
        cx.check_texts(Within::Item("sources", index), fields.texts());
        let line = cx.locator.item_field("sources", index, "id");
        let field_line = |cx: &FileContext, key| cx.locator.item_field("sources", index, key);
        if fields.id.trim().is_empty() {
            cx.error_at(
                line,
                "source id must not be empty",
                "give the source a short id such as `wh-readout`",
            );
        } else if !seen.insert(fields.id.clone()) {
            cx.error_at(
                line,
                format!("source id `{}` is used twice in this article", fields.id),
                "give each source its own id",
            );
        }
        let publisher = Label::new(&fields.publisher);
        let publisher_line = field_line(cx, "publisher");
        if publisher.slug.is_empty() {
            cx.error_at(
                publisher_line,
                format!("publisher `{}` has no letters or digits", fields.publisher),
                "write the publisher's name",
            );
        }
        let what = format!("publisher `{}`", elided(&publisher.name));
        let hint = "write the publisher's usual, shorter name";
        cx.segment_fits(Some(publisher_line), &what, &publisher.slug, hint);
        let url_line = field_line(cx, "url");
        let url = cx.web_url(url_line, "url", fields.url);
        let archive_line = field_line(cx, "archive");
        let archive = cx.web_url(archive_line, "archive", fields.archive);
        let date_line = field_line(cx, "date");
        let date = fields
            .date
            .as_deref()
            .and_then(|text| cx.partial_moment(date_line, "source date", text));
        let archived = match fields.archived.as_deref() {
            Some(text) => source_moment(cx, index, "archived", Some(text)),
            None => archive.as_deref().and_then(capture_moment),
        };
        let accessed = source_moment(cx, index, "accessed", fields.accessed.as_deref());
        let lang_line = field_line(cx, "lang");
        let lang = cx.language(lang_line, fields.lang);
        sources.push(Source {
            lang,
            title_translation: non_empty(fields.title_translation),
            id: fields.id,
            publisher,
            title: non_empty(fields.title),
            url,
            date,
            kind: fields.kind,
            archive,
            archived,
            accessed,
            line,
            url_line,
            archive_line,
        });
    }
    sources
}

/// The date field `key` of source `index`, if written, checked as every
/// date is.
fn source_moment(
    cx: &mut FileContext,
    index: usize,
    key: &str,
    text: Option<&str>,
) -> Option<Moment> {
    let text = text?;
    let line = cx.locator.item_field("sources", index, key);
    cx.moment(line, key, text)
}

/// When a Wayback-style archive address was captured: the 14-digit UTC
/// timestamp (`YYYYMMDDhhmmss`) before the original's address in its path,
/// as in `https://web.archive.org/web/20210517183000/https://…`, which the
/// Wayback Machine and the archives running its kind of software write. A
/// shorter one (`/web/2021/`) asks for the capture nearest it, not for a
/// capture of that moment, so it gives no date; nor do digits that make no
/// real date.
fn capture_moment(archive: &str) -> Option<Moment> {
    let url = url::Url::parse(archive).ok()?;
    let mut segments = url.path_segments()?;
    let digits = segments.by_ref().find_map(capture_timestamp)?;
    segments.next().filter(|original| !original.is_empty())?;
    let time = jiff::civil::DateTime::strptime("%Y%m%d%H%M%S", digits).ok()?;
    Moment::parse(&format!("{time}Z")).ok()
}

/// The 14 digits of a path segment that is a capture timestamp, possibly
/// with a replay flag such as `id_` (the copy without the archive's banner).
fn capture_timestamp(segment: &str) -> Option<&str> {
    let digits = segment.get(..14)?;
    let flag = segment.get(14..)?.as_bytes();
    let is_flag = match flag {
        [] => true,
        [a, b, b'_'] => a.is_ascii_lowercase() && b.is_ascii_lowercase(),
        _ => false,
    };
    (is_flag && digits.bytes().all(|b| b.is_ascii_digit())).then_some(digits)
}

/// The `corrections:` list, newest first; each names a statement of the
/// article, if any, by its id or a former one.
fn corrections(
    cx: &mut FileContext,
    fields: Vec<CorrectionFields>,
    statements: &[Statement],
) -> Vec<Correction> {
    let mut corrections = Vec::with_capacity(fields.len());
    for (index, fields) in fields.into_iter().enumerate() {
        let within = Within::Item("corrections", index);
        let written = [("date", Some(&fields.date)), ("text", Some(&fields.text))];
        cx.check_texts(within, texts(&written, &[]));
        let line = cx.locator.item_line("corrections", index);
        let field_line = |cx: &FileContext, key| cx.locator.item_field("corrections", index, key);
        let date_line = field_line(cx, "date");
        let date = cx.moment(date_line, "correction date", &fields.date);
        if fields.text.trim().is_empty() {
            let text_line = field_line(cx, "text");
            cx.error_at(
                text_line,
                "correction text: must not be empty",
                "say what was wrong and what it says now",
            );
        }
        let statement = match fields.statement {
            Some(id) => {
                let names = |s: &Statement| s.id == id || s.former_ids.contains(&id);
                match statements.iter().find(|s| names(s)) {
                    Some(found) => Some(found.id.clone()),
                    None => {
                        let statement_line = field_line(cx, "statement");
                        cx.error_at(
                            statement_line,
                            format!("correction names statement `{id}`, which this article does not record"),
                            corrected_statement_hint(statements),
                        );
                        None
                    }
                }
            }
            None => None,
        };
        if let Some(date) = date {
            corrections.push(Correction {
                date,
                text: fields.text.trim().to_owned(),
                statement,
                line,
            });
        }
    }
    // Newest first, as readers look for the latest. Of one date, the one
    // written last is the newest: an appended correction takes the next
    // number, and those published before keep theirs (their anchors).
    corrections.sort_by(|a, b| b.date.cmp(&a.date).then(b.line.cmp(&a.line)));
    corrections
}

/// What a correction naming no statement of its article may do: name
/// one, or, when the one it corrected was withdrawn, none (another's id
/// would pin the correction on words it is not about).
fn corrected_statement_hint(statements: &[Statement]) -> String {
    match statements.is_empty() {
        true => statement_ids_hint(statements),
        false => format!(
            "{}; or, if the statement it corrects was withdrawn, remove `statement:`: the correction stays on the article",
            statement_ids_hint(statements)
        ),
    }
}

/// The ids a correction may name: a few of this article's statements'.
pub(super) fn statement_ids_hint(statements: &[Statement]) -> String {
    const SHOWN: usize = 5;
    let ids: Vec<&str> = statements
        .iter()
        .take(SHOWN)
        .map(|s| s.id.as_str())
        .collect();
    match statements.len() {
        0 => "this article records no statement: remove `statement:` to correct the article itself"
            .to_owned(),
        n if n <= SHOWN => format!("use the id of one of its statements: {}", ids.join(", ")),
        n => format!(
            "use the id of one of its {n} statements, e.g. {}",
            ids.join(", ")
        ),
    }
}

fn statements(
    cx: &mut FileContext,
    fields: Vec<StatementFields>,
    sources: &[Source],
    people: &KnownPeople<'_>,
) -> Vec<Statement> {
    let mut statements = Vec::with_capacity(fields.len());
    let ids: Vec<&str> = sources.iter().map(|s| s.id.as_str()).collect();
    let position_of: HashMap<&str, usize> =
        ids.iter().enumerate().map(|(i, id)| (*id, i)).collect();
    for (index, fields) in fields.into_iter().enumerate() {
        cx.check_texts(Within::Item("statements", index), fields.texts());
        let line = cx.locator.item_field("statements", index, "person");
        let field_line = |cx: &FileContext, key| cx.locator.item_field("statements", index, key);
        if !people.knows(&fields.person) {
            let person_line = field_line(cx, "person");
            cx.error_at(
                person_line,
                format!("unknown person `{}`", fields.person),
                unknown_person_hint(&fields.person, &people.valid),
            );
        }
        if let Some(via) = fields.via.as_deref().filter(|via| !people.knows(via)) {
            let via_line = field_line(cx, "via");
            cx.error_at(
                via_line,
                format!("via: unknown person `{via}`"),
                unknown_person_hint(via, &people.valid),
            );
        }
        if fields.via.as_deref() == Some(fields.person.as_str()) {
            cx.error_at(
                field_line(cx, "via"),
                format!("via: `{}` is the speaker", fields.person),
                "`via:` names who relayed the words for the speaker (a spokesperson, an office); remove it where they spoke themselves",
            );
        }
        let source = position_of.get(fields.source.as_str()).copied();
        if source.is_none() {
            let source_line = field_line(cx, "source");
            let hint = unknown_source_hint(&fields.source, &ids);
            cx.error_at(
                source_line,
                format!(
                    "statement cites source `{}`, which this article does not list",
                    fields.source
                ),
                hint,
            );
        }
        let words = match (non_empty(fields.quote), non_empty(fields.paraphrase)) {
            (Some(quote), None) => Some(Words::Quote(quote)),
            (None, Some(paraphrase)) => Some(Words::Paraphrase(paraphrase)),
            (Some(_), Some(_)) => {
                cx.error_at(
                    line,
                    "a statement has both `quote` and `paraphrase`",
                    "keep one: `quote` for verbatim words, `paraphrase` otherwise",
                );
                None
            }
            (None, None) => {
                cx.error_at(
                    line,
                    "a statement needs `quote` or `paraphrase`",
                    "add the words, verbatim as `quote:` or in summary as `paraphrase:`",
                );
                None
            }
        };
        let date_line = field_line(cx, "date");
        let date = cx.partial_moment(date_line, "statement date", &fields.date);
        let lang_line = field_line(cx, "lang");
        let lang = cx.language(lang_line, fields.lang);
        if let Some(id) = fields.id.as_deref().filter(|id| !is_slug(id)) {
            let id_line = field_line(cx, "id");
            cx.error_at(
                id_line,
                format!("statement id `{id}` is not a valid anchor"),
                "use lowercase letters, digits and dashes",
            );
        }
        for former in fields.former_ids.iter().filter(|id| !is_slug(id)) {
            let line = field_line(cx, "former_ids");
            cx.error_at(
                line,
                format!("former id `{former}` is not a valid anchor"),
                "copy the id as it was published: lowercase letters, digits and dashes",
            );
        }
        let (Some(words), Some(date), Some(source)) = (words, date, source) else {
            continue;
        };
        let id = fields
            .id
            .unwrap_or_else(|| derived_statement_id(&fields.person, &date, &words));
        statements.push(Statement {
            id,
            person: fields.person,
            date,
            words,
            source,
            context: non_empty(fields.context),
            role: non_empty(fields.role),
            lang,
            translation: non_empty(fields.translation),
            former_ids: fields.former_ids,
            via: fields.via,
            delivery: fields.delivery,
            line,
        });
    }
    statements
}

/// `person-YYYY-MM-DD-hash` (`person-YYYY-hash` for a year alone): stable when other statements are added or
/// reordered, because it depends only on this statement's own content.
fn derived_statement_id(person: &str, date: &Moment, words: &Words) -> String {
    use std::hash::Hasher;
    let mut hasher = fnv::FnvHasher::default();
    hasher.write(words.text().as_bytes());
    format!(
        "{person}-{}-{:08x}",
        date.calendar(),
        hasher.finish() as u32
    )
}

/// What to do about a source id the article does not list, given its ids
/// (a few of them: an article may list thousands).
fn unknown_source_hint(wanted: &str, ids: &[&str]) -> String {
    const SHOWN: usize = 10;
    if let Some(id) = ids.iter().find(|id| same_but_invisibly(wanted, id)) {
        return format!(
            "`{wanted}` and this article's source id `{id}` look the same but differ in invisible characters (an accent written as a separate mark, a zero-width space): type one again so that they match"
        );
    }
    match ids.len() {
        0 => "add the document to this article's `sources:` list first".to_owned(),
        n if n <= SHOWN => format!("use one of this article's source ids: {}", ids.join(", ")),
        n => format!(
            "use one of this article's source ids: {}, … ({n} in all)",
            ids[..SHOWN].join(", ")
        ),
    }
}

/// Whether `a` and `b` differ, but only in what a reader cannot see: how
/// accents are encoded (NFC or NFD), or default-ignorable characters such
/// as a zero-width space.
fn same_but_invisibly(a: &str, b: &str) -> bool {
    use unicode_normalization::UnicodeNormalization;
    let seen = |text: &str| -> String {
        let visible = text.chars().filter(|c| !matches!(c, '\u{200B}'..='\u{200F}' | '\u{2060}'..='\u{2064}' | '\u{FEFF}' | '\u{00AD}'));
        visible.collect::<String>().nfc().collect()
    };
    a != b && seen(a) == seen(b)
}

/// What to do about a person id no file has: an id differing only
/// invisibly, spelled like someone's id, name or other name, written as a
/// name or an address (`Ada Example`, `/people/ada/`), or none at all.
fn unknown_person_hint(id: &str, people: &BTreeMap<&str, &Person>) -> String {
    if let Some(person) = people.keys().find(|known| same_but_invisibly(id, known)) {
        return format!(
            "`{id}` and the id `{person}` look the same but differ in invisible characters (a zero-width space, often pasted along): type it again"
        );
    }
    // A page's address pasted whole (`https://…/people/ada/`) or from the root.
    let path = id.rsplit_once("/people/").map_or(id, |(_, after)| after);
    let path = path.trim_matches('/');
    let wanted = slugify(path.strip_prefix("people/").unwrap_or(path));
    if let Some(person) = closest_person(&wanted, people) {
        let id_please = if wanted == id {
            ""
        } else {
            "write the person's id: "
        };
        return format!("{id_please}did you mean `{}` ({})?", person.id, person.name);
    }
    match wanted.as_str() {
        "" => "write a person's id: the name of their file in content/people/, without `.md`"
            .to_owned(),
        _ if wanted != id => format!(
            "write a person's id, the name of their file (lowercase, with hyphens): for a new person, create content/people/{wanted}.md with at least a `name:` field and write `person: {wanted}`"
        ),
        _ => format!("create content/people/{id}.md with at least a `name:` field"),
    }
}

/// The person whose id, name or alias is spelled most like `id`.
fn closest_person<'a>(id: &str, people: &BTreeMap<&str, &'a Person>) -> Option<&'a Person> {
    let score = |person: &Person| {
        std::iter::once(person.id.clone())
            .chain(std::iter::once(slugify(&person.name)))
            .chain(person.aliases.iter().map(|alias| slugify(alias)))
            .map(|candidate| strsim::jaro_winkler(id, &candidate))
            .fold(0.0, f64::max)
    };
    people
        .values()
        .map(|&person| (score(person), person))
        .filter(|(score, _)| *score >= 0.75)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, person)| person)
}

/// A light check of BCP 47 shape: 2–3 letter language, then 1–8 character
/// alphanumeric subtags. Enough to catch typos like `english` or `en_US`.
pub(crate) fn is_language_tag(tag: &str) -> bool {
    let mut parts = tag.split('-');
    let language_ok = parts
        .next()
        .is_some_and(|p| (2..=3).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_alphabetic()));
    language_ok
        && parts.all(|p| (1..=8).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_alphanumeric()))
}

/// `text` cut to a length a message can quote.
fn elided(text: &str) -> String {
    const SHOWN: usize = 40;
    match text.char_indices().nth(SHOWN) {
        Some((end, _)) => format!("{}…", &text[..end]),
        None => text.to_owned(),
    }
}

pub(super) fn non_empty(text: Option<String>) -> Option<String> {
    text.map(|t| t.trim().to_owned()).filter(|t| !t.is_empty())
}

/// Topics or places as labels; a name that cannot make a URL is an error.
fn labels(cx: &mut FileContext, field: &str, names: Vec<String>) -> Vec<Label> {
    let mut labels = Vec::with_capacity(names.len());
    let mut seen = HashSet::new();
    for name in names.iter().filter(|n| !n.trim().is_empty()) {
        let label = Label::new(name);
        let line = cx.locator.field(field);
        let what = format!("{field}: `{}`", elided(name));
        if label.slug.is_empty() {
            cx.error_at(
                line,
                format!("{field}: `{name}` has no letters or digits to make its page's URL from"),
                "add a transliterated form, e.g. `Gaza (غزة)`",
            );
        } else if name.contains(';') {
            // The data's CSV joins a list with `; `: one name holding it
            // would read back as two.
            cx.error_at(
                line,
                format!("{field}: `{name}` holds a `;`"),
                "write each name as an item of its own: `[Aid, Relief]`",
            );
        } else if cx.segment_fits(Some(line), &what, &label.slug, "use a shorter name")
            && seen.insert(label.name.clone())
        {
            labels.push(label);
        }
    }
    labels
}

/// Numeric character references in `text` (`&#7;`, `&#x1B;`): the offset
/// of each, its text and the character it stands for.
fn numeric_references(text: &str) -> impl Iterator<Item = (usize, &str, char)> {
    text.match_indices("&#").filter_map(move |(offset, _)| {
        let rest = &text[offset + 2..];
        let (digits, radix) = match rest.strip_prefix(['x', 'X']) {
            Some(hex) => (hex, 16),
            None => (rest, 10),
        };
        let count = digits
            .find(|c: char| !c.is_digit(radix))
            .unwrap_or(digits.len());
        if count == 0 || !digits[count..].starts_with(';') {
            return None;
        }
        let c = u32::from_str_radix(&digits[..count], radix)
            .ok()
            .and_then(char::from_u32)?;
        let end = offset + 2 + (rest.len() - digits.len()) + count + 1;
        Some((offset, &text[offset..end], c))
    })
}

/// The parsed value, unless the file had errors.
pub(super) fn finish<T>(value: T, diagnostics: Diagnostics) -> (Option<T>, Diagnostics) {
    if diagnostics.has_errors() {
        (None, diagnostics)
    } else {
        (Some(value), diagnostics)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_unknown_person_hint_reads_names_addresses_and_invisible_characters() {
        let ada = Person {
            id: "ada".into(),
            name: "Ada Example".into(),
            ..Person::default()
        };
        let people = BTreeMap::from([("ada", &ada)]);
        let hint = |id| unknown_person_hint(id, &people);
        assert!(hint("Ada Example").contains("did you mean `ada` (Ada Example)?"));
        assert!(hint("/people/ada/").contains("did you mean `ada`"));
        assert!(hint("https://example.org/archive/people/ada/").contains("did you mean `ada`"));
        assert!(hint("https://example.org/people/zed/").contains("create content/people/zed.md"));
        assert!(hint("ada\u{200B}").contains("differ in invisible characters"));
        assert!(hint("").starts_with("write a person's id: the name of their file"));
        assert!(hint("Zed Other").contains("create content/people/zed-other.md"));
        assert_eq!(
            hint("zed"),
            "create content/people/zed.md with at least a `name:` field"
        );
    }

    #[test]
    fn a_source_id_differing_only_invisibly_is_named_so() {
        let (nfc, nfd) = ("caf\u{e9}", "cafe\u{301}");
        let hint = unknown_source_hint(nfd, &[nfc, "other"]);
        assert!(hint.contains("differ in invisible characters"), "{hint}");
        let hint = unknown_source_hint("b\u{200B}", &["b"]);
        assert!(hint.contains("differ in invisible characters"), "{hint}");
        let hint = unknown_source_hint("c", &["b"]);
        assert!(hint.starts_with("use one of"), "{hint}");
    }

    #[test]
    fn date_prefix_is_stripped_from_slugs() {
        assert_eq!(
            strip_date_prefix("2021-05-17-biden-ceasefire"),
            "biden-ceasefire"
        );
        assert_eq!(strip_date_prefix("biden-ceasefire"), "biden-ceasefire");
        assert_eq!(strip_date_prefix("2021-05-17"), "2021-05-17");
    }

    #[test]
    fn language_tags() {
        for good in ["en", "he", "ar", "uk", "en-US", "zh-Hant-TW"] {
            assert!(is_language_tag(good), "{good}");
        }
        for bad in ["english", "en_US", "", "e", "en-"] {
            assert!(!is_language_tag(bad), "{bad}");
        }
    }

    #[test]
    fn derived_ids_depend_only_on_the_statement() {
        let date = Moment::parse("2021-05-17").unwrap();
        let a = derived_statement_id("biden", &date, &Words::Quote("a".into()));
        assert_eq!(
            a,
            derived_statement_id("biden", &date, &Words::Quote("a".into()))
        );
        assert_ne!(
            a,
            derived_statement_id("biden", &date, &Words::Quote("b".into()))
        );
        assert!(a.starts_with("biden-2021-05-17-"));
    }

    fn file(text: &str) -> TextFile {
        TextFile {
            path: "content/articles/2021-05-17-x.md".into(),
            text: text.to_owned(),
        }
    }

    fn people() -> KnownPeople<'static> {
        static BIDEN: std::sync::OnceLock<Person> = std::sync::OnceLock::new();
        let biden = BIDEN.get_or_init(|| {
            let file = TextFile {
                path: "content/people/biden.md".into(),
                text: "---\nname: Joe Biden\n---\n".into(),
            };
            person(&file, RawHtml::Keep).0.expect("valid person")
        });
        KnownPeople {
            valid: BTreeMap::from([(biden.id.as_str(), biden)]),
            broken: BTreeSet::from(["broken".to_owned()]),
        }
    }

    /// Parses `text` as an article, asserting only that it returns.
    fn parse(text: &str) -> (Option<Article>, Diagnostics) {
        article(&file(text), &people(), RawHtml::Keep)
    }

    const VALID: &str = "---\ntitle: T\ndate: 2021-05-17\nsources:\n  - id: wh\n    publisher: White House\nstatements:\n  - person: biden\n    date: 2021-05-17\n    quote: Q\n    source: wh\n---\nBody\n";

    #[test]
    fn only_people_without_a_file_are_unknown() {
        let citing = |id: &str| VALID.replace("person: biden", &format!("person: {id}"));
        let errors = |id: &str| {
            let (_, diagnostics) = parse(&citing(id));
            diagnostics
                .iter()
                .map(|d| d.message.clone())
                .collect::<Vec<_>>()
        };
        assert!(errors("biden").is_empty());
        // A person file with errors reports them itself; its citers are not blamed too.
        assert!(errors("broken").is_empty());
        assert_eq!(errors("nobody"), ["unknown person `nobody`"]);
    }

    #[test]
    fn a_repeated_key_in_a_statement_is_reported_at_the_second() {
        let twice = VALID.replace(
            "    quote: Q\n",
            "    quote: Q\n    context: c\n    quote: R\n",
        );
        let (article, diagnostics) = parse(&twice);
        assert!(article.is_none());
        let found: Vec<_> = diagnostics.iter().map(|d| (d.line, &d.message)).collect();
        assert_eq!(
            found,
            [(
                Some(12),
                &"invalid front matter: statements[0]: duplicate field `quote`".to_owned()
            )]
        );
    }

    #[test]
    fn windows_files_parse() {
        let crlf = VALID.replace('\n', "\r\n");
        let (article, diagnostics) = parse(&crlf);
        assert!(article.is_some(), "{diagnostics}");
    }

    #[test]
    fn tabs_in_front_matter_are_a_clear_error() {
        let (article, diagnostics) =
            parse("---\ntitle: T\ndate: 2021-05-17\nsources:\n\t- id: x\n---\n");
        assert!(article.is_none());
        let text = diagnostics.to_string();
        assert!(text.contains("2021-05-17-x.md:5"), "{text}");
    }

    #[test]
    fn deeply_nested_yaml_is_refused_without_overflow() {
        let nested = format!(
            "---\ntitle: {}{}\ndate: 2021-05-17\n---\n",
            "[".repeat(100_000),
            "]".repeat(100_000)
        );
        let (article, diagnostics) = parse(&nested);
        assert!(article.is_none());
        assert!(diagnostics.has_errors());
    }

    #[test]
    fn a_ten_megabyte_article_parses() {
        let body =
            "A paragraph of reporting with [a link](https://example.org/).\n\n".repeat(170_000);
        let (article, diagnostics) = parse(&format!("{VALID}{body}"));
        assert!(
            article.is_some_and(|a| a.body_html.expand().len() > 10_000_000),
            "{diagnostics}"
        );
    }

    #[test]
    fn path_like_slugs_and_ids_are_refused() {
        let bad_slug = VALID.replace("title: T", "title: T\nslug: ../../etc");
        assert!(parse(&bad_slug).0.is_none());
        let bad_id = VALID.replace("    source: wh\n", "    source: wh\n    id: ../x\n");
        assert!(parse(&bad_id).0.is_none());
        let file = TextFile {
            path: "content/people/..md".into(),
            text: "---\nname: X\n---\n".into(),
        };
        assert!(person(&file, RawHtml::Keep).0.is_none());
    }

    /// The (line, column, message) of each diagnostic of `text` parsed as an article.
    fn found(text: &str) -> Vec<(Option<usize>, Option<usize>, String)> {
        let (article, diagnostics) = parse(text);
        assert_eq!(article.is_none(), diagnostics.has_errors());
        let found = diagnostics
            .iter()
            .map(|d| (d.line, d.column, d.message.clone()));
        found.collect()
    }

    #[test]
    fn control_characters_in_front_matter_are_refused_at_their_field() {
        let cases = [
            ("title: T", "title: \"T\\0\"", 2, "title: contains U+0000"),
            (
                "quote: Q",
                "quote: \"Q\\x07\"",
                10,
                "statements[0].quote: contains U+0007",
            ),
            (
                "publisher: White House",
                "publisher: \"White\\e House\"",
                6,
                "sources[0].publisher: contains U+001B",
            ),
            (
                "date: 2021-05-17\nsources",
                "date: 2021-05-17\ntopics: [\"a\\x85\"]\nsources",
                4,
                "topics: contains U+0085",
            ),
            (
                "    source: wh\n",
                "    source: wh\n    context: \"\\r\"\n",
                12,
                "statements[0].context: contains U+000D",
            ),
            (
                "title: T",
                "title: \"T\\uFFFF\"",
                2,
                "title: contains U+FFFF",
            ),
        ];
        for (from, to, line, says) in cases {
            let found = found(&VALID.replacen(from, to, 1));
            assert_eq!(found.len(), 1, "{to}: {found:?}");
            assert_eq!(found[0].0, Some(line), "{to}: {found:?}");
            assert!(found[0].2.starts_with(says), "{to}: {found:?}");
        }
        let fine = VALID.replace(
            "quote: Q",
            "quote: \"Tab\\tand\\nline\\u2028, «quotes» \\u00a0\"",
        );
        assert_eq!(found(&fine), []);
    }

    #[test]
    fn control_characters_in_person_files_are_refused_at_their_field() {
        let person_with = |text: &str| {
            let file = TextFile {
                path: "content/people/ada.md".into(),
                text: text.to_owned(),
            };
            let (person, diagnostics) = person(&file, RawHtml::Keep);
            assert_eq!(person.is_none(), diagnostics.has_errors());
            let found = diagnostics.iter().map(|d| (d.line, d.message.clone()));
            found.collect::<Vec<_>>()
        };
        let found = person_with("---\nname: Ada\naliases: [\"A\\x08da\"]\n---\nBio\n");
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].0, Some(3));
        assert!(
            found[0].1.starts_with("aliases: contains U+0008"),
            "{found:?}"
        );
        let found = person_with("---\nname: Ada\n---\nA bio \u{1b}[31mred\n");
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].0, Some(4));
        let found = person_with("---\nname: Dora\naliases: [\"Dora; D.\"]\n---\nBio\n");
        assert_eq!(
            found,
            [(Some(3), "aliases: `Dora; D.` holds a `;`".to_owned())]
        );
    }

    const CANNOT: &str = "a control character that web pages and feeds cannot carry";

    #[test]
    fn control_characters_in_bodies_are_refused_raw_or_as_references() {
        let body = |text: &str| found(&format!("{VALID}First line.\n{text}\n"));
        assert_eq!(
            body("Café \u{b}here"),
            [(
                Some(15),
                Some(6),
                format!("the text contains U+000B, {CANNOT}")
            )]
        );
        let reference = body("Sound the &#x7; bell");
        assert_eq!(reference.len(), 1, "{reference:?}");
        assert_eq!((reference[0].0, reference[0].1), (Some(15), Some(11)));
        assert!(
            reference[0].2.starts_with("`&#x7;` stands for U+0007"),
            "{reference:?}"
        );
        assert!(!body("&#27;").is_empty());
        // Tabs, references to other characters, and references in code,
        // which stay text, are fine; so are Windows line ends.
        assert_eq!(body("\tTab &#160; &amp; `&#7;`\r\nnext"), []);
        assert_eq!(found(&VALID.replace('\n', "\r\n")), []);
    }

    #[test]
    fn unsafe_characters_are_found_in_any_chunk_at_their_offset() {
        let prose = "Words, «quotes» and a\u{a0}space — ".repeat(20);
        for (unsafe_char, at) in [
            ('\u{7}', 0),
            ('\u{85}', 63),
            ('\u{ffff}', 64),
            ('\u{1b}', 700),
        ] {
            let mut text = prose.clone();
            let at = (0..=at)
                .rev()
                .find(|&i| text.is_char_boundary(i))
                .unwrap_or(0);
            text.insert(at, unsafe_char);
            assert_eq!(find_unsafe(&text, is_unsafe_char), Some((at, unsafe_char)));
        }
        assert_eq!(find_unsafe(&prose, is_unsafe_char), None);
        assert_eq!(
            find_unsafe("line\r\n", |c| c != '\r' && is_unsafe_char(c)),
            None
        );
        assert_eq!(find_unsafe("line\r\n", is_unsafe_char), Some((4, '\r')));
    }

    #[test]
    fn quoted_lines_show_control_characters_as_symbols() {
        let (_, diagnostics) = parse(&format!("{VALID}Text \u{1b}]0;title\u{7}\n"));
        let snippet = diagnostics.iter().find_map(|d| d.snippet.clone());
        assert_eq!(snippet.as_deref(), Some("Text \u{241b}]0;title\u{2407}"));
    }

    #[test]
    fn names_too_long_for_a_path_segment_are_refused_where_written() {
        let long = "Ministry of Very Long Names ".repeat(8);
        let errors = |text: &str, path: &str| {
            let file = TextFile {
                path: path.into(),
                text: text.to_owned(),
            };
            let (parsed, diagnostics) = article(&file, &people(), RawHtml::Keep);
            assert!(parsed.is_none(), "{path}: refused");
            let found = diagnostics.iter().map(|d| (d.line, d.message.clone()));
            found.collect::<Vec<_>>()
        };
        let at = |text: &str| errors(text, "content/articles/2021-05-17-x.md");
        let topic = VALID.replacen(
            "date: 2021-05-17\n",
            &format!("date: 2021-05-17\ntopics: [{long}]\n"),
            1,
        );
        let found = at(&topic);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].0, Some(4));
        assert!(found[0].1.starts_with("topics: `Ministry of Very Long Names Ministry of …` makes a URL segment of 223 characters"), "{found:?}");
        let publisher = VALID.replace("publisher: White House", &format!("publisher: {long}"));
        assert_eq!(at(&publisher)[0].0, Some(6));
        let slug = |length: usize| {
            VALID.replace(
                "title: T\n",
                &format!("title: T\nslug: {}\n", "a".repeat(length)),
            )
        };
        assert_eq!(at(&slug(201))[0].0, Some(3));
        assert!(parse(&slug(MAX_SEGMENT)).0.is_some());
        let stem = "a-".repeat(120);
        let by_name = errors(VALID, &format!("content/articles/2021-05-17-{stem}.md"));
        assert_eq!(by_name[0].0, None);
        assert!(
            by_name[0]
                .1
                .starts_with("the file name makes a URL segment")
        );

        let person_file = TextFile {
            path: format!("content/people/{stem}x.md").into(),
            text: "---\nname: X\n---\n".into(),
        };
        let (person, diagnostics) = person(&person_file, RawHtml::Keep);
        assert!(person.is_none(), "{diagnostics}");
        assert!(
            diagnostics
                .to_string()
                .contains("makes a URL segment of 241 characters")
        );
    }

    /// The source of `VALID` with `fields` (lines of YAML) added.
    fn source_with(fields: &str) -> (Option<Article>, Diagnostics) {
        let indented: String = fields.lines().map(|l| format!("    {l}\n")).collect();
        let text = VALID.replace(
            "    publisher: White House\n",
            &format!("    publisher: White House\n{indented}"),
        );
        parse(&text)
    }

    /// The archived and accessed dates of the source of `VALID` with `fields`.
    fn source_dates(fields: &str) -> (Option<String>, Option<String>) {
        let (article, diagnostics) = source_with(fields);
        let article = article.unwrap_or_else(|| panic!("{fields}: {diagnostics}"));
        let source = &article.sources[0];
        let iso = |moment: &Option<Moment>| moment.as_ref().map(|m| m.iso().to_owned());
        (iso(&source.archived), iso(&source.accessed))
    }

    #[test]
    fn archived_and_accessed_dates_are_read_as_written() {
        let written = "archive: https://archive.example/x\narchived: 2021-05-18\naccessed: 2021-05-17T09:00:00+03:00";
        assert_eq!(
            source_dates(written),
            (
                Some("2021-05-18".to_owned()),
                Some("2021-05-17T09:00:00+03:00".to_owned())
            )
        );
        assert_eq!(source_dates("url: https://e.org/"), (None, None));
    }

    #[test]
    fn a_wayback_address_dates_its_copy_unless_archived_says_otherwise() {
        let wayback = |archive: &str| source_dates(&format!("archive: {archive}")).0;
        let original = "https://www.whitehouse.gov/briefing-room/";
        let cases = [
            (
                "https://web.archive.org/web/20210517183000/",
                Some("2021-05-17T18:30:00Z"),
            ),
            (
                "https://web.archive.org/web/20210517183000id_/",
                Some("2021-05-17T18:30:00Z"),
            ),
            (
                "https://arquivo.pt/wayback/20210517000102/",
                Some("2021-05-17T00:01:02Z"),
            ),
            // The capture nearest a year or a day: no date of its own.
            ("https://web.archive.org/web/2021/", None),
            ("https://web.archive.org/web/20210517/", None),
            ("https://web.archive.org/web/2021051718300/", None),
            ("https://web.archive.org/web/202105171830001/", None),
            // Digits that make no date, or no original after them.
            ("https://web.archive.org/web/20211317183000/", None),
            ("https://web.archive.org/web/20210230183000/", None),
            ("https://web.archive.org/web/20210517183000*/", None),
        ];
        for (prefix, expected) in cases {
            let archive = format!("{prefix}{original}");
            assert_eq!(wayback(&archive).as_deref(), expected, "{archive}");
        }
        assert_eq!(
            wayback("https://web.archive.org/web/20210517183000/").as_deref(),
            None,
            "no original after the timestamp"
        );
        let explicit = format!(
            "archive: https://web.archive.org/web/20210517183000/{original}\narchived: 2021-05-19"
        );
        assert_eq!(source_dates(&explicit).0.as_deref(), Some("2021-05-19"));
    }

    #[test]
    fn bad_archived_and_accessed_dates_are_errors_at_their_line() {
        for (fields, line, says) in [
            (
                "archive: https://archive.example/x\narchived: 2021-02-30",
                8,
                "archived: `2021-02-30` is not a valid date",
            ),
            (
                "accessed: yesterday",
                7,
                "accessed: `yesterday` is not a valid date",
            ),
            (
                "accessed: 2021-05-17T09:00:00",
                7,
                "accessed: `2021-05-17T09:00:00` is not a valid RFC 3339 date-time",
            ),
        ] {
            let (article, diagnostics) = source_with(fields);
            assert!(article.is_none(), "{fields}");
            let found: Vec<_> = diagnostics.iter().map(|d| (d.line, &d.message)).collect();
            assert_eq!(found, [(Some(line), &says.to_owned())], "{fields}");
            let hint = diagnostics.iter().find_map(|d| d.hint.clone());
            assert!(hint.is_some_and(|h| h.contains("YYYY-MM-DD")), "{fields}");
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(300))]

        #[test]
        fn arbitrary_text_never_panics(text in "\\PC{0,400}") {
            let _ = parse(&text);
            let _ = parse(&format!("---\n{text}\n---\n{text}"));
        }

        #[test]
        fn mutated_valid_articles_never_panic(at in 0usize..VALID.len(), insert in "[-:\\[\\]{}&*!|>'\"%@` \t\n#a-z0-9]{0,12}") {
            let mut text = VALID.to_owned();
            let at = (0..=at).rev().find(|i| text.is_char_boundary(*i)).unwrap_or(0);
            text.insert_str(at, &insert);
            let _ = parse(&text);
        }

        #[test]
        fn arbitrary_bytes_as_lossy_text_never_panic(bytes in proptest::collection::vec(proptest::num::u8::ANY, 0..300)) {
            let _ = parse(&String::from_utf8_lossy(&bytes));
        }
    }
}
