//! The integration test binary: one module per feature, all driving the
//! real `chapterhouse` binary on sites in temp dirs.

mod support;

mod build;
mod content_errors;
