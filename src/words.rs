//! Words as search sees them: text split at Unicode word boundaries (as the
//! search page splits queries), lowercase and without accents, so "Antonio"
//! finds "António".

use unicode_normalization::UnicodeNormalization;
use unicode_segmentation::UnicodeSegmentation;

/// Calls `found` with each word of `text`, normalised, reusing one buffer:
/// the search index sees every word of the archive.
pub(crate) fn each(text: &str, mut found: impl FnMut(&str)) {
    let mut word = String::new();
    for raw in text.unicode_words() {
        normalize_into(raw, &mut word);
        if !word.is_empty() {
            found(&word);
        }
    }
}

/// The distinct words of `text`, normalised, in order of first use and
/// separated by spaces: what an article keeps of its body for search.
pub(crate) fn distinct(text: &str) -> String {
    // No word spans whitespace, so each distinct run of text between
    // spaces is split once: prose repeats most of its runs, and splitting
    // at word boundaries was an eighth of reading the archive.
    let mut runs = fnv::FnvHashSet::default();
    // All words into one buffer first, so the set borrows them from it
    // instead of allocating each.
    let mut all = String::with_capacity(text.len() + 1);
    for run in text.split_whitespace() {
        if runs.insert(run) {
            each(run, |word| {
                all.push_str(word);
                all.push(' ');
            });
        }
    }
    let mut seen = fnv::FnvHashSet::default();
    let mut words = String::new();
    for word in all.split_terminator(' ') {
        if seen.insert(word) {
            if !words.is_empty() {
                words.push(' ');
            }
            words.push_str(word);
        }
    }
    words.shrink_to_fit();
    words
}

fn normalize_into(raw: &str, word: &mut String) {
    word.clear();
    if raw.is_ascii() {
        word.extend(raw.chars().map(|c| c.to_ascii_lowercase()));
        return;
    }
    word.extend(
        raw.nfd()
            .filter(|c| !unicode_normalization::char::is_combining_mark(*c))
            .filter_map(arabic_spelling)
            .flat_map(char::to_lowercase),
    );
}

/// One letter for the Arabic-script letters readers type for each other:
/// teh marbuta as heh (غزة, غزه), alef maksura and Persian yeh as yeh, the
/// Persian kaf as kaf; the tatweel that only stretches a word is dropped.
/// Hamza forms need nothing: they are alef and a combining hamza, which
/// goes with the accents. Arabic-Indic and Persian digits (٢٠٢٤, ۲۰۲۴), as
/// a language's pages write numbers, are the digits `2024`, and their
/// thousands and decimal separators (١٬٤٠٠, ٣٫٥) `,` and `.`. `search.js`
/// folds the same letters.
fn arabic_spelling(c: char) -> Option<char> {
    match c {
        '\u{066C}' => Some(','),
        '\u{066B}' => Some('.'),
        '\u{0660}'..='\u{0669}' => char::from_digit(u32::from(c) - 0x0660, 10),
        '\u{06F0}'..='\u{06F9}' => char::from_digit(u32::from(c) - 0x06F0, 10),
        '\u{0629}' => Some('\u{0647}'),
        '\u{0649}' | '\u{06CC}' => Some('\u{064A}'),
        '\u{06A9}' => Some('\u{0643}'),
        '\u{0640}' => None,
        c => Some(c),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Vec<String> {
        let mut found = Vec::new();
        each(text, |w| found.push(w.to_owned()));
        found
    }

    #[test]
    fn words_fold_case_and_accents_and_split_scripts() {
        assert_eq!(
            words("António said: «Ми будемо» — يجب, it's U.S."),
            ["antonio", "said", "ми", "будемо", "يجب", "it's", "u.s"]
        );
    }

    #[test]
    fn arabic_letters_typed_for_each_other_are_one() {
        assert_eq!(words("غزة غزه"), ["غزه", "غزه"]);
        assert_eq!(words("مستشفى مستشفي"), ["مستشفي", "مستشفي"]);
        let hamza = words("إسرائيل اسرائيل");
        assert_eq!(hamza[0], hamza[1]);
        assert_eq!(words("كتاب کتاب كـتاب"), ["كتاب", "كتاب", "كتاب"]);
        assert_eq!(words("٣٥٠٠٠ ۲۰۲۴ 2024"), ["35000", "2024", "2024"]);
        assert_eq!(words("١٬٤٠٠ 1,400 ٣٫٥"), ["1,400", "1,400", "3.5"]);
    }

    #[test]
    fn distinct_words_keep_their_first_order() {
        assert_eq!(
            distinct("The talks, the TALKS; Ceasefire talks."),
            "the talks ceasefire"
        );
        assert_eq!(distinct(""), "");
    }

    #[test]
    fn distinct_words_are_the_words_of_the_whole_text() {
        let text = "U.S. talks, talks. «Ми будемо» 3.5 it's e\u{301}cole\tnew\nline";
        let mut all = Vec::new();
        each(text, |w| {
            if !all.iter().any(|seen| seen == w) {
                all.push(w.to_owned());
            }
        });
        assert_eq!(distinct(text), all.join(" "));
    }

    #[test]
    fn distinct_words_are_their_own_words() {
        let once = distinct("António's «Ми» U.S. e\u{301}cole");
        assert_eq!(distinct(&once), once);
    }
}
