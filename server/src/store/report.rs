//! Reports (#21 point 4): over a range of days and an interval, each service's queue
//! figures and each agent's calls and time in each status. The calls come from their
//! sums per quarter hour, kept as they end (`call_quarters.rs`); the offers
//! that rang out come from the call log (few rows, by an index); time in status from
//! the quarter hours kept as each status ends (`status_intervals`), and the status each
//! agent is in now.

use std::collections::BTreeMap;

use app::domain::AgentStatus;
use app::domain::report::{ReportSpan, time_in_status};
use app::model::{AgentFigures, AgentReport, QueueFigures, Report, ServiceReport, UserId};
use sea_orm::sea_query::{Alias, Expr, ExprTrait, JoinType, Query};
use sea_orm::{ColumnTrait, EntityTrait, FromQueryResult, QueryFilter, QueryOrder};

use super::entities::{agent_state, call, call_event, status_interval, user};
use super::figures::Span;
use super::{Store, StoreError};

/// Who a report covers: a tenant, or one of its services.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ReportScope {
    pub tenant_id: i32,
    pub service_id: Option<i32>,
}

#[derive(Debug, FromQueryResult)]
struct Missed {
    agent_id: i32,
    bucket: i64,
    missed: i64,
}

#[derive(Debug, FromQueryResult)]
struct StatusRow {
    user_id: i32,
    status: String,
    bucket: i64,
    ms: i64,
}

impl Store {
    /// The report of `span` over `scope`, counted with the service-level `threshold_secs`.
    pub async fn report(
        &self,
        scope: ReportScope,
        span: ReportSpan,
        threshold_secs: i32,
        now: i64,
    ) -> Result<Report, StoreError> {
        let figures = Span {
            tenant_id: scope.tenant_id,
            service_id: scope.service_id,
            from_ms: span.from_ms,
            to_ms: span.to_ms,
            interval_ms: span.interval.ms(),
            threshold_ms: i64::from(threshold_secs) * 1000,
            short_abandon_ms: i64::from(span.short_abandon_secs) * 1000,
        };
        let start_of = |bucket: i64| bucket * figures.interval_ms - app::time::JST_OFFSET_MS;
        let mut by_service: BTreeMap<(i32, i64), QueueFigures> = BTreeMap::new();
        let mut per: BTreeMap<(UserId, i64), AgentFigures> = BTreeMap::new();
        for f in self.report_figures(figures).await? {
            let sum = by_service.entry((f.service_id, f.start)).or_default();
            *sum = *sum + f.figures;
            if let Some(agent) = f.agent_id {
                let row = per.entry((agent, f.start)).or_default();
                row.calls = row.calls + QueueFigures { offered: 0, ..f.figures };
            }
        }
        for m in self.missed(figures).await? {
            per.entry((m.agent_id, start_of(m.bucket))).or_default().missed =
                u32::try_from(m.missed).unwrap_or(u32::MAX);
        }
        // An offer ends answered, rung out, or with the caller gone while it rang.
        for row in per.values_mut() {
            row.offers = row.calls.answered + row.calls.abandoned + row.missed;
        }
        let agents = self.report_agents(scope).await?;
        let ids: Vec<UserId> = agents.iter().map(|u| u.id).collect();
        for r in self.status_quarters(&ids, figures).await? {
            if let Some(status) = AgentStatus::parse(&r.status) {
                per.entry((r.user_id, start_of(r.bucket))).or_default().time_in.add(status, r.ms);
            }
        }
        // The status each agent is in now has not ended: it counts until now.
        for now_in in agent_state::Entity::find().filter(agent_state::Column::UserId.is_in(ids)).all(&self.read).await?
        {
            let Some(status) = AgentStatus::parse(&now_in.status).filter(|s| *s != AgentStatus::LoggedOut) else {
                continue;
            };
            let open = time_in_status(&[(status, now_in.since)], span.from_ms, span.to_ms, now, span.interval);
            for (start, times) in open {
                let row = per.entry((now_in.user_id, start)).or_default();
                row.time_in = row.time_in + times;
            }
        }

        let services = self
            .services(scope.tenant_id, scope.service_id)
            .await?
            .into_iter()
            .map(|s| {
                let rows: Vec<(i64, QueueFigures)> =
                    by_service.range((s.id, i64::MIN)..=(s.id, i64::MAX)).map(|((_, at), f)| (*at, *f)).collect();
                let total = rows.iter().fold(QueueFigures::default(), |sum, (_, f)| sum + *f);
                ServiceReport { service_id: s.id, name: s.name, rows, total }
            })
            .collect();
        let service_names = self.services(scope.tenant_id, None).await?;
        let agents = agents
            .into_iter()
            .map(|u| {
                let rows: Vec<(i64, AgentFigures)> =
                    per.range((u.id, i64::MIN)..=(u.id, i64::MAX)).map(|((_, at), f)| (*at, *f)).collect();
                let total = rows.iter().fold(AgentFigures::default(), |sum, (_, f)| sum + *f);
                let service = service_names
                    .iter()
                    .find(|s| Some(s.id) == u.service_id)
                    .map(|s| s.name.clone())
                    .unwrap_or_default();
                AgentReport { user_id: u.id, name: u.display_name, service, rows, total }
            })
            .collect();
        Ok(Report {
            from_ms: span.from_ms,
            to_ms: span.to_ms,
            interval: span.interval,
            threshold_secs,
            short_abandon_secs: span.short_abandon_secs,
            services,
            agents,
        })
    }

