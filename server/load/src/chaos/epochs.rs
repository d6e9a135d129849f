//! Writes under a stale epoch, read from the store. Each call event written in a
//! cluster carries the epoch of the routing lease it was written under (migration 020).
//! A tenant's events, in the order they were written, must never go back to an older
//! epoch: an owner fenced out that still wrote would show as one. An event with no
//! epoch was written without the fence.

use std::collections::HashMap;

/// One event as read: its tenant and the epoch it was written under.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Written {
    pub id: i64,
    pub tenant: i32,
    pub epoch: Option<i64>,
}

/// What is wrong with the events, in the order they were written (by id).
#[derive(Debug, PartialEq, Eq)]
pub enum Stale {
    /// Event `id` was written under `epoch` after the tenant's events had reached `newer`.
    Older { id: i64, tenant: i32, epoch: i64, newer: i64 },
    /// Event `id` was written outside any lease.
    Unfenced { id: i64, tenant: i32 },
}

/// Every event out of order, given the events sorted by id.
pub fn stale(events: &[Written]) -> Vec<Stale> {
    let mut newest: HashMap<i32, i64> = HashMap::new();
    let mut found = Vec::new();
    for e in events {
        let Some(epoch) = e.epoch else {
            found.push(Stale::Unfenced { id: e.id, tenant: e.tenant });
            continue;
        };
        let top = newest.entry(e.tenant).or_insert(epoch);
        if epoch < *top {
            found.push(Stale::Older { id: e.id, tenant: e.tenant, epoch, newer: *top });
        } else {
            *top = epoch;
        }
    }
    found
}

/// How many epochs (tenures) the events span, all tenants together.
pub fn tenures(events: &[Written]) -> usize {
    let mut seen: Vec<(i32, i64)> = events.iter().filter_map(|e| Some((e.tenant, e.epoch?))).collect();
    seen.sort_unstable();
    seen.dedup();
    seen.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn w(id: i64, tenant: i32, epoch: Option<i64>) -> Written {
        Written { id, tenant, epoch }
    }

    #[test]
    fn each_tenant_moves_forward_on_its_own() {
        let events = [w(1, 1, Some(1)), w(2, 2, Some(7)), w(3, 1, Some(2)), w(4, 2, Some(7)), w(5, 1, Some(2))];
        assert_eq!(stale(&events), vec![]);
        assert_eq!(tenures(&events), 3);
    }

    #[test]
    fn a_write_after_a_newer_tenure_began_is_stale() {
        let events = [w(1, 1, Some(1)), w(2, 1, Some(2)), w(3, 1, Some(1)), w(4, 1, Some(2))];
        assert_eq!(stale(&events), vec![Stale::Older { id: 3, tenant: 1, epoch: 1, newer: 2 }]);
    }

    #[test]
    fn a_write_outside_the_lease_is_named() {
        assert_eq!(stale(&[w(1, 3, None)]), vec![Stale::Unfenced { id: 1, tenant: 3 }]);
    }
}
