//! The block tags of a Tera template (`{% if %}` … `{% endif %}`), read by
//! their names alone: which one a parse error left open.
//!
//! Tera reports a block left open where its parser stopped: at the end of
//! the file ("Unexpected end of input"), or at the closing tag of an outer
//! block ("Unknown tag" on `{% endblock %}`). The editor needs the line of
//! the tag to close, which may be far above.

/// What was wrong with the blocks where a template's parse stopped.
#[derive(Debug, PartialEq)]
pub(super) enum Mismatch<'a> {
    /// `open` (its name and byte offset) is still open at `closing`, which
    /// closes another block; `closing` is `None` at the end of the file.
    Unclosed {
        open: (&'a str, usize),
        closing: Option<&'a str>,
    },
    /// `closing` closes nothing: no block it could end is open.
    Stray { closing: &'a str },
}

/// The mismatch at byte `stop` of `text` (where Tera stopped), if the
/// blocks opened before it explain the error.
pub(super) fn mismatch_at(text: &str, stop: usize) -> Option<Mismatch<'_>> {
    let mut open: Vec<(&str, usize)> = Vec::new();
    let mut tags = Tags { text, at: 0 };
    while let Some((name, offset, whole)) = tags.next() {
        if offset >= stop {
            return at_closing(&open, name);
        }
        if let Some(opened) = opener(name, whole) {
            open.push((opened, offset));
        } else if let Some(closed) = name.strip_prefix("end") {
            match open.last() {
                Some((top, _)) if *top == closed => {
                    open.pop();
                }
                // Tera stopped at or before this tag; the text from here on is
                // not what it read.
                _ => return at_closing(&open, name),
            }
        }
    }
    let innermost = *open.last()?;
    Some(Mismatch::Unclosed {
        open: innermost,
        closing: None,
    })
}

/// The mismatch when Tera stopped at tag `name` with `open` blocks open:
/// a block inside the one `name` closes left open, or nothing `name` closes.
fn at_closing<'a>(open: &[(&'a str, usize)], name: &'a str) -> Option<Mismatch<'a>> {
    let closes = name.strip_prefix("end").or(match name {
        "else" | "elif" => Some("if"),
        _ => None,
    })?;
    let fits = |open: &str| open == closes || (name == "else" && open == "for");
    match open.last() {
        Some((top, _)) if fits(top) => None,
        Some(&innermost) if open.iter().any(|(o, _)| fits(o)) => Some(Mismatch::Unclosed {
            open: innermost,
            closing: Some(name),
        }),
        _ => Some(Mismatch::Stray { closing: name }),
    }
}

/// The block a tag opens: `{% set x %}` (or `{% set x | upper %}`)
/// captures a body, as `{% set x = 1 %}` does not.
fn opener<'a>(name: &'a str, whole: &str) -> Option<&'a str> {
    match name {
        "if" | "for" | "block" | "filter" | "component" => Some(name),
        "set" | "set_global" if !sets_a_value(whole) => Some("set"),
        _ => None,
    }
}

/// Whether a `set` tag's text gives its value (`set x = …`): its name is
/// followed by `=`.
fn sets_a_value(whole: &str) -> bool {
    let after = whole.trim_start_matches(|c: char| c == '-' || c == '+' || c.is_whitespace());
    let after = after.trim_start_matches(|c: char| c.is_alphanumeric() || c == '_');
    let after = after
        .trim_start()
        .trim_start_matches(|c: char| c.is_alphanumeric() || c == '_');
    after.trim_start().starts_with('=')
}

/// The tags of a template: each one's name, byte offset and whole text,
/// skipping comments, expressions (`{{ … }}`) and what `{% raw %}` holds.
struct Tags<'a> {
    text: &'a str,
    at: usize,
}

