//! Translations: a file `<name>.<code>.md` beside `<name>.md` in
//! `content/articles/`, `content/people/` or `content/pages/` carries the
//! words of that article, person or page in language `<code>`; everything
//! else (dates, sources, statements, addresses) is the original's.
//!
//! A file is a translation by its name alone, so that parsing does not
//! depend on `annals.yaml`: whether its language is one of the site's, and
//! whether its original exists, are checked when the site is assembled
//! ([`assemble`]), where a change to either file or to the settings is seen
//! the same way by a full build and by watch.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::Deserialize;
use serde::de::IgnoredAny;

use super::parse::{
    FileContext, Within, finish, front_matter, non_empty, statement_ids_hint, texts,
};
use super::{
    Article, ArticleTranslation, FileRead, Html, PageTranslation, Parsed, Person,
    PersonTranslation, SitePage, TextFile, Translations,
};
use crate::config::Config;
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::markdown::{self, RawHtml};

/// What a translation file's name says: the original's path without its
/// extension (`content/people/joe-biden`), and the language tag as written.
///
/// The tag is the last dot-separated part of the name before the extension,
/// if it is a BCP 47 tag whose language subtag is two or three lowercase
/// letters (`ar`, `uk`, `pt-BR`, `zh-Hant`). That is strict on purpose:
/// `report.final.md`, `v1.2.md` or `talks.UN.md` stay articles, while a name
/// that looks like a translation into a language the site does not have
/// (`talks.de.md`) is an error rather than a separate article in the wrong
/// language. Editors write language codes in lowercase in file names, as
/// Hugo and Zola users do.
pub(crate) fn name(path: &Path) -> Option<(PathBuf, &str)> {
    let stem = path.file_stem()?.to_str()?;
    let (name, tag) = stem.rsplit_once('.')?;
    let language = tag.split('-').next().unwrap_or_default();
    let lowercase = language.bytes().all(|b| b.is_ascii_lowercase());
    let is_tag = lowercase && super::is_language_tag(tag);
    (is_tag && !name.is_empty()).then(|| (path.with_file_name(name), tag))
}

/// Whether the content file at `path` is a translation (see [`name`]).
pub(crate) fn is_translation(path: &Path) -> bool {
    name(path).is_some()
}

/// The path without extension of the original a translation file
/// translates (see [`name`]).
pub(crate) fn original(path: &Path) -> Option<PathBuf> {
    name(path).map(|(stem, _)| stem)
}

/// The kinds of content that have translations.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
    Article,
    Person,
    Page,
}

impl Kind {
    /// The front matter a translation of this kind may carry: the words.
    fn words(self) -> &'static [&'static str] {
        match self {
            Kind::Article => &["title", "summary", "updated", "translations"],
            Kind::Person => &["name", "role", "affiliation"],
            Kind::Page => &["title", "summary"],
        }
    }

    /// The original's own fields, which a translation may not repeat.
    fn original_only(self) -> &'static [&'static str] {
        match self {
            Kind::Article => &[
                "date",
                "slug",
                "draft",
                "topics",
                "places",
                "sources",
                "statements",
                "redirect_from",
                "corrections",
                "reviewed",
            ],
            Kind::Person => &["kind", "aliases", "links", "distinct_from", "redirect_from"],
            Kind::Page => &["slug", "menu", "weight"],
        }
    }

    fn noun(self) -> &'static str {
        match self {
            Kind::Article => "an article",
            Kind::Person => "a person",
            Kind::Page => "a page",
        }
    }
}

/// A translation file's parse result, of the kind of its area.
#[derive(Debug, Clone)]
pub(crate) enum Translated {
    Article(Arc<ArticleTranslation>),
    Person(Arc<PersonTranslation>),
    Page(Arc<PageTranslation>),
}

impl Translated {
    /// Whether `before` and `after` show the same on pages other than the
    /// translation's own: an article translation's title, summary and
    /// statements' words, which lists, person and year pages and the
    /// translations table show. A person's or page's is taken as changed:
    /// a name or title shows on many pages, and editing one is rare.
    pub(crate) fn listed_alike(before: Option<&Translated>, after: Option<&Translated>) -> bool {
        match (before, after) {
            (Some(Translated::Article(a)), Some(Translated::Article(b))) => {
                (&a.title, &a.summary, &a.statements) == (&b.title, &b.summary, &b.statements)
            }
            _ => false,
        }
    }
}

