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
        let changed = std::sync::Mutex::new(Vec::new());
        let emit = |path: &str, bytes: &[u8]| {
            let wrote = output::write_if_changed(output, path, bytes)?;
            if wrote && let Ok(mut changed) = changed.lock() {
                changed.push(path.to_owned());
            }
            Ok(())
        };
        let index = search::write(&self.site, &emit)
            .map_err(|e| io_error(output, "write the search index", &e))?;
        let mut written = changed.into_inner().unwrap_or_default();
        let files: BTreeSet<String> = index.into_iter().collect();
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
