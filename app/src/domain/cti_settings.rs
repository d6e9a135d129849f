//! The phone behaviour a tenant admin sets under 全体管理 → CTI管理 → CTI設定 (F3), and
//! what makes a setting acceptable.

use serde::{Deserialize, Serialize};

use super::AgentStatus;
use super::validation::{Checks, FieldProblem, Problem};

/// Hold music the customer hears (F15): two free recordings, silence, or the tenant's
/// own upload (`HOLD_MUSIC_OWN`, chosen only once there is one).
pub const HOLD_MUSIC: [&str; 4] = ["classic", "gentle", "none", HOLD_MUSIC_OWN];
pub const HOLD_MUSIC_OWN: &str = "own";

/// A tenant's own hold music: its length, in seconds, as the server accepts it (8 kHz
/// mono samples, decoded and resampled by the browser).
pub const HOLD_MUSIC_SECS: std::ops::RangeInclusive<usize> = 1..=300;
/// One of `HOLD_MUSIC`'s names, as the `&'static str` it is.
pub fn hold_music_named(name: &str) -> Option<&'static str> {
    HOLD_MUSIC.iter().copied().find(|m| *m == name)
}

/// What a held customer hears, as the telephone system is told it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(into = "HoldMusicWire")]
pub enum HoldMusic {
    /// One of the built-in choices (`classic`, `gentle`, `none`).
    Builtin(&'static str),
    /// The tenant's own upload, at the version (upload time) routing knows of.
    Own { tenant_id: i32, version: i64 },
}

impl HoldMusic {
    /// The choice's name, as CTI設定 and the call log have it.
    pub fn name(self) -> &'static str {
        match self {
            HoldMusic::Builtin(name) => name,
            HoldMusic::Own { .. } => HOLD_MUSIC_OWN,
        }
    }
}

/// `HoldMusic` as it travels (routing's commands go between instances): a name read
/// back is one of `HOLD_MUSIC`'s.
#[derive(Serialize, Deserialize)]
enum HoldMusicWire {
    Builtin(String),
    Own { tenant_id: i32, version: i64 },
}

impl From<HoldMusic> for HoldMusicWire {
    fn from(music: HoldMusic) -> Self {
        match music {
            HoldMusic::Builtin(name) => HoldMusicWire::Builtin(name.to_owned()),
            HoldMusic::Own { tenant_id, version } => HoldMusicWire::Own { tenant_id, version },
        }
    }
}

impl TryFrom<HoldMusicWire> for HoldMusic {
    type Error = String;

    fn try_from(wire: HoldMusicWire) -> Result<Self, String> {
        match wire {
            HoldMusicWire::Builtin(name) => {
                hold_music_named(&name).map(HoldMusic::Builtin).ok_or_else(|| format!("no hold music {name:?}"))
            }
            HoldMusicWire::Own { tenant_id, version } => Ok(HoldMusic::Own { tenant_id, version }),
        }
    }
}

// By hand: a derived impl would ask the input to outlive `'static` for the name.
impl<'de> Deserialize<'de> for HoldMusic {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        HoldMusicWire::deserialize(d)?.try_into().map_err(serde::de::Error::custom)
    }
}

/// The samples per second of every recording a call plays.
pub const HOLD_MUSIC_RATE: usize = 8000;

pub const RING_TIMEOUT_SECS: std::ops::RangeInclusive<i32> = 5..=120;
/// 離席とみなすまで: seconds without an open phone widget (or phone) before an agent is
/// no longer offered calls.
pub const AWAY_AFTER_SECS: std::ops::RangeInclusive<i32> = 10..=600;
/// CTI自動ログアウト: minutes away before an agent is logged out of CTI.
pub const LOGOUT_AFTER_MINS: std::ops::RangeInclusive<i32> = 1..=480;
/// サービスレベルの基準: a call answered within this many seconds of reaching the queue
/// counts as answered within the service level (the board and the reports).
pub const SERVICE_LEVEL_SECS: std::ops::RangeInclusive<i32> = 1..=600;
pub const SERVICE_LEVEL_DEFAULT_SECS: i32 = 20;
/// 後処理の上限: seconds of 業務(チケット処理) after which an agent is 待機 again; 0 is
/// no limit (the agent leaves it by hand).
pub const WRAPUP_LIMIT_SECS: std::ops::RangeInclusive<i32> = 0..=3600;
/// 連続不応答で休憩: offers missed in a row after which an agent goes to 休憩 (reason
/// 不在); 0 is never.
pub const AUTO_PAUSE_AFTER: std::ops::RangeInclusive<i32> = 0..=10;

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
    /// An agent whose every phone widget is closed (and whose phone is not registered)
    /// is not offered calls after this many seconds (`AWAY_AFTER_SECS`).
    pub away_after_secs: i32,
    /// ...and is logged out of CTI after this many seconds (set in minutes,
    /// `LOGOUT_AFTER_MINS`).
    pub logout_after_secs: i32,
    /// 待ち呼: answer waiting callers at once and play them the hold music (`true`), or
    /// let them hear ringing until an agent answers. Carriers give up on a call left
    /// ringing for a minute or three; an answered one waits as long as the caller does.
    pub answer_waiting: bool,
    /// サービスレベルの基準 (`SERVICE_LEVEL_SECS`).
    pub service_level_secs: i32,
    /// 後処理の上限 (`WRAPUP_LIMIT_SECS`, 0: none).
    pub wrapup_limit_secs: i32,
    /// 連続不応答で休憩 (`AUTO_PAUSE_AFTER`, 0: never).
    pub auto_pause_after: i32,
}

