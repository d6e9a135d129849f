//! Reports over a month read the ended calls added up per quarter hour
//! (`call_quarters`, one row per service, agent and quarter hour, kept as calls end),
//! and scan only the calls still going on (`idx_calls_open`). Filled here from the
//! calls kept so far.
//!
//! A row's histograms are text, `"secs:count secs:count"` by seconds (the format of
//! `app::domain::call_sums::Histogram`): answered calls by their wait in seconds rounded
//! up, at most 601; abandoned calls by their wait in whole seconds, at most 120.

use std::collections::BTreeMap;

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;
use sea_orm_migration::sea_orm::{ConnectionTrait, QueryResult, Statement};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum CallQuarters {
    Table,
    TenantId,
    StartMs,
    ServiceId,
    AgentId,
    Calls,
    Answered,
    AnswerWaitMs,
    HandleMs,
    LongestAnswerMs,
    Abandoned,
    LongestAbandonMs,
    AnswerSecs,
    AbandonSecs,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(CallQuarters::Table)
                .col(integer(CallQuarters::TenantId))
                .col(big_integer(CallQuarters::StartMs))
                .col(integer(CallQuarters::ServiceId))
                // 0: calls that rang at no one.
                .col(integer(CallQuarters::AgentId))
                .col(big_integer(CallQuarters::Calls))
                .col(big_integer(CallQuarters::Answered))
                .col(big_integer(CallQuarters::AnswerWaitMs))
                .col(big_integer(CallQuarters::HandleMs))
                .col(big_integer(CallQuarters::LongestAnswerMs))
                .col(big_integer(CallQuarters::Abandoned))
                .col(big_integer(CallQuarters::LongestAbandonMs))
                .col(text(CallQuarters::AnswerSecs))
                .col(text(CallQuarters::AbandonSecs))
                .primary_key(
                    Index::create()
                        .col(CallQuarters::TenantId)
                        .col(CallQuarters::StartMs)
                        .col(CallQuarters::ServiceId)
                        .col(CallQuarters::AgentId),
                )
                .to_owned(),
        )
        .await?;
        // Partial indexes read the same on both databases.
        m.get_connection()
            .execute_unprepared("CREATE INDEX idx_calls_open ON calls (tenant_id, queued_at) WHERE ended_at IS NULL")
            .await?;
        fill_call_quarters(m.get_connection()).await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.get_connection().execute_unprepared("DROP INDEX idx_calls_open").await?;
        m.drop_table(Table::drop().table(CallQuarters::Table).to_owned()).await
    }
}

type Key = (i32, i64, i32, i32);

/// Makes `call_quarters` again from the ended inbound calls, added up by the database:
/// the totals in one query, each histogram in another (a row per second that had a
/// call). Also what fills them after calls are written in bulk (the benchmarks' seed).
pub async fn fill_call_quarters<C: ConnectionTrait>(db: &C) -> Result<(), DbErr> {
    let backend = db.get_database_backend();
    let ended = "FROM calls WHERE direction = 'inbound' AND ended_at IS NOT NULL";
    let key = "tenant_id, queued_at / 900000 * 900000 AS start_ms, service_id, COALESCE(agent_id, 0) AS agent";
    let group = "GROUP BY tenant_id, queued_at / 900000 * 900000, service_id, COALESCE(agent_id, 0)";
    let read_key = |r: &QueryResult| -> Result<Key, DbErr> {
        Ok((
            r.try_get("", "tenant_id")?,
            r.try_get("", "start_ms")?,
            r.try_get("", "service_id")?,
            r.try_get("", "agent")?,
        ))
    };
    let mut histograms: BTreeMap<Key, [BTreeMap<i64, i64>; 2]> = BTreeMap::new();
    let seconds = [
        ("LEAST((answered_at - queued_at + 999) / 1000, 601)", "answered_at IS NOT NULL"),
        ("LEAST((ended_at - queued_at) / 1000, 120)", "answered_at IS NULL"),
    ];
    for (which, (secs, only)) in seconds.into_iter().enumerate() {
        // SQLite's two-argument MIN is PostgreSQL's LEAST.
        let secs = if backend == sea_orm_migration::sea_orm::DbBackend::Sqlite {
            secs.replace("LEAST", "MIN")
        } else {
            secs.into()
        };
        let sql = format!(
            "SELECT {key}, CAST({secs} AS BIGINT) AS secs, CAST(COUNT(*) AS BIGINT) AS n {ended} AND {only} \
             {group}, {secs}"
        );
        for r in db.query_all_raw(Statement::from_string(backend, sql)).await? {
            let h = &mut histograms.entry(read_key(&r)?).or_default()[which];
            h.insert(r.try_get("", "secs")?, r.try_get("", "n")?);
        }
    }
    let sum = |sql: &str| format!("CAST(COALESCE({sql}, 0) AS BIGINT)");
    let totals = format!(
        "SELECT {key}, CAST(COUNT(*) AS BIGINT) AS calls, CAST(COUNT(answered_at) AS BIGINT) AS answered, {}, {}, {}, {}, {} \
         {ended} {group}",
        sum("SUM(answered_at - queued_at)") + " AS answer_wait_ms",
        sum("SUM(ended_at - answered_at + COALESCE(wrapup_ms, 0))") + " AS handle_ms",
        sum("MAX(answered_at - queued_at)") + " AS longest_answer_ms",
        sum("SUM(CASE WHEN answered_at IS NULL THEN 1 END)") + " AS abandoned",
        sum("MAX(CASE WHEN answered_at IS NULL THEN ended_at - queued_at END)") + " AS longest_abandon_ms",
    );
    db.execute_unprepared("DELETE FROM call_quarters").await?;
    let text = |h: &BTreeMap<i64, i64>| h.iter().map(|(s, n)| format!("{s}:{n}")).collect::<Vec<_>>().join(" ");
    for r in db.query_all_raw(Statement::from_string(backend, totals)).await? {
        let key = read_key(&r)?;
        let [answers, abandons] = histograms.remove(&key).unwrap_or_default();
        let number = |column: &str| -> Result<Value, DbErr> { Ok(r.try_get::<i64>("", column)?.into()) };
        db.execute_raw(Statement::from_sql_and_values(
            backend,
            "INSERT INTO call_quarters (tenant_id, start_ms, service_id, agent_id, calls, answered, answer_wait_ms, \
             handle_ms, longest_answer_ms, abandoned, longest_abandon_ms, answer_secs, abandon_secs) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
            [
                key.0.into(),
                key.1.into(),
                key.2.into(),
                key.3.into(),
                number("calls")?,
                number("answered")?,
                number("answer_wait_ms")?,
                number("handle_ms")?,
                number("longest_answer_ms")?,
                number("abandoned")?,
                number("longest_abandon_ms")?,
                text(&answers).into(),
                text(&abandons).into(),
            ],
        ))
        .await?;
    }
    Ok(())
}
