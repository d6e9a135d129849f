//! The live state of routing and the decisions taken on it. Pure: no clock, no I/O.
//! Every decision is computed from the state without changing it; `apply` is the only
//! way the state changes, and it is called only after the store has the decision.

use std::collections::HashMap;

use app::domain::{AgentAction, AgentStatus, Policy, next_status};
use app::error::AppError;
use app::model::{
    AgentView, BrowserAudio, CallDirection, CallView, ConsultView, EndReason, Endpoint, FloorAgent, FloorCall,
    TicketId, UserId,
};

use super::change::{CallId, Change, Decision, NewCall};
use crate::numbers::Reading;

/// An operator with the phone permission, logged in to CTI or not.
#[derive(Clone, Debug, PartialEq)]
pub struct Agent {
    pub user_id: UserId,
    pub tenant_id: i32,
    pub service_id: Option<i32>,
    /// Both a CTI ID and a CTI number are assigned (F4).
    pub has_cti_identity: bool,
    pub status: AgentStatus,
    pub since_ms: i64,
    /// When the agent last became 待機: the longest idle is offered first.
    pub ready_since_ms: i64,
    pub call: Option<CallId>,
    /// The call whose after-call work (業務(チケット処理)) the agent is doing: its
    /// length is the call's when they leave it.
    pub wrapping: Option<CallId>,
    /// The reason of their 休憩.
    pub reason: Option<String>,
    /// Offers they let ring out since they last answered one (連続不応答で休憩).
    pub missed_in_a_row: u32,
    /// What a supervisor set during the agent's call: it takes effect when the call ends.
    pub pending: Option<super::change::Supervision>,
    /// The status to return to when a dial does not connect.
    pub before_dial: AgentStatus,
    /// How the last dial ended without a conversation, shown until the next call.
    pub last_outcome: Option<EndReason>,
    /// The phone permission was taken away during a call: logged out when it ends.
    pub retiring: bool,
    /// The name colleagues know the agent by, and their extension (F4): what the
    /// transfer popup lists and searches.
    pub name: String,
    pub cti_number: Option<String>,
    /// The agent's phone is registered (SIP); where the telephony needs phones, an agent
    /// without one is not offered calls.
    pub phone_ready: bool,
    /// How many of the agent's phone widgets have their live stream open.
    pub widgets: u32,
    /// Since when none has been open (`None` while one is).
    pub absent_since_ms: Option<i64>,
    /// No widget open for longer than the tenant's 離席とみなすまで: not offered calls
    /// (unless their phone takes them).
    pub away: bool,
    /// Where the agent talks, and (in the browser) whether their audio is ready.
    pub endpoint: Endpoint,
    pub browser_audio: BrowserAudio,
}

impl Agent {
    /// An agent as the store describes them, between calls.
    pub fn new(
        user_id: UserId,
        tenant_id: i32,
        service_id: Option<i32>,
        has_cti_identity: bool,
        status: AgentStatus,
        since_ms: i64,
    ) -> Agent {
        Agent {
            user_id,
            tenant_id,
            service_id,
            has_cti_identity,
            status,
            since_ms,
            ready_since_ms: since_ms,
            call: None,
            wrapping: None,
            reason: None,
            missed_in_a_row: 0,
            pending: None,
            before_dial: AgentStatus::Busy,
            last_outcome: None,
            retiring: false,
            name: String::new(),
            cti_number: None,
            phone_ready: false,
            widgets: 0,
            absent_since_ms: None,
            away: false,
            endpoint: Endpoint::DeskPhone,
            browser_audio: BrowserAudio::Closed,
        }
    }

    /// The agent with the name and extension colleagues see.
    pub fn named(self, name: String, cti_number: Option<String>) -> Agent {
        Agent { name, cti_number, ..self }
    }

    /// The agent talking on `endpoint`.
    pub fn talking_on(self, endpoint: Endpoint) -> Agent {
        Agent { endpoint, ..self }
    }
}

/// A tenant's phone behaviour (F1, F3).
#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize)]
#[serde(into = "TenantPhoneWire")]
pub struct TenantPhone {
    /// The hold music the customer hears (F15), one of `HOLD_MUSIC`.
    pub hold_music: &'static str,
    pub inbound: bool,
    pub outbound: bool,
    /// F11: make the ticket of an outbound call when dialling (有効), not on answer.
    pub ticket_on_dial: bool,
    pub ring_timeout_ms: i64,
    pub policy: Policy,
    /// 離席とみなすまで and CTI自動ログアウト (CTI設定).
    pub away_after_ms: i64,
    pub logout_after_ms: i64,
    /// 待ち呼: answer waiting callers at once, with the hold music.
    pub answer_waiting: bool,
    /// The version (upload time) of the tenant's own hold music, if it uploaded one.
    pub own_music: Option<i64>,
    /// 後処理の上限: after-call work ends by itself after this long (0: never).
    pub wrapup_limit_ms: i64,
    /// 連続不応答で休憩: an agent who lets this many offers in a row ring out goes to
    /// 休憩 (0: never).
    pub auto_pause_after: u32,
}

