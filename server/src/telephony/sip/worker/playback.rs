//! What the customer hears from ringdesk itself: hold music and 強制終了's guidance.

use super::*;

impl Worker {
    /// The customer of `call_id` hears `music`, looped (the agent is not heard), or
    /// talks again (`None`).
    pub(super) fn hold(&mut self, call_id: &CallId, music: Option<HoldMusic>) {
        let clip = music.map(|m| self.music(m));
        let Some(call) = self.calls.get_mut(call_id) else { return };
        call.held_with = music;
        call.relay.hold(clip);
    }

    /// The recording of `music` (`Clip::builtin_music` for a built-in choice). A
    /// tenant's own upload is read from the store in a task of its own: silence until it
    /// is here (`music_loaded`), a moment at most.
    fn music(&mut self, music: HoldMusic) -> Arc<Clip> {
        if let Some(c) = self.music.get(&music) {
            return c.clone();
        }
        let name = match music {
            HoldMusic::Builtin(name) => name,
            HoldMusic::Own { tenant_id, .. } => {
                if self.loading.insert(music) {
                    let (store, events) = (self.store.clone(), self.events.clone());
                    tokio::spawn(async move {
                        let clip = match store.hold_music_samples(tenant_id).await {
                            Ok(Some((_, samples))) if !samples.is_empty() => Some(Arc::new(Clip {
                                name: format!("tenant {tenant_id}'s hold music"),
                                samples: samples.into(),
                            })),
                            Ok(_) => None,
                            Err(e) => {
                                tracing::error!(error = %e, tenant_id, "SIP: the tenant's hold music cannot be read; its customers hear silence");
                                None
                            }
                        };
                        let _ = events.send(Event::MusicLoaded { music, clip });
                    });
                }
                return Arc::new(Clip::silence(1000));
            }
        };
        let clip = Clip::builtin_music(&self.media_dir, name);
        let clip = Arc::new(clip);
        self.music.insert(music, clip.clone());
        clip
    }

    /// A tenant's own hold music has been read: kept (its older versions let go), and
    /// played to every customer held with it.
    pub(super) fn music_loaded(&mut self, music: HoldMusic, clip: Option<Arc<Clip>>) {
        self.loading.remove(&music);
        let Some(clip) = clip else { return };
        if let HoldMusic::Own { tenant_id, .. } = music {
            self.music.retain(|k, _| !matches!(k, HoldMusic::Own { tenant_id: t, .. } if *t == tenant_id));
        }
        self.music.insert(music, clip.clone());
        for call in self.calls.values().filter(|c| c.held_with == Some(music)) {
            call.relay.hold(Some(clip.clone()));
        }
    }

    /// 強制終了: the agent leaves at once; the customer hears the guidance spoken, then
    /// the call ends.
    pub(super) fn force_end(&mut self, call_id: &CallId, message: String) {
        let Some(call) = self.calls.get_mut(call_id) else { return };
        if call.ending {
            return;
        }
        call.ending = true;
        call.relay.detach();
        let users: Vec<UserId> = call.legs.keys().copied().collect();
        for user in users {
            self.end_leg(call_id, user);
        }
        let speech = self.speech.clone();
        let events = self.events.clone();
        let call_id = call_id.clone();
        tokio::spawn(async move {
            let clip = match speech.say(&message).await {
                Ok(clip) => Some(clip),
                Err(e) => {
                    tracing::error!(error = %e, call = %call_id, "SIP: the guidance cannot be spoken; the call ends without it");
                    None
                }
            };
            let _ = events.send(Event::Spoken { call_id, clip });
        });
    }

    pub(super) fn play_guidance(&mut self, call_id: &CallId, clip: Option<Arc<Clip>>) {
        let Some(call) = self.calls.get(call_id) else { return };
        let Some(clip) = clip else { return self.hang_up(call_id) };
        let length = Duration::from_millis(clip.samples.len() as u64 / 8);
        let played = call.relay.play(clip);
        let events = self.events.clone();
        let call_id = call_id.clone();
        tokio::spawn(async move {
            // The relay says when it has played the clip; a relay gone (the customer
            // left) or stuck ends the wait too.
            let _ = tokio::time::timeout(length + Duration::from_secs(2), played).await;
            let _ = events.send(Event::Played { call_id });
        });
    }
}
