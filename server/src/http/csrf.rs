//! Server functions carry no CSRF token, so a state-changing request must come from a
//! page of ours: the browser's `Sec-Fetch-Site` (or, lacking it, `Origin`) must name
//! this site. Clients that are not browsers send neither and are let through; the
//! session cookie is SameSite=Strict besides.

use axum::extract::Request;
use axum::http::{Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

pub async fn same_origin_only(req: Request, next: Next) -> Response {
    if req.method() == Method::GET || req.method() == Method::HEAD || !req.uri().path().starts_with("/api/") {
        return next.run(req).await;
    }
    let headers = req.headers();
    let site = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok());
    let allowed = match site {
        Some(site) => site == "same-origin" || site == "none",
        None => match (headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()), headers.get(header::HOST)) {
            (Some(origin), Some(host)) => {
                let host = host.to_str().unwrap_or_default();
                origin.strip_prefix("http://").or_else(|| origin.strip_prefix("https://")) == Some(host)
            }
            _ => true,
        },
    };
    if allowed { next.run(req).await } else { (StatusCode::FORBIDDEN, "cross-site request refused").into_response() }
}
