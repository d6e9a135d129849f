//! Reading the server's store during a crash run, and holding it against what was
//! acknowledged.

use std::collections::{HashMap, HashSet};
use std::time::{Duration, Instant};

use sqlx::Row;
use sqlx::sqlite::{SqliteConnectOptions, SqliteConnection};
use sqlx::{ConnectOptions, Connection};

use super::Acked;
use crate::server::Server;

/// A call as the store has it.
struct CallRow {
    agent: Option<i64>,
    ticket: Option<i64>,
    state: String,
    answered_at: Option<i64>,
}

/// The demo agents' user names, as the store has them.
fn username(agent: usize) -> String {
    format!("agent{:05}", agent + 1)
}

/// Waits (at most 15 s) until no offer made before the crash still rings: the server
/// withdrew them at start, and the agents' streams, reconnected, show it.
pub(super) async fn settle(server: &Server) {
    let deadline = Instant::now() + Duration::from_secs(15);
    while Instant::now() < deadline {
        if let Ok(mut db) = open(server).await
            && let Ok(n) = sqlx::query("SELECT COUNT(*) FROM agent_states WHERE status = 'ringing'")
                .fetch_one(&mut db)
                .await
                .and_then(|r| r.try_get::<i64, _>(0))
            && n == 0
        {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

async fn open(server: &Server) -> Result<SqliteConnection, String> {
    SqliteConnectOptions::new()
        .filename(server.database())
        .read_only(true)
        .connect()
        .await
        .map_err(|e| format!("the store: {e}"))
}

/// How many calls a crash cut off (connected when the server died, ended by its restart).
pub(super) async fn cut_off(server: &Server) -> Result<i64, String> {
    let mut db = open(server).await?;
    sqlx::query("SELECT COUNT(*) FROM calls WHERE end_reason = 'server_restart'")
        .fetch_one(&mut db)
        .await
        .and_then(|r| r.try_get::<i64, _>(0))
        .map_err(|e| e.to_string())
}

/// The ids of the calls that have ended (`ended`), or of those that have not.
pub(super) async fn calls(server: &Server, ended: bool) -> Result<HashSet<String>, String> {
    let mut db = open(server).await?;
    let sql = if ended {
        "SELECT id FROM calls WHERE state = 'ended'"
    } else {
        "SELECT id FROM calls WHERE state != 'ended'"
    };
    let rows = sqlx::query(sql).fetch_all(&mut db).await.map_err(|e| e.to_string())?;
    Ok(rows.iter().filter_map(|r| r.try_get::<String, _>(0).ok()).collect())
}

/// Holds the store (one read transaction: a consistent snapshot) against what was
/// acknowledged before the crash at `killed_at`.
pub(super) async fn check(server: &Server, acked: &Acked, killed_at: i64) -> Result<Vec<String>, String> {
    // What was acknowledged until now was committed before it was acknowledged: the
    // snapshot, taken after, must hold all of it.
    let answers: Vec<(String, usize)> =
        acked.answers.lock().unwrap_or_else(|e| e.into_inner()).iter().map(|(c, a)| (c.clone(), *a)).collect();
    let statuses: Vec<(usize, &'static str, i64, i64)> = acked
        .statuses
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .iter()
        .map(|a| (a.agent, a.status, a.sent, a.acked))
        .collect();
    let mut db = open(server).await?;
    let mut tx = db.begin().await.map_err(|e| e.to_string())?;
    let q = |sql: &'static str| sqlx::query(sql);
    let users: HashMap<String, i64> = q("SELECT username, id FROM users")
        .fetch_all(&mut *tx)
        .await
        .map_err(|e| e.to_string())?
        .iter()
        .filter_map(|r| Some((r.try_get::<String, _>(0).ok()?, r.try_get::<i64, _>(1).ok()?)))
        .collect();
    let user = |agent: usize| users.get(&username(agent)).copied().unwrap_or(-1);
    let mut problems = Vec::new();

    // Every 応答 acknowledged: the call names the agent and a ticket that exists.
    let calls: HashMap<String, CallRow> = q("SELECT id, agent_id, ticket_id, state, answered_at FROM calls")
        .fetch_all(&mut *tx)
        .await
        .map_err(|e| e.to_string())?
        .iter()
        .filter_map(|r| {
            let row = CallRow {
                agent: r.try_get(1).ok()?,
                ticket: r.try_get(2).ok()?,
                state: r.try_get(3).ok()?,
                answered_at: r.try_get(4).ok()?,
            };
            Some((r.try_get::<String, _>(0).ok()?, row))
        })
        .collect();
    let tickets: HashSet<i64> = q("SELECT id FROM tickets")
        .fetch_all(&mut *tx)
        .await
        .map_err(|e| e.to_string())?
        .iter()
        .filter_map(|r| r.try_get::<i64, _>(0).ok())
        .collect();
    for (call_id, agent) in &answers {
        match calls.get(call_id) {
            None => problems.push(format!("answered call {call_id} is not in the store")),
            Some(CallRow { agent: agent_id, ticket: ticket_id, answered_at, .. }) => {
                if *agent_id != Some(user(*agent)) || answered_at.is_none() {
                    problems.push(format!("answered call {call_id}: agent {agent_id:?}, answered at {answered_at:?}"));
                }
                if !ticket_id.is_some_and(|t| tickets.contains(&t)) {
                    problems.push(format!("answered call {call_id}: its ticket {ticket_id:?} is not in the store"));
                }
            }
        }
    }

    // Every status change acknowledged is in the history, stamped while it was asked.
    let history: Vec<(i64, String, i64)> = q("SELECT user_id, status, at FROM status_history")
        .fetch_all(&mut *tx)
        .await
        .map_err(|e| e.to_string())?
        .iter()
        .filter_map(|r| Some((r.try_get(0).ok()?, r.try_get(1).ok()?, r.try_get(2).ok()?)))
        .collect();
    let mut by_user: HashMap<i64, Vec<(&str, i64)>> = HashMap::new();
    for (u, s, at) in &history {
        by_user.entry(*u).or_default().push((s.as_str(), *at));
    }
    for (agent, status, sent, acked) in statuses {
        let found = by_user
            .get(&user(agent))
            .is_some_and(|h| h.iter().any(|(s, at)| *s == status && (sent - 1_000..=acked + 1_000).contains(at)));
        if !found {
            problems.push(format!("{} → {status} (acknowledged at {acked}) is not in the history", username(agent)));
        }
    }

    // No call answered before the crash is still open after it.
    for (id, c) in &calls {
        if c.state == "connected" && c.answered_at.is_some_and(|t| t < killed_at) {
            problems.push(format!("call {id}, answered before the crash, is still connected"));
        }
    }

    // Agents and calls agree.
    let states: Vec<(i64, String)> = q("SELECT user_id, status FROM agent_states")
        .fetch_all(&mut *tx)
        .await
        .map_err(|e| e.to_string())?
        .iter()
        .filter_map(|r| Some((r.try_get(0).ok()?, r.try_get(1).ok()?)))
        .collect();
    let status_of: HashMap<i64, &str> = states.iter().map(|(u, s)| (*u, s.as_str())).collect();
    for (u, s) in &states {
        let live = calls.values().any(|c| c.agent == Some(*u) && c.state != "ended");
        if matches!(s.as_str(), "ringing" | "in_call" | "on_hold") && !live {
            problems.push(format!("user {u} is {s} with no call"));
        }
    }
    for (id, c) in &calls {
        if c.state == "connected" {
            let s = c.agent.and_then(|a| status_of.get(&a).copied()).unwrap_or("none");
            if !matches!(s, "in_call" | "on_hold" | "consulting") {
                problems.push(format!("call {id} is connected but its agent is {s}"));
            }
        }
    }
    tx.rollback().await.map_err(|e| e.to_string())?;
    Ok(problems)
}
