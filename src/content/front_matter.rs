//! Splitting a content file into YAML front matter and Markdown body, and
//! finding where a field sits in the front matter so messages can name a line.

use std::cell::RefCell;

use crate::yaml::starts_with_key;

/// A content file cut at its `---` fences.
#[derive(Debug, PartialEq, Eq)]
pub(super) struct Split<'a> {
    pub yaml: &'a str,
    /// 1-based line of the file on which the YAML starts.
    pub yaml_line: usize,
    pub body: &'a str,
}

/// Why a file could not be split, with the 1-based line to point at.
#[derive(Debug, PartialEq, Eq)]
pub(super) struct SplitError {
    pub line: usize,
    pub message: &'static str,
    pub hint: &'static str,
}

/// Cuts `text` into front matter and body. CRLF line endings are accepted,
/// since Windows editors write them (and a byte-order mark, which
/// [`super::load::read_file`] removes).
pub(super) fn split(text: &str) -> Result<Split<'_>, SplitError> {
    let mut lines = text.split_inclusive('\n');
    let first = lines.next().unwrap_or("");
    if !is_fence(first) {
        // Lines ended by a carriage return alone (classic Mac OS) read as
        // one line: the fence is there, the line endings are not.
        let old_mac = first.starts_with("---\r") && !first.starts_with("---\r\n");
        return Err(SplitError {
            line: 1,
            message: "the file does not start with front matter",
            hint: if old_mac {
                "its lines end with a carriage return alone (old Mac line endings): save it with Unix (LF) or Windows (CRLF) line endings"
            } else {
                "begin the file with a line `---`, the YAML fields, then another `---`"
            },
        });
    }
    let yaml_start = first.len();
    let mut offset = yaml_start;
    for line in lines {
        if is_fence(line) {
            return Ok(Split {
                yaml: &text[yaml_start..offset],
                yaml_line: 2,
                body: &text[offset + line.len()..],
            });
        }
        offset += line.len();
    }
    Err(SplitError {
        line: 1,
        message: "the front matter opened here is never closed",
        hint: "add a line `---` after the last YAML field",
    })
}

/// The 1-based line on which the body of a content file starts, after its
/// front matter (`None` when it has none): for messages about the body found
/// after parsing, which must not point into the front matter.
pub(crate) fn body_line(text: &str) -> Option<usize> {
    let split = split(text).ok()?;
    // The YAML's lines, then the closing fence.
    Some(split.yaml_line + split.yaml.lines().count() + 1)
}

fn is_fence(line: &str) -> bool {
    line.trim_end_matches(['\n', '\r']).trim_end() == "---"
}

/// Finds the line of a field in block-style YAML front matter.
///
/// serde_yaml has no spans on values, so semantic errors found after parsing
/// (an unknown person, a bad URL) are located by reading the lines back.
/// When a field cannot be found (flow style, anchors) the nearest enclosing
/// line is returned instead, which is still in the right place to look.
pub(super) struct Locator<'a> {
    lines: Vec<&'a str>,
    /// Added to a 0-based index into `lines` to get the file's 1-based line.
    first_line: usize,
    /// Each list looked up so far. Every statement and source asks for its
    /// line; finding the list again each time would make parsing quadratic
    /// in the length of the lists.
    lists: RefCell<Vec<List>>,
}

type Items = Vec<std::ops::Range<usize>>;

/// A top-level list of the front matter, as found.
struct List {
    name: String,
    /// Index into `lines` of its `name:` line.
    line: Option<usize>,
    /// Line ranges of its items (`None`: not a block list).
    items: Option<Items>,
}

impl<'a> Locator<'a> {
    pub(super) fn new(split: &Split<'a>) -> Self {
        Locator {
            lines: split.yaml.lines().collect(),
            first_line: split.yaml_line,
            lists: RefCell::new(Vec::new()),
        }
    }

