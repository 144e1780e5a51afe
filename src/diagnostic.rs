//! Diagnostics: every problem annals finds in a site, with file, line and a hint.
//!
//! The build never stops at the first problem: each stage pushes diagnostics
//! into a [`Diagnostics`] list and the caller reports them all together.

use std::fmt;
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
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
    /// The offending line of the file, shown under the message.
    pub snippet: Option<String>,
}

impl Diagnostic {
    pub fn error(file: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            file: file.into(),
            line: None,
            column: None,
            message: message.into(),
            hint: None,
            snippet: None,
        }
    }

    pub fn at_line(mut self, line: usize) -> Self {
        self.line = Some(line);
        self
    }

    pub fn at_column(mut self, column: usize) -> Self {
        self.column = Some(column);
        self
    }

    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// Attaches the text of `self.line` from `source`, so the report can show it.
    pub fn with_snippet_from(mut self, source: &str) -> Self {
        if let Some(line) = self.line {
            self.snippet = source
                .lines()
                .nth(line.saturating_sub(1))
                .map(str::to_owned);
        }
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let label = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        write!(f, "{label}: {}", self.message)?;
        write!(f, "\n  --> {}", self.file.display())?;
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
            if let Some(column) = self.column {
                let pad = " ".repeat(column.saturating_sub(1));
                write!(f, "\n{:width$} | {pad}^", "", width = gutter.len())?;
            }
        }
        if let Some(hint) = &self.hint {
            write!(f, "\n  = help: {hint}")?;
        }
        Ok(())
    }
}

/// Every diagnostic a build produced, in a stable order (file, line, message).
#[derive(Debug, Default, Clone, PartialEq, Eq, thiserror::Error)]
pub struct Diagnostics(Vec<Diagnostic>);

impl Diagnostics {
    pub fn push(&mut self, diagnostic: Diagnostic) {
        self.0.push(diagnostic);
    }

    pub fn extend(&mut self, other: Diagnostics) {
        self.0.extend(other.0);
    }

    pub fn has_errors(&self) -> bool {
        self.0.iter().any(Diagnostic::is_error)
    }

    pub fn error_count(&self) -> usize {
        self.0.iter().filter(|d| d.is_error()).count()
    }

    pub fn warning_count(&self) -> usize {
        self.0.len() - self.error_count()
    }

    /// The same diagnostics with every warning made an error (`--strict`).
    pub fn strict(self) -> Self {
        let all = self.0.into_iter().map(|d| Diagnostic {
            severity: Severity::Error,
            ..d
        });
        Diagnostics(all.collect())
    }

    /// Quotes the offending line of each diagnostic that has a line but no
    /// quote yet (those found after parsing, on the model).
    /// `text_of` gives a file's text by its path.
    pub fn with_snippets(self, text_of: impl Fn(&Path) -> Option<String>) -> Self {
        let quoted = self.0.into_iter().map(|d| match (d.line, &d.snippet) {
            (Some(_), None) => match text_of(&d.file) {
                Some(text) => d.with_snippet_from(&text),
                None => d,
            },
            _ => d,
        });
        Diagnostics(quoted.collect())
    }

    /// Machine-readable form for editors and CI (`--format json`).
    pub fn to_json(&self) -> String {
        let report = serde_json::json!({
            "errors": self.error_count(),
            "warnings": self.warning_count(),
            "diagnostics": self.0,
        });
        serde_json::to_string_pretty(&report).unwrap_or_default()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn iter(&self) -> impl Iterator<Item = &Diagnostic> {
        self.0.iter()
    }

    /// Sorts so that reports do not depend on the order files were read in.
    pub fn sorted(mut self) -> Self {
        self.0.sort_by(|a, b| {
            (&a.file, a.line, a.column, &a.message).cmp(&(&b.file, b.line, b.column, &b.message))
        });
        self.0.dedup();
        self
    }

    /// `Ok(())` when there is no error (warnings alone do not fail a build).
    pub fn into_result(self) -> Result<(), Diagnostics> {
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

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for diagnostic in &self.0 {
            writeln!(f, "{diagnostic}\n")?;
        }
        let (errors, warnings) = (self.error_count(), self.warning_count());
        write!(f, "{errors} error{}", if errors == 1 { "" } else { "s" })?;
        if warnings > 0 {
            write!(
                f,
                ", {warnings} warning{}",
                if warnings == 1 { "" } else { "s" }
            )?;
        }
        Ok(())
    }
}

/// An I/O failure on `path`, as a diagnostic.
pub fn io_error(path: &Path, action: &str, error: &std::io::Error) -> Diagnostic {
    Diagnostic::error(path, format!("could not {action}: {error}"))
}
