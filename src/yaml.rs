//! The one place that talks to the YAML library.
//!
//! serde_yaml is deprecated upstream; keeping every call here means a
//! maintained fork can replace it by changing this file alone.

use serde::de::DeserializeOwned;

/// A YAML error with its position relative to the start of the YAML text.
#[derive(Debug)]
pub struct YamlError {
    pub message: String,
    /// 1-based line within the YAML text.
    pub line: Option<usize>,
    /// 1-based column.
    pub column: Option<usize>,
}

/// Parses `text` into `T`, or explains where and why it is not valid.
pub fn from_str<T: DeserializeOwned>(text: &str) -> Result<T, YamlError> {
    serde_yaml::from_str(text).map_err(|error| {
        let location = error.location();
        let message = tidy_message(&error.to_string());
        if let Some(found) = control_character(&message, text) {
            return found;
        }
        let line = location.as_ref().map(|l| l.line());
        let column = location.as_ref().map(|l| l.column());
        let line = repeated_field(&message)
            .zip(line.zip(column))
            .and_then(|(key, (line, column))| repeated_key_line(text, line, column, key))
            .or(line);
        YamlError {
            message,
            line,
            column,
        }
    })
}

/// A control character written as such in the YAML, located. libyaml gives
/// only its byte offset ("at position N"), and serde_yaml then places the
/// error at the start of the text.
fn control_character(message: &str, text: &str) -> Option<YamlError> {
    let offset = message
        .strip_prefix("control characters are not allowed at position ")?
        .parse::<usize>()
        .ok()?;
    let before = text.get(..offset)?;
    let found = text[offset..].chars().next()?;
    let line_start = before.rfind('\n').map_or(0, |at| at + 1);
    Some(YamlError {
        message: format!(
            "control character U+{:04X} is not allowed in YAML",
            found as u32
        ),
        line: Some(before.matches('\n').count() + 1),
        column: Some(before[line_start..].chars().count() + 1),
    })
}

/// The key that serde's "duplicate field" message names.
fn repeated_field(message: &str) -> Option<&str> {
    let (_, rest) = message.split_once("duplicate field `")?;
    rest.split_once('`').map(|(key, _)| key)
}

/// The 1-based line of the second `key:` of the block mapping whose first key
/// is at `line`, `column` (1-based, as serde_yaml reports it). serde_yaml
/// points a duplicate key at the start of its mapping; the repeated key is
/// the line to fix.
fn repeated_key_line(yaml: &str, line: usize, column: usize, key: &str) -> Option<usize> {
    let indent = column.checked_sub(1)?;
    let mut seen = 0;
    for (offset, text) in yaml.lines().skip(line.checked_sub(1)?).enumerate() {
        if text.trim().is_empty() || text.trim_start().starts_with('#') {
            continue;
        }
        let (before, rest) = text.split_at_checked(indent)?;
        // The first line may start with the `- ` of a list item; any later
        // line with text before the column is outside the mapping.
        if offset > 0 && !before.bytes().all(|b| b == b' ') {
            return None;
        }
        if starts_with_key(rest, key) {
            seen += 1;
            if seen == 2 {
                return Some(line + offset);
            }
        }
    }
    None
}

/// Whether a line of block YAML (from its key on) is `key:`.
pub fn starts_with_key(line: &str, key: &str) -> bool {
    line.strip_prefix(key)
        .is_some_and(|rest| rest.starts_with(':'))
}

/// serde_yaml appends " at line X column Y" to its messages; we show the
/// position ourselves, relative to the whole file, so drop it.
fn tidy_message(message: &str) -> String {
    match message.find(" at line ") {
        Some(at) => message[..at].to_owned(),
        None => message.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Doc {
        #[allow(dead_code)]
        title: String,
    }

    #[test]
    fn reports_line_of_unknown_field() {
        let error = from_str::<Doc>("title: a\ntitel: b\n").unwrap_err();
        assert_eq!(error.line, Some(2));
        assert!(
            error.message.contains("unknown field `titel`"),
            "{}",
            error.message
        );
        assert!(!error.message.contains("at line"));
    }

    #[test]
    fn duplicate_keys_are_reported_at_the_repeated_key() {
        #[derive(Debug, serde::Deserialize)]
        #[allow(dead_code)]
        struct Item {
            id: String,
            url: Option<String>,
        }
        #[derive(Debug, serde::Deserialize)]
        #[allow(dead_code)]
        struct Page {
            title: String,
            #[serde(default)]
            sources: Vec<Item>,
        }
        let line = |yaml: &str| from_str::<Page>(yaml).unwrap_err().line;
        assert_eq!(line("title: A\n# a comment\n\ntitle: B\n"), Some(4));
        let nested =
            "title: A\nsources:\n  - id: a\n    url: x\n# a note at the margin\n    url: y\n";
        assert_eq!(line(nested), Some(6));
        // Flow style gives no line to find: the mapping's own line stays.
        assert_eq!(line("{title: A, title: B}\n"), Some(1));
    }

    #[test]
    fn control_characters_are_located_where_they_are() {
        let error = from_str::<Doc>("title: \"é\"\n# a comment, then\n  é\u{7}\n").unwrap_err();
        assert_eq!(
            (error.message.as_str(), error.line, error.column),
            (
                "control character U+0007 is not allowed in YAML",
                Some(3),
                Some(4)
            )
        );
    }

    #[test]
    fn alias_bombs_are_refused_not_expanded() {
        let mut bomb = String::from(
            "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n",
        );
        for (name, prev) in ["b", "c", "d", "e", "f", "g", "h", "i"]
            .iter()
            .zip(["a", "b", "c", "d", "e", "f", "g", "h"])
        {
            bomb.push_str(&format!("{name}: &{name} [*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev}]\n"));
        }
        bomb.push_str("title: x\n");
        assert!(from_str::<Doc>(&bomb).is_err());
    }
}
