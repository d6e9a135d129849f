//! Routing under random interleavings of everything that can happen: arrivals, answers,
//! ring timeouts, hang-ups on both sides, status changes and CTI logouts, a supervisor
//! setting statuses from the board, the routing policies (後処理の上限, 連続不応答で休憩)
//! changing and their timers firing, over several agents. Whatever the order, no call is
//! offered to two agents, none is lost, each service's queue is first in first out, the
//! longest-idle agent is offered first, every agent whose phone changed (and every queue
//! whose count did) is told, a status a supervisor set waits only for a call, and a
//! reason goes only with 休憩, after-call work ends at its limit (and never without
//! one), and exactly the Nth offer missed in a row pauses an agent as 不在.

use std::collections::{HashMap, HashSet};

use app::domain::{AgentAction, AgentStatus};
use app::error::AppError;
use app::model::AgentView;
use proptest::prelude::*;

use super::change::{CallId, Change, ConsultTarget, Decision};
use super::roster::{AgentProfile, Revocation};
use super::state::{Agent, Phase, RoutingState, ServiceLine, TenantPhone};

const SERVICES: [i32; 2] = [1, 2];

#[derive(Clone, Debug)]
enum Op {
    Arrive {
        service: usize,
    },
    Answer {
        agent: usize,
    },
    RingTimeout {
        agent: usize,
    },
    CustomerHangup {
        call: usize,
    },
    AgentHangup {
        agent: usize,
    },
    Act {
        agent: usize,
        action: AgentAction,
    },
    Hold {
        agent: usize,
        held: bool,
    },
    Consult {
        agent: usize,
        target: usize,
    },
    ConnectCustomer {
        agent: usize,
    },
    CancelConsult {
        agent: usize,
    },
    /// An administrator takes the phone away (the actor retires the agent).
    Revoke {
        agent: usize,
    },
    /// ...grants it (again), with a CTI identity or without one.
    Grant {
        agent: usize,
        identity: bool,
    },
    /// A supervisor sets the agent's status from the board.
    Supervise {
        agent: usize,
        to: AgentStatus,
    },
    /// The tenant admin sets 後処理の上限 and 連続不応答で休憩.
    Policies {
        wrapup_limit_ms: i64,
        auto_pause_after: u32,
    },
    /// An after-call work limit's timer fires (at the limit, as the actor sets it).
    WrapupTimer {
        agent: usize,
    },
}

/// An operation on `agents` agents; `arrivals` weighs how often a customer calls (a
/// quieter line leaves agents ready to be consulted), `transfers` how often an agent
/// consults and connects.
fn op(agents: usize, arrivals: u32, transfers: u32) -> impl Strategy<Value = Op> {
    let action = prop_oneof![
        Just(AgentAction::CtiLogin),
        Just(AgentAction::CtiLogout),
        Just(AgentAction::Choose(AgentStatus::Ready)),
        Just(AgentAction::Choose(AgentStatus::Ready)),
        Just(AgentAction::Choose(AgentStatus::Busy)),
        Just(AgentAction::Choose(AgentStatus::Break)),
    ];
    prop_oneof![
        arrivals => (0..SERVICES.len()).prop_map(|service| Op::Arrive { service }),
        2 => (0..agents).prop_map(|agent| Op::Answer { agent }),
        2 => (0..agents).prop_map(|agent| Op::RingTimeout { agent }),
        1 => (0..64usize).prop_map(|call| Op::CustomerHangup { call }),
        1 => (0..agents).prop_map(|agent| Op::AgentHangup { agent }),
        4 => (0..agents, action).prop_map(|(agent, action)| Op::Act { agent, action }),
        1 => (0..agents, any::<bool>()).prop_map(|(agent, held)| Op::Hold { agent, held }),
        transfers => (0..agents, 0..agents).prop_map(|(agent, target)| Op::Consult { agent, target }),
        transfers => (0..agents).prop_map(|agent| Op::ConnectCustomer { agent }),
        1 => (0..agents).prop_map(|agent| Op::CancelConsult { agent }),
        1 => (0..agents).prop_map(|agent| Op::Revoke { agent }),
        1 => (0..agents, any::<bool>()).prop_map(|(agent, identity)| Op::Grant { agent, identity }),
        2 => (0..agents, prop::sample::select(vec![AgentStatus::Break, AgentStatus::Busy, AgentStatus::LoggedOut]))
            .prop_map(|(agent, to)| Op::Supervise { agent, to }),
        1 => (prop::sample::select(vec![0i64, 30_000]), 0u32..4)
            .prop_map(|(wrapup_limit_ms, auto_pause_after)| Op::Policies { wrapup_limit_ms, auto_pause_after }),
        2 => (0..agents).prop_map(|agent| Op::WrapupTimer { agent }),
    ]
}

