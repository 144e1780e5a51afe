//! Writing the site: the only stage that writes to disk.
//!
//! A build writes into a staging directory beside the output and moves it
//! in only when every page rendered, so a failed build leaves the previous
//! output as it was. A page whose bytes did not change is left as it is in
//! the previous output, keeping its timestamp, so syncing to a host sends
//! only real changes.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::io;
use std::path::{Component, Path, PathBuf};

use crate::diagnostic::{Diagnostic, Diagnostics, io_error};

/// Whether Ctrl-C or SIGTERM ends the process at once, as by default:
/// always but while a new output moves in (see [`stop_on_signals`]).
static EXIT_AT_ONCE: std::sync::LazyLock<std::sync::Arc<std::sync::atomic::AtomicBool>> =
    std::sync::LazyLock::new(|| std::sync::Arc::new(true.into()));

/// Set by Ctrl-C or SIGTERM once [`stop_on_signals`] is called.
static INTERRUPTED: std::sync::LazyLock<std::sync::Arc<std::sync::atomic::AtomicBool>> =
    std::sync::LazyLock::new(Default::default);

/// Makes Ctrl-C and SIGTERM wait while a new output moves in: killed
/// then, the output would be half old and half new. Any other time they
/// end the process at once, as by default (the staging directory left is
/// removed by the next build).
pub(crate) fn stop_on_signals() -> io::Result<()> {
    use signal_hook::consts::{SIGINT, SIGTERM};
    use std::sync::Arc;
    for signal in [SIGINT, SIGTERM] {
        let at_once = Arc::clone(&EXIT_AT_ONCE);
        signal_hook::flag::register_conditional_shutdown(signal, 128 + signal, at_once)?;
        signal_hook::flag::register(signal, Arc::clone(&INTERRUPTED))?;
    }
    Ok(())
}

/// Whether Ctrl-C or SIGTERM came while the output moved in.
pub(crate) fn interrupted() -> bool {
    INTERRUPTED.load(std::sync::atomic::Ordering::Relaxed)
}

/// While it lives, a signal waits (see [`stop_on_signals`]).
struct Moving;

impl Moving {
    fn start() -> Moving {
        EXIT_AT_ONCE.store(false, std::sync::atomic::Ordering::SeqCst);
        Moving
    }
}

impl Drop for Moving {
    fn drop(&mut self) {
        EXIT_AT_ONCE.store(true, std::sync::atomic::Ordering::SeqCst);
    }
}

/// Marks a directory as annals output, which annals may replace.
pub(crate) const MARKER: &str = ".annals-output";
pub(crate) const MARKER_TEXT: &str =
    "This directory is written by `annals build` and replaced on every build.\n";

/// Refuses output directories that would put the user's files at risk.
pub(crate) fn check_output_dir(root: &Path, output: &Path) -> Result<(), Diagnostics> {
    let root = absolute(root);
    let output = absolute(output);
    let refuse = |why: &str| {
        Err(Diagnostic::error(
            &output,
            format!("refusing to write the site to {}: {why}", output.display()),
        )
        .with_hint("choose a new directory for the output: `--output public`, or `output: public` in annals.yaml")
        .into())
    };
    if output.parent().is_none() {
        return refuse("it is the file system root");
    }
    if root.starts_with(&output) {
        return refuse("it contains the site itself");
    }
    for protected in [
        "content",
        "templates",
        "static",
        "i18n",
        crate::config::CONFIG_FILE,
    ] {
        if output.starts_with(root.join(protected)) {
            return refuse(&format!("it is inside the site's {protected}"));
        }
    }
    let file_above = output
        .ancestors()
        .skip(1)
        .find(|a| a.exists() && !a.is_dir());
    if let Some(file) = file_above {
        return Err(
            Diagnostic::error(file, "this is a file, and the output would be inside it")
                .with_hint(
                    "choose an output folder whose parents are folders, e.g. `--output public`",
                )
                .into(),
        );
    }
    if output.exists() && !output.is_dir() {
        return Err(Diagnostic::error(&output, "this is a file, not a directory")
            .with_hint("annals writes the site into a directory: choose a new one for the output, e.g. `--output public`")
            .into());
    }
    let is_foreign = output.is_dir()
        && !output.join(MARKER).is_file()
        && fs::read_dir(&output)
            .map(|mut entries| entries.next().is_some())
            .unwrap_or(true);
    if is_foreign {
        return Err(Diagnostic::error(&output, "this directory has files that annals did not write")
            .with_hint("annals replaces its output directory on every build: choose an empty or new one, or move those files away").into());
    }
    Ok(())
}

