//! Format detection and the whole load on any bytes: detection gives the
//! same answer twice, and whatever loads passes the checks.
#![no_main]

mod common;

const EXTENSIONS: &[Option<&str>] = &[
    None,
    Some("txt"),
    Some("md"),
    Some("json"),
    Some("jsonl"),
    Some("html"),
];

libfuzzer_sys::fuzz_target!(|bytes: &[u8]| {
    let Some((&pick, bytes)) = bytes.split_first() else {
        return;
    };
    let extension = EXTENSIONS[pick as usize % EXTENSIONS.len()];
    let Ok(decoded) = byline::loader::decode(bytes) else {
        return;
    };
    let format = byline::loader::detect_format(&decoded.text, extension);
    assert_eq!(
        format,
        byline::loader::detect_format(&decoded.text, extension)
    );
    if let Ok(loaded) = byline::loader::parse_text(&decoded.text, &common::context(extension)) {
        assert_eq!(loaded.format, format);
        assert!(loaded.articles.iter().all(|a| !a.title.is_empty()));
        common::check(&loaded);
    }
});
