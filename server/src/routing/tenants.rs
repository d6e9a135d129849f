//! Routing is partitioned by tenant. Tenants share nothing live — an agent, a call, a
//! service line and its caller numbers each belong to one — so each tenant's state has
//! a routing task of its own: a tenant's burst waits for no other tenant's commits, one
//! process uses every core, and (docs/scale-out.md) a tenant can move to another
//! instance by itself.

use std::collections::HashMap;

use super::change::{CallId, Change, Decision};
use super::state::RoutingState;

impl RoutingState {
    /// Each tenant's part of a state loaded for all of them (at start-up), by tenant.
    /// A tenant with a line, an agent or a call but no settings gets its own part too.
    pub fn split_by_tenant(self) -> HashMap<i32, RoutingState> {
        let mut parts: HashMap<i32, RoutingState> = HashMap::new();
        let empty = |state: &RoutingState| RoutingState {
            needs_phones: state.needs_phones,
            reading: state.reading,
            revision: state.revision,
            next_seq: state.next_seq,
            ..RoutingState::default()
        };
        let tenant_ids = self
            .tenants
            .keys()
            .copied()
            .chain(self.lines.iter().map(|l| l.tenant_id))
            .chain(self.agents.values().map(|a| a.tenant_id))
            .chain(self.calls.values().map(|c| c.call.tenant_id));
        for tenant in tenant_ids {
            parts.entry(tenant).or_insert_with(|| empty(&self));
        }
        let RoutingState { agents, calls, tenants, lines, mut caller_numbers, legs, .. } = self;
        for (id, phone) in tenants {
            parts.get_mut(&id).expect("every tenant has a part").tenants.insert(id, phone);
        }
        for line in lines {
            let part = parts.get_mut(&line.tenant_id).expect("every tenant has a part");
            if let Some(numbers) = caller_numbers.remove(&line.service_id) {
                part.caller_numbers.insert(line.service_id, numbers);
            }
            part.lines.push(line);
        }
        for (id, agent) in agents {
            parts.get_mut(&agent.tenant_id).expect("every tenant has a part").agents.insert(id, agent);
        }
        let tenant_of_call: HashMap<CallId, i32> = calls.iter().map(|(id, c)| (id.clone(), c.call.tenant_id)).collect();
        for (id, call) in calls {
            parts.get_mut(&call.call.tenant_id).expect("every tenant has a part").calls.insert(id, call);
        }
        for (leg, call) in legs {
            if let Some(tenant) = tenant_of_call.get(&call) {
                parts.get_mut(tenant).expect("every tenant has a part").legs.insert(leg, call);
            }
        }
        parts
    }

    /// The ids telephony may report on: customers' calls and consult legs.
    pub fn call_ids(&self) -> impl Iterator<Item = &CallId> {
        self.calls.keys().chain(self.legs.keys())
    }

    /// Whether telephony's reports on `id` concern this state.
    pub fn holds_call(&self, id: &CallId) -> bool {
        self.calls.contains_key(id) || self.legs.contains_key(id)
    }

    /// The calls and legs `decision` may start or end, read before it is applied (a
    /// consult's leg is forgotten when it ends).
    pub fn call_ids_in(&self, decision: &Decision) -> Vec<CallId> {
        let leg_of =
            |call_id: &CallId| self.calls.get(call_id).and_then(|c| c.consult.as_ref()).map(|c| c.leg_id.clone());
        let mut ids = Vec::new();
        for change in &decision.changes {
            match change {
                Change::CallQueued(call) | Change::CallRequeued { call, .. } | Change::CallDialed { call, .. } => {
                    ids.push(call.id.clone());
                }
                Change::ConsultStarted { leg_id, .. } => ids.push(leg_id.clone()),
                Change::CallEnded { call_id, .. }
                | Change::ConsultEnded { call_id, .. }
                | Change::Transferred { call_id, .. } => {
                    ids.push(call_id.clone());
                    ids.extend(leg_of(call_id));
                }
                _ => {}
            }
        }
        ids
    }
}

#[cfg(test)]
mod tests {
    use app::domain::AgentStatus;

    use super::super::state::{Agent, RoutingState, ServiceLine, TenantPhone};

    fn two_tenants() -> RoutingState {
        let mut s = RoutingState::default();
        for (tenant, service) in [(1, 10), (2, 20)] {
            s.lines.push(ServiceLine {
                service_id: service,
                tenant_id: tenant,
                number: format!("+8135000000{tenant}"),
            });
            s.tenants
                .insert(tenant, TenantPhone { ring_timeout_ms: 10_000 * i64::from(tenant), ..TenantPhone::default() });
            s.caller_numbers.insert(service, vec![format!("+8130000000{tenant}")]);
            for n in 0..3 {
                let user = tenant * 100 + n;
                s.agents.insert(user, Agent::new(user, tenant, Some(service), true, AgentStatus::Ready, 0));
            }
        }
        s
    }

    #[test]
    fn each_tenant_gets_its_own_agents_lines_settings_and_calls() {
        let mut s = two_tenants();
        let changes = s.decide_incoming("c2".into(), "+81312345678", "+81350000002").unwrap();
        let _ = s.apply(&super::Decision::new(5, changes), None);
        s.revision = 77;
        let parts = s.split_by_tenant();
        assert_eq!(parts.len(), 2);
        for (tenant, part) in &parts {
            assert!(part.agents.values().all(|a| a.tenant_id == *tenant));
            assert_eq!(part.agents.len(), 3);
            assert_eq!(part.lines.len(), 1);
            assert_eq!(part.phone_of(*tenant).ring_timeout_ms, 10_000 * i64::from(*tenant));
            assert_eq!(part.caller_numbers.len(), 1);
            // Views keep rising across the split.
            assert_eq!(part.revision, 77);
        }
        assert!(parts[&2].calls.contains_key("c2"));
        assert!(parts[&1].calls.is_empty());
    }

    #[test]
    fn a_call_to_one_tenants_number_is_unknown_to_the_other() {
        let parts = two_tenants().split_by_tenant();
        assert!(parts[&1].decide_incoming("c".into(), "+81312345678", "+81350000002").is_err());
        assert!(parts[&2].decide_incoming("c".into(), "+81312345678", "+81350000002").is_ok());
    }
}
