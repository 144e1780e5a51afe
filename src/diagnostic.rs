//! Diagnostics: every problem annals finds in a site, with file, line and a hint.
//!
//! The build never stops at the first problem: each stage pushes diagnostics
//! into a [`Diagnostics`] list and the caller reports them all together.
//!
//! What a diagnostic quotes of the user's files is bounded — a window of its
//! line, messages and hints of a few hundred characters — and the human
//! report summarises many problems of one kind in one file, so that a hostile
//! file cannot make a report of gigabytes.

use std::collections::HashMap;
use std::fmt;
use std::path::{Path, PathBuf};

/// How many characters of its line a diagnostic quotes, around its column.
const SNIPPET_WIDTH: usize = 120;
/// How many characters a message or hint keeps of what it was given (they
/// embed values from the user's files).
const TEXT_LIMIT: usize = 400;
/// How many problems of one kind in one file the human report shows in full.
const SHOWN_PER_KIND: usize = 3;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Warning,
    Error,
}

/// One problem, located as precisely as the stage that found it can.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Diagnostic {
    pub severity: Severity,
    /// Path as the user would type it (relative to the site root where possible).
    pub file: PathBuf,
    /// 1-based line in `file`, when known.
    pub line: Option<usize>,
    /// 1-based column, when known.
    pub column: Option<usize>,
    pub message: String,
    /// What to do about it.
    pub hint: Option<String>,
    /// The offending line of the file, shown under the message: at most
    /// 120 characters of it, `…` marking what was left out.
    pub snippet: Option<String>,
    /// Characters of the line left out before `snippet`, to place the
    /// column's caret in it.
    #[serde(skip)]
    snippet_start: usize,
}

impl Diagnostic {
    pub(crate) fn error(file: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            file: file.into(),
            line: None,
            column: None,
            message: clip(&message.into(), TEXT_LIMIT),
            hint: None,
            snippet: None,
            snippet_start: 0,
        }
    }

    pub(crate) fn warning(file: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(file, message)
        }
    }

    pub(crate) fn at_line(mut self, line: usize) -> Self {
        self.line = Some(line);
        self
    }

    pub(crate) fn at_column(mut self, column: usize) -> Self {
        self.column = Some(column);
        self
    }

    pub(crate) fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(clip(&hint.into(), TEXT_LIMIT));
        self
    }

    /// Quotes `self.line` of `source`, so the report can show it. For many
    /// diagnostics on one file, [`Diagnostic::with_snippet_in`] finds lines
    /// without scanning the file each time.
    pub(crate) fn with_snippet_from(self, source: &str) -> Self {
        match self.line {
            Some(line) => {
                let text = source.lines().nth(line.saturating_sub(1));
                self.quoting(text)
            }
            None => self,
        }
    }

    /// Quotes `line`, the text of `self.line`, found by the caller.
    pub(crate) fn with_snippet_line(self, line: &str) -> Self {
        self.quoting(Some(line))
    }

    /// Quotes `self.line` from a file's [`Lines`].
    pub(crate) fn with_snippet_in(self, lines: &Lines) -> Self {
        let text = self.line.and_then(|line| lines.get(line));
        self.quoting(text)
    }

    /// Keeps a window of `line` around the column (its start when there is
    /// no column), never the whole of a line that may run to megabytes.
    fn quoting(mut self, line: Option<&str>) -> Self {
        let Some(line) = line else {
            return self;
        };
        let center = self.column.unwrap_or(1).saturating_sub(1);
        let start = center.saturating_sub(SNIPPET_WIDTH / 2);
        let mut rest = line.chars().skip(start).peekable();
        // A line shorter than `start` is quoted from its beginning.
        let start = if rest.peek().is_none() { 0 } else { start };
        let mut chars = line.chars().skip(start);
        let mut snippet = String::from(if start > 0 { "…" } else { "" });
        snippet.extend(chars.by_ref().take(SNIPPET_WIDTH).map(printable));
        if chars.next().is_some() {
            snippet.push('…');
        }
        self.snippet = Some(snippet);
        self.snippet_start = start;
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// Where the column falls in the snippet, in characters, if it does.
    fn caret(&self) -> Option<usize> {
        let column = self.column?.checked_sub(1)?;
        let ellipsis = usize::from(self.snippet_start > 0);
        let at = column.checked_sub(self.snippet_start)? + ellipsis;
        (at < SNIPPET_WIDTH + ellipsis).then_some(at)
    }

    /// The message with every quoted value (between backticks) blanked: two
    /// diagnostics of one kind have the same shape.
    fn shape(&self) -> String {
        let mut shape = String::with_capacity(self.message.len());
        for (i, part) in self.message.split('`').enumerate() {
            if i % 2 == 0 {
                shape.push_str(part);
            } else {
                shape.push_str("`…`");
            }
        }
        shape
    }
}

