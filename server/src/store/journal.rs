//! Recording routing's decisions: every change of a decision in one transaction, so the
//! store never holds half of one (a connected call without its ticket, say).

use app::domain::ShownNumber;
use app::i18n::{Key, Locale, text};
use app::model::{AuditAction, CallDirection, TicketId, TicketStatus};
use sea_orm::sea_query::{Alias, Expr, ExprTrait, Func, OnConflict, Query};
use sea_orm::{
    ActiveValue::NotSet, ColumnTrait, DatabaseTransaction, EntityTrait, QueryFilter, QueryTrait, Set, TransactionTrait,
};

use super::audit::Audit;
use super::entities::{agent_state, call, call_event, customer, status_history, status_interval, ticket};
use super::script::Script;
use super::{Store, StoreError};
use crate::routing::change::{Change, ConsultTarget, Decision, NewCall};

impl Store {
    /// Writes a decision; answers the ticket created for an answered call.
    pub async fn record(&self, decision: &Decision) -> Result<Option<TicketId>, StoreError> {
        let batch = self.begin_batch().await?;
        let made = record_in(&batch, decision, &mut false).await?;
        batch.commit().await?;
        Ok(made)
    }

    /// As `record`, in a cluster under the tenant's `lease`: nothing is written if the
    /// lease has passed to another epoch (`StoreError::Fenced`).
    pub async fn record_fenced(
        &self,
        decision: &Decision,
        lease: Option<super::leases::Lease>,
    ) -> Result<Option<TicketId>, StoreError> {
        let batch = self.begin_batch().await?;
        if let Some(lease) = lease {
            super::leases::fence(&batch, lease).await?;
        }
        let made = record_in(&batch, decision, &mut false).await?;
        batch.commit().await?;
        Ok(made)
    }

    /// A transaction for a batch of decisions (group commit: routing records the
    /// commands waiting in its mailbox together, `routing/batch.rs`).
    pub async fn begin_batch(&self) -> Result<DatabaseTransaction, StoreError> {
        Ok(self.db.begin().await?)
    }
}

/// Writes a decision within a batch: all of it, or (refused) none of it, the batch's
/// other decisions standing (a savepoint; `script.rs`). Answers the ticket created for
/// an answered call. A decision refused part way that cannot be undone is
/// `StoreError::Unsettled`: the batch must not commit.
pub async fn record_in(
    batch: &DatabaseTransaction,
    decision: &Decision,
    open: &mut bool,
) -> Result<Option<TicketId>, StoreError> {
    let mut script = Script::begin(batch, open).await?;
    let mut made = None;
    for change in &decision.changes {
        match record_change(&mut script, change, decision.at_ms).await {
            Ok(Some(id)) => made = Some(id),
            Ok(None) => {}
            Err(e) => {
                script.abandon().await.map_err(|undo| StoreError::Unsettled(Box::new(undo)))?;
                return Err(e);
            }
        }
    }
    script.finish().await?;
    Ok(made)
}

