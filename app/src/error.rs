//! The one error type of the app's contract with the server. The browser shows each
//! variant as a translated message; the server logs the detail.

use leptos::server_fn::codec::PostcardEncoding;
use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
use serde::{Deserialize, Serialize};

use crate::domain::{FieldProblem, PhoneNumberError, Problem, RuleError};
use crate::i18n::{Key, Locale, text};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, thiserror::Error)]
pub enum AppError {
    #[error("not signed in")]
    Unauthorized,
    #[error("wrong username or password")]
    BadCredentials,
    /// Sign-ins failed too often, for this account or from this address: wait.
    #[error("too many failed sign-ins; retry in {retry_after_secs} s")]
    TooManyAttempts { retry_after_secs: u32 },
    #[error("forbidden")]
    Forbidden,
    #[error("not found")]
    NotFound,
    #[error(transparent)]
    NotAllowedNow(#[from] RuleError),
    #[error("the offered call is no longer available")]
    OfferGone,
    #[error("the call has ended")]
    CallGone,
    #[error("the transfer target is not ready")]
    TargetNotReady,
    #[error("the user has no phone permission")]
    NoPhonePermission,
    #[error("the user has no CTI ID or CTI number")]
    NoCtiIdentity,
    #[error("invalid phone number: {0}")]
    InvalidNumber(#[from] PhoneNumberError),
    #[error("the contract has no outbound calls")]
    OutboundDisabled,
    #[error("the caller number is not registered for the service")]
    CallerNumberNotRegistered,
    /// An edit made on a version of a ticket that has since changed.
    #[error("the ticket changed since it was read")]
    Stale,
    #[error("the customer changed since it was read")]
    CustomerStale,
    /// Input refused field by field; each form shows its problems beside the fields.
    #[error("invalid input: {0:?}")]
    Invalid(Vec<FieldProblem>),
    /// The browser's audio connection could not be made (an offer the server cannot
    /// take: no audio, no codec in common).
    #[error("the audio connection could not be made")]
    AudioRefused,
    /// An offer made on a connection the server no longer knows (it restarted, or
    /// another window took over): the browser starts a new connection.
    #[error("the audio connection is no longer known")]
    AudioConnectionGone,
    /// Where the agent talks is not changed during a call.
    #[error("the endpoint cannot change during a call")]
    EndpointDuringCall,
    /// The agent's phone was opened in another window since, which took the audio over.
    #[error("the phone is open in another window")]
    AudioElsewhere,
    #[error("internal error")]
    Internal,
    #[error("transport: {0}")]
    Transport(ServerFnErrorErr),
}

impl FromServerFnError for AppError {
    type Encoder = PostcardEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        AppError::Transport(value)
    }
}

impl AppError {
    /// A refusal of one field.
    pub fn invalid(field: &str, problem: Problem) -> AppError {
        AppError::Invalid(vec![FieldProblem::new(field, problem)])
    }

    /// The problems of the named fields, for a form to show beside them.
    pub fn field_problems(&self) -> &[FieldProblem] {
        match self {
            AppError::Invalid(p) => p,
            _ => &[],
        }
    }

    /// What the user reads.
    pub fn message(&self, locale: Locale) -> &'static str {
        let key = match self {
            AppError::Unauthorized => Key::ErrUnauthorized,
            AppError::BadCredentials => Key::ErrBadCredentials,
            AppError::TooManyAttempts { .. } => Key::ErrTooManyAttempts,
            AppError::Forbidden => Key::ErrForbidden,
            AppError::NotFound => Key::ErrNotFound,
            AppError::NotAllowedNow(_) => Key::ErrNotAllowedNow,
            AppError::OfferGone => Key::ErrOfferGone,
            AppError::CallGone => Key::ErrCallGone,
            AppError::TargetNotReady => Key::ErrTargetNotReady,
            AppError::NoPhonePermission => Key::ErrNoPhonePermission,
            AppError::NoCtiIdentity => Key::ErrNoCtiIdentity,
            AppError::InvalidNumber(_) => Key::ErrInvalidNumber,
            AppError::OutboundDisabled => Key::ErrOutboundDisabled,
            AppError::CallerNumberNotRegistered => Key::ErrCallerNumberNotRegistered,
            AppError::Stale => Key::ErrStale,
            AppError::CustomerStale => Key::ErrCustomerStale,
            AppError::Invalid(_) => Key::ErrInvalidInput,
            AppError::AudioRefused => Key::ErrAudioRefused,
            AppError::AudioConnectionGone => Key::ErrAudioConnectionGone,
            AppError::AudioElsewhere => Key::PhoneElsewhere,
            AppError::EndpointDuringCall => Key::ErrEndpointDuringCall,
            AppError::Internal => Key::ErrInternal,
            AppError::Transport(_) => Key::ErrNetwork,
        };
        text(locale, key)
    }