/// `TenantPhone` as it travels between instances: its hold music by name.
#[derive(serde::Serialize, serde::Deserialize)]
struct TenantPhoneWire {
    hold_music: String,
    #[serde(flatten)]
    rest: TenantPhoneRest,
}

/// The rest of `TenantPhone`, as it is.
#[derive(serde::Serialize, serde::Deserialize)]
struct TenantPhoneRest {
    inbound: bool,
    outbound: bool,
    ticket_on_dial: bool,
    ring_timeout_ms: i64,
    policy: Policy,
    away_after_ms: i64,
    logout_after_ms: i64,
    answer_waiting: bool,
    own_music: Option<i64>,
    wrapup_limit_ms: i64,
    auto_pause_after: u32,
}

impl From<TenantPhone> for TenantPhoneWire {
    fn from(p: TenantPhone) -> Self {
        TenantPhoneWire {
            hold_music: p.hold_music.to_owned(),
            rest: TenantPhoneRest {
                inbound: p.inbound,
                outbound: p.outbound,
                ticket_on_dial: p.ticket_on_dial,
                ring_timeout_ms: p.ring_timeout_ms,
                policy: p.policy,
                away_after_ms: p.away_after_ms,
                logout_after_ms: p.logout_after_ms,
                answer_waiting: p.answer_waiting,
                own_music: p.own_music,
                wrapup_limit_ms: p.wrapup_limit_ms,
                auto_pause_after: p.auto_pause_after,
            },
        }
    }
}

impl TryFrom<TenantPhoneWire> for TenantPhone {
    type Error = String;

    fn try_from(w: TenantPhoneWire) -> Result<Self, String> {
        let r = w.rest;
        Ok(TenantPhone {
            hold_music: app::domain::cti_settings::hold_music_named(&w.hold_music)
                .ok_or_else(|| format!("no hold music {:?}", w.hold_music))?,
            inbound: r.inbound,
            outbound: r.outbound,
            ticket_on_dial: r.ticket_on_dial,
            ring_timeout_ms: r.ring_timeout_ms,
            policy: r.policy,
            away_after_ms: r.away_after_ms,
            logout_after_ms: r.logout_after_ms,
            answer_waiting: r.answer_waiting,
            own_music: r.own_music,
            wrapup_limit_ms: r.wrapup_limit_ms,
            auto_pause_after: r.auto_pause_after,
        })
    }
}

// By hand: a derived impl would ask the input to outlive `'static` for the name.
impl<'de> serde::Deserialize<'de> for TenantPhone {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        <TenantPhoneWire as serde::Deserialize>::deserialize(d)?.try_into().map_err(serde::de::Error::custom)
    }
}

impl Default for TenantPhone {
    fn default() -> Self {
        DEFAULT_PHONE
    }
}

impl TenantPhone {
    pub fn from_settings(inbound: bool, outbound: bool, s: &app::domain::CtiSettings) -> TenantPhone {
        TenantPhone {
            hold_music: app::domain::HOLD_MUSIC
                .iter()
                .find(|m| **m == s.hold_music)
                .copied()
                .unwrap_or(app::domain::HOLD_MUSIC[0]),
            inbound,
            outbound,
            ticket_on_dial: s.outbound_ticket_on_dial,
            ring_timeout_ms: i64::from(s.ring_timeout_secs) * 1000,
            away_after_ms: i64::from(s.away_after_secs) * 1000,
            logout_after_ms: i64::from(s.logout_after_secs) * 1000,
            answer_waiting: s.answer_waiting,
            own_music: None,
            wrapup_limit_ms: i64::from(s.wrapup_limit_secs.max(0)) * 1000,
            auto_pause_after: s.auto_pause_after.max(0) as u32,
            policy: Policy {
                login_status: s.login_status,
                missed_offer_status: s.missed_offer_status,
                status_before_dial: AgentStatus::Busy,
            },
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Phase {
    Queued,
    Offered {
        agent: UserId,
        deadline_ms: i64,
    },
    Connected {
        agent: UserId,
        ticket_id: Option<TicketId>,
    },
    /// An outbound call ringing at the customer.
    Dialing {
        agent: UserId,
        ticket_id: Option<TicketId>,
    },
}

#[derive(Clone, Debug, PartialEq)]
pub struct LiveCall {
    pub call: NewCall,
    /// Arrival order; a call keeps it when an offer rings out, so it keeps its place.
    pub seq: u64,
    pub queued_at_ms: i64,
    /// When an agent (or the dialled customer) answered.
    pub connected_at_ms: Option<i64>,
    pub phase: Phase,
    /// Agents who let this call ring out: not offered it again while another is ready.
    pub missed_by: Vec<UserId>,
    /// The consult call its agent is on (F13), if any.
    pub consult: Option<Consult>,
}

/// A consult leg: the agent holding a call talks to a transfer target.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Consult {
    pub leg_id: CallId,
    pub by: UserId,
    pub target: super::change::ConsultTarget,
    pub answered: bool,
}

/// Why a call cannot enter the system.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error, serde::Serialize, serde::Deserialize)]
pub enum IncomingError {
    #[error("no service answers the number {0}")]
    UnknownNumber(String),
    #[error("the tenant's contract has no inbound calls (電話CTIを使用する – IB)")]
    InboundDisabled,
    #[error("the call {0} exists already")]
    Duplicate(CallId),
    #[error("the call could not be recorded; try again")]
    Unavailable,
}

/// A call admitted to its queue, and how its caller waits.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Queued {
    /// Answer the caller now and play them this hold music while they wait (待ち呼,
    /// CTI設定); `None`: they hear ringing until an agent answers.
    pub music_while_waiting: Option<app::domain::HoldMusic>,
}

/// A service that takes calls on a number.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ServiceLine {
    pub service_id: i32,
    pub tenant_id: i32,
    pub number: String,
}