/// A file's text with where each of its lines starts, so that finding the
/// line of an offset, or the text of a line, does not scan the file.
pub(crate) struct Lines<'a> {
    text: &'a str,
    /// Byte offset of each line's start; the first is 0.
    starts: Vec<usize>,
}

impl<'a> Lines<'a> {
    pub(crate) fn new(text: &'a str) -> Self {
        let breaks = text.match_indices('\n');
        let starts = std::iter::once(0).chain(breaks.map(|(i, _)| i + 1));
        Lines {
            text,
            starts: starts.collect(),
        }
    }

    /// The 1-based line holding byte `offset`.
    pub(crate) fn line_of(&self, offset: usize) -> usize {
        self.starts.partition_point(|&start| start <= offset).max(1)
    }

    /// The 1-based line and column (in characters) of byte `offset`.
    pub(crate) fn position_of(&self, offset: usize) -> (usize, usize) {
        let line = self.line_of(offset);
        let start = self.starts[line - 1];
        let before = self
            .text
            .get(start..offset.min(self.text.len()))
            .unwrap_or("");
        (line, before.chars().count() + 1)
    }

    /// The text of 1-based `line`, without its line break.
    pub(crate) fn get(&self, line: usize) -> Option<&'a str> {
        let start = *self.starts.get(line.checked_sub(1)?)?;
        let end = self
            .starts
            .get(line)
            .map_or(self.text.len(), |next| next - 1);
        let text = self.text.get(start..end)?;
        Some(text.strip_suffix('\r').unwrap_or(text))
    }
}

/// At most `limit` characters of `text`, an ellipsis marking a cut, with
/// control characters made visible.
fn clip(text: &str, limit: usize) -> String {
    let mut chars = text.chars();
    let mut clipped: String = chars.by_ref().take(limit).map(printable).collect();
    if chars.next().is_some() {
        clipped.push('…');
    }
    clipped
}

/// Control characters quoted from a file could drive the terminal (escape
/// sequences) or hide text, and bidirectional formatting characters could
/// show a line in another order than it has ("Trojan Source"): C0 controls
/// and DEL show as their Control Pictures (`␇`), the others as `�`, tabs as
/// one space so carets stay in their columns.
fn printable(c: char) -> char {
    match c {
        '\t' => ' ',
        '\n' => '\n',
        '\0'..='\x1f' => char::from_u32(0x2400 + c as u32).unwrap_or('\u{fffd}'),
        '\x7f' => '\u{2421}',
        '\u{061c}'
        | '\u{200e}'
        | '\u{200f}'
        | '\u{202a}'..='\u{202e}'
        | '\u{2066}'..='\u{2069}' => '\u{fffd}',
        c if c.is_control() || matches!(c, '\u{fffe}' | '\u{ffff}') => '\u{fffd}',
        c => c,
    }
}

/// A path as reports show it: a file name is the user's to choose, so
/// its control characters, line breaks included, show as pictures too.
fn shown_path(path: &Path) -> String {
    let shown = path.display().to_string();
    shown
        .chars()
        .map(|c| match c {
            '\n' => '\u{2424}',
            '\t' => '\u{2409}',
            c => printable(c),
        })
        .collect()
}

