//! Watching a site: debounced file-system events → [`Change`]s → rebuilds.
//!
//! Directories are watched recursively, never single files, because editors
//! save by writing a temporary file and renaming it over the original.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use notify_debouncer_full::notify::{
    Event, EventKind, PollWatcher, RecommendedWatcher, RecursiveMode, Watcher as NotifyWatcher,
};
use notify_debouncer_full::{
    DebounceEventResult, Debouncer, FileIdCache, NoCache, RecommendedCache, new_debouncer_opt,
};

use crate::build::{BuildReport, CatchUp, CaughtUp, Change, Session};
use crate::config::CONFIG_FILE;
use crate::content::{Area, is_editor_leftover};
use crate::diagnostic::Diagnostics;

/// How long events for one path are gathered into one rebuild. Short, since
/// editors finish their write-and-rename in a few milliseconds.
const DEBOUNCE: Duration = Duration::from_millis(20);

/// How long the watcher waits for further edits before re-indexing the
/// site for search and zipping the data package, which take longer than
/// rebuilding pages.
const CATCH_UP_IDLE: Duration = Duration::from_millis(300);
/// How often a running catch-up is checked for its end.
const CATCH_UP_POLL: Duration = Duration::from_millis(20);

/// One rebuild's outcome, for the terminal and the browser.
pub struct Rebuild {
    pub(crate) cause: Cause,
    pub(crate) result: Result<BuildReport, Diagnostics>,
    /// From receiving the (debounced) events to the last file written.
    pub(crate) elapsed: Duration,
}

/// Why the watcher rebuilt.
pub(crate) enum Cause {
    /// Files changed.
    Changes(BTreeSet<Change>),
    /// Edits paused, and what lagged behind them caught up: the search
    /// index, the data package's zips, or both, as [`CatchUp::what`] says.
    CatchUp(&'static str),
    /// The last rebuild could not write the output; this one tried again.
    Retry,
}

impl Rebuild {
    /// Whether pages may have changed, so a browser showing them should
    /// reload: pages never show the search index, and only `/data/` the
    /// zips.
    pub(crate) fn touches_pages(&self) -> bool {
        let page = |path: &String| path.ends_with(".html");
        match (&self.cause, &self.result) {
            (Cause::CatchUp(_), Ok(report)) => report.written.iter().any(page),
            (Cause::CatchUp(_), Err(_)) => false,
            _ => true,
        }
    }
}

/// How long the watcher waits before trying again a rebuild that could
/// not write the output (a full disk), until one succeeds.
const RETRY: Duration = Duration::from_secs(2);

/// A running watcher; dropping it stops watching.
enum Watching {
    Native(Debouncer<RecommendedWatcher, RecommendedCache>),
    Poll(Debouncer<PollWatcher, NoCache>),
}

impl Watching {
    /// Watches the folder at `path` and all below it.
    fn watch(&mut self, path: &Path) -> notify_debouncer_full::notify::Result<()> {
        match self {
            Watching::Native(debouncer) => debouncer.watch(path, RecursiveMode::Recursive),
            Watching::Poll(debouncer) => debouncer.watch(path, RecursiveMode::Recursive),
        }
    }
}

/// A running watcher with its queue of debounced events.
pub struct Watcher {
    watching: Watching,
    events: mpsc::Receiver<DebounceEventResult>,
    root: PathBuf,
    output: PathBuf,
    /// Folders watched for the site's links, outside its own folders.
    links: Vec<PathBuf>,
    /// Whether the site folder itself went, with every watch in it.
    site_gone: bool,
}

impl Watcher {
    /// Starts watching the site of `session`; changes made from now on are seen.
    pub fn start(session: &Session, poll: bool) -> Result<Watcher, Diagnostics> {
        let (sender, events) = mpsc::channel::<DebounceEventResult>();
        let root = session
            .root()
            .canonicalize()
            .unwrap_or_else(|_| session.root().to_path_buf());
        let output = std::path::absolute(session.output())
            .unwrap_or_else(|_| session.output().to_path_buf());
        let watching = start(&root, poll, sender)?;
        let mut watcher = Watcher {
            watching,
            events,
            root,
            output,
            links: Vec::new(),
            site_gone: false,
        };
        watcher.watch_link_targets(session);
        Ok(watcher)
    }

