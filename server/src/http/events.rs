//! `GET /events`: the signed-in agent's live stream (Server-Sent Events). It opens with
//! the agent's current phone view and sends each new one as it happens.

use std::convert::Infallible;
use std::time::Duration;

use app::model::{PushEvent, SessionInfo};
use axum::Extension;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use futures::stream;

use crate::push::Hub;
use crate::store::now_ms;

pub async fn stream(State(hub): State<Hub>, Extension(user): Extension<SessionInfo>) -> Response {
    let Some(rx) = hub.subscribe(user.user_id) else {
        return (StatusCode::FORBIDDEN, axum::Json(app::error::AppError::NoPhonePermission)).into_response();
    };
    let closed = hub.closed();
    let events = stream::unfold((rx, true), |(mut rx, first)| async move {
        if !first {
            rx.changed().await.ok()?;
        }
        let mut view = rx.borrow_and_update().clone();
        view.server_now_ms = now_ms();
        let data = serde_json::to_string(&PushEvent::Agent(view)).unwrap_or_default();
        Some((Ok::<_, Infallible>(Event::default().data(data)), (rx, false)))
    });
    let events = futures::StreamExt::take_until(events, closed);
    Sse::new(events).keep_alive(KeepAlive::new().interval(Duration::from_secs(15))).into_response()
}
