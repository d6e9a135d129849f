//! Which tenant a command is for, by the user, call, number, service or tenant it
//! names (routing is partitioned by tenant, `tenants.rs`). A command that names
//! nothing known is for no tenant: a task with an empty state answers it as routing
//! always answered the unknown (no phone permission, an unknown number, a call that is
//! gone).

use std::collections::HashMap;

use app::model::UserId;

use super::change::CallId;
use super::request::Request;
use super::state::RoutingState;

#[derive(Debug, Default)]
pub(super) struct Directory {
    users: HashMap<UserId, i32>,
    /// Customers' calls and consult legs, while routing holds them.
    calls: HashMap<CallId, i32>,
    /// Services by the number customers dial.
    numbers: HashMap<String, i32>,
    services: HashMap<i32, i32>,
}

impl Directory {
    /// What a tenant's state holds (at start-up, or read again).
    pub(super) fn learn(&mut self, tenant: i32, state: &RoutingState) {
        self.users.extend(state.agents.keys().map(|u| (*u, tenant)));
        self.calls.retain(|_, t| *t != tenant);
        self.calls.extend(state.call_ids().map(|id| (id.clone(), tenant)));
        for line in &state.lines {
            self.numbers.insert(line.number.clone(), tenant);
            self.services.insert(line.service_id, tenant);
        }
    }

    /// Every service's number and tenant (an instance of a cluster, which routes some
    /// tenants and sends the others' commands on).
    pub(super) fn learn_lines(&mut self, lines: &[super::state::ServiceLine]) {
        for line in lines {
            self.numbers.insert(line.number.clone(), line.tenant_id);
            self.services.insert(line.service_id, line.tenant_id);
        }
    }

    /// The tenant of `user`, if heard of.
    pub(super) fn tenant_of_user(&self, user: UserId) -> Option<i32> {
        self.users.get(&user).copied()
    }

    /// `user` works for `tenant`.
    pub(super) fn learn_user(&mut self, user: UserId, tenant: i32) {
        self.users.insert(user, tenant);
    }

    /// The user a request is about, if it names one.
    pub(super) fn user_of(request: &Request) -> Option<UserId> {
        match request {
            Request::View { user }
            | Request::Act { user, .. }
            | Request::Answer { user, .. }
            | Request::HangUp { user, .. }
            | Request::Hold { user, .. }
            | Request::ForceEnd { user, .. }
            | Request::Consult { user, .. }
            | Request::ConnectCustomer { user, .. }
            | Request::CancelConsult { user, .. }
            | Request::ReadyColleagues { user }
            | Request::Dial { user, .. }
            | Request::Agent { user, .. }
            | Request::Phone { user, .. }
            | Request::BrowserAudio { user, .. }
            | Request::Endpoint { user, .. }
            | Request::Widget { user, .. }
            | Request::Snapshot { user } => Some(*user),
            _ => None,
        }
    }

    /// The call a report of the telephone system's is about, and the number it was
    /// dialled on (an arriving call).
    pub(super) fn call_of(request: &Request) -> Option<(&CallId, Option<&str>)> {
        match request {
            Request::Incoming { call_id, to, .. } => Some((call_id, Some(to.as_str()))),
            Request::CustomerHangup { call_id, .. }
            | Request::OutboundAnswered { call_id }
            | Request::OutboundFailed { call_id, .. } => Some((call_id, None)),
            _ => None,
        }
    }

    /// The call `id` is `tenant`'s (the telephone system apart learns it from the work
    /// routing sends it: a dial, a consult leg; or from the store).
    pub(super) fn learn_call(&mut self, id: CallId, tenant: i32) {
        self.calls.insert(id, tenant);
    }

    /// The call `id` has ended at the telephone system.
    pub(super) fn forget_call(&mut self, id: &str) {
        self.calls.remove(id);
    }