    /// Rebuilds `session` after each batch of changes and hands the outcome
    /// to `on_rebuild`. Blocks the calling thread for as long as it watches.
    pub fn run(mut self, mut session: Session, mut on_rebuild: impl FnMut(&Rebuild)) {
        let mut catching_up: Option<Background> = None;
        // Whether the last catch-up failed: it is tried again, quietly,
        // every RETRY until it succeeds.
        let mut catch_up_failing = false;
        loop {
            if let Some((done, elapsed)) = catching_up.as_ref().and_then(Background::finished) {
                let what = catching_up.take().map_or("", |job| job.what);
                let result = done.and_then(|caught_up| session.finish_catch_up(caught_up));
                let failed_again = result.is_err() && catch_up_failing;
                catch_up_failing = result.is_err();
                if catch_up_failing {
                    session.catch_up_failed();
                }
                if !failed_again {
                    on_rebuild(&Rebuild {
                        cause: Cause::CatchUp(what),
                        result,
                        elapsed,
                    });
                }
            }
            // The site folder itself gone (deleted, to be copied back):
            // its watches went with it; looked for until it is back.
            if self.site_gone && self.root.is_dir() {
                self.site_gone = false;
                self.watch_site_again();
                let changes = BTreeSet::from([Change::All]);
                self.rebuild(&mut session, changes, Instant::now(), &mut on_rebuild);
            }
            let wait = match (&catching_up, session.catch_up_pending()) {
                _ if self.site_gone => Some(RETRY),
                (Some(_), _) => Some(CATCH_UP_POLL),
                (None, true) if catch_up_failing => Some(RETRY),
                (None, true) => Some(CATCH_UP_IDLE),
                (None, false) if session.retry_pending() => Some(RETRY),
                (None, false) => None,
            };
            let batch = match wait {
                None => match self.events.recv() {
                    Ok(batch) => batch,
                    Err(_) => return,
                },
                Some(wait) => match self.events.recv_timeout(wait) {
                    Ok(batch) => batch,
                    Err(mpsc::RecvTimeoutError::Timeout) => {
                        if catching_up.is_none() && session.catch_up_pending() {
                            catching_up = session.start_catch_up().map(Background::start);
                        } else if catching_up.is_none() && session.retry_pending() {
                            // Quiet while it fails: the first failure's
                            // report stands until one succeeds.
                            let started = Instant::now();
                            let result = session.apply(&BTreeSet::new());
                            if result.is_ok() {
                                on_rebuild(&Rebuild {
                                    cause: Cause::Retry,
                                    result,
                                    elapsed: started.elapsed(),
                                });
                            }
                        }
                        continue;
                    }
                    Err(mpsc::RecvTimeoutError::Disconnected) => return,
                },
            };
            let started = Instant::now();
            let changes = match batch {
                Ok(events) => {
                    let events: Vec<Event> = events.into_iter().map(|e| e.event).collect();
                    changes(&session, &self.root, &self.output, &events)
                }
                Err(errors) => {
                    let message = errors
                        .iter()
                        .map(ToString::to_string)
                        .collect::<Vec<_>>()
                        .join("; ");
                    // Events may be lost with the error: read everything.
                    eprintln!(
                        "warning: file watching reported: {message}; reading the whole site again"
                    );
                    BTreeSet::from([Change::All])
                }
            };
            if !self.root.is_dir() {
                self.site_gone = true;
                eprintln!(
                    "the site folder {} is gone; watching for it to come back",
                    self.root.display()
                );
                continue;
            }
            if changes.is_empty() {
                continue;
            }
            self.watch_new_folders(&changes);
            self.rebuild(&mut session, changes, started, &mut on_rebuild);
        }
    }
}

impl Watcher {
    /// Applies `changes` (seen at `started`), watches what links now lead
    /// to, and hands the outcome to `on_rebuild`.
    fn rebuild(
        &mut self,
        session: &mut Session,
        changes: BTreeSet<Change>,
        started: Instant,
        on_rebuild: &mut impl FnMut(&Rebuild),
    ) {
        let result = session.apply(&changes);
        self.watch_link_targets(session);
        on_rebuild(&Rebuild {
            cause: Cause::Changes(changes),
            result,
            elapsed: started.elapsed(),
        });
    }

