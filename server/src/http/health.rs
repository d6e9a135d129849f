//! `/health`: 200 while the server can do its work, 503 when routing has stopped, with
//! what it knows in the body (for a load balancer, a supervisor, or a person).

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

use crate::routing::RoutingHandle;

pub async fn report(State(routing): State<RoutingHandle>) -> Response {
    let health = routing.health();
    let status = if health.alive { StatusCode::OK } else { StatusCode::SERVICE_UNAVAILABLE };
    let body = serde_json::json!({ "status": if health.alive { "ok" } else { "routing_stopped" }, "routing": health });
    (status, axum::Json(body)).into_response()
}
