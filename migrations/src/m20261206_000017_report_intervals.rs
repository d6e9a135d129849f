//! What lets a report over a month of a busy floor answer in well under a second:
//! - `status_intervals`: each agent's time in each status, added up per quarter hour
//!   (the reports' finest interval) as each status ends, so a report reads one row per
//!   agent, status and quarter hour instead of every status change. Filled here from
//!   the status history kept so far.
//! - an index over the calls holding every column the figures add up, so that the one
//!   scan of a range reads the index alone;
//! - an index of the call log by kind and time, for the offers that rang out.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;
use sea_orm_migration::sea_orm::{ConnectionTrait, Statement};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum StatusIntervals {
    Table,
    UserId,
    Status,
    StartMs,
    Ms,
}

#[derive(DeriveIden)]
enum Calls {
    Table,
    TenantId,
    Direction,
    QueuedAt,
    ServiceId,
    AgentId,
    AnsweredAt,
    EndedAt,
    WrapupMs,
}

#[derive(DeriveIden)]
enum CallEvents {
    Table,
    Kind,
    At,
}

/// A quarter hour: the reports' finest interval (30, 60 minutes and a day are whole
/// numbers of them, from midnight Japan time, which is a quarter-hour boundary).
const QUARTER_MS: i64 = 15 * 60_000;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(StatusIntervals::Table)
                .col(integer(StatusIntervals::UserId))
                .col(string(StatusIntervals::Status))
                .col(big_integer(StatusIntervals::StartMs))
                .col(big_integer(StatusIntervals::Ms))
                .primary_key(
                    Index::create()
                        .col(StatusIntervals::UserId)
                        .col(StatusIntervals::StartMs)
                        .col(StatusIntervals::Status),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_calls_figures")
                .table(Calls::Table)
                .col(Calls::TenantId)
                .col(Calls::Direction)
                .col(Calls::QueuedAt)
                .col(Calls::ServiceId)
                .col(Calls::AgentId)
                .col(Calls::AnsweredAt)
                .col(Calls::EndedAt)
                .col(Calls::WrapupMs)
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_call_events_kind_at")
                .table(CallEvents::Table)
                .col(CallEvents::Kind)
                .col(CallEvents::At)
                .to_owned(),
        )
        .await?;
        backfill(m).await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_index(Index::drop().name("idx_call_events_kind_at").table(CallEvents::Table).to_owned()).await?;
        m.drop_index(Index::drop().name("idx_calls_figures").table(Calls::Table).to_owned()).await?;
        m.drop_table(Table::drop().table(StatusIntervals::Table).to_owned()).await
    }
}

/// The status history so far, as quarter hours: each status lasts until the agent's
/// next change (the last one is still running and is counted by the reports from the
/// agent's status now); time logged out is not kept.
async fn backfill(m: &SchemaManager<'_>) -> Result<(), DbErr> {
    let db = m.get_connection();
    let backend = db.get_database_backend();
    let users =
        db.query_all_raw(Statement::from_string(backend, "SELECT DISTINCT user_id FROM status_history")).await?;
    for u in users {
        let user: i32 = u.try_get("", "user_id")?;
        let rows = db
            .query_all_raw(Statement::from_sql_and_values(
                backend,
                "SELECT status, at FROM status_history WHERE user_id = $1 ORDER BY at, id",
                [user.into()],
            ))
            .await?;
        let changes: Vec<(String, i64)> =
            rows.iter().map(|r| Ok((r.try_get("", "status")?, r.try_get("", "at")?))).collect::<Result<_, DbErr>>()?;
        let mut quarters: std::collections::BTreeMap<(i64, &str), i64> = Default::default();
        for pair in changes.windows(2) {
            let ((status, from), (_, to)) = (&pair[0], &pair[1]);
            if status == "logged_out" {
                continue;
            }
            let mut start = *from;
            while start < *to {
                let quarter = start.div_euclid(QUARTER_MS) * QUARTER_MS;
                let end = Ord::min(quarter + QUARTER_MS, *to);
                *quarters.entry((quarter, status.as_str())).or_default() += end - start;
                start = end;
            }
        }
        for ((start, status), ms) in quarters {
            db.execute_raw(Statement::from_sql_and_values(
                backend,
                "INSERT INTO status_intervals (user_id, status, start_ms, ms) VALUES ($1, $2, $3, $4)",
                [user.into(), status.into(), start.into(), ms.into()],
            ))
            .await?;
        }
    }
    Ok(())
}
