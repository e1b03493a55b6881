//! The HTML article extractor on any bytes.
#![no_main]

mod common;

libfuzzer_sys::fuzz_target!(|bytes: &[u8]| {
    common::parse_and_check(bytes, byline::article::Format::Html);
});