/// What applying a decision may have changed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[must_use = "the agents and queues touched must be told"]
pub struct Touched {
    /// The agents whose view may differ.
    pub agents: Vec<UserId>,
    /// The services whose count of waiting calls may differ.
    pub services: Vec<i32>,
}

#[derive(Clone, Debug, Default)]
pub struct RoutingState {
    pub agents: HashMap<UserId, Agent>,
    pub calls: HashMap<CallId, LiveCall>,
    pub tenants: HashMap<i32, TenantPhone>,
    /// Services by the number customers dial, in the order they were created.
    pub lines: Vec<ServiceLine>,
    /// Each service's registered caller numbers (発信番号), E.164.
    pub caller_numbers: HashMap<i32, Vec<String>>,
    /// Consult legs to the customer calls they belong to.
    pub legs: HashMap<CallId, CallId>,
    /// Agents are offered calls only with a phone ready (SIP); with the simulator the
    /// widget is the phone.
    pub needs_phones: bool,
    /// How the tenants' staff read customers' numbers.
    pub reading: Reading,
    pub(super) next_seq: u64,
    /// Counts applied decisions: the revision of every view made after them.
    pub revision: u64,
}

const DEFAULT_PHONE: TenantPhone = TenantPhone {
    hold_music: app::domain::HOLD_MUSIC[0],
    inbound: true,
    outbound: true,
    ticket_on_dial: false,
    ring_timeout_ms: 20_000,
    away_after_ms: 30_000,
    logout_after_ms: 600_000,
    answer_waiting: false,
    own_music: None,
    wrapup_limit_ms: 0,
    auto_pause_after: 0,
    policy: Policy {
        login_status: AgentStatus::Busy,
        missed_offer_status: AgentStatus::Ready,
        status_before_dial: AgentStatus::Busy,
    },
};

impl RoutingState {
    pub fn phone_of(&self, tenant_id: i32) -> TenantPhone {
        self.tenants.get(&tenant_id).copied().unwrap_or(DEFAULT_PHONE)
    }

    /// What the tenant's held customers hear: its choice in CTI設定 (its own upload only
    /// once there is one; silence until then).
    pub fn hold_music_of(&self, tenant_id: i32) -> app::domain::HoldMusic {
        use app::domain::HoldMusic;
        let phone = self.phone_of(tenant_id);
        match (phone.hold_music, phone.own_music) {
            (app::domain::HOLD_MUSIC_OWN, Some(version)) => HoldMusic::Own { tenant_id, version },
            (app::domain::HOLD_MUSIC_OWN, None) => HoldMusic::Builtin("none"),
            (name, _) => HoldMusic::Builtin(name),
        }
    }

    /// The hold music of agent `user`'s tenant.
    pub(super) fn hold_music_of_agent(&self, user: UserId) -> app::domain::HoldMusic {
        self.hold_music_of(self.agents.get(&user).map_or(0, |a| a.tenant_id))
    }

    /// The phone behaviour of the tenant of agent `user`.
    pub(super) fn phone_of_agent(&self, user: UserId) -> TenantPhone {
        self.phone_of(self.agents.get(&user).map_or(0, |a| a.tenant_id))
    }

    pub(super) fn agent(&self, user: UserId) -> Result<&Agent, AppError> {
        self.agents.get(&user).ok_or(AppError::NoPhonePermission)
    }

    /// The rules' settings for one agent: the tenant's, with where this agent returns
    /// after a dial that does not connect.
    pub(super) fn policy_for(&self, agent: &Agent) -> Policy {
        Policy { status_before_dial: agent.before_dial, ..self.phone_of(agent.tenant_id).policy }
    }

    /// The phone as `user` sees it.
    pub fn view(&self, user: UserId, now_ms: i64) -> Option<AgentView> {
        let agent = self.agents.get(&user)?;
        let call = agent.call.as_deref().and_then(|id| self.call_view(user, id));
        let phone = self.phone_of(agent.tenant_id);
        Some(AgentView {
            revision: self.revision,
            status: agent.status,
            since_ms: agent.since_ms,
            server_now_ms: now_ms,
            policy: self.policy_for(agent),
            can_dial: phone.outbound,
            last_outcome: agent.last_outcome,
            call,
            permitted: true,
            phone_missing: agent.endpoint == Endpoint::DeskPhone && self.needs_phones && !agent.phone_ready,
            away: agent.away,
            endpoint: agent.endpoint,
            browser_audio: agent.browser_audio,
            break_reason: agent.reason.clone(),
            pending: agent.pending.as_ref().map(|p| p.to),
        })
    }

