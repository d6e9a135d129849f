//! Making a ringing call noticed: a ring tone the agent can mute (remembered in this
//! browser), and a desktop notification when the tab is hidden.

#[cfg(feature = "hydrate")]
use leptos::prelude::*;

use super::store::PhoneStore;
#[cfg(feature = "hydrate")]
use crate::domain::AgentStatus;

#[cfg(feature = "hydrate")]
const MUTE_KEY: &str = "ringdesk.ring-muted";

/// Whether the ring tone is muted in this browser.
#[cfg(feature = "hydrate")]
fn muted_at_start() -> bool {
    web_sys::window()
        .and_then(|w| w.local_storage().ok().flatten())
        .and_then(|s| s.get_item(MUTE_KEY).ok().flatten())
        .is_some_and(|v| v == "1")
}

pub fn remember_muted(muted: bool) {
    #[cfg(feature = "hydrate")]
    if let Some(storage) = web_sys::window().and_then(|w| w.local_storage().ok().flatten()) {
        let _ = storage.set_item(MUTE_KEY, if muted { "1" } else { "0" });
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = muted;
}

/// Asks for permission to notify, from a click (browsers only ask on a user gesture).
pub fn ask_notification_permission() {
    #[cfg(feature = "hydrate")]
    if web_sys::Notification::permission() == web_sys::NotificationPermission::Default {
        let _ = web_sys::Notification::request_permission();
    }
}

/// Rings while the agent's status is 着信中 (and the tone is not muted); notifies when
/// the tab is hidden. Browser only.
pub fn watch(store: PhoneStore) {
    #[cfg(feature = "hydrate")]
    {
        use send_wrapper::SendWrapper;
        // Read after hydration: the server cannot know this browser's choice.
        store.muted.set(muted_at_start());
        let tone: StoredValue<Option<SendWrapper<tone::Tone>>, LocalStorage> = StoredValue::new_local(None);
        // The offer ringing now, if any: other changes to the view (a hold, say) must
        // neither restart the tone nor notify again.
        let offer = Memo::new(move |_| {
            store.view.with(|v| {
                let v = v.as_ref().filter(|v| v.status == AgentStatus::Ringing)?;
                v.call.as_ref().map(|c| (c.call_id.clone(), c.customer_number.shown.clone()))
            })
        });
        Effect::new(move || {
            let offer = offer.get();
            let ringing = offer.is_some();
            let muted = store.muted.get();
            tone.update_value(|t| {
                if let Some(t) = t.take() {
                    t.take().stop();
                }
                if ringing && !muted {
                    *t = tone::Tone::start().map(SendWrapper::new);
                }
            });
            store.sounding.set(tone.with_value(Option::is_some));
            if let Some((_, number)) = offer {
                notify_if_hidden(&number);
            }
        });
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = store;
}

#[cfg(feature = "hydrate")]
fn notify_if_hidden(number: &str) {
    let hidden = web_sys::window().and_then(|w| w.document()).is_some_and(|d| d.hidden());
    if !hidden || web_sys::Notification::permission() != web_sys::NotificationPermission::Granted {
        return;
    }
    let options = web_sys::NotificationOptions::new();
    options.set_body(number);
    options.set_tag("ringdesk-offer");
    let title = crate::i18n::t(crate::i18n::Key::IncomingCall);
    let _ = web_sys::Notification::new_with_options(title, &options);
}

#[cfg(feature = "hydrate")]
mod tone {
    use web_sys::{AudioContext, GainNode, OscillatorNode, OscillatorType};

    /// A telephone ring: one second of 440 Hz + 480 Hz, two seconds of quiet, for as
    /// long as a ring can last.
    pub struct Tone {
        ctx: AudioContext,
        oscillators: Vec<OscillatorNode>,
    }

    const CYCLES: usize = 40;

    impl Tone {
        pub fn start() -> Option<Tone> {
            let ctx = AudioContext::new().ok()?;
            let _ = ctx.resume();
            let gain: GainNode = ctx.create_gain().ok()?;
            gain.connect_with_audio_node(&ctx.destination()).ok()?;
            let t0 = ctx.current_time();
            let level = gain.gain();
            level.set_value_at_time(0.0, t0).ok()?;
            for i in 0..CYCLES {
                let on = t0 + (i as f64) * 3.0;
                level.set_value_at_time(0.12, on).ok()?;
                level.set_value_at_time(0.0, on + 1.0).ok()?;
            }
            let mut oscillators = Vec::new();
            for hz in [440.0, 480.0] {
                let osc = ctx.create_oscillator().ok()?;
                osc.set_type(OscillatorType::Sine);
                osc.frequency().set_value(hz);
                osc.connect_with_audio_node(&gain).ok()?;
                osc.start().ok()?;
                oscillators.push(osc);
            }
            Some(Tone { ctx, oscillators })
        }

        pub fn stop(self) {
            for osc in &self.oscillators {
                let _ = osc.stop();
            }
            let _ = self.ctx.close();
        }
    }
}
