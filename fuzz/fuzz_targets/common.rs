//! What every target checks of what a parser gave back.

use byline::article::Format;
use byline::loader::{FileContext, Loaded};

/// A fixed context, so that a crash replays exactly.
pub fn context(extension: Option<&str>) -> FileContext {
    FileContext {
        modified: chrono::DateTime::from_timestamp(1_795_176_000, 0).unwrap(),
        folder: Some("fuzz".to_owned()),
        extension: extension.map(str::to_owned),
        stem: Some("input".to_owned()),
    }
}

/// Parses `bytes` (decoded as a file would be) as `format`, and checks
/// that nothing a terminal could act on got through.
#[allow(dead_code)] // detect.rs loads through parse_text instead
pub fn parse_and_check(bytes: &[u8], format: Format) {
    let Ok(decoded) = byline::loader::decode(bytes) else {
        return;
    };
    let loaded = byline::loader::parse_as(&decoded.text, format, &context(None));
    check(&loaded);
}

pub fn check(loaded: &Loaded) {
    for a in &loaded.articles {
        let id = a.id.to_string();
        let lines = [&a.title, &id]
            .into_iter()
            .chain(a.source.iter())
            .chain(a.standfirst.iter())
            .chain(a.caption.iter())
            .chain(a.credit.iter())
            .chain(a.author.iter())
            .chain(a.url.iter())
            .chain(a.tags.iter());
        for text in lines.chain(a.paragraphs.iter()) {
            assert!(
                !text.chars().any(|c| (c.is_control() && c != '\n')
                    || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')),
                "a control character got through: {text:?}"
            );
        }
        assert!(
            !a.title.contains('\n'),
            "a title spans lines: {:?}",
            a.title
        );
        assert_eq!(a.id.as_str().len(), byline::article::ID_LEN, "every story has its ID");
        // What the store does next: learn and remove boilerplate.
        let mut copy = a.clone();
        let units = byline::loader::boilerplate::units(&copy);
        let set: std::collections::HashSet<i64> = units.iter().copied().collect();
        byline::loader::boilerplate::apply(&mut copy, &set);
        assert!(!copy.paragraphs.is_empty() || a.paragraphs.is_empty());
    }
}