    /// The HTTP status a refused request answers with.
    pub fn http_status(&self) -> u16 {
        match self {
            AppError::Unauthorized | AppError::BadCredentials => 401,
            AppError::Forbidden | AppError::NoPhonePermission | AppError::OutboundDisabled => 403,
            AppError::NotFound => 404,
            AppError::NotAllowedNow(_)
            | AppError::OfferGone
            | AppError::CallGone
            | AppError::TargetNotReady
            | AppError::NoCtiIdentity
            | AppError::Stale
            | AppError::CustomerStale
            | AppError::AudioConnectionGone
            | AppError::AudioElsewhere
            | AppError::EndpointDuringCall => 409,
            AppError::InvalidNumber(_)
            | AppError::CallerNumberNotRegistered
            | AppError::Invalid(_)
            | AppError::AudioRefused => 422,
            AppError::TooManyAttempts { .. } => 429,
            // A request the server could not read (a missing or ill-typed argument, a
            // body cut short) is the caller's mistake, not the server's.
            AppError::Transport(
                ServerFnErrorErr::Args(_)
                | ServerFnErrorErr::MissingArg(_)
                | ServerFnErrorErr::Deserialization(_)
                | ServerFnErrorErr::Request(_),
            ) => 400,
            AppError::Transport(ServerFnErrorErr::UnsupportedRequestMethod(_)) => 405,
            AppError::Transport(ServerFnErrorErr::Registration(_)) => 404,
            AppError::Internal | AppError::Transport(_) => 500,
        }
    }
}

impl Problem {
    /// What the user reads beside the field.
    pub fn message(self, locale: Locale) -> &'static str {
        let key = match self {
            Problem::Required => Key::ProblemRequired,
            Problem::TooLong => Key::ProblemTooLong,
            Problem::Username => Key::ProblemUsername,
            Problem::PasswordTooShort => Key::ProblemPasswordTooShort,
            Problem::WrongPassword => Key::ProblemWrongPassword,
            Problem::PasswordMismatch => Key::ProblemPasswordMismatch,
            Problem::CtiId => Key::ProblemCtiId,
            Problem::CtiNumber => Key::ProblemCtiNumber,
            Problem::Taken => Key::ProblemTaken,
            Problem::PhoneNumber => Key::ErrInvalidNumber,
            Problem::RingTimeout => Key::ErrRingTimeout,
            Problem::AwayAfter => Key::ErrAwayAfter,
            Problem::ServiceLevel => Key::ErrServiceLevel,
            Problem::WrapupLimit => Key::ErrWrapupLimit,
            Problem::AutoPauseAfter => Key::ErrAutoPauseAfter,
            Problem::ShortAbandon => Key::ErrShortAbandon,
            Problem::ReportTooLong => Key::ErrReportTooLong,
            Problem::LogoutAfter => Key::ErrLogoutAfter,
            Problem::Choice => Key::ErrChoice,
            Problem::NoHoldMusicFile => Key::ErrNoHoldMusicFile,
            Problem::HoldMusicLength => Key::ErrHoldMusicLength,
            Problem::ForceEndMessage => Key::ErrForceEndMessage,
            Problem::Date => Key::ErrDate,
            Problem::DateOrder => Key::ErrDateOrder,
        };
        text(locale, key)
    }
}
