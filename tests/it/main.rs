//! Integration tests: each module drives the real `annals` binary on real files.

mod browser;
mod check;
mod live;
mod process;
mod site;
