//! The one place that talks to the YAML library.
//!
//! serde_yaml is deprecated upstream; keeping every call here means a
//! maintained fork can replace it by changing this file alone.

use serde::de::DeserializeOwned;
use yaml_rust2::parser::{Event, MarkedEventReceiver, Parser};
use yaml_rust2::scanner::{Marker, TScalarStyle};

/// A YAML error with its position relative to the start of the YAML text.
#[derive(Debug)]
pub(crate) struct YamlError {
    pub message: String,
    /// 1-based line within the YAML text.
    pub line: Option<usize>,
    /// 1-based column.
    pub column: Option<usize>,
}

/// How deep lists and maps may nest. annals' own fields nest three levels;
/// the YAML parser's cost grows with the square of the depth (100,000
/// levels took 20 s), so deeper input is refused before it is parsed.
const MAX_DEPTH: usize = 32;

/// Parses `text` into `T`, or explains where and why it is not valid.
pub(crate) fn from_str<T: DeserializeOwned>(text: &str) -> Result<T, YamlError> {
    if let Some((line, column)) = too_deep(text) {
        return Err(YamlError {
            message: format!("lists or maps are nested more than {MAX_DEPTH} levels deep"),
            line: Some(line),
            column: Some(column),
        });
    }
    if let Some(error) = misread(text) {
        return Err(error);
    }
    serde_yaml::from_str(text).map_err(|error| {
        let location = error.location();
        let message = tidy_message(&error.to_string());
        if let Some(found) = control_character(&message, text) {
            return found;
        }
        // `[a, !b]`: a tag against a bracket is no YAML at all.
        let message = match message.contains("scanning a tag") {
            true => "a value starts with `!`, and YAML reads it as a tag, not as text; quote the whole text".to_owned(),
            false => message,
        };
        let place = location
            .as_ref()
            .map(|l| editor_place(text, l.line(), l.column()));
        let line = place.map(|(line, _)| line);
        let column = place.map(|(_, column)| column);
        let line = repeated_field(&message)
            .zip(line.zip(column))
            .and_then(|(key, (line, column))| repeated_key_line(text, line, column, key))
            .or(line);
        let syntax = serde_yaml::from_str::<serde_yaml::Value>(text).is_err();
        if let Some(cause) = line.and_then(|line| cause_above(text, &message, line, syntax)) {
            return cause;
        }
        // Prose read as fields: a syntax error, or a "field" of words.
        let prose = syntax || unknown_field(&message).is_some_and(|f| f.contains(' '));
        let message = match prose && line.is_some_and(|line| after_a_blank_line(text, line)) {
            true => format!(
                "{message} (after a blank line: if this is the text, the front matter's closing `---` is missing above it)"
            ),
            false => message,
        };
        YamlError {
            message,
            line,
            column,
        }
    })
}

/// What the parser gave up on at `line` may lie lines before, or be
/// other than it says: a quote left open or a pasted space (only where
/// the text is no YAML at all, `syntax`: a wrong field or value is where
/// the error says), a field made another by an odd space, a `#word` in a
/// flow list (`topics: [Aid, #Gaza]` leaves the list open, and the next
/// line falls into it).
fn cause_above(text: &str, message: &str, line: usize, syntax: bool) -> Option<YamlError> {
    let near = line.saturating_sub(2)..=line;
    let broken = || {
        syntax
            .then(|| odd_space(text, near.clone()).or_else(|| unclosed_quote(text, line)))
            .flatten()
    };
    // A field written with an odd space before it or after its `:` is no
    // field: it is missing, or another, and the space is why.
    let missing = || {
        let field = message.split("missing field `").nth(1)?.split('`').next()?;
        let written = text.lines().position(|l| {
            let l = l.trim_start_matches(|c: char| c.is_whitespace() || c == '-');
            l.strip_prefix(field)
                .is_some_and(|rest| rest.starts_with(':'))
        })?;
        odd_space(text, written + 1..=written + 1)
    };
    let other = || {
        let odd = unknown_field(message)?.contains(|c: char| c.is_whitespace() && !c.is_ascii());
        odd.then(|| odd_space(text, line..=line)).flatten()
    };
    let hashtag = || {
        let (at, dropped) = hashtags(text).find(|&(at, _)| {
            let number = text[..at].matches('\n').count() + 1;
            let whole = text.lines().nth(number - 1).unwrap_or_default();
            let quoted = value_start(whole).is_some_and(|v| whole[v..].starts_with(['"', '\'']));
            near.contains(&number) && !quoted
        })?;
        let number = text[..at].matches('\n').count() + 1;
        let column = text[..at]
            .rsplit('\n')
            .next()
            .unwrap_or_default()
            .chars()
            .count()
            + 1;
        Some(comment_cut(dropped, number, column))
    };
    broken().or_else(missing).or_else(hashtag).or_else(other)
}

/// The field an "unknown field" error names.
fn unknown_field(message: &str) -> Option<&str> {
    message.split("unknown field `").nth(1)?.split('`').next()
}

