//! A server function whose arguments cannot be read (missing, ill-typed, a body cut off
//! at its cap) is answered 500 by server_fn itself, which cannot tell whose mistake it
//! is. It is the caller's: such answers become 400 (an unknown function's 404), with the
//! same translated error in the body. Errors the app raises already carry their status.

use app::error::AppError;
use axum::body::Body;
use axum::extract::Request;
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

/// An error answer is a few bytes of postcard; anything longer is not one of these.
const ERROR_BODY_MAX: usize = 64 * 1024;

pub async fn callers_own(request: Request, next: Next) -> Response {
    let server_fn = request.uri().path().starts_with("/api/");
    let response = next.run(request).await;
    if !server_fn || response.status() != StatusCode::INTERNAL_SERVER_ERROR {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, ERROR_BODY_MAX).await else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    if let Ok(error) = postcard::from_bytes::<AppError>(&bytes)
        && let Ok(status) = StatusCode::from_u16(error.http_status())
    {
        parts.status = status;
    }
    Response::from_parts(parts, Body::from(bytes))
}
