//! The integration test binary: one module per feature, all driving the
//! real `chapterhouse` binary on sites in temp dirs.

// `pub` here only shares helpers between this binary's modules.
#![allow(unreachable_pub)]

mod support;

mod browser;
mod build;
mod check;
mod content_errors;
mod ical;
mod import;
mod report;
mod robust;
mod scaffold;
mod serve;