/// The error for a `#word` YAML read as a comment, dropping `dropped`.
fn comment_cut(dropped: &str, line: usize, column: usize) -> YamlError {
    YamlError {
        message: format!(
            "`#` after a space starts a YAML comment: `{dropped}` would be dropped from the text"
        ),
        line: Some(line),
        column: Some(column),
    }
}

/// Whether `line` (1-based) starts at the left after a blank line: prose
/// read as YAML when the closing `---` is missing, or a field after a gap.
fn after_a_blank_line(text: &str, line: usize) -> bool {
    let mut lines = text.lines().skip(line.saturating_sub(2));
    let (Some(before), Some(this)) = (lines.next(), lines.next()) else {
        return false;
    };
    line > 1 && before.trim().is_empty() && !this.starts_with([' ', '-', '#'])
}

/// A space that is not one where YAML wants spaces, on one of `lines`
/// (those just above a YAML error): in a line's indentation, or after a
/// key's `:`. A non-breaking space pasted from a word processor looks like
/// a space, and YAML counts it as text, so the error it gives names the
/// wrong line or a wrong indentation. Sought only where YAML failed: in
/// valid YAML such a space is text (`10 000`, French `:`), and stays.
fn odd_space(text: &str, lines: std::ops::RangeInclusive<usize>) -> Option<YamlError> {
    if text.is_ascii() {
        return None;
    }
    let odd = |c: char| c.is_whitespace() && !c.is_ascii();
    let numbered = text.lines().enumerate();
    numbered
        .filter(|(index, _)| lines.contains(&(index + 1)))
        .find_map(|(index, line)| {
            let indent = line.len() - line.trim_start().len();
            let after_key = (line.char_indices())
                .find(|&(at, c)| c == ':' && line[at + 1..].starts_with(odd))
                .filter(|&(at, _)| !line[..at].contains(": ") && !line[..at].contains(['"', '\'']))
                .map(|(at, _)| at + 1);
            let at = line[..indent].find(odd).or(after_key)?;
            let c = line[at..].chars().next()?;
            let place = if at < indent {
                "in this line's indentation"
            } else {
                "after the key's `:`"
            };
            Some(YamlError {
                message: format!(
                    "a {} (U+{:04X}) {place}, where YAML reads only plain spaces",
                    space_name(c),
                    u32::from(c)
                ),
                line: Some(index + 1),
                column: Some(line[..at].chars().count() + 1),
            })
        })
}

fn space_name(c: char) -> &'static str {
    match c {
        '\u{00A0}' | '\u{202F}' => "non-breaking space",
        '\u{3000}' => "full-width space",
        _ => "typographic space",
    }
}

/// A quoted text opened on a line before the error's and not closed on
/// its own line: YAML read on to the next quote mark, lines later, and
/// failed there. The error is put where the quote opens.
fn unclosed_quote(text: &str, error_line: usize) -> Option<YamlError> {
    text.lines().take(error_line.saturating_sub(1)).enumerate().find_map(|(index, line)| {
        let start = value_start(line)?;
        let value = line[start..].trim_end();
        let quote = value.chars().next().filter(|c| matches!(c, '"' | '\''))?;
        let closed = match quote {
            // Inside double quotes, `\"` is a quote mark of the text.
            '"' => value[1..].replace("\\\\", "").replace("\\\"", "").contains('"'),
            // Inside single quotes, `''` is one.
            _ => value[1..].replace("''", "").contains('\''),
        };
        (!closed).then(|| YamlError {
            message: format!(
                "the text that opens with {quote} here is not closed on its line: YAML read on, past the lines below, and failed there"
            ),
            line: Some(index + 1),
            column: Some(line[..start].chars().count() + 1),
        })
    })
}

/// What YAML reads otherwise than an editor means, found on the parser's
/// nodes, which say where each starts (serde_yaml's value says nothing of
/// where a text was written, nor of what it dropped): a tag, or a comment
/// that cut a text short. Parsed a second time only when the text holds a
/// `!` or a `#` that could be one.
fn misread(text: &str) -> Option<YamlError> {
    // A tag's `!` starts a word (`!Breaking`, `[!a`), or stands alone
    // (`summary: ! text`); `win!` is text.
    let tag = text.match_indices('!').any(|(at, _)| {
        let before = text[..at].chars().next_back();
        before.is_none_or(|c| c.is_whitespace() || matches!(c, '[' | '{' | ',' | '!'))
    });
    // An indented line starting with `#word` may have ended a wrapped text.
    let wrapped = text.lines().any(|line| {
        let rest = line.trim_start_matches(' ');
        rest.len() < line.len()
            && rest.starts_with('#')
            && !rest[1..].starts_with(char::is_whitespace)
    });
    let could_be = tag || wrapped || hashtags(text).next().is_some();
    if !could_be {
        return None;
    }
    let nodes = Nodes::of(text)?;
    nodes.tagged().or_else(|| nodes.cut_by_comment())
}

/// The nodes of a YAML text as the parser reads them, each with the
/// position (in characters) where its content starts.
struct Nodes {
    chars: Vec<char>,
    events: Vec<(Event, Marker)>,
}

impl MarkedEventReceiver for Nodes {
    fn on_event(&mut self, event: Event, mark: Marker) {
        self.events.push((event, mark));
    }
}