/// `path` made absolute, with links resolved in every part of it that
/// exists (so `link/out`, `link` pointing into the site, is seen for where
/// it writes) and `..` applied to what does not exist yet.
fn absolute(path: &Path) -> PathBuf {
    let joined = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let mut resolved = PathBuf::new();
    for component in joined.components() {
        match component {
            Component::ParentDir => {
                resolved.pop();
            }
            Component::CurDir => {}
            other => {
                resolved.push(other);
                if let Ok(real) = resolved.canonicalize() {
                    resolved = real;
                }
            }
        }
    }
    resolved
}

/// An output directory being written. Dropping it without [`Staging::commit`]
/// removes the staging directory and leaves the previous output alone.
///
/// A first build writes every file into the staging directory and renames it
/// into place. A rebuild stages only the files whose bytes changed and, on
/// commit, moves them in and removes the files the new site no longer has:
/// unchanged files are never touched, so they keep their timestamps (syncing
/// to a host sends only real changes), and a rebuild that changes nothing
/// creates and deletes nothing. Replacing the whole tree instead cost more
/// than rendering on a real disk: tens of thousands of links made and
/// unlinked per build.
pub(crate) struct Staging {
    target: PathBuf,
    staging: PathBuf,
    /// Whether a previous output is updated in place (see above).
    update: bool,
    /// Every file of the new output and its size, staged or kept as it was.
    files: std::sync::Mutex<Vec<(String, u64)>>,
    committed: bool,
}

impl Staging {
    pub(crate) fn begin(target: &Path) -> Result<Staging, Diagnostics> {
        let staging = sibling(target, "staging");
        if staging.exists() {
            // Left by a build that was killed; it is ours by its name.
            fs::remove_dir_all(&staging)
                .map_err(|e| io_error(&staging, "remove an old staging directory", &e))?;
        }
        fs::create_dir_all(&staging)
            .map_err(|e| io_error(&staging, "create the staging directory", &e))?;
        let stage = Staging {
            target: target.to_path_buf(),
            staging,
            update: target.is_dir(),
            files: std::sync::Mutex::default(),
            committed: false,
        };
        stage
            .write(MARKER, MARKER_TEXT.as_bytes())
            .map_err(|e| io_error(target, "write the output marker", &e))?;
        Ok(stage)
    }

    /// Writes `bytes` at `relative` (a `/`-separated path of normal segments).
    pub(crate) fn write(&self, relative: &str, bytes: &[u8]) -> io::Result<()> {
        let destination = safe_join(&self.staging, relative)?;
        let unchanged = self.update && same_bytes(&safe_join(&self.target, relative)?, bytes);
        if !unchanged {
            if let Some(parent) = destination.parent() {
                fs::create_dir_all(parent)?;
            }
            fs::write(&destination, bytes)?;
        }
        self.record(relative, bytes.len() as u64);
        Ok(())
    }

    /// Writes the file at `relative` as `fill` produces it, without holding
    /// it in memory (the research exports run to hundreds of megabytes);
    /// returns its size. Like [`Staging::write`], an unchanged file is kept
    /// as it is in the previous output.
    pub(crate) fn stream(
        &self,
        relative: &str,
        fill: impl FnOnce(&mut dyn io::Write) -> io::Result<()>,
    ) -> io::Result<u64> {
        let destination = safe_join(&self.staging, relative)?;
        if let Some(parent) = destination.parent() {
            fs::create_dir_all(parent)?;
        }
        let mut file = io::BufWriter::with_capacity(1 << 16, fs::File::create(&destination)?);
        fill(&mut file)?;
        io::Write::flush(&mut file)?;
        let size = fs::metadata(&destination)?.len();
        if self.update && same_files(&safe_join(&self.target, relative)?, &destination) {
            fs::remove_file(&destination)?;
        }
        self.record(relative, size);
        Ok(size)
    }

