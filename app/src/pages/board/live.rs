//! The board's state in the browser and its stream.

use std::collections::BTreeMap;

use leptos::prelude::*;

use crate::model::{FloorAgent, ServiceBoard, UserId};

#[derive(Clone, Copy, Default)]
pub struct BoardState {
    pub services: RwSignal<Vec<ServiceBoard>>,
    pub agents: RwSignal<BTreeMap<UserId, FloorAgent>>,
    /// The browser's clock less the server's, to count time in the server's terms.
    pub skew_ms: RwSignal<i64>,
    /// The browser's clock, ticking each second.
    pub now_ms: RwSignal<i64>,
    pub live: RwSignal<bool>,
    /// The first board has arrived.
    pub opened: RwSignal<bool>,
    /// The agent whose status the supervisor is setting (the dialog is open).
    pub editing: RwSignal<Option<UserId>>,
}

impl BoardState {
    /// Now on the server's clock.
    pub fn server_now(&self) -> i64 {
        self.now_ms.get() - self.skew_ms.get()
    }

    #[cfg(feature = "hydrate")]
    fn apply(&self, event: crate::model::BoardEvent, browser_now: i64) {
        use crate::model::BoardEvent;
        match event {
            BoardEvent::Board { services, agents, server_now_ms } => {
                self.skew_ms.set(browser_now - server_now_ms);
                self.services.set(services);
                self.agents.set(agents.into_iter().map(|a| (a.user_id, a)).collect());
                self.opened.set(true);
            }
            BoardEvent::Changed { services, agents, gone, server_now_ms } => {
                self.skew_ms.set(browser_now - server_now_ms);
                self.services.set(services);
                self.agents.update(|all| {
                    for a in agents {
                        all.insert(a.user_id, a);
                    }
                    for u in gone {
                        all.remove(&u);
                    }
                });
            }
        }
    }
}

#[cfg(feature = "hydrate")]
pub fn connect(board: BoardState) {
    use crate::live_stream::now_ms;

    crate::live_stream::open("/board/events", board.live, board.now_ms, move |text| {
        match crate::api::read_embedded(text) {
            Some(event) => board.apply(event, now_ms()),
            None => leptos::logging::warn!("unreadable board event"),
        }
    });
}

#[cfg(not(feature = "hydrate"))]
pub fn connect(_board: BoardState) {}
