//! The ended calls of one quarter hour, added up as they end, so that a report over a
//! month reads a row per service, agent and quarter hour instead of every call.
//!
//! Two figures depend on what the reader asks: the service-level threshold (a CTI
//! setting, 1–600 s, which may change after the calls) and the short-abandon cut (a
//! report's option, 0–120 s). So the sums keep, beside the totals, how many calls were
//! answered after each whole number of seconds of waiting and how many were abandoned
//! after each: both figures then come out exactly as a scan of the calls would count
//! them (docs/figures.md), whatever is asked later.

use std::collections::BTreeMap;

use super::cti_settings::SERVICE_LEVEL_SECS;
use super::report::SHORT_ABANDON_SECS;
use crate::model::QueueFigures;

/// The highest service-level threshold (CTI設定), in seconds.
const MAX_THRESHOLD_SECS: i64 = *SERVICE_LEVEL_SECS.end() as i64;
/// The longest short-abandon cut a report takes, in seconds.
const MAX_SHORT_ABANDON_SECS: i64 = *SHORT_ABANDON_SECS.end() as i64;

/// One ended inbound call, as the sums need it (Unix ms).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct EndedCall {
    pub queued_at: i64,
    pub answered_at: Option<i64>,
    pub ended_at: i64,
    /// After-call work recorded for it so far.
    pub wrapup_ms: i64,
}

/// Counts by whole seconds. Kept as text in the store (`"3:12 4:7"`: seconds, a colon,
/// the count; by seconds, a space between), short and read by both databases alike.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Histogram(BTreeMap<i64, i64>);

impl Histogram {
    pub fn add(&mut self, secs: i64, n: i64) {
        *self.0.entry(secs).or_default() += n;
    }

    /// The calls counted at `secs` or fewer.
    pub fn at_most(&self, secs: i64) -> i64 {
        self.0.range(..=secs).map(|(_, n)| n).sum()
    }

    pub fn merge(&mut self, other: &Histogram) {
        for (secs, n) in &other.0 {
            self.add(*secs, *n);
        }
    }

    pub fn parse(text: &str) -> Result<Histogram, BadHistogram> {
        let mut h = Histogram::default();
        for pair in text.split_ascii_whitespace() {
            let (secs, n) = pair.split_once(':').ok_or(BadHistogram)?;
            h.add(secs.parse().map_err(|_| BadHistogram)?, n.parse().map_err(|_| BadHistogram)?);
        }
        Ok(h)
    }
}

impl std::fmt::Display for Histogram {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut first = true;
        for (secs, n) in &self.0 {
            if !first {
                f.write_str(" ")?;
            }
            first = false;
            write!(f, "{secs}:{n}")?;
        }
        Ok(())
    }
}

/// A histogram in the store that is not one: the row is refused, never guessed at.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[error("a histogram of call times that cannot be read")]
pub struct BadHistogram;

/// The sums of the ended inbound calls of one service, agent and quarter hour (the
/// quarter the call joined the queue in; the agent it rang at last).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CallSums {
    /// Calls ended.
    pub calls: i64,
    pub answered: i64,
    /// Σ queue to answer, of the answered.
    pub answer_wait_ms: i64,
    /// Σ answer to end and after-call work, of the answered.
    pub handle_ms: i64,
    pub longest_answer_ms: i64,
    /// Ended without an answer, short ones included.
    pub abandoned: i64,
    pub longest_abandon_ms: i64,
    /// Answered calls by their wait in seconds rounded up (answered within a threshold
    /// of T s ⇔ waited no more than T s ⇔ this is at most T); past the highest
    /// threshold, all in one.
    pub answer_secs: Histogram,
    /// Abandoned calls by their wait in whole seconds (shorter than a cut of S s ⇔ this
    /// is below S); from the longest cut on, all in one.
    pub abandon_secs: Histogram,
}

impl CallSums {
    /// The sums of one call.
    pub fn of(call: EndedCall) -> CallSums {
        let mut sums = CallSums { calls: 1, ..CallSums::default() };
        match call.answered_at {
            Some(answered) => {
                let wait = (answered - call.queued_at).max(0);
                sums.answered = 1;
                sums.answer_wait_ms = wait;
                sums.handle_ms = (call.ended_at - answered).max(0) + call.wrapup_ms;
                sums.longest_answer_ms = wait;
                // Rounded up (the wait is never negative).
                sums.answer_secs.add(((wait + 999) / 1000).min(MAX_THRESHOLD_SECS + 1), 1);
            }
            None => {
                let waited = (call.ended_at - call.queued_at).max(0);
                sums.abandoned = 1;
                sums.longest_abandon_ms = waited;
                sums.abandon_secs.add((waited / 1000).min(MAX_SHORT_ABANDON_SECS), 1);
            }
        }
        sums
    }

    pub fn merge(&mut self, o: &CallSums) {
        self.calls += o.calls;
        self.answered += o.answered;
        self.answer_wait_ms += o.answer_wait_ms;
        self.handle_ms += o.handle_ms;
        self.longest_answer_ms = self.longest_answer_ms.max(o.longest_answer_ms);
        self.abandoned += o.abandoned;
        self.longest_abandon_ms = self.longest_abandon_ms.max(o.longest_abandon_ms);
        self.answer_secs.merge(&o.answer_secs);
        self.abandon_secs.merge(&o.abandon_secs);
    }