    /// The line index of the top-level list `list`, and the line range of
    /// its item `item` if it is a block list that has one. Only the one
    /// range is copied out: copying every item's for each would make
    /// locating a list's items quadratic in its length.
    fn item(&self, list: &str, item: usize) -> (Option<usize>, Option<std::ops::Range<usize>>) {
        let mut lists = self.lists.borrow_mut();
        let position = match lists.iter().position(|l| l.name == list) {
            Some(position) => position,
            None => {
                let line = self.find_key(0..self.lines.len(), 0, list);
                let items = line.and_then(|index| self.list_items(index));
                lists.push(List {
                    name: list.to_owned(),
                    line,
                    items,
                });
                lists.len() - 1
            }
        };
        let found = &lists[position];
        let range = found
            .items
            .as_ref()
            .and_then(|items| items.get(item).cloned());
        (found.line, range)
    }

    /// Line of a top-level `key:`, or the first line of the front matter.
    pub(super) fn field(&self, key: &str) -> usize {
        self.find_key(0..self.lines.len(), 0, key)
            .map_or(self.first_line, |index| index + self.first_line)
    }

    /// Line of `key:` (quoted or not) among the indented lines of the
    /// top-level mapping `map`; the mapping's line when it is not found
    /// there (flow style: `{a: b}`).
    pub(super) fn map_field(&self, map: &str, key: &str) -> usize {
        let Some(start) = self.find_key(0..self.lines.len(), 0, map) else {
            return self.first_line;
        };
        let mut inside = (self.lines[start + 1..].iter())
            .take_while(|line| line.trim().is_empty() || indent_of(line) > 0);
        let found = inside.position(|line| {
            let entry = line.trim_start();
            let unquoted = entry.trim_start_matches(['"', '\'']);
            unquoted
                .strip_prefix(key)
                .is_some_and(|rest| rest.trim_start_matches(['"', '\'']).starts_with(':'))
        });
        start + self.first_line + found.map_or(0, |i| i + 1)
    }

    /// Line of item `item` (0-based) of the top-level list `list`: its own
    /// line in a block list, the list's line in a flow one (`[a, b]`).
    pub(crate) fn item_line(&self, list: &str, item: usize) -> usize {
        match self.item(list, item) {
            (Some(_), Some(range)) => range.start + self.first_line,
            (Some(index), None) => index + self.first_line,
            (None, _) => self.first_line,
        }
    }

    /// Line of `key:` inside item `item` (0-based) of the top-level list `list`.
    pub(super) fn item_field(&self, list: &str, item: usize, key: &str) -> usize {
        let (Some(list_index), range) = self.item(list, item) else {
            return self.first_line;
        };
        let Some(range) = range else {
            return list_index + self.first_line;
        };
        let start = range.start;
        let indent = indent_of(self.lines[start]) + 2;
        // The first key of an item shares the `- ` line.
        let first_key = self.lines[start].trim_start().trim_start_matches("- ");
        if starts_with_key(first_key, key) {
            return start + self.first_line;
        }
        self.find_key(range, indent, key)
            .map_or(start + self.first_line, |index| index + self.first_line)
    }

    /// The line ranges of the items of the block list under `lines[list_index]`.
    fn list_items(&self, list_index: usize) -> Option<Items> {
        let mut items: Vec<std::ops::Range<usize>> = Vec::new();
        let mut dash_indent = None;
        for index in list_index + 1..self.lines.len() {
            let line = self.lines[index];
            if line.trim().is_empty() || line.trim_start().starts_with('#') {
                continue;
            }
            let indent = indent_of(line);
            let is_dash = line.trim_start().starts_with("- ") || line.trim() == "-";
            match dash_indent {
                None if is_dash => dash_indent = Some(indent),
                None => return None,
                Some(_) if indent == 0 && !is_dash => break,
                _ => {}
            }
            if is_dash && Some(indent) == dash_indent {
                items.push(index..index + 1);
            } else if indent < dash_indent.unwrap_or(0) {
                break;
            }
            if let Some(last) = items.last_mut() {
                last.end = index + 1;
            }
        }
        Some(items)
    }

