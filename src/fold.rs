//! Folding accents away for matching: "Zürich" reads as "Zurich",
//! "Erdoğan" as "Erdogan", "É" as "E". Letters that do not decompose
//! (ø, ł, đ, ß, æ, œ, ı) have their usual Latin stand-ins. Case is left
//! alone (the matcher folds ASCII case itself). A map gives, for each char
//! of the folded text, the char of the original it came from, so that
//! highlighting marks the right characters.

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// A letter with no decomposition, and what it folds to.
fn stand_in(c: char) -> Option<&'static str> {
    Some(match c {
        'ø' => "o",
        'Ø' => "O",
        'ł' => "l",
        'Ł' => "L",
        'đ' => "d",
        'Đ' => "D",
        'ß' => "ss",
        'ẞ' => "SS",
        'æ' => "ae",
        'Æ' => "AE",
        'œ' => "oe",
        'Œ' => "OE",
        'ı' => "i",
        'þ' => "th",
        'Þ' => "TH",
        'ð' => "d",
        'Ð' => "D",
        _ => return None,
    })
}

/// Calls `f` with each char `c` folds to.
fn fold_char(c: char, mut f: impl FnMut(char)) {
    if c.is_ascii() {
        return f(c);
    }
    if let Some(s) = stand_in(c) {
        return s.chars().for_each(f);
    }
    let mut any = false;
    for d in std::iter::once(c).nfd() {
        if !is_combining_mark(d) {
            any = true;
            f(d);
        }
    }
    // A lone combining mark stays itself.
    if !any {
        f(c);
    }
}

/// `text` with its accents folded away.
pub fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        fold_char(c, |d| out.push(d));
    }
    out
}

/// `text` folded, and for each char of the result the index of the char
/// of `text` it came from.
pub fn fold_with_map(text: &str) -> (String, Vec<usize>) {
    let mut out = String::with_capacity(text.len());
    let mut map = Vec::with_capacity(text.len());
    for (i, c) in text.chars().enumerate() {
        fold_char(c, |d| {
            out.push(d);
            map.push(i);
        });
    }
    (out, map)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accents_fold_to_their_letters() {
        assert_eq!(fold("Zürich"), "Zurich");
        assert_eq!(fold("Erdoğan"), "Erdogan");
        assert_eq!(fold("École"), "Ecole");
        assert_eq!(fold("Søren Łódź straße"), "Soren Lodz strasse");
        assert_eq!(fold("深圳 news"), "深圳 news");
    }

    #[test]
    fn the_map_points_back_at_the_original_chars() {
        let (folded, map) = fold_with_map("aßé");
        assert_eq!(folded, "asse");
        assert_eq!(map, [0, 1, 1, 2]);
    }
}