/// One content file read: parsed as a translation when its name says it is
/// one ([`name`]), else by `original`.
pub(super) fn or_original<T>(
    kind: Kind,
    (path, read): FileRead,
    raw_html: RawHtml,
    original: impl FnOnce(&TextFile) -> Parsed<T>,
) -> (PathBuf, Entry<T>) {
    let translation = is_translation(&path);
    let entry = match (read, translation) {
        (Ok(file), true) => Entry::Translation(parse(kind, &file, raw_html)),
        (Ok(file), false) => Entry::Original(original(&file)),
        (Err(diagnostics), true) => Entry::Translation((None, diagnostics)),
        (Err(diagnostics), false) => Entry::Original((None, diagnostics)),
    };
    (path, entry)
}

/// A content file's parse result: an original's or a translation's.
pub(super) enum Entry<T> {
    Original(Parsed<T>),
    Translation(Parsed<Translated>),
}

#[derive(Deserialize)]
struct ArticleFields {
    title: String,
    summary: Option<String>,
    updated: Option<String>,
    #[serde(default)]
    translations: BTreeMap<String, String>,
}

#[derive(Deserialize)]
struct PersonFields {
    name: String,
    role: Option<String>,
    affiliation: Option<String>,
}

#[derive(Deserialize)]
struct PageFields {
    title: String,
    summary: Option<String>,
}

/// The front matter of a translation of one kind.
trait Words: serde::de::DeserializeOwned {
    const KIND: Kind;
    /// Its text fields, for the check of characters no page can carry;
    /// the first is what lists show it by (`title`, `name`), which must be
    /// given.
    fn written(&self) -> Vec<(&'static str, Option<&String>)>;
}

impl Words for ArticleFields {
    const KIND: Kind = Kind::Article;
    fn written(&self) -> Vec<(&'static str, Option<&String>)> {
        vec![
            ("title", Some(&self.title)),
            ("summary", self.summary.as_ref()),
            ("updated", self.updated.as_ref()),
        ]
    }
}

impl Words for PersonFields {
    const KIND: Kind = Kind::Person;
    fn written(&self) -> Vec<(&'static str, Option<&String>)> {
        vec![
            ("name", Some(&self.name)),
            ("role", self.role.as_ref()),
            ("affiliation", self.affiliation.as_ref()),
        ]
    }
}

impl Words for PageFields {
    const KIND: Kind = Kind::Page;
    fn written(&self) -> Vec<(&'static str, Option<&String>)> {
        vec![
            ("title", Some(&self.title)),
            ("summary", self.summary.as_ref()),
        ]
    }
}

fn parse(kind: Kind, file: &TextFile, raw_html: RawHtml) -> Parsed<Translated> {
    fn shared<T>(
        parsed: Result<Parsed<T>, Diagnostics>,
        to: fn(Arc<T>) -> Translated,
    ) -> Parsed<Translated> {
        match parsed {
            Ok((value, diagnostics)) => (value.map(|v| to(Arc::new(v))), diagnostics),
            Err(diagnostics) => (None, diagnostics),
        }
    }
    match kind {
        Kind::Article => shared(
            opened(file).map(|o| article(o, raw_html)),
            Translated::Article,
        ),
        Kind::Person => shared(
            opened(file).map(|o| person(o, raw_html)),
            Translated::Person,
        ),
        Kind::Page => shared(opened(file).map(|o| page(o, raw_html)), Translated::Page),
    }
}

/// A translation file read: its context, its parts and its front matter.
type Opened<'a, T> = (FileContext<'a>, super::front_matter::Split<'a>, T);

/// A translation's front matter as `T`, its words checked, with each field
/// it may not carry reported at its line: the original's own fields with
/// what to do, others as unknown.
fn opened<'a, T: Words>(file: &'a TextFile) -> Result<Opened<'a, T>, Diagnostics> {
    let kind = T::KIND;
    let mut diagnostics = Diagnostics::default();
    let Some((split, fields)) = front_matter::<T>(file, &mut diagnostics) else {
        return Err(diagnostics);
    };
    let keys: BTreeMap<String, IgnoredAny> = crate::yaml::from_str(split.yaml).unwrap_or_default();
    let mut cx = FileContext::new(file, &split, diagnostics);
    for key in keys
        .keys()
        .filter(|key| !kind.words().contains(&key.as_str()))
    {
        let line = cx.locator.field(key);
        let allowed = kind.words().join(", ");
        if kind.original_only().contains(&key.as_str()) {
            let message = match key.as_str() {
                "sources" | "statements" => {
                    "sources and statements are the original's: a translation does not repeat them"
                        .to_owned()
                }
                _ => format!("`{key}` is the original's: a translation does not repeat it"),
            };
            cx.error_at(
                line,
                message,
                format!("remove it here and keep it in the original; a translation of {} gives its words: {allowed}, and the text", kind.noun()),
            );
        } else {
            cx.error_at(
                line,
                format!("unknown field `{key}` in a translation"),
                format!(
                    "a translation of {} gives {allowed}, and the text",
                    kind.noun()
                ),
            );
        }
    }
    let written = fields.written();
    cx.check_texts(Within::Top, texts(&written, &[]));
    if let Some((key, Some(heading))) = written.first() {
        title_given(&mut cx, key, heading);
    }
    Ok((cx, split, fields))
}

