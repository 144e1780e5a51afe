//! The interface in the site's language: its strings (built-in catalogues,
//! overridden or added by a site's `i18n/<language>.yaml`), counts in their
//! plural forms, and numbers and dates as the language writes them (ICU4X,
//! compiled data). Templates read plain strings as `ui.<key>` (one map in
//! Tera's global context: a lookup, no call), call `t(key=…, count=…,
//! name=…)` for counts and texts with blanks, and write numbers with the
//! `num` filter; `dir` is `ltr` or `rtl`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, LazyLock};

use fnv::FnvHashMap;
use icu_collator::options::{CollatorOptions, Strength};
use icu_collator::preferences::CollationNumericOrdering;
use icu_collator::{Collator, CollatorBorrowed, CollatorPreferences};
use icu_decimal::DecimalFormatter;
use icu_decimal::input::Decimal;
use icu_decimal::options::{DecimalFormatterOptions, GroupingStrategy};
use icu_locale_core::Locale;
use icu_plurals::{PluralCategory, PluralRules};
use serde::Deserialize;
use tera::{Kwargs, State, Tera, TeraResult, Value};

use crate::dates::Dates;
use crate::diagnostic::{Diagnostic, Diagnostics};

/// The folder of a site's own catalogues, at its root.
pub(crate) const DIR: &str = "i18n";

/// The language every string falls back to; its catalogue lists every key.
const DEFAULT: &str = "en";

/// The built-in catalogues, compiled in from `src/i18n/` (not the example
/// site's `i18n/`: the repository is a site too, in English).
const BUILT_IN: &[(&str, &str)] = &[
    ("en", include_str!("i18n/en.yaml")),
    ("ar", include_str!("i18n/ar.yaml")),
    ("de", include_str!("i18n/de.yaml")),
    ("es", include_str!("i18n/es.yaml")),
    ("fr", include_str!("i18n/fr.yaml")),
    ("he", include_str!("i18n/he.yaml")),
    ("ru", include_str!("i18n/ru.yaml")),
    ("uk", include_str!("i18n/uk.yaml")),
];

/// Right-to-left languages, by primary subtag, for `<html dir>` and a
/// statement's `dir`: the languages whose usual script (Arabic, Hebrew,
/// Syriac, Thaana) runs right to left. A small table rather than ICU4X's
/// likely-subtags data: a tag naming a script says so itself (`-Arab`).
const RTL_LANGUAGES: &[&str] = &[
    "ar", "arc", "ckb", "dv", "fa", "he", "iw", "ps", "sd", "syr", "ug", "ur", "yi",
];

/// Scripts written right to left, for tags that name one (`pa-Arab`).
const RTL_SCRIPTS: &[&str] = &["arab", "hebr", "syrc", "thaa", "nkoo", "adlm", "rohg"];

/// Whether text in language `tag` runs right to left.
pub(crate) fn is_rtl(tag: &str) -> bool {
    let mut parts = tag.split(['-', '_']);
    let language = parts.next().unwrap_or_default().to_ascii_lowercase();
    let script = parts.find(|p| p.len() == 4 && p.bytes().all(|b| b.is_ascii_alphabetic()));
    match script {
        Some(script) => RTL_SCRIPTS.contains(&script.to_ascii_lowercase().as_str()),
        None => RTL_LANGUAGES.contains(&language.as_str()),
    }
}

/// One string of a catalogue.
#[derive(Debug, Clone)]
enum Text {
    Plain(String),
    /// One form per CLDR plural category the language uses.
    Counted(Forms),
}

/// A count's forms: `other` always, the rest where the language has them.
#[derive(Debug, Clone)]
struct Forms {
    other: String,
    /// zero, one, two, few, many.
    by_category: [Option<String>; 5],
}

impl Forms {
    fn of(&self, category: PluralCategory) -> &str {
        let slot = match category {
            PluralCategory::Zero => Some(0),
            PluralCategory::One => Some(1),
            PluralCategory::Two => Some(2),
            PluralCategory::Few => Some(3),
            PluralCategory::Many => Some(4),
            PluralCategory::Other => None,
        };
        slot.and_then(|i| self.by_category[i].as_deref())
            .unwrap_or(&self.other)
    }

    /// Every form written.
    fn texts(&self) -> impl Iterator<Item = &String> {
        std::iter::once(&self.other).chain(self.by_category.iter().flatten())
    }
}

const CATEGORIES: [&str; 5] = ["zero", "one", "two", "few", "many"];

/// As templates see it: a plain string as text; a count as its forms by
/// category, for a script that picks one itself (`search.js`).
impl serde::Serialize for Text {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Text::Plain(text) => serializer.serialize_str(text),
            Text::Counted(forms) => {
                let named = CATEGORIES.iter().zip(&forms.by_category);
                let mut map: BTreeMap<&str, &str> = named
                    .filter_map(|(name, form)| Some((*name, form.as_deref()?)))
                    .collect();
                map.insert("other", &forms.other);
                map.serialize(serializer)
            }
        }
    }
}