    fn record(&self, relative: &str, size: u64) {
        let mut files = self.files.lock().unwrap_or_else(|e| e.into_inner());
        files.push((relative.to_owned(), size));
    }

    /// The bytes of the new output at `relative`: what is made from files
    /// written before (the data package's zips from its exports). A file
    /// unchanged from the previous output is read there.
    pub(crate) fn read(&self, relative: &str) -> io::Result<Vec<u8>> {
        match fs::read(safe_join(&self.staging, relative)?) {
            Err(e) if e.kind() == io::ErrorKind::NotFound && self.update => {
                fs::read(safe_join(&self.target, relative)?)
            }
            read => read,
        }
    }

    /// Every file of the new output, as a `/`-separated path and its size,
    /// for the host's limits; and its `_redirects`, whose rules count too.
    pub(crate) fn measure(&self) -> io::Result<Staged> {
        let files = self.files.lock().unwrap_or_else(|e| e.into_inner()).clone();
        let mut redirects = None;
        if files.iter().any(|(path, _)| path == "_redirects") {
            let staged = self.staging.join("_redirects");
            let path = if staged.is_file() {
                staged
            } else {
                self.target.join("_redirects")
            };
            redirects = Some(fs::read_to_string(path)?);
        }
        Ok(Staged { files, redirects })
    }

    /// Puts the new output in place of the target.
    pub(crate) fn commit(mut self) -> Result<(), Diagnostics> {
        let _moving = Moving::start();
        if self.update {
            self.update_in_place()?;
            self.committed = true;
            let _ = fs::remove_dir_all(&self.staging);
            return Ok(());
        }
        fs::rename(&self.staging, &self.target)
            .map_err(|e| io_error(&self.target, "move the new output into place", &e))?;
        self.committed = true;
        Ok(())
    }

    /// Removes the files the new output does not have, then moves the
    /// staged ones in: every page rendered before this starts, and renames
    /// within one file system do not fail for want of space.
    fn update_in_place(&self) -> Result<(), Diagnostics> {
        let kept: std::collections::HashSet<String> = (self.files.lock())
            .unwrap_or_else(|e| e.into_inner())
            .iter()
            .map(|(path, _)| path.clone())
            .collect();
        for stale in files_under(&self.target, Path::new("")) {
            if !kept.contains(&stale) {
                remove(&self.target, &stale)
                    .map_err(|e| io_error(&self.target.join(&stale), "remove", &e))?;
            }
        }
        for staged in files_under(&self.staging, Path::new("")) {
            let from = self.staging.join(&staged);
            let to = self.target.join(&staged);
            let moved = to
                .parent()
                .map_or(Ok(()), fs::create_dir_all)
                .and_then(|()| fs::rename(&from, &to));
            moved.map_err(|e| io_error(&to, "move the new file into place", &e))?;
        }
        Ok(())
    }
}

/// What [`Staging::measure`] found.
pub(crate) struct Staged {
    pub files: Vec<(String, u64)>,
    pub redirects: Option<String>,
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            let _ = fs::remove_dir_all(&self.staging);
        }
    }
}

/// The error for a static file at `shown` whose output path, `relative`, is
/// also a generated page's (or feed's, or export's).
pub(crate) fn static_replaces_page(shown: &Path, relative: &str) -> Diagnostic {
    Diagnostic::error(
        shown,
        format!("static file would replace the generated page /{relative}"),
    )
    .with_hint("rename or move the static file")
}

/// The error for a static file at `shown` whose place `what` (generated
/// pages) needs: as a folder where the file would be, or the other way round.
pub(crate) fn static_in_the_way(shown: &Path, what: &str) -> Diagnostic {
    Diagnostic::error(shown, format!("static file is in the way of {what}"))
        .with_hint("rename or move the static file: a file and a folder cannot share a name")
}

