//! Phone numbers as people type them: E.164 or a national format of the default region
//! (JP), validated against the numbering plan and kept in E.164. Server-only: the
//! numbering-plan library is too large for the wasm.

use app::domain::{PhoneNumber, PhoneNumberError};
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

#[cfg(test)]
mod tests {
    use super::*;

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
