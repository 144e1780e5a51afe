//! URL slugs: lowercase ASCII words joined by `-`, transliterated from any script.

/// `"António Guterres"` → `"antonio-guterres"`. Deterministic; may be empty
/// when nothing in `text` transliterates to a letter or digit.
pub(crate) fn slugify(text: &str) -> String {
    // Dropped first: deunicode turns some (a zero-width space) into a space,
    // which would split one word in two.
    let visible: String = text.chars().filter(|&c| !is_invisible(c)).collect();
    let ascii = deunicode::deunicode(&visible);
    let mut slug = String::with_capacity(ascii.len());
    for c in ascii.chars() {
        if c.is_ascii_alphanumeric() {
            slug.push(c.to_ascii_lowercase());
        } else if !slug.is_empty() && !slug.ends_with('-') && !matches!(c, '\'' | '’' | '`') {
            slug.push('-');
        }
    }
    while slug.ends_with('-') {
        slug.pop();
    }
    slug
}

/// Whether `c` is invisible in any text: Unicode's Default_Ignorable_Code_Point
/// (zero-width spaces and joiners, direction marks, embeddings and
/// isolates, the soft hyphen, the byte-order mark, variation selectors…).
/// Pasted into a name, such a character makes it differ from the same name
/// as typed, with nothing to see.
pub(crate) fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{ad}'
            | '\u{34f}'
            | '\u{61c}'
            | '\u{115f}'..='\u{1160}'
            | '\u{17b4}'..='\u{17b5}'
            | '\u{180b}'..='\u{180f}'
            | '\u{200b}'..='\u{200f}'
            | '\u{202a}'..='\u{202e}'
            | '\u{2060}'..='\u{206f}'
            | '\u{3164}'
            | '\u{fe00}'..='\u{fe0f}'
            | '\u{feff}'
            | '\u{ffa0}'
            | '\u{fff0}'..='\u{fff8}'
            | '\u{1bca0}'..='\u{1bca3}'
            | '\u{1d173}'..='\u{1d17a}'
            | '\u{e0000}'..='\u{e0fff}'
    )
}

/// The longest slug, in bytes, that annals makes a path segment of. File
/// systems allow 255 bytes in a name; the rest leaves room for what the
/// output adds to a segment (a person's `<id>.json` in the search index,
/// written first as `.<id>.json.annals-tmp`).
pub(crate) const MAX_SEGMENT: usize = 200;

/// True when `text` can be used as-is as one URL path segment we generate:
/// lowercase ASCII letters, digits, `-` and `_`, not starting with `-` or `_`.
pub(crate) fn is_slug(text: &str) -> bool {
    text.bytes()
        .next()
        .is_some_and(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        && text
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[track_caller]
    fn case(input: &str, expected: &str) {
        assert_eq!(slugify(input), expected, "slugify({input:?})");
    }

    #[test]
    fn transliterates_and_joins() {
        case("António Guterres", "antonio-guterres");
        case("The New York Times", "the-new-york-times");
        case("  Israel–Gaza  war ", "israel-gaza-war");
        case("Rep. Ilhan Omar (D-Minn.)", "rep-ilhan-omar-d-minn");
        case("Україна", "ukrayina");
        case("Raf's post", "rafs-post");
        case("!!!", "");
    }

    #[test]
    fn invisible_characters_never_reach_a_slug() {
        case("Joe\u{200B}Biden", "joebiden");
        case("Joe\u{200D}\u{200C}Biden", "joebiden");
        case("\u{FEFF}Guter\u{AD}res", "guterres");
        case(
            "\u{202E}Ada\u{202C} \u{2067}Lovelace\u{2069}\u{200E}",
            "ada-lovelace",
        );
        case("\u{200F}\u{2060}", "");
    }

    #[test]
    fn slug_check_refuses_paths() {
        assert!(is_slug("biden"));
        assert!(is_slug("2021-ceasefire_call"));
        assert!(!is_slug("../etc"));
        assert!(!is_slug("a/b"));
        assert!(!is_slug("Biden"));
        assert!(!is_slug(""));
        assert!(!is_slug("-x"));
    }
}
