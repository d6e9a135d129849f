//! One JSON reader for everything the browser decodes.
//!
//! serde_json's decoder is generic over where it reads from: text (`from_str`) and bytes
//! (`from_slice`) are two copies of every answer type's decoder in the wasm. Server
//! functions read their answers from bytes; Leptos's default resource codec reads the
//! server's embedded data from text. Resources here use [`JsonCodec`] and the live stream
//! and the session use [`decode`], all reading bytes: one copy (docs/BENCHMARKS.md).

use leptos::prelude::*;
use leptos::server::codee::{Decoder, Encoder};
use serde::Serialize;
use serde::de::DeserializeOwned;

/// The codec of the app's resources: JSON, read the way server functions read it.
pub struct JsonCodec;

impl<T: Serialize> Encoder<T> for JsonCodec {
    type Error = serde_json::Error;
    type Encoded = String;

    fn encode(val: &T) -> Result<String, serde_json::Error> {
        serde_json::to_string(val)
    }
}

impl<T: DeserializeOwned> Decoder<T> for JsonCodec {
    type Error = serde_json::Error;
    type Encoded = str;

    fn decode(val: &str) -> Result<T, serde_json::Error> {
        decode(val)
    }
}

/// Reads JSON text with the same decoder as server functions' answers.
pub fn decode<T: DeserializeOwned>(text: &str) -> Result<T, serde_json::Error> {
    serde_json::from_slice(text.as_bytes())
}

/// Data a page loads from the server: rendered there, embedded in the page, and read
/// back in the browser (Leptos's `Resource::new`, with [`JsonCodec`]).
pub type Loaded<T> = Resource<T, JsonCodec>;

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