/// A message's later lines indented under its first: no line of a report
/// starts as `error:` but a diagnostic's own, whatever a quoted name holds.
fn indented(text: &str) -> std::borrow::Cow<'_, str> {
    match text.contains('\n') {
        true => text.replace('\n', "\n    ").into(),
        false => text.into(),
    }
}

/// `1234567` → `1,234,567`.
fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(digit);
    }
    out
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let label = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        write!(f, "{label}: {}", indented(&self.message))?;
        write!(f, "\n  --> {}", shown_path(&self.file))?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
            if let Some(column) = self.column {
                write!(f, ":{column}")?;
            }
        }
        if let (Some(line), Some(snippet)) = (self.line, &self.snippet) {
            let gutter = line.to_string();
            write!(
                f,
                "\n{:width$} |\n{gutter} | {snippet}",
                "",
                width = gutter.len()
            )?;
            if let Some(caret) = self.caret() {
                let pad = " ".repeat(caret);
                write!(f, "\n{:width$} | {pad}^", "", width = gutter.len())?;
            }
        }
        if let Some(hint) = &self.hint {
            write!(f, "\n  = help: {}", indented(hint))?;
        }
        Ok(())
    }
}

/// Every diagnostic a build produced, in a stable order (file, line, message).
#[derive(Debug, Default, Clone, PartialEq, Eq, thiserror::Error)]
pub struct Diagnostics(Vec<Diagnostic>);

impl Diagnostics {
    pub(crate) fn push(&mut self, diagnostic: Diagnostic) {
        self.0.push(diagnostic);
    }

    pub(crate) fn extend(&mut self, other: Diagnostics) {
        self.0.extend(other.0);
    }

    pub fn has_errors(&self) -> bool {
        self.0.iter().any(Diagnostic::is_error)
    }

    pub(crate) fn error_count(&self) -> usize {
        self.0.iter().filter(|d| d.is_error()).count()
    }

    pub(crate) fn warning_count(&self) -> usize {
        self.0.len() - self.error_count()
    }

    /// The errors, and the warnings.
    pub(crate) fn split(self) -> (Diagnostics, Diagnostics) {
        let (errors, warnings) = self.0.into_iter().partition(Diagnostic::is_error);
        (Diagnostics(errors), Diagnostics(warnings))
    }

    /// The same diagnostics with every warning made an error (`--strict`).
    pub(crate) fn strict(self) -> Self {
        let all = self.0.into_iter().map(|d| Diagnostic {
            severity: Severity::Error,
            ..d
        });
        Diagnostics(all.collect())
    }

    /// Quotes the offending line of each diagnostic that has a line but no
    /// quote yet (those found after parsing, on the model).
    /// `text_of` gives a file's text by its path. Each file is read once, on
    /// any core, and dropped when its diagnostics are quoted: a large
    /// archive can warn about most of its files, whose texts together are
    /// gigabytes.
    pub(crate) fn with_snippets(self, text_of: impl Fn(&Path) -> Option<String> + Sync) -> Self {
        use rayon::prelude::*;
        let mut by_file: HashMap<PathBuf, Vec<(usize, Diagnostic)>> = HashMap::new();
        let mut done = Vec::with_capacity(self.0.len());
        for (at, d) in self.0.into_iter().enumerate() {
            if d.line.is_some() && d.snippet.is_none() {
                by_file.entry(d.file.clone()).or_default().push((at, d));
            } else {
                done.push((at, d));
            }
        }
        let quoted: Vec<Vec<(usize, Diagnostic)>> = by_file
            .into_par_iter()
            .map(|(path, found)| {
                let Some(text) = text_of(&path) else {
                    return found;
                };
                let lines = Lines::new(&text);
                let quote = |(at, d): (usize, Diagnostic)| (at, d.with_snippet_in(&lines));
                found.into_iter().map(quote).collect()
            })
            .collect();
        done.extend(quoted.into_iter().flatten());
        done.sort_unstable_by_key(|(at, _)| *at);
        Diagnostics(done.into_iter().map(|(_, d)| d).collect())
    }