    /// The call `id` as `user` sees it: their own call (with the consult they are on),
    /// or a consult leg someone calls them on.
    fn call_view(&self, user: UserId, id: &str) -> Option<CallView> {
        let name_of = |target: &super::change::ConsultTarget| match target {
            super::change::ConsultTarget::Agent { user_id } => {
                self.agents.get(user_id).map(|a| a.name.clone()).unwrap_or_default()
            }
            super::change::ConsultTarget::Number { number } => self.reading.shown(number).shown,
        };
        if let Some((c, consult)) = self.call_of_leg(id) {
            return Some(CallView {
                call_id: id.to_owned(),
                direction: c.call.direction,
                customer_number: c.call.customer_number.clone(),
                ticket_id: None,
                consult: Some(ConsultView {
                    with: self.agents.get(&consult.by).map(|a| a.name.clone()).unwrap_or_default(),
                    incoming: true,
                    answered: consult.answered,
                }),
            });
        }
        let c = self.calls.get(id)?;
        Some(CallView {
            call_id: c.call.id.to_string(),
            direction: c.call.direction,
            customer_number: c.call.customer_number.clone(),
            ticket_id: match c.phase {
                Phase::Connected { ticket_id, .. } | Phase::Dialing { ticket_id, .. } => ticket_id,
                _ => None,
            },
            consult: c.consult.as_ref().filter(|k| k.by == user).map(|k| ConsultView {
                with: name_of(&k.target),
                incoming: false,
                answered: k.answered,
            }),
        })
    }

    /// The after-call work that `changes` end: an agent leaving 業務(チケット処理) after
    /// a call, with how long it lasted (the call's handle time includes it).
    pub fn after_call_work_ending(&self, changes: &[Change], at: i64) -> Vec<Change> {
        let mut ending: Vec<Change> = Vec::new();
        for change in changes {
            let Change::Status { user, to, .. } = change else { continue };
            let Some(a) = self.agents.get(user) else { continue };
            let Some(call_id) = a.wrapping.as_ref().filter(|_| a.status == AgentStatus::Wrapup && *to != a.status)
            else {
                continue;
            };
            if !ending.iter().any(|c| matches!(c, Change::AfterCallWork { agent, .. } if agent == user)) {
                ending.push(Change::AfterCallWork {
                    call_id: call_id.clone(),
                    agent: *user,
                    ms: (at - a.since_ms).max(0),
                });
            }
        }
        ending
    }

    /// The statuses that `changes` end, with how long each lasted, for the reports
    /// (time logged out of CTI is not counted). The first change of an agent's status in
    /// a decision ends it; any later one in the same decision lasts no time.
    pub fn status_time_ending(&self, changes: &[Change], at: i64) -> Vec<Change> {
        let mut ending: Vec<Change> = Vec::new();
        for change in changes {
            let Change::Status { user, to, .. } = change else { continue };
            let Some(a) = self.agents.get(user).filter(|a| a.status != *to) else { continue };
            let already = ending.iter().any(|c| matches!(c, Change::StatusTime { user: u, .. } if u == user));
            if !already && a.status != AgentStatus::LoggedOut && at > a.since_ms {
                ending.push(Change::StatusTime { user: *user, status: a.status, from_ms: a.since_ms, to_ms: at });
            }
        }
        ending
    }

    /// Agent `user` as the supervisor's board shows them; `None` for someone in no
    /// service (no call can reach them).
    pub fn floor_row(&self, user: UserId) -> Option<FloorAgent> {
        let a = self.agents.get(&user)?;
        let call = a.call.as_deref().and_then(|id| {
            let (c, since_ms) = match self.call_of_leg(id) {
                // A colleague consults them: the customer is the one on hold.
                Some((c, _)) => (c, a.since_ms),
                None => {
                    let c = self.calls.get(id)?;
                    (c, c.connected_at_ms.unwrap_or(a.since_ms))
                }
            };
            let ticket_id = match c.phase {
                Phase::Connected { ticket_id, .. } | Phase::Dialing { ticket_id, .. } => ticket_id,
                _ => None,
            };
            Some(FloorCall { customer: c.call.customer_number.clone(), since_ms, ticket_id })
        });
        Some(FloorAgent {
            user_id: user,
            name: a.name.clone(),
            service_id: a.service_id?,
            status: a.status,
            since_ms: a.since_ms,
            reason: a.reason.clone(),
            pending: a.pending.as_ref().map(|p| p.to),
            call,
        })
    }

    /// When the longest-waiting caller of `service_id` joined the queue.
    pub fn oldest_waiting(&self, service_id: i32) -> Option<i64> {
        self.calls
            .values()
            .filter(|c| c.call.service_id == service_id && matches!(c.phase, Phase::Queued | Phase::Offered { .. }))
            .map(|c| c.queued_at_ms)
            .min()
    }

    /// The tenant a service belongs to.
    pub fn tenant_of_service(&self, service_id: i32) -> Option<i32> {
        self.lines.iter().find(|l| l.service_id == service_id).map(|l| l.tenant_id)
    }

