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
    Some("xml"),
    Some("rss"),
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
    // parse_as, not parse_text: the latter contains a panic, and the
    // fuzzer is here to find them.
    let loaded = byline::loader::parse_as(&decoded.text, format, &common::context(extension));
    assert_eq!(loaded.format, format);
    common::check(&loaded);
});
