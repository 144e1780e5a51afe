//! Politeness: jobs grouped by host, at most [`PER_HOST`] running for one
//! host at once, started at least a delay apart, and a host that asked to
//! be left alone (a job to be tried again later) left alone meanwhile by
//! all its jobs. A few threads serve every host.

use std::collections::{BTreeMap, VecDeque};
use std::sync::{Condvar, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

/// Requests to one host at once.
pub(super) const PER_HOST: usize = 2;
/// Threads in all: each mostly waits on the network.
const WORKERS: usize = 8;

/// What the scheduler tells its watcher.
pub(super) enum Event<'a> {
    /// A job ended: `done` of all have.
    Done { done: usize },
    /// `host` is left alone for `wait` before a job is tried again.
    Pausing { host: &'a str, wait: Duration },
}

/// One host's jobs.
struct Host {
    /// Jobs not started yet, or waiting to be tried again (at the front).
    queue: VecDeque<usize>,
    running: usize,
    /// No job of this host starts before then.
    ready_at: Instant,
}

struct State {
    hosts: Vec<Host>,
    queued: usize,
    running: usize,
    done: usize,
}

/// Runs `attempt` on every job (a job is its position in `hosts`, the
/// host of each), politely; after each attempt, `again` looks at the job's
/// attempts so far and says whether to try once more and after how long.
/// Returns each job's attempts, in job order.
pub(super) fn run<R: Send>(
    hosts: &[String],
    delay: Duration,
    attempt: impl Fn(usize) -> R + Sync,
    again: impl Fn(&[R]) -> Option<Duration> + Sync,
    on_event: impl Fn(Event) + Sync,
) -> Vec<Vec<R>> {
    let results: Vec<Mutex<Vec<R>>> = hosts.iter().map(|_| Mutex::new(Vec::new())).collect();
    let scheduler = Scheduler::new(hosts, delay);
    let workers = WORKERS.min(hosts.len());
    std::thread::scope(|scope| {
        for _ in 0..workers {
            scope.spawn(|| {
                while let Some((job, host)) = scheduler.next() {
                    let outcome = attempt(job);
                    let mut tried = lock(&results[job]);
                    tried.push(outcome);
                    let retry = again(&tried);
                    drop(tried);
                    let done = scheduler.finish(job, host, retry);
                    match retry {
                        Some(wait) => on_event(Event::Pausing {
                            host: &hosts[job],
                            wait,
                        }),
                        None => on_event(Event::Done { done }),
                    }
                }
            });
        }
    });
    results
        .into_iter()
        .map(|tried| tried.into_inner().unwrap_or_else(PoisonError::into_inner))
        .collect()
}

/// The shared queues, and a condition workers wait on until a job may start.
struct Scheduler {
    state: Mutex<State>,
    changed: Condvar,
    /// Between the starts of two jobs of one host.
    delay: Duration,
}

impl Scheduler {
    fn new(jobs: &[String], delay: Duration) -> Scheduler {
        let mut by_name: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
        for (job, host) in jobs.iter().enumerate() {
            by_name.entry(host).or_default().push(job);
        }
        let now = Instant::now();
        let hosts = by_name
            .into_values()
            .map(|jobs| Host {
                queue: jobs.into(),
                running: 0,
                ready_at: now,
            })
            .collect();
        Scheduler {
            state: Mutex::new(State {
                hosts,
                queued: jobs.len(),
                running: 0,
                done: 0,
            }),
            changed: Condvar::new(),
            delay,
        }
    }

    /// The next job that may start, and the position of its host; waits
    /// for one. `None` once every job has ended.
    fn next(&self) -> Option<(usize, usize)> {
        let mut state = lock(&self.state);
        loop {
            if state.queued == 0 && state.running == 0 {
                return None;
            }
            let now = Instant::now();
            if let Some(host) = state.startable(now) {
                let slot = &mut state.hosts[host];
                let job = slot.queue.pop_front()?;
                slot.running += 1;
                slot.ready_at = now + self.delay;
                state.queued -= 1;
                state.running += 1;
                return Some((job, host));
            }
            state = match state.next_ready() {
                Some(at) => {
                    let wait = at.saturating_duration_since(now);
                    self.changed
                        .wait_timeout(state, wait)
                        .unwrap_or_else(PoisonError::into_inner)
                        .0
                }
                None => self
                    .changed
                    .wait(state)
                    .unwrap_or_else(PoisonError::into_inner),
            };
        }
    }

    /// Records that `job` of `host` ended its attempt; `retry` puts it back
    /// at the front of its host's queue, the host left alone meanwhile.
    /// Returns how many jobs are done.
    fn finish(&self, job: usize, host: usize, retry: Option<Duration>) -> usize {
        let mut state = lock(&self.state);
        let now = Instant::now();
        state.running -= 1;
        let slot = &mut state.hosts[host];
        slot.running -= 1;
        match retry {
            Some(wait) => {
                slot.ready_at = slot.ready_at.max(now + wait);
                slot.queue.push_front(job);
                state.queued += 1;
            }
            None => state.done += 1,
        }
        let done = state.done;
        drop(state);
        self.changed.notify_all();
        done
    }
}

impl State {
    /// A host with a job that may start now.
    fn startable(&self, now: Instant) -> Option<usize> {
        self.hosts.iter().position(|host| {
            !host.queue.is_empty() && host.running < PER_HOST && host.ready_at <= now
        })
    }

    /// When the next host with queued jobs and a free slot is ready.
    fn next_ready(&self) -> Option<Instant> {
        let waiting = self.hosts.iter();
        let waiting = waiting.filter(|host| !host.queue.is_empty() && host.running < PER_HOST);
        waiting.map(|host| host.ready_at).min()
    }
}

/// A lock that a panicking worker cannot poison for the others: the state
/// it guards is updated in single steps.
fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    #[test]
    fn a_host_gets_at_most_two_requests_at_once_and_retries_come_back() {
        let hosts: Vec<String> = (0..30).map(|i| format!("host{}", i % 3)).collect();
        let running: Vec<AtomicUsize> = (0..3).map(|_| AtomicUsize::new(0)).collect();
        let most: Vec<AtomicUsize> = (0..3).map(|_| AtomicUsize::new(0)).collect();
        let results = run(
            &hosts,
            Duration::ZERO,
            |job| {
                let host = job % 3;
                let now = running[host].fetch_add(1, Ordering::SeqCst) + 1;
                most[host].fetch_max(now, Ordering::SeqCst);
                // Long enough for others to overlap, if they may.
                std::thread::sleep(Duration::from_millis(5));
                running[host].fetch_sub(1, Ordering::SeqCst);
                job
            },
            // Every fifth job is tried twice.
            |tried| (tried.len() == 1 && tried[0] % 5 == 0).then_some(Duration::ZERO),
            |_| {},
        );
        for host in &most {
            assert!(host.load(Ordering::SeqCst) <= PER_HOST);
        }
        for (job, tried) in results.iter().enumerate() {
            let expected = if job % 5 == 0 { 2 } else { 1 };
            assert_eq!(tried.len(), expected, "job {job}");
            assert!(tried.iter().all(|&j| j == job));
        }
    }

    #[test]
    fn no_jobs_no_threads() {
        let results: Vec<Vec<()>> = run(&[], Duration::ZERO, |_| (), |_| None, |_| {});
        assert!(results.is_empty());
    }
}
