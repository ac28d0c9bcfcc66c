//! The client's address, for throttling and rate limits: the connection's peer, or, when
//! the peer is a trusted proxy, the last untrusted address in `X-Forwarded-For`.

use std::future::{ready, Ready};
use std::net::IpAddr;

use actix_web::{dev::Payload, web, FromRequest, HttpRequest};

use crate::web::error::AppError;
use crate::web::state::AppState;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientAddr(pub String);

pub fn resolve(peer: Option<IpAddr>, forwarded_for: Option<&str>, trusted: &[IpAddr]) -> String {
    let Some(peer) = peer else {
        return "unknown".into();
    };
    if !trusted.contains(&peer) {
        return peer.to_string();
    }
    let hops = forwarded_for
        .unwrap_or("")
        .split(',')
        .filter_map(|hop| hop.trim().parse::<IpAddr>().ok());
    // Walk from the nearest hop outwards; the first address we do not trust is the client.
    hops.rev()
        .find(|ip| !trusted.contains(ip))
        .unwrap_or(peer)
        .to_string()
}

impl FromRequest for ClientAddr {
    type Error = AppError;
    type Future = Ready<Result<ClientAddr, AppError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let trusted = req
            .app_data::<web::Data<AppState>>()
            .map(|s| s.settings.server.trusted_proxies.clone())
            .unwrap_or_default();
        let forwarded = req
            .headers()
            .get("X-Forwarded-For")
            .and_then(|v| v.to_str().ok());
        let peer = req.peer_addr().map(|a| a.ip());
        ready(Ok(ClientAddr(resolve(peer, forwarded, &trusted))))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn untrusted_peer_is_the_client_whatever_the_header_says() {
        assert_eq!(
            resolve(Some(ip("203.0.113.9")), Some("1.2.3.4"), &[]),
            "203.0.113.9"
        );
    }

    #[test]
    fn trusted_proxy_passes_on_the_last_untrusted_hop() {
        let trusted = [ip("10.0.0.1"), ip("10.0.0.2")];
        assert_eq!(
            resolve(
                Some(ip("10.0.0.1")),
                Some("6.6.6.6, 198.51.100.7, 10.0.0.2"),
                &trusted
            ),
            "198.51.100.7"
        );
        assert_eq!(resolve(Some(ip("10.0.0.1")), None, &trusted), "10.0.0.1");
    }
}
