//! The ticket list's filters, sort and page: checked from the text the page's address
//! carries, each malformed value refused by the name of its field.

use crate::domain::validation::{Checks, FieldProblem, Problem};
use crate::model::{CallDirection, Channel, TicketFilter, TicketStatus, UserId};

/// The filters' field names, as the list's form and address name them.
pub mod field {
    pub const STATUS: &str = "status";
    pub const ASSIGNEE: &str = "assignee";
    pub const CHANNEL: &str = "channel";
    pub const DIRECTION: &str = "direction";
    pub const FROM: &str = "from";
    pub const TO: &str = "to";
    pub const CUSTOMER: &str = "customer";
    pub const SORT: &str = "sort";
    pub const PAGE: &str = "page";
}

/// How many tickets a page shows.
pub const PAGE_SIZE: u64 = 50;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AssigneeFilter {
    /// The signed-in user.
    Me,
    Nobody,
    User(UserId),
}

/// Which time the list is ordered by, newest or oldest first.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum TicketSort {
    #[default]
    CreatedDesc,
    CreatedAsc,
    UpdatedDesc,
    UpdatedAsc,
}

crate::stored_names!(TicketSort {
    CreatedDesc => "created_desc",
    CreatedAsc => "created_asc",
    UpdatedDesc => "updated_desc",
    UpdatedAsc => "updated_asc",
});

impl TicketSort {
    pub fn by_updated(self) -> bool {
        matches!(self, TicketSort::UpdatedDesc | TicketSort::UpdatedAsc)
    }

    pub fn descending(self) -> bool {
        matches!(self, TicketSort::CreatedDesc | TicketSort::UpdatedDesc)
    }
}

/// A place in the list: the sort time and id of a ticket at a page's edge.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Cursor {
    pub at_ms: i64,
    pub id: i32,
}

impl Cursor {
    pub fn encode(self) -> String {
        format!("{}_{}", self.at_ms, self.id)
    }

    pub fn decode(s: &str) -> Option<Cursor> {
        let (at, id) = s.split_once('_')?;
        Some(Cursor { at_ms: at.parse().ok()?, id: id.parse().ok()? })
    }
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum PageAt {
    #[default]
    First,
    /// The page that follows the cursor in the sort order.
    After(Cursor),
    /// The page that precedes it.
    Before(Cursor),
}

/// A checked query of the ticket list.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TicketQuery {
    pub status: Option<TicketStatus>,
    pub assignee: Option<AssigneeFilter>,
    pub channel: Option<Channel>,
    pub direction: Option<CallDirection>,
    /// Created at or after.
    pub created_from_ms: Option<i64>,
    /// Created before (the day after the `to` date begins).
    pub created_before_ms: Option<i64>,
    /// As typed; the server brings it to E.164 with the tenant's region.
    pub customer: Option<String>,
    pub sort: TicketSort,
    pub page: PageAt,
}

/// Checks every filter at once, so that a form shows all of its problems together.
pub fn parse(f: &TicketFilter) -> Result<TicketQuery, Vec<FieldProblem>> {
    let mut checks = Checks::default();
    let mut choice = |field: &str, raw: &str, parse: &dyn Fn(&str) -> bool| {
        checks.check(field, (!raw.trim().is_empty() && !parse(raw.trim())).then_some(Problem::Choice));
    };
    let status = optional(&f.status, TicketStatus::parse);
    let assignee = optional(&f.assignee, |s| match s {
        "me" => Some(AssigneeFilter::Me),
        "none" => Some(AssigneeFilter::Nobody),
        id => id.parse().ok().filter(|id| *id > 0).map(AssigneeFilter::User),
    });
    let channel = optional(&f.channel, Channel::parse);
    let direction = optional(&f.direction, |s| match s {
        "inbound" => Some(CallDirection::Inbound),
        "outbound" => Some(CallDirection::Outbound),
        _ => None,
    });
    let sort = optional(&f.sort, TicketSort::parse);
    choice(field::STATUS, &f.status, &|s| TicketStatus::parse(s).is_some());
    choice(field::ASSIGNEE, &f.assignee, &|_| assignee.is_some());
    choice(field::CHANNEL, &f.channel, &|s| Channel::parse(s).is_some());
    choice(field::DIRECTION, &f.direction, &|_| direction.is_some());
    choice(field::SORT, &f.sort, &|s| TicketSort::parse(s).is_some());

    let range = match crate::domain::date_range::parse(&f.from, &f.to, (field::FROM, field::TO)) {
        Ok(r) => r,
        Err(problems) => {
            for p in problems {
                checks.check(&p.field, Some(p.problem));
            }
            Default::default()
        }
    };
    let customer = Some(f.customer.trim()).filter(|s| !s.is_empty()).map(str::to_owned);
    checks.check(field::CUSTOMER, customer.as_deref().and_then(|c| crate::domain::validation::text(c, 32)));

    let page = match (f.after.trim(), f.before.trim()) {
        ("", "") => Some(PageAt::First),
        (after, "") => Cursor::decode(after).map(PageAt::After),
        ("", before) => Cursor::decode(before).map(PageAt::Before),
        _ => None,
    };
    checks.check(field::PAGE, page.is_none().then_some(Problem::Choice));

    let problems = checks.into_vec();
    if !problems.is_empty() {
        return Err(problems);
    }
    Ok(TicketQuery {
        status,
        assignee,
        channel,
        direction,
        created_from_ms: range.from_ms,
        created_before_ms: range.before_ms,
        customer,
        sort: sort.unwrap_or_default(),
        page: page.unwrap_or_default(),
    })
}

