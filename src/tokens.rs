//! Words, for every script: the one tokenizer behind story IDs, related
//! stories, near-duplicates and learned boilerplate.
//!
//! A word is a run of letters and digits, lower-cased; an apostrophe
//! inside a word joins it ("Putin's" is one word). Chinese, Japanese and
//! Korean are not written with spaces between words, so each of their
//! characters is a token of its own, and callers that want more than
//! characters pair neighbours into bigrams (as Lucene's CJK analyser does).

/// One token of a text. A word is lent for the length of one call: the
/// tokenizer builds every word in one buffer, so a pass over a text makes
/// no string a word (a caller keeps one with `to_owned`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Token<'a> {
    /// A lower-cased word of a spaced script.
    Word(&'a str),
    /// A CJK character; `joined` when the previous token was a CJK
    /// character directly before it (the two can form a bigram).
    Cjk { c: char, joined: bool },
}

/// Is `c` Han, Hiragana, Katakana or Hangul: a script written without
/// spaces between words (Korean is spaced, but its words carry particles,
/// and bigrams serve it better than whole words)?
pub fn is_cjk(c: char) -> bool {
    matches!(c,
        '\u{3040}'..='\u{30FF}'      // Hiragana, Katakana
        | '\u{31F0}'..='\u{31FF}'    // Katakana phonetic extensions
        | '\u{3400}'..='\u{4DBF}'    // CJK extension A
        | '\u{4E00}'..='\u{9FFF}'    // CJK unified ideographs
        | '\u{AC00}'..='\u{D7AF}'    // Hangul syllables
        | '\u{F900}'..='\u{FAFF}'    // CJK compatibility ideographs
        | '\u{FF66}'..='\u{FF9F}'    // half-width Katakana
        | '\u{20000}'..='\u{2FA1F}') // CJK extensions B onwards
}

fn is_apostrophe(c: char) -> bool {
    c == '\'' || c == '\u{2019}'
}

/// Calls `f` with every token of `text`, in order.
pub fn for_each(text: &str, mut f: impl FnMut(Token<'_>)) {
    for_each_while(text, |t| {
        f(t);
        true
    });
}

/// Calls `f` with each token of `text` in order, until it returns false.
pub fn for_each_while(text: &str, mut f: impl FnMut(Token<'_>) -> bool) {
    let mut word = String::new();
    let mut prev_cjk = false;
    // Hands over the word being built; false when `f` wants no more.
    let flush = |word: &mut String, f: &mut dyn FnMut(Token<'_>) -> bool| {
        let go_on = word.is_empty() || f(Token::Word(word));
        word.clear();
        go_on
    };
    for c in text.chars() {
        if is_cjk(c) {
            if !flush(&mut word, &mut f)
                || !f(Token::Cjk {
                    c,
                    joined: prev_cjk,
                })
            {
                return;
            }
            prev_cjk = true;
            continue;
        }
        prev_cjk = false;
        if c.is_ascii_alphanumeric() {
            word.push(c.to_ascii_lowercase());
        } else if c.is_alphanumeric() {
            word.extend(c.to_lowercase());
        } else if is_apostrophe(c) && !word.is_empty() {
            // Joins: "Putin's" is "putins".
        } else if !flush(&mut word, &mut f) {
            return;
        }
    }
    flush(&mut word, &mut f);
}

/// The tokens of `text` as strings: words, and CJK characters one by one.
pub fn words(text: &str) -> Vec<String> {
    first_words(text, usize::MAX)
}

/// The first `n` tokens of `text`, read no further than needed.
pub fn first_words(text: &str, n: usize) -> Vec<String> {
    let mut out = Vec::new();
    if n == 0 {
        return out;
    }
    for_each_while(text, |t| {
        match t {
            Token::Word(w) => out.push(w.to_owned()),
            Token::Cjk { c, .. } => out.push(c.to_string()),
        }
        out.len() < n
    });
    out
}

/// Whether `text` holds any CJK character.
pub fn has_cjk(text: &str) -> bool {
    text.chars().any(is_cjk)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_are_lowercased_and_apostrophes_join() {
        assert_eq!(
            words("Putin's “new” Café—2026, O’Neill"),
            ["putins", "new", "café", "2026", "oneill"]
        );
    }

    #[test]
    fn cjk_characters_are_tokens_of_their_own() {
        let mut seen = Vec::new();
        for_each("深圳发生洪水 in 東京", |t| {
            seen.push(match t {
                Token::Word(w) => Err(w.to_owned()),
                Token::Cjk { c, joined } => Ok((c, joined)),
            })
        });
        assert_eq!(seen.len(), 9);
        assert_eq!(seen[0], Ok(('深', false)));
        assert_eq!(seen[1], Ok(('圳', true)));
        assert_eq!(seen[6], Err("in".to_owned()));
        assert_eq!(seen[7], Ok(('東', false)));
        assert_eq!(words("서울 폭우"), ["서", "울", "폭", "우"]);
        assert!(has_cjk("a 深 b") && !has_cjk("Zürich"));
        assert_eq!(first_words("one two 三四 five", 3), ["one", "two", "三"]);
        assert!(first_words("one", 0).is_empty());
    }
}
