//! Who is on the other end of a request, and which numbers it names. Pure.

use std::net::{IpAddr, SocketAddr};

use app::domain::PhoneNumber;
use phonenumber::country::Id;

/// Whether `source` is one of the carrier's addresses: only the trunk may send calls in
/// (a port is not compared: carriers send from many).
pub fn from_trunk(source: IpAddr, trunk: &[SocketAddr]) -> bool {
    trunk.iter().any(|t| t.ip() == source)
}

/// The number in a SIP or tel URI's user part (`+81312345678`, `0312345678`,
/// `03-1234-5678;phone-context=…`), as E.164.
pub fn number(user: &str, region: Id) -> Option<PhoneNumber> {
    let user = user.split(';').next()?;
    // Visual separators are allowed in a telephone-subscriber (RFC 3966), and
    // percent-encoding may hide them.
    let decoded = user.replace("%2B", "+").replace("%2b", "+").replace("%20", "");
    crate::numbers::normalize(&decoded, region).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_trunks_addresses_may_call_in() {
        let trunk = vec!["127.0.0.1:5080".parse().unwrap(), "192.0.2.9:5060".parse().unwrap()];
        assert!(from_trunk("127.0.0.1".parse().unwrap(), &trunk));
        assert!(from_trunk("192.0.2.9".parse().unwrap(), &trunk));
        assert!(!from_trunk("192.0.2.10".parse().unwrap(), &trunk));
        assert!(!from_trunk("127.0.0.1".parse().unwrap(), &[]));
    }

    #[test]
    fn dialled_numbers_in_each_form_are_e164() {
        for user in ["+81312345678", "0312345678", "03-1234-5678", "%2B81312345678", "0312345678;phone-context=+81"] {
            assert_eq!(number(user, Id::JP).map(|n| n.to_string()).as_deref(), Some("+81312345678"), "{user}");
        }
        for user in ["", "alice", "123", "+999"] {
            assert!(number(user, Id::JP).is_none(), "{user}");
        }
    }
}
