//! The address a request comes from, for throttling and logs.
//!
//! Behind a reverse proxy every request arrives from the proxy, and the client's address is in
//! `X-Forwarded-For` or `Forwarded` (RFC 7239). Those headers are believed only when the
//! socket peer is a configured trusted proxy: otherwise any client could name an address of
//! its choice and escape its throttle. The chain is read from the right, skipping trusted
//! proxies, so a client that writes its own header in front of the proxy's changes nothing.

use std::net::IpAddr;

use actix_web::HttpRequest;
use ipnet::IpNet;

/// The client address of a request, as an extractor.
pub struct ClientIp(pub IpAddr);

impl actix_web::FromRequest for ClientIp {
    type Error = actix_web::Error;
    type Future = std::future::Ready<Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, _: &mut actix_web::dev::Payload) -> Self::Future {
        let trusted = req
            .app_data::<actix_web::web::Data<crate::state::AppState>>()
            .map(|state| state.settings.trusted_proxies.as_slice())
            .unwrap_or_default();
        std::future::ready(Ok(ClientIp(of(req, trusted))))
    }
}

/// The client address of `req`.
pub fn of(req: &HttpRequest, trusted: &[IpNet]) -> IpAddr {
    let peer = req
        .peer_addr()
        .map_or(IpAddr::from([0, 0, 0, 0]), |a| a.ip());
    let header = |name: &str| {
        req.headers()
            .get_all(name)
            .filter_map(|v| v.to_str().ok())
            .collect::<Vec<_>>()
            .join(",")
    };
    resolve(
        peer,
        &header("forwarded"),
        &header("x-forwarded-for"),
        trusted,
    )
}

/// The first hop from the right that is not a trusted proxy.
pub fn resolve(peer: IpAddr, forwarded: &str, x_forwarded_for: &str, trusted: &[IpNet]) -> IpAddr {
    let is_trusted = |ip: &IpAddr| trusted.iter().any(|net| net.contains(ip));
    if !is_trusted(&peer) {
        return peer;
    }
    let hops: Vec<&str> = if !forwarded.trim().is_empty() {
        forwarded.split(',').filter_map(forwarded_for).collect()
    } else {
        x_forwarded_for.split(',').map(str::trim).collect()
    };
    let mut client = peer;
    for hop in hops.iter().rev() {
        match parse_hop(hop) {
            Some(ip) => {
                client = ip;
                if !is_trusted(&ip) {
                    break;
                }
            }
            // "unknown", an obfuscated name or garbage: nothing further left is reliable.
            None => break,
        }
    }
    client
}

/// The `for=` value of one `Forwarded` element.
fn forwarded_for(element: &str) -> Option<&str> {
    element.split(';').find_map(|pair| {
        let (name, value) = pair.trim().split_once('=')?;
        name.trim()
            .eq_ignore_ascii_case("for")
            .then(|| value.trim().trim_matches('"'))
    })
}

/// An address with an optional port: `203.0.113.7`, `203.0.113.7:4711`, `[2001:db8::1]:4711`,
/// `2001:db8::1`.
fn parse_hop(hop: &str) -> Option<IpAddr> {
    let hop = hop.trim();
    if let Ok(ip) = hop.parse() {
        return Some(ip);
    }
    if let Some(rest) = hop.strip_prefix('[') {
        return rest.split(']').next()?.parse().ok();
    }
    hop.rsplit_once(':')?.0.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    fn proxies() -> Vec<IpNet> {
        vec![
            "10.0.0.0/8".parse().unwrap(),
            "127.0.0.1/32".parse().unwrap(),
        ]
    }

    #[test]
    fn an_untrusted_peer_is_the_client_whatever_it_claims() {
        let client = resolve(ip("198.51.100.9"), "for=1.2.3.4", "1.2.3.4", &proxies());
        assert_eq!(client, ip("198.51.100.9"));
    }

    #[test]
    fn behind_trusted_proxies_the_rightmost_untrusted_hop_is_the_client() {
        let trusted = proxies();
        // The client forged "6.6.6.6" in front; the proxies appended what they saw.
        let client = resolve(
            ip("10.0.0.2"),
            "",
            "6.6.6.6, 203.0.113.7, 10.0.0.1",
            &trusted,
        );
        assert_eq!(client, ip("203.0.113.7"));
        let client = resolve(
            ip("127.0.0.1"),
            r#"for=6.6.6.6, for="[2001:db8::7]:4711";proto=https, for=10.0.0.1"#,
            "ignored",
            &trusted,
        );
        assert_eq!(client, ip("2001:db8::7"));
        let client = resolve(ip("127.0.0.1"), "for=203.0.113.8:47011", "", &trusted);
        assert_eq!(client, ip("203.0.113.8"));
    }

    #[test]
    fn an_unreadable_hop_stops_the_walk_at_the_last_known_one() {
        let client = resolve(ip("127.0.0.1"), "", "203.0.113.7, unknown", &proxies());
        assert_eq!(client, ip("127.0.0.1"));
        let client = resolve(ip("127.0.0.1"), "", "", &proxies());
        assert_eq!(client, ip("127.0.0.1"));
    }
}
