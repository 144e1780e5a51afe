//! annals: a static site generator for curated conflict coverage.
//!
//! The pipeline, in order (see docs/ARCHITECTURE.md):
//! 1. load: [`content::read_site`] reads the site's files ([`config`] its settings);
//! 2. parse: [`content::Content::parse`] turns them into the [`content::Site`] model;
//! 3. index: [`index::Index`] derives the lookups pages need (by person, publisher, date, term);
//! 4. render: [`render`] turns model + index into pages through Tera templates;
//! 5. write: [`output`] puts the pages and static files on disk, atomically.

pub mod audit;
pub mod build;
pub mod cli;
pub mod config;
pub mod content;
pub mod diagnostic;
pub mod index;
pub mod init;
pub mod markdown;
pub mod output;
pub mod render;
pub mod search;
pub mod serve;
pub mod slug;
pub mod timings;
pub mod watch;
pub mod words;
mod yaml;

pub use build::{BuildOptions, BuildReport, build};
