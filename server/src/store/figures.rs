//! The queue figures of a span of time, added up by the database in one scan of the
//! calls (docs/figures.md defines each), per service and agent at once: today's on the
//! board, and in the reports those of the calls still going on (the ended ones are
//! added up as they end, `call_quarters.rs`).

use std::collections::BTreeMap;

use app::model::QueueFigures;
use sea_orm::sea_query::{Alias, Expr, Query};
use sea_orm::{ColumnTrait, FromQueryResult};

use super::entities::call;
use super::{Store, StoreError};

/// What to add up.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Span {
    pub tenant_id: i32,
    /// One service, or all of the tenant's.
    pub service_id: Option<i32>,
    /// Calls that joined the queue in `[from_ms, to_ms)`.
    pub from_ms: i64,
    pub to_ms: i64,
    /// The length of an interval; intervals are counted from midnight, Japan time.
    pub interval_ms: i64,
    /// Answered within this long of joining the queue counts toward the service level.
    pub threshold_ms: i64,
    /// Calls abandoned sooner than this are neither offered nor abandoned.
    pub short_abandon_ms: i64,
}

/// The figures of one service, agent and interval: an agent's are the calls that rang
/// at them last (those they answered, and those whose caller hung up while it rang);
/// calls that never rang at anyone have none.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Figures {
    pub service_id: i32,
    pub agent_id: Option<i32>,
    /// The interval's start (Unix ms).
    pub start: i64,
    pub figures: QueueFigures,
}

#[derive(Debug, FromQueryResult)]
struct Row {
    service_id: i32,
    agent_id: Option<i32>,
    bucket: i64,
    offered: i64,
    answered: i64,
    abandoned: i64,
    answered_within: i64,
    answer_wait_ms: i64,
    handled: i64,
    handle_ms: i64,
    longest_wait_ms: i64,
}

impl Store {
    /// The figures of each service and interval that had a call, keyed by service and
    /// the interval's start (Unix ms).
    pub async fn queue_figures(&self, span: Span) -> Result<BTreeMap<(i32, i64), QueueFigures>, StoreError> {
        let mut per: BTreeMap<(i32, i64), QueueFigures> = BTreeMap::new();
        for f in self.figures_of(span, statement(span)).await? {
            let sum = per.entry((f.service_id, f.start)).or_default();
            *sum = *sum + f.figures;
        }
        Ok(per)
    }

    /// The figures of the calls of `span` still going on (few: an index of them alone).
    pub(super) async fn open_call_figures(&self, span: Span) -> Result<Vec<Figures>, StoreError> {
        let mut q = statement(span);
        q.and_where(call::Column::EndedAt.is_null());
        self.figures_of(span, q).await
    }

    async fn figures_of(&self, span: Span, q: sea_orm::sea_query::SelectStatement) -> Result<Vec<Figures>, StoreError> {
        let rows = Row::find_by_statement(self.db.get_database_backend().build(&q)).all(&self.read).await?;
        let count = |n: i64| u32::try_from(n).unwrap_or(u32::MAX);
        Ok(rows
            .into_iter()
            .map(|r| {
                let start = r.bucket * span.interval_ms - app::time::JST_OFFSET_MS;
                let figures = QueueFigures {
                    offered: count(r.offered),
                    answered: count(r.answered),
                    abandoned: count(r.abandoned),
                    answered_within: count(r.answered_within),
                    answer_wait_ms: r.answer_wait_ms,
                    handled: count(r.handled),
                    handle_ms: r.handle_ms,
                    longest_wait_ms: r.longest_wait_ms,
                };
                Figures { service_id: r.service_id, agent_id: r.agent_id, start, figures }
            })
            .collect())
    }
}

/// The one query. Its numbers are the server's own (never text a user typed), written
/// into the SQL; the tenant, service and range are bound.
fn statement(span: Span) -> sea_orm::sea_query::SelectStatement {
    let Span { interval_ms, threshold_ms, short_abandon_ms: short, .. } = span;
    let offset = app::time::JST_OFFSET_MS;
    // Every figure is a sum of a condition, as BIGINT on both databases (PostgreSQL's
    // SUM of BIGINT is NUMERIC).
    let total = |sql: String| Expr::cust(format!("CAST(COALESCE({sql}, 0) AS BIGINT)"));
    let count_if = |cond: String| total(format!("SUM(CASE WHEN {cond} THEN 1 ELSE 0 END)"));
    let answered = "answered_at IS NOT NULL";
    let abandoned = format!("answered_at IS NULL AND ended_at IS NOT NULL AND ended_at - queued_at >= {short}");
    let short_abandoned = format!("answered_at IS NULL AND ended_at IS NOT NULL AND ended_at - queued_at < {short}");
    let mut q = Query::select();
    q.from(call::Entity)
        .column(call::Column::ServiceId)
        .column(call::Column::AgentId)
        .expr_as(Expr::cust(format!("(queued_at + {offset}) / {interval_ms}")), Alias::new("bucket"))
        .expr_as(count_if(format!("NOT ({short_abandoned})")), Alias::new("offered"))
        .expr_as(count_if(answered.into()), Alias::new("answered"))
        .expr_as(count_if(abandoned.clone()), Alias::new("abandoned"))
        .expr_as(count_if(format!("{answered} AND answered_at - queued_at <= {threshold_ms}")), Alias::new("answered_within"))
        .expr_as(total("SUM(answered_at - queued_at)".into()), Alias::new("answer_wait_ms"))
        .expr_as(count_if(format!("{answered} AND ended_at IS NOT NULL")), Alias::new("handled"))
        .expr_as(
            total(format!(
                "SUM(CASE WHEN {answered} AND ended_at IS NOT NULL THEN ended_at - answered_at + COALESCE(wrapup_ms, 0) END)"
            )),
            Alias::new("handle_ms"),
        )
        .expr_as(
            total(format!(
                "MAX(CASE WHEN {answered} THEN answered_at - queued_at WHEN {abandoned} THEN ended_at - queued_at END)"
            )),
            Alias::new("longest_wait_ms"),
        )
        .and_where(call::Column::TenantId.eq(span.tenant_id))
        .and_where(call::Column::Direction.eq("inbound"))
        .and_where(call::Column::QueuedAt.gte(span.from_ms))
        .and_where(call::Column::QueuedAt.lt(span.to_ms))
        .add_group_by([Expr::col(call::Column::ServiceId), Expr::col(call::Column::AgentId), Expr::cust("bucket")]);
    if let Some(service) = span.service_id {
        q.and_where(call::Column::ServiceId.eq(service));
    }
    q
}
