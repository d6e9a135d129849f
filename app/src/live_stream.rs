//! A live stream from the server (Server-Sent Events) that an island keeps open while
//! it lives: the phone widget's `/events`, the board's `/board/events`. The browser's
//! EventSource reconnects by itself after a drop, and each stream begins with the whole
//! state, so a reconnected island resynchronises without further ado. A clock ticks
//! each second beside it, for the times the island counts up.

use leptos::prelude::*;

/// The browser's clock, in Unix milliseconds.
pub fn now_ms() -> i64 {
    web_sys::js_sys::Date::now() as i64
}

/// Opens `url`; `on_data` gets each event's data. `live` says whether the stream is
/// open; `clock` ticks each second.
pub fn open(url: &str, live: RwSignal<bool>, clock: RwSignal<i64>, mut on_data: impl FnMut(&str) + 'static) {
    use send_wrapper::SendWrapper;
    use wasm_bindgen::{JsCast, closure::Closure};

    clock.set(now_ms());
    let tick = gloo_timers::callback::Interval::new(1_000, move || clock.set(now_ms()));
    let Ok(source) = web_sys::EventSource::new(url) else {
        live.set(false);
        return;
    };
    let on_message = Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |ev: web_sys::MessageEvent| {
        if let Some(text) = ev.data().as_string() {
            on_data(&text);
        }
    });
    let on_open = Closure::<dyn FnMut()>::new(move || live.set(true));
    let on_error = Closure::<dyn FnMut()>::new(move || live.set(false));
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
