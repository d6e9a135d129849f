//! `GET /board/events`: the supervisor's board, live (Server-Sent Events, each event
//! postcard in base64, as `BoardEvent` says). It
//! opens with the whole board of the services the user supervises, then sends what
//! changed at most once a `PACE`: the services (their queues and today's figures) and
//! the agents whose rows changed.

use std::collections::{BTreeMap, HashMap};
use std::convert::Infallible;
use std::sync::Arc;
use std::time::Duration;

use app::domain::{TicketScope, board_scope};
use app::error::AppError;
use app::model::{BoardEvent, FloorAgent, QueueFigures, ServiceBoard, SessionInfo};
use axum::Extension;
use axum::extract::State;
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use futures::stream;
use tokio::sync::watch;
use tokio::time::Instant;

use crate::floor::{Floors, Queue};
use crate::push::Hub;
use crate::store::figures::Span;
use crate::store::{Store, now_ms};

/// A board hears of changes at most this often: a person reads it at a glance, and a
/// busy floor changes many times a second.
pub const PACE: Duration = Duration::from_secs(1);

/// What the board's stream needs.
#[derive(Clone)]
pub struct Boards {
    pub hub: Hub,
    pub store: Store,
    pub today: Today,
    pub routing: crate::routing::RoutingHandle,
}

/// Today's figures of each tenant, shared by its boards: read from the store at most
/// once a `PACE`, however many supervisors watch.
#[derive(Clone, Default)]
pub struct Today {
    figures: Arc<tokio::sync::Mutex<HashMap<i32, Read>>>,
}

/// A tenant's figures by service, when they were read, and the floor's generation
/// before the read: routing records a change before it publishes it, so the figures
/// hold every change up to that generation.
struct Read {
    at: Instant,
    generation: u64,
    figures: BTreeMap<i32, QueueFigures>,
}

impl Today {
    /// The figures as of floor generation `generation` or later, or (within a `PACE`
    /// of the last read) older ones and `false`: the board asks again a pace later.
    async fn of(
        &self,
        store: &Store,
        tenant_id: i32,
        generation: u64,
    ) -> Result<(BTreeMap<i32, QueueFigures>, bool), AppError> {
        let mut cache = self.figures.lock().await;
        if let Some(read) = cache.get(&tenant_id)
            && (read.generation >= generation || read.at.elapsed() < PACE)
        {
            return Ok((read.figures.clone(), read.generation >= generation));
        }
        let threshold = store
            .cti_settings(tenant_id)
            .await
            .map_err(internal)?
            .map_or(app::domain::cti_settings::SERVICE_LEVEL_DEFAULT_SECS, |s| s.service_level_secs);
        let from_ms = app::time::day_start_of(now_ms());
        let span = Span {
            tenant_id,
            service_id: None,
            from_ms,
            to_ms: from_ms + app::time::DAY_MS,
            interval_ms: app::time::DAY_MS,
            threshold_ms: i64::from(threshold) * 1000,
            short_abandon_ms: 0,
        };
        let figures: BTreeMap<i32, QueueFigures> =
            store.queue_figures(span).await.map_err(internal)?.into_iter().map(|((s, _), f)| (s, f)).collect();
        cache.insert(tenant_id, Read { at: Instant::now(), generation, figures: figures.clone() });
        Ok((figures, true))
    }
}

fn internal(e: crate::store::StoreError) -> AppError {
    tracing::error!(error = %e, "board: the store failed");
    AppError::Internal
}

pub async fn stream(
    State(Boards { hub, store, today, routing }): State<Boards>,
    Extension(user): Extension<SessionInfo>,
    headers: axum::http::HeaderMap,
) -> Response {
    let Some(scope) = board_scope(&user) else {
        return super::refusal(AppError::Forbidden);
    };
    let services = match store.services(scope.tenant_id, scope.service_id).await {
        Ok(list) => list.into_iter().map(|s| (s.id, s.name)).collect(),
        Err(e) => return super::refusal(internal(e)),
    };
    // In a cluster the tenant may be routed on another instance, not heard of here yet:
    // its floor as it is now, then what follows.
    if !hub.floors.knows(scope.tenant_id) {
        routing.floor(scope.tenant_id).await.into_iter().for_each(|tell| hub.tell(tell));
    }
    let (in_use, session_gone) = super::events::follow_session(store.clone(), &headers, user.user_id);
    let ends = super::events::ends(&hub, session_gone);
    let board = Board {
        floors: hub.floors.clone(),
        store,
        today,
        scope,
        services,
        generation: None,
        figures_behind: false,
        woken: None,
        sent_at: None,
        day: app::time::day_start_of(now_ms()),
        _in_use: in_use,
    };
    let events = stream::unfold(board, |mut board| async move {
        let event = board.next().await;
        let data = app::api::embed(&event);
        Some((Ok::<_, Infallible>(Event::default().data(data)), board))
    });
    let events = futures::StreamExt::take_until(events, ends);
    Sse::new(events).keep_alive(KeepAlive::new().interval(super::events::KEEP_ALIVE)).into_response()
}

