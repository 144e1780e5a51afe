//! annals: a static site generator for curated conflict coverage.
//!
//! The pipeline, in order (see docs/ARCHITECTURE.md):
//! 1. load: `content::SiteFiles` lists the site's files and `content::read_files`
//!    reads them, refusing links that leave the site (`config` holds its settings);
//! 2. parse: `content::Content::parse` turns them into the `content::Site` model;
//! 3. index: `index::Index` derives the lookups pages need (by person, publisher, date, term);
//! 4. render: `render` turns model + index into pages through Tera templates;
//! 5. write: `output` puts the pages and static files on disk, atomically.
//!
//! Beside the pipeline, `links` checks the site's external links over HTTP
//! for `annals check --links`.
//!
//! [`build::Session`] runs the pipeline whole or for a change; the binary,
//! `watch` and `serve` drive it. Only what `main.rs` and the tests use is
//! public: the lint `unreachable_pub` keeps it so.

mod addresses;
mod audit;
pub mod build;
pub mod cli;
mod config;
mod content;
mod dates;
pub mod diagnostic;
mod download;
pub mod hosts;
mod i18n;
mod index;
pub mod init;
pub mod links;
mod markdown;
mod output;
mod previous;
mod progress;
mod render;
mod search;
pub mod serve;
mod slug;
pub mod timings;
pub mod watch;
mod words;
mod yaml;

pub use build::{BuildOptions, BuildReport, build};