fn optional<T>(raw: &str, parse: impl Fn(&str) -> Option<T>) -> Option<T> {
    Some(raw.trim()).filter(|s| !s.is_empty()).and_then(parse)
}

/// The filter that shows the page after (`forward`) or before the given cursor, keeping
/// everything else.
pub fn with_page(f: &TicketFilter, cursor: &str, forward: bool) -> TicketFilter {
    let mut f = f.clone();
    (f.after, f.before) = if forward { (cursor.to_owned(), String::new()) } else { (String::new(), cursor.to_owned()) };
    f
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::time::day_start_ms;
    use proptest::prelude::*;

    fn filter(set: impl FnOnce(&mut TicketFilter)) -> TicketFilter {
        let mut f = TicketFilter::default();
        set(&mut f);
        f
    }

    #[test]
    fn an_empty_filter_is_the_newest_first_page() {
        assert_eq!(parse(&TicketFilter::default()), Ok(TicketQuery::default()));
    }

    #[test]
    fn every_filter_is_read() {
        let q = parse(&filter(|f| {
            f.status = "pending".into();
            f.assignee = "12".into();
            f.channel = "phone".into();
            f.direction = "outbound".into();
            f.from = "2026-11-01".into();
            f.to = "2026-11-30".into();
            f.customer = " 090-1234-5678 ".into();
            f.sort = "updated_asc".into();
            f.after = "1795564800000_42".into();
        }))
        .unwrap();
        assert_eq!(q.status, Some(TicketStatus::Pending));
        assert_eq!(q.assignee, Some(AssigneeFilter::User(12)));
        assert_eq!(q.channel, Some(Channel::Phone));
        assert_eq!(q.direction, Some(CallDirection::Outbound));
        assert_eq!(q.created_from_ms, day_start_ms("2026-11-01"));
        // The `to` day is included: the range ends when the next day begins.
        assert_eq!(q.created_before_ms, day_start_ms("2026-12-01"));
        assert_eq!(q.customer.as_deref(), Some("090-1234-5678"));
        assert_eq!(q.sort, TicketSort::UpdatedAsc);
        assert_eq!(q.page, PageAt::After(Cursor { at_ms: 1_795_564_800_000, id: 42 }));
    }

    #[test]
    fn every_malformed_filter_is_named() {
        let problems = parse(&filter(|f| {
            f.status = "done".into();
            f.assignee = "someone".into();
            f.channel = "fax".into();
            f.direction = "sideways".into();
            f.from = "2026-02-30".into();
            f.to = "yesterday".into();
            f.sort = "random".into();
            f.after = "x".into();
        }))
        .unwrap_err();
        let fields: Vec<&str> = problems.iter().map(|p| p.field.as_str()).collect();
        assert_eq!(
            fields,
            [
                field::STATUS,
                field::ASSIGNEE,
                field::CHANNEL,
                field::DIRECTION,
                field::SORT,
                field::FROM,
                field::TO,
                field::PAGE
            ]
        );
    }

    #[test]
    fn a_range_that_ends_before_it_begins_is_refused() {
        let problems = parse(&filter(|f| {
            f.from = "2026-11-25".into();
            f.to = "2026-11-24".into();
        }))
        .unwrap_err();
        assert_eq!(problems, vec![FieldProblem::new(field::TO, Problem::DateOrder)]);
        // One day is a range.
        assert!(
            parse(&filter(|f| {
                f.from = "2026-11-25".into();
                f.to = "2026-11-25".into();
            }))
            .is_ok()
        );
    }

    #[test]
    fn a_page_is_after_or_before_a_cursor_never_both() {
        assert!(
            parse(&filter(|f| {
                f.after = "1_1".into();
                f.before = "2_2".into();
            }))
            .is_err()
        );
        let f = with_page(&filter(|f| f.after = "1_1".into()), "9_9", false);
        assert_eq!((f.after.as_str(), f.before.as_str()), ("", "9_9"));
    }

    proptest! {
        #[test]
        fn cursors_round_trip(at_ms in any::<i64>(), id in any::<i32>()) {
            let c = Cursor { at_ms, id };
            prop_assert_eq!(Cursor::decode(&c.encode()), Some(c));
        }

        /// Whatever the address says, the answer is a query or named problems.
        #[test]
        fn any_text_is_read_or_refused(status in ".{0,12}", assignee in ".{0,12}", from in ".{0,12}", after in ".{0,24}") {
            let f = TicketFilter { status, assignee, from, after, ..TicketFilter::default() };
            if let Err(problems) = parse(&f) {
                prop_assert!(!problems.is_empty());
            }
        }
    }
}