impl Nodes {
    /// None when `text` is no YAML: serde_yaml then says why.
    fn of(text: &str) -> Option<Nodes> {
        let mut nodes = Nodes {
            chars: text.chars().collect(),
            events: Vec::new(),
        };
        Parser::new_from_str(text).load(&mut nodes, false).ok()?;
        Some(nodes)
    }

    /// A value starting with `!` (`title: !Breaking news`, `topics: [!Aid,
    /// Talks]`, on a line of its own under its key): YAML reads the word as
    /// a tag and drops it, so the title would be "news" and the first topic
    /// empty. annals uses no tags; the first one is an error, at the `!`.
    fn tagged(&self) -> Option<YamlError> {
        let content = self.events.iter().find_map(|(event, mark)| match event {
            Event::Scalar(_, _, _, Some(_))
            | Event::SequenceStart(_, Some(_))
            | Event::MappingStart(_, Some(_)) => Some(mark.index()),
            _ => None,
        })?;
        // The node's content starts after its tag: the tag is the last
        // `!` word before it (`!!str` whole).
        let before = &self.chars[..content.min(self.chars.len())];
        let mut at = before.iter().rposition(|&c| c == '!')?;
        while at > 0 && before[at - 1] == '!' {
            at -= 1;
        }
        let tag: String = (self.chars[at..].iter())
            .take_while(|c| !c.is_whitespace() && !matches!(c, ',' | ']' | '}'))
            .collect();
        let (line, column) = self.place(at);
        Some(YamlError {
            message: format!(
                "`{tag}` starts a value, and YAML reads it as a tag, not as text; quote the whole text"
            ),
            line: Some(line),
            column: Some(column),
        })
    }

    /// A `#` after a space and before a word (`quote: We stand with Gaza
    /// #ceasefire now`, `- #Gaza`, `summary: #Gaza talks`): YAML reads it
    /// and all after it as a comment, so the quote would be published cut
    /// short, as if verbatim, or a value dropped. A comment an editor means
    /// has a space after its `#` (`date: 2021-05  # roughly`), or a line of
    /// its own, and stays one; in quoted text or a `|` block, `#` is text
    /// (and after a closing quote, nothing of the text is lost).
    fn cut_by_comment(&self) -> Option<YamlError> {
        let text: String = self.chars.iter().collect();
        let quoted = self.quoted_spans();
        let beside = hashtags(&text).find(|(at, _)| {
            let at = text[..*at].chars().count();
            !quoted.iter().any(|span| span.contains(&at))
        });
        let (at, dropped) = beside
            .map(|(at, dropped)| (text[..at].chars().count(), dropped.to_owned()))
            .or_else(|| self.comment_in_plain_text())?;
        let (line, column) = self.place(at);
        Some(comment_cut(&dropped, line, column))
    }

    /// A line starting with `#word` where a plain text goes on over lines
    /// (indented deeper than its key): YAML ends the text there, and
    /// drops the rest as a comment. Its position (in characters) and the
    /// line from the `#`. A `#word` line at a key's depth is a comment of
    /// its own.
    fn comment_in_plain_text(&self) -> Option<(usize, String)> {
        let mut starts: Vec<usize> = self.events.iter().map(|(_, mark)| mark.index()).collect();
        starts.sort_unstable();
        let plain = self.events.iter().filter_map(|(event, mark)| match event {
            Event::Scalar(value, TScalarStyle::Plain, _, _) if !value.is_empty() => {
                Some(mark.index())
            }
            _ => None,
        });
        plain.into_iter().find_map(|start| {
            let next = starts.partition_point(|&s| s <= start);
            let end = starts.get(next).copied().unwrap_or(self.chars.len());
            let line_start = self.chars[..start]
                .iter()
                .rposition(|&c| c == '\n')
                .map_or(0, |i| i + 1);
            // The key's column: past the indentation and any `- `.
            let mut key = line_start;
            while let Some(&c) = self.chars.get(key) {
                let item = c == '-' && self.chars.get(key + 1).is_some_and(|c| *c == ' ');
                match (c, item) {
                    (' ', _) => key += 1,
                    (_, true) => key += 2,
                    _ => break,
                }
            }
            let depth = key - line_start;
            let mut at = start;
            while let Some(offset) = self.chars[at..end].iter().position(|&c| c == '\n') {
                let line = at + offset + 1;
                let indent = self.chars[line..end]
                    .iter()
                    .take_while(|&&c| c == ' ')
                    .count();
                let hash = line + indent;
                let word = self.chars.get(hash + 1).is_some_and(|c| !c.is_whitespace());
                if hash < end && self.chars[hash] == '#' && word && indent > depth {
                    let rest: String = self.chars[hash..]
                        .iter()
                        .take_while(|&&c| c != '\n')
                        .collect();
                    return Some((hash, rest.trim_end().to_owned()));
                }
                at = line;
            }
            None
        })
    }

