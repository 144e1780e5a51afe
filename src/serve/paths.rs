//! Request paths the file service may see, and redirects it may send: never
//! one a browser would follow to another host.
//!
//! `ServeDir` redirects a directory requested without its trailing slash to
//! the request path plus `/`. Asked for `//evil.example` (a directory of that
//! name in the output), it would answer `Location: //evil.example/`, which a
//! browser reads as another host. So the path is made plain before the file
//! service sees it, and any redirect that still leaves is refused.

use axum::http::uri::PathAndQuery;
use axum::http::{HeaderValue, Uri};

/// The request as a plain path from the root: runs of `/` merged into one
/// (as static hosts do), the scheme and host of an absolute-form request
/// line dropped, the query kept. `None` for a path holding `\`, which
/// browsers read as `/` (so `/\host` names a host) and never send for an
/// http URL, or for a request target that is not a path (`*`).
pub(super) fn local_path(uri: &Uri) -> Option<PathAndQuery> {
    let path = uri.path();
    if !path.starts_with('/') || path.contains('\\') {
        return None;
    }
    let mut local = String::with_capacity(path.len());
    for c in path.chars() {
        if !(c == '/' && local.ends_with('/')) {
            local.push(c);
        }
    }
    if let Some(query) = uri.query() {
        local.push('?');
        local.push_str(query);
    }
    PathAndQuery::try_from(local).ok()
}

/// Whether a browser following `location` stays on this server: a path from
/// the root whose second character does not start a host (`//host`, or
/// `/\host` as browsers read it), with no character a browser drops or
/// rewrites before it parses (tabs, newlines, `\`).
pub(super) fn stays_here(location: &HeaderValue) -> bool {
    let bytes = location.as_bytes();
    bytes.first() == Some(&b'/')
        && bytes.get(1) != Some(&b'/')
        && !bytes.iter().any(|b| *b == b'\\' || b.is_ascii_control())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn local(target: &str) -> Option<String> {
        let uri: Uri = target.parse().expect("a request target");
        local_path(&uri).map(|path| path.to_string())
    }

    #[test]
    fn repeated_slashes_are_merged_wherever_they_are() {
        assert_eq!(local("//evil.example").as_deref(), Some("/evil.example"));
        assert_eq!(
            local("///evil.example/x").as_deref(),
            Some("/evil.example/x")
        );
        assert_eq!(local("/a//b///c/").as_deref(), Some("/a/b/c/"));
        assert_eq!(local("/").as_deref(), Some("/"));
        assert_eq!(
            local("/.//evil.example").as_deref(),
            Some("/./evil.example")
        );
    }

    #[test]
    fn the_query_is_kept_as_it_came() {
        assert_eq!(
            local("//articles//first?q=//evil.example").as_deref(),
            Some("/articles/first?q=//evil.example")
        );
    }

    #[test]
    fn an_absolute_form_request_keeps_only_its_path() {
        assert_eq!(
            local("http://evil.example//articles/first").as_deref(),
            Some("/articles/first")
        );
    }

    #[test]
    fn backslashes_and_non_paths_are_refused() {
        assert_eq!(local("/\\evil.example"), None);
        assert_eq!(local("/a/\\/evil.example"), None);
        assert_eq!(local("*"), None);
    }

    #[test]
    fn percent_encoded_slashes_stay_encoded() {
        // Encoded, they are a name to the browser, not a host.
        assert_eq!(
            local("/%2F%2Fevil.example").as_deref(),
            Some("/%2F%2Fevil.example")
        );
    }

    #[test]
    fn only_paths_from_this_server_s_root_stay_here() {
        for here in ["/", "/articles/first/", "/a?next=//b", "/%2F%2Fhost/"] {
            assert!(stays_here(&HeaderValue::from_static(here)), "{here}");
        }
        for elsewhere in [
            "//evil.example/",
            "/\\evil.example/",
            "/a\\b",
            "/\t/evil.example/",
            "http://evil.example/",
            "evil.example/",
            "",
        ] {
            let value = HeaderValue::from_str(elsewhere).expect("header value");
            assert!(!stays_here(&value), "{elsewhere:?}");
        }
    }
}