struct World {
    state: RoutingState,
    now: i64,
    arrived: Vec<CallId>,
    ended: HashSet<CallId>,
}

impl World {
    fn new(agents: usize, status: AgentStatus) -> World {
        let mut state = RoutingState::default();
        for (i, s) in SERVICES.iter().enumerate() {
            state.lines.push(ServiceLine { service_id: *s, tenant_id: 1, number: format!("+8135000000{i}") });
        }
        state.tenants.insert(1, TenantPhone { ring_timeout_ms: 20_000, ..TenantPhone::default() });
        for i in 0..agents {
            let id = i as i32 + 1;
            state.agents.insert(id, Agent::new(id, 1, Some(SERVICES[i % SERVICES.len()]), true, status, 0));
        }
        World { state, now: 0, arrived: Vec::new(), ended: HashSet::new() }
    }

    fn commit(&mut self, mut changes: Vec<Change>) {
        // As the actor does: the after-call work the changes end is recorded with them.
        let work = self.state.after_call_work_ending(&changes, self.now);
        for w in &work {
            let Change::AfterCallWork { call_id, ms, .. } = w else { unreachable!() };
            assert!(self.arrived.contains(call_id) && *ms >= 0, "after-call work of no call: {w:?}");
        }
        changes.extend(work);
        // ...and the time of each status they end, once an agent, never negative.
        let times = self.state.status_time_ending(&changes, self.now);
        for t in &times {
            let Change::StatusTime { user, status, from_ms, to_ms } = t else { unreachable!() };
            assert!(from_ms < to_ms && *status != AgentStatus::LoggedOut, "{t:?}");
            assert_eq!(self.state.agents[user].status, *status);
        }
        changes.extend(times);
        for c in &changes {
            if let Change::CallEnded { call_id, .. } = c {
                assert!(self.ended.insert(call_id.clone()), "{call_id} ended twice");
            }
            // What the store updates by the call's row must name a call, never a consult
            // leg (which has no row): the store would refuse the whole decision.
            if let Change::CallReturned { call_id, .. } | Change::CallOffered { call_id, .. } = c {
                assert!(
                    self.state.calls.contains_key(call_id),
                    "{call_id} is no call the store has a row for: {changes:?}"
                );
            }
        }
        let before = self.state.clone();
        let touched = self.state.apply(&Decision::new(self.now, changes), Some(1));
        // Only the agents and queues the decision names are told, so no other may change.
        for user in self.state.agents.keys() {
            let view = |s: &RoutingState| s.view(*user, self.now).map(|v| AgentView { revision: 0, ..v });
            if !touched.agents.contains(user) {
                assert_eq!(view(&before), view(&self.state), "agent {user} changed untold");
            }
        }
        for service in SERVICES {
            if !touched.services.contains(&service) {
                assert_eq!(before.waiting(service), self.state.waiting(service), "queue {service} changed untold");
            }
        }
    }

    /// Logs `user` out with `changes` and forgets them, as the actor does.
    fn retire(&mut self, user: i32, changes: Vec<Change>) {
        if !changes.is_empty() {
            self.commit(changes);
        }
        self.state.agents.remove(&user);
    }

    /// The `i`-th agent (index from 0) in `status`, if any agent is, so that answers and
    /// transfers are mostly tried where they can happen; else agent `i`.
    fn agent_in(&self, i: usize, status: AgentStatus) -> usize {
        let mut found: Vec<usize> =
            self.state.agents.values().filter(|a| a.status == status).map(|a| a.user_id as usize - 1).collect();
        found.sort_unstable();
        if found.is_empty() { i } else { found[i % found.len()] }
    }

    /// Agent `agent` (index from 0) acts on the call they hold, if any; a refusal changes
    /// nothing.
    fn on_own_call(
        &mut self,
        agent: usize,
        decide: impl FnOnce(&RoutingState, i32, &str) -> Result<Vec<Change>, AppError>,
    ) {
        let Some(a) = self.state.agents.get(&(agent as i32 + 1)) else { return };
        if let Some(call) = a.call.clone()
            && let Ok(changes) = decide(&self.state, a.user_id, &call)
        {
            self.commit(changes);
        }
    }