    /// Where each quoted text or block of text runs, in which `#` is
    /// text: a quoted one to its closing quote (a `#word` after it is a
    /// comment, which took a word the editor wrote beside the quote), a
    /// block to the next node.
    fn quoted_spans(&self) -> Vec<std::ops::Range<usize>> {
        let mut starts: Vec<usize> = self.events.iter().map(|(_, mark)| mark.index()).collect();
        starts.sort_unstable();
        (self.events.iter())
            .filter_map(|(event, mark)| match event {
                Event::Scalar(_, style, _, _) if *style != TScalarStyle::Plain => {
                    Some((*style, mark.index()))
                }
                _ => None,
            })
            .map(|(style, start)| {
                let next = starts.partition_point(|&s| s <= start);
                let next = starts.get(next).copied().unwrap_or(self.chars.len());
                let end = match style {
                    TScalarStyle::DoubleQuoted | TScalarStyle::SingleQuoted => {
                        self.closing_quote(start).map_or(next, |at| at + 1)
                    }
                    _ => next,
                };
                start..end
            })
            .collect()
    }

    /// Where the quoted text opening at `start` closes: the next `"` not
    /// escaped by `\`, or the next `'` not doubled.
    fn closing_quote(&self, start: usize) -> Option<usize> {
        let quote = *self.chars.get(start)?;
        let mut at = start + 1;
        while let Some(&c) = self.chars.get(at) {
            match (quote, c) {
                ('"', '\\') => at += 1,
                ('\'', '\'') if self.chars.get(at + 1) == Some(&'\'') => at += 1,
                _ if c == quote => return Some(at),
                _ => {}
            }
            at += 1;
        }
        None
    }

    /// The 1-based line and column of character `at`.
    fn place(&self, at: usize) -> (usize, usize) {
        let before = &self.chars[..at.min(self.chars.len())];
        let line = before.iter().filter(|&&c| c == '\n').count() + 1;
        let column = before.iter().rev().take_while(|&&c| c != '\n').count() + 1;
        (line, column)
    }
}

/// Each `#` of `text` after a space or tab and before a non-space, on a
/// line with something before it: what YAML would read as a comment
/// where a hashtag was meant. Its byte offset, and the rest of its line.
fn hashtags(text: &str) -> impl Iterator<Item = (usize, &str)> {
    text.match_indices('#').filter_map(move |(at, _)| {
        let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
        let before = &text[line_start..at];
        let after = text[at + 1..].chars().next();
        let spaced = before.ends_with([' ', '\t']) && !before.trim().is_empty();
        let word = after.is_some_and(|c| !c.is_whitespace());
        let end = text[at..].find('\n').map_or(text.len(), |i| at + i);
        (spaced && word).then(|| (at, text[at..end].trim_end()))
    })
}

/// Where the value of a block-style line starts: after its key's `: `, or
/// after a list item's `- `.
fn value_start(line: &str) -> Option<usize> {
    let indent = line.len() - line.trim_start().len();
    if line[indent..].starts_with("- ") {
        let after = indent + 2;
        return Some(after + value_start(&line[after..]).unwrap_or(0));
    }
    let (key, _) = line.split_once(": ")?;
    let plain = !key.contains(['"', '\'', '#', '[', '{']);
    plain.then_some(key.len() + 2)
}

/// What to do about a YAML error with `message` on `line` (of front matter
/// or `annals.yaml`).
/// `contains`, not `starts_with`: errors inside a list item are prefixed with
/// their path, e.g. `sources[0].kind: unknown variant`. `line` is the YAML
/// line the error points at.
pub(crate) fn hint(message: &str, line: &str) -> &'static str {
    let value = line.split_once(": ").map_or("", |(_, value)| value.trim());
    if message.contains("expected a sequence") {
        "write a list: `[Example, Another]` on the line, or one `- item` per line below it"
    } else if value.starts_with('"') && value.matches('"').count() > 2 {
        "a `\"` inside double quotes ends the text: write it as `\\\"`, or put the whole text in single quotes"
    } else if message.contains("reads it as a tag") {
        "put the whole text in quotes: `title: \"!Breaking news\"`"
    } else if message.contains("is not closed on its line") {
        "end the text with the same quote mark on this line"
    } else if message.contains("where YAML reads only plain spaces") {
        "type the space again as a plain space: it often comes with text pasted from a word processor"
    } else if message.contains("starts a YAML comment") {
        "put the whole text in quotes: `quote: \"We stand with Gaza #ceasefire\"`"
    } else if message.contains("mapping values are not allowed") {
        "if this line is a field, align it with the fields above it; if it is text, quote it, since it contains `: `"
    } else if message.contains("missing field") {
        "add the field"
    } else if message.contains("unknown field") {
        "check the spelling; the README lists every field and setting"
    } else if message.contains("unknown variant") {
        "use one of the values listed"
    } else if message.contains("duplicate field") {
        "a field or setting may appear only once here: keep one of the two"
    } else if message.contains("control character") {
        "remove the invisible character at this position: it often comes with pasted text"
    } else if message.contains("tab character")
        || line
            .chars()
            .take_while(|c| c.is_whitespace())
            .any(|c| c == '\t')
    {
        "indent YAML with spaces, not tabs"
    } else if message.contains("expected a boolean") {
        "write `true` or `false`, without quotes"
    } else if [
        "expected usize",
        "expected u32",
        "expected u64",
        "expected u16",
        "expected u8",
    ]
    .iter()
    .any(|wanted| message.contains(wanted))
    {
        "write a whole number, 0 or more, without quotes"
    } else {
        "check the YAML syntax on this line (quote text that contains `: ` or starts with a symbol)"
    }
}