    fn find_key(&self, range: std::ops::Range<usize>, indent: usize, key: &str) -> Option<usize> {
        range.into_iter().find(|&index| {
            indent_of(self.lines[index]) == indent
                && starts_with_key(self.lines[index].trim_start(), key)
        })
    }
}

fn indent_of(line: &str) -> usize {
    line.len() - line.trim_start_matches(' ').len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_front_matter_from_body() {
        let split = split("---\ntitle: A\n---\nBody\n").unwrap();
        assert_eq!(split.yaml, "title: A\n");
        assert_eq!(split.body, "Body\n");
    }

    #[test]
    fn accepts_crlf() {
        let split = split("---\r\ntitle: A\r\n---\r\nBody").unwrap();
        assert_eq!(split.yaml, "title: A\r\n");
        assert_eq!(split.body, "Body");
    }

    #[test]
    fn empty_front_matter_and_body() {
        let split = split("---\n---\n").unwrap();
        assert_eq!((split.yaml, split.body), ("", ""));
    }

    #[test]
    fn the_body_starts_after_the_closing_fence() {
        assert_eq!(body_line("---\ntitle: A\nslug: a\n---\nBody\n"), Some(5));
        assert_eq!(body_line("---\r\ntitle: A\r\n---\r\nBody"), Some(4));
        assert_eq!(body_line("---\n---\nBody"), Some(3));
        assert_eq!(body_line("Body"), None);
    }

    #[test]
    fn refuses_missing_and_unclosed_front_matter() {
        assert_eq!(split("# Title").unwrap_err().line, 1);
        assert_eq!(split("").unwrap_err().line, 1);
        let unclosed = split("---\ntitle: A\nBody").unwrap_err();
        assert!(unclosed.message.contains("never closed"));
    }

    #[test]
    fn old_mac_line_endings_are_named_in_the_hint() {
        let error = split("---\rtitle: A\r---\rBody\r").unwrap_err();
        assert!(
            error.hint.contains("carriage return alone"),
            "{}",
            error.hint
        );
        assert!(!split("# Title\r").unwrap_err().hint.contains("carriage"));
    }

    const ARTICLE: &str = "---\ntitle: A\nsources:\n  - id: wh\n    publisher: White House\n  - id: un\n    url: javascript:x\nstatements:\n- person: biden\n  source: wh\n---\n";

    #[track_caller]
    fn case(list: &str, item: usize, key: &str, line: usize) {
        let split = split(ARTICLE).unwrap();
        assert_eq!(Locator::new(&split).item_field(list, item, key), line);
    }

    #[test]
    fn locates_fields_in_list_items() {
        case("sources", 0, "id", 4);
        case("sources", 0, "publisher", 5);
        case("sources", 1, "url", 7);
        case("sources", 1, "title", 6);
        case("statements", 0, "source", 10);
        case("statements", 3, "source", 8);
        case("missing", 0, "id", 2);
    }

    #[test]
    fn locates_keys_of_a_top_level_mapping() {
        let text = "---\ntitle: A\ntranslations:\n  one: x\n  \"two\": y\nsummary: s\n---\n";
        let split = split(text).unwrap();
        let locator = Locator::new(&split);
        assert_eq!(locator.map_field("translations", "one"), 4);
        assert_eq!(locator.map_field("translations", "two"), 5);
        assert_eq!(
            locator.map_field("translations", "summary"),
            3,
            "not inside it"
        );
        assert_eq!(locator.map_field("missing", "one"), 2);
    }

    #[test]
    fn locates_top_level_fields() {
        let split = split(ARTICLE).unwrap();
        assert_eq!(Locator::new(&split).field("statements"), 8);
        assert_eq!(Locator::new(&split).field("nothing"), 2);
    }
}
