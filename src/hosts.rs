//! Static hosts' published limits, and what a build's output measures
//! against them (`host:` in annals.yaml, `annals build --host`). Pure: the
//! build hands over the sizes of the files it staged.
//!
//! Each limit, and where its host publishes it, is listed in docs/DEPLOY.md.

use std::collections::BTreeMap;

use serde::Deserialize;

use crate::diagnostic::{Diagnostic, Diagnostics};

/// Where the site will be published.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "kebab-case")]
pub enum Host {
    /// No limit checked: the build reports its figures only.
    #[default]
    Any,
    GithubPages,
    /// The free plan.
    CloudflarePages,
    CloudflarePagesPaid,
    GitlabPages,
    Netlify,
}

/// A host's limits; `None` where it publishes none.
#[derive(Debug, Clone, Copy, Default)]
struct Limits {
    name: &'static str,
    /// Files in the whole site (GitLab counts folders as entries too).
    files: Option<u64>,
    folders_count: bool,
    /// Bytes of the whole site.
    total: Option<u64>,
    /// Bytes of one file.
    file: Option<u64>,
    /// Files directly in one folder.
    per_folder: Option<u64>,
    /// Rules in `_redirects`.
    redirect_rules: Option<u64>,
    /// Rules with a splat (`*`) or a placeholder (`:name`) among them.
    dynamic_rules: Option<u64>,
    /// Bytes of `_redirects`.
    redirect_bytes: Option<u64>,
}

/// Whether a rule's old address has a splat (`*`) or a placeholder
/// (`:name`): a pattern of addresses, not one, and a dynamic rule to
/// Cloudflare.
pub(crate) fn is_dynamic(old: &str) -> bool {
    old.contains('*') || old.split('/').any(|s| s.starts_with(':'))
}

/// What the output's `_redirects` holds, against the hosts that read it.
#[derive(Debug, Clone, Copy, Default)]
pub struct RedirectFile {
    pub rules: u64,
    /// Rules whose old address has a splat or a placeholder.
    pub dynamic: u64,
    pub bytes: u64,
}

impl RedirectFile {
    pub(crate) fn of(text: &str) -> RedirectFile {
        let rules = (text.lines().map(str::trim)).filter(|l| !l.is_empty() && !l.starts_with('#'));
        let mut file = RedirectFile {
            bytes: text.len() as u64,
            ..RedirectFile::default()
        };
        for rule in rules {
            file.rules += 1;
            if is_dynamic(rule.split_whitespace().next().unwrap_or_default()) {
                file.dynamic += 1;
            }
        }
        file
    }
}

const MIB: u64 = 1 << 20;
const GB: u64 = 1_000_000_000;

/// The smallest limit on one file of the hosts above (Cloudflare Pages'),
/// which files that annals splits itself stay under wherever the site goes.
pub(crate) const SMALLEST_FILE_LIMIT: u64 = 25 * MIB;

impl Host {
    fn limits(self) -> Limits {
        match self {
            Host::Any => Limits {
                name: "any host",
                ..Limits::default()
            },
            Host::GithubPages => Limits {
                name: "GitHub Pages",
                total: Some(GB),
                file: Some(100 * MIB),
                ..Limits::default()
            },
            Host::CloudflarePages | Host::CloudflarePagesPaid => Limits {
                name: match self {
                    Host::CloudflarePages => "Cloudflare Pages (free plan)",
                    _ => "Cloudflare Pages (paid plans)",
                },
                files: Some(match self {
                    Host::CloudflarePages => 20_000,
                    _ => 100_000,
                }),
                file: Some(SMALLEST_FILE_LIMIT),
                redirect_rules: Some(2_000),
                dynamic_rules: Some(100),
                ..Limits::default()
            },
            Host::GitlabPages => Limits {
                name: "GitLab Pages (gitlab.com)",
                files: Some(200_000),
                folders_count: true,
                total: Some(GB),
                redirect_rules: Some(1_000),
                redirect_bytes: Some(64 * 1024),
                ..Limits::default()
            },
            Host::Netlify => Limits {
                name: "Netlify",
                per_folder: Some(54_000),
                ..Limits::default()
            },
        }
    }
}

impl Host {
    /// Whether the host serves a site at the root of its address only: a
    /// project on Cloudflare Pages or Netlify is its whole domain.
    fn root_only(self) -> bool {
        matches!(
            self,
            Host::CloudflarePages | Host::CloudflarePagesPaid | Host::Netlify
        )
    }
}

