//! What makes an administrator's input acceptable: each rule names the field it is
//! about, so that a form shows the refusal beside that field and nothing is saved.

use serde::{Deserialize, Serialize};

/// Why a field's value is refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Problem {
    Required,
    TooLong,
    /// Usernames: 3–32 of a–z, 0–9, `.`, `_`, `-`.
    Username,
    /// Passwords: at least 8 characters.
    PasswordTooShort,
    /// パスワード変更: the current password given is not the user's.
    WrongPassword,
    /// パスワード変更: the new password and its confirmation differ.
    PasswordMismatch,
    /// CTI IDs: 1–32 of A–Z, a–z, 0–9, `.`, `_`, `-`.
    CtiId,
    /// CTI numbers (extensions): 2–10 digits.
    CtiNumber,
    /// Already used where it must be unique.
    Taken,
    PhoneNumber,
    RingTimeout,
    /// 離席とみなすまで: 10–600 seconds.
    AwayAfter,
    /// CTI自動ログアウト: 1–480 minutes.
    LogoutAfter,
    /// サービスレベルの基準: 1–600 seconds.
    ServiceLevel,
    /// 後処理の上限: 0–3600 seconds.
    WrapupLimit,
    /// 連続不応答で休憩: 0–10 offers.
    AutoPauseAfter,
    /// レポート: 短い放棄を除く, 0–120 seconds.
    ShortAbandon,
    /// レポート: more intervals than a report shows (`report::MAX_INTERVALS`).
    ReportTooLong,
    /// Not one of the offered choices.
    Choice,
    ForceEndMessage,
    /// Not a date (`YYYY-MM-DD`).
    Date,
    /// A range that ends before it begins.
    DateOrder,
    /// 保留音: the tenant's own hold music is chosen, and none is uploaded.
    NoHoldMusicFile,
    /// An uploaded recording that is shorter than a second or longer than five minutes,
    /// or that the browser could not read as audio.
    HoldMusicLength,
}

/// One refused field: `field` is the form control's `name`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldProblem {
    pub field: String,
    pub problem: Problem,
}

impl FieldProblem {
    pub fn new(field: &str, problem: Problem) -> FieldProblem {
        FieldProblem { field: field.to_owned(), problem }
    }
}

/// Collects the problems of a form, field by field.
#[derive(Default)]
pub struct Checks(Vec<FieldProblem>);

impl Checks {
    pub fn check(&mut self, field: &str, problem: Option<Problem>) -> &mut Self {
        if let Some(p) = problem {
            self.0.push(FieldProblem::new(field, p));
        }
        self
    }

    pub fn into_vec(self) -> Vec<FieldProblem> {
        self.0
    }
}

fn chars_within(value: &str, min: usize, max: usize, allowed: impl Fn(char) -> bool) -> bool {
    let n = value.chars().count();
    (min..=max).contains(&n) && value.chars().all(allowed)
}

/// A name people read (display names, labels): not blank, at most `max` characters.
pub fn text(value: &str, max: usize) -> Option<Problem> {
    if value.trim().is_empty() {
        Some(Problem::Required)
    } else if value.chars().count() > max {
        Some(Problem::TooLong)
    } else {
        None
    }
}

pub fn username(value: &str) -> Option<Problem> {
    if value.is_empty() {
        return Some(Problem::Required);
    }
    let ok = chars_within(value, 3, 32, |c| c.is_ascii_lowercase() || c.is_ascii_digit() || "._-".contains(c));
    (!ok).then_some(Problem::Username)
}

pub fn password(value: &str) -> Option<Problem> {
    if value.is_empty() {
        Some(Problem::Required)
    } else if value.chars().count() < 8 {
        Some(Problem::PasswordTooShort)
    } else if value.len() > 128 {
        Some(Problem::TooLong)
    } else {
        None
    }
}

pub fn cti_id(value: &str) -> Option<Problem> {
    if value.trim().is_empty() {
        return Some(Problem::Required);
    }
    let ok = chars_within(value, 1, 32, |c| c.is_ascii_alphanumeric() || "._-".contains(c));
    (!ok).then_some(Problem::CtiId)
}

pub fn cti_number(value: &str) -> Option<Problem> {
    if value.trim().is_empty() {
        return Some(Problem::Required);
    }
    (!chars_within(value, 2, 10, |c| c.is_ascii_digit())).then_some(Problem::CtiNumber)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn names_people_read_must_not_be_blank_or_long() {
        assert_eq!(text("  ", 10), Some(Problem::Required));
        assert_eq!(text("佐藤 花子", 10), None);
        assert_eq!(text(&"あ".repeat(11), 10), Some(Problem::TooLong));
    }

    #[test]
    fn usernames_are_short_lowercase_words() {
        assert_eq!(username("op4"), None);
        assert_eq!(username("a.b_c-9"), None);
        assert_eq!(username(""), Some(Problem::Required));
        for bad in ["ab", "Op4", "op 4", "佐藤", &"a".repeat(33)] {
            assert_eq!(username(bad), Some(Problem::Username), "{bad}");
        }
    }

    #[test]
    fn passwords_have_at_least_eight_characters() {
        assert_eq!(password("demo1234"), None);
        assert_eq!(password("short"), Some(Problem::PasswordTooShort));
        assert_eq!(password(""), Some(Problem::Required));
    }

    #[test]
    fn cti_identities_are_ids_and_digit_extensions() {
        assert_eq!(cti_id("op1"), None);
        assert_eq!(cti_id(""), Some(Problem::Required));
        assert_eq!(cti_id("op 1"), Some(Problem::CtiId));
        assert_eq!(cti_number("2001"), None);
        assert_eq!(cti_number("1"), Some(Problem::CtiNumber));
        assert_eq!(cti_number("20a1"), Some(Problem::CtiNumber));
        assert_eq!(cti_number(" "), Some(Problem::Required));
    }

    #[test]
    fn checks_keep_the_order_of_the_form() {
        let mut c = Checks::default();
        c.check("username", username("X")).check("display_name", text("ok", 64)).check("password", password("1"));
        assert_eq!(
            c.into_vec(),
            [
                FieldProblem::new("username", Problem::Username),
                FieldProblem::new("password", Problem::PasswordTooShort)
            ]
        );
    }

    proptest! {
        // Whatever is typed, an accepted CTI number is digits only and an accepted
        // username has no character outside its alphabet.
        #[test]
        fn accepted_values_stay_within_their_alphabets(s in "\\PC{0,40}") {
            if cti_number(&s).is_none() {
                prop_assert!(s.chars().all(|c| c.is_ascii_digit()));
            }
            if username(&s).is_none() {
                prop_assert!(s.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "._-".contains(c)));
            }
        }
    }
}