/// The error for a static file at `shown` inside `dir/`, an output folder
/// annals generates whole.
pub(crate) fn static_in_generated_dir(shown: &Path, dir: &str) -> Diagnostic {
    Diagnostic::error(
        shown,
        format!("static file would go inside /{dir}/, which annals generates"),
    )
    .with_hint(format!(
        "move it out of static/{dir}/: annals writes that folder itself and removes files it did not write there"
    ))
}

/// Writes `bytes` at `relative` under `dir` unless the file already holds
/// exactly them; returns whether it wrote. The write goes through a temporary
/// file and a rename, so a reader never sees half a page.
pub(crate) fn write_if_changed(dir: &Path, relative: &str, bytes: &[u8]) -> io::Result<bool> {
    write_keeping(dir, relative, bytes, None)
}

/// [`write_if_changed`], keeping the version it replaces in `retired`.
pub(crate) fn rewrite_if_changed(
    dir: &Path,
    relative: &str,
    bytes: &[u8],
    retired: &Retired,
) -> io::Result<bool> {
    write_keeping(dir, relative, bytes, Some(retired))
}

fn write_keeping(
    dir: &Path,
    relative: &str,
    bytes: &[u8],
    retired: Option<&Retired>,
) -> io::Result<bool> {
    let destination = safe_join(dir, relative)?;
    if same_bytes(&destination, bytes) {
        return Ok(false);
    }
    if let Some(retired) = retired {
        retired.keep(&destination);
    }
    let parent = destination.parent().unwrap_or(dir);
    fs::create_dir_all(parent)?;
    // Short and unique among this process's writers (other processes wait
    // for the lock): a name made from the file's own could pass the
    // system's limit on names when the file's is near it.
    static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let temporary = parent.join(format!(".{n}.annals-tmp"));
    let written = fs::write(&temporary, bytes).and_then(|()| fs::rename(&temporary, &destination));
    if written.is_err() {
        // A full disk: leave no half-written file behind to fill it further.
        let _ = fs::remove_file(&temporary);
    }
    written.map(|()| true)
}

/// The bytes of the output file at `relative` under `dir`.
pub(crate) fn read(dir: &Path, relative: &str) -> io::Result<Vec<u8>> {
    fs::read(safe_join(dir, relative)?)
}

/// Removes the output file at `relative` and any directories it leaves empty.
pub(crate) fn remove(dir: &Path, relative: &str) -> io::Result<()> {
    let path = safe_join(dir, relative)?;
    match fs::remove_file(&path) {
        Err(e) if e.kind() != io::ErrorKind::NotFound => return Err(e),
        _ => {}
    }
    let mut parent = path.parent();
    while let Some(directory) = parent.filter(|p| *p != dir) {
        if fs::remove_dir(directory).is_err() {
            break;
        }
        parent = directory.parent();
    }
    Ok(())
}

/// `public` → `.public.annals-staging` beside it (same file system, so the
/// final rename is atomic and hard links work).
fn sibling(target: &Path, suffix: &str) -> PathBuf {
    let name = target
        .file_name()
        .map_or_else(|| "public".into(), |n| n.to_string_lossy());
    target.with_file_name(format!(".{name}.annals-{suffix}"))
}

/// Joins a generated relative path, refusing anything that could escape `base`.
fn safe_join(base: &Path, relative: &str) -> io::Result<PathBuf> {
    let path = Path::new(relative);
    if relative.is_empty() || !path.components().all(|c| matches!(c, Component::Normal(_))) {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            format!("unsafe output path `{relative}`"),
        ));
    }
    Ok(base.join(path))
}

fn same_bytes(path: &Path, bytes: &[u8]) -> bool {
    fs::metadata(path).is_ok_and(|m| m.is_file() && m.len() == bytes.len() as u64)
        && fs::read(path).is_ok_and(|existing| existing == bytes)
}

