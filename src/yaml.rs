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
        YamlError {
            message: tidy_message(&error.to_string()),
            line: location.as_ref().map(|l| l.line()),
            column: location.as_ref().map(|l| l.column()),
        }
    })
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
