//! What the customer hears from ringdesk itself: hold music and 強制終了's guidance.

use super::*;

impl Worker {
    /// The hold music called `name`: `hold-{name}.wav` in the media folder, else the
    /// free recording Debian's asterisk-moh-opsound-wav installs for it (silence for
    /// `none`, or for a file that cannot be read, which is logged).
    pub(super) fn music(&mut self, name: &str) -> Arc<Clip> {
        if let Some(c) = self.music.get(name) {
            return c.clone();
        }
        let clip = match name {
            "none" => Clip::silence(1000),
            _ => {
                let own = self.media_dir.join(format!("hold-{name}.wav"));
                let debian = match name {
                    "gentle" => "manolo_camp-morning_coffee.wav",
                    _ => "macroform-the_simplicity.wav",
                };
                let path = if own.exists() { own } else { PathBuf::from("/usr/share/asterisk/moh").join(debian) };
                Clip::load(&path).unwrap_or_else(|e| {
                    tracing::error!(error = %e, "SIP: hold music cannot be played; the customer hears silence");
                    Clip::silence(1000)
                })
            }
        };
        let clip = Arc::new(clip);
        self.music.insert(name.to_owned(), clip.clone());
        clip
    }

    /// 強制終了: the agent leaves at once; the customer hears the guidance spoken, then
    /// the call ends.
    pub(super) fn force_end(&mut self, call_id: &str, message: String) {
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
        let call_id = call_id.to_owned();
        tokio::spawn(async move {
            let clip = match speech.say(&message).await {
                Ok(clip) => Some(clip),
                Err(e) => {
                    tracing::error!(error = %e, call = call_id, "SIP: the guidance cannot be spoken; the call ends without it");
                    None
                }
            };
            let _ = events.send(Event::Spoken { call_id, clip });
        });
    }

    pub(super) fn play_guidance(&mut self, call_id: &str, clip: Option<Arc<Clip>>) {
        let Some(call) = self.calls.get(call_id) else { return };
        let Some(clip) = clip else { return self.hang_up(call_id) };
        let length = Duration::from_millis(clip.samples.len() as u64 / 8);
        let played = call.relay.play(clip);
        let events = self.events.clone();
        let call_id = call_id.to_owned();
        tokio::spawn(async move {
            // The relay says when it has played the clip; a relay gone (the customer
            // left) or stuck ends the wait too.
            let _ = tokio::time::timeout(length + Duration::from_secs(2), played).await;
            let _ = events.send(Event::Played { call_id });
        });
    }
}