    /// Calls of `service_id` not yet answered.
    pub fn waiting(&self, service_id: i32) -> u32 {
        self.calls
            .values()
            .filter(|c| c.call.service_id == service_id && matches!(c.phase, Phase::Queued | Phase::Offered { .. }))
            .count() as u32
    }

    /// CTI login and logout, and the statuses an agent picks.
    pub fn decide_act(&self, user: UserId, action: AgentAction) -> Result<Vec<Change>, AppError> {
        let agent = self.agent(user)?;
        if action == AgentAction::CtiLogin && agent.status == AgentStatus::LoggedOut && !agent.has_cti_identity {
            return Err(AppError::NoCtiIdentity);
        }
        let policy = self.phone_of(agent.tenant_id).policy;
        let to = next_status(agent.status, action, &policy)?;
        Ok(vec![Change::Status { user, to, call: None }])
    }

    /// A customer's call reaches the number `dialled` (or the first service's).
    pub fn decide_incoming(
        &self,
        id: CallId,
        customer_number: &str,
        dialled: &str,
    ) -> Result<Vec<Change>, IncomingError> {
        if self.calls.contains_key(&id) {
            return Err(IncomingError::Duplicate(id));
        }
        // Only the service whose number was dialled: a call for no service is refused,
        // never handed to some tenant's.
        let line = self
            .lines
            .iter()
            .find(|l| l.number == dialled)
            .ok_or_else(|| IncomingError::UnknownNumber(dialled.to_owned()))?;
        if !self.phone_of(line.tenant_id).inbound {
            return Err(IncomingError::InboundDisabled);
        }
        Ok(vec![Change::CallQueued(NewCall {
            id,
            direction: CallDirection::Inbound,
            tenant_id: line.tenant_id,
            service_id: line.service_id,
            customer_number: self.reading.shown(customer_number),
            service_number: line.number.clone(),
        })])
    }

    /// How the caller of a call just queued waits.
    pub fn queued(&self, call_id: &str) -> Queued {
        let Some(call) = self.calls.get(call_id) else { return Queued { music_while_waiting: None } };
        let phone = self.phone_of(call.call.tenant_id);
        Queued { music_while_waiting: phone.answer_waiting.then(|| self.hold_music_of(call.call.tenant_id)) }
    }

    /// Whether a call can reach `agent`: in the browser while its audio is connected;
    /// on their phone where the telephony needs one; else on a widget that is open (or
    /// closed only a moment ago).
    pub fn reachable(&self, agent: &Agent) -> bool {
        match agent.endpoint {
            Endpoint::Browser => agent.browser_audio == BrowserAudio::Ready,
            Endpoint::DeskPhone if self.needs_phones => agent.phone_ready,
            Endpoint::DeskPhone => !agent.away,
        }
    }

    /// Offers every queued call that can be offered: calls in arrival order, each to
    /// the ready agent of its service who has been idle longest. An agent who let the
    /// call ring out before is passed over while another agent is ready.
    pub fn decide_offers(&self, now_ms: i64) -> Vec<Change> {
        // Each service's ready agents, longest idle first: gathered once, so that a long
        // queue costs one pass over the agents rather than one per waiting call.
        let mut ready: HashMap<i32, Vec<&Agent>> = HashMap::new();
        for a in self.agents.values().filter(|a| a.status == AgentStatus::Ready && !a.retiring && self.reachable(a)) {
            if let Some(service) = a.service_id {
                ready.entry(service).or_default().push(a);
            }
        }
        if ready.is_empty() {
            return Vec::new();
        }
        for agents in ready.values_mut() {
            agents.sort_unstable_by_key(|a| (a.ready_since_ms, a.user_id));
        }
        let mut queued: Vec<&LiveCall> = self
            .calls
            .values()
            .filter(|c| c.phase == Phase::Queued && ready.contains_key(&c.call.service_id))
            .collect();
        queued.sort_unstable_by_key(|c| c.seq);
        let mut changes = Vec::new();
        for call in queued {
            let Some(agents) = ready.get_mut(&call.call.service_id).filter(|agents| !agents.is_empty()) else {
                continue;
            };
            let fresh = agents.iter().position(|a| !call.missed_by.contains(&a.user_id));
            let agent = agents.remove(fresh.unwrap_or(0));
            let deadline_ms = now_ms + self.phone_of(call.call.tenant_id).ring_timeout_ms;
            changes.push(Change::CallOffered { call_id: call.call.id.clone(), agent: agent.user_id, deadline_ms });
            changes.push(Change::Status {
                user: agent.user_id,
                to: AgentStatus::Ringing,
                call: Some(call.call.id.clone()),
            });
        }
        changes
    }

