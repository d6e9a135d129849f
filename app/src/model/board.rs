//! What the supervisor's board shows: the floor as it is (calls waiting, each agent's
//! status and call) and the day's queue figures. docs/figures.md defines each figure.

use serde::{Deserialize, Serialize};

use super::{TicketId, UserId};
use crate::domain::{AgentStatus, ShownNumber};

/// A service's inbound queue over a span of time, as sums and counts. The board and
/// the reports read their rates and averages from these, so that intervals add up to
/// their day exactly (`+`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct QueueFigures {
    /// Calls that joined the queue, short abandons left out.
    pub offered: u32,
    pub answered: u32,
    /// Calls whose caller hung up before an answer (or whom the system let go), after
    /// waiting at least the short-abandon time.
    pub abandoned: u32,
    /// Answered no later than the service-level threshold after joining the queue.
    pub answered_within: u32,
    /// Σ wait of the answered calls: queue to answer.
    pub answer_wait_ms: i64,
    /// Calls answered and ended: what handle time averages over.
    pub handled: u32,
    /// Σ handle time of the handled calls: answer to end (talk and hold) and the
    /// after-call work that followed.
    pub handle_ms: i64,
    /// The longest wait of a call answered or abandoned.
    pub longest_wait_ms: i64,
}

impl QueueFigures {
    /// Answered within the threshold, of the calls answered or abandoned, in whole
    /// percent (half up); `None` before any call has done either. Integer arithmetic:
    /// formatting a float would bring its code to the board's wasm.
    pub fn service_level_percent(&self) -> Option<u32> {
        let finished = u64::from(self.answered + self.abandoned);
        let within = u64::from(self.answered_within);
        (finished > 0).then(|| ((within * 200 + finished) / (2 * finished)) as u32)
    }

    /// Average speed of answer.
    pub fn average_answer_ms(&self) -> Option<i64> {
        (self.answered > 0).then(|| self.answer_wait_ms / i64::from(self.answered))
    }

    /// Average handle time.
    pub fn average_handle_ms(&self) -> Option<i64> {
        (self.handled > 0).then(|| self.handle_ms / i64::from(self.handled))
    }
}

/// The figures of two spans together.
impl std::ops::Add for QueueFigures {
    type Output = QueueFigures;

    fn add(self, o: QueueFigures) -> QueueFigures {
        QueueFigures {
            offered: self.offered + o.offered,
            answered: self.answered + o.answered,
            abandoned: self.abandoned + o.abandoned,
            answered_within: self.answered_within + o.answered_within,
            answer_wait_ms: self.answer_wait_ms + o.answer_wait_ms,
            handled: self.handled + o.handled,
            handle_ms: self.handle_ms + o.handle_ms,
            longest_wait_ms: self.longest_wait_ms.max(o.longest_wait_ms),
        }
    }
}

/// One service on the board.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ServiceBoard {
    pub service_id: i32,
    pub name: String,
    /// Callers waiting now (queued or ringing).
    pub waiting: u32,
    /// When the longest-waiting of them joined the queue (server clock).
    pub oldest_since_ms: Option<i64>,
    /// Today's figures (Japan time), from the store.
    pub today: QueueFigures,
}

/// One agent on the board.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FloorAgent {
    pub user_id: UserId,
    pub name: String,
    pub service_id: i32,
    pub status: AgentStatus,
    /// When the status began (server clock).
    pub since_ms: i64,
    /// The reason of a 休憩.
    pub reason: Option<String>,
    /// The status a supervisor set during the agent's call, to come when it ends.
    pub pending: Option<AgentStatus>,
    pub call: Option<FloorCall>,
}

/// The call an agent has, as the board shows it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FloorCall {
    pub customer: ShownNumber,
    /// When it was connected, or began ringing or dialling until then.
    pub since_ms: i64,
    pub ticket_id: Option<TicketId>,
}

/// What the board's live stream sends: the whole board when it opens, then the
/// services and the agents that changed, at most once a pace. Each event is postcard
/// in base64 (`api::embed`), as the page carries its data: the board's wasm reads it
/// with no JSON decoder for its types (that kept the page within its budget).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum BoardEvent {
    Board {
        services: Vec<ServiceBoard>,
        agents: Vec<FloorAgent>,
        server_now_ms: i64,
    },
    Changed {
        services: Vec<ServiceBoard>,
        agents: Vec<FloorAgent>,
        /// Agents no longer on the board (the phone permission was taken away).
        gone: Vec<UserId>,
        server_now_ms: i64,
    },
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rates_and_averages_wait_for_their_first_call() {
        let none = QueueFigures::default();
        assert_eq!(
            (none.service_level_percent(), none.average_answer_ms(), none.average_handle_ms()),
            (None, None, None)
        );
        let some = QueueFigures {
            offered: 5,
            answered: 3,
            abandoned: 1,
            answered_within: 2,
            answer_wait_ms: 45_000,
            handled: 2,
            handle_ms: 300_000,
            longest_wait_ms: 40_000,
        };
        assert_eq!(some.service_level_percent(), Some(50));
        let third = QueueFigures { answered: 3, answered_within: 1, ..none };
        assert_eq!(third.service_level_percent(), Some(33));
        let two_thirds = QueueFigures { answered: 3, answered_within: 2, ..none };
        assert_eq!(two_thirds.service_level_percent(), Some(67));
        assert_eq!(some.average_answer_ms(), Some(15_000));
        assert_eq!(some.average_handle_ms(), Some(150_000));
        let both = some + (QueueFigures { offered: 1, answered: 1, answered_within: 1, longest_wait_ms: 1, ..none });
        assert_eq!((both.offered, both.answered, both.longest_wait_ms), (6, 4, 40_000));
        assert_eq!(both.service_level_percent(), Some(60));
    }
}