/// Whether two files hold the same bytes, read a block at a time.
fn same_files(a: &Path, b: &Path) -> bool {
    let open = |path: &Path| -> io::Result<(u64, fs::File)> {
        let file = fs::File::open(path)?;
        Ok((file.metadata()?.len(), file))
    };
    let (Ok((a_len, a)), Ok((b_len, b))) = (open(a), open(b)) else {
        return false;
    };
    if a_len != b_len {
        return false;
    }
    let (mut a, mut b) = (io::BufReader::new(a), io::BufReader::new(b));
    loop {
        let (Ok(a_block), Ok(b_block)) =
            (io::BufRead::fill_buf(&mut a), io::BufRead::fill_buf(&mut b))
        else {
            return false;
        };
        // Blocks may come in different sizes: compare what both hold.
        let n = a_block.len().min(b_block.len());
        if n == 0 {
            return a_block.len() == b_block.len();
        }
        if a_block[..n] != b_block[..n] {
            return false;
        }
        io::BufRead::consume(&mut a, n);
        io::BufRead::consume(&mut b, n);
    }
}

/// Every file under `dir` of the output, as `/`-separated output paths
/// (the files annals' bookkeeping may have lost track of after a failure).
pub(crate) fn files_under(output: &Path, dir: &Path) -> BTreeSet<String> {
    walkdir::WalkDir::new(output.join(dir))
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .filter_map(|e| {
            let inside = e.path().strip_prefix(output).ok()?;
            Some(crate::content::slash_path(inside))
        })
        .collect()
}

/// The versions of output files a rebuild replaced, kept linked in
/// `.public.annals-retired/` beside the output until [`Retired::release`]
/// unlinks them on a thread of their own. Replacing a file frees its old
/// blocks, and on a disk mounted with `discard` (as on many virtual
/// machines) freeing waits for the device: 1 to 12 ms a file on the
/// benchmark machine, and seconds when other writes queue before it, which
/// `watch` would spend between a save and the page written.
pub(crate) struct Retired {
    dir: PathBuf,
    kept: std::sync::Mutex<Vec<PathBuf>>,
}

impl Retired {
    pub(crate) fn beside(output: &Path) -> Retired {
        Retired {
            dir: sibling(output, "retired"),
            kept: std::sync::Mutex::default(),
        }
    }

    /// Links `file` here, so that replacing it frees nothing yet. Where it
    /// cannot (no such file, another file system), the replacement frees
    /// the old version as any write would.
    fn keep(&self, file: &Path) {
        static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
        let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        // Unique among processes too: a `watch` that ended may still be
        // releasing its own.
        let link = self.dir.join(format!("{}-{n}", std::process::id()));
        let linked = fs::hard_link(file, &link).or_else(|e| match file.exists() {
            // The folder is made on the first use, and removed once empty.
            true => fs::create_dir_all(&self.dir).and_then(|()| fs::hard_link(file, &link)),
            false => Err(e),
        });
        if linked.is_ok() {
            self.kept().push(link);
        }
    }

    fn kept(&self) -> std::sync::MutexGuard<'_, Vec<PathBuf>> {
        self.kept.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Unlinks what was kept, on another thread, and the folder once it is
    /// empty. Should the process end first, the next full build removes
    /// what is left ([`Retired::clear`]).
    pub(crate) fn release(&self) -> Option<std::thread::JoinHandle<()>> {
        let kept = std::mem::take(&mut *self.kept());
        if kept.is_empty() {
            return None;
        }
        let dir = self.dir.clone();
        Some(std::thread::spawn(move || {
            for link in kept {
                let _ = fs::remove_file(link);
            }
            let _ = fs::remove_dir(dir);
        }))
    }

    /// Removes versions left by a process that ended before releasing
    /// them. Taking the output's lock first keeps a running `watch` from
    /// keeping new ones meanwhile.
    pub(crate) fn clear(output: &Path) {
        let _ = fs::remove_dir_all(sibling(output, "retired"));
    }
}

