//! The `annals` binary: parse the command line, run the library, report.

use std::process::ExitCode;
use std::time::Instant;

use clap::Parser;

use annals::cli::{Cli, Command};
use annals::{BuildOptions, build, init};

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Build {
            root,
            output,
            drafts,
            base_url,
        } => {
            let started = Instant::now();
            match build(&BuildOptions {
                root,
                output,
                drafts,
                base_url,
            }) {
                Ok(report) => {
                    for warning in report.warnings.iter() {
                        eprintln!("{warning}\n");
                    }
                    println!(
                        "built {} pages and {} static files into {} in {} ms",
                        report.pages,
                        report.static_files,
                        report.output.display(),
                        started.elapsed().as_millis()
                    );
                    ExitCode::SUCCESS
                }
                Err(diagnostics) => fail(
                    &diagnostics,
                    "build failed; the previous output was left as it was",
                ),
            }
        }
        Command::Init { dir } => match init::init(&dir) {
            Ok(files) => {
                for file in files {
                    println!("created {}", file.display());
                }
                println!("next: annals build --root {}", dir.display());
                ExitCode::SUCCESS
            }
            Err(diagnostics) => fail(&diagnostics, "init failed"),
        },
    }
}

fn fail(diagnostics: &annals::diagnostic::Diagnostics, what: &str) -> ExitCode {
    eprintln!("{diagnostics}");
    eprintln!("{what}");
    ExitCode::FAILURE
}
