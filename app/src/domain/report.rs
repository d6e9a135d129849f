//! Reports (#21 point 4): the form that asks for one and what makes it acceptable, and
//! how an agent's status changes become time in each status per interval. Pure.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::AgentStatus;
use super::date_range::parse_closed;
use super::validation::{Checks, FieldProblem, Problem};
use crate::model::StatusTimes;
use crate::time::{DAY_MS, JST_OFFSET_MS};

/// How finely a report splits its range; intervals start at midnight, Japan time.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Interval {
    Quarter,
    Half,
    Hour,
    Day,
}

crate::stored_names!(Interval {
    Quarter => "15",
    Half => "30",
    Hour => "60",
    Day => "day",
});

impl Interval {
    pub const fn ms(self) -> i64 {
        match self {
            Interval::Quarter => 15 * 60_000,
            Interval::Half => 30 * 60_000,
            Interval::Hour => 60 * 60_000,
            Interval::Day => DAY_MS,
        }
    }

    /// When the interval holding `unix_ms` began.
    pub fn start_of(self, unix_ms: i64) -> i64 {
        (unix_ms + JST_OFFSET_MS).div_euclid(self.ms()) * self.ms() - JST_OFFSET_MS
    }
}

/// A report has at most this many intervals (a month by the hour): what a screen and
/// a chart can show. Longer ranges take a longer interval.
pub const MAX_INTERVALS: i64 = 31 * 24;
/// 短い放棄を除く: abandons sooner than this many seconds may be left out.
pub const SHORT_ABANDON_SECS: std::ops::RangeInclusive<i32> = 0..=120;

/// The report form as typed (a query string: the page works before its code loads).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportForm {
    #[serde(default)]
    pub from: String,
    #[serde(default)]
    pub to: String,
    #[serde(default)]
    pub interval: String,
    /// A service's id, or empty for all the user may see.
    #[serde(default)]
    pub service: String,
    #[serde(default)]
    pub short_abandon: String,
}

/// The form's field names, as refusals name them.
pub mod field {
    pub const FROM: &str = "from";
    pub const TO: &str = "to";
    pub const INTERVAL: &str = "interval";
    pub const SERVICE: &str = "service";
    pub const SHORT_ABANDON: &str = "short_abandon";
}

/// What a report covers, once the form is read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ReportSpan {
    /// From the start of the first day to the start of the day after the last.
    pub from_ms: i64,
    pub to_ms: i64,
    pub interval: Interval,
    pub service_id: Option<i32>,
    pub short_abandon_secs: i32,
}

impl ReportForm {
    /// The form as first opened: `today` (`YYYY-MM-DD`) by the hour, where neither date
    /// nor the interval is given.
    pub fn or_today(self, today: &str) -> ReportForm {
        let no_dates = self.from.trim().is_empty() && self.to.trim().is_empty();
        ReportForm {
            from: if no_dates { today.to_owned() } else { self.from },
            to: if no_dates { today.to_owned() } else { self.to },
            interval: if self.interval.trim().is_empty() { Interval::Hour.as_str().to_owned() } else { self.interval },
            ..self
        }
    }

    /// The span asked for, or every field that is not acceptable.
    pub fn read(&self) -> Result<ReportSpan, Vec<FieldProblem>> {
        let range = parse_closed(&self.from, &self.to, (field::FROM, field::TO));
        let interval = Interval::parse(self.interval.trim());
        let service = match self.service.trim() {
            "" => Ok(None),
            s => s.parse::<i32>().map(Some).map_err(|_| Problem::Choice),
        };
        let short = match self.short_abandon.trim() {
            "" => Ok(0),
            s => s.parse::<i32>().ok().filter(|n| SHORT_ABANDON_SECS.contains(n)).ok_or(Problem::ShortAbandon),
        };
        let mut c = Checks::default();
        if let Err(problems) = &range {
            for p in problems {
                c.check(&p.field, Some(p.problem));
            }
        }
        c.check(field::INTERVAL, interval.is_none().then_some(Problem::Choice))
            .check(field::SERVICE, service.err())
            .check(field::SHORT_ABANDON, short.err());
        if let (Ok((from, to)), Some(i)) = (&range, interval) {
            c.check(field::TO, ((to - from) / i.ms() > MAX_INTERVALS).then_some(Problem::ReportTooLong));
        }
        let problems = c.into_vec();
        match (range, interval, service, short) {
            (Ok((from_ms, to_ms)), Some(interval), Ok(service_id), Ok(short_abandon_secs)) if problems.is_empty() => {
                Ok(ReportSpan { from_ms, to_ms, interval, service_id, short_abandon_secs })
            }
            _ => Err(problems),
        }
    }
}

