//! Progress on a terminal for long work — a build, `check`, `check --links`:
//! the stage, and a bar where its size is known. Only on a terminal: where
//! stderr is a pipe or a file (CI logs), nothing is drawn at all.

use std::borrow::Cow;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// How often a stage without a count redraws its spinner, so that a long
/// one (assembling 100,000 articles) does not look stuck.
const TICK: Duration = Duration::from_millis(120);

/// One line on stderr, replaced stage by stage, and cleared when the work
/// ends so that the report after it starts on a clean line.
#[derive(Default)]
pub(crate) struct Progress {
    /// `None` when nothing is shown: not asked for, or not a terminal.
    bar: Option<ProgressBar>,
    shown: bool,
}

/// The steps of the current stage, counted from any thread; the default
/// counts for nobody.
#[derive(Clone, Default)]
pub(crate) struct Steps(Option<ProgressBar>);

impl Progress {
    /// Progress on stderr when `shown` and stderr is a terminal; otherwise
    /// every call does nothing.
    pub(crate) fn new(shown: bool) -> Progress {
        Progress { bar: None, shown }
    }

    /// Starts the stage `name`: with `total`, a bar counting its steps up
    /// to it; without, a spinner. Returns the counter of its steps.
    pub(crate) fn stage(
        &mut self,
        name: impl Into<Cow<'static, str>>,
        total: Option<usize>,
    ) -> Steps {
        let Some((bar, target)) = self.bar() else {
            return Steps(None);
        };
        // Each call draws: in this order no frame shows one stage's name
        // with another's count.
        match total {
            Some(total) => {
                bar.disable_steady_tick();
                bar.set_message(name);
                bar.set_position(0);
                bar.set_length(total as u64);
                bar.set_style(counted());
            }
            None => {
                bar.set_style(spinner());
                bar.unset_length();
                bar.set_message(name);
                bar.enable_steady_tick(TICK);
            }
        }
        if let Some(target) = target {
            bar.set_draw_target(target);
        }
        // Past a burst of draws indicatif draws a few times a second: a
        // stage is shown as it starts however short the one before.
        bar.force_draw();
        Steps(Some(bar.clone()))
    }

    /// Runs `work`, which may print to the terminal, with the line cleared
    /// meanwhile and drawn again after.
    pub(crate) fn suspend<R>(&self, work: impl FnOnce() -> R) -> R {
        match &self.bar {
            Some(bar) => bar.suspend(work),
            None => work(),
        }
    }

    /// Clears the line: the work is over (or failed), and what is printed
    /// next must not be drawn over.
    pub(crate) fn clear(&mut self) {
        if let Some(bar) = self.bar.take() {
            bar.finish_and_clear();
        }
    }

    /// The bar, and the first time (after a [`Progress::clear`], anew) the
    /// terminal to draw it on once its first stage is set, so that no empty
    /// bar shows before.
    fn bar(&mut self) -> Option<(ProgressBar, Option<ProgressDrawTarget>)> {
        if let Some(bar) = &self.bar {
            return Some((bar.clone(), None));
        }
        if !self.shown {
            return None;
        }
        // indicatif's stderr target draws nothing when stderr is not a
        // terminal (or TERM=dumb); checking here as well spares the
        // counting, which is then a no-op.
        let target = ProgressDrawTarget::stderr();
        if target.is_hidden() {
            return None;
        }
        let bar = ProgressBar::hidden();
        self.bar = Some(bar.clone());
        Some((bar, Some(target)))
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        self.clear();
    }
}

impl Steps {
    /// One more step done.
    pub(crate) fn advance(&self) {
        if let Some(bar) = &self.0 {
            bar.inc(1);
        }
    }

    /// `done` steps done in all.
    pub(crate) fn reach(&self, done: usize) {
        if let Some(bar) = &self.0 {
            bar.set_position(done as u64);
        }
    }

    /// Says what the stage is doing now, in place of its name.
    pub(crate) fn say(&self, message: impl Into<Cow<'static, str>>) {
        if let Some(bar) = &self.0 {
            bar.set_message(message);
        }
    }
}

/// A stage with a count: its name, a bar and how far it is.
fn counted() -> ProgressStyle {
    ProgressStyle::with_template("{msg} [{bar:30}] {pos}/{len}")
        .unwrap_or_else(|_| ProgressStyle::default_bar())
        .progress_chars("=> ")
}

/// A stage without a count: a spinner and its name.
fn spinner() -> ProgressStyle {
    ProgressStyle::with_template("{spinner} {msg}")
        .unwrap_or_else(|_| ProgressStyle::default_spinner())
}
