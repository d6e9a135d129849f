//! Who is calling a server function, from the session the server's auth layer attached
//! to the request (never from anything the browser sends as an argument).

use axum::http::request::Parts;
use leptos::prelude::use_context;

use crate::error::AppError;
use crate::model::SessionInfo;

/// The signed-in user of this request, if any.
pub fn session_info() -> Option<SessionInfo> {
    use_context::<Parts>().and_then(|p| p.extensions.get::<SessionInfo>().cloned())
}

pub fn require_user() -> Result<SessionInfo, AppError> {
    session_info().ok_or(AppError::Unauthorized)
}

/// The signed-in user, who must hold the phone permission now.
pub fn require_agent() -> Result<SessionInfo, AppError> {
    let user = require_user()?;
    if !user.phone_permission {
        return Err(AppError::NoPhonePermission);
    }
    Ok(user)
}

/// The signed-in user, for the functions of a live phone (view, act, answer, end a
/// call, dial). Routing says whether they are an agent: it knows the agents, including
/// one whose permission was just taken away and who still finishes their call.
pub fn require_phone_user() -> Result<SessionInfo, AppError> {
    require_user()
}

/// The signed-in user, who must hold one of `roles`.
pub fn require_role(roles: &[crate::model::Role]) -> Result<SessionInfo, AppError> {
    let user = require_user()?;
    if !roles.contains(&user.role) {
        return Err(AppError::Forbidden);
    }
    Ok(user)
}

/// Where the request comes from: the peer's address, or, when the peer is this host (a
/// reverse proxy in front of ringdesk), the address the proxy names last in
/// `X-Forwarded-For`. A remote peer's own `X-Forwarded-For` is never believed.
pub fn client_address() -> Option<std::net::IpAddr> {
    let parts = use_context::<Parts>()?;
    let peer = parts.extensions.get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()?.0.ip();
    if !peer.is_loopback() {
        return Some(peer);
    }
    let forwarded = parts
        .headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .filter_map(|a| a.trim().parse().ok())
        .next_back();
    Some(forwarded.unwrap_or(peer))
}

/// Whether this request came over HTTPS: served so by ringdesk itself, or by a reverse
/// proxy on this host that says so (`X-Forwarded-Proto: https`).
pub fn over_https() -> bool {
    if use_context::<crate::model::Https>().is_some_and(|h| h.0) {
        return true;
    }
    let Some(parts) = use_context::<Parts>() else { return false };
    let local = parts
        .extensions
        .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
        .is_some_and(|c| c.0.ip().is_loopback());
    local && parts.headers.get("x-forwarded-proto").and_then(|v| v.to_str().ok()) == Some("https")
}

/// The raw session token of this request, to end it.
pub fn session_token() -> Option<String> {
    let parts = use_context::<Parts>()?;
    cookie(&parts.headers, super::SESSION_COOKIE).map(str::to_owned)
}

/// The value of cookie `name` among a request's headers.
pub fn cookie<'a>(headers: &'a axum::http::HeaderMap, name: &str) -> Option<&'a str> {
    headers.get_all(axum::http::header::COOKIE).iter().filter_map(|v| v.to_str().ok()).find_map(|cookies| {
        cookies.split(';').find_map(|c| {
            let (k, v) = c.trim().split_once('=')?;
            (k == name).then_some(v)
        })
    })
}
