//! The call log: what happened on each call, read back from its recorded events.
//! `facts` is the pure part (holds, who took part, who ended it); `CallLog::load` reads
//! the rows and names the people, for the ticket page and the CSV export alike.

use std::collections::HashMap;

use app::model::{CallDirection, CallRecord, EndReason};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};

use super::StoreError;
use super::entities::{call, call_event, user};
use crate::numbers::Reading;

/// Where a transfer or consult went: a colleague, or a number outside.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Target {
    Agent(i32),
    Number(String),
}

impl Target {
    /// Reads the journal's `agent:<id>` or number.
    fn parse(detail: &str) -> Target {
        match detail.strip_prefix("agent:").and_then(|id| id.parse().ok()) {
            Some(id) => Target::Agent(id),
            None => Target::Number(detail.to_owned()),
        }
    }
}

/// One recorded event of a call, as `facts` reads it.
#[derive(Clone, Copy, Debug)]
pub struct Event<'a> {
    pub at: i64,
    pub kind: &'a str,
    pub agent: Option<i32>,
    pub detail: Option<&'a str>,
}

/// What a call's events say about it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Facts {
    pub first_offered_at: Option<i64>,
    /// Everyone who took part, in order of first appearance.
    pub agents: Vec<i32>,
    pub hold_ms: i64,
    pub holds: u32,
    /// The agent who ended the call, when one did.
    pub ended_by: Option<i32>,
    pub message: Option<String>,
    /// (from, to) of each completed transfer.
    pub transfers: Vec<(i32, Target)>,
}

/// Reads a call's events in order. A hold still open when the call ended counts up to
/// the end (`ended_at`), or up to `now_ms` while the call goes on.
pub fn facts(events: &[Event], ended_at: Option<i64>, now_ms: i64) -> Facts {
    let mut f = Facts::default();
    let mut held_since = None;
    let involve = |f: &mut Facts, agent: Option<i32>| {
        if let Some(a) = agent
            && !f.agents.contains(&a)
        {
            f.agents.push(a);
        }
    };
    for e in events {
        match e.kind {
            "offered" => {
                f.first_offered_at.get_or_insert(e.at);
                involve(&mut f, e.agent);
            }
            "answered" | "dialled" => involve(&mut f, e.agent),
            "hold" => {
                if held_since.is_none() {
                    held_since = Some(e.at);
                    f.holds += 1;
                }
            }
            "release" => {
                if let Some(since) = held_since.take() {
                    f.hold_ms += e.at - since;
                }
            }
            "consult_started" => {
                involve(&mut f, e.agent);
                if let Some(Target::Agent(a)) = e.detail.map(Target::parse) {
                    involve(&mut f, Some(a));
                }
            }
            "transferred" => match e.detail.map(Target::parse) {
                // A transfer to a colleague (or outside) names its target; the end of a
                // call handed outside is an event of the same name without one.
                Some(to) => {
                    if let Target::Agent(a) = &to {
                        involve(&mut f, Some(*a));
                    }
                    // Handing the call on ends its hold: the customer talks to the target.
                    if let Some(since) = held_since.take() {
                        f.hold_ms += e.at - since;
                    }
                    if let Some(from) = e.agent {
                        f.transfers.push((from, to));
                    }
                }
                None => f.ended_by = e.agent.or(f.ended_by),
            },
            "message_played" => f.message = e.detail.map(str::to_owned),
            // The end names the agent on the call; they ended it only for these reasons.
            kind => {
                if let Some(EndReason::AgentHangup | EndReason::ForceTerminated | EndReason::Cancelled) =
                    EndReason::parse(kind)
                {
                    f.ended_by = e.agent;
                }
            }
        }
    }
    if let Some(since) = held_since {
        f.hold_ms += ended_at.unwrap_or(now_ms).max(since) - since;
    }
    f
}

/// Talk time: connected time less time on hold, once the call has ended.
pub fn talk_ms(answered_at: Option<i64>, ended_at: Option<i64>, hold_ms: i64) -> Option<i64> {
    Some((ended_at? - answered_at? - hold_ms).max(0))
}

/// Reads whole call records for a set of calls.
pub struct CallLog;