/// A catalogue file's entries as written.
#[derive(Deserialize)]
#[serde(untagged)]
enum Written {
    Plain(String),
    Counted(BTreeMap<String, String>),
    /// Anything else (nothing, a number, a list): an error at its key's
    /// line, not a failure of the whole file at its first.
    Other(serde::de::IgnoredAny),
}

type Catalogue = FnvHashMap<String, Text>;

/// The English catalogue: every key there is.
static ENGLISH: LazyLock<Catalogue> = LazyLock::new(|| {
    parse(
        Path::new("(built-in) src/i18n/en.yaml"),
        BUILT_IN[0].1,
        None,
    )
    .0
});

/// The interface in one language: its strings, and how it writes numbers,
/// counts and dates. Built once per build; cheap to share.
pub(crate) struct Ui {
    tag: String,
    texts: Catalogue,
    /// `None` only should ICU4X's compiled data lack even the root
    /// locale's: then every count takes its `other` form.
    plurals: Option<PluralRules>,
    /// `None` likewise: then numbers are written with ASCII digits.
    numbers: Option<DecimalFormatter>,
    /// How the language orders names; `None` likewise: then by code point.
    collator: Option<CollatorBorrowed<'static>>,
    /// The same, telling letters apart only (É is E in English, Ä is not
    /// A in Swedish).
    letters: Option<CollatorBorrowed<'static>>,
    /// Each ASCII digit as the language writes it (`٠`…`٩` in Arabic).
    digits: [String; 10],
    dates: Dates,
    rtl: bool,
    /// `ui` as templates see it: every string by key, a count's forms by
    /// CLDR category.
    value: Value,
    /// The interfaces of the site's other languages (`languages:`), by
    /// code: kept with the default's so that every renderer borrows its
    /// language's for as long as the default's lives.
    others: BTreeMap<String, Arc<Ui>>,
}

impl std::fmt::Debug for Ui {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Ui").field("tag", &self.tag).finish()
    }
}

impl Ui {
    /// The interface in `tag` (BCP 47): the built-in catalogue of its
    /// language over English, and `site_file` (the site's
    /// `i18n/<tag>.yaml`) over both. Errors and warnings are about
    /// `site_file`, or name the file to add when nothing translates `tag`.
    pub(crate) fn new(tag: &str, site_file: Option<(&Path, &str)>) -> (Ui, Diagnostics) {
        let mut found = Diagnostics::default();
        let mut texts = ENGLISH.clone();
        let own = built_in(tag).map(|text| {
            let file = format!("(built-in) src/i18n/{}.yaml", language_of(tag));
            parse(Path::new(&file), text, Some(&ENGLISH)).0
        });
        let site = site_file.map(|(path, text)| {
            let (site, problems) = parse(path, text, Some(&ENGLISH));
            found.extend(problems);
            site
        });
        if language_of(tag) != DEFAULT {
            found.extend(missing(tag, own.as_ref(), site.as_ref(), site_file));
        }
        texts.extend(own.into_iter().flatten());
        texts.extend(site.into_iter().flatten());
        (Ui::with_texts(tag, texts), found)
    }

    fn with_texts(tag: &str, texts: Catalogue) -> Ui {
        let locale = formatting_locale(tag);
        let plurals = PluralRules::try_new_cardinal(locale.clone().into())
            .or_else(|_| PluralRules::try_new_cardinal(Locale::UNKNOWN.into()))
            .ok();
        let mut options = DecimalFormatterOptions::default();
        // 1234 stays as the English pages always wrote it; 12,345 groups.
        options.grouping_strategy = Some(GroupingStrategy::Min2);
        let numbers = DecimalFormatter::try_new(locale.clone().into(), options)
            .or_else(|_| DecimalFormatter::try_new(Locale::UNKNOWN.into(), options))
            .ok();
        let digits = std::array::from_fn(|d| written(numbers.as_ref(), d as u64));
        let collator = |options: CollatorOptions| {
            let preferences = |locale: Locale| {
                let mut preferences = CollatorPreferences::from(locale);
                // Numbers by their value: `Unit 2` before `Unit 10`.
                preferences.numeric_ordering = Some(CollationNumericOrdering::True);
                preferences
            };
            Collator::try_new(preferences(locale.clone()), options)
                .or_else(|_| Collator::try_new(preferences(Locale::UNKNOWN), options))
                .ok()
        };
        let mut primary = CollatorOptions::default();
        primary.strength = Some(Strength::Primary);
        let (collator, letters) = (collator(CollatorOptions::default()), collator(primary));
        let joined = match texts.get("date_time") {
            Some(Text::Plain(pattern)) => pattern.clone(),
            _ => "{date}, {time}".to_owned(),
        };
        let dates = Dates::new(&locale, joined, digits.clone());
        let value = Value::from_serializable(&texts.iter().collect::<BTreeMap<_, _>>());
        Ui {
            tag: tag.to_owned(),
            texts,
            plurals,
            numbers,
            collator,
            letters,
            digits,
            dates,
            rtl: is_rtl(tag),
            value,
            others: BTreeMap::new(),
        }
    }

