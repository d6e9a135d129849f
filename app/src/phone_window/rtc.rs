//! The phone window's workings, in the browser: the microphone, the WebRTC connection
//! to ringdesk and its mending, the level meter, the devices, and the channel to the
//! agent's tabs. ringdesk answers the window's offers (`api::audio_offer`); the answer
//! comes complete (no trickled candidates), so an offer is one request.

use std::cell::RefCell;
use std::rc::Rc;
use std::time::Duration;

use gloo_timers::future::sleep;
use js_sys::{Function, Reflect};
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;
use wasm_bindgen_futures::{JsFuture, spawn_local};
use web_sys::{
    MediaStream, MediaStreamTrack, RtcConfiguration, RtcIceGatheringState, RtcOfferOptions, RtcPeerConnection,
    RtcPeerConnectionState, RtcSdpType, RtcSessionDescriptionInit, RtcTrackEvent,
};

use super::devices::{MIC_KEY, SPEAKER_KEY, list_devices, microphone, storage};
use super::lock::take_lock;
use super::ui::{Ui, WindowState};
use crate::api::{audio_offer, audio_problem};
use crate::error::AppError;
use crate::model::BrowserAudio;

/// Starts the window's phone: once, when the page has started.
pub fn start(ui: Ui) {
    if let Some(s) = storage() {
        ui.mic.set(s.get_item(MIC_KEY).ok().flatten().unwrap_or_default());
        ui.speaker.set(s.get_item(SPEAKER_KEY).ok().flatten().unwrap_or_default());
    }
    spawn_local(async move {
        if !take_lock().await {
            ui.state.set(WindowState::ElsewhereHere);
            return;
        }
        Phone::run(ui).await;
    });
}

/// One WebRTC connection to ringdesk.
struct Connection {
    pc: RtcPeerConnection,
    /// This connection's name at ringdesk.
    id: String,
    _on_track: Closure<dyn FnMut(RtcTrackEvent)>,
}

impl Drop for Connection {
    fn drop(&mut self) {
        self.pc.close();
    }
}

/// Why a connection could not be made.
enum Refused {
    /// Another window took the phone over.
    Elsewhere,
    /// ringdesk does not know the connection (it restarted): start a new one.
    Gone,
    /// The network or the server failed: try again shortly.
    Failed,
}

fn refused(e: AppError) -> Refused {
    match e {
        AppError::AudioElsewhere => Refused::Elsewhere,
        AppError::AudioConnectionGone => Refused::Gone,
        _ => Refused::Failed,
    }
}

pub(super) struct Phone {
    pub(super) ui: Ui,
    pub(super) stream: Rc<RefCell<MediaStream>>,
    /// The connection now, for a new microphone to be put on.
    pc: RefCell<Option<RtcPeerConnection>>,
}

fn fresh_id() -> String {
    let n = (js_sys::Math::random() * 9.0e15) as u64;
    format!("window-{n:x}")
}

impl Phone {
    async fn run(ui: Ui) {
        let stream = loop {
            match microphone(&ui.mic.get_untracked()).await {
                Ok(s) => break s,
                Err(state) => {
                    ui.state.set(state);
                    let said = if state == WindowState::NoPermission {
                        BrowserAudio::NoPermission
                    } else {
                        BrowserAudio::NoDevice
                    };
                    let _ = audio_problem(said).await;
                    // A microphone plugged in, or allowed in the browser's settings, is
                    // noticed: ask again now and then.
                    sleep(Duration::from_secs(3)).await;
                }
            }
        };
        let phone = Rc::new(Phone { ui, stream: Rc::new(RefCell::new(stream)), pc: RefCell::new(None) });
        list_devices(ui).await;
        phone.clone().meter();
        phone.clone().talk_to_tabs();
        phone.clone().follow_choices();
        phone.clone().close_with_window();
        phone.keep_connected().await;
    }

