use crate::domain::AgentStatus;
use crate::i18n::{Key, t};

/// The name of a status as the product shows it (SPEC.md).
pub fn status_label(s: AgentStatus) -> &'static str {
    t(status_key(s))
}

/// The catalogue key of a status's name, for text in a locale other than the page's.
pub fn status_key(s: AgentStatus) -> Key {
    match s {
        AgentStatus::LoggedOut => Key::StatusLoggedOut,
        AgentStatus::Busy => Key::StatusBusy,
        AgentStatus::Ready => Key::StatusReady,
        AgentStatus::Break => Key::StatusBreak,
        AgentStatus::Ringing => Key::StatusRinging,
        AgentStatus::Dialing => Key::StatusDialing,
        AgentStatus::InCall => Key::StatusInCall,
        AgentStatus::Consulting => Key::StatusConsulting,
        AgentStatus::OnHold => Key::StatusOnHold,
        AgentStatus::Wrapup => Key::StatusWrapup,
    }
}

/// A 休憩's reason as shown: the tenant's own words, or routing's 不在 in the reader's
/// language.
pub fn break_reason_label(reason: &str) -> &str {
    if reason == crate::domain::AUTO_PAUSE_REASON { t(Key::AutoPauseReason) } else { reason }
}

/// A short line saying what the status means for incoming calls.
pub fn status_meaning(s: AgentStatus) -> &'static str {
    t(match s {
        AgentStatus::LoggedOut => Key::StatusMeaningLoggedOut,
        AgentStatus::Busy => Key::StatusMeaningBusy,
        AgentStatus::Ready => Key::StatusMeaningReady,
        AgentStatus::Break => Key::StatusMeaningBreak,
        AgentStatus::Ringing => Key::StatusMeaningRinging,
        AgentStatus::Dialing => Key::StatusMeaningDialing,
        AgentStatus::InCall => Key::StatusMeaningInCall,
        AgentStatus::Consulting => Key::StatusMeaningConsulting,
        AgentStatus::OnHold => Key::StatusMeaningOnHold,
        AgentStatus::Wrapup => Key::StatusMeaningWrapup,
    })
}