    /// 応答 by `user` on `call_id`.
    pub fn decide_answer(&self, user: UserId, call_id: &str) -> Result<Vec<Change>, AppError> {
        if self.legs.contains_key(call_id) {
            return self.decide_consult_answered(call_id, Some(user));
        }
        let agent = self.agent(user)?;
        let call = self.calls.get(call_id).ok_or(AppError::OfferGone)?;
        if !matches!(call.phase, Phase::Offered { agent: a, .. } if a == user) {
            return Err(AppError::OfferGone);
        }
        let to = next_status(agent.status, AgentAction::Answer, &self.phone_of(agent.tenant_id).policy)?;
        Ok(vec![
            Change::CallAnswered {
                call_id: call_id.into(),
                agent: user,
                direction: CallDirection::Inbound,
                tenant_id: call.call.tenant_id,
                service_id: call.call.service_id,
                customer_number: call.call.customer_number.clone(),
                make_ticket: true,
            },
            Change::Status { user, to, call: Some(call_id.into()) },
        ])
    }

    /// 終話 by the agent on their connected call, or キャンセル of their dial.
    pub fn decide_hang_up(&self, user: UserId, call_id: &str) -> Result<Vec<Change>, AppError> {
        let agent = self.agent(user)?;
        if agent.call.as_deref() != Some(call_id) {
            return Err(AppError::NotFound);
        }
        if agent.status == AgentStatus::Dialing {
            return Ok(self.dial_failed(call_id, EndReason::Cancelled).unwrap_or_default());
        }
        if let Some((call, consult)) = self.call_of_leg(call_id) {
            // The target ends the consult call: the first agent has the customer again.
            return Ok(self.consult_ended(call, consult, super::change::ConsultEnd::TargetHungUp));
        }
        let to = next_status(agent.status, AgentAction::HangUp, &self.phone_of(agent.tenant_id).policy)?;
        Ok(vec![
            Change::CallEnded { call_id: call_id.into(), reason: EndReason::AgentHangup, agent: Some(user) },
            Change::Status { user, to, call: None },
        ])
    }

    /// The customer hung up: an abandoned call if it never connected.
    pub fn decide_customer_hangup(&self, call_id: &str) -> Option<Vec<Change>> {
        if let Some((call, consult)) = self.call_of_leg(call_id) {
            // The number outside hung up the consult call.
            return Some(self.consult_ended(call, consult, super::change::ConsultEnd::TargetHungUp));
        }
        let call = self.calls.get(call_id)?;
        let id = call_id.into();
        if let (Some(consult), Phase::Connected { agent, .. }) = (&call.consult, &call.phase) {
            let mut changes = self.consult_ended(call, consult, super::change::ConsultEnd::CustomerLeft);
            changes.push(Change::CallEnded { call_id: id, reason: EndReason::CustomerHangup, agent: Some(*agent) });
            changes.push(self.system_status(*agent, AgentAction::CallEnded));
            return Some(changes);
        }
        Some(match call.phase {
            Phase::Queued => vec![Change::CallEnded { call_id: id, reason: EndReason::Abandoned, agent: None }],
            Phase::Offered { agent, .. } => vec![
                Change::CallEnded { call_id: id, reason: EndReason::Abandoned, agent: Some(agent) },
                self.system_status(agent, AgentAction::OfferWithdrawn),
            ],
            Phase::Connected { agent, .. } => vec![
                Change::CallEnded { call_id: id, reason: EndReason::CustomerHangup, agent: Some(agent) },
                self.system_status(agent, AgentAction::CallEnded),
            ],
            Phase::Dialing { .. } => return self.dial_failed(call_id, EndReason::Rejected),
        })
    }

    /// The offer of `call_id` to `user` rang out (if it is still that offer).
    pub fn decide_ring_timeout(&self, call_id: &str, user: UserId) -> Vec<Change> {
        if let Some((call, consult)) = self.call_of_leg(call_id) {
            let rang_out = !consult.answered && consult.target == super::change::ConsultTarget::Agent { user_id: user };
            return if rang_out {
                self.consult_ended(call, consult, super::change::ConsultEnd::NoAnswer)
            } else {
                Vec::new()
            };
        }
        match self.calls.get(call_id).map(|c| &c.phase) {
            Some(Phase::Offered { agent, .. }) if *agent == user => {
                let returned = Change::CallReturned { call_id: call_id.into(), missed_by: user };
                if self.pauses_after_missing(user) {
                    vec![
                        returned,
                        self.system_status(user, AgentAction::AutoPause),
                        Change::BreakReason { user, reason: Some(app::domain::AUTO_PAUSE_REASON.into()) },
                    ]
                } else {
                    vec![returned, self.system_status(user, AgentAction::OfferTimeout)]
                }
            }
            _ => Vec::new(),
        }
    }

    /// 連続不応答で休憩: whether the offer ringing out at `user` is the one too many.
    fn pauses_after_missing(&self, user: UserId) -> bool {
        let Some(a) = self.agents.get(&user) else { return false };
        let limit = self.phone_of(a.tenant_id).auto_pause_after;
        limit > 0 && a.missed_in_a_row + 1 >= limit
    }

    /// When agent `user`'s after-call work ends by itself (後処理の上限), if they are in
    /// it and the tenant has a limit.
    pub fn wrapup_deadline(&self, user: UserId) -> Option<i64> {
        let a = self.agents.get(&user).filter(|a| a.status == AgentStatus::Wrapup)?;
        let limit = self.phone_of(a.tenant_id).wrapup_limit_ms;
        (limit > 0).then_some(a.since_ms + limit)
    }

