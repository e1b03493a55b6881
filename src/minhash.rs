//! Near-duplicate detection: MinHash signatures over word shingles, and
//! locality-sensitive hashing to find candidate pairs without comparing
//! every story with every other.

/// Hashes in a signature.
pub const HASHES: usize = 32;
/// Bands for LSH, of `HASHES / BANDS` rows each.
pub const BANDS: usize = 8;
/// Words in a shingle.
const SHINGLE: usize = 3;
/// Estimated Jaccard similarity from which two stories are near-duplicates.
pub const THRESHOLD: f32 = 0.5;
/// Texts shorter than this many words get no signature: too little to judge.
const MIN_WORDS: usize = 12;

/// A story's MinHash signature.
pub type Signature = [u32; HASHES];

/// The signature of a text, or None when it is too short to compare.
pub fn signature(text: &str) -> Option<Signature> {
    let mut shingler = Shingler::default();
    crate::tokens::for_each(text, |token| shingler.push(&token));
    shingler.finish()
}

/// A signature made a token at a time. Words, and CJK characters one by
/// one: a shingle of three CJK characters plays the part of a short
/// phrase. The last three tokens' hashes are kept in a ring: no list of
/// every word, however long the text.
pub struct Shingler {
    ring: [u64; SHINGLE],
    seen: usize,
    sig: Signature,
}

impl Default for Shingler {
    fn default() -> Shingler {
        Shingler {
            ring: [0; SHINGLE],
            seen: 0,
            sig: [u32::MAX; HASHES],
        }
    }
}

impl Shingler {
    /// Takes the text's next token.
    pub fn push(&mut self, token: &crate::tokens::Token<'_>) {
        self.ring[self.seen % SHINGLE] = match token {
            crate::tokens::Token::Word(w) => xxhash_rust::xxh3::xxh3_64(w.as_bytes()),
            crate::tokens::Token::Cjk { c, .. } => {
                xxhash_rust::xxh3::xxh3_64(c.encode_utf8(&mut [0; 4]).as_bytes())
            }
        };
        self.seen += 1;
        if self.seen < SHINGLE {
            return;
        }
        // The shingle: its tokens' hashes in order.
        let mut key = [0u8; 8 * SHINGLE];
        for i in 0..SHINGLE {
            key[8 * i..8 * i + 8]
                .copy_from_slice(&self.ring[(self.seen - SHINGLE + i) % SHINGLE].to_le_bytes());
        }
        let h = xxhash_rust::xxh3::xxh3_64(&key);
        for (i, slot) in self.sig.iter_mut().enumerate() {
            // A family of hashes from one: multiply by an odd constant, add, take the high half.
            let a = 0x9E37_79B9_7F4A_7C15u64.wrapping_mul(2 * i as u64 + 1) | 1;
            let b = 0xC2B2_AE3D_27D4_EB4Fu64.wrapping_mul(i as u64 + 7);
            let v = (h.wrapping_mul(a).wrapping_add(b) >> 32) as u32;
            *slot = (*slot).min(v);
        }
    }

    /// The signature, or None when the text was too short to compare.
    pub fn finish(self) -> Option<Signature> {
        (self.seen >= MIN_WORDS).then_some(self.sig)
    }
}

/// The estimated Jaccard similarity of two signatures.
pub fn similarity(a: &Signature, b: &Signature) -> f32 {
    a.iter().zip(b).filter(|(x, y)| x == y).count() as f32 / HASHES as f32
}

/// Signature bytes for the store, and back.
pub fn to_bytes(sig: &Signature) -> Vec<u8> {
    sig.iter().flat_map(|x| x.to_le_bytes()).collect()
}

pub fn from_bytes(bytes: &[u8]) -> Option<Signature> {
    if bytes.len() != HASHES * 4 {
        return None;
    }
    let mut sig = [0u32; HASHES];
    for (slot, chunk) in sig.iter_mut().zip(bytes.chunks_exact(4)) {
        *slot = u32::from_le_bytes([chunk[0], chunk[1], chunk[2], chunk[3]]);
    }
    Some(sig)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The signature written plainly: every word in a list, then windows
    /// of three, each the hashes of its words. The ring must give exactly
    /// the same.
    fn by_windows(text: &str) -> Option<Signature> {
        let words = crate::tokens::words(text);
        if words.len() < MIN_WORDS {
            return None;
        }
        let mut sig = [u32::MAX; HASHES];
        for window in words.windows(SHINGLE) {
            let key: Vec<u8> = window
                .iter()
                .flat_map(|w| xxhash_rust::xxh3::xxh3_64(w.as_bytes()).to_le_bytes())
                .collect();
            let h = xxhash_rust::xxh3::xxh3_64(&key);
            for (i, slot) in sig.iter_mut().enumerate() {
                let a = 0x9E37_79B9_7F4A_7C15u64.wrapping_mul(2 * i as u64 + 1) | 1;
                let b = 0xC2B2_AE3D_27D4_EB4Fu64.wrapping_mul(i as u64 + 7);
                *slot = (*slot).min((h.wrapping_mul(a).wrapping_add(b) >> 32) as u32);
            }
        }
        Some(sig)
    }

    #[test]
    fn the_ring_gives_the_same_signature_as_the_word_list() {
        for text in [
            "",
            "one two three",
            "The harbour authority said on Monday that ferry fares would fall by a fifth from April.",
            "深圳发生洪水，居民撤离。东京下雨 and then some English words follow the Chinese text here",
            &"word ".repeat(5000),
        ] {
            assert_eq!(signature(text), by_windows(text), "{text:.40}");
        }
    }

    const STORY: &str = "The harbour authority said on Monday that ferry fares would fall by a fifth from April, \
        after three electric boats join the fleet on the busiest route. Unions welcomed the cut but asked for more \
        crew on the night crossings, which they say are short of staff. The operator said it would hire twenty \
        more sailors before the summer and that the old diesel boats would be sold.";

    #[test]
    fn a_rescrape_with_a_changed_ending_is_a_near_duplicate() {
        let a = signature(STORY).unwrap();
        let edited = STORY.replace(
            "would be sold.",
            "would be scrapped next year, a spokesman added.",
        );
        let b = signature(&edited).unwrap();
        assert!(similarity(&a, &b) >= THRESHOLD, "{}", similarity(&a, &b));
        let wire = format!("BRACKWATER - {STORY} REUTERS");
        assert!(similarity(&a, &signature(&wire).unwrap()) >= THRESHOLD);
    }

    #[test]
    fn stories_on_the_same_topic_are_not() {
        let other = "Ferry crews on the harbour route asked the operator for more staff on night crossings, saying \
            the electric boats arriving in April would not fix the shortage. The operator said talks would continue \
            and that fares would still fall from April as planned, whatever the outcome.";
        let s = similarity(&signature(STORY).unwrap(), &signature(other).unwrap());
        assert!(s < THRESHOLD, "{s}");
        assert_eq!(signature("too short to judge"), None);
    }
}