/// One agent's time in each status, per interval, from their status changes in order
/// (`(status, since)`; the first is the status they were in before `from`, if known).
/// A status lasts until the next change, the last one until `now`; only the part
/// inside `[from, to)` counts, split at the intervals' edges.
pub fn time_in_status(
    changes: &[(AgentStatus, i64)],
    from: i64,
    to: i64,
    now: i64,
    interval: Interval,
) -> BTreeMap<i64, StatusTimes> {
    let mut per: BTreeMap<i64, StatusTimes> = BTreeMap::new();
    let ends = changes.iter().skip(1).map(|(_, at)| *at).chain([now]);
    for (&(status, since), until) in changes.iter().zip(ends) {
        let (mut start, end) = (since.max(from), until.min(to));
        while start < end {
            let bucket = interval.start_of(start);
            let edge = (bucket + interval.ms()).min(end);
            per.entry(bucket).or_default().add(status, edge - start);
            start = edge;
        }
    }
    per
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;
    use crate::time::day_start_ms;

    fn form(from: &str, to: &str, interval: &str) -> ReportForm {
        ReportForm { from: from.into(), to: to.into(), interval: interval.into(), ..ReportForm::default() }
    }

    #[test]
    fn a_day_by_the_hour_reads_from_midnight_to_midnight_japan_time() {
        let span = form("2026-12-01", "2026-12-01", "60").read().unwrap();
        let midnight = day_start_ms("2026-12-01").unwrap();
        assert_eq!((span.from_ms, span.to_ms), (midnight, midnight + DAY_MS));
        assert_eq!((span.interval, span.service_id, span.short_abandon_secs), (Interval::Hour, None, 0));
        assert_eq!(Interval::Hour.start_of(midnight + 90 * 60_000), midnight + 3_600_000);
        assert_eq!(Interval::Day.start_of(midnight + DAY_MS - 1), midnight);
    }

    #[test]
    fn a_form_without_dates_is_today_by_the_hour() {
        let today = ReportForm::default().or_today("2026-12-06");
        assert_eq!(
            (today.from.as_str(), today.to.as_str(), today.interval.as_str()),
            ("2026-12-06", "2026-12-06", "60")
        );
        let half = ReportForm { from: "2026-12-01".into(), interval: "15".into(), ..ReportForm::default() };
        assert_eq!(
            half.clone().or_today("2026-12-06"),
            ReportForm { interval: "15".into(), ..half },
            "one date: refused"
        );
    }

    #[test]
    fn every_bad_field_is_named_and_a_range_too_long_for_its_interval_is_refused() {
        let bad = ReportForm {
            from: "2026-13-01".into(),
            to: "".into(),
            interval: "7".into(),
            service: "x".into(),
            short_abandon: "121".into(),
        };
        let fields: Vec<(String, Problem)> =
            bad.read().unwrap_err().into_iter().map(|p| (p.field, p.problem)).collect();
        assert_eq!(
            fields,
            [
                ("from".into(), Problem::Date),
                ("to".into(), Problem::Required),
                ("interval".into(), Problem::Choice),
                ("service".into(), Problem::Choice),
                ("short_abandon".into(), Problem::ShortAbandon),
            ]
        );
        // A month by the hour is the most; by the quarter hour, a week.
        assert!(form("2026-12-01", "2026-12-31", "60").read().is_ok());
        assert!(form("2026-12-01", "2026-12-07", "15").read().is_ok());
        assert_eq!(
            form("2026-12-01", "2026-12-08", "15").read().unwrap_err(),
            [FieldProblem::new(field::TO, Problem::ReportTooLong)]
        );
        assert!(form("2026-01-01", "2026-12-31", "day").read().is_ok());
        assert_eq!(form("2026-12-02", "2026-12-01", "day").read().unwrap_err()[0].problem, Problem::DateOrder);
    }

    #[test]
    fn a_status_across_an_interval_edge_is_split_and_the_last_lasts_until_now() {
        let h = Interval::Hour.ms();
        let m = 60_000;
        let changes = [(AgentStatus::Break, -h), (AgentStatus::Ready, 50 * m), (AgentStatus::InCall, 70 * m)];
        let per = time_in_status(&changes, 0, 4 * h, 80 * m, Interval::Hour);
        let start = Interval::Hour.start_of(0);
        let first = per[&start];
        assert_eq!(first.of(AgentStatus::Break), 50 * m, "the break began before the range: from its start");
        assert_eq!(first.of(AgentStatus::Ready), 10 * m);
        let second = per[&(start + h)];
        assert_eq!((second.of(AgentStatus::Ready), second.of(AgentStatus::InCall)), (10 * m, 10 * m));
        assert_eq!(per.len(), 2, "nothing after now");
    }

    proptest! {
        /// However the changes fall, the intervals add up to the time inside the range,
        /// each interval holds at most its own length, and nothing lies outside.
        #[test]
        fn intervals_add_up_to_the_time_in_the_range(
            gaps in prop::collection::vec((0usize..10, 0i64..5_000_000), 1..40),
            start in -10_000_000i64..10_000_000,
            from in -5_000_000i64..5_000_000,
            len in 0i64..40_000_000,
            after in 0i64..20_000_000,
            interval in prop::sample::select(Interval::ALL.to_vec()),
        ) {
            let mut at = start;
            let changes: Vec<(AgentStatus, i64)> = gaps
                .iter()
                .map(|(s, gap)| {
                    at += gap;
                    (AgentStatus::ALL[*s], at)
                })
                .collect();
            let now = at + after;
            let to = from + len;
            let per = time_in_status(&changes, from, to, now, interval);
            let covered = (now.min(to) - changes[0].1.max(from)).max(0);
            let total: i64 = per.values().map(|t| t.0.iter().sum::<i64>()).sum();
            prop_assert_eq!(total, covered);
            for (bucket, times) in &per {
                prop_assert!(*bucket + interval.ms() > from && *bucket < to);
                prop_assert!(times.0.iter().sum::<i64>() <= interval.ms());
                prop_assert!(times.0.iter().all(|ms| *ms >= 0));
            }
        }
    }
}
