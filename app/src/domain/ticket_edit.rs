//! What an edit of a ticket, a note or a customer must be to be kept.

use crate::domain::validation::{Checks, FieldProblem, Problem, text};
use crate::model::{TicketEdit, TicketStatus, UserId};

pub mod field {
    pub const SUBJECT: &str = "subject";
    pub const BODY: &str = "body";
    pub const STATUS: &str = "status";
    pub const ASSIGNEE: &str = "assignee";
    pub const NOTE: &str = "note";
    pub const CUSTOMER_NAME: &str = "customer_name";
    pub const CUSTOMER_NOTES: &str = "customer_notes";
}

pub const SUBJECT_MAX: usize = 200;
pub const BODY_MAX: usize = 20_000;
pub const NOTE_MAX: usize = 5_000;
pub const CUSTOMER_NAME_MAX: usize = 100;
pub const CUSTOMER_NOTES_MAX: usize = 2_000;

/// A ticket edit, checked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CheckedEdit {
    pub subject: String,
    pub body: String,
    pub status: TicketStatus,
    pub assignee: Option<UserId>,
}

pub fn check_edit(e: &TicketEdit) -> Result<CheckedEdit, Vec<FieldProblem>> {
    let status = TicketStatus::parse(e.status.trim());
    let assignee = match e.assignee.trim() {
        "" => Some(None),
        id => id.parse::<UserId>().ok().map(Some),
    };
    let mut checks = Checks::default();
    checks
        .check(field::SUBJECT, text(&e.subject, SUBJECT_MAX))
        .check(field::BODY, too_long(&e.body, BODY_MAX))
        .check(field::STATUS, status.is_none().then_some(Problem::Choice))
        .check(field::ASSIGNEE, assignee.is_none().then_some(Problem::Choice));
    let problems = checks.into_vec();
    match (status, assignee) {
        (Some(status), Some(assignee)) if problems.is_empty() => {
            Ok(CheckedEdit { subject: e.subject.trim().to_owned(), body: e.body.clone(), status, assignee })
        }
        _ => Err(problems),
    }
}

/// An internal note: not blank, not endless.
pub fn check_note(body: &str) -> Result<String, Vec<FieldProblem>> {
    match text(body, NOTE_MAX) {
        Some(p) => Err(vec![FieldProblem::new(field::NOTE, p)]),
        None => Ok(body.trim().to_owned()),
    }
}

/// A customer's card: a name, and notes that may be empty.
pub fn check_customer(name: &str, notes: &str) -> Result<(String, String), Vec<FieldProblem>> {
    let mut checks = Checks::default();
    checks
        .check(field::CUSTOMER_NAME, text(name, CUSTOMER_NAME_MAX))
        .check(field::CUSTOMER_NOTES, too_long(notes, CUSTOMER_NOTES_MAX));
    let problems = checks.into_vec();
    if problems.is_empty() { Ok((name.trim().to_owned(), notes.to_owned())) } else { Err(problems) }
}

fn too_long(value: &str, max: usize) -> Option<Problem> {
    (value.chars().count() > max).then_some(Problem::TooLong)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn edit() -> TicketEdit {
        TicketEdit {
            id: 1,
            version: 1,
            subject: " 請求の件 ".into(),
            body: String::new(),
            status: "solved".into(),
            assignee: "3".into(),
        }
    }

    #[test]
    fn a_good_edit_is_trimmed_and_typed() {
        let c = check_edit(&edit()).unwrap();
        assert_eq!((c.subject.as_str(), c.status, c.assignee), ("請求の件", TicketStatus::Solved, Some(3)));
        assert_eq!(check_edit(&TicketEdit { assignee: String::new(), ..edit() }).unwrap().assignee, None);
    }

    #[test]
    fn every_bad_field_is_named() {
        let bad = TicketEdit {
            subject: "  ".into(),
            body: "x".repeat(BODY_MAX + 1),
            status: "done".into(),
            assignee: "me".into(),
            ..edit()
        };
        let fields: Vec<String> = check_edit(&bad).unwrap_err().into_iter().map(|p| p.field).collect();
        assert_eq!(fields, [field::SUBJECT, field::BODY, field::STATUS, field::ASSIGNEE]);
    }

    #[test]
    fn notes_and_customers_need_words() {
        assert_eq!(check_note(" \n").unwrap_err()[0].problem, Problem::Required);
        assert_eq!(check_note(" 折り返し希望 ").unwrap(), "折り返し希望");
        assert_eq!(check_customer("", "").unwrap_err()[0].field, field::CUSTOMER_NAME);
        assert!(check_customer("山田 太郎", "").is_ok());
    }
}