/// The parser's 1-based line and column as an editor counts them. The
/// parser reads YAML 1.1, where a carriage return alone, U+0085, U+2028
/// and U+2029 end lines too; an editor, and annals' quoting, end lines at
/// `\n` only, so a title holding U+2028 put every later error a line off.
fn editor_place(text: &str, line: usize, column: usize) -> (usize, usize) {
    if !text.contains(['\r', '\u{85}', '\u{2028}', '\u{2029}']) {
        return (line, column);
    }
    let (mut parser_line, mut ours, mut since_newline) = (1, 1, 0);
    let mut chars = text.chars().peekable();
    while parser_line < line {
        let Some(c) = chars.next() else { break };
        since_newline += 1;
        match c {
            '\n' => (parser_line, ours, since_newline) = (parser_line + 1, ours + 1, 0),
            '\r' if chars.peek() == Some(&'\n') => {
                chars.next();
                (parser_line, ours, since_newline) = (parser_line + 1, ours + 1, 0);
            }
            '\r' | '\u{85}' | '\u{2028}' | '\u{2029}' => parser_line += 1,
            _ => {}
        }
    }
    (ours, since_newline + column)
}

/// Where nesting first passes [`MAX_DEPTH`] (1-based line and column), in
/// one pass over the text: flow collections (`[[[…`, `{{…`) are counted
/// across lines, and block sequences opened on one line (`- - - …`). Deep
/// block nesting by indentation needs text quadratic in its depth, so it
/// cannot be the cheap attack these are. Quoted scalars, comments and block
/// scalars (`|`, `>`) are skipped, since brackets in them are text.
fn too_deep(text: &str) -> Option<(usize, usize)> {
    let mut flow = 0usize;
    // The indentation of the line that opened a block scalar, while in one.
    let mut block_scalar: Option<usize> = None;
    // The quote of a quoted scalar that runs on to the next line.
    let mut quote: Option<char> = None;
    for (index, line) in text.lines().enumerate() {
        let indent = line.len() - line.trim_start_matches(' ').len();
        if let Some(parent) = block_scalar {
            if line.trim().is_empty() || indent > parent {
                continue;
            }
            block_scalar = None;
        }
        let mut scan = LineScan::new(line);
        if let Some(open) = quote {
            scan.skip_quoted(open);
        } else if flow == 0 {
            let compact = scan.compact_depth();
            if compact > MAX_DEPTH {
                return Some((index + 1, scan.column()));
            }
            // Most lines (`key: plain text`) can open nothing: skip them
            // without walking their characters.
            if !line
                .bytes()
                .any(|b| matches!(b, b'[' | b'{' | b'"' | b'\'' | b'|' | b'>'))
            {
                continue;
            }
        }
        while let Some(c) = scan.next() {
            match c {
                '#' if scan.after_space() => break,
                '"' | '\'' if scan.at_scalar_start() => scan.skip_quoted(c),
                // An anchor or a tag (`&a`, `!!seq`) comes before the value
                // it names, which may still open a collection.
                '&' | '!' if scan.at_scalar_start() => scan.skip_token(),
                '|' | '>' if flow == 0 && scan.at_scalar_start() && scan.block_scalar_header() => {
                    block_scalar = Some(indent);
                    break;
                }
                '[' | '{' if flow > 0 || scan.at_scalar_start() => {
                    flow += 1;
                    if flow > MAX_DEPTH {
                        return Some((index + 1, scan.column()));
                    }
                    scan.scalar_starts();
                }
                ']' | '}' if flow > 0 => flow -= 1,
                ',' if flow > 0 => scan.scalar_starts(),
                ':' if scan.peek_space() => scan.scalar_starts(),
                // Indicators only where a value starts; in a plain scalar
                // (`a - b`) they are text.
                '-' | '?' if scan.at_scalar_start() && scan.peek_space() => {}
                ' ' | '\t' => {}
                _ => scan.scalar_continues(),
            }
        }
        quote = scan.open_quote;
    }
    None
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

/// Walking one line of YAML for [`too_deep`].
struct LineScan<'a> {
    chars: std::iter::Peekable<std::str::CharIndices<'a>>,
    line: &'a str,
    /// Byte offset of the last character taken.
    at: usize,
    previous: Option<char>,
    /// Whether a scalar or collection may start here (after an indicator
    /// and spaces), rather than being inside a plain scalar.
    scalar_start: bool,
    /// The quote of a quoted scalar still open at the end of the line.
    open_quote: Option<char>,
}

impl<'a> LineScan<'a> {
    fn new(line: &'a str) -> Self {
        LineScan {
            chars: line.char_indices().peekable(),
            line,
            at: 0,
            previous: None,
            scalar_start: true,
            open_quote: None,
        }
    }

