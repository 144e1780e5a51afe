//! Re-indexing the site for search off the watcher's thread: in `watch` and
//! `serve` the index follows edits once they pause (see
//! [`super::Session::start_search`]), since it takes longer than pages.

use std::collections::BTreeSet;
use std::path::PathBuf;

use super::BuildReport;
use crate::content;
use crate::diagnostic::{Diagnostics, io_error};
use crate::output;
use crate::search;
use crate::timings::Timings;

/// Re-indexing a snapshot of the site for search (see [`super::Session::start_search`]).
pub struct SearchJob {
    pub(super) site: content::Site,
    pub(super) output: PathBuf,
}

/// What a [`SearchJob`] did.
pub struct SearchUpdate {
    /// Every file of the index now.
    pub files: BTreeSet<String>,
    pub report: BuildReport,
}

impl SearchJob {
    /// Writes the index's changed files and removes the ones it no longer has.
    pub fn run(self) -> Result<SearchUpdate, Diagnostics> {
        let output = &self.output;
        let _lock = output::Lock::take(output)?;
        let index = search::files(&self.site);
        let mut written = Vec::new();
        for (path, bytes) in &index {
            if output::write_if_changed(output, path, bytes)
                .map_err(|e| io_error(&output.join(path), "write", &e))?
            {
                written.push(path.clone());
            }
        }
        let files: BTreeSet<String> = index.into_iter().map(|(path, _)| path).collect();
        // What is on disk, rather than what the session remembers: after a
        // failed rebuild it forgets its files.
        let before: BTreeSet<String> = walkdir::WalkDir::new(output.join(search::DIR))
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| e.file_type().is_file())
            .filter_map(|e| {
                e.path()
                    .strip_prefix(output)
                    .ok()
                    .map(|p| p.to_string_lossy().replace('\\', "/"))
            })
            .collect();
        for gone in before.difference(&files) {
            output::remove(output, gone).map_err(|e| io_error(&output.join(gone), "remove", &e))?;
            written.push(gone.clone());
        }
        written.sort();
        Ok(SearchUpdate {
            files,
            report: BuildReport {
                footprint: None,
                output: self.output,
                pages: 0,
                written,
                static_files: 0,
                timings: Timings::default(),
            },
        })
    }
}
