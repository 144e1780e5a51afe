//! `host:` and `--host`: a build that would not fit its host fails with the
//! figures and the limit, and leaves the output as it was.

use std::path::Path;
use std::process::{Command, Output};

use crate::process::{fixture_copy, path_str, tree};

fn build(site: &Path, extra: &[&str]) -> Output {
    let output = site.join("public");
    let mut args = vec![
        "build",
        "--root",
        path_str(site),
        "--output",
        path_str(&output),
    ];
    args.extend(extra);
    Command::new(env!("CARGO_BIN_EXE_annals"))
        .args(&args)
        .output()
        .expect("run annals build")
}

/// The fixture site with a 26 MiB file and 2,001 redirect rules in static/:
/// over Cloudflare Pages' limits of 25 MiB a file and 2,000 rules, under
/// GitHub Pages'.
fn oversized_site() -> tempfile::TempDir {
    let site = fixture_copy("site");
    let first = build(site.path(), &[]);
    assert!(first.status.success(), "{first:?}");
    let big = vec![b'x'; 26 << 20];
    std::fs::write(site.path().join("static/recording.wav"), big).expect("a large file");
    let rules: String = (0..2_001)
        .map(|n| format!("/old/{n}/ /timeline/ 301\n"))
        .collect();
    std::fs::write(site.path().join("static/_redirects"), rules).expect("_redirects");
    site
}

#[test]
fn a_build_over_the_hosts_limits_fails_with_the_figures_and_changes_nothing() {
    let site = oversized_site();
    let before = tree(&site.path().join("public"));
    let failed = build(site.path(), &["--host", "cloudflare-pages"]);
    let stderr = String::from_utf8_lossy(&failed.stderr);
    assert_eq!(failed.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("the site does not fit Cloudflare Pages (free plan): `recording.wav` is 27.3 MB (27,262,976 bytes), over its limit of 25 MiB (26,214,400 bytes) per file"),
        "{stderr}"
    );
    assert!(
        stderr.contains("`_redirects` has 2,001 rules, over its limit of 2,000"),
        "{stderr}"
    );
    assert!(stderr.contains("--> --host cloudflare-pages"), "{stderr}");
    assert_eq!(
        tree(&site.path().join("public")),
        before,
        "the output is as it was"
    );
    let leftovers: Vec<_> = std::fs::read_dir(site.path())
        .expect("the site")
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|name| name.contains("staging"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
    // GitHub Pages takes files up to 100 MiB and reads no `_redirects`.
    let fits = build(site.path(), &["--host", "github-pages"]);
    assert!(fits.status.success(), "{fits:?}");
}

#[test]
fn host_in_annals_yaml_is_named_at_its_line() {
    let site = oversized_site();
    let config = site.path().join("annals.yaml");
    let text = std::fs::read_to_string(&config).expect("annals.yaml");
    std::fs::write(&config, format!("{text}host: cloudflare-pages-paid\n")).expect("annals.yaml");
    let failed = build(site.path(), &[]);
    let stderr = String::from_utf8_lossy(&failed.stderr);
    assert_eq!(failed.status.code(), Some(1), "{stderr}");
    let line = text.lines().count() + 1;
    assert!(stderr.contains(&format!("annals.yaml:{line}")), "{stderr}");
    assert!(stderr.contains("Cloudflare Pages (paid plans)"), "{stderr}");
    // The command line wins over the file.
    assert!(build(site.path(), &["--host", "any"]).status.success());
    std::fs::write(&config, format!("{text}host: geocities\n")).expect("annals.yaml");
    let unknown = build(site.path(), &[]);
    let stderr = String::from_utf8_lossy(&unknown.stderr);
    assert!(
        stderr.contains("unknown variant `geocities`") && stderr.contains("github-pages"),
        "{stderr}"
    );
}

#[test]
fn every_build_ends_with_the_outputs_files_size_and_largest_file() {
    let site = fixture_copy("site");
    let built = build(site.path(), &[]);
    let stdout = String::from_utf8_lossy(&built.stdout);
    let files = tree(&site.path().join("public")).len();
    assert!(
        stdout.contains(&format!("the output: {files} files, ")),
        "{stdout}"
    );
    assert!(stdout.contains("; largest "), "{stdout}");
}

/// Cloudflare Pages and Netlify serve a site at the root of its address:
/// a base_url with a path would make every link of every page lead nowhere.
#[test]
fn a_host_serving_from_the_root_refuses_a_base_url_with_a_path() {
    let site = fixture_copy("site");
    for host in ["netlify", "cloudflare-pages"] {
        let failed = build(site.path(), &["--host", host]);
        let stderr = String::from_utf8_lossy(&failed.stderr);
        assert_eq!(failed.status.code(), Some(1), "{stderr}");
        assert!(
            stderr.contains(
                "base_url `https://example.org/archive/` puts every page under `/archive/`"
            ),
            "{stderr}"
        );
        let at_root = build(
            site.path(),
            &["--host", host, "--base-url", "https://archive.example.org/"],
        );
        assert!(at_root.status.success(), "{at_root:?}");
    }
    // `check`, which a pull request runs before anything is published, says
    // so too: the host is annals.yaml's, the error at its line.
    let config = site.path().join("annals.yaml");
    let text = std::fs::read_to_string(&config).expect("read annals.yaml");
    std::fs::write(&config, format!("{text}host: netlify\n")).expect("write annals.yaml");
    let checked = Command::new(env!("CARGO_BIN_EXE_annals"))
        .args(["check", "--root", path_str(site.path())])
        .output()
        .expect("run annals check");
    let stderr = String::from_utf8_lossy(&checked.stderr);
    assert_eq!(checked.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("the site does not fit Netlify"), "{stderr}");
    assert!(stderr.contains("annals.yaml:"), "{stderr}");
}