async fn record_change(w: &mut Script<'_>, change: &Change, at: i64) -> Result<Option<TicketId>, StoreError> {
    match change {
        Change::CallHeld { call_id, agent, held, music } => {
            let kind = if *held { "hold" } else { "release" };
            event(w, call_id, at, kind, Some(*agent), held.then(|| (*music).to_owned())).await?;
        }
        Change::ConsultStarted { call_id, agent, target, .. } => {
            event(w, call_id, at, "consult_started", Some(*agent), Some(target_detail(target))).await?;
        }
        Change::ConsultAnswered { call_id } => {
            event(w, call_id, at, "consult_answered", None, None).await?;
        }
        Change::ConsultEnded { call_id, how } => {
            event(w, call_id, at, how.as_str(), None, None).await?;
        }
        Change::Transferred { call_id, from, to } => {
            if let ConsultTarget::Agent { user_id } = to {
                // The target owns the call now; the ticket stays the call's.
                w.run(&update_call(call_id, call::ActiveModel { agent_id: Set(Some(*user_id)), ..Default::default() }))
                    .await?;
            }
            event(w, call_id, at, "transferred", Some(*from), Some(target_detail(to))).await?;
        }
        Change::AfterCallWork { call_id, ms, .. } => {
            // Summed: a transfer leaves both agents work to do.
            let sum = Expr::expr(Func::coalesce([Expr::col(call::Column::WrapupMs), Expr::val(0i64)])).add(*ms);
            w.run(
                &call::Entity::update_many()
                    .col_expr(call::Column::WrapupMs, sum)
                    .filter(call::Column::Id.eq(call_id.as_str())),
            )
            .await?;
            super::call_quarters::add_wrapup(w, call_id, *ms).await?;
        }
        Change::StatusTime { user, status, from_ms, to_ms } => {
            // Added to each quarter hour it spans (usually one).
            let quarters = app::domain::report::time_in_status(
                &[(*status, *from_ms)],
                *from_ms,
                *to_ms,
                *to_ms,
                app::domain::report::Interval::Quarter,
            );
            for (start, times) in quarters {
                let add = status_interval::Entity::insert(status_interval::ActiveModel {
                    user_id: Set(*user),
                    start_ms: Set(start),
                    status: Set(status.as_str().to_owned()),
                    ms: Set(times.of(*status)),
                })
                .on_conflict(
                    OnConflict::columns([
                        status_interval::Column::UserId,
                        status_interval::Column::StartMs,
                        status_interval::Column::Status,
                    ])
                    .value(
                        status_interval::Column::Ms,
                        Expr::col((status_interval::Entity, status_interval::Column::Ms))
                            .add(Expr::col((Alias::new("excluded"), status_interval::Column::Ms))),
                    )
                    .to_owned(),
                );
                w.run(&add).await?;
            }
        }
        Change::BreakReason { user, reason } => {
            w.run(
                &agent_state::Entity::update_many()
                    .col_expr(agent_state::Column::Reason, Expr::value(reason.clone()))
                    .filter(agent_state::Column::UserId.eq(*user)),
            )
            .await?;
        }
        Change::Supervised { by, tenant_id, name, from, set, at_once, .. } => {
            #[derive(serde::Serialize)]
            struct Was {
                status: &'static str,
            }
            #[derive(serde::Serialize)]
            struct SetTo<'a> {
                status: &'static str,
                reason: Option<&'a str>,
                /// Set during a call: it comes when the call ends.
                after_call: bool,
            }
            let after = SetTo { status: set.to.as_str(), reason: set.reason.as_deref(), after_call: !at_once };
            let audit =
                Audit { tenant_id: *tenant_id, actor_id: *by, action: AuditAction::AgentStatusSet, subject: name, at };
            audit.record(w.sent().await?, Some(&Was { status: from.as_str() }), Some(&after)).await?;
        }
        Change::MessagePlayed { call_id, agent, message } => {
            event(w, call_id, at, "message_played", Some(*agent), Some(message.clone())).await?;
        }
        Change::Status { user, to, .. } => {
            let state = agent_state::Entity::insert(agent_state::ActiveModel {
                user_id: Set(*user),
                status: Set(to.as_str().to_owned()),
                since: Set(at),
                // A new status has no reason until one is given (`BreakReason`).
                reason: Set(None),
            })
            .on_conflict(
                OnConflict::column(agent_state::Column::UserId)
                    .update_columns([
                        agent_state::Column::Status,
                        agent_state::Column::Since,
                        agent_state::Column::Reason,
                    ])
                    .to_owned(),
            );
            w.run(&state).await?;
            w.run(&status_history::Entity::insert(status_history::ActiveModel {
                id: NotSet,
                user_id: Set(*user),
                status: Set(to.as_str().to_owned()),
                at: Set(at),
            }))
            .await?;
        }
        Change::CallQueued(c) => {
            insert_call(w, c, at, "queued", None, None).await?;
            event(w, &c.id, at, "queued", None, None).await?;
        }
        Change::CallDialed { call: c, agent, with_ticket } => {
            let ticket = match with_ticket {
                true => Some(
                    insert_ticket(
                        w,
                        c.tenant_id,
                        c.service_id,
                        CallDirection::Outbound,
                        &c.customer_number,
                        *agent,
                        &c.id,
                        at,
                    )
                    .await?,
                ),
                false => None,
            };
            insert_call(w, c, at, "dialing", Some(*agent), ticket).await?;
            event(w, &c.id, at, "dialled", Some(*agent), Some(c.service_number.clone())).await?;
            return Ok(ticket);
        }
        Change::CallRequeued { call, .. } => {
            w.run(&update_call(
                &call.id,
                call::ActiveModel {
                    state: Set("queued".into()),
                    agent_id: Set(None),
                    offered_at: Set(None),
                    ..Default::default()
                },
            ))
            .await?;
            event(w, &call.id, at, "requeued_after_restart", None, None).await?;
        }
        Change::CallOffered { call_id, agent, .. } => {
            w.run(&update_call(
                call_id,
                call::ActiveModel {
                    state: Set("offered".into()),
                    agent_id: Set(Some(*agent)),
                    offered_at: Set(Some(at)),
                    ..Default::default()
                },
            ))
            .await?;
            event(w, call_id, at, "offered", Some(*agent), None).await?;
        }
        Change::CallReturned { call_id, missed_by } => {
            w.run(&update_call(
                call_id,
                call::ActiveModel { state: Set("queued".into()), agent_id: Set(None), ..Default::default() },
            ))
            .await?;
            event(w, call_id, at, "ring_timeout", Some(*missed_by), None).await?;
        }
        Change::CallAnswered { call_id, agent, direction, tenant_id, service_id, customer_number, make_ticket } => {
            let ticket = match make_ticket {
                true => Some(
                    insert_ticket(w, *tenant_id, *service_id, *direction, customer_number, *agent, call_id, at).await?,
                ),
                false => None,
            };
            let mut update = call::ActiveModel {
                state: Set("connected".into()),
                agent_id: Set(Some(*agent)),
                answered_at: Set(Some(at)),
                ..Default::default()
            };
            if ticket.is_some() {
                update.ticket_id = Set(ticket);
            }
            w.run(&update_call(call_id, update)).await?;
            event(w, call_id, at, "answered", Some(*agent), None).await?;
            return Ok(ticket);
        }
        Change::CallEnded { call_id, reason, agent } => {
            if let Some(before) = w.one::<call::Model>(&call::Entity::find_by_id(call_id.as_str())).await? {
                super::call_quarters::add_ended(w, &before, at).await?;
            }
            w.run(&update_call(
                call_id,
                call::ActiveModel {
                    state: Set("ended".into()),
                    ended_at: Set(Some(at)),
                    end_reason: Set(Some(reason.as_str().to_owned())),
                    ..Default::default()
                },
            ))
            .await?;
            event(w, call_id, at, reason.as_str(), *agent, None).await?;
        }
    }
    Ok(None)
}

