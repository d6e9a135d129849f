//! How the app's data crosses between server and browser: postcard, a compact binary
//! encoding of the same serde types.
//!
//! Server functions are the app's private contract with its own wasm, not a public API
//! (the telephony simulator's API and the live stream are, and speak JSON). A binary
//! encoding needs no field names, number parser or string unescaper in the browser, and
//! each answer type's decoder is a straight read of its fields: the wasm a page hydrates
//! with is that much smaller (docs/BENCHMARKS.md). Server functions answer in postcard
//! (`output = Postcard`), refusals too ([`crate::error::AppError`]); resources embed
//! their data in the page as postcard in base64 ([`PostcardCodec`]); so does the
//! session ([`embed`], [`crate::session`]), and the data the server hands to an island
//! ([`Carried`]).

use leptos::prelude::*;
use leptos::server::codee::{Decoder, Encoder};
use leptos::server::{FromEncodedStr, IntoEncodedString};
use serde::Serialize;
use serde::de::DeserializeOwned;

/// The codec of the app's resources: postcard, as server functions answer.
pub struct PostcardCodec;

impl<T: Serialize> Encoder<T> for PostcardCodec {
    type Error = postcard::Error;
    type Encoded = Vec<u8>;

    fn encode(val: &T) -> Result<Vec<u8>, postcard::Error> {
        postcard::to_allocvec(val)
    }
}

impl<T: DeserializeOwned> Decoder<T> for PostcardCodec {
    type Error = postcard::Error;
    type Encoded = [u8];

    fn decode(val: &[u8]) -> Result<T, postcard::Error> {
        postcard::from_bytes(val)
    }
}

/// Data a page loads from the server: rendered there, embedded in the page, and read
/// back in the browser (Leptos's `Resource::new`, with [`PostcardCodec`]).
pub type Loaded<T> = Resource<T, PostcardCodec>;

/// A [`Loaded`] fetched again whenever `source` changes.
#[track_caller]
pub fn load<T, S, Fut>(
    source: impl Fn() -> S + Send + Sync + 'static,
    fetcher: impl Fn(S) -> Fut + Send + Sync + 'static,
) -> Loaded<T>
where
    T: Serialize + DeserializeOwned + Send + Sync + 'static,
    S: PartialEq + Clone + Send + Sync + 'static,
    Fut: Future<Output = T> + Send + 'static,
{
    Resource::new_with_options(source, fetcher, false)
}

/// A value as the page carries it beside its resources' data (postcard in base64, the
/// way Leptos embeds a resource's bytes): text safe inside `<script>`.
pub fn embed<T: Serialize>(value: &T) -> String {
    PostcardCodec::encode(value).map(IntoEncodedString::into_encoded_string).unwrap_or_default()
}

/// Reads back what [`embed`] wrote.
pub fn read_embedded<T: DeserializeOwned>(text: &str) -> Option<T> {
    let bytes = <[u8]>::from_encoded_str(text.trim()).ok()?;
    PostcardCodec::decode(&bytes).ok()
}

/// Data the server hands to an island (`#[island]`), carried in the page as [`embed`]
/// writes it. Leptos writes an island's props as JSON; a prop of this type is one JSON
/// string, so the browser reads postcard rather than carrying a JSON decoder for every
/// type an island is given.
#[derive(Clone, Debug, PartialEq)]
pub struct Carried<T>(pub T);

impl<T: Serialize> Serialize for Carried<T> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&embed(&self.0))
    }
}

impl<'de, T: DeserializeOwned> serde::Deserialize<'de> for Carried<T> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        read_embedded(&text).map(Carried).ok_or_else(|| serde::de::Error::custom("unreadable island data"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{AgentAction, AgentStatus, FieldProblem, PhoneNumberError, Problem, RuleError};
    use crate::error::AppError;
    use leptos::server_fn::error::ServerFnErrorErr;

    fn round_trip<T: Serialize + DeserializeOwned + PartialEq + std::fmt::Debug>(value: T) {
        let bytes = PostcardCodec::encode(&value).unwrap();
        assert_eq!(<PostcardCodec as Decoder<T>>::decode(&bytes).unwrap(), value);
    }

    #[test]
    fn every_refusal_reads_back_as_sent() {
        for e in [
            AppError::Unauthorized,
            AppError::NotAllowedNow(RuleError {
                status: AgentStatus::InCall,
                action: AgentAction::Choose(AgentStatus::Ready),
            }),
            AppError::InvalidNumber(PhoneNumberError::Malformed),
            AppError::Invalid(vec![
                FieldProblem::new("name", Problem::Required),
                FieldProblem::new("cti_id", Problem::Taken),
            ]),
            AppError::Transport(ServerFnErrorErr::Request("offline".into())),
        ] {
            round_trip(e);
        }
    }

    #[test]
    fn nothing_and_something_read_back_as_sent() {
        round_trip(None::<crate::model::SessionInfo>);
        round_trip((Some("山田 花子".to_owned()), vec![1_i32, -2, i32::MAX], 7_u64));
    }

    #[test]
    fn what_the_page_carries_reads_back_and_cannot_close_its_script() {
        let value = (Some("</script><b>".to_owned()), 42_i64);
        let text = embed(&value);
        assert!(!text.contains('<'));
        assert_eq!(read_embedded(&text), Some(value));
        assert_eq!(read_embedded::<(Option<String>, i64)>("not base64!"), None);
    }

    #[test]
    fn an_islands_data_is_one_json_string_and_reads_back() {
        let value = Carried((vec!["山田".to_owned()], Some(-3_i64)));
        let json = serde_json::to_string(&value).unwrap();
        assert!(json.starts_with('"') && json.ends_with('"'));
        assert_eq!(serde_json::from_str::<Carried<(Vec<String>, Option<i64>)>>(&json).unwrap(), value);
        assert!(serde_json::from_str::<Carried<(Vec<String>, Option<i64>)>>("\"!!\"").is_err());
    }
}
