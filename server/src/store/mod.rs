//! The store: SeaORM over SQLite (embedded default) or PostgreSQL. Queries live beside
//! the concern they serve; every one is scoped by tenant where a user's data is read.

pub mod admin;
pub mod agents;
pub mod audit;
pub mod auth;
pub mod break_reasons;
pub mod call_log;
mod call_quarters;
pub mod caller_numbers;
pub mod contracts;
pub mod customers;
pub mod demo;
pub mod entities;
pub mod export;
pub mod figures;
pub mod hold_music;
pub mod journal;
pub mod leases;
pub mod operators;
pub mod report;
pub(crate) mod script;
pub mod seed;
pub mod sip_dialogs;
pub mod sip_phones;
pub mod tickets;
pub mod transfer_numbers;

use migration::{Migrator, MigratorTrait};
use sea_orm::{ConnectOptions, ConnectionTrait, Database, DatabaseConnection, DbBackend, DbErr};

#[derive(Clone)]
pub struct Store {
    /// Every write, and the reads that must see them at once.
    pub db: DatabaseConnection,
    /// Reads that need not wait for a write in progress (`readers`).
    pub read: DatabaseConnection,
    /// The telephony simulator's lines (`lines_apart`): an SQLite file of their own
    /// beside an SQLite store, so that their writes do not queue with routing's.
    pub lines: DatabaseConnection,
    /// Users some of whose sessions were just ended (a password changed): their open
    /// streams check that their own session still stands.
    sessions_ended: tokio::sync::broadcast::Sender<app::model::UserId>,
    /// How numbers are shown to the staff who read what the store answers
    /// (`RINGDESK_DEFAULT_REGION`; JP unless set).
    pub reading: crate::numbers::Reading,
}

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database: {0}")]
    Db(#[from] DbErr),
    #[error("cannot create the database folder {0}: {1}")]
    Folder(String, std::io::Error),
    /// The change breaks a rule the store checks (a duplicate, an id of another
    /// tenant); nothing was written.
    #[error("refused: {0}")]
    Refused(app::error::AppError),
    #[error(transparent)]
    Password(#[from] crate::password::HashError),
    /// A row of the store that cannot be read (written by hand, or by a bug).
    #[error(transparent)]
    Histogram(#[from] app::domain::call_sums::BadHistogram),
    /// Another instance holds the tenant's routing lease now (`leases.rs`): nothing
    /// was written.
    #[error("the routing lease of tenant {0} has passed to another instance")]
    Fenced(i32),
    /// A decision refused part way whose writes could not be undone: its batch must
    /// not commit (`script.rs`).
    #[error("a refused decision could not be undone: {0}")]
    Unsettled(Box<StoreError>),
}

impl Store {
    /// Opens the database (creating an SQLite file and its folder when needed) and
    /// brings its schema up to date.
    pub async fn open(url: &str) -> Result<Store, StoreError> {
        if let Some(path) = sqlite_file(url)
            && let Some(dir) = std::path::Path::new(path).parent()
            && !dir.as_os_str().is_empty()
        {
            std::fs::create_dir_all(dir).map_err(|e| StoreError::Folder(dir.display().to_string(), e))?;
        }
        let options = connect_options(url);
        let db = Database::connect(options.clone()).await?;
        Migrator::up(&db, None).await?;
        if db.get_database_backend() == DbBackend::Sqlite {
            // Statistics for the query planner, refreshed where they are stale (SQLite's
            // advice for a long-lived connection: once at start).
            db.execute_unprepared("PRAGMA optimize=0x10002;").await?;
        }
        let read = readers(url, options, &db).await?;
        let lines = lines_apart(url, &db).await?;
        Ok(Store {
            db,
            read,
            lines,
            sessions_ended: tokio::sync::broadcast::channel(64).0,
            reading: Default::default(),
        })
    }
}

/// How every connection to `url` is made.
fn connect_options(url: &str) -> ConnectOptions {
    let mut options = ConnectOptions::new(url.to_owned());
    options.sqlx_logging(false);
    // Set on every pooled connection as it opens (a PRAGMA run once reaches only
    // one of them). WAL lets the pages read while the routing task writes; with WAL,
    // synchronous=NORMAL syncs at checkpoints rather than at every commit (a power
    // cut may lose the last commits, never corrupt the file), which took the routing
    // task's writes from an fsync each to none; foreign keys are off by default in
    // SQLite itself.
    options.map_sqlx_sqlite_opts(|o| {
        use sea_orm::sqlx::sqlite::{SqliteJournalMode, SqliteSynchronous};
        o.journal_mode(SqliteJournalMode::Wal).synchronous(SqliteSynchronous::Normal).foreign_keys(true)
    });
    // On PostgreSQL, a transaction left idle this long is ended by the server: a
    // routing batch holds its tenant's lease row locked (the fence) until it
    // commits, and an instance that froze mid-batch would otherwise keep every other
    // instance from taking the tenant over until it woke (docs/scale-out.md).
    options.map_sqlx_postgres_opts(|o| o.options([("idle_in_transaction_session_timeout", IDLE_IN_TRANSACTION)]));
    options
}

/// How many connections read an SQLite file beside its one writer.
const SQLITE_READERS: u32 = 4;

/// The connections that read. An SQLite file is written through one connection (SeaORM's
/// default for SQLite, and what SQLite does anyway: one writer at a time), so every
/// query waited for the routing batch in progress, a session's lookup on each request
/// included. With WAL, readers do not wait for the writer: a file gets a few read-only
/// connections of its own. PostgreSQL's pool already reads and writes side by side, and
/// an in-memory SQLite database is one connection's: both read through `db`.
async fn readers(
    url: &str,
    options: ConnectOptions,
    db: &DatabaseConnection,
) -> Result<DatabaseConnection, StoreError> {
    if db.get_database_backend() != DbBackend::Sqlite || sqlite_file(url).is_none() {
        return Ok(db.clone());
    }
    let mut options = options;
    // The writer has made the file WAL already; a read-only connection cannot.
    options.max_connections(SQLITE_READERS).map_sqlx_sqlite_opts(|o| o.read_only(true));
    Ok(Database::connect(options).await?)
}

/// Where the simulator keeps its lines. Beside an SQLite file, a file of their own
/// (`ringdesk.lines.db` beside `ringdesk.db`): SQLite writes one transaction at a time
/// per file, and the simulator saves a line as it changes (three times a call) while
/// routing waits for it inside 応答 and 終話, so in one file each save queued behind
/// the other tenants' routing batches and theirs behind it (at 350 calls a second,
/// offer p99 2.6 s with the saves, 75 ms without: docs/BENCHMARKS.md). The telephone
/// system's state apart from routing's, as a cluster has it in its own process. Lines
/// an older version kept in the store's own table are moved over once. PostgreSQL and
/// in-memory SQLite keep them in the store.
async fn lines_apart(url: &str, db: &DatabaseConnection) -> Result<DatabaseConnection, StoreError> {
    use entities::sim_line;
    use sea_orm::{EntityTrait, PaginatorTrait, Schema};
    let Some(apart) = lines_url(url).filter(|_| db.get_database_backend() == DbBackend::Sqlite) else {
        return Ok(db.clone());
    };
    let mut options = connect_options(&apart);
    options.max_connections(1);
    let lines = Database::connect(options).await?;
    let table = Schema::new(DbBackend::Sqlite).create_table_from_entity(sim_line::Entity).if_not_exists().to_owned();
    lines.execute(&table).await?;
    lines.execute_unprepared("CREATE INDEX IF NOT EXISTS idx_sim_lines_state ON sim_lines (state)").await?;
    if sim_line::Entity::find().count(db).await? > 0 {
        let kept = sim_line::Entity::find().all(db).await?;
        for chunk in kept.chunks(500) {
            let rows = chunk.iter().cloned().map(sim_line::ActiveModel::from);
            sim_line::Entity::insert_many(rows).on_conflict_do_nothing().exec(&lines).await?;
        }
        sim_line::Entity::delete_many().exec(db).await?;
    }
    Ok(lines)
}

/// The URL of the simulator's own SQLite file beside the store's at `url`, if the
/// store is an SQLite file.
pub fn lines_url(url: &str) -> Option<String> {
    let path = std::path::Path::new(sqlite_file(url)?);
    let stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or("ringdesk");
    Some(format!("sqlite://{}?mode=rwc", path.with_file_name(format!("{stem}.lines.db")).display()))
}

/// How long PostgreSQL lets a transaction sit idle before it ends it (milliseconds):
/// about a lease's default length; no transaction of ours waits that long between two
/// statements.
const IDLE_IN_TRANSACTION: &str = "2000";

/// The file path of an `sqlite:` URL, if it names a file.
fn sqlite_file(url: &str) -> Option<&str> {
    let rest = url.strip_prefix("sqlite://").or_else(|| url.strip_prefix("sqlite:"))?;
    let path = rest.split('?').next()?;
    (!path.is_empty() && path != ":memory:").then_some(path)
}

/// Milliseconds since the Unix epoch: the one clock of the store.
pub use crate::clock::now_ms;

#[cfg(test)]
mod tests {
    use super::{lines_url, sqlite_file};

    #[test]
    fn finds_the_file_of_an_sqlite_url() {
        assert_eq!(sqlite_file("sqlite://data/ringdesk.db?mode=rwc"), Some("data/ringdesk.db"));
        assert_eq!(sqlite_file("sqlite::memory:"), None);
        assert_eq!(sqlite_file("postgres://localhost/test"), None);
        assert_eq!(
            lines_url("sqlite://data/ringdesk.db?mode=rwc").as_deref(),
            Some("sqlite://data/ringdesk.lines.db?mode=rwc")
        );
        assert_eq!(lines_url("sqlite::memory:"), None);
    }

    /// A line an older version kept in the store's own table is in the simulator's
    /// file after the next start, and no longer in the store.
    #[tokio::test]
    async fn lines_kept_in_the_store_move_to_their_own_file() {
        use super::entities::sim_line;
        use sea_orm::{EntityTrait, PaginatorTrait, Set};
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}/ringdesk.db?mode=rwc", dir.path().display());
        let store = super::Store::open(&url).await.unwrap();
        let line = sim_line::ActiveModel {
            call_id: Set("c-old".into()),
            direction: Set("inbound".into()),
            from_number: Set("+81312345678".into()),
            to_number: Set(None),
            state: Set("queued".into()),
            created_at: Set(1),
            answered_at: Set(None),
            ended_at: Set(None),
            ended_by: Set(None),
            events: Set("[]".into()),
        };
        sim_line::Entity::insert(line).exec(&store.db).await.unwrap();
        drop(store);
        let store = super::Store::open(&url).await.unwrap();
        assert!(sim_line::Entity::find_by_id("c-old").one(&store.lines).await.unwrap().is_some());
        assert_eq!(sim_line::Entity::find().count(&store.db).await.unwrap(), 0);
    }
}