/// An advisory lock beside the output (`.public.annals-lock`), held while
/// writing it: two annals processes writing one output would interleave
/// their files. Within one process the lock is shared: `watch` rebuilds
/// pages on one thread while the search index is rewritten on another, and
/// they write different files. Released when its last holder drops it, or
/// when the process ends.
pub(crate) struct Lock {
    path: PathBuf,
}

/// A lock file this process holds.
struct Held {
    /// Open for as long as the lock is held: closing it releases the lock.
    _file: fs::File,
    holders: usize,
    /// Taken by [`Lock::take_alone`]: no other holder until it is dropped.
    alone: bool,
    /// Someone waits to take it alone: no new holder joins meanwhile.
    wanted_alone: bool,
}

/// The lock files this process holds, and a signal when one is released.
static HELD: std::sync::Mutex<BTreeMap<PathBuf, Held>> = std::sync::Mutex::new(BTreeMap::new());
static RELEASED: std::sync::Condvar = std::sync::Condvar::new();

fn held() -> std::sync::MutexGuard<'static, BTreeMap<PathBuf, Held>> {
    HELD.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

impl Lock {
    /// Takes the lock for `output`, waiting (and saying so) while another
    /// annals process holds it.
    pub(crate) fn take(output: &Path) -> Result<Lock, Diagnostics> {
        Lock::acquire(output, false)
    }

    /// Takes the lock for `output` for this thread alone: waits until this
    /// process's other writers are done, and keeps new ones out (`serve`
    /// removing its temporary output as it stops).
    pub(crate) fn take_alone(output: &Path) -> Result<Lock, Diagnostics> {
        Lock::acquire(output, true)
    }

    fn acquire(output: &Path, alone: bool) -> Result<Lock, Diagnostics> {
        let path = sibling(output, "lock");
        let mut held = held();
        // Held while waiting for another process below: this process's
        // other threads would wait for it anyway.
        loop {
            match held.get_mut(&path) {
                Some(shared) if !alone && !shared.alone && !shared.wanted_alone => {
                    shared.holders += 1;
                    return Ok(Lock { path });
                }
                Some(shared) => {
                    shared.wanted_alone |= alone;
                    held = RELEASED
                        .wait(held)
                        .unwrap_or_else(|poisoned| poisoned.into_inner());
                }
                None => break,
            }
        }
        let failed = |e: io::Error| Diagnostics::from(io_error(&path, "lock the output", &e));
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).map_err(failed)?;
        }
        let file = fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .map_err(failed)?;
        match file.try_lock() {
            Ok(()) => {}
            Err(fs::TryLockError::WouldBlock) => {
                eprintln!(
                    "waiting for another annals process to finish writing {}",
                    output.display()
                );
                file.lock().map_err(failed)?;
            }
            Err(fs::TryLockError::Error(e)) => return Err(failed(e)),
        }
        let taken = Held {
            _file: file,
            holders: 1,
            alone,
            wanted_alone: false,
        };
        held.insert(path.clone(), taken);
        Ok(Lock { path })
    }
}

