//! What a report shows (#21 point 4): for a range of days and an interval, each
//! service's queue figures per interval, and each agent's calls and time in each
//! status. docs/figures.md defines each figure.

use serde::{Deserialize, Serialize};

use super::{QueueFigures, UserId};
use crate::domain::AgentStatus;
use crate::domain::report::Interval;

/// The statuses of logged-in time, in the order reports show them.
pub const LOGGED_IN: [AgentStatus; 9] = [
    AgentStatus::Ready,
    AgentStatus::Ringing,
    AgentStatus::Dialing,
    AgentStatus::InCall,
    AgentStatus::OnHold,
    AgentStatus::Consulting,
    AgentStatus::Wrapup,
    AgentStatus::Busy,
    AgentStatus::Break,
];

/// Milliseconds spent in each status, indexed as `AgentStatus::ALL`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatusTimes(pub [i64; AgentStatus::ALL.len()]);

impl StatusTimes {
    pub fn of(&self, status: AgentStatus) -> i64 {
        AgentStatus::ALL.iter().position(|s| *s == status).map_or(0, |i| self.0[i])
    }

    pub fn add(&mut self, status: AgentStatus, ms: i64) {
        if let Some(i) = AgentStatus::ALL.iter().position(|s| *s == status) {
            self.0[i] += ms;
        }
    }

    /// Logged in to CTI: every status but CTI未ログイン.
    pub fn logged_in(&self) -> i64 {
        AgentStatus::ALL.iter().filter(|s| **s != AgentStatus::LoggedOut).map(|s| self.of(*s)).sum()
    }
}

impl std::ops::Add for StatusTimes {
    type Output = StatusTimes;

    fn add(mut self, o: StatusTimes) -> StatusTimes {
        for (a, b) in self.0.iter_mut().zip(o.0) {
            *a += b;
        }
        self
    }
}

/// One agent's calls over a span: offers made to them, and the figures of the calls
/// they answered (`calls.offered` is unused: offers count every ring, `offers`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AgentFigures {
    /// Times a call rang at them.
    pub offers: u32,
    /// Offers that rang out (不応答).
    pub missed: u32,
    /// The calls they answered (answered, service level, speed of answer, handle time,
    /// longest wait) and those whose caller hung up while it rang at them (abandoned).
    pub calls: QueueFigures,
    pub time_in: StatusTimes,
}

impl std::ops::Add for AgentFigures {
    type Output = AgentFigures;

    fn add(self, o: AgentFigures) -> AgentFigures {
        AgentFigures {
            offers: self.offers + o.offers,
            missed: self.missed + o.missed,
            calls: self.calls + o.calls,
            time_in: self.time_in + o.time_in,
        }
    }
}

/// A service's rows: each interval that had a call, and the whole range.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ServiceReport {
    pub service_id: i32,
    pub name: String,
    /// (interval start, Unix ms; its figures), in order; intervals without a call are
    /// left out.
    pub rows: Vec<(i64, QueueFigures)>,
    pub total: QueueFigures,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AgentReport {
    pub user_id: UserId,
    pub name: String,
    pub service: String,
    /// (interval start; figures) for the intervals in which they did anything.
    pub rows: Vec<(i64, AgentFigures)>,
    pub total: AgentFigures,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Report {
    pub from_ms: i64,
    pub to_ms: i64,
    pub interval: Interval,
    /// サービスレベルの基準 the figures were counted with (CTI設定).
    pub threshold_secs: i32,
    pub short_abandon_secs: i32,
    pub services: Vec<ServiceReport>,
    pub agents: Vec<AgentReport>,
}

/// A service a report may be asked for.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportService {
    pub id: i32,
    pub name: String,
}