fn article(
    (mut cx, split, fields): Opened<ArticleFields>,
    raw_html: RawHtml,
) -> Parsed<ArticleTranslation> {
    let updated_line = cx.locator.field("updated");
    let updated =
        (fields.updated.as_deref()).and_then(|text| cx.moment(updated_line, "updated", text));
    let mut statements = BTreeMap::new();
    for (id, text) in fields.translations {
        let line = cx.locator.map_field("translations", &id);
        if let Some((message, hint)) = super::unsafe_text(&format!("translations: {id}"), &text) {
            cx.error_at(line, message, hint);
        } else if text.trim().is_empty() {
            cx.error_at(
                line,
                format!("translations: `{id}` must not be empty"),
                "write the statement's words in this file's language, or remove the line",
            );
        }
        statements.insert(id, (text.trim().to_owned(), line));
    }
    let body = markdown::render(split.body, raw_html, &[]);
    cx.check_body(split.body, &body);
    let summary = non_empty(fields.summary);
    let translation = ArticleTranslation {
        file: cx.file.to_path_buf(),
        title: fields.title.trim().to_owned(),
        summary_written: summary.is_some(),
        summary: summary.unwrap_or(body.first_paragraph),
        updated,
        updated_line,
        statements,
        citations: cx.lines_in_body(split.body, body.unknown_citations),
        internal_links: cx.lines_in_body(split.body, body.internal_links),
        body_words: crate::words::distinct(&body.text),
        body_html: Html::new(&body.html),
    };
    finish(translation, cx.diagnostics)
}

fn person(
    (mut cx, split, fields): Opened<PersonFields>,
    raw_html: RawHtml,
) -> Parsed<PersonTranslation> {
    let bio = markdown::render(split.body, raw_html, &[]);
    cx.check_body(split.body, &bio);
    let translation = PersonTranslation {
        file: cx.file.to_path_buf(),
        name: fields.name.trim().to_owned(),
        role: non_empty(fields.role),
        affiliation: non_empty(fields.affiliation),
        bio_html: bio.html,
    };
    finish(translation, cx.diagnostics)
}

fn page((mut cx, split, fields): Opened<PageFields>, raw_html: RawHtml) -> Parsed<PageTranslation> {
    let body = markdown::render(split.body, raw_html, &[]);
    cx.check_body(split.body, &body);
    let translation = PageTranslation {
        file: cx.file.to_path_buf(),
        title: fields.title.trim().to_owned(),
        summary: non_empty(fields.summary).unwrap_or(body.first_paragraph),
        internal_links: cx.lines_in_body(split.body, body.internal_links),
        body_words: crate::words::distinct(&body.text),
        body_html: Html::new(&body.html),
    };
    finish(translation, cx.diagnostics)
}

/// Reports an empty `key` (a title, a name): lists show it.
fn title_given(cx: &mut FileContext, key: &str, text: &str) {
    if text.trim().is_empty() {
        let line = cx.locator.field(key);
        cx.error_at(
            line,
            format!("{key}: must not be empty"),
            format!("write the {key} in this file's language"),
        );
    }
}

/// Each original by its path without extension, `None` where its file has
/// errors (reported there: its translations are not blamed as well).
pub(super) struct Originals<'a> {
    pub articles: HashMap<PathBuf, Option<&'a Article>>,
    pub people: HashMap<PathBuf, Option<&'a Person>>,
    pub pages: HashMap<PathBuf, Option<&'a SitePage>>,
}

/// `files` (path → value, if valid) by path without extension.
pub(super) fn by_stem<'a, T, V: 'a>(
    files: impl Iterator<Item = (&'a PathBuf, &'a Option<V>)>,
    value: impl Fn(&'a V) -> &'a T,
) -> HashMap<PathBuf, Option<&'a T>> {
    files
        .map(|(path, parsed)| (path.with_extension(""), parsed.as_ref().map(&value)))
        .collect()
}