    fn next(&mut self) -> Option<char> {
        if self.open_quote.is_some() {
            return None;
        }
        let previous = self.line[..self.chars.peek()?.0].chars().next_back();
        let (at, c) = self.chars.next()?;
        self.previous = previous;
        self.at = at;
        Some(c)
    }

    /// 1-based column of the last character taken.
    fn column(&self) -> usize {
        self.line[..self.at].chars().count() + 1
    }

    fn peek_space(&mut self) -> bool {
        self.chars
            .peek()
            .is_none_or(|(_, c)| *c == ' ' || *c == '\t')
    }

    fn after_space(&self) -> bool {
        self.previous.is_none_or(|c| c == ' ' || c == '\t')
    }

    fn at_scalar_start(&self) -> bool {
        self.scalar_start
    }

    fn scalar_starts(&mut self) {
        self.scalar_start = true;
    }

    fn scalar_continues(&mut self) {
        self.scalar_start = false;
    }

    /// How many block sequences (`- `) or complex keys (`? `) open at the
    /// start of the line, which is consumed up to the first other character.
    fn compact_depth(&mut self) -> usize {
        let mut depth = 0;
        loop {
            while self.chars.next_if(|(_, c)| *c == ' ').is_some() {}
            let Some(&(at, c)) = self.chars.peek() else {
                return depth;
            };
            let rest = &self.line[at + c.len_utf8()..];
            if !matches!(c, '-' | '?') || !(rest.is_empty() || rest.starts_with([' ', '\t'])) {
                return depth;
            }
            self.chars.next();
            self.at = at;
            depth += 1;
        }
    }

    /// Skips the rest of an anchor or tag, up to a space: a value may follow.
    fn skip_token(&mut self) {
        while self
            .chars
            .next_if(|(_, c)| !matches!(c, ' ' | '\t'))
            .is_some()
        {}
    }

    /// Whether the rest of the line, after a `|` or `>` just taken, makes it
    /// a block scalar's header: indentation and chomping indicators, then
    /// nothing but a comment.
    fn block_scalar_header(&self) -> bool {
        let rest = &self.line[self.at + 1..];
        let rest = rest.trim_start_matches(|c: char| c.is_ascii_digit() || c == '+' || c == '-');
        let rest = rest.trim_start_matches([' ', '\t']);
        rest.is_empty() || rest.starts_with('#')
    }

    /// Skips a quoted scalar opened by `quote` (`''` escapes `'`, `\` escapes
    /// in `"…"`).
    fn skip_quoted(&mut self, quote: char) {
        while let Some((_, c)) = self.chars.next() {
            match c {
                '\\' if quote == '"' => {
                    self.chars.next();
                }
                c if c == quote => {
                    if quote == '\'' && self.chars.next_if(|(_, c)| *c == '\'').is_some() {
                        continue;
                    }
                    self.scalar_continues();
                    return;
                }
                _ => {}
            }
        }
        self.open_quote = Some(quote);
    }
}