    fn step(&mut self, op: &Op) {
        self.now += 7;
        let now = self.now;
        match op {
            Op::Arrive { service } => {
                let id = CallId::from(format!("c{}", self.arrived.len()));
                let number = self.state.lines[*service].number.clone();
                let changes = self.state.decide_incoming(id.clone(), "+81312345678", &number).unwrap();
                self.arrived.push(id);
                self.commit(changes);
            }
            Op::Answer { agent } => {
                let agent = self.agent_in(*agent, AgentStatus::Ringing);
                self.on_own_call(agent, |s, user, call| s.decide_answer(user, call));
                if let Some(a) = self.state.agents.get(&(agent as i32 + 1)).filter(|a| a.status == AgentStatus::InCall)
                {
                    assert_eq!(a.missed_in_a_row, 0, "answering starts the count again");
                }
            }
            Op::RingTimeout { agent } => {
                let agent = self.agent_in(*agent, AgentStatus::Ringing);
                let user = agent as i32 + 1;
                // An offer of a customer call (not a colleague's consult) ringing out.
                let offer = self.state.agents.get(&user).filter(|a| {
                    a.status == AgentStatus::Ringing
                        && a.call.as_ref().is_some_and(|c| !self.state.legs.contains_key(c))
                });
                let missed_before = offer.map(|a| a.missed_in_a_row);
                self.on_own_call(agent, |s, user, call| Ok(s.decide_ring_timeout(call, user)));
                if let Some(before) = missed_before {
                    let limit = self.state.phone_of(1).auto_pause_after;
                    let a = &self.state.agents[&user];
                    let paused = a.status == AgentStatus::Break && a.reason.as_deref() == Some("不在");
                    assert_eq!(paused, limit > 0 && before + 1 >= limit, "miss {} of {limit} for {user}", before + 1);
                    assert_eq!(a.missed_in_a_row, if paused { 0 } else { before + 1 });
                }
            }
            Op::CustomerHangup { call } => {
                if let Some(id) = self.arrived.get(*call).cloned()
                    && let Some(changes) = self.state.decide_customer_hangup(&id)
                {
                    self.commit(changes);
                }
            }
            Op::AgentHangup { agent } => self.on_own_call(*agent, |s, user, call| s.decide_hang_up(user, call)),
            Op::Act { agent, action } => {
                if let Ok(changes) = self.state.decide_act(*agent as i32 + 1, *action) {
                    self.commit(changes);
                }
            }
            Op::Hold { agent, held } => self.on_own_call(*agent, |s, user, call| s.decide_hold(user, call, *held)),
            Op::Consult { agent, target } => {
                let agent = self.agent_in(*agent, AgentStatus::InCall);
                // The target is one of the agent's colleagues (same service, not themselves).
                let me = agent as i32 + 1;
                let Some(service) = self.state.agents.get(&me).map(|a| a.service_id) else {
                    return self.offer_and_check();
                };
                let mut colleagues: Vec<i32> = self
                    .state
                    .agents
                    .values()
                    .filter(|a| a.service_id == service && a.user_id != me)
                    .map(|a| a.user_id)
                    .collect();
                colleagues.sort_unstable();
                if !colleagues.is_empty() {
                    let target = ConsultTarget::Agent { user_id: colleagues[*target % colleagues.len()] };
                    self.on_own_call(agent, |s, user, call| {
                        s.decide_consult(user, call, format!("leg{now}").into(), &target, now)
                    });
                }
            }
            Op::ConnectCustomer { agent } => {
                let agent = self.agent_in(*agent, AgentStatus::Consulting);
                self.on_own_call(agent, |s, user, call| s.decide_connect_customer(user, call));
            }
            Op::CancelConsult { agent } => {
                let agent = self.agent_in(*agent, AgentStatus::Consulting);
                self.on_own_call(agent, |s, user, call| s.decide_cancel_consult(user, call));
            }
            Op::Revoke { agent } => {
                // Mostly where it is hardest: an agent something rings.
                let user = self.agent_in(*agent, AgentStatus::Ringing) as i32 + 1;
                match self.state.decide_revoke(user) {
                    Revocation::Now(changes) => self.retire(user, changes),
                    Revocation::AfterCall => self.state.agents.get_mut(&user).expect("an agent").retiring = true,
                    Revocation::Nothing => {}
                }
            }
            Op::Supervise { agent, to } => {
                // Mostly where it waits: an agent on a call.
                let user = self.agent_in(*agent, AgentStatus::InCall) as i32 + 1;
                let scope = app::domain::TicketScope { tenant_id: 1, service_id: None };
                let set = super::change::Supervision { to: *to, reason: Some("昼食".into()) };
                if let Ok(changes) = self.state.decide_supervise(99, scope, user, set) {
                    self.commit(changes);
                }
            }
            Op::Policies { wrapup_limit_ms, auto_pause_after } => {
                let phone = TenantPhone {
                    wrapup_limit_ms: *wrapup_limit_ms,
                    auto_pause_after: *auto_pause_after,
                    ..self.state.phone_of(1)
                };
                self.state.tenants.insert(1, phone);
            }
            Op::WrapupTimer { agent } => {
                let user = self.agent_in(*agent, AgentStatus::Wrapup) as i32 + 1;
                let Some(since) = self.state.agents.get(&user).map(|a| a.since_ms) else {
                    return self.offer_and_check();
                };
                let in_wrapup = self.state.agents[&user].status == AgentStatus::Wrapup;
                let limit = self.state.phone_of(1).wrapup_limit_ms;
                // Early, it does nothing; at the limit, the agent is 待機 again.
                assert!(self.state.decide_wrapup_expired(user, since, since + limit - 1).is_empty());
                self.now = self.now.max(since + limit);
                let changes = self.state.decide_wrapup_expired(user, since, self.now);
                assert_eq!(!changes.is_empty(), in_wrapup && limit > 0, "agent {user} at the limit {limit}");
                self.commit(changes);
                if in_wrapup && limit > 0 {
                    assert_eq!(self.state.agents[&user].status, AgentStatus::Ready);
                }
            }
            Op::Grant { agent, identity } => {
                let user = *agent as i32 + 1;
                let profile = AgentProfile {
                    name: format!("agent {user}"),
                    cti_number: identity.then(|| format!("20{user:02}")),
                    tenant_id: 1,
                    service_id: Some(SERVICES[*agent % SERVICES.len()]),
                    has_cti_identity: *identity,
                };
                self.state.set_profile(user, profile, now);
            }
        }
        // As the actor does after every command: agents whose revocation waited for
        // their call leave once it has ended.
        for user in self.state.free_to_retire() {
            self.retire(user, vec![Change::Status { user, to: AgentStatus::LoggedOut, call: None }]);
        }
        // ...and what supervisors set during calls that have ended comes now.
        for (_, changes) in self.state.due_supervisions() {
            self.commit(changes);
        }
        self.offer_and_check();
    }

