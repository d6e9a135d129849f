//! The microphone's level, shown in the window and told to the tabs, and the tabs'
//! requests to mute.

use std::cell::RefCell;
use std::rc::Rc;
use std::time::Duration;

use gloo_timers::future::sleep;
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;
use wasm_bindgen_futures::spawn_local;
use web_sys::{AnalyserNode, AudioContext, BroadcastChannel, MessageEvent};

use super::channel::{self, Said};
use super::rtc::Phone;

impl Phone {
    /// The microphone's level, ten times a second, shown here and told to the tabs.
    pub(super) fn meter(self: Rc<Self>) {
        let Ok(context) = AudioContext::new() else { return };
        let analyser: Rc<RefCell<Option<AnalyserNode>>> = Rc::default();
        let attach = {
            let (context, analyser, phone) = (context.clone(), analyser.clone(), self.clone());
            move || {
                let Ok(node) = context.create_analyser() else { return };
                node.set_fft_size(512);
                if let Ok(source) = context.create_media_stream_source(&phone.stream.borrow()) {
                    let _ = source.connect_with_audio_node(&node);
                }
                *analyser.borrow_mut() = Some(node);
            }
        };
        attach();
        let ui = self.ui;
        let tabs = BroadcastChannel::new(channel::NAME).ok();
        let stream_now = self.stream.clone();
        let mut seen = stream_now.borrow().id();
        spawn_local(async move {
            let mut samples = vec![0f32; 512];
            loop {
                sleep(Duration::from_millis(100)).await;
                // A context started without a click may be suspended: it resumes once allowed.
                let _ = context.resume();
                if stream_now.borrow().id() != seen {
                    seen = stream_now.borrow().id();
                    attach();
                }
                let level = match analyser.borrow().as_ref() {
                    Some(a) => {
                        a.get_float_time_domain_data(&mut samples);
                        let rms = (samples.iter().map(|s| s * s).sum::<f32>() / samples.len() as f32).sqrt();
                        f64::from((rms * 4.0).min(1.0))
                    }
                    None => 0.0,
                };
                let level = if ui.muted.get_untracked() { 0.0 } else { level };
                ui.level.set(level);
                if let Some(tabs) = &tabs {
                    let _ = tabs.post_message(&Said { level, muted: ui.muted.get_untracked() }.encode().into());
                }
            }
        });
    }

    /// Mute requests from the tabs' widgets.
    pub(super) fn talk_to_tabs(self: Rc<Self>) {
        let Ok(tabs) = BroadcastChannel::new(channel::NAME) else { return };
        let ui = self.ui;
        let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |ev: MessageEvent| {
            if let Some(muted) = ev.data().as_string().as_deref().and_then(channel::decode_mute) {
                ui.muted.set(muted);
            }
        });
        tabs.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        // Both live as long as the window.
        on_message.forget();
        std::mem::forget(tabs);
    }
}
