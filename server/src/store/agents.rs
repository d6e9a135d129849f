//! Loading routing's live state at start-up, and closing what a stop cut off.

use std::collections::HashMap;

use app::domain::{AgentAction, AgentStatus, next_status};
use app::model::{CallDirection, EndReason, UserId};
use sea_orm::{ActiveModelTrait, ColumnTrait, Condition, EntityTrait, QueryFilter, QueryOrder, Set};

use super::entities::{agent_state, call, caller_number, cti_settings, service, tenant, user};
use super::{Store, StoreError};
use crate::routing::change::{CallId, Change, Decision, NewCall};
use crate::routing::state::{Agent, RoutingState, ServiceLine};

/// Whose routing state to load: every tenant's (at start-up), or one tenant's (its
/// routing task recovering, or taking the tenant over).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    All,
    Tenant(i32),
}

impl Scope {
    /// Rows of `column` (a tenant id) in scope.
    fn rows(self, column: impl ColumnTrait) -> Condition {
        match self {
            Scope::All => Condition::all(),
            Scope::Tenant(id) => Condition::all().add(column.eq(id)),
        }
    }
}

/// What the telephone system holds when routing reads a tenant's state.
#[derive(Debug, Clone, Copy)]
pub struct Lines<'a> {
    /// Calls whose customers it still holds, unanswered: they are queued again.
    pub waiting: &'a [CallId],
    /// Calls it holds connected.
    pub connected: &'a [CallId],
    /// It is a process apart that outlived the routing that held the tenant.
    pub outlived: bool,
}

fn status_or(s: &str, default: AgentStatus) -> AgentStatus {
    AgentStatus::parse(s).unwrap_or(default)
}

impl Store {
    /// Keeps where `user` talks.
    pub async fn set_endpoint(&self, user: UserId, endpoint: app::model::Endpoint) -> Result<(), StoreError> {
        user::ActiveModel { id: Set(user), phone_endpoint: Set(endpoint.stored().to_owned()), ..Default::default() }
            .update(&self.db)
            .await?;
        Ok(())
    }

    /// The routing state as the store has it. A call that was connected when the
    /// server stopped cannot continue: it is closed with the reason recorded, and its
    /// agent moves on as if it had ended; an agent whose phone rang is 待機 again.
    /// `waiting` are the calls whose customers the telephone system still holds,
    /// unanswered: they are queued again in their old order. Answers the state and the
    /// calls that were closed.
    pub async fn load_routing(
        &self,
        now: i64,
        waiting: &[CallId],
        scope: Scope,
    ) -> Result<(RoutingState, Vec<CallId>), StoreError> {
        let lines = Lines { waiting, connected: &[], outlived: false };
        self.load_routing_carrying(now, lines, scope, None).await
    }

