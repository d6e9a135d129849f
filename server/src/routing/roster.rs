//! Who may use the phone, changed live by administrators: an agent granted the phone
//! or given a CTI identity, an agent whose permission is taken away, a service's
//! caller numbers.

use app::domain::AgentStatus;
use app::model::UserId;

use super::change::Change;
use super::state::{Agent, RoutingState};

/// Who an agent is, as an administrator has just set it.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct AgentProfile {
    pub name: String,
    pub cti_number: Option<String>,
    pub tenant_id: i32,
    pub service_id: Option<i32>,
    /// Both a CTI ID and a CTI number are assigned (F4).
    pub has_cti_identity: bool,
}

/// What taking the phone away from an agent does.
#[derive(Debug, PartialEq, Eq)]
pub enum Revocation {
    /// Log out now with these changes (none for an agent already logged out).
    Now(Vec<Change>),
    /// The agent is on a call: they are logged out when it ends, not cut off.
    AfterCall,
    /// Not an agent.
    Nothing,
}

impl RoutingState {
    /// Grants the phone, or updates an agent's identity. A new agent starts logged out.
    pub fn set_profile(&mut self, user: UserId, p: AgentProfile, now_ms: i64) {
        match self.agents.get_mut(&user) {
            Some(a) => {
                a.tenant_id = p.tenant_id;
                a.service_id = p.service_id;
                a.has_cti_identity = p.has_cti_identity;
                a.retiring = false;
                a.name = p.name;
                a.cti_number = p.cti_number;
            }
            None => {
                let agent =
                    Agent::new(user, p.tenant_id, p.service_id, p.has_cti_identity, AgentStatus::LoggedOut, now_ms)
                        .named(p.name, p.cti_number);
                self.agents.insert(user, agent);
            }
        }
    }

    /// Taking the phone away from `user`. A ringing offer goes back to the queue at
    /// its place (the customer is not made to wait longer); a call in progress is
    /// finished first.
    pub fn decide_revoke(&self, user: UserId) -> Revocation {
        let Some(a) = self.agents.get(&user) else {
            return Revocation::Nothing;
        };
        let logout = Change::Status { user, to: AgentStatus::LoggedOut, call: None };
        match (a.status, &a.call) {
            (AgentStatus::LoggedOut, _) => Revocation::Now(Vec::new()),
            (AgentStatus::Ringing, Some(call_id)) => match self.call_of_leg(call_id) {
                // A colleague's consult rings them: the consult ends as if they had left
                // it (the first agent is back with the customer on hold), and they leave.
                Some((call, consult)) => {
                    let mut changes: Vec<Change> = self
                        .consult_ended(call, consult, super::change::ConsultEnd::TargetHungUp)
                        .into_iter()
                        .filter(|c| !matches!(c, Change::Status { user: u, .. } if *u == user))
                        .collect();
                    changes.push(logout);
                    Revocation::Now(changes)
                }
                None => {
                    Revocation::Now(vec![Change::CallReturned { call_id: call_id.clone(), missed_by: user }, logout])
                }
            },
            (_, Some(_)) => Revocation::AfterCall,
            (_, None) => Revocation::Now(vec![logout]),
        }
    }

    /// Agents whose revocation waited for a call that has now ended.
    pub fn free_to_retire(&self) -> Vec<UserId> {
        let mut users: Vec<UserId> =
            self.agents.values().filter(|a| a.retiring && a.call.is_none()).map(|a| a.user_id).collect();
        users.sort_unstable();
        users
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::routing::change::Decision;

    fn profile() -> AgentProfile {
        AgentProfile {
            name: "佐藤".into(),
            cti_number: Some("2001".into()),
            tenant_id: 1,
            service_id: Some(10),
            has_cti_identity: true,
        }
    }

    fn with_agent(status: AgentStatus, call: Option<&str>) -> RoutingState {
        let mut s = RoutingState::default();
        s.set_profile(7, profile(), 0);
        let a = s.agents.get_mut(&7).unwrap();
        a.status = status;
        a.call = call.map(Into::into);
        s
    }

    #[test]
    fn a_granted_agent_starts_logged_out_and_an_update_keeps_their_status() {
        let mut s = RoutingState::default();
        s.set_profile(7, AgentProfile { has_cti_identity: false, ..profile() }, 5);
        assert_eq!(s.agents[&7].status, AgentStatus::LoggedOut);
        s.agents.get_mut(&7).unwrap().status = AgentStatus::Ready;
        s.set_profile(7, profile(), 9);
        assert_eq!(s.agents[&7].status, AgentStatus::Ready);
        assert!(s.agents[&7].has_cti_identity);
    }

    #[test]
    fn an_idle_agent_is_logged_out_at_once() {
        for status in [AgentStatus::Busy, AgentStatus::Ready, AgentStatus::Break, AgentStatus::Wrapup] {
            let s = with_agent(status, None);
            assert_eq!(
                s.decide_revoke(7),
                Revocation::Now(vec![Change::Status { user: 7, to: AgentStatus::LoggedOut, call: None }])
            );
        }
        assert_eq!(with_agent(AgentStatus::LoggedOut, None).decide_revoke(7), Revocation::Now(Vec::new()));
        assert_eq!(RoutingState::default().decide_revoke(7), Revocation::Nothing);
    }

    #[test]
    fn a_ringing_offer_goes_back_to_the_queue() {
        let s = with_agent(AgentStatus::Ringing, Some("c1"));
        let Revocation::Now(changes) = s.decide_revoke(7) else { panic!("logged out now") };
        assert_eq!(changes[0], Change::CallReturned { call_id: "c1".into(), missed_by: 7 });
    }

    #[test]
    fn an_agent_on_a_call_finishes_it_first() {
        for status in [AgentStatus::InCall, AgentStatus::Dialing, AgentStatus::OnHold] {
            let mut s = with_agent(status, Some("c1"));
            assert_eq!(s.decide_revoke(7), Revocation::AfterCall);
            s.agents.get_mut(&7).unwrap().retiring = true;
            assert!(s.free_to_retire().is_empty(), "not while the call lasts");
            let end = Change::Status { user: 7, to: AgentStatus::Wrapup, call: None };
            let _ = s.apply(&Decision::new(1, vec![end]), None);
            assert_eq!(s.free_to_retire(), [7]);
        }
    }
}
