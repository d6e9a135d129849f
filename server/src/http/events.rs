//! `GET /events`: the signed-in agent's live stream (Server-Sent Events). It opens with
//! the agent's current phone view and their service's waiting count, and sends each new
//! one as it happens.

use std::convert::Infallible;
use std::time::Duration;

use app::model::{PushEvent, SessionInfo};
use axum::Extension;
use axum::extract::State;
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use futures::stream;
use tokio::sync::{broadcast, watch};
use tokio::time::Instant;

use crate::push::{Hub, Published};
use crate::routing::RoutingHandle;
use crate::store::now_ms;

/// What the stream needs: the published views, and routing, told while a widget is open.
#[derive(Clone)]
pub struct Streams {
    pub hub: Hub,
    pub routing: RoutingHandle,
    /// An open stream keeps its session in use (an agent waiting for calls is not idle).
    pub store: crate::store::Store,
}

/// An open stream's session is marked in use this often.
const SESSION_IN_USE: Duration = Duration::from_secs(60);

/// Routing knows an agent's widget is open while this lives (it lives as long as the
/// stream): an agent with none open is away after a while (CTI設定).
struct WidgetOpen {
    routing: RoutingHandle,
    user: app::model::UserId,
}

impl Drop for WidgetOpen {
    fn drop(&mut self) {
        let (routing, user) = (self.routing.clone(), self.user);
        tokio::spawn(async move { routing.widget(user, false).await });
    }
}

/// The waiting count goes to a browser at most this often. In a busy service it changes
/// with every call; a person reads it at a glance, and a floor of a thousand agents at
/// a hundred calls a second would otherwise get hundreds of thousands of events a second.
/// A change after a quiet spell is sent at once.
const WAITING_PACE: Duration = Duration::from_millis(250);

/// A comment goes down an idle stream this often. Besides keeping proxies from closing
/// it, it is how a closed browser is noticed (a write fails): presence is known within
/// this time plus the tenant's 離席とみなすまで.
pub(super) const KEEP_ALIVE: Duration = Duration::from_secs(5);

/// The stream's end: the server stops, or its session is ended.
pub(super) fn ends(
    hub: &Hub,
    session_gone: tokio_util::sync::CancellationToken,
) -> impl std::future::Future<Output = ()> + Send + 'static {
    let either = futures::future::select(Box::pin(hub.closed()), Box::pin(session_gone.cancelled_owned()));
    async move {
        either.await;
    }
}

pub async fn stream(
    State(Streams { hub, routing, store }): State<Streams>,
    Extension(user): Extension<SessionInfo>,
    headers: axum::http::HeaderMap,
) -> Response {
    let view = match hub.subscribe(user.user_id) {
        Some(view) => Some(view),
        // In a cluster the agent may be routed on another instance, not heard of here
        // yet: their phone as it is now, then what follows.
        None => {
            routing.snapshot(user.user_id).await.into_iter().for_each(|tell| hub.tell(tell));
            hub.subscribe(user.user_id)
        }
    };
    let Some(mut view) = view else {
        return super::refusal(app::error::AppError::NoPhonePermission);
    };
    view.mark_changed();
    routing.widget(user.user_id, true).await;
    let open = WidgetOpen { routing, user: user.user_id };
    let (in_use, session_gone) = follow_session(store, &headers, user.user_id);
    let ends = ends(&hub, session_gone);
    let live = Live { hub, view, service: None, waiting: None, quiet_until: None, _open: open, _in_use: in_use };
    let events = stream::unfold(live, |mut live| async move {
        let event = live.next().await?;
        let data = serde_json::to_string(&event).unwrap_or_default();
        Some((Ok::<_, Infallible>(Event::default().data(data)), live))
    });
    let events = futures::StreamExt::take_until(events, ends);
    Sse::new(events).keep_alive(KeepAlive::new().interval(KEEP_ALIVE)).into_response()
}

/// Keeps a stream's session marked in use while the stream lives (dropping the guard
/// stops it), and cancels the token when the session is ended elsewhere (its user
/// changed their password): the stream ends with it, as the session's pages do.
pub(super) fn follow_session(
    store: crate::store::Store,
    headers: &axum::http::HeaderMap,
    me: app::model::UserId,
) -> (tokio_util::sync::DropGuard, tokio_util::sync::CancellationToken) {
    let in_use = tokio_util::sync::CancellationToken::new();
    let session_gone = tokio_util::sync::CancellationToken::new();
    if let Some(token) = app::api::cookie(headers, app::api::SESSION_COOKIE).map(str::to_owned) {
        let (done, gone) = (in_use.clone(), session_gone.clone());
        let mut ended = store.sessions_ended();
        tokio::spawn(async move {
            loop {
                tokio::select! {
                    () = done.cancelled() => return,
                    () = tokio::time::sleep(SESSION_IN_USE) => {
                        let _ = store.touch_session(&token, now_ms()).await;
                    }
                    user = ended.recv() => {
                        let ours = match user {
                            Ok(user) => user == me,
                            Err(broadcast::error::RecvError::Lagged(_)) => true,
                            Err(broadcast::error::RecvError::Closed) => return,
                        };
                        if ours && matches!(store.session_exists(&token).await, Ok(false)) {
                            gone.cancel();
                            return;
                        }
                    }
                }
            }
        });
    }
    (in_use.drop_guard(), session_gone)
}

/// One stream's place in the agent's view and their service's count.
struct Live {
    hub: Hub,
    view: watch::Receiver<Published>,
    /// The service whose count `waiting` follows; it follows the agent if they move.
    service: Option<i32>,
    waiting: Option<watch::Receiver<u32>>,
    /// No count is sent before this instant (see `WAITING_PACE`).
    quiet_until: Option<Instant>,
    _open: WidgetOpen,
    /// Stops marking the session in use when the stream ends.
    _in_use: tokio_util::sync::DropGuard,
}

impl Live {
    /// The next event to send; `None` when the agent's channel is gone.
    async fn next(&mut self) -> Option<PushEvent> {
        loop {
            let quiet = self.quiet_until.filter(|t| *t > Instant::now());
            tokio::select! {
                // The agent's own phone first: it is what they act on.
                biased;
                changed = self.view.changed() => {
                    changed.ok()?;
                    let Published { mut view, service } = self.view.borrow_and_update().clone();
                    if service != self.service {
                        self.service = service;
                        self.waiting = service.map(|s| {
                            let mut rx = self.hub.waiting(s);
                            rx.mark_changed();
                            rx
                        });
                    }
                    view.server_now_ms = now_ms();
                    return Some(PushEvent::Agent(view));
                }
                Some(count) = next_count(&mut self.waiting), if quiet.is_none() => {
                    self.quiet_until = Some(Instant::now() + WAITING_PACE);
                    return Some(PushEvent::Waiting { count });
                }
                () = sleep_until(quiet) => {
                    self.quiet_until = None;
                }
            }
        }
    }
}

/// The count once it changes; never, without a service (or once its channel is gone).
async fn next_count(waiting: &mut Option<watch::Receiver<u32>>) -> Option<u32> {
    if let Some(rx) = waiting
        && rx.changed().await.is_ok()
    {
        return Some(*rx.borrow_and_update());
    }
    std::future::pending().await
}

async fn sleep_until(at: Option<Instant>) {
    match at {
        Some(at) => tokio::time::sleep_until(at).await,
        None => std::future::pending().await,
    }
}
