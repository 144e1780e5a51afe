//! `build`: the whole pipeline, load → parse → index → render → write.
//! The CLI, `watch` and `serve` all call this one function.

use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::config::{CONFIG_FILE, Config};
use crate::content::{self, LoadOptions};
use crate::diagnostic::{Diagnostic, Diagnostics, io_error};
use crate::index::Index;
use crate::output::{self, Staging};
use crate::render::{ASSETS, Renderer};

/// What to build and how.
#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    /// The site directory (holding `annals.yaml`).
    pub root: PathBuf,
    /// Overrides `output` in `annals.yaml`; relative to the working directory.
    pub output: Option<PathBuf>,
    pub drafts: bool,
    /// Overrides `base_url` in `annals.yaml`.
    pub base_url: Option<String>,
}

/// What a successful build did.
#[derive(Debug)]
pub struct BuildReport {
    pub output: PathBuf,
    pub pages: usize,
    pub static_files: usize,
    /// Problems that did not stop the build.
    pub warnings: Diagnostics,
}

/// Builds the site at `options.root`. On any error the previous output is
/// left untouched and every problem found is returned together.
pub fn build(options: &BuildOptions) -> Result<BuildReport, Diagnostics> {
    let root = &options.root;
    let config = load_config(root, options.base_url.as_deref())?;
    let output = options
        .output
        .clone()
        .unwrap_or_else(|| config.output_dir(root));
    output::check_output_dir(root, &output)?;

    let files = content::read_site(root)?;
    let site = content::parse_site(
        config,
        &files,
        LoadOptions {
            drafts: options.drafts,
        },
    )?;
    let index = Index::new(&site);
    let renderer = Renderer::new(&site, &index, &files.templates)?;
    let pages = renderer.pages();

    let staging = Staging::begin(&output)?;
    let failures: Vec<Diagnostic> = pages
        .par_iter()
        .filter_map(|page| {
            let path = renderer.output_path(page);
            let html = match renderer.render(page) {
                Ok(html) => html,
                Err(diagnostic) => return Some(diagnostic),
            };
            staging
                .write(&path, html.as_bytes())
                .err()
                .map(|e| io_error(&output.join(&path), "write the page", &e))
        })
        .collect();
    let mut diagnostics = Diagnostics::default();
    failures.into_iter().for_each(|d| diagnostics.push(d));
    diagnostics.into_result()?;

    let page_paths: std::collections::HashSet<String> =
        pages.iter().map(|p| renderer.output_path(p)).collect();
    let static_files =
        staging.copy_tree(root, &root.join("static"), |path| page_paths.contains(path))?;
    for (path, bytes) in ASSETS {
        if !static_files.iter().any(|copied| copied == path) {
            staging
                .write(path, bytes)
                .map_err(|e| io_error(&output.join(path), "write the file", &e))?;
        }
    }
    staging.commit()?;
    Ok(BuildReport {
        output,
        pages: pages.len(),
        static_files: static_files.len(),
        warnings: Diagnostics::default(),
    })
}

/// Reads `annals.yaml`, applying a `--base-url` override.
pub fn load_config(root: &Path, base_url: Option<&str>) -> Result<Config, Diagnostics> {
    let path = root.join(CONFIG_FILE);
    let text = std::fs::read_to_string(&path).map_err(|error| {
        let diagnostic = if error.kind() == std::io::ErrorKind::NotFound {
            Diagnostic::error(&path, format!("{} has no {CONFIG_FILE}", root.display()))
                .with_hint("run annals in a site directory, pass --root DIR, or create a site with `annals init DIR`")
        } else {
            io_error(&path, "read the site configuration", &error)
        };
        Diagnostics::from(diagnostic)
    })?;
    let config = Config::parse(&text)?;
    match base_url {
        Some(url) => config.with_base_url(url),
        None => Ok(config),
    }
}