    /// The queue figures of these calls, for a service-level threshold and a
    /// short-abandon cut in whole seconds (docs/figures.md).
    pub fn figures(&self, threshold_secs: i64, short_abandon_secs: i64) -> QueueFigures {
        let short = self.abandon_secs.at_most(short_abandon_secs - 1);
        let abandoned = self.abandoned - short;
        // The longest abandon is left out only if it was a short one (then all were).
        let longest_abandon = if abandoned > 0 && self.longest_abandon_ms >= short_abandon_secs * 1000 {
            self.longest_abandon_ms
        } else {
            0
        };
        let count = |n: i64| u32::try_from(n).unwrap_or(u32::MAX);
        QueueFigures {
            offered: count(self.calls - short),
            answered: count(self.answered),
            abandoned: count(abandoned),
            answered_within: count(self.answer_secs.at_most(threshold_secs)),
            answer_wait_ms: self.answer_wait_ms,
            handled: count(self.answered),
            handle_ms: self.handle_ms,
            longest_wait_ms: self.longest_answer_ms.max(longest_abandon),
        }
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    /// The figures of one call as docs/figures.md defines them, read straight from its
    /// times (what the store's scan of the calls counts).
    fn by_definition(c: EndedCall, threshold_secs: i64, short_secs: i64) -> QueueFigures {
        let short = c.answered_at.is_none() && c.ended_at - c.queued_at < short_secs * 1000;
        if short {
            return QueueFigures::default();
        }
        match c.answered_at {
            Some(a) => QueueFigures {
                offered: 1,
                answered: 1,
                answered_within: u32::from(a - c.queued_at <= threshold_secs * 1000),
                answer_wait_ms: a - c.queued_at,
                handled: 1,
                handle_ms: c.ended_at - a + c.wrapup_ms,
                longest_wait_ms: a - c.queued_at,
                ..QueueFigures::default()
            },
            None => QueueFigures {
                offered: 1,
                abandoned: 1,
                longest_wait_ms: c.ended_at - c.queued_at,
                ..QueueFigures::default()
            },
        }
    }

    fn call() -> impl Strategy<Value = EndedCall> {
        // Waits around the edges that matter: whole seconds, a millisecond either side.
        let wait = prop_oneof![0i64..700_000, (0i64..700).prop_flat_map(|s| s * 1000 - 1..=s * 1000 + 1)]
            .prop_map(|w| w.max(0));
        (0i64..900_000, wait, proptest::bool::ANY, 0i64..600_000, 0i64..120_000).prop_map(
            |(queued_at, wait, answered, talk, wrapup_ms)| EndedCall {
                queued_at,
                answered_at: answered.then_some(queued_at + wait),
                ended_at: queued_at + wait + if answered { talk } else { 0 },
                wrapup_ms: if answered { wrapup_ms } else { 0 },
            },
        )
    }

    proptest! {
        /// Added up as they end, the calls give the figures a scan of them would, for
        /// every threshold and short-abandon cut asked afterwards.
        #[test]
        fn sums_give_the_figures_of_the_calls(
            calls in proptest::collection::vec(call(), 0..40),
            threshold in 1i64..=MAX_THRESHOLD_SECS,
            short in 0i64..=MAX_SHORT_ABANDON_SECS,
        ) {
            let mut sums = CallSums::default();
            let mut expected = QueueFigures::default();
            for c in &calls {
                sums.merge(&CallSums::of(*c));
                expected = expected + by_definition(*c, threshold, short);
            }
            prop_assert_eq!(sums.figures(threshold, short), expected);
        }

        #[test]
        fn histograms_read_back_as_written(counts in proptest::collection::btree_map(0i64..700, 1i64..1000, 0..50)) {
            let h = Histogram(counts);
            prop_assert_eq!(Histogram::parse(&h.to_string()), Ok(h));
        }
    }

    #[test]
    fn the_edges_of_a_threshold_and_a_cut() {
        let answered =
            |wait| CallSums::of(EndedCall { queued_at: 0, answered_at: Some(wait), ended_at: wait, wrapup_ms: 0 });
        assert_eq!(answered(20_000).figures(20, 0).answered_within, 1);
        assert_eq!(answered(20_001).figures(20, 0).answered_within, 0);
        let gone = |after| CallSums::of(EndedCall { queued_at: 0, answered_at: None, ended_at: after, wrapup_ms: 0 });
        assert_eq!(gone(4_999).figures(20, 5).offered, 0);
        assert_eq!(gone(5_000).figures(20, 5).abandoned, 1);
        assert_eq!(gone(5_000).figures(20, 5).longest_wait_ms, 5_000);
    }

    #[test]
    fn a_histogram_that_is_not_one_is_refused() {
        assert_eq!(Histogram::parse("3:1 x"), Err(BadHistogram));
        assert_eq!(Histogram::parse(""), Ok(Histogram::default()));
    }
}
