//! A decision's statements, sent to the store together where the engine allows it.
//!
//! sqlx runs each SQLite connection on a thread of its own, and every statement is a
//! round trip to it: a channel send, a wake-up, the answer, another wake-up. A routing
//! decision is ten or so statements, and SQLite has one writer, so at a few hundred
//! calls a second the writer spent its time waiting on those round trips rather than
//! writing (docs/BENCHMARKS.md, "Reads beside the writer"). On SQLite a `Script` holds
//! the writes back and sends them as one multi-statement query (sqlx binds the `?`s of
//! each statement in turn) with the next read, or at the end: a decision costs one
//! round trip, plus one for each thing it must read on the way. PostgreSQL's protocol
//! takes one statement a query when it has parameters, so there each is sent at once,
//! as before.
//!
//! Each decision is a savepoint, as a nested transaction was: refused, it changes
//! nothing and the batch's other decisions stand.

use sea_orm::{ConnectionTrait, DatabaseTransaction, DbBackend, FromQueryResult, QueryResult, QueryTrait, Statement};

use super::StoreError;

const SAVEPOINT: &str = "SAVEPOINT decision";
const RELEASE: &str = "RELEASE SAVEPOINT decision";
const ROLL_BACK: &str = "ROLLBACK TO SAVEPOINT decision";

pub struct Script<'t> {
    txn: &'t DatabaseTransaction,
    backend: DbBackend,
    /// Writes held back (SQLite only), in order.
    held: Vec<Statement>,
    /// Whether the savepoint may have reached the store and is not yet released or
    /// rolled back: the batch's, which rolls it back should the decision's writing
    /// panic part way (`routing/batch.rs`).
    open: &'t mut bool,
}

impl<'t> Script<'t> {
    /// Opens a decision's savepoint in `txn`; `open` says whether it is open in the
    /// store.
    pub async fn begin(txn: &'t DatabaseTransaction, open: &'t mut bool) -> Result<Script<'t>, StoreError> {
        *open = false;
        let mut script = Script { txn, backend: txn.get_database_backend(), held: Vec::new(), open };
        script.write(Statement::from_string(script.backend, SAVEPOINT)).await?;
        Ok(script)
    }

    pub fn backend(&self) -> DbBackend {
        self.backend
    }

    /// Writes `query` (an insert, an update), now or with the next read.
    pub async fn run(&mut self, query: &impl QueryTrait) -> Result<(), StoreError> {
        self.write(query.build(self.backend)).await
    }

    pub async fn write(&mut self, statement: Statement) -> Result<(), StoreError> {
        match self.backend {
            DbBackend::Sqlite => self.held.push(statement),
            _ => {
                *self.open = true;
                self.txn.execute_raw(statement).await?;
            }
        }
        Ok(())
    }

    /// The first row `statement` answers, after the writes before it.
    pub async fn row(&mut self, statement: Statement) -> Result<Option<QueryResult>, StoreError> {
        let statement = self.with_held(Some(statement));
        *self.open = true;
        Ok(self.txn.query_one_raw(statement).await?)
    }

    /// The first model `query` answers, after the writes before it.
    pub async fn one<M: FromQueryResult>(&mut self, query: &impl QueryTrait) -> Result<Option<M>, StoreError> {
        match self.row(query.build(self.backend)).await? {
            Some(row) => Ok(Some(M::from_query_result(&row, "")?)),
            None => Ok(None),
        }
    }

    /// The transaction with every write sent, for what writes through it directly.
    pub async fn sent(&mut self) -> Result<&'t DatabaseTransaction, StoreError> {
        if !self.held.is_empty() {
            let statement = self.with_held(None);
            *self.open = true;
            self.txn.execute_raw(statement).await?;
        }
        Ok(self.txn)
    }

    /// Sends what is held and releases the savepoint: the decision is in the batch.
    /// Refused, nothing of it stays (or, that failing, `StoreError::Unsettled`).
    pub async fn finish(mut self) -> Result<(), StoreError> {
        self.held.push(Statement::from_string(self.backend, RELEASE));
        let txn = self.txn;
        let sent = self.sent().await.map(drop);
        if let Err(e) = sent {
            roll_back(txn).await.map_err(|undo| StoreError::Unsettled(Box::new(undo)))?;
            *self.open = false;
            return Err(e);
        }
        *self.open = false;
        Ok(())
    }

    /// Gives the decision up: what it sent is undone, what it held is never sent.
    pub async fn abandon(self) -> Result<(), StoreError> {
        if *self.open {
            roll_back(self.txn).await?;
            *self.open = false;
        }
        Ok(())
    }

    /// The held writes and then `last`, as one statement.
    fn with_held(&mut self, last: Option<Statement>) -> Statement {
        let mut parts = std::mem::take(&mut self.held);
        parts.extend(last);
        if parts.len() == 1 {
            return parts.pop().expect("one statement");
        }
        let mut sql = String::new();
        let mut values = Vec::new();
        for part in parts {
            sql.push_str(&part.sql);
            sql.push_str(";\n");
            values.extend(part.values.map(|v| v.0).unwrap_or_default());
        }
        Statement::from_sql_and_values(self.backend, sql, values)
    }
}

