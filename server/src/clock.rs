//! The one clock: Unix milliseconds. With the telephony simulator it can be moved
//! forward (`POST /sim/clock`), so that a demo or a test makes a customer wait forty
//! seconds, or a call last five minutes, without waiting for it: every time the server
//! stamps (a call's arrival, an answer, a status change) reads this clock. It never
//! runs backward. Timers (an offer's ring time) are durations and keep real time.

use std::sync::atomic::{AtomicI64, Ordering};

/// How far the clock has been moved forward.
static AHEAD_MS: AtomicI64 = AtomicI64::new(0);

pub fn now_ms() -> i64 {
    let system =
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_millis() as i64).unwrap_or(0);
    system + AHEAD_MS.load(Ordering::Relaxed)
}

/// Moves the clock forward by `ms` (a negative amount does nothing); answers the new now.
pub fn advance(ms: i64) -> i64 {
    AHEAD_MS.fetch_add(ms.max(0), Ordering::Relaxed);
    now_ms()
}
