//! Command-line interface: flags parsed by clap, one variant per command.

use std::path::PathBuf;

use clap::{Parser, Subcommand};

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

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Build the site into its output directory.
    Build {
        /// The site directory (holding annals.yaml).
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Where to write the site (default: `output` in annals.yaml, else public/).
        #[arg(long)]
        output: Option<PathBuf>,
        /// Include articles marked `draft: true`.
        #[arg(long)]
        drafts: bool,
        /// Publish under another address, e.g. for a preview deploy.
        #[arg(long)]
        base_url: Option<String>,
    },
    /// Create a new site with an example article and person.
    Init {
        /// The directory to create (must not hold a site already).
        dir: PathBuf,
    },
}
