//! Request bodies are capped per endpoint: a form or a server function's arguments are
//! small; only the hold music upload is large. A body declared larger than its cap is
//! answered 413 at once; one that grows past it while read is cut off there.

use axum::body::Body;
use axum::extract::Request;
use axum::http::{StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

/// The largest request body `path` takes, in bytes.
pub fn cap_of(path: &str) -> usize {
    match path {
        // Five minutes of 8 kHz 16-bit samples, and the file's name.
        "/api/admin/hold-music/upload" => 5 * 1024 * 1024,
        // Ticket notes and edits, CTI settings with their message: well under this.
        p if p.starts_with("/api/") => 256 * 1024,
        _ => 64 * 1024,
    }
}

pub async fn cap(request: Request, next: Next) -> Response {
    let cap = cap_of(request.uri().path());
    let declared = request
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok());
    if declared.is_some_and(|n| n > cap as u64) {
        let message = format!("the request body is larger than this endpoint takes ({cap} bytes)");
        return (StatusCode::PAYLOAD_TOO_LARGE, message).into_response();
    }
    next.run(request.map(|body| Body::new(http_body_util::Limited::new(body, cap)))).await
}

#[cfg(test)]
mod tests {
    #[test]
    fn only_the_upload_takes_megabytes() {
        assert_eq!(super::cap_of("/api/admin/hold-music/upload"), 5 * 1024 * 1024);
        assert_eq!(super::cap_of("/api/tickets/update"), 256 * 1024);
        assert_eq!(super::cap_of("/login"), 64 * 1024);
    }
}