/// Whether a line of block YAML (from its key on) is `key:`.
pub(crate) fn starts_with_key(line: &str, key: &str) -> bool {
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
    fn a_value_starting_with_a_tag_is_refused_rather_than_dropped() {
        let error = from_str::<Doc>("title: !Breaking news today\n").unwrap_err();
        assert!(
            error.message.contains("`!Breaking` starts a value"),
            "{}",
            error.message
        );
        assert_eq!((error.line, error.column), (Some(1), Some(8)));
        let error = from_str::<Doc>("title: a\ntags:\n  - !!binary aGVsbG8=\n").unwrap_err();
        assert!(
            error.message.contains("starts a value"),
            "{}",
            error.message
        );
        assert_eq!(error.line, Some(3));
        // Quoted, or inside a text, `!` is text.
        assert!(from_str::<Doc>("title: \"!Breaking news\"\n").is_ok());
        assert!(from_str::<Doc>("title: \"Stop: !! now\"\n").is_ok());
        // In a flow list or map, too.
        let error = from_str::<Doc>("title: a\ntopics: [!Talks, Aid]\n").unwrap_err();
        assert!(error.message.contains("`!Talks`"), "{}", error.message);
        assert_eq!((error.line, error.column), (Some(2), Some(10)));
        let error = from_str::<Doc>("title: a\ntopics: [Aid, !Talks]\n").unwrap_err();
        assert!(error.message.contains("`!Talks`"), "{}", error.message);
        assert!(from_str::<Doc>("title: a\nk: {a: !x}\n").is_err());
        assert!(from_str::<Doc>("title: \"Stop, !now\"\nk: [\"a, !b\", 'c, !d']\n").is_err());
        assert!(from_str::<Doc>("title: Stop, don't! Go, !now\n").is_ok());
        // On a line of its own under its key, behind an anchor, or a tag of
        // YAML's own: a tag all the same.
        let error = from_str::<Doc>("title:\n  !Breaking news today\n").unwrap_err();
        assert_eq!(
            (error.line, error.column),
            (Some(2), Some(3)),
            "{}",
            error.message
        );
        let error = from_str::<Doc>("title: &t !Breaking news\n").unwrap_err();
        assert!(error.message.contains("`!Breaking`"), "{}", error.message);
        let error = from_str::<Doc>("title: ! text\n").unwrap_err();
        assert!(error.message.contains("`!`"), "{}", error.message);
        let error = from_str::<Doc>("title: !!str 1e3\n").unwrap_err();
        assert!(error.message.contains("`!!str`"), "{}", error.message);
        // In a block of text, `!` is text.
        assert!(from_str::<Doc>("title: |\n  Warning: !! do not\n").is_ok());
        assert_eq!(value_start("  - person: ada"), Some(12));
    }

    #[test]
    fn pasted_spaces_and_unclosed_quotes_are_named_where_they_are() {
        #[derive(Debug, serde::Deserialize)]
        struct Two {
            #[allow(dead_code)]
            title: String,
            #[allow(dead_code)]
            source: String,
        }
        let error = from_str::<Two>("title: a\nsource:\u{a0}briefing\n").unwrap_err();
        assert!(
            error
                .message
                .contains("non-breaking space (U+00A0) after the key"),
            "{}",
            error.message
        );
        assert_eq!((error.line, error.column), (Some(2), Some(8)));
        #[derive(Debug, serde::Deserialize)]
        #[serde(deny_unknown_fields)]
        #[allow(dead_code)]
        struct Strict {
            person: String,
            context: Option<String>,
        }
        let text = "person: ada\n\u{a0}   context: briefing\n";
        let error = from_str::<Strict>(text).unwrap_err();
        assert!(
            error.message.contains("in this line's indentation"),
            "{}",
            error.message
        );
        let error = from_str::<Two>("title: a\n\u{a0} source: b\n").unwrap_err();
        assert!(
            error.message.contains("in this line's indentation"),
            "{}",
            error.message
        );
        assert_eq!((error.line, error.column), (Some(2), Some(1)));
        // In a value, it is text.
        assert!(from_str::<Two>("title: 10\u{a0}000\nsource: b\n").is_ok());
        let text = "title: \"Talks continue\nsource: b\nother:\n  - x: \"y\"\n";
        let error = from_str::<Two>(text).unwrap_err();
        assert!(
            error.message.contains("opens with \" here is not closed"),
            "{}",
            error.message
        );
        assert_eq!((error.line, error.column), (Some(1), Some(8)));
        assert!(from_str::<Two>("title: \"a \\\" b\"\nsource: 'it''s'\n").is_ok());
    }

    #[test]
    fn type_errors_say_what_to_write() {
        assert_eq!(
            hint(
                "invalid type: string \"yes\", expected a boolean",
                "draft: yes"
            ),
            "write `true` or `false`, without quotes"
        );
        assert_eq!(
            hint(
                "invalid value: integer `-5`, expected usize",
                "paginate: -5"
            ),
            "write a whole number, 0 or more, without quotes"
        );
        assert_eq!(
            hint("found character that cannot start any token", "\ttitle: x"),
            "indent YAML with spaces, not tabs"
        );
    }

    #[test]
    fn a_hashtag_is_refused_rather_than_cut_as_a_comment() {
        let error = from_str::<Doc>("title: Talks continue #2 in Cairo\n").unwrap_err();
        assert!(
            error.message.contains("`#2 in Cairo` would be dropped"),
            "{}",
            error.message
        );
        assert_eq!((error.line, error.column), (Some(1), Some(23)));
        // A comment meant as one, quoted text, and `#` inside a block of text stay.
        assert!(from_str::<Doc>("title: Talks  # a comment\n").is_ok());
        assert!(from_str::<Doc>("title: \"Talks #2\"\n").is_ok());
        assert!(from_str::<Doc>("title: Talks#2\n").is_ok());
        assert!(from_str::<Doc>("title: |\n  Line: with #tag\n").is_ok());
        assert!(from_str::<Doc>("# TODO\n#TODO\ntitle: \"Talks #2\" # fine\n").is_ok());
        assert!(from_str::<Doc>("title: 'It''s #1'\n").is_ok());
        // Beside a closed quote, the word the editor wrote goes too.
        let error = from_str::<Doc>("title: \"We stand\" #ceasefire\n").unwrap_err();
        assert!(error.message.contains("`#ceasefire`"), "{}", error.message);
        // Where a quote wraps, after a number, or as the whole value.
        let error = from_str::<Doc>("title: We stand with\n  the people #ceasefire\n").unwrap_err();
        assert_eq!(
            (error.line, error.column),
            (Some(2), Some(14)),
            "{}",
            error.message
        );
        assert!(from_str::<Doc>("title: 100 #days of war\n").is_err());
        // A wrapped line that starts with one; at a key's depth it is a
        // comment line.
        let error = from_str::<Doc>("title: Plain words and\n  #more plain\n").unwrap_err();
        assert_eq!(
            (error.line, error.column),
            (Some(2), Some(3)),
            "{}",
            error.message
        );
        assert!(from_str::<Doc>("title: Talks\n#TODO check\n").is_ok());
        // In a flow list the parser loses its way after it: the `#` is named.
        #[derive(Debug, serde::Deserialize)]
        struct Terms {
            #[allow(dead_code)]
            topics: Vec<String>,
            #[allow(dead_code)]
            places: Vec<String>,
        }
        let error = from_str::<Terms>("topics: [Aid, #Gaza]\nplaces: [Cairo]\n").unwrap_err();
        assert!(error.message.contains("`#Gaza]`"), "{}", error.message);
        assert_eq!((error.line, error.column), (Some(1), Some(15)));
        #[derive(Debug, serde::Deserialize)]
        struct Items {
            #[allow(dead_code)]
            statements: Vec<std::collections::BTreeMap<String, String>>,
        }
        assert!(
            from_str::<Items>("statements:\n  - person: ada\n    #note\n    date: x\n").is_ok()
        );
        let error = from_str::<Doc>("title: #Gaza talks\n").unwrap_err();
        assert!(
            error.message.contains("`#Gaza talks` would be dropped"),
            "{}",
            error.message
        );
        #[derive(Debug, serde::Deserialize)]
        struct Listed {
            #[allow(dead_code)]
            topics: Vec<Option<String>>,
        }
        let error = from_str::<Listed>("topics:\n  - Aid\n  - #Gaza\n").unwrap_err();
        assert_eq!(
            (error.line, error.column),
            (Some(3), Some(5)),
            "{}",
            error.message
        );
        assert_eq!(value_start("- !x"), Some(2));
    }

    #[test]
    fn lines_are_counted_as_an_editor_counts_them() {
        // U+2028 and U+0085 in a quoted title, a carriage return alone in
        // a comment: breaks to the parser, not to an editor.
        for text in [
            "title: \"a\u{2028}b\u{85}c\"\n# note\ntitel: x\n",
            "# one\r# two\ntitle: a\ntitel: x\n",
        ] {
            let error = from_str::<Doc>(text).unwrap_err();
            assert_eq!(error.line, Some(3), "{text:?}: {}", error.message);
            assert_eq!(error.column, Some(1), "{text:?}");
        }
        let error = from_str::<Doc>("title: a\r\ntitel: x\r\n").unwrap_err();
        assert_eq!(error.line, Some(2), "CRLF ends one line");
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

    #[track_caller]
    fn depth_case(text: &str, expected: Option<(usize, usize)>) {
        assert_eq!(too_deep(text), expected, "{text}");
    }

    #[test]
    fn deep_nesting_is_found_in_one_pass() {
        let deep = |open: &str, n: usize| open.repeat(n);
        depth_case(&format!("title: {}", deep("[", 32)), None);
        depth_case(&format!("title: {}", deep("[", 33)), Some((1, 40)));
        depth_case(&format!("a: {{b: {}", deep("{", 40)), Some((1, 39)));
        depth_case(&format!("a:\n{}", deep("[\n", 40)), Some((34, 1)));
        depth_case(&format!("topics:\n  {}x", deep("- ", 33)), Some((2, 67)));
        depth_case(&format!("topics:\n  {}x", deep("- ", 32)), None);
    }

    #[test]
    fn brackets_in_text_are_not_nesting() {
        let brackets = "[".repeat(100);
        for text in [
            format!("title: a {brackets}"),
            format!("title: \"{brackets}\"\nsummary: '{brackets}'"),
            format!("title: '{brackets}\n  {brackets}'\n"),
            format!("title: x # {brackets}"),
            format!("summary: |\n  {brackets}\n  {brackets}\ntitle: x"),
            format!("summary: >-\n  {brackets}\ntitle: x"),
            format!("title: [\"{brackets}\", 'it''s {brackets}']"),
            format!("title: a-{brackets}"),
        ] {
            depth_case(&text, None);
        }
    }

    #[test]
    fn anchors_and_tags_do_not_hide_nesting() {
        let deep = "[".repeat(40);
        for text in [
            format!("title: &a {deep}"),
            format!("title: !!seq {deep}"),
            format!("title: !custom {deep}"),
            format!("title: [&a {deep}"),
        ] {
            assert!(too_deep(&text).is_some(), "{text}");
        }
    }

    #[test]
    fn only_a_block_scalar_header_starts_a_block_scalar() {
        let deep = "[".repeat(40);
        // `a - |` is plain text: the next, deeper line is YAML still.
        let text = format!("statements:\n  - person: a - |\n    quote: {deep}\n");
        assert!(too_deep(&text).is_some(), "{text}");
        let text = format!("title: a |b\n  {deep}\n");
        assert!(too_deep(&text).is_some(), "{text}");
        // Headers with indicators, tags and comments are headers.
        for header in ["|", ">-", "|+2", "|2-", "!!str |", "| # note", ">"] {
            let text = format!("summary: {header}\n  {deep}\ntitle: x\n");
            assert_eq!(too_deep(&text), None, "{text}");
        }
    }

    #[test]
    fn a_hundred_thousand_levels_are_refused_at_once() {
        let text = format!("title: {}{}\n", "[".repeat(100_000), "]".repeat(100_000));
        let error = from_str::<Doc>(&text).unwrap_err();
        assert_eq!((error.line, error.column), (Some(1), Some(40)));
        assert!(
            error.message.contains("nested more than 32 levels"),
            "{}",
            error.message
        );
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
