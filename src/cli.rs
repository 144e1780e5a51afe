//! Command-line interface: flags parsed by clap, one variant per command.

use std::net::IpAddr;
use std::path::PathBuf;
use std::time::Duration;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::build::BuildOptions;
use crate::diagnostic::Severity;
use crate::hosts::Host;
use crate::links::{LinkOptions, parse_duration};

#[derive(Debug, Parser)]
#[command(
    name = "annals",
    version,
    about = "A static site generator for curated conflict coverage: who said what, when, on whose authority."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

/// Which site to build and where.
#[derive(Debug, Args)]
pub struct SiteArgs {
    /// The site directory (holding annals.yaml).
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
    /// Where to write the site (default: `output` in annals.yaml, else public/).
    #[arg(long)]
    pub output: Option<PathBuf>,
    /// Include articles marked `draft: true`.
    #[arg(long)]
    pub drafts: bool,
    /// Treat warnings as errors (for an archive's CI).
    #[arg(long)]
    pub strict: bool,
}

impl SiteArgs {
    pub fn build_options(self, base_url: Option<String>) -> BuildOptions {
        BuildOptions {
            root: self.root,
            output: self.output,
            drafts: self.drafts,
            base_url,
            strict: self.strict,
            previous: None,
            host: None,
            // On a terminal only (see `progress`), and never for watch's
            // and serve's rebuilds, which print a line each.
            progress: true,
            download_part_limit: None,
        }
    }
}

/// `annals check --links` and how it asks.
#[derive(Debug, Args)]
#[command(next_help_heading = "Checking links")]
pub struct LinkArgs {
    /// Also ask for every external link the site publishes (sources' url
    /// and archive, people's links, links in bodies) over HTTP, and report
    /// the dead and the moved. Answers are kept in .annals/links.json.
    #[arg(long)]
    pub links: bool,
    /// Use a link's answer from .annals/links.json while it is younger
    /// than this (7d, 12h, 30m; 0: ask for every link again).
    #[arg(long, value_name = "AGE", default_value = "7d", value_parser = parse_duration, requires = "links")]
    pub links_max_age: Duration,
    /// How long one request may take.
    #[arg(long, value_name = "TIME", default_value = "15s", value_parser = parse_duration, requires = "links")]
    pub links_timeout: Duration,
    /// The longest wait for a server that answers 429 or 503 with a
    /// Retry-After; a longer one asked for is cut to this, and reported.
    #[arg(long, value_name = "TIME", default_value = "60s", value_parser = parse_duration, requires = "links")]
    pub links_wait_cap: Duration,
    /// Between two requests to one host (at most two run at once).
    #[arg(long, value_name = "TIME", default_value = "1s", value_parser = parse_duration, requires = "links")]
    pub links_delay: Duration,
    /// How a dead link is reported: `error` fails the check; `warning`
    /// does not. A source's dead url is a warning either way while its
    /// archive opens (or could not be checked).
    #[arg(long, value_enum, value_name = "AS", default_value_t = DeadLinks::Error, requires = "links")]
    pub links_dead: DeadLinks,
}

/// `--links-dead`.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum DeadLinks {
    Error,
    Warning,
}

impl LinkArgs {
    /// The link check asked for, if any.
    pub fn options(&self) -> Option<LinkOptions> {
        self.links.then_some(LinkOptions {
            max_age: self.links_max_age,
            timeout: self.links_timeout,
            wait_cap: self.links_wait_cap,
            delay: self.links_delay,
            dead: match self.links_dead {
                DeadLinks::Error => Severity::Error,
                DeadLinks::Warning => Severity::Warning,
            },
        })
    }
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum Format {
    Human,
    Json,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Build the site into its output directory.
    Build {
        #[command(flatten)]
        site: SiteArgs,
        /// Publish under another address, e.g. for a preview deploy.
        #[arg(long)]
        base_url: Option<String>,
        /// Print how long each stage of the build took.
        #[arg(long)]
        timings: bool,
        /// The output of the last published build (a copy of the deployed
        /// site, or a CI artifact): fail if an address in its sitemap or a
        /// statement id in its exports no longer resolves.
        #[arg(long, value_name = "DIR")]
        previous: Option<PathBuf>,
        /// Where the site will be published (overrides `host:` in
        /// annals.yaml): fail, leaving the output as it was, when the site
        /// would not fit that host's limits.
        #[arg(long, value_enum)]
        host: Option<Host>,
        /// The most bytes one zip of the data package may hold before the
        /// download is split in parts. Hidden: for tests, which cannot
        /// reach the hosts' 25 MiB of compressed data cheaply.
        #[arg(long, hide = true, value_name = "BYTES")]
        download_part_limit: Option<u64>,
    },
    /// Build, then rebuild whenever a file of the site changes.
    Watch {
        #[command(flatten)]
        site: SiteArgs,
        /// Poll for changes (for network and container file systems).
        #[arg(long)]
        poll: bool,
    },
    /// Build, watch, and serve the site on localhost with live reload.
    ///
    /// The preview is built into a temporary directory, removed when serve
    /// stops (Ctrl-C or SIGTERM), unless --output names one: its pages link
    /// to the preview's own address, so they must not replace the site's
    /// published output.
    #[command(mut_arg("output", |arg| arg.help(
        "Where to build the preview (default: a temporary directory, removed when serve stops)"
    )))]
    Serve {
        #[command(flatten)]
        site: SiteArgs,
        /// Port to listen on; when it is taken, the next free one of the nine
        /// after it. 0: any free port.
        #[arg(long, default_value_t = 1111)]
        port: u16,
        /// Address to listen on. Any but a loopback address shares the preview
        /// (drafts included, with no password) with everyone who can reach this
        /// machine; 0.0.0.0 or :: listens on all of its addresses.
        #[arg(long, default_value = "127.0.0.1")]
        bind: IpAddr,
        /// Open the site in the default browser.
        #[arg(long)]
        open: bool,
        /// Poll for changes (for network and container file systems).
        #[arg(long)]
        poll: bool,
    },
    /// Check the whole site (errors and warnings) without writing anything.
    Check {
        #[command(flatten)]
        site: SiteArgs,
        /// `human` (default) or `json` for editors and CI.
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
        /// The output of the last published build (a copy of the deployed
        /// site, or a CI artifact): fail if an address in its sitemap or a
        /// statement id in its exports no longer resolves.
        #[arg(long, value_name = "DIR")]
        previous: Option<PathBuf>,
        #[command(flatten)]
        links: LinkArgs,
    },
    /// Create a new site with an example article and person.
    Init {
        /// The directory to create (must not hold a site already).
        dir: PathBuf,
    },
}