/// A consult target as the call log keeps it: `agent:<id>` or the number.
fn target_detail(t: &ConsultTarget) -> String {
    match t {
        ConsultTarget::Agent { user_id } => format!("agent:{user_id}"),
        ConsultTarget::Number { number } => number.clone(),
    }
}

/// The columns of `changed` set, on the call `id`.
fn update_call(id: &str, changed: call::ActiveModel) -> sea_orm::UpdateMany<call::Entity> {
    call::Entity::update_many().set(changed).filter(call::Column::Id.eq(id))
}

async fn insert_call(
    w: &mut Script<'_>,
    c: &NewCall,
    at: i64,
    state: &str,
    agent: Option<i32>,
    ticket: Option<TicketId>,
) -> Result<(), StoreError> {
    w.run(&call::Entity::insert(call::ActiveModel {
        id: Set(c.id.to_string()),
        tenant_id: Set(c.tenant_id),
        service_id: Set(c.service_id),
        direction: Set(c.direction.as_str().to_owned()),
        customer_number: Set(c.customer_number.e164.clone()),
        service_number: Set(c.service_number.clone()),
        state: Set(state.to_owned()),
        agent_id: Set(agent),
        ticket_id: Set(ticket),
        queued_at: Set(at),
        offered_at: Set(None),
        answered_at: Set(None),
        ended_at: Set(None),
        end_reason: Set(None),
        wrapup_ms: Set(None),
    }))
    .await
}

/// The ticket every phone call gets (made when the call connects, or when an outbound
/// call is dialled under F11 有効).
#[allow(clippy::too_many_arguments)]
async fn insert_ticket(
    w: &mut Script<'_>,
    tenant_id: i32,
    service_id: i32,
    direction: CallDirection,
    customer_number: &ShownNumber,
    agent: i32,
    call_id: &str,
    at: i64,
) -> Result<TicketId, StoreError> {
    let subject_key = match direction {
        CallDirection::Inbound => Key::InboundCallSubject,
        CallDirection::Outbound => Key::OutboundCallSubject,
    };
    let mut insert = ticket::Entity::insert(ticket::ActiveModel {
        id: NotSet,
        tenant_id: Set(tenant_id),
        service_id: Set(service_id),
        // The subject is read: the number as people write it.
        subject: Set(format!("{} {}", text(Locale::Ja, subject_key), customer_number.shown)),
        body: Set(String::new()),
        status: Set(TicketStatus::Open.as_str().to_owned()),
        channel: Set("phone".into()),
        customer_number: Set(Some(customer_number.e164.clone())),
        assignee_id: Set(Some(agent)),
        call_id: Set(Some(call_id.to_owned())),
        created_at: Set(at),
        updated_at: Set(at),
        version: Set(1),
        customer_id: NotSet,
        direction: Set(Some(direction.as_str().to_owned())),
    });
    // The insert answers the new ticket's id.
    QueryTrait::query(&mut insert).returning_col(ticket::Column::Id);
    let row = w.row(insert.build(w.backend())).await?.ok_or(StoreError::Refused(app::error::AppError::Internal))?;
    let id = row.try_get_by_index::<TicketId>(0)?;
    // A known caller's new ticket is theirs from the start: found by the store as it
    // writes, not read first (a read is a round trip while routing holds the writer).
    let known = Query::select()
        .column(customer::Column::Id)
        .from(customer::Entity)
        .and_where(customer::Column::TenantId.eq(tenant_id))
        .and_where(customer::Column::Number.eq(customer_number.e164.as_str()))
        .limit(1)
        .to_owned();
    w.run(
        &ticket::Entity::update_many()
            .col_expr(ticket::Column::CustomerId, Expr::from(known))
            .filter(ticket::Column::Id.eq(id)),
    )
    .await?;
    Ok(id)
}

async fn event(
    w: &mut Script<'_>,
    call_id: &str,
    at: i64,
    kind: &str,
    agent: Option<i32>,
    detail: Option<String>,
) -> Result<(), StoreError> {
    w.run(&call_event::Entity::insert(call_event::ActiveModel {
        id: NotSet,
        call_id: Set(call_id.to_owned()),
        at: Set(at),
        kind: Set(kind.to_owned()),
        agent_id: Set(agent),
        detail: Set(detail),
    }))
    .await
}