impl CallLog {
    /// The records of `calls` (in the given order), each with its events and names.
    pub async fn load(
        db: &impl ConnectionTrait,
        reading: Reading,
        calls: Vec<call::Model>,
        now_ms: i64,
    ) -> Result<Vec<CallRecord>, StoreError> {
        if calls.is_empty() {
            return Ok(Vec::new());
        }
        let ids: Vec<String> = calls.iter().map(|c| c.id.clone()).collect();
        let rows = call_event::Entity::find()
            .filter(call_event::Column::CallId.is_in(ids))
            .order_by_asc(call_event::Column::Id)
            .all(db)
            .await?;
        let mut by_call: HashMap<&str, Vec<Event>> = HashMap::new();
        for r in &rows {
            by_call.entry(r.call_id.as_str()).or_default().push(Event {
                at: r.at,
                kind: &r.kind,
                agent: r.agent_id,
                detail: r.detail.as_deref(),
            });
        }
        let all: Vec<(call::Model, Facts)> = calls
            .into_iter()
            .map(|c| {
                let f = facts(by_call.get(c.id.as_str()).map_or(&[][..], Vec::as_slice), c.ended_at, now_ms);
                (c, f)
            })
            .collect();
        let names = names(
            db,
            all.iter().flat_map(|(c, f)| c.agent_id.into_iter().chain(f.agents.iter().copied()).chain(f.ended_by)),
        )
        .await?;
        let name = |id: i32| names.get(&id).cloned().unwrap_or_else(|| format!("#{id}"));
        Ok(all
            .into_iter()
            .map(|(c, f)| CallRecord {
                direction: if c.direction == "outbound" { CallDirection::Outbound } else { CallDirection::Inbound },
                agent: c.agent_id.map(name),
                agents: f.agents.iter().copied().map(name).collect(),
                offered_at_ms: f.first_offered_at,
                talk_ms: talk_ms(c.answered_at, c.ended_at, f.hold_ms),
                hold_ms: f.hold_ms,
                holds: f.holds,
                end_reason: c.end_reason.as_deref().and_then(EndReason::parse),
                ended_by: f.ended_by.map(name),
                force_end_message: f.message,
                transfers: f
                    .transfers
                    .into_iter()
                    .map(|(from, to)| {
                        let to = match to {
                            Target::Agent(a) => name(a),
                            Target::Number(n) => reading.shown(&n).shown,
                        };
                        (name(from), to)
                    })
                    .collect(),
                ticket_id: c.ticket_id,
                call_id: c.id,
                customer_number: reading.shown(&c.customer_number),
                service_number: reading.shown(&c.service_number),
                queued_at_ms: c.queued_at,
                answered_at_ms: c.answered_at,
                ended_at_ms: c.ended_at,
            })
            .collect())
    }
}

/// The display names of users.
pub async fn names(
    db: &impl ConnectionTrait,
    ids: impl IntoIterator<Item = i32>,
) -> Result<HashMap<i32, String>, StoreError> {
    let mut ids: Vec<i32> = ids.into_iter().collect();
    ids.sort_unstable();
    ids.dedup();
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    Ok(user::Entity::find()
        .filter(user::Column::Id.is_in(ids))
        .all(db)
        .await?
        .into_iter()
        .map(|u| (u.id, u.display_name))
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ev(at: i64, kind: &'static str, agent: Option<i32>, detail: Option<&'static str>) -> Event<'static> {
        Event { at, kind, agent, detail }
    }

    #[test]
    fn holds_add_up_and_leave_talk_time() {
        let events = [
            ev(0, "queued", None, None),
            ev(1_000, "offered", Some(7), None),
            ev(3_000, "answered", Some(7), None),
            ev(10_000, "hold", Some(7), Some("classic")),
            ev(25_000, "release", Some(7), None),
            ev(40_000, "hold", Some(7), Some("classic")),
            ev(45_000, "release", Some(7), None),
            ev(60_000, "agent_hangup", Some(7), None),
        ];
        let f = facts(&events, Some(60_000), 99_999);
        assert_eq!((f.hold_ms, f.holds, f.first_offered_at, f.ended_by), (20_000, 2, Some(1_000), Some(7)));
        assert_eq!(talk_ms(Some(3_000), Some(60_000), f.hold_ms), Some(37_000));
    }

    #[test]
    fn a_hold_open_at_the_end_counts_to_the_end() {
        let events = [
            ev(0, "answered", Some(1), None),
            ev(5_000, "hold", Some(1), None),
            ev(9_000, "customer_hangup", Some(1), None),
        ];
        let f = facts(&events, Some(9_000), 0);
        assert_eq!((f.hold_ms, f.ended_by), (4_000, None));
        // While the call goes on, the hold counts up to now.
        assert_eq!(facts(&events[..2], None, 6_500).hold_ms, 1_500);
        assert_eq!(talk_ms(Some(0), None, 0), None);
    }

    #[test]
    fn everyone_who_took_part_is_named_once_in_order() {
        let events = [
            ev(0, "offered", Some(3), None),
            ev(1, "ring_timeout", Some(3), None),
            ev(2, "offered", Some(5), None),
            ev(3, "answered", Some(5), None),
            ev(4, "hold", Some(5), None),
            ev(5, "consult_started", Some(5), Some("agent:9")),
            ev(6, "consult_answered", None, None),
            ev(8, "transferred", Some(5), Some("agent:9")),
            ev(9, "consult_started", Some(9), Some("+81312345678")),
            ev(10, "transferred", Some(9), Some("+81312345678")),
            ev(10, "transferred", Some(9), None),
        ];
        let f = facts(&events, Some(10), 10);
        assert_eq!(f.agents, [3, 5, 9]);
        assert_eq!(f.first_offered_at, Some(0));
        assert_eq!(f.transfers, [(5, Target::Agent(9)), (9, Target::Number("+81312345678".into()))]);
        // The customer was on hold from the consult until the colleague took them.
        assert_eq!((f.holds, f.hold_ms), (1, 4));
        assert_eq!(f.ended_by, Some(9));
    }

    #[test]
    fn a_forced_end_keeps_its_message() {
        let events = [
            ev(0, "answered", Some(1), None),
            ev(5, "message_played", Some(1), Some("失礼します")),
            ev(6, "force_terminated", Some(1), None),
        ];
        let f = facts(&events, Some(6), 6);
        assert_eq!((f.message.as_deref(), f.ended_by), (Some("失礼します"), Some(1)));
    }
}
