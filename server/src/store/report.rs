//! Reports (#21 point 4): over a range of days and an interval, each service's queue
//! figures and each agent's calls and time in each status. The calls are added up by
//! the database (`figures.rs`, one scan by service and one by agent, and one of the
//! offers); time in status is split into intervals here, from the status changes of
//! the range (`app::domain::report::time_in_status`).

use std::collections::BTreeMap;

use app::domain::AgentStatus;
use app::domain::report::{ReportSpan, time_in_status};
use app::model::{AgentFigures, AgentReport, QueueFigures, Report, ServiceReport, UserId};
use sea_orm::sea_query::{Alias, Expr, ExprTrait, JoinType, Query};
use sea_orm::{ColumnTrait, EntityTrait, FromQueryResult, QueryFilter, QueryOrder};

use super::entities::{call, call_event, status_history, user};
use super::figures::{By, Span};
use super::{Store, StoreError};

/// How far before a report's range its agents' status is looked for: the status they
/// were in when it began. A status that began longer before (a logout over a long
/// weekend) counts from its next change.
const LOOKBACK_MS: i64 = app::time::DAY_MS;

/// Who a report covers: a tenant, or one of its services.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ReportScope {
    pub tenant_id: i32,
    pub service_id: Option<i32>,
}

#[derive(Debug, FromQueryResult)]
struct Offers {
    agent_id: i32,
    bucket: i64,
    offers: i64,
    missed: i64,
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
        let services = self.services(scope.tenant_id, scope.service_id).await?;
        let by_service = self.figures_by(figures, By::Service).await?;
        let services = services
            .into_iter()
            .map(|s| {
                let rows: Vec<(i64, QueueFigures)> =
                    by_service.range((s.id, i64::MIN)..=(s.id, i64::MAX)).map(|((_, at), f)| (*at, *f)).collect();
                let total = rows.iter().fold(QueueFigures::default(), |sum, (_, f)| sum + *f);
                ServiceReport { service_id: s.id, name: s.name, rows, total }
            })
            .collect();

        let agents = self.report_agents(scope).await?;
        let mut per: BTreeMap<(UserId, i64), AgentFigures> = BTreeMap::new();
        for ((agent, at), calls) in self.figures_by(figures, By::Agent).await? {
            per.entry((agent, at)).or_default().calls = QueueFigures { offered: 0, ..calls };
        }
        for o in self.offers(figures).await? {
            let row = per.entry((o.agent_id, o.bucket * figures.interval_ms - app::time::JST_OFFSET_MS)).or_default();
            row.offers = u32::try_from(o.offers).unwrap_or(u32::MAX);
            row.missed = u32::try_from(o.missed).unwrap_or(u32::MAX);
        }
        let ids: Vec<UserId> = agents.iter().map(|u| u.id).collect();
        for (agent, changes) in self.status_changes(&ids, span.from_ms - LOOKBACK_MS, span.to_ms).await? {
            for (at, times) in time_in_status(&changes, span.from_ms, span.to_ms, now, span.interval) {
                per.entry((agent, at)).or_default().time_in = times;
            }
        }
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
        Ok(q.order_by_asc(user::Column::ServiceId).order_by_asc(user::Column::Id).all(&self.db).await?)
    }

    /// The offers made to each agent and those that rang out, of the calls of `span`.
    async fn offers(&self, span: Span) -> Result<Vec<Offers>, StoreError> {
        let offset = app::time::JST_OFFSET_MS;
        let count_if = |kind: &str| {
            Expr::cust(format!("CAST(COALESCE(SUM(CASE WHEN e.kind = '{kind}' THEN 1 ELSE 0 END), 0) AS BIGINT)"))
        };
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
            .expr_as(count_if("offered"), Alias::new("offers"))
            .expr_as(count_if("ring_timeout"), Alias::new("missed"))
            .and_where(Expr::col((c.clone(), call::Column::TenantId)).eq(span.tenant_id))
            .and_where(Expr::col((c.clone(), call::Column::Direction)).eq("inbound"))
            .and_where(Expr::col((c.clone(), call::Column::QueuedAt)).gte(span.from_ms))
            .and_where(Expr::col((c.clone(), call::Column::QueuedAt)).lt(span.to_ms))
            .and_where(Expr::col((e.clone(), call_event::Column::Kind)).is_in(["offered", "ring_timeout"]))
            .and_where(Expr::col((e.clone(), call_event::Column::AgentId)).is_not_null())
            .add_group_by([Expr::col((e, call_event::Column::AgentId)), Expr::cust("bucket")]);
        if let Some(service) = span.service_id {
            q.and_where(Expr::col((c, call::Column::ServiceId)).eq(service));
        }
        Ok(Offers::find_by_statement(self.db.get_database_backend().build(&q)).all(&self.db).await?)
    }

    /// Each of `agents`' status changes in `[from, to)`, in order.
    async fn status_changes(
        &self,
        agents: &[UserId],
        from: i64,
        to: i64,
    ) -> Result<BTreeMap<UserId, Vec<(AgentStatus, i64)>>, StoreError> {
        let rows = status_history::Entity::find()
            .filter(status_history::Column::UserId.is_in(agents.iter().copied()))
            .filter(status_history::Column::At.gte(from))
            .filter(status_history::Column::At.lt(to))
            .order_by_asc(status_history::Column::UserId)
            .order_by_asc(status_history::Column::At)
            .order_by_asc(status_history::Column::Id)
            .all(&self.db)
            .await?;
        let mut per: BTreeMap<UserId, Vec<(AgentStatus, i64)>> = BTreeMap::new();
        for r in rows {
            if let Some(status) = AgentStatus::parse(&r.status) {
                per.entry(r.user_id).or_default().push((status, r.at));
            }
        }
        Ok(per)
    }
}