    /// Runs the offer step as the actor does after every command, checking how it
    /// chooses.
    fn offer_and_check(&mut self) {
        let before = self.state.clone();
        let changes = self.state.decide_offers(self.now);
        let offers: Vec<(CallId, i32)> = changes
            .iter()
            .filter_map(|c| match c {
                Change::CallOffered { call_id, agent, .. } => Some((call_id.clone(), *agent)),
                _ => None,
            })
            .collect();
        for service in SERVICES {
            let queued = |s: &RoutingState| -> Vec<(u64, CallId)> {
                let mut q: Vec<_> = s
                    .calls
                    .values()
                    .filter(|c| c.call.service_id == service && c.phase == Phase::Queued)
                    .map(|c| (c.seq, c.call.id.clone()))
                    .collect();
                q.sort();
                q
            };
            let waiting = queued(&before);
            let offered: Vec<&(CallId, i32)> =
                offers.iter().filter(|(c, _)| before.calls[c].call.service_id == service).collect();
            // First in, first out: the calls offered are the oldest waiting, in order.
            let oldest: Vec<&CallId> = waiting.iter().take(offered.len()).map(|(_, id)| id).collect();
            assert_eq!(offered.iter().map(|(c, _)| c).collect::<Vec<_>>(), oldest, "FIFO in service {service}");
            // The first offer goes to the longest-idle ready agent who did not miss it.
            if let Some((call, agent)) = offered.first() {
                let missed = &before.calls[call].missed_by;
                let ready: Vec<&Agent> = before
                    .agents
                    .values()
                    .filter(|a| a.status == AgentStatus::Ready && a.service_id == Some(service))
                    .collect();
                let fresh: Vec<&&Agent> = ready.iter().filter(|a| !missed.contains(&a.user_id)).collect();
                let pool: Vec<&Agent> =
                    if fresh.is_empty() { ready.clone() } else { fresh.into_iter().copied().collect() };
                let best = pool.iter().map(|a| (a.ready_since_ms, a.user_id)).min().unwrap();
                assert_eq!(*agent, best.1, "longest idle first for {call}");
            }
        }
        self.commit(changes);
        // Work-conserving: after offering, a service has no waiting call or no ready agent.
        for service in SERVICES {
            let queued = self.state.calls.values().any(|c| c.call.service_id == service && c.phase == Phase::Queued);
            let ready =
                self.state.agents.values().any(|a| a.service_id == Some(service) && a.status == AgentStatus::Ready);
            assert!(!(queued && ready), "service {service} leaves a call waiting beside a ready agent");
        }
    }

