//! The phone behaviour a tenant admin sets under 全体管理 → CTI管理 → CTI設定 (F3), and
//! what makes a setting acceptable.

use serde::{Deserialize, Serialize};

use super::AgentStatus;

/// Hold music the customer hears (F15).
pub const HOLD_MUSIC: [&str; 3] = ["classic", "gentle", "none"];

pub const RING_TIMEOUT_SECS: std::ops::RangeInclusive<i32> = 5..=120;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CtiSettings {
    /// 呼出時間: how long an offer rings before it goes to the next agent (F9).
    pub ring_timeout_secs: i32,
    /// The status an agent gets at CTI login.
    pub login_status: AgentStatus,
    /// Where an agent goes who lets a call ring out: 待機 or 業務.
    pub missed_offer_status: AgentStatus,
    /// F11: 有効 makes an outbound call's ticket when dialling.
    pub outbound_ticket_on_dial: bool,
    /// The default message of 強制終了 (F14).
    pub force_end_message: String,
    pub hold_music: String,
}

/// The field a refusal is about, so that the form can show it beside that field.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum SettingsField {
    RingTimeout,
    LoginStatus,
    MissedOfferStatus,
    ForceEndMessage,
    HoldMusic,
}

impl CtiSettings {
    /// Every field that is not acceptable.
    pub fn problems(&self) -> Vec<SettingsField> {
        let mut bad = Vec::new();
        if !RING_TIMEOUT_SECS.contains(&self.ring_timeout_secs) {
            bad.push(SettingsField::RingTimeout);
        }
        if !self.login_status.is_chosen() {
            bad.push(SettingsField::LoginStatus);
        }
        if !matches!(self.missed_offer_status, AgentStatus::Ready | AgentStatus::Busy) {
            bad.push(SettingsField::MissedOfferStatus);
        }
        if self.force_end_message.trim().is_empty() || self.force_end_message.chars().count() > 500 {
            bad.push(SettingsField::ForceEndMessage);
        }
        if !HOLD_MUSIC.contains(&self.hold_music.as_str()) {
            bad.push(SettingsField::HoldMusic);
        }
        bad
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn good() -> CtiSettings {
        CtiSettings {
            ring_timeout_secs: 20,
            login_status: AgentStatus::Busy,
            missed_offer_status: AgentStatus::Ready,
            outbound_ticket_on_dial: false,
            force_end_message: "終了します".into(),
            hold_music: "classic".into(),
        }
    }

    #[test]
    fn sensible_settings_have_no_problems() {
        assert!(good().problems().is_empty());
    }

    #[test]
    fn each_bad_field_is_named() {
        let s = CtiSettings {
            ring_timeout_secs: -1,
            login_status: AgentStatus::Ringing,
            missed_offer_status: AgentStatus::Break,
            force_end_message: "  ".into(),
            hold_music: "disco".into(),
            ..good()
        };
        assert_eq!(
            s.problems(),
            [
                SettingsField::RingTimeout,
                SettingsField::LoginStatus,
                SettingsField::MissedOfferStatus,
                SettingsField::ForceEndMessage,
                SettingsField::HoldMusic
            ]
        );
        for secs in [0, 4, 121] {
            assert_eq!(CtiSettings { ring_timeout_secs: secs, ..good() }.problems(), [SettingsField::RingTimeout]);
        }
    }
}
