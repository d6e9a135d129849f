//! The session layer. It attaches the signed-in user to each request and turns away
//! anonymous callers from everything but the login page, static files and the
//! telephony simulator (which plays the telephone network, not a user).

use app::api::{SESSION_COOKIE, cookie};
use app::error::AppError;
use axum::extract::{Request, State};
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};

use crate::store::auth::SessionRules;
use crate::store::{Store, now_ms};

/// Paths anyone may reach.
fn is_public(path: &str) -> bool {
    path == "/login"
        || path == "/api/login"
        || path == "/health"
        || path == "/favicon.svg"
        || path.starts_with("/pkg/")
        || path.starts_with("/sim/")
}

/// Paths answered with data rather than a page: an anonymous caller gets 401, not a
/// redirect.
fn is_data(path: &str) -> bool {
    path.starts_with("/api/") || path == "/events" || path == "/board/events" || path.starts_with("/export/")
}

/// The store and how long its sessions last.
#[derive(Clone)]
pub struct Sessions {
    pub store: Store,
    pub rules: SessionRules,
}

pub async fn authenticate(State(Sessions { store, rules }): State<Sessions>, mut req: Request, next: Next) -> Response {
    let path = req.uri().path().to_owned();
    if path.starts_with("/pkg/") || path.starts_with("/sim/") {
        return next.run(req).await;
    }
    let user = match cookie(req.headers(), SESSION_COOKIE) {
        Some(token) => match store.session_user(token, now_ms(), &rules).await {
            Ok(user) => user,
            Err(e) => {
                tracing::error!(error = %e, "session lookup failed");
                return (StatusCode::SERVICE_UNAVAILABLE, "the session store is unavailable").into_response();
            }
        },
        None => None,
    };
    match user {
        Some(user) => {
            if path == "/login" {
                return Redirect::to("/").into_response();
            }
            req.extensions_mut().insert(user);
            next.run(req).await
        }
        None if is_public(&path) => next.run(req).await,
        None if is_data(&path) => super::refusal(AppError::Unauthorized),
        None => Redirect::to("/login").into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::{HeaderMap, header};

    #[test]
    fn finds_the_session_cookie_among_others() {
        let mut h = HeaderMap::new();
        h.insert(header::COOKIE, "a=1; ringdesk_session=abc; b=2".parse().unwrap());
        assert_eq!(cookie(&h, SESSION_COOKIE), Some("abc"));
        assert_eq!(cookie(&h, "c"), None);
    }

    #[test]
    fn only_the_login_page_static_files_and_simulator_are_public() {
        for p in ["/login", "/api/login", "/pkg/ringdesk.wasm", "/sim/calls"] {
            assert!(is_public(p), "{p}");
        }
        for p in ["/", "/tickets/1", "/api/phone/act", "/events", "/board", "/board/events"] {
            assert!(!is_public(p), "{p}");
        }
    }
}