    /// The agents a report lists: those with the phone permission in the scope.
    async fn report_agents(&self, scope: ReportScope) -> Result<Vec<user::Model>, StoreError> {
        let mut q = user::Entity::find()
            .filter(user::Column::TenantId.eq(scope.tenant_id))
            .filter(user::Column::PhonePermission.eq(true));
        if let Some(service) = scope.service_id {
            q = q.filter(user::Column::ServiceId.eq(service));
        }
        Ok(q.order_by_asc(user::Column::ServiceId).order_by_asc(user::Column::Id).all(&self.read).await?)
    }

    /// The offers that rang out at each agent (不応答), of the calls of `span`. A call
    /// rings out within a day of joining the queue, which bounds the log read.
    async fn missed(&self, span: Span) -> Result<Vec<Missed>, StoreError> {
        let offset = app::time::JST_OFFSET_MS;
        let (e, c) = (Alias::new("e"), Alias::new("c"));
        let mut q = Query::select();
        q.from_as(call_event::Entity, e.clone())
            .join_as(
                JoinType::InnerJoin,
                call::Entity,
                c.clone(),
                Expr::col((c.clone(), call::Column::Id)).equals((e.clone(), call_event::Column::CallId)),
            )
            .expr_as(Expr::col((e.clone(), call_event::Column::AgentId)), Alias::new("agent_id"))
            .expr_as(Expr::cust(format!("(c.queued_at + {offset}) / {}", span.interval_ms)), Alias::new("bucket"))
            .expr_as(Expr::cust("CAST(COUNT(*) AS BIGINT)"), Alias::new("missed"))
            .and_where(Expr::col((e.clone(), call_event::Column::Kind)).eq("ring_timeout"))
            .and_where(Expr::col((e.clone(), call_event::Column::At)).gte(span.from_ms))
            .and_where(Expr::col((e.clone(), call_event::Column::At)).lt(span.to_ms + app::time::DAY_MS))
            .and_where(Expr::col((e.clone(), call_event::Column::AgentId)).is_not_null())
            .and_where(Expr::col((c.clone(), call::Column::TenantId)).eq(span.tenant_id))
            .and_where(Expr::col((c.clone(), call::Column::QueuedAt)).gte(span.from_ms))
            .and_where(Expr::col((c.clone(), call::Column::QueuedAt)).lt(span.to_ms))
            .add_group_by([Expr::col((e, call_event::Column::AgentId)), Expr::cust("bucket")]);
        if let Some(service) = span.service_id {
            q.and_where(Expr::col((c, call::Column::ServiceId)).eq(service));
        }
        Ok(Missed::find_by_statement(self.db.get_database_backend().build(&q)).all(&self.read).await?)
    }

    /// `agents`' time in each status of `span`'s intervals, from the quarter hours kept
    /// as each status ended.
    async fn status_quarters(&self, agents: &[UserId], span: Span) -> Result<Vec<StatusRow>, StoreError> {
        let offset = app::time::JST_OFFSET_MS;
        let mut q = Query::select();
        q.from(status_interval::Entity)
            .column(status_interval::Column::UserId)
            .column(status_interval::Column::Status)
            .expr_as(Expr::cust(format!("(start_ms + {offset}) / {}", span.interval_ms)), Alias::new("bucket"))
            .expr_as(Expr::cust("CAST(SUM(ms) AS BIGINT)"), Alias::new("ms"))
            .and_where(status_interval::Column::UserId.is_in(agents.iter().copied()))
            .and_where(status_interval::Column::StartMs.gte(span.from_ms))
            .and_where(status_interval::Column::StartMs.lt(span.to_ms))
            .add_group_by([
                Expr::col(status_interval::Column::UserId),
                Expr::col(status_interval::Column::Status),
                Expr::cust("bucket"),
            ]);
        Ok(StatusRow::find_by_statement(self.db.get_database_backend().build(&q)).all(&self.read).await?)
    }
}