/// An error, at `origin`, when `host` cannot serve the site where
/// `base_url` (whose path is `base_path`) says it is: every link of every
/// page starts with that path.
pub(crate) fn address_fits(
    host: Host,
    base_url: &str,
    base_path: &str,
    origin: &Diagnostic,
) -> Diagnostics {
    if !host.root_only() || base_path == "/" {
        return Diagnostics::default();
    }
    let mut error = origin.clone();
    error.message = format!(
        "the site does not fit {}: it serves a site at the root of its address, and base_url `{base_url}` puts every page under `{base_path}`",
        host.limits().name
    );
    error.hint = Some("set base_url to the address the host gives the site (`https://PROJECT.pages.dev/`, `https://SITE.netlify.app/`) or to your domain's root; if a proxy of yours serves the site under that path, set `host: any`".to_owned());
    error.into()
}

/// What a build's output amounts to.
#[derive(Debug, Clone, Default)]
pub struct Footprint {
    pub files: u64,
    pub folders: u64,
    pub bytes: u64,
    /// The largest file and its size.
    pub largest: Option<(String, u64)>,
    /// Files and bytes under each top-level folder (`articles/`, `data/`),
    /// or of each file at the top.
    areas: BTreeMap<String, (u64, u64)>,
    /// The folder holding the most files directly, and how many.
    busiest: Option<(String, u64)>,
    /// Every file with its size, largest first, for the per-file limit.
    sizes: Vec<(String, u64)>,
    pub redirects: RedirectFile,
}

impl Footprint {
    /// `files` are paths relative to the output with `/` separators.
    pub(crate) fn of(files: Vec<(String, u64)>, redirects: RedirectFile) -> Footprint {
        let mut footprint = Footprint {
            redirects,
            ..Footprint::default()
        };
        let mut folders: BTreeMap<&str, u64> = BTreeMap::new();
        for (path, size) in &files {
            footprint.files += 1;
            footprint.bytes += size;
            let area = match path.split_once('/') {
                Some((top, _)) => format!("{top}/"),
                None => path.clone(),
            };
            let entry = footprint.areas.entry(area).or_default();
            entry.0 += 1;
            entry.1 += size;
            let folder = path.rsplit_once('/').map_or("", |(folder, _)| folder);
            *folders.entry(folder).or_default() += 1;
        }
        footprint.folders = count_folders(folders.keys().copied());
        footprint.busiest = (folders.iter())
            .max_by_key(|(folder, count)| (**count, std::cmp::Reverse(*folder)))
            .map(|(folder, count)| ((*folder).to_owned(), *count));
        let mut sizes = files;
        sizes.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        footprint.largest = sizes.first().cloned();
        footprint.sizes = sizes;
        footprint
    }

    /// Every way the output exceeds `host`'s limits, as errors at `origin`
    /// (`annals.yaml` and the line of `host:`, or the command line).
    pub(crate) fn check(&self, host: Host, origin: &Diagnostic) -> Diagnostics {
        let limits = host.limits();
        let mut errors = Diagnostics::default();
        let mut over = |message: String, hint: String| {
            let mut error = origin.clone();
            error.message = format!("the site does not fit {}: {message}", limits.name);
            error.hint = Some(hint);
            errors.push(error);
        };
        let entries = self.files
            + if limits.folders_count {
                self.folders
            } else {
                0
            };
        if let Some(limit) = limits.files.filter(|&limit| entries > limit) {
            let what = match limits.folders_count {
                true => format!("{} files and folders", count(entries)),
                false => format!("{} files", count(entries)),
            };
            over(
                format!("{what}, over its limit of {}", count(limit)),
                self.fewer_files_hint(),
            );
        }
        if let Some(limit) = limits.total.filter(|&limit| self.bytes > limit) {
            over(
                format!(
                    "{} in all, over its limit of {}",
                    size(self.bytes),
                    size(limit)
                ),
                self.smaller_hint(),
            );
        }
        if let Some(limit) = limits.file {
            let large: Vec<_> = self.sizes.iter().take_while(|(_, s)| *s > limit).collect();
            if let Some((path, bytes)) = large.first() {
                let others = match large.len() {
                    1 => String::new(),
                    n => format!(" (and {} more files)", n - 1),
                };
                over(
                    format!("`{path}` is {} ({} bytes){others}, over its limit of {} ({} bytes) per file", size(*bytes), count(*bytes), limit_size(limit), count(limit)),
                    "a file of yours in static/ is best hosted elsewhere and linked; for the files annals writes, docs/DEPLOY.md says which settings make them smaller".to_owned(),
                );
            }
        }
        if let Some(limit) = limits.per_folder
            && let Some((folder, files)) = self.busiest.as_ref().filter(|(_, n)| *n > limit)
        {
            over(
                format!(
                    "`{folder}/` holds {} files, over its limit of {} per folder",
                    count(*files),
                    count(limit)
                ),
                "move some of those files into sub-folders".to_owned(),
            );
        }
        let redirects = &self.redirects;
        let fewer_rules = "the rules are those of static/_redirects, if the site has one, then one per old address (`redirect_from:`, `redirects:`); annals also writes a page at each old address, which sends readers on from any host, so the rules are a faster way, not the only one: shorten static/_redirects, merge old addresses, or choose a host with a higher limit (docs/DEPLOY.md)";
        let counts = [
            (limits.redirect_rules, redirects.rules, "rules"),
            (
                limits.dynamic_rules,
                redirects.dynamic,
                "rules with a splat (`*`) or a placeholder (`:name`)",
            ),
        ];
        for (limit, found, what) in counts {
            if let Some(limit) = limit.filter(|&limit| found > limit) {
                over(
                    format!(
                        "`_redirects` has {} {what}, over its limit of {}",
                        count(found),
                        count(limit)
                    ),
                    fewer_rules.to_owned(),
                );
            }
        }
        if let Some(limit) = limits
            .redirect_bytes
            .filter(|&limit| redirects.bytes > limit)
        {
            over(
                format!(
                    "`_redirects` is {} bytes, over its limit of {} bytes",
                    count(redirects.bytes),
                    count(limit)
                ),
                fewer_rules.to_owned(),
            );
        }
        errors
    }

