//! A range of whole days, typed as two `YYYY-MM-DD` dates (Japan time), both included.

use crate::domain::validation::{Checks, FieldProblem, Problem};
use crate::time::day_start_ms;

const DAY_MS: i64 = 86_400_000;

/// From the start of the first day to the start of the day after the last; either end
/// may be open (empty).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct DayRange {
    pub from_ms: Option<i64>,
    pub before_ms: Option<i64>,
}

/// Reads both ends, naming each bad one by its field; an end before the start is
/// refused on the end's field.
pub fn parse(from: &str, to: &str, fields: (&str, &str)) -> Result<DayRange, Vec<FieldProblem>> {
    let read = |raw: &str| -> Result<Option<i64>, Problem> {
        match raw.trim() {
            "" => Ok(None),
            s => day_start_ms(s).map(Some).ok_or(Problem::Date),
        }
    };
    let (f, t) = (read(from), read(to));
    let mut checks = Checks::default();
    checks.check(fields.0, f.err()).check(fields.1, t.err());
    if let (Ok(Some(f)), Ok(Some(t))) = (f, t) {
        checks.check(fields.1, (t < f).then_some(Problem::DateOrder));
    }
    let problems = checks.into_vec();
    match (f, t) {
        (Ok(from_ms), Ok(to_ms)) if problems.is_empty() => {
            Ok(DayRange { from_ms, before_ms: to_ms.map(|t| t + DAY_MS) })
        }
        _ => Err(problems),
    }
}

/// A range with both ends given (an export is never of all time by accident).
pub fn parse_closed(from: &str, to: &str, fields: (&str, &str)) -> Result<(i64, i64), Vec<FieldProblem>> {
    let mut missing = Checks::default();
    missing
        .check(fields.0, from.trim().is_empty().then_some(Problem::Required))
        .check(fields.1, to.trim().is_empty().then_some(Problem::Required));
    let missing = missing.into_vec();
    let range = parse(from, to, fields);
    match range {
        Ok(DayRange { from_ms: Some(f), before_ms: Some(b) }) => Ok((f, b)),
        Ok(_) => Err(missing),
        Err(mut problems) => {
            problems.extend(missing);
            Err(problems)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const F: (&str, &str) = ("from", "to");

    #[test]
    fn a_day_range_includes_its_last_day() {
        let r = parse("2026-11-01", "2026-11-01", F).unwrap();
        assert_eq!(r.before_ms.unwrap() - r.from_ms.unwrap(), DAY_MS);
        assert_eq!(parse("", "", F), Ok(DayRange::default()));
    }

    #[test]
    fn bad_ends_are_named() {
        let fields = |r: Result<DayRange, Vec<FieldProblem>>| {
            r.unwrap_err().into_iter().map(|p| (p.field, p.problem)).collect::<Vec<_>>()
        };
        assert_eq!(fields(parse("2026-11-31", "x", F)), [("from".into(), Problem::Date), ("to".into(), Problem::Date)]);
        assert_eq!(fields(parse("2026-11-02", "2026-11-01", F)), [("to".into(), Problem::DateOrder)]);
    }

    #[test]
    fn a_closed_range_needs_both_ends() {
        assert!(parse_closed("2026-11-01", "2026-11-30", F).is_ok());
        let problems = parse_closed("", "2026-11-30", F).unwrap_err();
        assert_eq!(problems, vec![FieldProblem::new("from", Problem::Required)]);
    }

    proptest::proptest! {
        /// Whatever is typed, the answer is a range that ends after it starts, or named
        /// problems; nothing panics.
        #[test]
        fn any_text_is_a_range_or_refused(from in "\\PC{0,14}|[0-9]{4}-[0-9]{2}-[0-9]{2}", to in "\\PC{0,14}|[0-9]{4}-[0-9]{2}-[0-9]{2}") {
            match parse(&from, &to, F) {
                Ok(DayRange { from_ms: Some(f), before_ms: Some(b) }) => proptest::prop_assert!(f < b),
                Ok(_) => {}
                Err(problems) => proptest::prop_assert!(!problems.is_empty()),
            }
            if let Ok((f, b)) = parse_closed(&from, &to, F) {
                proptest::prop_assert!(f < b);
            }
        }
    }
}