    /// Watches what the site's links lead to, where no watch of the site's
    /// folders reaches (`content/articles/x.md` → `notes/x.md`).
    fn watch_link_targets(&mut self, session: &Session) {
        let watched: Vec<PathBuf> = TOP_FOLDERS.iter().map(|top| self.root.join(top)).collect();
        for target in session.link_targets() {
            let folder = match target.is_dir() {
                true => target,
                false => target.parent().map_or(target.clone(), Path::to_path_buf),
            };
            let reached = watched
                .iter()
                .chain(&self.links)
                .any(|w| folder.starts_with(w));
            if reached {
                continue;
            }
            match self.watching.watch(&folder) {
                Ok(()) => self.links.push(folder),
                Err(error) => eprintln!("warning: cannot watch {}: {error}", folder.display()),
            }
        }
    }

    /// Watches the site folder and its top folders again, once it is back
    /// after being deleted.
    fn watch_site_again(&mut self) {
        let watched = match &mut self.watching {
            Watching::Native(debouncer) => watch_site(debouncer, &self.root),
            Watching::Poll(debouncer) => watch_site(debouncer, &self.root),
        };
        if let Err(error) = watched {
            eprintln!("warning: cannot watch {}: {error}", self.root.display());
        }
        self.links.clear();
    }

    /// Watches a top folder of the site (`content/`, `templates/`,
    /// `static/`) that was created or moved back in: only its parent, the
    /// root, is watched for it, and not below.
    fn watch_new_folders(&mut self, changes: &BTreeSet<Change>) {
        for change in changes {
            let Change::Path(path) = change else {
                continue;
            };
            let folder = self.root.join(path);
            let top = TOP_FOLDERS.iter().any(|top| path == Path::new(top));
            if top
                && folder.is_dir()
                && let Err(error) = self.watching.watch(&folder)
            {
                eprintln!("warning: cannot watch {}: {error}", folder.display());
            }
        }
    }
}

/// The folders at the site root that hold its areas.
const TOP_FOLDERS: [&str; 4] = ["content", "templates", "static", crate::i18n::DIR];

/// A [`CatchUp`] on its own thread, so edits keep rebuilding pages
/// meanwhile.
struct Background {
    what: &'static str,
    started: Instant,
    result: mpsc::Receiver<Result<CaughtUp, Diagnostics>>,
}

impl Background {
    fn start(job: CatchUp) -> Background {
        let what = job.what();
        let (sender, result) = mpsc::channel();
        std::thread::spawn(move || {
            let done = match background_pool() {
                Some(pool) => pool.install(|| job.run()),
                None => job.run(),
            };
            // The watcher may have stopped meanwhile; then nobody waits.
            let _ = sender.send(done);
        });
        Background {
            what,
            started: Instant::now(),
            result,
        }
    }

    /// The job's outcome and how long it took, once it has ended.
    fn finished(&self) -> Option<(Result<CaughtUp, Diagnostics>, Duration)> {
        let done = self.result.try_recv().ok()?;
        Some((done, self.started.elapsed()))
    }
}

/// The pool catch-ups run on: one thread at a lower priority, so that while
/// a large archive is indexed again (seconds at 100,000 articles) the
/// rebuild after the next save finds a core and is preferred on the other.
/// `None` if the pool cannot be made; then they share rayon's.
fn background_pool() -> Option<&'static rayon::ThreadPool> {
    static POOL: std::sync::OnceLock<Option<rayon::ThreadPool>> = std::sync::OnceLock::new();
    let pool = POOL.get_or_init(|| {
        rayon::ThreadPoolBuilder::new()
            .num_threads(1)
            .thread_name(|_| "annals catch-up".to_owned())
            .start_handler(|_| lower_priority())
            .build()
            .ok()
    });
    pool.as_ref()
}

