//! What the phone window and the agent's tabs tell each other (a `BroadcastChannel`,
//! same origin): the window says how its audio is (the microphone's level, whether it
//! is muted), ten times a second; a tab asks it to mute or unmute. Plain words, not
//! JSON: a tab needs no parser for them.

/// The channel's name.
pub const NAME: &str = "ringdesk-phone";

/// What the window says.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Said {
    /// The microphone's level, 0 to 1.
    pub level: f64,
    pub muted: bool,
}

impl Said {
    /// The level travels in thousandths, a whole number: formatting and parsing floats
    /// would bring their code into the wasm that every page loads (the window and the
    /// widget both use this, so it lands in the main module).
    pub fn encode(self) -> String {
        let thousandths = (self.level.clamp(0.0, 1.0) * 1000.0) as u32;
        format!("state {thousandths} {}", u8::from(self.muted))
    }

    pub fn decode(s: &str) -> Option<Said> {
        let mut words = s.strip_prefix("state ")?.split(' ');
        let level = f64::from(words.next()?.parse::<u32>().ok()?.min(1000)) / 1000.0;
        let muted = words.next()? == "1";
        Some(Said { level, muted })
    }
}

/// What a tab asks.
pub fn mute_request(muted: bool) -> String {
    format!("mute {}", u8::from(muted))
}

pub fn decode_mute(s: &str) -> Option<bool> {
    match s {
        "mute 1" => Some(true),
        "mute 0" => Some(false),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_is_said_reads_back() {
        let said = Said { level: 0.25, muted: true };
        assert_eq!(Said::decode(&said.encode()), Some(said));
        assert_eq!(Said::decode("state 7000 0"), Some(Said { level: 1.0, muted: false }));
        assert_eq!(Said::decode("state 0.5 0"), None);
        assert_eq!(Said::decode("mute 1"), None);
        assert_eq!(decode_mute(&mute_request(false)), Some(false));
        assert_eq!(decode_mute("state 0 0"), None);
    }
}