/// Every valid translation attached to its original by the original's key
/// (slug or person id) and language code as `languages:` spells it, with
/// the problems across files: a language the site does not have, an
/// original that is missing, statement ids and citations the original does
/// not have, two files for one original and language. Translations of
/// drafts are left out with them.
pub(super) fn assemble(
    translations: &BTreeMap<PathBuf, Parsed<Translated>>,
    originals: &Originals,
    config: &Config,
    drafts: bool,
    diagnostics: &mut Diagnostics,
) -> Translations {
    let mut attached = Translations::default();
    for (path, (translated, found)) in translations {
        diagnostics.extend(found.clone());
        let Some((stem, tag)) = name(path) else {
            continue;
        };
        let Some(code) = language(config, path, tag, diagnostics) else {
            continue;
        };
        // `Some` when the original's file exists, valid or not.
        let found = match translated {
            Some(Translated::Article(t)) => originals.articles.get(&stem).map(|article| {
                if let Some(article) = article.filter(|a| drafts || !a.draft) {
                    article_fits(article, t, diagnostics);
                    let slot = attached.articles.entry(article.slug.clone()).or_default();
                    insert(slot, code, Arc::clone(t), &t.file, diagnostics);
                }
            }),
            Some(Translated::Person(t)) => originals.people.get(&stem).map(|person| {
                if let Some(person) = person {
                    let slot = attached.people.entry(person.id.clone()).or_default();
                    insert(slot, code, Arc::clone(t), &t.file, diagnostics);
                }
            }),
            Some(Translated::Page(t)) => originals.pages.get(&stem).map(|page| {
                if let Some(page) = page {
                    let slot = attached.pages.entry(page.slug.clone()).or_default();
                    insert(slot, code, Arc::clone(t), &t.file, diagnostics);
                }
            }),
            None => original_exists(originals, &stem).then_some(()),
        };
        if found.is_none() {
            diagnostics.push(missing_original(path, &stem));
        }
    }
    attached
}

/// Whether any file (valid or not) is the original of `stem`, for a
/// translation with errors of its own.
fn original_exists(originals: &Originals, stem: &Path) -> bool {
    originals.articles.contains_key(stem)
        || originals.people.contains_key(stem)
        || originals.pages.contains_key(stem)
}

/// The code of `tag` as `languages:` spells it, or the error for a file
/// named in a language the site does not have.
fn language<'c>(
    config: &'c Config,
    path: &Path,
    tag: &str,
    diagnostics: &mut Diagnostics,
) -> Option<&'c str> {
    let code = config
        .languages
        .keys()
        .find(|code| code.eq_ignore_ascii_case(tag));
    if code.is_none() {
        let error = if tag.eq_ignore_ascii_case(&config.language) {
            Diagnostic::error(
                path,
                format!("`{tag}` is the site's default language: its text is the original, not a translation"),
            )
            .with_hint(format!("move this text into the original (the same name without `.{tag}`), or rename the file"))
        } else {
            Diagnostic::error(
                path,
                format!("the file is named as a translation into `{tag}`, which is not one of the site's languages"),
            )
            .with_hint(format!("add `{tag}` to languages: in annals.yaml or rename the file"))
        };
        diagnostics.push(error);
    }
    code.map(String::as_str)
}

fn missing_original(path: &Path, stem: &Path) -> Diagnostic {
    let original = crate::content::slash_path(stem);
    Diagnostic::error(
        path,
        format!("a translation of `{original}.md`, which does not exist"),
    )
    .with_hint(format!(
        "add the original `{original}.md`, or rename this file if it is not a translation"
    ))
}

/// Puts `translation` in `slot` under `code`, unless another file already
/// translates the original into it (`a.ar.md` and `a.ar.markdown`).
fn insert<T>(
    slot: &mut BTreeMap<String, Arc<T>>,
    code: &str,
    translation: Arc<T>,
    file: &Path,
    diagnostics: &mut Diagnostics,
) {
    if slot.contains_key(code) {
        diagnostics.push(
            Diagnostic::error(
                file,
                format!("a second translation into `{code}` of one original"),
            )
            .with_hint("keep one translation per language: merge the two files"),
        );
        return;
    }
    slot.insert(code.to_owned(), translation);
}

