//! The ended calls, added up per service, agent and quarter hour as they end
//! (`call_quarters`), so that a report over a month reads thousands of rows, not a
//! million calls; the calls still going on are read as they are. What a report asks
//! later (its short-abandon cut, the service-level threshold of the day) is counted
//! exactly from the sums' histograms (`app::domain::call_sums`).

use std::collections::BTreeMap;

use app::domain::call_sums::{CallSums, EndedCall, Histogram};
use app::model::QueueFigures;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, Set};

use super::entities::{call, call_quarter};
use super::figures::{Figures, Span};
use super::script::Script;
use super::{Store, StoreError};

const QUARTER_MS: i64 = app::domain::report::Interval::Quarter.ms();

/// The quarter hour a call belongs to: the one it joined the queue in.
fn quarter_of(queued_at: i64) -> i64 {
    queued_at.div_euclid(QUARTER_MS) * QUARTER_MS
}

impl Store {
    /// The figures of each service, agent and interval of `span` that had a call: the
    /// ended calls from their quarter hours, those going on from the calls.
    pub async fn report_figures(&self, span: Span) -> Result<Vec<Figures>, StoreError> {
        let mut q = call_quarter::Entity::find()
            .filter(call_quarter::Column::TenantId.eq(span.tenant_id))
            .filter(call_quarter::Column::StartMs.gte(span.from_ms))
            .filter(call_quarter::Column::StartMs.lt(span.to_ms));
        if let Some(service) = span.service_id {
            q = q.filter(call_quarter::Column::ServiceId.eq(service));
        }
        let (threshold, short) = (span.threshold_ms / 1000, span.short_abandon_ms / 1000);
        let interval_start = |at: i64| {
            let offset = app::time::JST_OFFSET_MS;
            (at + offset).div_euclid(span.interval_ms) * span.interval_ms - offset
        };
        let mut per: BTreeMap<(i32, Option<i32>, i64), QueueFigures> = BTreeMap::new();
        for row in q.all(&self.db).await? {
            let figures = sums_of(&row)?.figures(threshold, short);
            let agent = (row.agent_id != 0).then_some(row.agent_id);
            let sum = per.entry((row.service_id, agent, interval_start(row.start_ms))).or_default();
            *sum = *sum + figures;
        }
        for f in self.open_call_figures(span).await? {
            let sum = per.entry((f.service_id, f.agent_id, f.start)).or_default();
            *sum = *sum + f.figures;
        }
        Ok(per
            .into_iter()
            .map(|((service_id, agent_id, start), figures)| Figures { service_id, agent_id, start, figures })
            .collect())
    }
}

fn sums_of(row: &call_quarter::Model) -> Result<CallSums, StoreError> {
    Ok(CallSums {
        calls: row.calls,
        answered: row.answered,
        answer_wait_ms: row.answer_wait_ms,
        handle_ms: row.handle_ms,
        longest_answer_ms: row.longest_answer_ms,
        abandoned: row.abandoned,
        longest_abandon_ms: row.longest_abandon_ms,
        answer_secs: Histogram::parse(&row.answer_secs)?,
        abandon_secs: Histogram::parse(&row.abandon_secs)?,
    })
}

/// Adds a call that ends at `at` to its quarter hour (`before`: the call as it was
/// before it ended; a call already ended is not counted twice).
pub(super) async fn add_ended(w: &mut Script<'_>, before: &call::Model, at: i64) -> Result<(), StoreError> {
    if before.direction != "inbound" || before.ended_at.is_some() {
        return Ok(());
    }
    let call = EndedCall {
        queued_at: before.queued_at,
        answered_at: before.answered_at,
        ended_at: at,
        wrapup_ms: before.wrapup_ms.unwrap_or(0),
    };
    let key = (before.tenant_id, quarter_of(before.queued_at), before.service_id, before.agent_id.unwrap_or(0));
    let mut sums = CallSums::of(call);
    let existing = w.one::<call_quarter::Model>(&call_quarter::Entity::find_by_id(key)).await?;
    if let Some(row) = &existing {
        sums.merge(&sums_of(row)?);
    }
    let row = call_quarter::ActiveModel {
        tenant_id: Set(key.0),
        start_ms: Set(key.1),
        service_id: Set(key.2),
        agent_id: Set(key.3),
        calls: Set(sums.calls),
        answered: Set(sums.answered),
        answer_wait_ms: Set(sums.answer_wait_ms),
        handle_ms: Set(sums.handle_ms),
        longest_answer_ms: Set(sums.longest_answer_ms),
        abandoned: Set(sums.abandoned),
        longest_abandon_ms: Set(sums.longest_abandon_ms),
        answer_secs: Set(sums.answer_secs.to_string()),
        abandon_secs: Set(sums.abandon_secs.to_string()),
    };
    match existing {
        Some(_) => w.run(&call_quarter::Entity::update(row).validate()?).await,
        None => w.run(&call_quarter::Entity::insert(row)).await,
    }
}

/// Adds after-call work to the handle time of its call's quarter hour, once the call
/// has ended (work done before, after a transfer, is in the call when it ends). The
/// quarter hour is found by the update itself from the call, not read first: a read is
/// a round trip while routing holds the store's writer.
pub(super) async fn add_wrapup(w: &mut Script<'_>, call_id: &str, ms: i64) -> Result<(), StoreError> {
    use sea_orm::sea_query::{Expr, ExprTrait, Func, Query};
    // `quarter_of`, in SQL: the times are positive, so integer division rounds down.
    let quarter = Expr::col((call::Entity, call::Column::QueuedAt)).div(QUARTER_MS).mul(QUARTER_MS);
    let of_call = Query::select()
        .column((call::Entity, call::Column::TenantId))
        .expr(quarter)
        .column((call::Entity, call::Column::ServiceId))
        .expr(Func::coalesce([Expr::col((call::Entity, call::Column::AgentId)), Expr::val(0)]))
        .from(call::Entity)
        .and_where(Expr::col((call::Entity, call::Column::Id)).eq(call_id))
        .and_where(Expr::col((call::Entity, call::Column::Direction)).eq("inbound"))
        .and_where(Expr::col((call::Entity, call::Column::EndedAt)).is_not_null())
        .and_where(Expr::col((call::Entity, call::Column::AnsweredAt)).is_not_null())
        .to_owned();
    let key = Expr::tuple([
        Expr::col((call_quarter::Entity, call_quarter::Column::TenantId)),
        Expr::col((call_quarter::Entity, call_quarter::Column::StartMs)),
        Expr::col((call_quarter::Entity, call_quarter::Column::ServiceId)),
        Expr::col((call_quarter::Entity, call_quarter::Column::AgentId)),
    ]);
    w.run(
        &call_quarter::Entity::update_many()
            .col_expr(call_quarter::Column::HandleMs, Expr::col(call_quarter::Column::HandleMs).add(ms))
            .filter(key.in_subquery(of_call)),
    )
    .await
}