/// The names of the settings' form fields, as refusals name them.
pub mod field {
    pub const RING_TIMEOUT: &str = "ring_timeout_secs";
    pub const LOGIN_STATUS: &str = "login_status";
    pub const MISSED_OFFER_STATUS: &str = "missed_offer_status";
    pub const FORCE_END_MESSAGE: &str = "force_end_message";
    pub const HOLD_MUSIC: &str = "hold_music";
    pub const AWAY_AFTER: &str = "away_after_secs";
    pub const LOGOUT_AFTER: &str = "logout_after_mins";
    pub const SERVICE_LEVEL: &str = "service_level_secs";
    pub const WRAPUP_LIMIT: &str = "wrapup_limit_secs";
    pub const AUTO_PAUSE_AFTER: &str = "auto_pause_after";
}

impl CtiSettings {
    /// Every field that is not acceptable.
    pub fn problems(&self) -> Vec<FieldProblem> {
        let mut c = Checks::default();
        c.check(
            field::RING_TIMEOUT,
            (!RING_TIMEOUT_SECS.contains(&self.ring_timeout_secs)).then_some(Problem::RingTimeout),
        )
        .check(field::LOGIN_STATUS, (!self.login_status.is_chosen()).then_some(Problem::Choice))
        .check(
            field::MISSED_OFFER_STATUS,
            (!matches!(self.missed_offer_status, AgentStatus::Ready | AgentStatus::Busy)).then_some(Problem::Choice),
        )
        .check(
            field::FORCE_END_MESSAGE,
            (self.force_end_message.trim().is_empty() || self.force_end_message.chars().count() > 500)
                .then_some(Problem::ForceEndMessage),
        )
        .check(field::HOLD_MUSIC, (!HOLD_MUSIC.contains(&self.hold_music.as_str())).then_some(Problem::Choice))
        .check(field::AWAY_AFTER, (!AWAY_AFTER_SECS.contains(&self.away_after_secs)).then_some(Problem::AwayAfter))
        .check(
            field::LOGOUT_AFTER,
            (self.logout_after_secs % 60 != 0 || !LOGOUT_AFTER_MINS.contains(&(self.logout_after_secs / 60)))
                .then_some(Problem::LogoutAfter),
        )
        .check(
            field::SERVICE_LEVEL,
            (!SERVICE_LEVEL_SECS.contains(&self.service_level_secs)).then_some(Problem::ServiceLevel),
        )
        .check(
            field::WRAPUP_LIMIT,
            (!WRAPUP_LIMIT_SECS.contains(&self.wrapup_limit_secs)).then_some(Problem::WrapupLimit),
        )
        .check(
            field::AUTO_PAUSE_AFTER,
            (!AUTO_PAUSE_AFTER.contains(&self.auto_pause_after)).then_some(Problem::AutoPauseAfter),
        );
        c.into_vec()
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
            away_after_secs: 30,
            logout_after_secs: 600,
            answer_waiting: false,
            service_level_secs: 20,
            wrapup_limit_secs: 0,
            auto_pause_after: 0,
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
        let fields: Vec<String> = s.problems().into_iter().map(|p| p.field).collect();
        assert_eq!(
            fields,
            [
                field::RING_TIMEOUT,
                field::LOGIN_STATUS,
                field::MISSED_OFFER_STATUS,
                field::FORCE_END_MESSAGE,
                field::HOLD_MUSIC
            ]
        );
        assert_eq!(
            CtiSettings { away_after_secs: 5, logout_after_secs: 0, ..good() }.problems(),
            [
                FieldProblem::new(field::AWAY_AFTER, Problem::AwayAfter),
                FieldProblem::new(field::LOGOUT_AFTER, Problem::LogoutAfter)
            ]
        );
        assert!(
            CtiSettings { logout_after_secs: 90, ..good() }
                .problems()
                .iter()
                .any(|p| p.problem == Problem::LogoutAfter)
        );
        for secs in [0, 601] {
            assert_eq!(
                CtiSettings { service_level_secs: secs, ..good() }.problems(),
                [FieldProblem::new(field::SERVICE_LEVEL, Problem::ServiceLevel)]
            );
        }
        for (secs, ok) in [(-1, false), (0, true), (3600, true), (3601, false)] {
            let problems = CtiSettings { wrapup_limit_secs: secs, ..good() }.problems();
            assert_eq!(problems.is_empty(), ok, "{secs}: {problems:?}");
        }
        for (n, ok) in [(-1, false), (0, true), (10, true), (11, false)] {
            assert_eq!(
                CtiSettings { auto_pause_after: n, ..good() }.problems(),
                if ok { vec![] } else { vec![FieldProblem::new(field::AUTO_PAUSE_AFTER, Problem::AutoPauseAfter)] }
            );
        }
        for secs in [0, 4, 121] {
            assert_eq!(
                CtiSettings { ring_timeout_secs: secs, ..good() }.problems(),
                [FieldProblem::new(field::RING_TIMEOUT, Problem::RingTimeout)]
            );
        }
    }
}
