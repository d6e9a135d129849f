//! One phone window per browser: the window holds the browser's Web Lock on the phone
//! for as long as it is open.

use js_sys::{Function, Object, Promise, Reflect};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

use super::channel;

/// Holds the browser's Web Lock on the phone for as long as this window lives: false
/// if another window of this browser holds it.
pub async fn take_lock() -> bool {
    let Some(navigator) = web_sys::window().map(|w| w.navigator()) else { return true };
    let locks = Reflect::get(&navigator, &"locks".into()).unwrap_or(JsValue::UNDEFINED);
    let Some(request) = Reflect::get(&locks, &"request".into()).ok().and_then(|r| r.dyn_into::<Function>().ok()) else {
        // No Web Locks here: ringdesk's own rule (the newest window wins) still holds.
        return true;
    };
    let mut resolve = None;
    let told = Promise::new(&mut |res, _| resolve = Some(res));
    let Some(resolve) = resolve else { return true };
    let held = Closure::once_into_js(move |lock: JsValue| -> JsValue {
        let held = !lock.is_null();
        let _ = resolve.call1(&JsValue::NULL, &JsValue::from_bool(held));
        // Held until the window closes: a promise that never settles.
        if held { Promise::new(&mut |_, _| {}).into() } else { JsValue::UNDEFINED }
    });
    let options = Object::new();
    let _ = Reflect::set(&options, &"ifAvailable".into(), &JsValue::TRUE);
    if request.call3(&locks, &channel::NAME.into(), &options, &held).is_err() {
        return true;
    }
    JsFuture::from(told).await.ok().and_then(|v| v.as_bool()).unwrap_or(true)
}
