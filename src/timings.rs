//! What a build's stages and page kinds cost, for `annals build --timings`.

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

/// How long each stage of a build took, and what each kind of page cost.
#[derive(Debug, Default, Clone)]
pub struct Timings {
    stages: Vec<Stage>,
    lap: Option<Instant>,
    /// By page kind (e.g. `article`).
    pages: BTreeMap<&'static str, PageCost>,
}

/// One stage of a build.
#[derive(Debug, Clone)]
pub struct Stage {
    pub name: &'static str,
    pub took: Duration,
    /// The process's peak resident memory so far, in bytes, where the
    /// system tells (Linux); `None` for work done alongside a stage.
    pub peak_memory: Option<u64>,
}

/// What producing the files of one page kind cost.
#[derive(Debug, Default, Clone, Copy)]
pub struct PageCost {
    pub files: usize,
    /// Time spent rendering, summed over threads. Pages are written after
    /// this is measured; the `/data/` exports, written as they are made,
    /// include their writing.
    pub render: Duration,
    pub bytes: usize,
}

impl Timings {
    /// Starts timing the first stage now.
    pub(crate) fn start() -> Timings {
        Timings {
            lap: Some(Instant::now()),
            ..Timings::default()
        }
    }

    /// Ends the stage `name`, started where the previous one ended.
    pub(crate) fn stage(&mut self, name: &'static str) {
        let now = Instant::now();
        let since = self.lap.replace(now).unwrap_or(now);
        self.stages.push(Stage {
            name,
            took: now - since,
            peak_memory: peak_memory(),
        });
    }

    /// Records work that ran alongside the last stage, within its time.
    pub(crate) fn alongside(&mut self, name: &'static str, took: Duration) {
        self.stages.push(Stage {
            name,
            took,
            peak_memory: None,
        });
    }

    /// Adds the cost of one file of kind `kind`.
    pub(crate) fn add_page(&mut self, kind: &'static str, cost: PageCost) {
        let total = self.pages.entry(kind).or_default();
        total.files += cost.files;
        total.render += cost.render;
        total.bytes += cost.bytes;
    }

    pub fn stages(&self) -> &[Stage] {
        &self.stages
    }

    pub fn pages(&self) -> &BTreeMap<&'static str, PageCost> {
        &self.pages
    }
}

/// The peak resident memory of this process so far (`VmHWM`, Linux only).
fn peak_memory() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib * 1024)
}