/// Lowers the calling thread's priority: on Linux, nice values are per
/// thread (elsewhere setpriority would lower the whole process).
#[cfg(target_os = "linux")]
fn lower_priority() {
    // SAFETY: setpriority takes plain integers and touches no memory of
    // ours; with `who` 0 it applies to the calling thread. A failure (a
    // system that does not allow it) leaves the priority as it was.
    unsafe {
        libc::setpriority(libc::PRIO_PROCESS, 0, 10);
    }
}

#[cfg(not(target_os = "linux"))]
fn lower_priority() {}

fn start(
    root: &Path,
    poll: bool,
    sender: mpsc::Sender<DebounceEventResult>,
) -> Result<Watching, Diagnostics> {
    let failed = |error: notify_debouncer_full::notify::Error| {
        Diagnostics::from(
            crate::diagnostic::Diagnostic::error(root, format!("cannot watch the site: {error}"))
                .with_hint("on network or container file systems, try --poll"),
        )
    };
    if poll {
        let config = notify_debouncer_full::notify::Config::default()
            .with_poll_interval(Duration::from_millis(200));
        let mut debouncer =
            new_debouncer_opt::<_, PollWatcher, _>(DEBOUNCE, None, sender, NoCache, config)
                .map_err(failed)?;
        watch_site(&mut debouncer, root).map_err(failed)?;
        Ok(Watching::Poll(debouncer))
    } else {
        let config = notify_debouncer_full::notify::Config::default();
        let cache = RecommendedCache::new();
        let mut debouncer =
            new_debouncer_opt::<_, RecommendedWatcher, _>(DEBOUNCE, None, sender, cache, config)
                .map_err(failed)?;
        watch_site(&mut debouncer, root).map_err(failed)?;
        Ok(Watching::Native(debouncer))
    }
}

/// Watches the site's own directories (not the root recursively: it may hold
/// the output and, in a repository, `target/`), plus the root for annals.yaml.
fn watch_site<T: NotifyWatcher, C: FileIdCache>(
    debouncer: &mut Debouncer<T, C>,
    root: &Path,
) -> notify_debouncer_full::notify::Result<()> {
    debouncer.watch(root, RecursiveMode::NonRecursive)?;
    for dir in TOP_FOLDERS {
        if root.join(dir).is_dir() {
            debouncer.watch(root.join(dir), RecursiveMode::Recursive)?;
        }
    }
    Ok(())
}

/// The changes a batch of file-system events stands for. Events name files
/// or folders; a folder's event (created, moved, removed) may stand for any
/// change below it, which the session finds by listing it again.
/// An event asking for a rescan (inotify's queue overflowed: events were
/// lost) stands for every change.
/// A path that a link of the site leads to stands for the files listed
/// through the link.
pub fn changes(
    session: &Session,
    root: &Path,
    output: &Path,
    events: &[Event],
) -> BTreeSet<Change> {
    if events.iter().any(Event::need_rescan) {
        return BTreeSet::from([Change::All]);
    }
    let paths = (events.iter())
        .filter(|event| !matches!(event.kind, EventKind::Access(_)))
        .flat_map(|event| event.paths.iter());
    let mut found = BTreeSet::new();
    for path in paths {
        found.extend(classify(root, output, path));
        let linked = session.through_links(path).into_iter();
        found.extend(linked.filter_map(|file| classify(root, output, &root.join(file))));
    }
    found
}

/// What a changed path means to the site, or `None` to ignore it.
fn classify(root: &Path, output: &Path, path: &Path) -> Option<Change> {
    if path.starts_with(output) {
        return None;
    }
    let relative = path.strip_prefix(root).ok()?;
    let name = relative.file_name()?.to_str()?;
    if is_editor_leftover(name) {
        return None;
    }
    if relative == Path::new(CONFIG_FILE) {
        return Some(Change::Config);
    }
    let in_site = Area::ALL
        .iter()
        .any(|area| relative.starts_with(area.dir()) || area.dir().starts_with(relative));
    in_site.then(|| Change::Path(relative.to_path_buf()))
}