    /// The after-call work limit's timer, set when agent `user` entered 業務(チケット
    ///処理) at `since`, fired at `now`: back to 待機 if they are still in that same
    /// after-call work and its limit (the tenant's setting now) has passed.
    pub fn decide_wrapup_expired(&self, user: UserId, since: i64, now: i64) -> Vec<Change> {
        let still_there = self.agents.get(&user).is_some_and(|a| a.since_ms == since);
        match self.wrapup_deadline(user) {
            Some(deadline) if still_there && now >= deadline => {
                vec![self.system_status(user, AgentAction::WrapupTimeout)]
            }
            _ => Vec::new(),
        }
    }

    /// A status change the phone system causes. The table allows it by construction
    /// (the call's phase and the agent's status move together); should they ever
    /// disagree, the agent keeps their status rather than routing stopping.
    pub(super) fn system_status(&self, user: UserId, action: AgentAction) -> Change {
        Change::Status { user, to: self.system_next(user, action), call: None }
    }

    /// As `system_status`, with the call the agent holds afterwards.
    pub(super) fn system_status_with_call(&self, user: UserId, action: AgentAction, call: Option<CallId>) -> Change {
        Change::Status { user, to: self.system_next(user, action), call }
    }

    pub(super) fn system_next(&self, user: UserId, action: AgentAction) -> AgentStatus {
        let (status, policy) = self
            .agents
            .get(&user)
            .map(|a| (a.status, self.policy_for(a)))
            .unwrap_or((AgentStatus::LoggedOut, DEFAULT_PHONE.policy));
        next_status(status, action, &policy).unwrap_or(status)
    }

    /// A call enters the live state, after every call already in it.
    fn admit(&mut self, call: &NewCall, queued_at_ms: i64, phase: Phase) {
        self.next_seq += 1;
        let live = LiveCall {
            call: call.clone(),
            seq: self.next_seq,
            queued_at_ms,
            connected_at_ms: None,
            phase,
            missed_by: Vec::new(),
            consult: None,
        };
        self.calls.insert(call.id.clone(), live);
    }

    /// A call the store has as connected to `agent`, and that the telephone system (a
    /// process of its own) still holds connected: routing read again (a takeover)
    /// carries it on rather than closing it. The agent keeps the call; the store needs
    /// nothing new, as nothing changed.
    pub fn carry_on(
        &mut self,
        call: NewCall,
        queued_at_ms: i64,
        connected_at_ms: i64,
        agent: UserId,
        ticket_id: Option<TicketId>,
    ) {
        let Some(a) = self.agents.get_mut(&agent) else { return };
        a.call = Some(call.id.clone());
        self.admit(&call, queued_at_ms, Phase::Connected { agent, ticket_id });
        if let Some(c) = self.calls.get_mut(&call.id) {
            c.connected_at_ms = Some(connected_at_ms);
        }
    }

    /// The agents who see the call `id` (or the customer call of the consult leg `id`)
    /// in their view, and its service, into `touched`.
    fn touch(&self, id: &str, touched: &mut Touched) {
        let id = self.legs.get(id).map_or(id, CallId::as_str);
        let Some(c) = self.calls.get(id) else { return };
        touched.services.push(c.call.service_id);
        if let Phase::Offered { agent, .. } | Phase::Connected { agent, .. } | Phase::Dialing { agent, .. } = c.phase {
            touched.agents.push(agent);
        }
        if let Some(k) = &c.consult {
            touched.agents.push(k.by);
            if let super::change::ConsultTarget::Agent { user_id } = k.target {
                touched.agents.push(user_id);
            }
        }
    }

    /// Applies a decision the store has recorded. `ticket` is the ticket the store made
    /// for an answered call. Answers whose views and which queues may have changed:
    /// only those are pushed, so a call in one service wakes its own agents' browsers,
    /// not the whole floor's.
    pub fn apply(&mut self, decision: &Decision, ticket: Option<TicketId>) -> Touched {
        let mut touched = Touched::default();
        let calls: Vec<&str> = decision.changes.iter().filter_map(Change::call_id).collect();
        // Before and after: a call that ends leaves the state, one that starts enters it,
        // and a transfer changes who holds it.
        for id in &calls {
            self.touch(id, &mut touched);
        }
        self.apply_changes(decision, ticket);
        for id in &calls {
            self.touch(id, &mut touched);
        }
        // And the agents whose status changed (a call's agents are found above).
        touched.agents.extend(decision.changes.iter().filter_map(|c| match c {
            Change::Status { user, .. } | Change::Supervised { user, .. } | Change::BreakReason { user, .. } => {
                Some(*user)
            }
            _ => None,
        }));
        touched.agents.sort_unstable();
        touched.agents.dedup();
        touched.services.sort_unstable();
        touched.services.dedup();
        touched
    }