    fn track(&self) -> Option<MediaStreamTrack> {
        self.stream.borrow().get_audio_tracks().get(0).dyn_into::<MediaStreamTrack>().ok()
    }

    /// Connects, and mends the connection whenever it drops, for as long as the window
    /// is open.
    async fn keep_connected(self: Rc<Self>) {
        let ui = self.ui;
        let mut current: Option<Connection> = None;
        let mut failures = 0u32;
        let mut troubled = 0u32;
        // Audio was up once: until it is again, the window is mending it (接続不良), not
        // connecting for the first time.
        let mut was_ready = false;
        loop {
            let state = current.as_ref().map(|c| c.pc.connection_state());
            match state {
                None => {
                    let mending = was_ready || failures > 0;
                    ui.state.set(if mending { WindowState::Trouble } else { WindowState::Connecting });
                    match self.connect(fresh_id()).await {
                        Ok(c) => current = Some(c),
                        Err(Refused::Elsewhere) => {
                            ui.state.set(WindowState::Elsewhere);
                            self.until_taken_over().await;
                            failures = 0;
                            continue;
                        }
                        Err(_) => failures += 1,
                    }
                }
                Some(RtcPeerConnectionState::Connected) => {
                    ui.state.set(WindowState::Ready);
                    was_ready = true;
                    failures = 0;
                    troubled = 0;
                }
                Some(RtcPeerConnectionState::Disconnected | RtcPeerConnectionState::Failed) => {
                    ui.state.set(WindowState::Trouble);
                    troubled += 1;
                    // A moment's loss often mends by itself; after two seconds (or at
                    // once, when the browser has given up) ICE starts over.
                    let failed = state == Some(RtcPeerConnectionState::Failed);
                    if (failed || troubled >= 4)
                        && let Some(c) = current.as_ref()
                    {
                        match self.restart(c).await {
                            Ok(()) => troubled = 0,
                            Err(Refused::Gone) => current = None,
                            Err(Refused::Elsewhere) => {
                                current = None;
                                ui.state.set(WindowState::Elsewhere);
                                self.until_taken_over().await;
                                continue;
                            }
                            Err(Refused::Failed) => failures += 1,
                        }
                    }
                }
                Some(RtcPeerConnectionState::Closed) => current = None,
                Some(_) => {}
            }
            *self.pc.borrow_mut() = current.as_ref().map(|c| c.pc.clone());
            // Waits longer after each failure (the server may be restarting), up to 10 s.
            let wait = if failures == 0 { 500 } else { (1000 * failures).min(10_000) };
            sleep(Duration::from_millis(u64::from(wait))).await;
        }
    }

    async fn until_taken_over(&self) {
        let asked = self.ui.take_over.get_untracked();
        while self.ui.take_over.get_untracked() == asked {
            sleep(Duration::from_millis(250)).await;
        }
    }

    /// A new connection: offer, ringdesk's answer.
    async fn connect(&self, id: String) -> Result<Connection, Refused> {
        let pc = RtcPeerConnection::new_with_configuration(&RtcConfiguration::new()).map_err(|_| Refused::Failed)?;
        if let Some(track) = self.track() {
            pc.add_track_0(&track, &self.stream.borrow());
        }
        let audio = self.ui.audio;
        let on_track = Closure::<dyn FnMut(RtcTrackEvent)>::new(move |ev: RtcTrackEvent| {
            let Some(el) = audio.get_untracked() else { return };
            let heard = ev.streams().get(0).dyn_into::<MediaStream>().ok();
            el.set_src_object(heard.as_ref());
            let _ = el.play();
        });
        pc.set_ontrack(Some(on_track.as_ref().unchecked_ref()));
        let connection = Connection { pc, id, _on_track: on_track };
        self.negotiate(&connection, false).await?;
        Ok(connection)
    }

    /// An ICE restart on a connection that dropped.
    async fn restart(&self, c: &Connection) -> Result<(), Refused> {
        // restartIce() is not in web-sys; the offer's iceRestart does the same.
        self.negotiate(c, true).await
    }