    /// What makes the most files, and the settings that make fewer.
    fn fewer_files_hint(&self) -> String {
        let most = self.largest_areas(
            |(files, _)| *files,
            |files| format!("{} files", count(files)),
        );
        format!(
            "most files are in {most}; a larger `paginate` in annals.yaml makes fewer parts of long lists, and a host with a higher limit (see docs/DEPLOY.md) takes the site as it is"
        )
    }

    /// What takes the most bytes, and the settings that make less.
    fn smaller_hint(&self) -> String {
        let most = self.largest_areas(|(_, bytes)| *bytes, size);
        format!(
            "the largest parts are {most}; large files in static/ are best hosted elsewhere and linked, and a host with a higher limit (see docs/DEPLOY.md) takes the site as it is"
        )
    }

    /// The three top-level areas largest by `measure`, each with its figure.
    fn largest_areas(&self, measure: fn(&(u64, u64)) -> u64, show: fn(u64) -> String) -> String {
        let mut areas: Vec<_> = self.areas.iter().collect();
        areas.sort_by(|a, b| measure(b.1).cmp(&measure(a.1)).then_with(|| a.0.cmp(b.0)));
        let most: Vec<String> = (areas.iter().take(3))
            .map(|(area, figures)| format!("{area} {}", show(measure(figures))))
            .collect();
        most.join(", ")
    }

    /// One line for the end of `annals build`.
    pub fn summary(&self) -> String {
        let largest = match &self.largest {
            Some((path, bytes)) => format!("; largest {path} ({})", size(*bytes)),
            None => String::new(),
        };
        format!("{} files, {}{largest}", count(self.files), size(self.bytes))
    }
}

/// Every folder the files' folders lie in (the output itself not counted).
fn count_folders<'a>(folders: impl Iterator<Item = &'a str>) -> u64 {
    let mut all: std::collections::BTreeSet<&str> = std::collections::BTreeSet::new();
    for folder in folders {
        let mut path = folder;
        while !path.is_empty() && all.insert(path) {
            path = path.rsplit_once('/').map_or("", |(parent, _)| parent);
        }
    }
    all.len() as u64
}