    /// This interface with `others`, those of the site's other languages.
    pub(crate) fn with_others(self, others: BTreeMap<String, Arc<Ui>>) -> Ui {
        Ui { others, ..self }
    }

    /// The interface of language `code` of `languages:`; this one for
    /// another code.
    pub(crate) fn language<'u>(self: &'u Arc<Ui>, code: &str) -> &'u Arc<Ui> {
        self.others.get(code).unwrap_or(self)
    }

    /// What `text` sorts by in this language: byte strings compare as the
    /// language orders the texts (CLDR's collation).
    pub(crate) fn sort_key(&self, text: &str) -> Vec<u8> {
        let mut key = Vec::new();
        match &self.collator {
            Some(collator) => {
                let Ok(()) = collator.write_sort_key_to(text, &mut key);
            }
            None => key.extend(text.to_lowercase().bytes()),
        }
        key
    }

    /// Whether the language counts `a` and `b` as one letter, accents and
    /// case aside: É and E in English; not Ä and A in Swedish, nor Й and И
    /// in Russian.
    pub(crate) fn same_letter(&self, a: &str, b: &str) -> bool {
        self.letters
            .as_ref()
            .is_some_and(|letters| letters.compare(a, b).is_eq())
    }

    /// The language tag of this interface.
    pub(crate) fn tag(&self) -> &str {
        &self.tag
    }

    /// The built-in English interface.
    pub(crate) fn english() -> Arc<Ui> {
        static SHARED: LazyLock<Arc<Ui>> =
            LazyLock::new(|| Arc::new(Ui::with_texts(DEFAULT, ENGLISH.clone())));
        Arc::clone(&SHARED)
    }

    /// `ltr` or `rtl`, for `<html dir>`.
    pub(crate) fn dir(&self) -> &'static str {
        if self.rtl { "rtl" } else { "ltr" }
    }

    pub(crate) fn dates(&self) -> &Dates {
        &self.dates
    }

    /// The plain string `key`; the key itself if there is none, which only
    /// a typo in annals' own code can cause (a test reads every key used).
    pub(crate) fn text<'a>(&'a self, key: &'a str) -> &'a str {
        match self.texts.get(key) {
            Some(Text::Plain(text)) => text,
            Some(Text::Counted(forms)) => &forms.other,
            None => key,
        }
    }

    /// `n` as the language writes it: its digits, grouped from 10,000.
    pub(crate) fn number(&self, n: u64) -> String {
        // Below 10,000 no language groups (`Min2`), so the digits alone
        // say it, without ICU4X's formatting on every count of a page.
        if n < 10_000 {
            return self.localize_digits(&n.to_string());
        }
        written(self.numbers.as_ref(), n)
    }

    /// ASCII digits in `text` written as the language writes digits.
    pub(crate) fn localize_digits(&self, text: &str) -> String {
        localize_digits(text, &self.digits)
    }

    /// The form of counted string `key` for `n`, with `{count}` filled in.
    pub(crate) fn count(&self, key: &str, n: u64) -> String {
        self.fill(key, Some(n), |name| {
            (name == "count").then(|| self.number(n))
        })
    }

    /// String `key` (its form for `count`, if counted) with each `{name}`
    /// replaced by `value(name)`, left as is where that gives `None`.
    pub(crate) fn fill(
        &self,
        key: &str,
        count: Option<u64>,
        mut value: impl FnMut(&str) -> Option<String>,
    ) -> String {
        let text = self.form(key, count);
        let mut out = String::with_capacity(text.len() + 16);
        for piece in pieces(text) {
            match piece {
                Piece::Text(text) => out.push_str(text),
                Piece::Blank(name) => match value(name) {
                    Some(filled) => out.push_str(&filled),
                    None => {
                        out.push('{');
                        out.push_str(name);
                        out.push('}');
                    }
                },
            }
        }
        out
    }

    fn form<'a>(&'a self, key: &'a str, count: Option<u64>) -> &'a str {
        match (self.texts.get(key), count) {
            (Some(Text::Counted(forms)), Some(n)) => {
                let category =
                    (self.plurals.as_ref()).map_or(PluralCategory::Other, |p| p.category_for(n));
                forms.of(category)
            }
            _ => self.text(key),
        }
    }

    /// Gives templates `ui` and `t()`. Registered before templates are
    /// added: tera checks every function a template calls exists.
    pub(crate) fn register(self: &Arc<Ui>, tera: &mut Tera) {
        tera.global_context().insert_value("ui", self.value.clone());
        tera.global_context().insert("dir", self.dir());
        let ui = Arc::clone(self);
        tera.register_function("t", move |kwargs: Kwargs, state: &State| {
            ui.call(&kwargs, state)
        });
        let ui = Arc::clone(self);
        tera.register_filter(
            "num",
            move |value: Value, _: Kwargs, _: &State| match value.as_u64() {
                Some(n) => Value::from(ui.number(n)),
                None => value,
            },
        );
    }

    /// `t(key=…, count=…, …)`: the string, its text escaped and each blank
    /// filled from the argument of its name — numbers as the language
    /// writes them, text escaped unless the template marked it safe (a
    /// link captured with `{% set %}…{% endset %}`).
    fn call(&self, kwargs: &Kwargs, state: &State) -> TeraResult<Value> {
        let key: &str = kwargs.must_get("key")?;
        if !self.texts.contains_key(key) {
            return Err(tera::Error::message(format!(
                "t(): there is no interface string `{key}` (the keys are in annals' src/i18n/en.yaml)"
            )));
        }
        let count = kwargs.get::<u64>("count")?;
        let mut out = String::new();
        for piece in pieces(self.form(key, count)) {
            match piece {
                Piece::Text(text) if !text.contains(['&', '<', '>', '"', '\'']) => {
                    out.push_str(text);
                }
                Piece::Text(text) => out.push_str(&state.escape(text)?),
                Piece::Blank(name) => {
                    let Some(value) = kwargs.get::<Value>(name)? else {
                        return Err(tera::Error::message(format!(
                            "t(key=\"{key}\"): `{{{name}}}` needs a value: add {name}=… to the call"
                        )));
                    };
                    out.push_str(&self.blank(&value, state)?);
                }
            }
        }
        Ok(Value::safe_string(&out))
    }

    fn blank(&self, value: &Value, state: &State) -> TeraResult<String> {
        match value.as_u64() {
            Some(n) => Ok(self.number(n)),
            None => state.escape_if_needed(value),
        }
    }
}

