//! URL slugs: lowercase ASCII words joined by `-`, transliterated from any script.

/// `"António Guterres"` → `"antonio-guterres"`. Deterministic; may be empty
/// when nothing in `text` transliterates to a letter or digit.
pub fn slugify(text: &str) -> String {
    let ascii = deunicode::deunicode(text);
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

/// The longest slug, in bytes, that annals makes a path segment of. File
/// systems allow 255 bytes in a name; the rest leaves room for what the
/// output adds to a segment (a person's `<id>.json` in the search index,
/// written first as `.<id>.json.annals-tmp`).
pub const MAX_SEGMENT: usize = 200;

/// True when `text` can be used as-is as one URL path segment we generate:
/// lowercase ASCII letters, digits, `-` and `_`, not starting with `-` or `_`.
pub fn is_slug(text: &str) -> bool {
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