    fn apply_changes(&mut self, decision: &Decision, ticket: Option<TicketId>) {
        let at = decision.at_ms;
        self.revision += 1;
        for change in &decision.changes {
            match change {
                Change::Status { user, to, call } => {
                    if let Some(a) = self.agents.get_mut(user) {
                        if a.status != *to {
                            a.since_ms = at;
                            if *to == AgentStatus::Ready {
                                a.ready_since_ms = at;
                            }
                            if *to == AgentStatus::Dialing {
                                a.before_dial = a.status;
                            }
                            a.wrapping = match *to {
                                AgentStatus::Wrapup => a.call.clone(),
                                _ => None,
                            };
                        }
                        if *to != AgentStatus::Break {
                            a.reason = None;
                        }
                        // Answering a call, a pause for missing them, or leaving CTI
                        // starts the count of missed offers again.
                        if matches!(*to, AgentStatus::InCall | AgentStatus::LoggedOut)
                            || (*to == AgentStatus::Break && a.status == AgentStatus::Ringing)
                        {
                            a.missed_in_a_row = 0;
                        }
                        if a.pending.as_ref().is_some_and(|p| p.to == *to) {
                            a.pending = None;
                        }
                        if call.is_some() {
                            a.last_outcome = None;
                        }
                        a.status = *to;
                        a.call = call.clone();
                    }
                }
                // What the customer hears is the telephone system's; the agent's status
                // says the call is held. After-call work ends with the status it leaves.
                Change::CallHeld { .. }
                | Change::MessagePlayed { .. }
                | Change::AfterCallWork { .. }
                | Change::StatusTime { .. } => {}
                Change::Supervised { user, set, at_once, .. } => {
                    if let Some(a) = self.agents.get_mut(user) {
                        a.pending = (!at_once).then(|| set.clone());
                    }
                }
                Change::BreakReason { user, reason } => {
                    if let Some(a) = self.agents.get_mut(user) {
                        a.reason = reason.clone();
                    }
                }
                Change::ConsultStarted { call_id, leg_id, agent, target, .. } => {
                    if let Some(c) = self.calls.get_mut(call_id) {
                        c.consult = Some(Consult {
                            leg_id: leg_id.clone(),
                            by: *agent,
                            target: target.clone(),
                            answered: false,
                        });
                        self.legs.insert(leg_id.clone(), call_id.clone());
                    }
                }
                Change::ConsultAnswered { call_id } => {
                    if let Some(consult) = self.calls.get_mut(call_id).and_then(|c| c.consult.as_mut()) {
                        consult.answered = true;
                    }
                }
                Change::ConsultEnded { call_id, how } => {
                    if let Some(consult) = self.calls.get_mut(call_id).and_then(|c| c.consult.take()) {
                        self.legs.remove(&consult.leg_id);
                        if let Some(a) = self.agents.get_mut(&consult.by) {
                            a.last_outcome = how.outcome();
                        }
                    }
                }
                Change::Transferred { call_id, to, .. } => {
                    if let Some(c) = self.calls.get_mut(call_id) {
                        if let Some(consult) = c.consult.take() {
                            self.legs.remove(&consult.leg_id);
                        }
                        if let (super::change::ConsultTarget::Agent { user_id }, Phase::Connected { agent, .. }) =
                            (to, &mut c.phase)
                        {
                            *agent = *user_id;
                        }
                    }
                }
                Change::CallQueued(call) => self.admit(call, at, Phase::Queued),
                Change::CallRequeued { call, queued_at_ms } => self.admit(call, *queued_at_ms, Phase::Queued),
                Change::CallDialed { call, agent, .. } => {
                    self.admit(call, at, Phase::Dialing { agent: *agent, ticket_id: ticket })
                }
                Change::CallOffered { call_id, agent, deadline_ms } => {
                    if let Some(c) = self.calls.get_mut(call_id) {
                        c.phase = Phase::Offered { agent: *agent, deadline_ms: *deadline_ms };
                    }
                }
                Change::CallReturned { call_id, missed_by } => {
                    if let Some(c) = self.calls.get_mut(call_id) {
                        c.phase = Phase::Queued;
                        c.missed_by.push(*missed_by);
                    }
                    if let Some(a) = self.agents.get_mut(missed_by) {
                        a.missed_in_a_row += 1;
                    }
                }
                Change::CallAnswered { call_id, agent, .. } => {
                    if let Some(c) = self.calls.get_mut(call_id) {
                        // An outbound call made its ticket when it was dialled (F11 有効).
                        let made_before = match c.phase {
                            Phase::Dialing { ticket_id, .. } => ticket_id,
                            _ => None,
                        };
                        c.phase = Phase::Connected { agent: *agent, ticket_id: ticket.or(made_before) };
                        c.connected_at_ms.get_or_insert(at);
                    }
                }
                Change::CallEnded { call_id, reason, agent } => {
                    self.calls.remove(call_id);
                    let unanswered_dial = matches!(
                        reason,
                        EndReason::NoAnswer | EndReason::Busy | EndReason::Rejected | EndReason::Cancelled
                    );
                    if unanswered_dial && let Some(a) = agent.and_then(|a| self.agents.get_mut(&a)) {
                        a.last_outcome = Some(*reason);
                    }
                }
            }
        }
    }
}