/// Undoes a decision refused part way: its savepoint's writes go, the batch's others
/// stay.
pub async fn roll_back(txn: &DatabaseTransaction) -> Result<(), StoreError> {
    let backend = txn.get_database_backend();
    txn.execute_raw(Statement::from_string(backend, ROLL_BACK)).await?;
    txn.execute_raw(Statement::from_string(backend, RELEASE)).await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use sea_orm::sea_query::{Alias, Query};
    use sea_orm::{ConnectionTrait, Database, TransactionTrait};

    use super::*;

    fn insert(backend: DbBackend, id: i32, said: &str) -> Statement {
        backend.build(
            Query::insert()
                .into_table(Alias::new("scripted"))
                .columns([Alias::new("id"), Alias::new("said")])
                .values_panic([id.into(), said.into()]),
        )
    }

    async fn ids(script: &mut Script<'_>) -> String {
        let sql = "SELECT CAST(string_agg(CAST(id AS TEXT), ',' ORDER BY id) AS TEXT) FROM scripted";
        let sql = match script.backend() {
            DbBackend::Sqlite => "SELECT group_concat(id, ',') FROM (SELECT id FROM scripted ORDER BY id)",
            _ => sql,
        };
        let row = script.row(Statement::from_string(script.backend(), sql)).await.unwrap().unwrap();
        row.try_get_by_index::<String>(0).unwrap()
    }

    /// Three decisions in one batch: the second is refused by its last write, and
    /// nothing of it stays; the first and third do, and a read sees the writes held
    /// before it.
    async fn a_refused_decision_leaves_nothing_and_the_others_stand(url: &str) {
        let db = Database::connect(url).await.unwrap();
        let batch = db.begin().await.unwrap();
        batch
            .execute_unprepared("CREATE TEMP TABLE scripted (id INTEGER PRIMARY KEY, said TEXT NOT NULL)")
            .await
            .unwrap();
        let backend = batch.get_database_backend();
        let mut open = false;

        let mut first = Script::begin(&batch, &mut open).await.unwrap();
        first.write(insert(backend, 1, "a")).await.unwrap();
        first.finish().await.unwrap();

        let mut second = Script::begin(&batch, &mut open).await.unwrap();
        let wrote = async {
            second.write(insert(backend, 2, "b")).await?;
            second.write(insert(backend, 1, "a again")).await
        }
        .await;
        let refused = match wrote {
            Ok(()) => second.finish().await,
            Err(e) => second.abandon().await.and(Err(e)),
        };
        assert!(refused.is_err(), "a duplicate id is refused");
        assert!(!open, "the refused decision's savepoint is closed");

        let mut third = Script::begin(&batch, &mut open).await.unwrap();
        third.write(insert(backend, 3, "c")).await.unwrap();
        assert_eq!(ids(&mut third).await, "1,3");
        third.finish().await.unwrap();
        assert!(!open);
    }

    #[tokio::test]
    async fn on_sqlite_a_refused_decision_leaves_nothing_and_the_others_stand() {
        a_refused_decision_leaves_nothing_and_the_others_stand("sqlite::memory:").await;
    }

    #[tokio::test]
    async fn on_postgres_a_refused_decision_leaves_nothing_and_the_others_stand() {
        let url = std::env::var("RINGDESK_TEST_POSTGRES")
            .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".into());
        a_refused_decision_leaves_nothing_and_the_others_stand(&url).await;
    }
}