    /// Machine-readable form for editors and CI (`--format json`).
    /// The report as JSON: counts, then every diagnostic.
    pub(crate) fn to_value(&self) -> serde_json::Value {
        serde_json::json!({
            "errors": self.error_count(),
            "warnings": self.warning_count(),
            "diagnostics": self.0,
        })
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn iter(&self) -> impl Iterator<Item = &Diagnostic> {
        self.0.iter()
    }

    /// Sorts so that reports do not depend on the order files were read in.
    pub(crate) fn sorted(mut self) -> Self {
        self.0.sort_by(|a, b| {
            (&a.file, a.line, a.column, &a.message).cmp(&(&b.file, b.line, b.column, &b.message))
        });
        self.0.dedup();
        self
    }

    /// `Ok(())` when there is no error (warnings alone do not fail a build).
    pub(crate) fn into_result(self) -> Result<(), Diagnostics> {
        if self.has_errors() {
            Err(self.sorted())
        } else {
            Ok(())
        }
    }
}

impl From<Diagnostic> for Diagnostics {
    fn from(diagnostic: Diagnostic) -> Self {
        Diagnostics(vec![diagnostic])
    }
}

/// Shows each diagnostic, except that of many of one kind in one file only
/// the first few are shown and the rest counted (`--format json` keeps all).
impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for file in self.0.chunk_by(|a, b| a.file == b.file) {
            let mut kinds: HashMap<(Severity, String), usize> = HashMap::new();
            let mut overflow: Vec<(Severity, String)> = Vec::new();
            for diagnostic in file {
                let kind = (diagnostic.severity, diagnostic.shape());
                let seen = kinds.entry(kind.clone()).or_default();
                *seen += 1;
                match *seen {
                    n if n <= SHOWN_PER_KIND => writeln!(f, "{diagnostic}\n")?,
                    n if n == SHOWN_PER_KIND + 1 => overflow.push(kind),
                    _ => {}
                }
            }
            for kind in overflow {
                let more = kinds[&kind] - SHOWN_PER_KIND;
                let what = match kind.0 {
                    Severity::Error if more == 1 => "error",
                    Severity::Error => "errors",
                    Severity::Warning if more == 1 => "warning",
                    Severity::Warning => "warnings",
                };
                writeln!(
                    f,
                    "note: and {} more {what} like this in {}: {}\n  = help: `annals check --format json` lists every one\n",
                    thousands(more),
                    file[0].file.display(),
                    kind.1
                )?;
            }
        }
        let (errors, warnings) = (self.error_count(), self.warning_count());
        let plural = |n: usize| if n == 1 { "" } else { "s" };
        write!(f, "{} error{}", thousands(errors), plural(errors))?;
        if warnings > 0 {
            write!(f, ", {} warning{}", thousands(warnings), plural(warnings))?;
        }
        Ok(())
    }
}

