//! The supervisor's board as a browser reads it: `/board/events`, folded into the
//! board it draws.

use std::collections::BTreeMap;
use std::time::Duration;

use app::model::{BoardEvent, FloorAgent, ServiceBoard, UserId};
use reqwest::StatusCode;
use tokio::sync::mpsc;

use super::Client;

/// The board as drawn after the events so far.
#[derive(Clone, Debug, Default)]
pub struct Drawn {
    pub services: Vec<ServiceBoard>,
    pub agents: BTreeMap<UserId, FloorAgent>,
    pub events: usize,
}

impl Drawn {
    pub fn service(&self, name: &str) -> &ServiceBoard {
        self.services.iter().find(|s| s.name == name).unwrap_or_else(|| panic!("no service {name} on {self:?}"))
    }

    pub fn agent(&self, name: &str) -> &FloorAgent {
        self.agents.values().find(|a| a.name == name).unwrap_or_else(|| panic!("no agent {name} on {self:?}"))
    }

    fn apply(&mut self, event: BoardEvent) {
        self.events += 1;
        match event {
            BoardEvent::Board { services, agents, .. } => {
                self.services = services;
                self.agents = agents.into_iter().map(|a| (a.user_id, a)).collect();
            }
            BoardEvent::Changed { services, agents, gone, .. } => {
                self.services = services;
                self.agents.extend(agents.into_iter().map(|a| (a.user_id, a)));
                for u in gone {
                    self.agents.remove(&u);
                }
            }
        }
    }
}

pub struct Board {
    rx: mpsc::UnboundedReceiver<BoardEvent>,
    pub drawn: Drawn,
}

impl Board {
    /// Waits until the drawn board satisfies `pred` (not for a fixed time); gives up
    /// after five seconds.
    pub async fn until(&mut self, what: &str, pred: impl Fn(&Drawn) -> bool) -> Drawn {
        let wait = async {
            loop {
                if self.drawn.events > 0 && pred(&self.drawn) {
                    return;
                }
                match self.rx.recv().await {
                    Some(event) => self.drawn.apply(event),
                    None => panic!("the board's stream ended before {what}"),
                }
            }
        };
        tokio::time::timeout(Duration::from_secs(5), wait)
            .await
            .unwrap_or_else(|_| panic!("the board did not show {what} within 5 s: {:#?}", self.drawn));
        self.drawn.clone()
    }
}

impl Client {
    /// Opens the board's live stream; the status it answers if it refuses.
    pub async fn board(&self) -> Result<Board, StatusCode> {
        let res = self.get("/board/events").await;
        if res.status() != StatusCode::OK {
            return Err(res.status());
        }
        let rx = super::sse(res, |data| {
            Some(app::api::read_embedded::<BoardEvent>(data).unwrap_or_else(|| panic!("unreadable board event {data}")))
        });
        Ok(Board { rx, drawn: Drawn::default() })
    }
}
