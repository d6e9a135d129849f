//! A phone number in E.164 form: `+`, a country code, at most 15 digits in all.
//!
//! This is the structural check that both the browser and the server can run. National
//! formats ("03-1234-5678") are turned into E.164 on the server, where the full
//! numbering-plan library lives (it is too large for the wasm).

use serde::{Deserialize, Serialize};
use std::fmt;

#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct PhoneNumber(String);

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum PhoneNumberError {
    #[error("the number is empty")]
    Empty,
    #[error("the number is not in E.164 form")]
    Malformed,
}

impl PhoneNumber {
    /// Accepts `+` and 8 to 15 digits, the first not 0; spaces, dashes and brackets
    /// that people type are ignored.
    pub fn parse_e164(input: &str) -> Result<PhoneNumber, PhoneNumberError> {
        let trimmed = input.trim();
        if trimmed.is_empty() {
            return Err(PhoneNumberError::Empty);
        }
        let Some(rest) = trimmed.strip_prefix('+') else {
            return Err(PhoneNumberError::Malformed);
        };
        let mut digits = String::with_capacity(16);
        for c in rest.chars() {
            match c {
                '0'..='9' => digits.push(c),
                ' ' | '-' | '(' | ')' => {}
                _ => return Err(PhoneNumberError::Malformed),
            }
        }
        if !(8..=15).contains(&digits.len()) || digits.starts_with('0') {
            return Err(PhoneNumberError::Malformed);
        }
        Ok(PhoneNumber(format!("+{digits}")))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for PhoneNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A stored number beside the form people read it in: `+81312345678` is what links,
/// searches and dialling use, `03-1234-5678` what a Japanese agent reads (a number
/// abroad reads `+1 212-555-0100`). Only the server holds the numbering plan that
/// draws the second, so it sends both.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct ShownNumber {
    /// As stored: E.164, or as a carrier sent it when it was no valid number.
    pub e164: String,
    /// As people of the tenant's country write it.
    pub shown: String,
}

impl ShownNumber {
    /// A number no numbering plan could read: shown as it is.
    pub fn as_stored(number: impl Into<String>) -> ShownNumber {
        let e164 = number.into();
        ShownNumber { shown: e164.clone(), e164 }
    }
}

impl fmt::Display for ShownNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.shown)
    }
}

impl TryFrom<String> for PhoneNumber {
    type Error = PhoneNumberError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        PhoneNumber::parse_e164(&value)
    }
}

impl From<PhoneNumber> for String {
    fn from(value: PhoneNumber) -> Self {
        value.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn accepts_a_tokyo_number_with_separators() {
        assert_eq!(PhoneNumber::parse_e164("+81 3-1234-5678").unwrap().as_str(), "+81312345678");
    }

    #[test]
    fn refuses_empty_national_and_lettered_input() {
        assert_eq!(PhoneNumber::parse_e164("  "), Err(PhoneNumberError::Empty));
        assert_eq!(PhoneNumber::parse_e164("0312345678"), Err(PhoneNumberError::Malformed));
        assert_eq!(PhoneNumber::parse_e164("+81abc"), Err(PhoneNumberError::Malformed));
        assert_eq!(PhoneNumber::parse_e164("+0312345678"), Err(PhoneNumberError::Malformed));
        assert_eq!(PhoneNumber::parse_e164("+1234567"), Err(PhoneNumberError::Malformed));
    }

    proptest! {
        #[test]
        fn parsed_numbers_are_canonical_and_reparse_to_themselves(s in "\\PC{0,24}") {
            if let Ok(n) = PhoneNumber::parse_e164(&s) {
                prop_assert!(n.as_str().starts_with('+'));
                prop_assert!(n.as_str()[1..].chars().all(|c| c.is_ascii_digit()));
                prop_assert_eq!(PhoneNumber::parse_e164(n.as_str()), Ok(n.clone()));
            }
        }
    }
}
