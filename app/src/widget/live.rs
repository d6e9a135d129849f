//! The widget's link to the server: one live stream on `/events`, which begins with a
//! full view of the agent's phone (`crate::live_stream`).

use super::store::PhoneStore;

#[cfg(feature = "hydrate")]
pub fn connect(store: PhoneStore) {
    use crate::live_stream::now_ms;
    use crate::model::PushEvent;
    use leptos::prelude::*;

    crate::live_stream::open("/events", store.live, store.now_ms, move |text| {
        match serde_json::from_str::<PushEvent>(text) {
            Ok(PushEvent::Agent(view)) => store.apply(view, now_ms()),
            Ok(PushEvent::Waiting { count }) => store.waiting.set(count),
            Err(e) => leptos::logging::warn!("unreadable push event: {e}"),
        }
    });
}

#[cfg(not(feature = "hydrate"))]
pub fn connect(_store: PhoneStore) {}