/// One open board.
struct Board {
    floors: Floors,
    store: Store,
    today: Today,
    scope: TicketScope,
    /// The services shown, by id, with their names.
    services: BTreeMap<i32, String>,
    /// The floor's generation the browser has; `None` before the first board.
    generation: Option<u64>,
    /// The figures last sent were read before the generation sent with them.
    figures_behind: bool,
    woken: Option<watch::Receiver<u64>>,
    sent_at: Option<Instant>,
    /// The day today's figures are of: at midnight they start again.
    day: i64,
    _in_use: tokio_util::sync::DropGuard,
}

impl Board {
    async fn next(&mut self) -> BoardEvent {
        let Some(generation) = self.generation else {
            let (all, woken) = self.floors.since(self.scope.tenant_id, 0);
            self.woken = Some(woken);
            self.generation = Some(all.generation);
            self.sent_at = Some(Instant::now());
            return BoardEvent::Board {
                services: self.service_boards(&all.queues, all.generation).await,
                agents: self.in_scope(all.agents),
                server_now_ms: now_ms(),
            };
        };
        loop {
            let midnight = self.day + app::time::DAY_MS;
            let new_day = tokio::select! {
                () = next_change(&mut self.woken), if !self.figures_behind => false,
                () = std::future::ready(()), if self.figures_behind => false,
                () = tokio::time::sleep(Duration::from_millis((midnight - now_ms()).max(0) as u64)) => true,
            };
            if let Some(at) = self.sent_at {
                tokio::time::sleep_until(at + PACE).await;
            }
            // Seen before reading, so that a change after the read wakes us again.
            if let Some(rx) = &mut self.woken {
                rx.borrow_and_update();
            }
            let (since, _) = self.floors.since(self.scope.tenant_id, generation);
            self.generation = Some(since.generation);
            self.day = app::time::day_start_of(now_ms());
            let agents = self.in_scope(since.agents);
            let gone = since.gone;
            // Today's figures move with calls, and calls move agents or queues.
            if agents.is_empty() && gone.is_empty() && !since.queues_changed && !new_day && !self.figures_behind {
                continue;
            }
            self.sent_at = Some(Instant::now());
            return BoardEvent::Changed {
                services: self.service_boards(&since.queues, since.generation).await,
                agents,
                gone,
                server_now_ms: now_ms(),
            };
        }
    }

    fn in_scope(&self, agents: Vec<FloorAgent>) -> Vec<FloorAgent> {
        agents.into_iter().filter(|a| self.services.contains_key(&a.service_id)).collect()
    }

    async fn service_boards(&mut self, queues: &HashMap<i32, Queue>, generation: u64) -> Vec<ServiceBoard> {
        // A board without today's figures still shows the floor: the store may answer
        // at the next pace.
        let (today, fresh) = self.today.of(&self.store, self.scope.tenant_id, generation).await.unwrap_or_default();
        self.figures_behind = !fresh;
        self.services
            .iter()
            .map(|(id, name)| {
                let queue = queues.get(id).copied().unwrap_or_default();
                ServiceBoard {
                    service_id: *id,
                    name: name.clone(),
                    waiting: queue.waiting,
                    oldest_since_ms: queue.oldest_since_ms,
                    today: today.get(id).copied().unwrap_or_default(),
                }
            })
            .collect()
    }
}

/// Resolves when the floor changes; never once its sender is gone.
async fn next_change(woken: &mut Option<watch::Receiver<u64>>) {
    if let Some(rx) = woken
        && rx.changed().await.is_ok()
    {
        return;
    }
    std::future::pending().await
}
