//! `cargo +nightly fuzz run front_matter`: see `targets.rs` for what it checks.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| chapterhouse_fuzz::front_matter(data));