fn written(numbers: Option<&DecimalFormatter>, n: u64) -> String {
    match numbers {
        Some(numbers) => numbers.format(&Decimal::from(n)).to_string(),
        None => n.to_string(),
    }
}

/// `en` for `en-GB`: the language a built-in catalogue is chosen by.
fn language_of(tag: &str) -> String {
    tag.split(['-', '_'])
        .next()
        .unwrap_or_default()
        .to_ascii_lowercase()
}

fn built_in(tag: &str) -> Option<&'static str> {
    let language = language_of(tag);
    BUILT_IN
        .iter()
        .find(|(code, _)| *code == language)
        .map(|(_, text)| *text)
}

/// The locale numbers and dates are formatted in. English without a
/// region is CLDR's international English (`en-001`): day before month,
/// 24-hour clock, as annals' English pages have always been written; a
/// site that wants `May 17, 2021` says `en-US`.
fn formatting_locale(tag: &str) -> Locale {
    let tag = if tag.eq_ignore_ascii_case(DEFAULT) {
        "en-001"
    } else {
        tag
    };
    tag.parse().unwrap_or(Locale::UNKNOWN)
}

/// `text` with ASCII digits written as `digits` gives them.
pub(crate) fn localize_digits(text: &str, digits: &[String; 10]) -> String {
    if digits[0] == "0" {
        return text.to_owned();
    }
    text.chars()
        .map(|c| match c.to_digit(10) {
            Some(d) => digits[d as usize].clone(),
            None => c.to_string(),
        })
        .collect()
}

/// A piece of a catalogue string: text, or a `{name}` to fill in.
enum Piece<'a> {
    Text(&'a str),
    Blank(&'a str),
}

fn pieces(text: &str) -> impl Iterator<Item = Piece<'_>> {
    let mut rest = text;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        let blank = rest.find('{').and_then(|open| {
            let close = open + rest[open..].find('}')?;
            let name = &rest[open + 1..close];
            is_blank_name(name).then_some((open, close, name))
        });
        match blank {
            Some((0, close, name)) => {
                rest = &rest[close + 1..];
                Some(Piece::Blank(name))
            }
            Some((open, _, _)) => {
                let (text, after) = rest.split_at(open);
                rest = after;
                Some(Piece::Text(text))
            }
            None => {
                let text = rest;
                rest = "";
                Some(Piece::Text(text))
            }
        }
    })
}

fn is_blank_name(name: &str) -> bool {
    !name.is_empty() && name.bytes().all(|b| b.is_ascii_lowercase() || b == b'_')
}

fn blanks(text: &Text) -> Vec<&str> {
    let forms: Vec<&str> = match text {
        Text::Plain(text) => vec![text],
        Text::Counted(forms) => std::iter::once(forms.other.as_str())
            .chain(forms.by_category.iter().flatten().map(String::as_str))
            .collect(),
    };
    let mut names: Vec<&str> = forms
        .into_iter()
        .flat_map(pieces)
        .filter_map(|piece| match piece {
            Piece::Blank(name) => Some(name),
            Piece::Text(_) => None,
        })
        .collect();
    names.sort_unstable();
    names.dedup();
    names
}