/// Checks what an article translation names of its original: statement
/// ids in `translations:`, and sources cited inline.
fn article_fits(
    article: &Article,
    translation: &ArticleTranslation,
    diagnostics: &mut Diagnostics,
) {
    for (id, (_, line)) in &translation.statements {
        if !article.statements.iter().any(|s| &s.id == id) {
            // A former id: the statement was corrected since it was
            // translated, so the translation is the editor's to check.
            if let Some(now) = (article.statements.iter()).find(|s| s.former_ids.contains(id)) {
                diagnostics.push(
                    Diagnostic::error(
                        &translation.file,
                        format!("translations: `{id}` is a former id of statement `{}`", now.id),
                    )
                    .at_line(*line)
                    .with_hint(format!("the statement changed since it was translated: write `{}:` for `{id}:`, once the translation says what the statement says now", now.id)),
                );
                continue;
            }
            diagnostics.push(
                Diagnostic::error(
                    &translation.file,
                    format!("translations: `{id}` is not a statement of the original"),
                )
                .at_line(*line)
                .with_hint(statement_ids_hint(&article.statements)),
            );
        }
    }
    for (id, line) in &translation.citations {
        if !article.sources.iter().any(|s| &s.id == id) {
            diagnostics.push(
                Diagnostic::error(
                    &translation.file,
                    format!(
                        "`{}{id}` names no source of the original",
                        markdown::CITATION_SCHEME
                    ),
                )
                .at_line(*line)
                .with_hint("cite one of the original's sources by its id"),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[track_caller]
    fn named(path: &str, expected: Option<(&str, &str)>) {
        let found = name(Path::new(path));
        let found = found
            .as_ref()
            .map(|(stem, tag)| (stem.to_str().unwrap_or_default(), *tag));
        assert_eq!(found, expected, "{path}");
    }

    #[test]
    fn a_translation_is_named_by_a_lowercase_language_tag_before_the_extension() {
        named(
            "content/articles/2021/talks.ar.md",
            Some(("content/articles/2021/talks", "ar")),
        );
        named(
            "content/people/joe-biden.uk.markdown",
            Some(("content/people/joe-biden", "uk")),
        );
        named(
            "content/pages/about.pt-BR.md",
            Some(("content/pages/about", "pt-BR")),
        );
        named(
            "content/pages/about.zh-Hant.md",
            Some(("content/pages/about", "zh-Hant")),
        );
        named(
            "content/articles/talks.ast.md",
            Some(("content/articles/talks", "ast")),
        );
        // Ordinary names with dots stay originals.
        named("content/articles/report.final.md", None);
        named("content/articles/v1.2.md", None);
        named("content/articles/talks.UN.md", None);
        named("content/people/ben.sample.md", None);
        named("content/articles/a.b-c.md", None);
        named("content/articles/talks.md", None);
        named("content/articles/.ar.md", None);
    }

    fn file(name: &str, text: &str) -> TextFile {
        TextFile {
            path: PathBuf::from(name),
            text: text.to_owned(),
        }
    }

    /// (line, message) of each diagnostic of a translation of `kind`.
    fn found(kind: Kind, text: &str) -> Vec<(Option<usize>, String)> {
        let (parsed, diagnostics) = parse(kind, &file("content/x.ar.md", text), RawHtml::Keep);
        assert_eq!(parsed.is_none(), diagnostics.has_errors(), "{diagnostics}");
        diagnostics
            .iter()
            .map(|d| (d.line, d.message.clone()))
            .collect()
    }

    #[test]
    fn an_article_translation_gives_words_and_statement_translations() {
        let text = "---\ntitle: عنوان\nupdated: 2021-05-20\ntranslations:\n  ada-talks: كلمات\n---\nنص *المقال*.\n";
        let (parsed, diagnostics) = parse(
            Kind::Article,
            &file("content/articles/a.ar.md", text),
            RawHtml::Keep,
        );
        let Some(Translated::Article(translation)) = parsed else {
            panic!("{diagnostics}")
        };
        assert_eq!(translation.title, "عنوان");
        assert_eq!(translation.summary, "نص المقال.");
        assert!(!translation.summary_written);
        assert_eq!(translation.statements["ada-talks"], ("كلمات".to_owned(), 5));
        assert_eq!(
            translation
                .updated
                .as_ref()
                .map(|u| u.iso().to_owned())
                .as_deref(),
            Some("2021-05-20")
        );
    }

    #[test]
    fn the_originals_fields_are_errors_at_their_line() {
        let found = found(
            Kind::Article,
            "---\ntitle: A\nsources:\n  - id: x\n    publisher: P\ndate: 2021-01-01\ntitel: B\n---\n",
        );
        assert_eq!(found.len(), 3, "{found:?}");
        assert_eq!(found[0].0, Some(6));
        assert!(found[0].1.contains("`date` is the original's"), "{found:?}");
        assert_eq!(found[1].0, Some(3));
        assert!(
            found[1]
                .1
                .contains("sources and statements are the original's")
        );
        assert_eq!(found[2].0, Some(7));
        assert!(found[2].1.contains("unknown field `titel`"));
    }

    #[test]
    fn people_and_pages_translate_their_words_only() {
        let person = found(
            Kind::Person,
            "---\nname: جو\nrole: رئيس\nlinks: [https://e.org/]\n---\nسيرة.\n",
        );
        assert_eq!(person.len(), 1);
        assert_eq!(person[0].0, Some(4));
        assert!(person[0].1.contains("`links` is the original's"));
        let page = found(Kind::Page, "---\ntitle: حول\nmenu: true\n---\n");
        assert_eq!(page.len(), 1);
        assert!(page[0].1.contains("`menu` is the original's"));
        assert!(found(Kind::Page, "---\ntitle: حول\n---\nنص.\n").is_empty());
        let empty = found(Kind::Person, "---\nname: \" \"\n---\n");
        assert_eq!(empty, [(Some(2), "name: must not be empty".to_owned())]);
    }

    /// The site of `files` (path, text) with `languages` in its settings.
    fn site(
        files: &[(&str, &str)],
        languages: &str,
        drafts: bool,
    ) -> Result<super::super::Site, Diagnostics> {
        use rayon::prelude::*;
        let area = |dir: &str| -> Vec<FileRead> {
            (files.iter())
                .filter(|(path, _)| path.starts_with(dir))
                .map(|(path, text)| (PathBuf::from(path), Ok(file(path, text))))
                .collect()
        };
        let content = super::super::Content::parse(
            area("content/people").into_par_iter(),
            area("content/articles").into_par_iter(),
            area("content/pages").into_par_iter(),
            RawHtml::Keep,
        );
        let config = Config::parse(&format!(
            "title: t\nbase_url: https://e.org/\nlanguages:\n{languages}"
        ))
        .expect("settings");
        content.site(config, super::super::LoadOptions { drafts })
    }

    const DRAFT: &str = "---\ntitle: A\ndate: 2021-05-17\ndraft: true\n---\n";

    #[test]
    fn translations_attach_by_the_code_as_languages_spells_it() {
        let files = [
            ("content/pages/about.md", "---\ntitle: About\n---\n"),
            ("content/pages/about.pt-br.md", "---\ntitle: Sobre\n---\n"),
        ];
        let site = site(&files, "  pt-BR:\n    title: Registro\n", false).expect("valid");
        assert_eq!(site.translations.pages["about"]["pt-BR"].title, "Sobre");
    }

    #[test]
    fn a_drafts_translation_is_left_out_with_it() {
        let files = [
            ("content/articles/a.md", DRAFT),
            ("content/articles/a.ar.md", "---\ntitle: ع\n---\n"),
        ];
        let languages = "  ar:\n    title: س\n";
        let site_without = site(&files, languages, false).expect("valid");
        assert!(site_without.translations.articles.is_empty());
        let with_drafts = site(&files, languages, true).expect("valid");
        assert_eq!(with_drafts.translations.articles["a"]["ar"].title, "ع");
    }

    #[test]
    fn an_original_with_errors_is_not_reported_missing() {
        let files = [
            ("content/articles/a.md", "---\ntitle: A\n---\n"),
            ("content/articles/a.ar.md", "---\ntitle: ع\n---\n"),
        ];
        let errors = site(&files, "  ar:\n    title: س\n", false).expect_err("a.md has no date");
        let messages: Vec<&str> = errors.iter().map(|d| d.message.as_str()).collect();
        assert_eq!(messages.len(), 1, "{messages:?}");
        assert!(messages[0].contains("missing field `date`"), "{messages:?}");
    }

    #[test]
    fn statement_translations_are_checked_where_written() {
        let found = found(
            Kind::Article,
            "---\ntitle: A\ntranslations:\n  one: \"\"\n  two: \"a\\x07\"\n---\n",
        );
        assert_eq!(found.len(), 2, "{found:?}");
        assert_eq!(
            found[0],
            (Some(4), "translations: `one` must not be empty".to_owned())
        );
        assert_eq!(found[1].0, Some(5));
    }
}
