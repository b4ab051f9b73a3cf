//! `cargo +nightly fuzz run ical`: see `targets.rs` for what it checks.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| chapterhouse_fuzz::ical(data));