/// `12,345`.
fn count(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// A limit as its host states it: `25 MiB`, `1.00 GB`.
fn limit_size(bytes: u64) -> String {
    match bytes % MIB {
        0 => format!("{} MiB", bytes / MIB),
        _ => size(bytes),
    }
}

/// `554.0 MB`.
pub(crate) fn size(bytes: u64) -> String {
    if bytes >= GB {
        format!("{:.2} GB", bytes as f64 / GB as f64)
    } else if bytes >= 1_000_000 {
        format!("{:.1} MB", bytes as f64 / 1e6)
    } else {
        format!("{:.1} kB", bytes as f64 / 1e3)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn origin() -> Diagnostic {
        Diagnostic::error("annals.yaml", "")
    }

    fn site(files: u64, file_size: u64) -> Footprint {
        let files = (0..files).map(|n| (format!("articles/a{n}/index.html"), file_size));
        Footprint::of(files.collect(), RedirectFile::default())
    }

    #[test]
    fn the_output_is_measured_by_files_folders_and_bytes() {
        let footprint = Footprint::of(
            vec![
                ("index.html".into(), 10),
                ("articles/a/index.html".into(), 30),
                ("articles/b/index.html".into(), 20),
                ("data/statements.json".into(), 100),
            ],
            RedirectFile::default(),
        );
        assert_eq!(
            (footprint.files, footprint.bytes, footprint.folders),
            (4, 160, 4)
        );
        assert_eq!(
            footprint.largest,
            Some(("data/statements.json".into(), 100))
        );
        assert_eq!(footprint.busiest, Some((String::new(), 1)));
        assert_eq!(
            footprint.summary(),
            "4 files, 0.2 kB; largest data/statements.json (0.1 kB)"
        );
    }

    #[test]
    fn each_limit_a_host_publishes_is_an_error_naming_the_figures() {
        assert!(
            site(20_000, 10)
                .check(Host::CloudflarePages, &origin())
                .is_empty()
        );
        let over = site(20_001, 10).check(Host::CloudflarePages, &origin());
        let message = &over.iter().next().expect("an error").message;
        assert!(
            message.contains("20,001 files, over its limit of 20,000"),
            "{message}"
        );
        assert!(
            site(20_001, 10)
                .check(Host::CloudflarePagesPaid, &origin())
                .is_empty()
        );
        // GitLab counts the folders too: 150,000 pages in as many folders.
        let gitlab = site(150_000, 10).check(Host::GitlabPages, &origin());
        assert_eq!(gitlab.error_count(), 1, "{gitlab}");
        let big = site(1, 26 * MIB).check(Host::CloudflarePages, &origin());
        assert!(
            big.iter()
                .any(|e| e.message.contains("`articles/a0/index.html` is")),
            "{big}"
        );
        assert!(
            site(40, 26 * MIB)
                .check(Host::GithubPages, &origin())
                .error_count()
                == 1
        );
        assert!(
            site(1_000_000, 26 * MIB)
                .check(Host::Any, &origin())
                .is_empty()
        );
    }

    #[test]
    fn netlify_counts_the_files_of_one_folder() {
        let files = (0..54_001).map(|n| (format!("flat/{n}.html"), 1)).collect();
        let errors = Footprint::of(files, RedirectFile::default()).check(Host::Netlify, &origin());
        let message = &errors.iter().next().expect("an error").message;
        assert!(message.contains("`flat/` holds 54,001 files"), "{message}");
    }

    #[test]
    fn redirect_rules_count_against_the_hosts_that_read_them() {
        let rules =
            |text: String| Footprint::of(vec![("_redirects".into(), 1)], RedirectFile::of(&text));
        let many = rules("/old/ /new/ 301\n".repeat(2_001));
        assert_eq!(
            many.check(Host::CloudflarePages, &origin()).error_count(),
            1
        );
        assert!(many.check(Host::GithubPages, &origin()).is_empty());
        // Cloudflare reads at most 100 rules with a splat or a placeholder,
        // and skips the rest, annals' own among them.
        let dynamic =
            rules("# the site's own\n/legacy/* /new/:splat 301\n/:lang/x/ /x/ 301\n".repeat(51));
        assert_eq!(
            (dynamic.redirects.rules, dynamic.redirects.dynamic),
            (102, 102)
        );
        let errors = dynamic.check(Host::CloudflarePages, &origin());
        assert_eq!(errors.error_count(), 1);
        assert!(
            format!("{errors:?}").contains("102 rules with a splat"),
            "{errors:?}"
        );
        // GitLab reads a file of at most 64 KiB.
        let long = rules(format!("/old/{} /new/ 301\n", "x".repeat(100)).repeat(700));
        let errors = long.check(Host::GitlabPages, &origin());
        assert_eq!(errors.error_count(), 1, "{errors:?}");
        assert!(
            format!("{errors:?}").contains("over its limit of 65,536 bytes"),
            "{errors:?}"
        );
    }

    #[test]
    fn counts_have_thousands_separators() {
        assert_eq!(count(0), "0");
        assert_eq!(count(999), "999");
        assert_eq!(count(20_000), "20,000");
        assert_eq!(count(1_234_567), "1,234,567");
    }
}
