//! SIP digest authentication (RFC 2617 / 3261 §22), the registrar's side. Pure: no
//! clock, no I/O. A phone's password is never kept: the store keeps HA1, the MD5 of
//! `user:realm:password`, which is all the check needs (and all a phone's digest
//! reveals). Nonces are stateless: the time they were made and a keyed hash of it, so
//! any instance can check one, and a stale nonce is told apart from a forged one.

use md5::{Digest, Md5};
use sha2::Sha256;

/// The realm ringdesk's phones authenticate in: part of every HA1, so it never changes.
pub const REALM: &str = "ringdesk";

/// How long a nonce may be used: a phone re-registers well within it.
pub const NONCE_LIFETIME_MS: i64 = 5 * 60 * 1000;

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn md5_hex(s: &str) -> String {
    hex(&Md5::digest(s.as_bytes()))
}

/// HA1 for `user` with `password`, as the store keeps it.
pub fn ha1(user: &str, password: &str) -> String {
    md5_hex(&format!("{user}:{REALM}:{password}"))
}

/// What a phone sent in its Authorization header.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Answer<'a> {
    pub username: &'a str,
    pub realm: &'a str,
    pub nonce: &'a str,
    pub uri: &'a str,
    pub response: &'a str,
    /// `qop=auth` with its client nonce and count, if the phone used it.
    pub qop: Option<(&'a str, u32)>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verdict {
    Valid,
    /// A nonce of ours that has expired: challenge again with `stale=true`.
    Stale,
    Invalid,
}

/// Makes and checks nonces with a secret of this process's.
#[derive(Clone)]
pub struct Nonces {
    secret: [u8; 32],
}

impl Nonces {
    pub fn new(secret: [u8; 32]) -> Nonces {
        Nonces { secret }
    }

    fn mac(&self, at_ms: i64) -> String {
        let mut h = Sha256::new();
        h.update(self.secret);
        h.update(at_ms.to_be_bytes());
        hex(&h.finalize()[..12])
    }

    pub fn make(&self, now_ms: i64) -> String {
        format!("{now_ms:x}.{}", self.mac(now_ms))
    }

    fn check(&self, nonce: &str, now_ms: i64) -> Verdict {
        let Some((at, mac)) = nonce.split_once('.') else { return Verdict::Invalid };
        let Ok(at_ms) = i64::from_str_radix(at, 16) else { return Verdict::Invalid };
        if self.mac(at_ms) != mac || at_ms > now_ms {
            return Verdict::Invalid;
        }
        if now_ms - at_ms > NONCE_LIFETIME_MS { Verdict::Stale } else { Verdict::Valid }
    }

    /// Whether `answer`, for a request with `method`, proves knowledge of the password
    /// behind `ha1`.
    pub fn verify(&self, answer: &Answer<'_>, method: &str, ha1: &str, now_ms: i64) -> Verdict {
        if answer.realm != REALM {
            return Verdict::Invalid;
        }
        let expected = {
            let ha2 = md5_hex(&format!("{method}:{}", answer.uri));
            match answer.qop {
                Some((cnonce, nc)) => md5_hex(&format!("{ha1}:{}:{nc:08x}:{cnonce}:auth:{ha2}", answer.nonce)),
                None => md5_hex(&format!("{ha1}:{}:{ha2}", answer.nonce)),
            }
        };
        // Compared whole: both are hex of one length, and a wrong answer reveals nothing
        // it did not already know.
        if !expected.eq_ignore_ascii_case(answer.response) {
            return Verdict::Invalid;
        }
        self.check(answer.nonce, now_ms)
    }

    /// The WWW-Authenticate header's value for a new challenge.
    pub fn challenge(&self, now_ms: i64, stale: bool) -> String {
        let stale = if stale { ", stale=true" } else { "" };
        format!("Digest realm=\"{REALM}\", nonce=\"{}\", algorithm=MD5, qop=\"auth\"{stale}", self.make(now_ms))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The client's side, as a phone computes it.
    fn respond(user: &str, password: &str, method: &str, uri: &str, nonce: &str, qop: Option<(&str, u32)>) -> String {
        let ha1 = ha1(user, password);
        let ha2 = md5_hex(&format!("{method}:{uri}"));
        match qop {
            Some((cnonce, nc)) => md5_hex(&format!("{ha1}:{nonce}:{nc:08x}:{cnonce}:auth:{ha2}")),
            None => md5_hex(&format!("{ha1}:{nonce}:{ha2}")),
        }
    }

    #[test]
    fn rfc_2617_example_response() {
        // RFC 2617 §3.5, with its realm in place of ours: the arithmetic is the same.
        let ha1 = md5_hex("Mufasa:testrealm@host.com:Circle Of Life");
        let ha2 = md5_hex("GET:/dir/index.html");
        let r = md5_hex(&format!("{ha1}:dcd98b7102dd2f0e8b11d0f600bfb0c093:00000001:0a4f113b:auth:{ha2}"));
        assert_eq!(r, "6629fae49393a05397450978507c4ef1");
    }

    #[test]
    fn a_right_password_is_valid_and_a_wrong_one_is_not() {
        let nonces = Nonces::new([7; 32]);
        let nonce = nonces.make(1_000);
        for qop in [None, Some(("abc", 1))] {
            let good = respond("1001", "secret", "REGISTER", "sip:127.0.0.1", &nonce, qop);
            let answer =
                Answer { username: "1001", realm: REALM, nonce: &nonce, uri: "sip:127.0.0.1", response: &good, qop };
            assert_eq!(nonces.verify(&answer, "REGISTER", &ha1("1001", "secret"), 2_000), Verdict::Valid);
            assert_eq!(nonces.verify(&answer, "REGISTER", &ha1("1001", "other"), 2_000), Verdict::Invalid);
            assert_eq!(nonces.verify(&answer, "INVITE", &ha1("1001", "secret"), 2_000), Verdict::Invalid);
        }
    }

    #[test]
    fn old_nonces_are_stale_and_forged_ones_invalid() {
        let nonces = Nonces::new([7; 32]);
        let nonce = nonces.make(1_000);
        let good = respond("1001", "pw", "REGISTER", "sip:x", &nonce, None);
        let answer = Answer { username: "1001", realm: REALM, nonce: &nonce, uri: "sip:x", response: &good, qop: None };
        let h = ha1("1001", "pw");
        assert_eq!(nonces.verify(&answer, "REGISTER", &h, 1_000 + NONCE_LIFETIME_MS + 1), Verdict::Stale);
        let other = Nonces::new([8; 32]);
        assert_eq!(other.verify(&answer, "REGISTER", &h, 2_000), Verdict::Invalid);
        let forged = format!("{:x}.000000000000000000000000", 1_000);
        let bad = respond("1001", "pw", "REGISTER", "sip:x", &forged, None);
        let answer = Answer { nonce: &forged, response: &bad, ..answer };
        assert_eq!(nonces.verify(&answer, "REGISTER", &h, 2_000), Verdict::Invalid);
    }

    #[test]
    fn the_challenge_names_our_realm() {
        let c = Nonces::new([0; 32]).challenge(5, true);
        assert!(c.starts_with("Digest realm=\"ringdesk\", nonce=\"5."), "{c}");
        assert!(c.ends_with("stale=true"));
    }
}
