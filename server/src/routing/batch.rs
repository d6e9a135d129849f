//! Group commit. The routing task takes the commands already waiting in its mailbox
//! (never waiting for more to come) and records their decisions in one transaction,
//! each in a savepoint of its own, so one the store refuses changes nothing and the
//! others stand. Nothing outside routing hears of a decision before the transaction
//! commits: replies, browsers' views, the telephone system's part and timers wait here
//! until it does, in the order they were decided. If the commit fails, they are
//! dropped (each caller is told `Internal`) and routing reads its state again from the
//! store.

use std::time::{Duration, Instant};

use sea_orm::DatabaseTransaction;

use super::change::{Change, Decision};
use crate::push::Tell;
use crate::store::leases::{self, Lease};
use crate::store::{Store, StoreError, journal, script};
use app::model::TicketId;

/// The most commands one batch takes: the first of them waits for the last.
pub const MOST: usize = 64;

/// What waits for a batch's commit.
pub enum After {
    /// The telephone system's part of a change, or a timer it starts.
    Change(Change),
    /// A view or figures for the browsers.
    Tell(Tell),
    /// A command's answer.
    Reply(Box<dyn FnOnce() + Send>),
}

#[derive(Default)]
pub struct Batch {
    /// In a cluster, the tenant's lease: each transaction is fenced by it first.
    pub lease: Option<Lease>,
    /// Open from the batch's first decision to its commit.
    txn: Option<DatabaseTransaction>,
    /// Decisions recorded in it.
    decisions: u64,
    /// A decision's savepoint is open in the store: its writing did not finish (it
    /// panicked), and what it wrote is rolled back before the commit.
    open: bool,
    /// Why a decision refused part way could not be undone: the batch is rolled back.
    unsettled: Option<StoreError>,
    after: Vec<After>,
    /// When the transaction was asked for, and when the store gave it.
    asked: Option<(Instant, Instant)>,
}

/// What a commit carried out.
pub struct Committed {
    /// Decisions in the transaction (none: nothing was written).
    pub decisions: u64,
    pub after: Vec<After>,
    pub held: Held,
}

/// How long a transaction kept the store's writer, and waited for it. SQLite writes
/// one transaction at a time: the sum of `open` over every tenant's batches against
/// the time that passed is how busy its writer is.
#[derive(Clone, Copy, Debug, Default)]
pub struct Held {
    pub open: Duration,
    pub waited: Duration,
}

impl Batch {
    /// Records `decision` with the batch's others; answers the ticket made for an
    /// answered call. Refused, it leaves the batch as it was.
    pub async fn record(&mut self, store: &Store, decision: &Decision) -> Result<Option<TicketId>, StoreError> {
        // The transaction stays in the batch while a decision is written: should
        // writing one panic, only its savepoint goes, and the decisions before it are
        // still committed (`Actor::step`).
        let txn = match self.txn.take() {
            Some(txn) => txn,
            None => {
                let asked = Instant::now();
                let txn = store.begin_batch().await?;
                self.asked = Some((asked, Instant::now()));
                if let Some(lease) = self.lease {
                    leases::fence(&txn, lease).await?;
                }
                txn
            }
        };
        let txn = self.txn.insert(txn);
        match journal::record_in(txn, decision, &mut self.open).await {
            Ok(made) => {
                self.decisions += 1;
                Ok(made)
            }
            Err(StoreError::Unsettled(why)) => {
                self.unsettled = Some(StoreError::Unsettled(why));
                Err(StoreError::Refused(app::error::AppError::Internal))
            }
            Err(e) => Err(e),
        }
    }

    pub fn later(&mut self, after: After) {
        self.after.push(after);
    }

    /// Commits what was recorded; answers what waited for it. Not committed, what
    /// waited is dropped.
    pub async fn commit(&mut self) -> Result<Committed, StoreError> {
        let after = std::mem::take(&mut self.after);
        let decisions = std::mem::take(&mut self.decisions);
        let mut held = Held::default();
        if let Some(txn) = self.txn.take() {
            if std::mem::take(&mut self.open)
                && let Err(e) = script::roll_back(&txn).await
            {
                self.unsettled = Some(StoreError::Unsettled(Box::new(e)));
            }
            if let Some(why) = self.unsettled.take() {
                // Dropped, the transaction rolls back.
                return Err(why);
            }
            txn.commit().await?;
            if let Some((asked, given)) = self.asked.take() {
                held = Held { open: given.elapsed(), waited: given - asked };
            }
        }
        Ok(Committed { decisions, after, held })
    }
}
