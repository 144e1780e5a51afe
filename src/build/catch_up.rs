//! What lags behind an edit in `watch` and `serve`, brought up to date off
//! the watcher's thread once edits pause (see
//! [`super::Session::start_catch_up`]): the search index and the data
//! package's zips, which take longer than pages.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use super::BuildReport;
use crate::content;
use crate::diagnostic::{Diagnostics, io_error};
use crate::download::{self, Contents, Download};
use crate::i18n::Ui;
use crate::output;
use crate::search;
use crate::timings::Timings;
use std::sync::Arc;

/// Bringing the search index, the data package's zips or both up to date
/// with a snapshot of the site (see [`super::Session::start_catch_up`]).
pub struct CatchUp {
    pub(super) output: PathBuf,
    /// The site to index for search, when the index lags, and the
    /// interface its records' dates are written in.
    pub(super) search: Option<(content::Site, Arc<Ui>)>,
    /// What the zips hold and the most one may, when they lag.
    pub(super) download: Option<(Contents, u64)>,
}

/// What a [`CatchUp`] did.
pub struct CaughtUp {
    /// Every file of the search index now, if it was brought up to date.
    pub(super) search: Option<BTreeSet<String>>,
    /// The zips now, if they were.
    pub(super) downloads: Option<Vec<Download>>,
    pub(super) report: BuildReport,
}

impl CatchUp {
    /// What it brings up to date, in words: `search index`, `data
    /// download` or both.
    pub fn what(&self) -> &'static str {
        match (self.search.is_some(), self.download.is_some()) {
            (true, true) => "search index and data download",
            (false, true) => "data download",
            _ => "search index",
        }
    }

    /// Writes the changed files of the index and the zips, and removes the
    /// ones they no longer have.
    pub fn run(self) -> Result<CaughtUp, Diagnostics> {
        let output = &self.output;
        let _lock = output::Lock::take(output)?;
        let (search, download) = rayon::join(
            || (self.search.as_ref()).map(|(site, ui)| update_search(output, site, ui)),
            || {
                (self.download.as_ref())
                    .map(|(contents, limit)| update_download(output, contents, *limit))
            },
        );
        let search = search.transpose()?;
        let download = download.transpose()?;
        let mut written = Vec::new();
        let search = search.map(|(files, changed)| {
            written.extend(changed);
            files
        });
        let downloads = download.map(|(downloads, changed)| {
            written.extend(changed);
            downloads
        });
        written.sort();
        Ok(CaughtUp {
            search,
            downloads,
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

/// Rewrites the search index of `site` in `output`: every file it has, and
/// the files written or removed.
fn update_search(
    output: &Path,
    site: &content::Site,
    ui: &Arc<Ui>,
) -> Result<(BTreeSet<String>, Vec<String>), Diagnostics> {
    let changed = std::sync::Mutex::new(Vec::new());
    let emit = |path: &str, bytes: &[u8]| {
        let wrote = output::write_if_changed(output, path, bytes)?;
        if wrote && let Ok(mut changed) = changed.lock() {
            changed.push(path.to_owned());
        }
        Ok(())
    };
    let index = search::write(site, ui, &emit)
        .map_err(|e| io_error(output, "write the search index", &e))?;
    let mut written = changed.into_inner().unwrap_or_default();
    let files: BTreeSet<String> = index.into_iter().collect();
    let dirs = search::Dirs::of(&site.config);
    for dir in dirs.iter() {
        written.extend(remove_others(output, dir, &files, &|p| dirs.owns(p))?);
    }
    Ok((files, written))
}

/// Rewrites the data package's zips in `output` from its exports there:
/// the zips now, and the files written or removed.
fn update_download(
    output: &Path,
    contents: &Contents,
    limit: u64,
) -> Result<(Vec<Download>, Vec<String>), Diagnostics> {
    let read = |name: &str| output::read(output, &format!("{}/{name}", download::DIR));
    let zips = download::zips(contents, limit, read)
        .map_err(|e| io_error(&output.join(download::DIR), "zip the data package", &e))?;
    let mut written = Vec::new();
    for (path, bytes) in &zips {
        if output::write_if_changed(output, path, bytes)
            .map_err(|e| io_error(&output.join(path), "write", &e))?
        {
            written.push(path.clone());
        }
    }
    let downloads = download::listed(&zips);
    let files: BTreeSet<String> = zips.into_iter().map(|(path, _)| path).collect();
    written.extend(remove_others(
        output,
        download::DIR,
        &files,
        &download::owns,
    )?);
    Ok((downloads, written))
}

/// Removes the files under `dir` that `owned` says are of one kind but
/// are not in `files`: what is on disk, rather than what the session
/// remembers, since after a failed rebuild it forgets its files.
fn remove_others(
    output: &Path,
    dir: &str,
    files: &BTreeSet<String>,
    owned: &dyn Fn(&str) -> bool,
) -> Result<Vec<String>, Diagnostics> {
    let before = output::files_under(output, Path::new(dir));
    let gone: Vec<String> = (before.into_iter())
        .filter(|path| owned(path) && !files.contains(path))
        .collect();
    for path in &gone {
        output::remove(output, path).map_err(|e| io_error(&output.join(path), "remove", &e))?;
    }
    Ok(gone)
}