/// A catalogue file's strings, and its problems: YAML errors, and against
/// `keys` (English), keys it does not know, counted strings given one text
/// (or the reverse) and blanks the English string has not.
fn parse(file: &Path, text: &str, keys: Option<&Catalogue>) -> (Catalogue, Diagnostics) {
    let mut found = Diagnostics::default();
    let written: BTreeMap<String, Written> = match crate::yaml::from_str(text) {
        Ok(written) => written,
        Err(error) => {
            let mut diagnostic =
                Diagnostic::error(file, format!("invalid YAML: {}", error.message)).with_hint(
                    "each line is `key: text`, or a key with `one:`, `other:`… forms below it",
                );
            if let Some(line) = error.line {
                diagnostic = diagnostic.at_line(line).with_snippet_from(text);
            }
            found.push(diagnostic);
            return (Catalogue::default(), found);
        }
    };
    for (key, first, again) in repeated_keys(text) {
        found.push(
            Diagnostic::error(file, format!("`{key}` is given twice, on lines {first} and {again}: the second would replace the first"))
                .at_line(again)
                .with_snippet_from(text)
                .with_hint("keep one of them"),
        );
    }
    let mut texts = Catalogue::default();
    for (key, entry) in written {
        let line = key_line(text, &key);
        let located = |d: Diagnostic| match line {
            Some(line) => d.at_line(line).with_snippet_from(text),
            None => d,
        };
        let parsed = match entry {
            Written::Plain(text) => Ok(Text::Plain(text)),
            Written::Counted(forms) => counted(&key, forms),
            Written::Other(_) => Err(shapeless(&key)),
        };
        let entry = match parsed.and_then(|entry| carried(&key, entry)) {
            Ok(entry) => entry,
            Err(diagnostic) => {
                found.push(located(diagnostic(file)));
                continue;
            }
        };
        if let Some(keys) = keys {
            match check_against(&key, &entry, keys) {
                Ok(()) => {}
                Err(problem) => {
                    // An unknown blank is at the line of the form holding it.
                    let blank = (keys.get(&key)).and_then(|english| unknown_blank(&entry, english));
                    let at = blank.zip(line).and_then(|(blank, from)| {
                        line_in_entry(text, from, &format!("{{{blank}}}"))
                    });
                    let problem = problem(file);
                    found.push(match at {
                        Some(at) => problem.at_line(at).with_snippet_from(text),
                        None => located(problem),
                    });
                    continue;
                }
            }
        }
        texts.insert(key, entry);
    }
    (texts, found)
}

/// A diagnostic waiting for its file.
type Problem = Box<dyn FnOnce(&Path) -> Diagnostic>;

/// `entry` if every text of it is one pages and feeds can carry: a
/// control character (an escape such as `\0` in double quotes) would make
/// every feed it reaches unreadable.
fn carried(key: &str, entry: Text) -> Result<Text, Problem> {
    let refused = match &entry {
        Text::Plain(text) => crate::content::unsafe_text(key, text),
        Text::Counted(forms) => forms
            .texts()
            .find_map(|text| crate::content::unsafe_text(key, text)),
    };
    match refused {
        None => Ok(entry),
        Some((message, hint)) => Err(Box::new(move |file| {
            Diagnostic::error(file, message).with_hint(hint)
        })),
    }
}

fn counted(key: &str, mut forms: BTreeMap<String, String>) -> Result<Text, Problem> {
    if let Some(unknown) = forms
        .keys()
        .find(|name| *name != "other" && !CATEGORIES.contains(&name.as_str()))
    {
        let message = format!("`{key}`: `{unknown}` is not a plural category");
        return Err(Box::new(move |file| {
            Diagnostic::error(file, message)
                .with_hint("the categories are zero, one, two, few, many and other (CLDR)")
        }));
    }
    let Some(other) = forms.remove("other") else {
        let message = format!("`{key}` has no `other:` form");
        return Err(Box::new(move |file| {
            Diagnostic::error(file, message).with_hint(
                "`other` is the form every language has; it is used where no other form applies",
            )
        }));
    };
    let by_category = CATEGORIES.map(|name| forms.remove(name));
    Ok(Text::Counted(Forms { other, by_category }))
}