    /// The tenant `request` is for, learning what it tells: an agent granted the phone
    /// belongs to their tenant from now on; an arriving call to its number's tenant, so
    /// that the customer's hang-up, sent right after, finds it.
    pub(super) fn route(&mut self, request: &Request) -> Option<i32> {
        match request {
            Request::View { user, .. }
            | Request::Act { user, .. }
            | Request::Answer { user, .. }
            | Request::HangUp { user, .. }
            | Request::Hold { user, .. }
            | Request::ForceEnd { user, .. }
            | Request::Consult { user, .. }
            | Request::ConnectCustomer { user, .. }
            | Request::CancelConsult { user, .. }
            | Request::ReadyColleagues { user, .. }
            | Request::Dial { user, .. }
            | Request::RingTimeout { user, .. }
            | Request::WrapupTimeout { user, .. }
            | Request::Agent { user, profile: None, .. }
            | Request::Phone { user, .. }
            | Request::BrowserAudio { user, .. }
            | Request::Endpoint { user, .. }
            | Request::Widget { user, .. }
            | Request::Presence { user, .. }
            | Request::Snapshot { user } => self.users.get(user).copied(),
            Request::Agent { user, profile: Some(profile), .. } => {
                self.users.insert(*user, profile.tenant_id);
                Some(profile.tenant_id)
            }
            Request::Incoming { call_id, to, .. } => {
                // A call id already known goes where it is known (and is refused there
                // as a duplicate).
                if let Some(tenant) = self.calls.get(call_id) {
                    return Some(*tenant);
                }
                let tenant = self.numbers.get(to).copied()?;
                self.calls.insert(call_id.clone(), tenant);
                Some(tenant)
            }
            Request::CustomerHangup { call_id, .. }
            | Request::OutboundAnswered { call_id }
            | Request::OutboundFailed { call_id, .. } => self.calls.get(call_id).copied(),
            Request::Supervise { scope, .. } => Some(scope.tenant_id),
            Request::TenantPhone { tenant_id, .. } => Some(*tenant_id),
            Request::Floor { tenant } => Some(*tenant),
            Request::CallerNumbers { service_id, .. } => self.services.get(service_id).copied(),
            #[cfg(test)]
            Request::Panic { tenant, .. } => *tenant,
        }
    }

    /// After a decision of `tenant`'s: the calls it started are found there, those it
    /// ended are forgotten.
    pub(super) fn sync_calls(&mut self, tenant: i32, ids: Vec<CallId>, state: &RoutingState) {
        for id in ids {
            if state.holds_call(&id) {
                self.calls.insert(id, tenant);
            } else if self.calls.get(&id) == Some(&tenant) {
                self.calls.remove(&id);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use app::domain::AgentStatus;

    use super::super::state::{Agent, RoutingState, ServiceLine};
    use super::*;

    fn tenant_with_agent(tenant: i32, user: UserId, number: &str) -> RoutingState {
        let mut s = RoutingState::default();
        s.lines.push(ServiceLine { service_id: tenant * 10, tenant_id: tenant, number: number.into() });
        s.agents.insert(user, Agent::new(user, tenant, Some(tenant * 10), true, AgentStatus::Ready, 0));
        s
    }

    fn incoming(id: &str, to: &str) -> Request {
        Request::Incoming { call_id: id.into(), from: "+81312345678".into(), to: to.into() }
    }

    fn hangup(id: &str) -> Request {
        Request::CustomerHangup { call_id: id.into() }
    }

    #[test]
    fn commands_go_to_the_tenant_of_the_agent_number_and_call_they_name() {
        let mut d = Directory::default();
        d.learn(1, &tenant_with_agent(1, 11, "+81350000001"));
        d.learn(2, &tenant_with_agent(2, 22, "+81350000002"));
        assert_eq!(d.route(&Request::View { user: 22 }), Some(2));
        assert_eq!(d.route(&Request::View { user: 99 }), None);
        // The hang-up right after the call arrives finds the call's tenant.
        assert_eq!(d.route(&incoming("c", "+81350000002")), Some(2));
        assert_eq!(d.route(&hangup("c")), Some(2));
        // The same id again goes there too, to be refused as a duplicate.
        assert_eq!(d.route(&incoming("c", "+81350000001")), Some(2));
        assert_eq!(d.route(&incoming("other", "+81399999999")), None);
        assert_eq!(d.route(&Request::CallerNumbers { service_id: 10, numbers: vec![] }), Some(1));
    }

    #[test]
    fn a_call_routing_no_longer_holds_is_forgotten() {
        let mut d = Directory::default();
        let s = tenant_with_agent(1, 11, "+81350000001");
        d.learn(1, &s);
        assert_eq!(d.route(&incoming("c", "+81350000001")), Some(1));
        d.sync_calls(1, vec!["c".into()], &s);
        assert_eq!(d.route(&hangup("c")), None);
    }
}
