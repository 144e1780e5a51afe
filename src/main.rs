//! The `annals` binary: parse the command line, run the library, report.

use std::process::ExitCode;
use std::time::Instant;

use clap::Parser;

use annals::build::Session;
use annals::cli::{Cli, Command, Format};
use annals::diagnostic::Diagnostics;
use annals::serve::{ServeError, ServeOptions, serve};
use annals::{BuildOptions, BuildReport, init, watch};

fn main() -> ExitCode {
    match Cli::parse().command {
        Command::Build {
            site,
            base_url,
            timings,
            previous,
            host,
            download_part_limit,
        } => {
            let started = Instant::now();
            let options = BuildOptions {
                previous,
                host,
                download_part_limit,
                ..site.build_options(base_url)
            };
            if let Err(error) = annals::build::stop_on_signals() {
                eprintln!(
                    "warning: Ctrl-C while the output moves in may leave it half new: {error}"
                );
            }
            match annals::build(&options) {
                Ok(report) => {
                    print_built(&report, started);
                    if timings {
                        print_timings(&report);
                    }
                    match annals::build::interrupted() {
                        true => {
                            eprintln!("stopped once the new output had moved in: it is whole");
                            // As after Ctrl-C: `annals build && deploy` stops.
                            ExitCode::from(130)
                        }
                        false => ExitCode::SUCCESS,
                    }
                }
                Err(diagnostics) => fail(
                    &diagnostics,
                    "build failed; the previous output was left as it was",
                ),
            }
        }
        Command::Watch { site, poll } => {
            let mut session = match Session::open(site.build_options(None)) {
                Ok(session) => session,
                Err(diagnostics) => return fail(&diagnostics, "cannot watch this site"),
            };
            let started = Instant::now();
            match session.build_all() {
                Ok(report) => print_built(&report, started),
                Err(diagnostics) => eprintln!("{diagnostics}\nbuild failed; watching for a fix"),
            }
            let watcher = match watch::Watcher::start(&session, poll) {
                Ok(watcher) => watcher,
                Err(diagnostics) => return fail(&diagnostics, "cannot watch this site"),
            };
            println!(
                "watching {} for changes (Ctrl-C to stop)",
                session.root().display()
            );
            watcher.run(session, |rebuild| println!("{}", watch::summary(rebuild)));
            ExitCode::SUCCESS
        }
        Command::Serve {
            site,
            port,
            bind,
            open,
            poll,
        } => {
            let options = ServeOptions {
                build: site.build_options(None),
                bind,
                port,
                open,
                poll,
            };
            match serve(options) {
                Ok(()) => ExitCode::SUCCESS,
                // Diagnostics carry their own `error:` labels.
                Err(ServeError::Site(diagnostics)) => fail(&diagnostics, "cannot serve this site"),
                Err(error) => {
                    eprintln!("error: {error}");
                    ExitCode::FAILURE
                }
            }
        }
        Command::Check {
            site,
            format,
            previous,
            links,
        } => {
            let options = BuildOptions {
                previous,
                ..site.build_options(None)
            };
            let report = annals::build::check(&options, links.options().as_ref());
            let diagnostics = &report.diagnostics;
            match format {
                Format::Json => println!("{}", report.to_json()),
                Format::Human if diagnostics.is_empty() => println!("no problems found"),
                Format::Human => eprintln!("{diagnostics}"),
            }
            if let (Format::Human, Some(links)) = (format, &report.links) {
                eprintln!("{links}");
            }
            if matches!(format, Format::Human) {
                for language in &report.translated {
                    eprintln!("{language}");
                }
            }
            if diagnostics.has_errors() {
                ExitCode::FAILURE
            } else {
                ExitCode::SUCCESS
            }
        }
        Command::Init { dir } => match init::init(&dir) {
            Ok(files) => {
                for file in files {
                    println!("created {}", file.display());
                }
                println!("next: annals serve --root {}", dir.display());
                ExitCode::SUCCESS
            }
            Err(diagnostics) => fail(&diagnostics, "init failed"),
        },
    }
}

fn print_built(report: &BuildReport, started: Instant) {
    println!(
        "built {} pages and {} static files into {} in {} ms",
        report.pages,
        report.static_files,
        report.output.display(),
        started.elapsed().as_millis()
    );
    if let Some(footprint) = &report.footprint {
        println!("the output: {}", footprint.summary());
    }
}

fn print_timings(report: &BuildReport) {
    println!("\nwall time by stage (and peak memory after it):");
    for stage in report.timings.stages() {
        let memory = stage
            .peak_memory
            .map(|bytes| format!(" ({} MiB)", bytes >> 20))
            .unwrap_or_default();
        let ms = stage.took.as_secs_f64() * 1000.0;
        println!("{ms:>9.1} ms  {}{memory}", stage.name);
    }
    println!(
        "\nrendering by page kind (time summed over threads, the search index's as it took; \
         exports and the search index include writing):"
    );
    println!(
        "{:>14} {:>8} {:>10} {:>9} {:>8}",
        "kind", "files", "ms", "µs/file", "MB"
    );
    for (kind, cost) in report.timings.pages() {
        let ms = cost.render.as_secs_f64() * 1000.0;
        println!(
            "{kind:>14} {:>8} {ms:>10.1} {:>9.0} {:>8.1}",
            cost.files,
            ms * 1000.0 / cost.files.max(1) as f64,
            cost.bytes as f64 / 1e6
        );
    }
}

fn fail(diagnostics: &Diagnostics, what: &str) -> ExitCode {
    eprintln!("{diagnostics}");
    eprintln!("{what}");
    ExitCode::FAILURE
}

// mimalloc: see Cargo.toml and docs/ARCHITECTURE.md for why.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;
