//! The widget's link to the server: one EventSource on `/events`. The server begins each
//! stream with a full view of the agent's phone, so a stream that drops and reconnects
//! (EventSource does so by itself) resynchronises without further ado.

use super::store::PhoneStore;

#[cfg(feature = "hydrate")]
pub fn connect(store: PhoneStore) {
    use leptos::prelude::*;
    use send_wrapper::SendWrapper;
    use wasm_bindgen::{JsCast, closure::Closure};

    use crate::model::PushEvent;

    fn now_ms() -> i64 {
        web_sys::js_sys::Date::now() as i64
    }

    store.now_ms.set(now_ms());
    let tick = gloo_timers::callback::Interval::new(1_000, move || store.now_ms.set(now_ms()));

    let Ok(source) = web_sys::EventSource::new("/events") else {
        store.live.set(false);
        return;
    };
    let on_message = Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |ev: web_sys::MessageEvent| {
        let Some(text) = ev.data().as_string() else { return };
        match serde_json::from_str::<PushEvent>(&text) {
            Ok(PushEvent::Agent(view)) => store.apply(view, now_ms()),
            Ok(PushEvent::Waiting { count }) => store.waiting.set(count),
            Err(e) => leptos::logging::warn!("unreadable push event: {e}"),
        }
    });
    let on_open = Closure::<dyn FnMut()>::new(move || store.live.set(true));
    let on_error = Closure::<dyn FnMut()>::new(move || store.live.set(false));
    source.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    source.set_onopen(Some(on_open.as_ref().unchecked_ref()));
    source.set_onerror(Some(on_error.as_ref().unchecked_ref()));

    let owned = SendWrapper::new((source, tick, on_message, on_open, on_error));
    on_cleanup(move || {
        let (source, tick, ..) = owned.take();
        source.close();
        tick.cancel();
    });
}

#[cfg(not(feature = "hydrate"))]
pub fn connect(_store: PhoneStore) {}