/// One line for the terminal about a rebuild.
pub fn summary(rebuild: &Rebuild) -> String {
    let ms = rebuild.elapsed.as_secs_f64() * 1000.0;
    let after = match &rebuild.cause {
        Cause::Changes(changes) => {
            // A line a person reads: thousands of files (a folder copied
            // in) are named by their first few and counted.
            let what: Vec<String> = changes.iter().take(SUMMARY_NAMES).map(describe).collect();
            let more = match changes.len().saturating_sub(SUMMARY_NAMES) {
                0 => String::new(),
                n => format!(" and {n} more"),
            };
            format!("after {}{more}", what.join(", "))
        }
        Cause::Retry => "on a retry".to_owned(),
        Cause::CatchUp(what) => {
            return match &rebuild.result {
                Ok(report) => format!(
                    "{what} updated: {} files written in {ms:.1} ms",
                    report.written.len()
                ),
                Err(diagnostics) => {
                    format!("{diagnostics}\nthe {what} could not be updated; what was there stays")
                }
            };
        }
    };
    match &rebuild.result {
        Ok(report) => format!(
            "rebuilt {after}: {} pages rendered, {} files written in {ms:.1} ms",
            report.pages,
            report.written.len()
        ),
        Err(diagnostics) => {
            format!("{diagnostics}\nrebuild failed {after}; still serving the last good build")
        }
    }
}

/// How many changed files a rebuild's line names.
const SUMMARY_NAMES: usize = 5;

fn describe(change: &Change) -> String {
    match change {
        Change::Config => CONFIG_FILE.to_owned(),
        Change::Path(path) => path.display().to_string(),
        Change::All => "lost file events (the whole site was read again)".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[track_caller]
    fn case(path: &str, expected: Option<Change>) {
        let root = Path::new("/site");
        assert_eq!(
            classify(root, Path::new("/site/public"), &root.join(path)),
            expected,
            "{path}"
        );
    }

    #[test]
    fn a_rebuild_after_thousands_of_files_names_a_few_and_counts_the_rest() {
        let changes: BTreeSet<Change> = (0..6_000)
            .map(|n| Change::Path(format!("content/articles/a-{n}.md").into()))
            .collect();
        let line = summary(&Rebuild {
            cause: Cause::Changes(changes),
            result: Err(Diagnostics::default()),
            elapsed: Duration::ZERO,
        });
        assert!(line.contains("and 5995 more;"), "{line}");
        assert!(line.len() < 400, "{line}");
    }

    #[test]
    fn paths_are_classified() {
        let path = |p: &str| Some(Change::Path(p.into()));
        case("annals.yaml", Some(Change::Config));
        case(
            "content/articles/2021/a.md",
            path("content/articles/2021/a.md"),
        );
        case(
            "content/articles/b.Markdown",
            path("content/articles/b.Markdown"),
        );
        case("content/people/biden.md", path("content/people/biden.md"));
        case(
            "templates/partials/x.HTML",
            path("templates/partials/x.HTML"),
        );
        case("static/style.css", path("static/style.css"));
        case("static/.nojekyll", path("static/.nojekyll"));
        // Folders, and folders holding the site's areas.
        case("content", path("content"));
        case("content/articles/2021", path("content/articles/2021"));
        case("templates", path("templates"));
        case("public/index.html", None);
        case("content/articles/.a.md.swp", None);
        case("content/articles/a.md~", None);
        case("content/articles/4913", None);
        case("content/articles/a.md___jb_tmp___", None);
        case("content/notes.txt", None);
        case("README.md", None);
        case("target/debug/x", None);
        // `annals check --links`' cache, beside the areas.
        case(".annals", None);
        case(".annals/links.json", None);
        case(".annals/.0.annals-tmp", None);
    }
}