/// An I/O failure on `path`, as a diagnostic.
pub(crate) fn io_error(path: &Path, action: &str, error: &std::io::Error) -> Diagnostic {
    Diagnostic::error(path, format!("could not {action}: {error}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(line: usize, column: Option<usize>, text: &str) -> Diagnostic {
        let diagnostic = Diagnostic::error("a.md", "bad").at_line(line);
        match column {
            Some(column) => diagnostic.at_column(column),
            None => diagnostic,
        }
        .with_snippet_from(text)
    }

    #[test]
    fn short_lines_are_quoted_whole() {
        let d = at(2, Some(3), "first\nsecond\nthird");
        assert_eq!(d.snippet.as_deref(), Some("second"));
        assert!(d.to_string().ends_with("2 | second\n  |   ^"), "{d}");
    }

    #[test]
    fn long_lines_are_quoted_as_a_window_around_the_column() {
        let line: String = (0..100_000)
            .map(|i| char::from(b'a' + (i % 26) as u8))
            .collect();
        let d = at(1, Some(50_000), &line);
        let snippet = d.snippet.as_deref().unwrap_or_default();
        assert_eq!(snippet.chars().count(), SNIPPET_WIDTH + 2, "{snippet}");
        assert!(snippet.starts_with('…') && snippet.ends_with('…'));
        // The caret still points at column 50,000's character.
        let caret = d.caret().unwrap_or(usize::MAX);
        assert_eq!(snippet.chars().nth(caret), line.chars().nth(49_999));
        // Without a column, the line's start.
        let d = at(1, None, &line);
        assert!(
            d.snippet
                .as_deref()
                .is_some_and(|s| s.starts_with("abc") && s.ends_with('…'))
        );
    }

    #[test]
    fn messages_hints_and_quotes_are_bounded_and_printable() {
        let long = "x".repeat(10_000);
        let d = Diagnostic::error("a.md", format!("link to `{long}`"))
            .with_hint(long.clone())
            .at_line(1)
            .with_snippet_from("a\u{1b}[31mred\0");
        assert!(d.message.chars().count() <= TEXT_LIMIT + 1);
        assert!(
            d.hint
                .as_deref()
                .is_some_and(|h| h.chars().count() <= TEXT_LIMIT + 1)
        );
        assert_eq!(d.snippet.as_deref(), Some("a\u{241b}[31mred\u{2400}"));
        let d = Diagnostic::error("a.md", "x")
            .at_line(1)
            .with_snippet_from("a\u{202e}b\u{2066}c");
        assert_eq!(d.snippet.as_deref(), Some("a\u{fffd}b\u{fffd}c"));
    }

    #[test]
    fn a_file_name_cannot_forge_a_line_of_the_report() {
        let name = "content/people/ev\u{1b}[31mil\nerror: fake\u{7}\u{202e}.md";
        let d = Diagnostic::error(name, format!("`{name}` names nobody\nerror: forged"))
            .with_hint("see\nerror: forged too");
        let report = d.to_string();
        let starts: Vec<_> = report.lines().filter(|l| l.starts_with("error")).collect();
        assert_eq!(starts.len(), 1, "{report}");
        assert!(
            report.contains(
                "--> content/people/ev\u{241b}[31mil\u{2424}error: fake\u{2407}\u{fffd}.md"
            ),
            "{report}"
        );
    }

    #[test]
    fn lines_are_found_by_offset_and_number() {
        let lines = Lines::new("ab\r\ncd\n\nef");
        assert_eq!(lines.get(1), Some("ab"));
        assert_eq!(lines.get(2), Some("cd"));
        assert_eq!(lines.get(3), Some(""));
        assert_eq!(lines.get(4), Some("ef"));
        assert_eq!(lines.get(5), None);
        assert_eq!(lines.get(0), None);
        assert_eq!(
            (lines.line_of(0), lines.line_of(4), lines.line_of(9)),
            (1, 2, 4)
        );
    }

    #[test]
    fn many_problems_of_one_kind_in_one_file_are_counted_not_shown() {
        let mut all = Diagnostics::default();
        for i in 0..4_000 {
            all.push(
                Diagnostic::warning("a.md", format!("link to `/x/{i}/`, which is no page"))
                    .at_line(1),
            );
        }
        all.push(Diagnostic::error("a.md", "another kind"));
        all.push(Diagnostic::warning(
            "b.md",
            "link to `/y/`, which is no page",
        ));
        let report = all.to_string();
        assert_eq!(
            report.matches("warning: link to").count(),
            SHOWN_PER_KIND + 1,
            "{report}"
        );
        assert!(
            report.contains(
                "and 3,997 more warnings like this in a.md: link to `…`, which is no page"
            ),
            "{report}"
        );
        assert!(report.contains("error: another kind"), "{report}");
        assert!(report.ends_with("1 error, 4,001 warnings"), "{report}");
        assert_eq!(
            all.to_value()
                .to_string()
                .matches("\"severity\":\"warning\"")
                .count(),
            4_001
        );
    }
}