    /// As `load_routing`, where the telephone system is a process apart that outlived
    /// the last owner (`lines.outlived`): a takeover cuts no conversation. A call the
    /// store has connected carries on with its agent: if its line ended meanwhile (a
    /// hang-up during the takeover), the report of it, sent again to the new owner,
    /// ends it with its true reason; if the agent's 終話 was carried out on the line by
    /// the owner that died, their widget still shows the call, and 終話 ends it. An agent
    /// who was consulting is back with their customer, on hold (the consult leg is not
    /// kept in the store). A call the telephone system has connected but the store still
    /// has ringing at an agent was answered on the line by an owner that died before
    /// recording it: the answer is recorded now. What it closes is written under
    /// `lease` (a new owner's): nothing, if another instance has taken the tenant since
    /// (`StoreError::Fenced`).
    pub async fn load_routing_carrying(
        &self,
        now: i64,
        lines: Lines<'_>,
        scope: Scope,
        lease: Option<super::leases::Lease>,
    ) -> Result<(RoutingState, Vec<CallId>), StoreError> {
        let mut state = RoutingState::default();
        // Revisions keep rising across restarts, so that an open tab, whose stream
        // reconnects to the new process, takes the new views as newer.
        state.revision = (now.max(0) as u64) * 1000;
        state.reading = self.reading;
        let settings: HashMap<i32, cti_settings::Model> = cti_settings::Entity::find()
            .filter(scope.rows(cti_settings::Column::TenantId))
            .all(&self.db)
            .await?
            .into_iter()
            .map(|s| (s.tenant_id, s))
            .collect();
        let own_music = self.hold_music_versions().await?;
        for t in tenant::Entity::find().filter(scope.rows(tenant::Column::Id)).all(&self.db).await? {
            state
                .tenants
                .insert(t.id, super::admin::tenant_phone(&t, settings.get(&t.id), own_music.get(&t.id).copied()));
        }
        state.lines = service::Entity::find()
            .filter(scope.rows(service::Column::TenantId))
            .order_by_asc(service::Column::Id)
            .all(&self.db)
            .await?
            .into_iter()
            .map(|s| ServiceLine { service_id: s.id, tenant_id: s.tenant_id, number: s.inbound_number })
            .collect();

        let services: std::collections::HashSet<i32> = state.lines.iter().map(|l| l.service_id).collect();
        for n in caller_number::Entity::find().order_by_asc(caller_number::Column::Id).all(&self.db).await? {
            if services.contains(&n.service_id) {
                state.caller_numbers.entry(n.service_id).or_default().push(n.number);
            }
        }

        let statuses: HashMap<i32, agent_state::Model> =
            agent_state::Entity::find().all(&self.db).await?.into_iter().map(|a| (a.user_id, a)).collect();
        for u in user::Entity::find()
            .filter(scope.rows(user::Column::TenantId))
            .filter(user::Column::PhonePermission.eq(true))
            .filter(user::Column::Active.eq(true))
            .all(&self.db)
            .await?
        {
            let (status, since) = statuses
                .get(&u.id)
                .map(|a| (status_or(&a.status, AgentStatus::LoggedOut), a.since))
                .unwrap_or((AgentStatus::LoggedOut, now));
            let mut agent =
                Agent::new(u.id, u.tenant_id, u.service_id, super::operators::has_cti_identity(&u), status, since)
                    .named(u.display_name.clone(), u.cti_number.clone())
                    .talking_on(app::model::Endpoint::from_stored(&u.phone_endpoint));
            agent.reason = statuses.get(&u.id).and_then(|a| a.reason.clone()).filter(|_| status == AgentStatus::Break);
            state.agents.insert(u.id, agent);
        }

        let mut changes = Vec::new();
        let mut closed = Vec::new();
        let unfinished = call::Entity::find()
            .filter(scope.rows(call::Column::TenantId))
            .filter(call::Column::State.ne("ended"))
            .order_by_asc(call::Column::QueuedAt)
            .all(&self.db)
            .await?;
        let Lines { waiting, connected, outlived } = lines;
        let mut carried = Vec::new();
        let mut unrecorded = Vec::new();
        for c in unfinished {
            // Answered on the line by an owner that died before it recorded the answer.
            let answered = c.agent_id.filter(|agent| {
                c.state == "offered"
                    && connected.iter().any(|up| up.as_str() == c.id)
                    && state.agents.get(agent).is_some_and(|a| a.status == AgentStatus::Ringing)
            });
            if let Some(agent) = answered {
                unrecorded.push((CallId::from(c.id.as_str()), agent));
                changes.push(Change::CallRequeued { queued_at_ms: c.queued_at, call: self.live_call(c) });
                continue;
            }
            let still_waiting = waiting.iter().any(|w| w.as_str() == c.id) && c.state != "connected";
            let talking = c.agent_id.filter(|agent| {
                c.state == "connected"
                    && (outlived || connected.iter().any(|up| up.as_str() == c.id))
                    && state.agents.get(agent).is_some_and(|a| {
                        matches!(a.status, AgentStatus::InCall | AgentStatus::OnHold | AgentStatus::Consulting)
                    })
            });
            if let Some(agent) = talking {
                carried.push((c, agent));
            } else if still_waiting {
                changes.push(Change::CallRequeued { queued_at_ms: c.queued_at, call: self.live_call(c) });
            } else {
                closed.push(CallId::from(c.id.as_str()));
                changes.push(Change::CallEnded {
                    call_id: c.id.into(),
                    reason: EndReason::ServerRestart,
                    agent: c.agent_id,
                });
            }
        }
        let carried_by = |user: UserId| carried.iter().any(|(_, agent)| *agent == user);
        for a in state.agents.values() {
            if unrecorded.iter().any(|(_, agent)| *agent == a.user_id) {
                continue;
            }
            if carried_by(a.user_id) {
                if a.status == AgentStatus::Consulting {
                    let call = carried.iter().find(|(_, agent)| *agent == a.user_id).map(|(c, _)| c.id.as_str().into());
                    changes.push(Change::Status { user: a.user_id, to: AgentStatus::OnHold, call });
                }
                continue;
            }
            let action = match a.status {
                AgentStatus::Ringing => AgentAction::OfferWithdrawn,
                AgentStatus::Dialing => AgentAction::DialFailed,
                AgentStatus::InCall | AgentStatus::OnHold | AgentStatus::Consulting => AgentAction::CallEnded,
                _ => continue,
            };
            let policy = state.phone_of(a.tenant_id).policy;
            let to = next_status(a.status, action, &policy).unwrap_or(AgentStatus::Busy);
            changes.push(Change::Status { user: a.user_id, to, call: None });
        }
        if !changes.is_empty() {
            let decision = Decision::new(now, changes);
            self.record_fenced(&decision, lease).await?;
            let _ = state.apply(&decision, None);
        }
        for (c, agent) in carried {
            let (queued_at, connected_at, ticket) = (c.queued_at, c.answered_at.unwrap_or(c.queued_at), c.ticket_id);
            state.carry_on(self.live_call(c), queued_at, connected_at, agent, ticket);
        }
        // The answer is recorded now, as the agent made it: the call, still offered to
        // them, is answered (its ticket made), and they talk.
        for (call_id, agent) in unrecorded {
            let offered = Change::CallOffered { call_id: call_id.clone(), agent, deadline_ms: now };
            let _ = state.apply(&Decision::new(now, vec![offered]), None);
            if let Ok(answer) = state.decide_answer(agent, &call_id) {
                let decision = Decision::new(now, answer);
                let ticket = self.record_fenced(&decision, lease).await?;
                let _ = state.apply(&decision, ticket);
            }
        }
        Ok((state, closed))
    }

    /// A call's row as routing holds it.
    fn live_call(&self, c: call::Model) -> NewCall {
        NewCall {
            id: c.id.into(),
            direction: if c.direction == "outbound" { CallDirection::Outbound } else { CallDirection::Inbound },
            tenant_id: c.tenant_id,
            service_id: c.service_id,
            customer_number: self.reading.shown(&c.customer_number),
            service_number: c.service_number,
        }
    }
}
