//! The integration test binary: one module per feature, all driving the
//! real `chapterhouse` binary on sites in temp dirs.

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
