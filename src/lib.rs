//! chapterhouse: a static site generator for networks of user-group chapters.
//!
//! The pipeline, one module per stage:
//! load ([`source`]) → parse ([`parse`]) → model ([`model`]) → check
//! ([`check`]) → render ([`render`]) → write ([`write`]).
//! [`pipeline`] runs the stages; [`cli`] is the only place that prints.

pub mod check;
pub mod cli;
pub mod config;
pub mod diag;
pub mod import;
pub mod markdown;
pub mod model;
pub mod parse;
pub mod pipeline;
pub mod render;
pub mod report;
pub mod scaffold;
pub mod serve;
pub mod source;
pub mod write;