    fn check_invariants(&self) {
        // Each call is held by at most one agent, and call and agent agree.
        let mut holders: HashMap<&str, i32> = HashMap::new();
        for a in self.state.agents.values() {
            match (&a.call, a.status) {
                // A consult leg: the colleague's side of a customer call someone holds.
                (Some(c), AgentStatus::Ringing | AgentStatus::InCall) if self.state.legs.contains_key(c) => {
                    let (_, consult) = self.state.call_of_leg(c).expect("a leg belongs to a call");
                    assert_eq!(consult.target, ConsultTarget::Agent { user_id: a.user_id });
                }
                (Some(c), AgentStatus::OnHold | AgentStatus::Consulting) => {
                    assert!(holders.insert(c, a.user_id).is_none(), "{c} held by two agents");
                    assert!(matches!(self.state.calls[c].phase, Phase::Connected { agent, .. } if agent == a.user_id));
                }
                (Some(c), AgentStatus::Ringing | AgentStatus::InCall) => {
                    assert!(holders.insert(c, a.user_id).is_none(), "{c} held by two agents");
                    let phase = &self.state.calls[c].phase;
                    match (a.status, phase) {
                        (AgentStatus::Ringing, Phase::Offered { agent, .. }) => assert_eq!(*agent, a.user_id),
                        (AgentStatus::InCall, Phase::Connected { agent, .. }) => assert_eq!(*agent, a.user_id),
                        other => panic!("agent {} and call {c} disagree: {other:?}", a.user_id),
                    }
                }
                (None, s) => assert!(!s.has_call(), "agent {} is {s:?} without a call", a.user_id),
                other => panic!("agent {} holds a call while {:?}", a.user_id, other.1),
            }
        }
        for (id, c) in &self.state.calls {
            if let Phase::Offered { agent, .. } | Phase::Connected { agent, .. } = c.phase {
                assert_eq!(holders.get(id.as_str()), Some(&agent), "{id} points at an agent who does not hold it");
            }
        }
        for a in self.state.agents.values() {
            assert!(a.reason.is_none() || a.status == AgentStatus::Break, "agent {} has a reason off 休憩", a.user_id);
            assert!(a.pending.is_none() || a.call.is_some(), "agent {} waits for no call: {:?}", a.user_id, a.pending);
        }
        // No call is lost: every call that arrived is live or ended, never both.
        for id in &self.arrived {
            let live = self.state.calls.contains_key(id);
            assert!(live ^ self.ended.contains(id), "{id} is lost (or both live and ended)");
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn routing_never_double_offers_loses_or_reorders_calls(
        (agents, ops) in (1usize..7).prop_flat_map(|n| (Just(n), prop::collection::vec(op(n, 3, 1), 1..120)))
    ) {
        let mut world = World::new(agents, AgentStatus::LoggedOut);
        for op in &ops {
            world.step(op);
            world.check_invariants();
        }
    }

    /// As above on a quiet line with three agents a service who start 待機, so that
    /// colleagues are often ready to be consulted and calls are transferred.
    #[test]
    fn consults_and_transfers_keep_calls_and_tell_every_agent(ops in prop::collection::vec(op(6, 1, 4), 1..160)) {
        let mut world = World::new(6, AgentStatus::Ready);
        for op in &ops {
            world.step(op);
            world.check_invariants();
        }
    }
}
