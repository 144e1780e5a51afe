//! `relative_urls: true`: every link inside the site written relative to the
//! page holding it, with `index.html` spelled out, so the output works opened
//! from disk (`file://`) and copied under any path of any host.

/// `html` of the page at `page_url` with each attribute value starting with
/// the site's `root` path (`href="/archive/people/x/"`) made relative
/// (`href="../people/x/index.html"`).
pub(super) fn rewrite(html: &str, root: &str, page_url: &str) -> String {
    let up = "../".repeat(depth(root, page_url));
    let marker = format!("=\"{root}");
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(at) = rest.find(&marker) {
        let before = &rest[..at];
        // Links name files (`index.html` for a directory, as file:// needs);
        // other values, such as the search page's `data-root`, a directory.
        let is_link = ["href", "src", "action"]
            .iter()
            .any(|a| before.ends_with(a));
        out.push_str(&rest[..at + 2]);
        rest = &rest[at + marker.len()..];
        let end = rest.find('"').unwrap_or(rest.len());
        out.push_str(&relative(&up, &rest[..end], is_link));
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

/// `target` (a URL path under `root`) as a link from the page at
/// `page_url`: for what `rewrite` cannot find, such as a refresh's URL.
pub(super) fn link(root: &str, page_url: &str, target: &str) -> String {
    let up = "../".repeat(depth(root, page_url));
    relative(&up, target.strip_prefix(root).unwrap_or(target), true)
}

/// Directories between the root and the page: 2 for `/root/people/x/`.
fn depth(root: &str, page_url: &str) -> usize {
    let inside = page_url.strip_prefix(root).unwrap_or_default();
    inside.matches('/').count()
}

/// `target` (a path below the root) as seen from `up` levels below it.
fn relative(up: &str, target: &str, is_link: bool) -> String {
    let split = target.find(['#', '?']).unwrap_or(target.len());
    let (path, suffix) = target.split_at(split);
    let index = if is_link && (path.is_empty() || path.ends_with('/')) {
        "index.html"
    } else {
        ""
    };
    let from = if up.is_empty() { "./" } else { up };
    format!("{from}{path}{index}{suffix}")
}

#[cfg(test)]
mod tests {
    use super::{link, rewrite};

    #[test]
    fn a_link_from_an_old_address_is_relative_to_where_it_was() {
        assert_eq!(
            link("/a/", "/a/articles/old/", "/a/articles/new/"),
            "../../articles/new/index.html"
        );
        assert_eq!(
            link("/a/", "/a/2020/alpha.html", "/a/articles/alpha/"),
            "../articles/alpha/index.html"
        );
    }

    #[test]
    fn links_become_relative_to_the_page() {
        let html = r##"<a href="/a/">home</a> <a href="/a/people/x/#s">x</a> <link href="/a/style.css"> <a href="https://e.org/a/">out</a> <a href="#top">top</a>"##;
        assert_eq!(
            rewrite(html, "/a/", "/a/people/y/"),
            r##"<a href="../../index.html">home</a> <a href="../../people/x/index.html#s">x</a> <link href="../../style.css"> <a href="https://e.org/a/">out</a> <a href="#top">top</a>"##
        );
        assert_eq!(
            rewrite(r#"<a href="/timeline/">t</a>"#, "/", "/"),
            r#"<a href="./timeline/index.html">t</a>"#
        );
        assert_eq!(
            rewrite(r#"<form data-root="/a/">"#, "/a/", "/a/search/"),
            r#"<form data-root="../">"#
        );
    }
}
