//! Phone numbers as people type and read them: E.164 or a national format of the
//! default region (JP), validated against the numbering plan and kept in E.164; shown
//! again in the national format. Server-only: the numbering-plan library is too large
//! for the wasm, so the server sends the form to show beside the stored one.

use app::domain::{PhoneNumber, PhoneNumberError, ShownNumber};
use phonenumber::country::Id;

/// The region national numbers belong to when they carry no country code.
pub const DEFAULT_REGION: Id = Id::JP;

pub fn normalize(input: &str, region: Id) -> Result<PhoneNumber, PhoneNumberError> {
    let trimmed = input.trim();
    if trimmed.is_empty() {
        return Err(PhoneNumberError::Empty);
    }
    // The numbering-plan library reads letters as keypad digits (vanity numbers); in a
    // number field a letter is a typing mistake, so it is refused.
    if !trimmed.chars().all(|c| c.is_ascii_digit() || " +-().".contains(c)) {
        return Err(PhoneNumberError::Malformed);
    }
    let parsed = phonenumber::parse(Some(region), trimmed).map_err(|_| PhoneNumberError::Malformed)?;
    if !phonenumber::is_valid(&parsed) {
        return Err(PhoneNumberError::Malformed);
    }
    PhoneNumber::parse_e164(&parsed.format().mode(phonenumber::Mode::E164).to_string())
}

/// How the people of one country read numbers: their own country's in its national
/// format (`03-1234-5678`), others' in the international one (`+1 212-555-0100`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Reading {
    pub region: Id,
}

impl Default for Reading {
    fn default() -> Reading {
        Reading { region: DEFAULT_REGION }
    }
}

impl Reading {
    pub fn shown(&self, stored: &str) -> ShownNumber {
        let Ok(parsed) = phonenumber::parse(None, stored) else { return ShownNumber::as_stored(stored) };
        if !phonenumber::is_valid(&parsed) {
            return ShownNumber::as_stored(stored);
        }
        let mode = match parsed.country().id() == Some(self.region) {
            true => phonenumber::Mode::National,
            false => phonenumber::Mode::International,
        };
        ShownNumber { e164: stored.to_owned(), shown: parsed.format().mode(mode).to_string() }
    }

    /// A number kept as text that may be empty (a ticket made by hand has none).
    pub fn shown_opt(&self, stored: Option<&str>) -> Option<ShownNumber> {
        stored.filter(|s| !s.is_empty()).map(|s| self.shown(s))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_of_the_region_read_nationally_others_internationally() {
        let japan = Reading { region: Id::JP };
        let cases = [
            ("+81312345678", "03-1234-5678"),
            ("+819012345678", "090-1234-5678"),
            ("+81120123456", "0120-123-456"),
            ("+815052310000", "050-5231-0000"),
            ("+12125550100", "+1 212-555-0100"),
        ];
        for (stored, shown) in cases {
            let n = japan.shown(stored);
            assert_eq!((n.e164.as_str(), n.shown.as_str()), (stored, shown));
        }
        assert_eq!(Reading { region: Id::US }.shown("+12125550100").shown, "(212) 555-0100");
        assert_eq!(Reading { region: Id::US }.shown("+81312345678").shown, "+81 3-1234-5678");
    }

    #[test]
    fn what_is_no_number_is_shown_as_stored() {
        for stored in ["anonymous", "", "+999", "1001"] {
            assert_eq!(Reading::default().shown(stored).shown, stored);
        }
    }

    #[test]
    fn national_and_international_forms_give_one_e164_number() {
        for input in ["03-1234-5678", "0312345678", "+81 3 1234 5678", "+81312345678"] {
            assert_eq!(normalize(input, DEFAULT_REGION).unwrap().as_str(), "+81312345678", "{input}");
        }
        assert_eq!(normalize("090-1234-5678", DEFAULT_REGION).unwrap().as_str(), "+819012345678");
    }

    #[test]
    fn empty_lettered_and_impossible_numbers_are_refused() {
        assert_eq!(normalize(" ", DEFAULT_REGION), Err(PhoneNumberError::Empty));
        assert_eq!(normalize("03-abcd-5678", DEFAULT_REGION), Err(PhoneNumberError::Malformed));
        assert_eq!(normalize("03-1234-abcd", DEFAULT_REGION), Err(PhoneNumberError::Malformed));
        assert_eq!(normalize("123", DEFAULT_REGION), Err(PhoneNumberError::Malformed));
    }
}