impl<'a> Tags<'a> {
    fn next(&mut self) -> Option<(&'a str, usize, &'a str)> {
        let mut in_raw = false;
        loop {
            let rest = &self.text[self.at..];
            // The next `{%`, `{#` or `{{`: in a raw block, only a tag ends it.
            let found = ["{%", "{#", "{{"]
                .into_iter()
                .filter(|mark| !in_raw || *mark == "{%")
                .filter_map(|mark| Some((rest.find(mark)?, mark)))
                .min_by_key(|(at, _)| *at);
            let (start, mark) = found?;
            let close = match mark {
                "{%" => "%}",
                "{#" => "#}",
                _ => "}}",
            };
            let start = self.at + start;
            let end = start + 2 + closing(&self.text[start + 2..], close)? + 2;
            self.at = end;
            if close != "%}" {
                continue;
            }
            let whole = &self.text[start + 2..end - 2];
            let name = name_of(whole);
            match (in_raw, name) {
                (false, "raw") => in_raw = true,
                (true, "endraw") => in_raw = false,
                (false, _) => return Some((name, start, whole)),
                (true, _) => {}
            }
        }
    }
}

/// Where `close` ends a tag's or expression's text, outside its quoted
/// strings (`{{ "%}" }}`).
fn closing(text: &str, close: &str) -> Option<usize> {
    let mut quote = None;
    for (at, c) in text.char_indices() {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None if matches!(c, '"' | '\'' | '`') => quote = Some(c),
            None if text[at..].starts_with(close) => return Some(at),
            None => {}
        }
    }
    None
}

/// The first word of a tag's text: `{%- endif -%}` is `endif`.
fn name_of(whole: &str) -> &str {
    let inner = whole.trim_start_matches(|c: char| c == '-' || c == '+' || c.is_whitespace());
    let end = inner
        .find(|c: char| !(c.is_alphanumeric() || c == '_'))
        .unwrap_or(inner.len());
    &inner[..end]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stopped_at<'a>(text: &'a str, tag: &str) -> Option<Mismatch<'a>> {
        let stop = text.find(tag).unwrap_or(text.len());
        mismatch_at(text, stop)
    }

    #[test]
    fn an_if_left_open_before_an_endblock_is_named() {
        let text = "{% block main %}\n{% if x %}\n<p>{{ y }}</p>\n{% endblock main %}";
        assert_eq!(
            stopped_at(text, "{% endblock"),
            Some(Mismatch::Unclosed {
                open: ("if", text.find("{% if").unwrap_or_default()),
                closing: Some("endblock"),
            })
        );
    }

    #[test]
    fn a_block_left_open_at_the_end_of_the_file_is_named() {
        let text = "{% for a in b %}{% if c %}{% endif %}{# {% if %} #}";
        assert_eq!(
            mismatch_at(text, text.len()),
            Some(Mismatch::Unclosed {
                open: ("for", 0),
                closing: None
            })
        );
    }

    #[test]
    fn crossed_blocks_name_the_inner_one() {
        let text = "{% for a in b %}{% if x %}{% endfor %}{% endif %}";
        assert!(matches!(
            stopped_at(text, "{% endfor"),
            Some(Mismatch::Unclosed {
                open: ("if", _),
                closing: Some("endfor")
            })
        ));
    }

    #[test]
    fn a_closing_tag_with_nothing_open_is_stray() {
        for text in ["<p>{% endif %}", "{% block a %}{% endif %}{% endblock a %}"] {
            assert_eq!(
                stopped_at(text, "{% endif"),
                Some(Mismatch::Stray { closing: "endif" }),
                "{text}"
            );
        }
    }

    #[test]
    fn marks_in_strings_and_expressions_are_no_tags() {
        for text in [
            "{% block a %}{{ \"{% if x %}\" }}<p>{{ bad( }}</p>{% endblock a %}",
            "{% if t %}{{ \"{#\" }}{% endif %}<p>{{ \"#}\" }}</p><p>{{ bad( }}</p>",
            "{% set x | replace(from=\"a\", to=\"b\") %}abc{% endset %}<p>{{ bad( }}</p>",
        ] {
            assert_eq!(stopped_at(text, "{{ bad"), None, "{text}");
            assert_eq!(mismatch_at(text, text.len()), None, "{text}");
        }
    }

    #[test]
    fn balanced_blocks_raw_text_and_value_sets_explain_nothing() {
        let text = "{% set n = 1 %}{% raw %}{% if %}{% endraw %}{% for a in b %}{% else %}{%- endfor -%}{% set x %}y{% endset %}<p>{{ bad( }}</p>";
        assert_eq!(stopped_at(text, "{{ bad"), None);
        let elif = "{% if a %}{% elif b %}{% endif %}";
        assert_eq!(stopped_at(elif, "{% elif"), None);
    }
}
