//! The addresses the preview is announced at and its pages link to, and the
//! warning given before it is shared on a network.
//!
//! Listening on `0.0.0.0` or `::` means "every address of this machine",
//! which no browser can open: the build's `base_url` (canonical links, feeds,
//! JSON-LD) must name an address the machine really has.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::time::Duration;

/// How long to wait for this machine to answer a connection to itself;
/// it answers at once, or the address is not one it listens on.
const SELF_CONNECT_TIMEOUT: Duration = Duration::from_secs(2);

/// Where browsers reach a server that listens on some address.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Reachable {
    /// The address pages link to.
    pub site: SocketAddr,
    /// The loopback address, when `site` is another one.
    pub local: Option<SocketAddr>,
}

/// Where browsers reach the server bound to `bound`. For an unspecified
/// address: a network address of this machine, else loopback.
pub(super) async fn reachable(bound: SocketAddr) -> Reachable {
    if !bound.ip().is_unspecified() {
        return Reachable {
            site: bound,
            local: None,
        };
    }
    let port = bound.port();
    let loopback = [
        IpAddr::V4(Ipv4Addr::LOCALHOST),
        IpAddr::V6(Ipv6Addr::LOCALHOST),
    ];
    let local = answering(loopback, port)
        .await
        .unwrap_or(SocketAddr::new(loopback[0], port));
    match answering(network_addresses(), port).await {
        Some(site) => Reachable {
            site,
            local: Some(local),
        },
        None => {
            eprintln!(
                "warning: found no network address of this machine; pages link to http://{local}/"
            );
            Reachable {
                site: local,
                local: None,
            }
        }
    }
}

/// The warning for listening on `bind`, unless it is a loopback address.
pub(super) fn sharing_warning(bind: IpAddr) -> Option<String> {
    (!bind.to_canonical().is_loopback()).then(|| {
        format!(
            "warning: --bind {bind} lets anyone who can reach this machine read the preview, \
             drafts and unpublished edits included: it has no password; use --bind 127.0.0.1 \
             (the default) to keep it to this machine"
        )
    })
}

/// This machine's addresses that other machines can use: not loopback, nor
/// link-local (a URL would need its zone), on interfaces that are running.
/// IPv4 first: more networks route it.
fn network_addresses() -> Vec<IpAddr> {
    let mut addresses: Vec<IpAddr> = if_addrs::get_if_addrs()
        .unwrap_or_default()
        .into_iter()
        .filter(|interface| {
            interface.is_oper_up() && !interface.is_loopback() && !interface.is_link_local()
        })
        .map(|interface| interface.ip())
        .collect();
    addresses.sort_by_key(IpAddr::is_ipv6);
    addresses
}

/// The first of `candidates` at which this server answers. Whether a socket
/// on `::` also takes IPv4 connections differs between systems (and their
/// settings), so asking is the one sure test.
async fn answering(candidates: impl IntoIterator<Item = IpAddr>, port: u16) -> Option<SocketAddr> {
    for ip in candidates {
        let address = SocketAddr::new(ip, port);
        let connect = tokio::net::TcpStream::connect(address);
        if let Ok(Ok(_)) = tokio::time::timeout(SELF_CONNECT_TIMEOUT, connect).await {
            return Some(address);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_loopback_addresses_go_without_a_warning() {
        for quiet in ["127.0.0.1", "127.0.0.2", "::1", "::ffff:127.0.0.1"] {
            let ip: IpAddr = quiet.parse().expect("address");
            assert_eq!(sharing_warning(ip), None, "{quiet}");
        }
        for shared in ["0.0.0.0", "::", "192.0.2.1", "fd00::2"] {
            let ip: IpAddr = shared.parse().expect("address");
            let warning = sharing_warning(ip).unwrap_or_default();
            assert!(warning.contains(&format!("--bind {shared} ")), "{warning}");
        }
    }

    #[tokio::test]
    async fn a_specific_address_is_announced_as_it_is() {
        let bound: SocketAddr = "192.0.2.1:1111".parse().expect("address");
        assert_eq!(
            reachable(bound).await,
            Reachable {
                site: bound,
                local: None
            }
        );
    }

    #[tokio::test]
    async fn an_unspecified_address_is_announced_at_one_that_answers() {
        let listener = tokio::net::TcpListener::bind("0.0.0.0:0")
            .await
            .expect("bind a free port");
        let bound = listener.local_addr().expect("bound address");
        let reachable = reachable(bound).await;
        assert!(!reachable.site.ip().is_unspecified(), "{reachable:?}");
        assert_eq!(reachable.site.port(), bound.port());
        if let Some(local) = reachable.local {
            assert_eq!(local, SocketAddr::from((Ipv4Addr::LOCALHOST, bound.port())));
            assert!(!reachable.site.ip().is_loopback());
        }
    }
}