fn check_against(key: &str, entry: &Text, keys: &Catalogue) -> Result<(), Problem> {
    let Some(english) = keys.get(key) else {
        let message = format!("unknown interface string `{key}`");
        let near = nearest(key, keys);
        return Err(Box::new(move |file| {
            let hint = match near {
                Some(near) => {
                    format!("did you mean `{near}`? The keys are those of annals' src/i18n/en.yaml")
                }
                None => {
                    "the keys are those of annals' src/i18n/en.yaml (see README.md: The interface in the site's language)".to_owned()
                }
            };
            Diagnostic::warning(file, message).with_hint(hint)
        }));
    };
    let shape = |text: &Text| matches!(text, Text::Counted(_));
    if shape(english) && !shape(entry) {
        let message = format!("`{key}` is a count: give its forms (`one:`, `other:`…)");
        return Err(Box::new(move |file| {
            Diagnostic::error(file, message).with_hint("see annals' src/i18n/en.yaml for its forms")
        }));
    }
    let known = blanks(english);
    if let Some(unknown) = unknown_blank(entry, english) {
        let message = format!("`{key}` has a blank `{{{unknown}}}` the template does not fill");
        let hint = match known.as_slice() {
            [] => "this string takes no blanks".to_owned(),
            names => format!(
                "its blanks are {}",
                names
                    .iter()
                    .map(|n| format!("{{{n}}}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        };
        return Err(Box::new(move |file| {
            Diagnostic::warning(file, message).with_hint(hint)
        }));
    }
    Ok(())
}

/// A blank of `entry` that the English string, and so the template, does
/// not have.
fn unknown_blank<'e>(entry: &'e Text, english: &Text) -> Option<&'e str> {
    let known = blanks(english);
    blanks(entry).into_iter().find(|b| !known.contains(b))
}

/// The 1-based line, from `key`'s at `from`, of the first of its lines
/// (its own and those indented under it: a count's forms) holding `needle`.
fn line_in_entry(text: &str, from: usize, needle: &str) -> Option<usize> {
    let mut lines = text.lines().enumerate().skip(from - 1);
    let first = lines.next().filter(|(_, line)| line.contains(needle));
    let under =
        lines.take_while(|(_, line)| line.starts_with([' ', '\t']) || line.trim().is_empty());
    first
        .into_iter()
        .chain(under.filter(|(_, line)| line.contains(needle)))
        .next()
        .map(|(index, _)| index + 1)
}

fn nearest(key: &str, keys: &Catalogue) -> Option<String> {
    keys.keys()
        .map(|candidate| (strsim::jaro_winkler(key, candidate), candidate))
        .filter(|(score, _)| *score > 0.85)
        .max_by(|a, b| a.0.total_cmp(&b.0).then_with(|| b.1.cmp(a.1)))
        .map(|(_, candidate)| candidate.clone())
}

/// The 1-based line of top-level `key:` in a catalogue file.
/// The error for `key` given neither a text nor forms.
fn shapeless(key: &str) -> Problem {
    let message = format!("`{key}` is neither a text nor forms (`one:`, `other:`…) under it");
    Box::new(move |file| {
        Diagnostic::error(file, message).with_hint(
            "write the text after the key, in quotes if it is a number or starts with a symbol: `key: \"2021\"`",
        )
    })
}

/// Each top-level key written twice (the YAML library keeps the last
/// silently), with the lines of its first and its second.
fn repeated_keys(text: &str) -> Vec<(String, usize, usize)> {
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    let mut repeated = Vec::new();
    for (index, line) in text.lines().enumerate() {
        if line.starts_with([' ', '\t', '#', '-']) {
            continue;
        }
        let Some((key, _)) = line.split_once(':') else {
            continue;
        };
        let key = key.trim().trim_matches(['"', '\'']).to_owned();
        if key.is_empty() {
            continue;
        }
        match seen.get(&key) {
            Some(&first) => repeated.push((key, first, index + 1)),
            None => {
                seen.insert(key, index + 1);
            }
        }
    }
    repeated
}

fn key_line(text: &str, key: &str) -> Option<usize> {
    let quoted = [format!("\"{key}\""), format!("'{key}'")];
    text.lines()
        .position(|line| {
            crate::yaml::starts_with_key(line, key)
                || quoted.iter().any(|q| crate::yaml::starts_with_key(line, q))
        })
        .map(|index| index + 1)
}

/// Warnings for the strings `tag` shows in English: each key the site's
/// file lacks where no built-in catalogue has it, or one warning naming the
/// file to add when annals has no catalogue for the language.
fn missing(
    tag: &str,
    own: Option<&Catalogue>,
    site: Option<&Catalogue>,
    site_file: Option<(&Path, &str)>,
) -> Diagnostics {
    let mut found = Diagnostics::default();
    let file = site_file.map_or_else(|| site_path(tag), |(path, _)| path.to_path_buf());
    let has = |key: &String| {
        own.is_some_and(|own| own.contains_key(key)) || site.is_some_and(|s| s.contains_key(key))
    };
    let mut keys: Vec<&String> = ENGLISH.keys().filter(|key| !has(key)).collect();
    keys.sort_unstable();
    if keys.is_empty() {
        return found;
    }
    if own.is_none() && site.is_none() {
        found.push(
            Diagnostic::warning(
                &file,
                format!(
                    "annals has no interface strings for `{tag}`: the pages' labels are in English"
                ),
            )
            .with_hint(format!(
                "add {} with the {} keys of annals' src/i18n/en.yaml translated",
                file.display(),
                ENGLISH.len()
            )),
        );
        return found;
    }
    for key in keys {
        found.push(
            Diagnostic::warning(
                &file,
                format!("`{key}` is not translated into `{tag}`: English is shown"),
            )
            .with_hint(format!("add `{key}:` to {}", file.display())),
        );
    }
    found
}

/// `i18n/<tag>.yaml`, relative to the site root.
pub(crate) fn site_path(tag: &str) -> PathBuf {
    Path::new(DIR).join(format!("{tag}.yaml"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ui(tag: &str) -> Ui {
        let (ui, found) = Ui::new(tag, None);
        assert!(found.is_empty(), "{tag}: {found:?}");
        ui
    }

    #[test]
    fn control_characters_in_interface_strings_are_refused() {
        for text in [
            "feed_person: \"{name}\\0: statements\"\n",
            "count_articles:\n  one: \"{count} article\"\n  other: \"{count}\\x0c articles\"\n",
        ] {
            let file = Path::new("i18n/en.yaml");
            let (_, found) = Ui::new("en", Some((file, text)));
            let error = found.iter().find(|d| d.is_error());
            assert!(
                error
                    .is_some_and(|d| d.message.contains("a control character") && d.line.is_some()),
                "{text}: {found:?}"
            );
        }
    }

    /// What the site's `i18n/en.yaml` holding `text` finds.
    fn found_in(text: &str) -> Diagnostics {
        Ui::new("en", Some((Path::new("i18n/en.yaml"), text))).1
    }

    #[track_caller]
    fn first_error(text: &str, says: &str, line: usize) {
        let found = found_in(text);
        let error = found.iter().find(|d| d.is_error()).expect("an error");
        assert!(error.message.contains(says), "{error:?}");
        assert_eq!(error.line, Some(line));
    }

    #[test]
    fn a_key_written_twice_or_without_text_is_an_error_at_its_line() {
        let twice = "nav_topics: Topics\nnav_places: Places\n\"nav_topics\": Subjects\n";
        first_error(twice, "`nav_topics` is given twice, on lines 1 and 3", 3);
        let empty = "nav_places: Places\nnav_topics:\n";
        first_error(empty, "`nav_topics` is neither a text nor forms", 2);
        // Forms under a key are not keys of the file.
        let forms = "count_articles:\n  one: \"{count} article\"\n  other: \"{count} articles\"\n";
        let found = found_in(forms);
        assert!(!found.iter().any(|d| d.is_error()), "{found:?}");
    }

    #[test]
    fn names_sort_as_the_language_orders_them() {
        fn sorted<'n>(tag: &str, names: &[&'n str]) -> Vec<&'n str> {
            // Without a catalogue of its own (Swedish) too.
            let (ui, _) = Ui::new(tag, None);
            let mut names = names.to_vec();
            names.sort_by_key(|name| ui.sort_key(name));
            names
        }
        // Accented letters with their base letter, not after z; case aside.
        assert_eq!(
            sorted("en", &["Zayed", "Élodie", "adams", "Ärzte", "Berg"]),
            ["adams", "Ärzte", "Berg", "Élodie", "Zayed"]
        );
        // Numbers by their value.
        assert_eq!(
            sorted("en", &["Unit 10", "Unit 2", "Unit 1"]),
            ["Unit 1", "Unit 2", "Unit 10"]
        );
        // Swedish puts Ä after Z.
        assert_eq!(
            sorted("sv", &["Ärla", "Zorn", "Berg"]),
            ["Berg", "Zorn", "Ärla"]
        );
        // Arabic names first on an Arabic site, then Latin.
        assert_eq!(
            sorted("ar", &["Biden", "جو", "أنطونيو"]),
            ["أنطونيو", "جو", "Biden"]
        );
    }

    #[test]
    fn every_built_in_catalogue_is_valid_and_complete() {
        for (code, text) in BUILT_IN {
            let file = PathBuf::from(format!("i18n/{code}.yaml"));
            let (texts, found) = parse(&file, text, Some(&ENGLISH));
            assert!(found.is_empty(), "{code}: {found:?}");
            let lacking: Vec<_> = ENGLISH.keys().filter(|k| !texts.contains_key(*k)).collect();
            assert!(lacking.is_empty(), "{code} lacks {lacking:?}");
        }
    }

    #[test]
    fn counts_take_the_language_s_plural_form() {
        let en = ui("en");
        assert_eq!(en.count("count_statements", 1), "1 statement");
        assert_eq!(en.count("count_statements", 12), "12 statements");
        assert_eq!(en.count("count_statements", 0), "0 statements");
        let uk = ui("uk");
        assert_eq!(uk.count("count_statements", 1), "1 заява");
        assert_eq!(uk.count("count_statements", 3), "3 заяви");
        assert_eq!(uk.count("count_statements", 5), "5 заяв");
        assert_eq!(uk.count("count_statements", 21), "21 заява");
        let ar = ui("ar");
        assert_eq!(ar.count("count_statements", 1), "تصريح واحد");
        assert_eq!(ar.count("count_statements", 2), "تصريحان");
        assert_eq!(ar.count("count_statements", 3), "3 تصريحات");
        assert_eq!(ar.count("count_statements", 11), "11 تصريحًا");
        assert_eq!(ar.count("count_statements", 100), "100 تصريح");
        assert_eq!(ui("ar-EG").count("count_statements", 11), "١١ تصريحًا");
        assert_eq!(ui("de").count("count_articles", 2), "2 Artikel");
    }

    #[test]
    fn numbers_are_grouped_from_five_digits_in_the_language_s_digits() {
        let en = ui("en");
        assert_eq!(en.number(1234), "1234");
        assert_eq!(en.number(12345), "12,345");
        assert_eq!(ui("de").number(12345), "12.345");
        assert_eq!(ui("ar").number(12345), "12,345");
        assert_eq!(ui("ar-EG").number(12345), "١٢٬٣٤٥");
    }

    #[test]
    fn a_site_file_overrides_and_a_missing_key_falls_back_to_english() {
        let file = Path::new("i18n/pl.yaml");
        let (ui, found) = Ui::new("pl", Some((file, "nav_people: Ludzie\n")));
        assert_eq!(ui.text("nav_people"), "Ludzie");
        assert_eq!(ui.text("nav_places"), "Places");
        let first = found.iter().next().expect("a warning per missing key");
        assert_eq!(first.file, file);
        assert!(!first.is_error());
        assert_eq!(found.iter().count(), ENGLISH.len() - 1);
        let (ui, found) = Ui::new(
            "fr",
            Some((Path::new("i18n/fr.yaml"), "nav_people: Gens\n")),
        );
        assert_eq!(
            (ui.text("nav_people"), ui.text("nav_places")),
            ("Gens", "Lieux")
        );
        assert!(found.is_empty(), "{found:?}");
    }

    #[test]
    fn a_language_without_strings_is_one_warning_naming_the_file_to_add() {
        let (ui, found) = Ui::new("pl", None);
        assert_eq!(ui.text("nav_people"), "People");
        let only: Vec<_> = found.iter().collect();
        assert_eq!(only.len(), 1);
        assert_eq!(only[0].file, Path::new("i18n/pl.yaml"));
    }

    #[test]
    fn unknown_keys_and_bad_forms_are_located() {
        let file = Path::new("i18n/fr.yaml");
        let text = "nav_people: Gens\nnav_peopel: Gens\ncount_articles: un article\nvia: par {who}\nsearch_results:\n  one: \"{count} résultat\"\ncount_statements:\n  one: \"{count} déclaration\"\n\n  other: \"{count} déclarations {nme}\"\n";
        let (_, found) = Ui::new("fr", Some((file, text)));
        let mut lines: Vec<_> = found.iter().map(|d| (d.line, d.is_error())).collect();
        lines.sort();
        // An unknown blank in a count's form: at the form's line.
        assert_eq!(
            lines,
            [
                (Some(2), false),
                (Some(3), true),
                (Some(4), false),
                (Some(5), true),
                (Some(10), false)
            ],
            "{found:?}"
        );
        let unknown = (found.iter())
            .find(|d| d.line == Some(2))
            .expect("unknown key");
        assert!(
            unknown
                .hint
                .as_deref()
                .unwrap_or_default()
                .contains("nav_people")
        );
    }

    #[test]
    fn bad_yaml_is_an_error_at_its_line() {
        let (_, found) = Ui::new(
            "fr",
            Some((Path::new("i18n/fr.yaml"), "nav_people: Gens\nvia: [par\n")),
        );
        let error = found.iter().next().expect("an error");
        assert!(error.is_error());
        assert!(error.line.is_some());
    }

    #[test]
    fn blanks_are_filled_and_unknown_ones_kept() {
        let en = ui("en");
        let filled = en.fill("pager_page_of", None, |name| match name {
            "number" => Some("2".into()),
            _ => None,
        });
        assert_eq!(filled, "Page 2 of {total}");
    }

    #[test]
    fn right_to_left_by_language_or_script() {
        for tag in ["ar", "he", "fa", "ur", "ar-EG", "pa-Arab", "iw"] {
            assert!(is_rtl(tag), "{tag}");
        }
        for tag in ["en", "uk", "az-Latn", "ku-Latn", "fr-CA"] {
            assert!(!is_rtl(tag), "{tag}");
        }
        assert_eq!(ui("he").dir(), "rtl");
        assert_eq!(ui("de").dir(), "ltr");
    }
}
