//! Who may use the simulator's API. `/sim` puts calls into tenants' queues, so it is no
//! public endpoint: it answers requests from this host, or bearing the token set in
//! `RINGDESK_SIM_TOKEN`. A request a reverse proxy forwarded comes from loopback too,
//! but says so in its headers: it needs the token.

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;

use axum::extract::{ConnectInfo, Request, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

/// Whether a request from `peer` may use `/sim`.
pub fn may_use(peer: Option<IpAddr>, headers: &HeaderMap, token: Option<&str>) -> bool {
    let forwarded = ["forwarded", "x-forwarded-for", "x-real-ip"].iter().any(|h| headers.contains_key(*h));
    if peer.is_some_and(|p| p.is_loopback()) && !forwarded {
        return true;
    }
    let bearer =
        headers.get(header::AUTHORIZATION).and_then(|v| v.to_str().ok()).and_then(|v| v.strip_prefix("Bearer "));
    match (token, bearer) {
        (Some(token), Some(given)) => subtle::ConstantTimeEq::ct_eq(token.as_bytes(), given.trim().as_bytes()).into(),
        _ => false,
    }
}

/// The middleware in front of `/sim`.
pub async fn guard(State(token): State<Option<Arc<str>>>, request: Request, next: Next) -> Response {
    let peer = request.extensions().get::<ConnectInfo<SocketAddr>>().map(|c| c.0.ip());
    if may_use(peer, request.headers(), token.as_deref()) {
        return next.run(request).await;
    }
    let body = serde_json::json!({
        "error": "forbidden",
        "message": "the simulator answers this host only, or a request with Authorization: Bearer <RINGDESK_SIM_TOKEN>",
    });
    (StatusCode::FORBIDDEN, axum::Json(body)).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.insert(*k, v.parse().unwrap());
        }
        h
    }

    #[test]
    fn loopback_is_let_in_unless_a_proxy_forwarded_it() {
        let local = Some("127.0.0.1".parse().unwrap());
        assert!(may_use(local, &headers(&[]), None));
        assert!(may_use(Some("::1".parse().unwrap()), &headers(&[]), None));
        assert!(!may_use(local, &headers(&[("x-forwarded-for", "203.0.113.7")]), None));
        assert!(!may_use(local, &headers(&[("forwarded", "for=203.0.113.7")]), None));
    }

    #[test]
    fn elsewhere_needs_the_token_exactly() {
        let far = Some("203.0.113.7".parse().unwrap());
        assert!(!may_use(far, &headers(&[]), None));
        assert!(!may_use(far, &headers(&[]), Some("s3cret")));
        assert!(!may_use(far, &headers(&[("authorization", "Bearer s3cre")]), Some("s3cret")));
        assert!(!may_use(far, &headers(&[("authorization", "Bearer s3cret")]), None));
        assert!(may_use(far, &headers(&[("authorization", "Bearer s3cret")]), Some("s3cret")));
        assert!(may_use(None, &headers(&[("authorization", "Bearer s3cret")]), Some("s3cret")));
    }
}
