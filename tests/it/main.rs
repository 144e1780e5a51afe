//! Integration tests: each module drives the real `annals` binary on real files.

mod browser;
mod charts;
mod check;
mod converge;
mod errors;
mod hostile;
mod hosts;
mod i18n;
mod links;
mod live;
mod pages;
mod permanence;
mod process;
mod progress;
mod publish;
mod record;
mod serve;
mod site;
mod translations;