    async fn negotiate(&self, c: &Connection, restart: bool) -> Result<(), Refused> {
        let options = RtcOfferOptions::new();
        options.set_ice_restart(restart);
        let offer =
            JsFuture::from(c.pc.create_offer_with_rtc_offer_options(&options)).await.map_err(|_| Refused::Failed)?;
        let offer: RtcSessionDescriptionInit = offer.unchecked_into();
        JsFuture::from(c.pc.set_local_description(&offer)).await.map_err(|_| Refused::Failed)?;
        // The answer is complete, so the offer is too: its candidates gathered (on a
        // host with many interfaces this takes a moment; never more than two seconds).
        for _ in 0..40 {
            if c.pc.ice_gathering_state() == RtcIceGatheringState::Complete {
                break;
            }
            sleep(Duration::from_millis(50)).await;
        }
        let sdp = c.pc.local_description().map(|d| d.sdp()).ok_or(Refused::Failed)?;
        let answer = audio_offer(c.id.clone(), restart, sdp).await.map_err(refused)?;
        let answer_init = RtcSessionDescriptionInit::new(RtcSdpType::Answer);
        answer_init.set_sdp(&answer);
        JsFuture::from(c.pc.set_remote_description(&answer_init)).await.map_err(|_| Refused::Failed)?;
        Ok(())
    }

    /// Closing the window closes the connection at once (DTLS says so), so that ringdesk
    /// stops offering calls now rather than when the connection times out.
    fn close_with_window(self: Rc<Self>) {
        let Some(window) = web_sys::window() else { return };
        let on_hide = Closure::<dyn FnMut()>::new(move || {
            if let Some(pc) = self.pc.borrow().as_ref() {
                pc.close();
            }
        });
        let _ = window.add_event_listener_with_callback("pagehide", on_hide.as_ref().unchecked_ref());
        on_hide.forget();
    }

    /// ミュート, and the microphone and speaker chosen, applied as they change.
    fn follow_choices(self: Rc<Self>) {
        let ui = self.ui;
        let phone = self.clone();
        Effect::new(move || {
            let muted = ui.muted.get();
            if let Some(track) = phone.track() {
                track.set_enabled(!muted);
            }
        });
        Effect::new(move || {
            let speaker = ui.speaker.get();
            if let Some(s) = storage() {
                let _ = s.set_item(SPEAKER_KEY, &speaker);
            }
            // setSinkId is not in every browser (nor in web-sys's stable API).
            if let Some(el) = ui.audio.get()
                && let Ok(f) = Reflect::get(&el, &"setSinkId".into())
                && let Ok(f) = f.dyn_into::<Function>()
            {
                let _ = f.call1(&el, &speaker.into());
            }
        });
        let phone = self;
        Effect::new(move |first: Option<()>| {
            let mic = ui.mic.get();
            if first.is_none() {
                return;
            }
            if let Some(s) = storage() {
                let _ = s.set_item(MIC_KEY, &mic);
            }
            let phone = phone.clone();
            spawn_local(async move { phone.switch_microphone(&mic).await });
        });
    }

    /// Another microphone, mid-call if need be: its track replaces the old one on the
    /// connection, with no renegotiation.
    async fn switch_microphone(&self, device: &str) {
        let Ok(stream) = microphone(device).await else { return };
        let Some(track) = stream.get_audio_tracks().get(0).dyn_into::<MediaStreamTrack>().ok() else { return };
        track.set_enabled(!self.ui.muted.get_untracked());
        if let Some(old) = self.track() {
            old.stop();
        }
        *self.stream.borrow_mut() = stream;
        if let Some(pc) = self.pc.borrow().as_ref() {
            for sender in pc.get_senders().iter() {
                let sender: web_sys::RtcRtpSender = sender.unchecked_into();
                let _ = sender.replace_track(Some(&track));
            }
        }
    }
}