impl Drop for Lock {
    fn drop(&mut self) {
        let mut held = held();
        if let Some(shared) = held.get_mut(&self.path) {
            shared.holders -= 1;
            if shared.holders == 0 {
                // Closing the file releases the lock.
                held.remove(&self.path);
                RELEASED.notify_all();
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_rewrite_keeps_the_old_version_linked_until_released() {
        let dir = tempfile::tempdir().expect("temporary directory");
        let output = dir.path().join("out");
        fs::create_dir_all(output.join("a")).expect("output");
        fs::write(output.join("a/index.html"), "old").expect("first version");
        let retired = Retired::beside(&output);
        assert!(rewrite_if_changed(&output, "a/index.html", b"old", &retired).is_ok_and(|w| !w));
        assert!(
            retired.release().is_none(),
            "nothing replaced, nothing kept"
        );
        assert!(rewrite_if_changed(&output, "a/index.html", b"new", &retired).is_ok_and(|w| w));
        assert_eq!(
            fs::read(output.join("a/index.html")).ok(),
            Some(b"new".to_vec())
        );
        let kept: Vec<Vec<u8>> = fs::read_dir(sibling(&output, "retired"))
            .expect("the retired folder")
            .map(|entry| fs::read(entry.expect("entry").path()).expect("kept version"))
            .collect();
        assert_eq!(kept, [b"old".to_vec()]);
        let releasing = retired.release().expect("a version to release");
        releasing.join().expect("released");
        assert!(!sibling(&output, "retired").exists());
        // A new file replaces nothing.
        assert!(rewrite_if_changed(&output, "b.html", b"b", &retired).is_ok_and(|w| w));
        assert!(retired.release().is_none());
        assert!(!sibling(&output, "retired").exists());
    }

    #[test]
    fn the_lock_is_shared_within_a_process_and_released_by_its_last_holder() {
        let dir = tempfile::tempdir().expect("temporary directory");
        let output = dir.path().join("out");
        let lock_file = sibling(&output, "lock");
        let first = Lock::take(&output).expect("lock");
        // A second thread of this process (the search index) is not kept
        // waiting by the first (the pages).
        let second = std::thread::scope(|s| s.spawn(|| Lock::take(&output)).join())
            .expect("thread")
            .expect("lock");
        assert!(held().contains_key(&lock_file));
        drop(first);
        assert!(held().contains_key(&lock_file), "still held by the second");
        drop(second);
        assert!(!held().contains_key(&lock_file), "released");
        // Taken alone, it waits for the other holders and keeps new ones out.
        let writer = Lock::take(&output).expect("lock");
        std::thread::scope(|s| {
            let alone = s.spawn(|| Lock::take_alone(&output).expect("lock"));
            std::thread::sleep(std::time::Duration::from_millis(50));
            assert!(!alone.is_finished(), "waits for the writer");
            drop(writer);
            let alone = alone.join().expect("thread");
            let late = s.spawn(|| Lock::take(&output).expect("lock"));
            std::thread::sleep(std::time::Duration::from_millis(50));
            assert!(!late.is_finished(), "a new writer waits");
            drop(alone);
            drop(late.join().expect("thread"));
        });
        // Another open file description (as another process has) takes it.
        let other = fs::File::options()
            .write(true)
            .open(&lock_file)
            .expect("open");
        assert!(other.try_lock().is_ok());
    }

    #[test]
    fn files_compare_by_their_bytes() {
        let dir = tempfile::tempdir().expect("temporary directory");
        let file = |name: &str, bytes: &[u8]| {
            let path = dir.path().join(name);
            fs::write(&path, bytes).expect("write");
            path
        };
        // Longer than a read block, differing only near the end.
        let long: Vec<u8> = (0..200_000u32).map(|i| (i % 251) as u8).collect();
        let mut changed = long.clone();
        changed[199_990] ^= 1;
        let (a, b, c) = (file("a", &long), file("b", &long), file("c", &changed));
        assert!(same_files(&a, &b));
        assert!(!same_files(&a, &c));
        assert!(!same_files(&a, &file("d", &long[..1000])));
        assert!(!same_files(&a, &dir.path().join("missing")));
        assert!(same_files(&file("e", b""), &file("f", b"")));
    }

    #[test]
    fn unsafe_paths_are_refused() {
        let base = Path::new("/tmp/out");
        assert!(safe_join(base, "articles/a/index.html").is_ok());
        for bad in ["../x", "/etc/passwd", "a/../../x", ""] {
            assert!(safe_join(base, bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn output_may_not_hold_the_site() {
        let root = Path::new("/tmp/site");
        assert!(check_output_dir(root, Path::new("/tmp/site/public")).is_ok());
        assert!(check_output_dir(root, Path::new("/tmp/site")).is_err());
        assert!(check_output_dir(root, Path::new("/tmp")).is_err());
        assert!(check_output_dir(root, Path::new("/")).is_err());
        assert!(check_output_dir(root, Path::new("/tmp/site/content/out")).is_err());
        assert!(check_output_dir(root, Path::new("/tmp/site/i18n")).is_err());
        assert!(check_output_dir(root, Path::new("/tmp/site/public/../content")).is_err());
    }
}
