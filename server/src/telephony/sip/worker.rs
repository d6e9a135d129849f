//! The SIP worker: one task that owns every SIP call (the customer's dialog, the legs to
//! agents' phones, the relay of their audio) and carries out what routing asks. It never
//! waits on the network itself: sending, and asking routing, happen in tasks of their
//! own whose outcomes come back to it as events.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use app::model::{EndReason, UserId};
use rsipstack::dialog::dialog::{DialogState, TerminatedReason};
use rsipstack::dialog::invitation::InviteOption;
use rsipstack::dialog::invite_dialog::InviteDialog;
use rsipstack::sip::headers::untyped::{ContentType, WwwAuthenticate};
use rsipstack::sip::{Header, HeadersExt, Method, StatusCode, StatusCodeKind, Uri};
use rsipstack::transaction::transaction::Transaction;
use rsipstack::transport::SipAddr;
use rustrtc::SdpType;
use tokio::sync::mpsc;

use super::addressing;
use super::media::{Clip, PortPool, Relay, RelayStats, RtpSocket};
use super::digest::{self, Nonces, Verdict};
use super::registrar::{Registrar, answer_of, source_of};
use super::throttle::Throttle;
use super::sdp::{self, Codec, Media, Ours};
use super::kept::KeptDialog;
use super::speech::Speech;
use super::stack::Stack;
use super::Work;
use crate::config::SipConfig;
use crate::routing::RoutingHandle;
use crate::routing::state::{IncomingError, Queued};
use crate::store::Store;

pub struct Setup {
    pub config: SipConfig,
    pub stack: Stack,
    pub routing: RoutingHandle,
    pub store: Store,
    pub region: phonenumber::country::Id,
    pub media_dir: PathBuf,
    pub stats: Arc<RelayStats>,
    pub speech: Speech,
}

/// What the worker hears besides routing's work.
enum Event {
    Work(Work),
    // Boxed: a transaction and a dialog state are large, and every event would be as
    // large as the largest.
    Request(Box<Transaction>),
    Dialog(Box<DialogState>),
    /// Routing's answer to a call that came in.
    Queued { call_id: String, result: Option<Result<Queued, IncomingError>> },
    /// An agent's phone answered (with its SDP) or did not (with the status).
    AgentLeg { call_id: String, user: UserId, answered: Result<Vec<u8>, Option<StatusCode>> },
    /// The customer of an outbound call answered (with their SDP), or not (the status).
    CustomerLeg { call_id: String, answered: Result<Vec<u8>, Option<StatusCode>> },
    /// Routing refused an answer made on a phone: the leg ends.
    AnswerRefused { call_id: String, user: UserId },
    /// 強制終了's guidance is ready to play (or could not be spoken: `None`).
    Spoken { call_id: String, clip: Option<Arc<Clip>> },
    /// The guidance has been played: the call ends.
    Played { call_id: String },
}

/// What a call from outside the trunk's addresses proved.
enum Credentials {
    /// The carrier's digest credentials (`RINGDESK_SIP_TRUNK_USER` / `_PASSWORD`).
    Valid,
    /// Nothing yet, or a stale nonce: this challenge asks for them.
    Challenge(Header),
    /// No credentials configured, wrong ones, or an address that must wait.
    Refused,
}

/// A leg from ringdesk to an agent's phone.
struct AgentLeg {
    dialog: InviteDialog,
    socket: Option<RtpSocket>,
    /// Its SDP once the phone answered.
    answered: Option<Media>,
}

enum Phase {
    /// In the queue or ringing at an agent: the customer hears ringback.
    Waiting,
    /// かける: the agent's phone is called, then the customer; not yet answered.
    Dialing { agent: UserId },
    /// Routing connected the call to `agent`; the customer is answered.
    Connected { agent: UserId },
}

/// Where an outbound call goes, and the caller ID it shows.
struct Outbound {
    to: String,
    caller_id: String,
}

/// A customer's call.
struct Call {
    /// The customer's dialog (`None`: an outbound call not placed yet).
    customer: Option<InviteDialog>,
    /// The customer's audio, once known (an outbound call's, when they answer).
    customer_media: Option<Media>,
    outbound: Option<Outbound>,
    relay: Relay,
    phase: Phase,
    legs: HashMap<UserId, AgentLeg>,
    /// Routing's answer came before the phone's: connect that agent's leg when it answers.
    connect_when_answered: Option<UserId>,
    /// 強制終了: the guidance plays, then the call ends; nothing else happens to it.
    ending: bool,
    /// The customer was answered while waiting (待ち呼) and hears the hold music.
    answered_early: bool,
}

struct Worker {
    config: SipConfig,
    dialogs: Arc<rsipstack::dialog::dialog_layer::DialogLayer>,
    state_sender: rsipstack::dialog::dialog::DialogStateSender,
    routing: RoutingHandle,
    registrar: Registrar,
    region: phonenumber::country::Id,
    media_dir: PathBuf,
    music: HashMap<String, Arc<Clip>>,
    ports: PortPool,
    stats: Arc<RelayStats>,
    events: mpsc::UnboundedSender<Event>,
    speech: Speech,
    store: Store,
    /// Digest challenges to a carrier calling from an address not its trunk's, and how
    /// its failures are slowed.
    carrier_nonces: Nonces,
    carrier_throttle: Throttle,
    calls: HashMap<String, Call>,
    /// SIP Call-IDs of the customer's and agents' dialogs, to ringdesk's call and leg.
    by_sip_call: HashMap<String, (String, Option<UserId>)>,
    /// ringdesk's SDP in each dialog, by SIP Call-ID: the answer to a re-INVITE.
    local_sdp: HashMap<String, Vec<u8>>,
    contact: Uri,
}

pub fn spawn(setup: Setup, mut work: mpsc::UnboundedReceiver<Work>) {
    let Setup { config, stack, routing, store, region, media_dir, stats, speech } = setup;
    let (events, mut rx) = mpsc::unbounded_channel();
    let Stack { addr, dialogs, mut incoming, states: (state_sender, mut states), cancel, .. } = stack;
    let ip = config.advertised_ip();
    let contact = Uri::try_from(format!("sip:ringdesk@{}", std::net::SocketAddr::new(ip, addr.port())).as_str())
        .expect("a SIP URI made of an address is valid");
    let registrar = Registrar::new(store.clone(), routing.clone());
    let mut worker = Worker {
        ports: PortPool::new(config.listen.ip(), config.rtp_ports.clone()),
        config,
        dialogs,
        state_sender,
        routing,
        registrar: registrar.clone(),
        region,
        media_dir,
        music: HashMap::new(),
        stats,
        events: events.clone(),
        speech,
        store,
        carrier_nonces: Nonces::new(rand::random()),
        carrier_throttle: Throttle::default(),
        calls: HashMap::new(),
        by_sip_call: HashMap::new(),
        local_sdp: HashMap::new(),
        contact,
    };
    // Feeds: routing's work, new requests, dialog states; all into one queue, in order.
    let feed = events.clone();
    tokio::spawn(async move {
        while let Some(w) = work.recv().await {
            if feed.send(Event::Work(w)).is_err() {
                break;
            }
        }
    });
    let feed = events.clone();
    tokio::spawn(async move {
        while let Some(tx) = incoming.recv().await {
            if feed.send(Event::Request(Box::new(tx))).is_err() {
                break;
            }
        }
    });
    let feed = events;
    tokio::spawn(async move {
        while let Some(s) = states.recv().await {
            if feed.send(Event::Dialog(Box::new(s))).is_err() {
                break;
            }
        }
    });
    tokio::spawn(async move {
        let mut sweep = tokio::time::interval(Duration::from_secs(5));
        loop {
            sweep.tick().await;
            registrar.expire().await;
        }
    });
    tokio::spawn(async move {
        while let Some(event) = rx.recv().await {
            worker.handle(event);
        }
        cancel.cancel();
    });
}

fn sdp_header() -> Header {
    Header::ContentType(ContentType::new("application/sdp"))
}

impl Worker {
    fn handle(&mut self, event: Event) {
        match event {
            Event::Request(tx) => self.request(*tx),
            Event::Work(w) => self.work(w),
            Event::Dialog(state) => self.dialog_state(*state),
            Event::Queued { call_id, result } => self.queued(&call_id, result),
            Event::AgentLeg { call_id, user, answered } => self.agent_leg(&call_id, user, answered),
            Event::AnswerRefused { call_id, user } => self.end_leg(&call_id, user),
            Event::CustomerLeg { call_id, answered } => self.customer_leg(&call_id, answered),
            Event::Spoken { call_id, clip } => self.play_guidance(&call_id, clip),
            Event::Played { call_id } => self.hang_up(&call_id),
        }
    }

    /// A request outside any call's INVITE transaction.
    fn request(&mut self, mut tx: Transaction) {
        match tx.original.method {
            Method::Register => {
                let registrar = self.registrar.clone();
                tokio::spawn(async move { registrar.register(tx).await });
            }
            Method::Invite if tx.original.to_header().ok().and_then(|t| t.tag().ok().flatten()).is_none() => {
                self.invite(tx);
            }
            Method::Options => {
                tokio::spawn(async move { tx.reply(StatusCode::OK).await });
            }
            Method::Ack => {
                // An ACK of a 2xx reaches the dialog's own transaction; a stray one is
                // dropped (ACKs are never answered).
                if let Some(mut dialog) = self.dialogs.match_dialog(&tx) {
                    tokio::spawn(async move { dialog.handle(&mut tx).await });
                }
            }
            _ => match self.dialogs.match_dialog(&tx) {
                Some(mut dialog) => {
                    tokio::spawn(async move {
                        if let Err(e) = dialog.handle(&mut tx).await {
                            tracing::debug!(error = %e, "SIP: an in-dialog request failed");
                        }
                    });
                }
                None => {
                    tokio::spawn(async move { tx.reply(StatusCode::CallTransactionDoesNotExist).await });
                }
            },
        }
    }

    /// Whether an INVITE from an address outside the trunk carries the carrier's digest
    /// credentials (checked as the registrar checks a phone's).
    fn carrier_credentials(&mut self, tx: &Transaction, from: std::net::IpAddr) -> Credentials {
        let Some((user, password)) = &self.config.trunk_credentials else { return Credentials::Refused };
        let now = crate::store::now_ms();
        if self.carrier_throttle.wait_ms(from, now) > 0 {
            return Credentials::Refused;
        }
        let challenge = |stale| Credentials::Challenge(Header::WwwAuthenticate(WwwAuthenticate::new(self.carrier_nonces.challenge(now, stale))));
        let Some(auth) = tx.original.authorization_header() else { return challenge(false) };
        let raw = auth.value().to_owned();
        let verdict = match answer_of(&raw) {
            Some(answer) if answer.username == user.as_str() => {
                self.carrier_nonces.verify(&answer, "INVITE", &digest::ha1(user, password), now)
            }
            _ => Verdict::Invalid,
        };
        match verdict {
            Verdict::Valid => {
                self.carrier_throttle.succeeded(from);
                Credentials::Valid
            }
            Verdict::Stale => challenge(true),
            Verdict::Invalid => {
                self.carrier_throttle.failed(from, now);
                Credentials::Refused
            }
        }
    }

    /// A customer's call from the carrier.
    fn invite(&mut self, mut tx: Transaction) {
        let refuse = |mut tx: Transaction, status: StatusCode| {
            tokio::spawn(async move { tx.reply(status).await });
        };
        let Some((_, source)) = source_of(&tx) else { return refuse(tx, StatusCode::BadRequest) };
        if !addressing::from_trunk(source.ip(), &self.config.trunk) {
            // Calls in come only from the carrier (its addresses, or its digest
            // credentials): anything else could ring agents or, worse, be a way out
            // (toll fraud).
            match self.carrier_credentials(&tx, source.ip()) {
                Credentials::Valid => {}
                Credentials::Challenge(header) => {
                    tokio::spawn(async move {
                        let _ = tx.reply_with(StatusCode::Unauthorized, vec![header], None).await;
                    });
                    return;
                }
                Credentials::Refused => {
                    tracing::warn!(%source, "SIP: an INVITE not from the trunk was refused");
                    return refuse(tx, StatusCode::Forbidden);
                }
            }
        }
        let Some(dialled) = tx.original.uri.user().and_then(|u| addressing::number(u, self.region)) else {
            return refuse(tx, StatusCode::NotFound);
        };
        let customer_number = tx
            .original
            .from_header()
            .ok()
            .and_then(|f| f.uri().ok())
            .and_then(|u| u.user().map(str::to_owned))
            .map(|u| addressing::number(&u, self.region).map(|n| n.to_string()).unwrap_or(u))
            .unwrap_or_else(|| "anonymous".into());
        let media = match sdp::parse(&tx.original.body, SdpType::Offer) {
            Ok(m) => m,
            Err(e) => {
                tracing::info!(error = %e, "SIP: a call with no usable audio was refused");
                return refuse(tx, StatusCode::NotAcceptableHere);
            }
        };
        let Ok(socket) = self.ports.try_bind() else {
            tracing::warn!("SIP: no RTP port free; a call was refused");
            return refuse(tx, StatusCode::ServiceUnavailable);
        };
        let dialog = match self.dialogs.get_or_create_server_invite(&tx, self.state_sender.clone(), None, Some(self.contact.clone())) {
            Ok(d) => d,
            Err(e) => {
                tracing::warn!(error = %e, "SIP: a call could not be taken");
                return refuse(tx, StatusCode::ServerInternalError);
            }
        };
        let call_id = format!("sip-{}", uuid::Uuid::new_v4());
        let sip_call = dialog.id().call_id.clone();
        let relay = Relay::start(socket, self.stats.clone());
        relay.customer(media.clone());
        self.by_sip_call.insert(sip_call, (call_id.clone(), None));
        self.calls.insert(
            call_id.clone(),
            Call {
                customer: Some(dialog.clone()),
                customer_media: Some(media),
                outbound: None,
                relay,
                phase: Phase::Waiting,
                legs: HashMap::new(),
                connect_when_answered: None,
                ending: false,
                answered_early: false,
            },
        );
        // The INVITE transaction lives until the ACK (or the CANCEL) in a task of its own.
        let mut server_dialog = dialog;
        tokio::spawn(async move {
            if let Err(e) = server_dialog.handle(&mut tx).await {
                tracing::debug!(error = %e, "SIP: the customer's INVITE transaction ended with an error");
            }
        });
        let routing = self.routing.clone();
        let events = self.events.clone();
        tokio::spawn(async move {
            let result = routing.incoming(call_id.clone(), customer_number, Some(dialled.to_string())).await;
            let _ = events.send(Event::Queued { call_id, result });
        });
    }

    fn queued(&mut self, call_id: &str, result: Option<Result<Queued, IncomingError>>) {
        let Some(call) = self.calls.get(call_id) else { return };
        let status = match result {
            Some(Ok(queued)) => {
                if !matches!(call.phase, Phase::Waiting) {
                    return;
                }
                match queued.music_while_waiting {
                    // 待ち呼: answered now, the caller hears the hold music until an agent
                    // takes the call (a carrier would give up on one left ringing).
                    Some(music) => {
                        let clip = self.music(music);
                        self.accept_customer(call_id);
                        if let Some(call) = self.calls.get_mut(call_id) {
                            call.answered_early = true;
                            call.relay.hold(Some(clip));
                        }
                    }
                    None => {
                        if let Some(customer) = &call.customer {
                            let _ = customer.ringing(None, None);
                        }
                    }
                }
                return;
            }
            Some(Err(IncomingError::UnknownNumber(_))) => StatusCode::NotFound,
            Some(Err(IncomingError::InboundDisabled)) => StatusCode::Forbidden,
            Some(Err(IncomingError::Duplicate(_))) => StatusCode::LoopDetected,
            Some(Err(IncomingError::Unavailable)) | None => StatusCode::ServiceUnavailable,
        };
        if let Some(customer) = &call.customer {
            let _ = customer.reject(Some(status), None);
        }
        self.forget(call_id);
    }

    fn work(&mut self, work: Work) {
        match work {
            Work::Ring { call_id, user } => self.ring(&call_id, user),
            Work::Dial { call_id, caller_id, to, user } => self.dial(call_id, Outbound { to, caller_id }, user),
            Work::StopRinging { call_id, user } => self.end_leg(&call_id, user),
            Work::Answer { call_id, user } => self.answer(&call_id, user),
            Work::HangUp { call_id } => self.hang_up(&call_id),
            Work::Hold { call_id, music } => {
                let clip = music.map(|m| self.music(&m));
                if let Some(call) = self.calls.get(&call_id) {
                    call.relay.hold(clip);
                }
            }
            Work::ForceEnd { call_id, message } => self.force_end(&call_id, message),
        }
    }

    /// The hold music called `name`: `hold-{name}.wav` in the media folder, else the
    /// free recording Debian's asterisk-moh-opsound-wav installs for it (silence for
    /// `none`, or for a file that cannot be read, which is logged).
    fn music(&mut self, name: &str) -> Arc<Clip> {
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

    /// An offer: the agent's phone rings (if it is registered) besides their widget.
    fn ring(&mut self, call_id: &str, user: UserId) {
        let Some(binding) = self.registrar.binding(user) else { return };
        let Some(call) = self.calls.get_mut(call_id) else { return };
        if call.legs.contains_key(&user) {
            return;
        }
        let Ok(socket) = self.ports.try_bind() else {
            tracing::warn!("SIP: no RTP port free to ring an agent's phone");
            return;
        };
        let ours = Ours { ip: self.config.advertised_ip(), port: socket.port, session_id: u64::from(socket.port) };
        let codec = call.customer_media.as_ref().and_then(Media::codec).unwrap_or(Codec::Pcmu);
        // The phone shows the customer: who calls in, or whom the agent calls.
        let caller = match (&call.outbound, &call.customer) {
            (Some(out), _) => Uri::try_from(format!("sip:{}@{}", out.to, self.config.advertised_ip()).as_str()).ok(),
            (None, Some(customer)) => customer.initial_request().from_header().ok().and_then(|f| f.uri().ok()),
            (None, None) => None,
        }
        .unwrap_or_else(|| self.contact.clone());
        // The agent asked for this call (かける): a phone that honours it answers by itself.
        let headers = matches!(call.phase, Phase::Dialing { .. })
            .then(|| vec![Header::Other("Call-Info".into(), format!("<{}>;answer-after=0", self.contact))]);
        let sip_call = format!("{}-{}", uuid::Uuid::new_v4().simple(), user);
        let offer = ours.offer(codec);
        self.local_sdp.insert(sip_call.clone(), offer.clone());
        let option = InviteOption {
            caller,
            callee: binding.contact.clone(),
            destination: Some(SipAddr::new(binding.transport, binding.source.into())),
            content_type: Some("application/sdp".into()),
            offer: Some(offer),
            contact: self.contact.clone(),
            call_id: Some(sip_call.clone()),
            headers,
            ..Default::default()
        };
        let (dialog, outcome) = match self.dialogs.do_invite_async(option, self.state_sender.clone()) {
            Ok(started) => started,
            Err(e) => {
                tracing::warn!(error = %e, user, "SIP: cannot ring the agent's phone");
                return;
            }
        };
        self.by_sip_call.insert(sip_call, (call_id.to_owned(), Some(user)));
        call.legs.insert(user, AgentLeg { dialog, socket: Some(socket), answered: None });
        let call_id = call_id.to_owned();
        self.when_answered(outcome, move |answered| Event::AgentLeg { call_id, user, answered });
    }

    /// An agent's phone answered, or stopped ringing.
    fn agent_leg(&mut self, call_id: &str, user: UserId, answered: Result<Vec<u8>, Option<StatusCode>>) {
        enum Next {
            Connect,
            End,
            AskRouting,
        }
        let Some(call) = self.calls.get_mut(call_id) else { return };
        let Some(leg) = call.legs.get_mut(&user) else { return };
        let media = match answered.map(|body| sdp::parse(&body, SdpType::Answer)) {
            Ok(Ok(media)) => media,
            Ok(Err(e)) => {
                tracing::warn!(error = %e, user, "SIP: the agent's phone answered with no usable audio");
                self.end_leg(call_id, user);
                return;
            }
            Err(status) => {
                tracing::debug!(?status, user, "SIP: the agent's phone did not answer");
                call.legs.remove(&user);
                if matches!(call.phase, Phase::Dialing { .. }) {
                    // かける with the agent's own phone refusing: the dial fails.
                    return self.dial_failed(call_id, EndReason::Rejected);
                }
                // Declined, busy or cancelled: the widget still rings until the offer ends.
                return;
            }
        };
        leg.answered = Some(media);
        if let Phase::Dialing { agent } = call.phase
            && agent == user
        {
            // The agent is on the line: now the customer is called.
            self.connect(call_id, user);
            return self.place_customer_leg(call_id);
        }
        let next = match call.phase {
            Phase::Connected { agent } if agent == user => Next::Connect,
            Phase::Connected { .. } => Next::End,
            Phase::Waiting if call.connect_when_answered == Some(user) => Next::Connect,
            Phase::Waiting => Next::AskRouting,
            Phase::Dialing { .. } => Next::End,
        };
        match next {
            Next::Connect => self.connect(call_id, user),
            Next::End => self.end_leg(call_id, user),
            Next::AskRouting => {
                // Answered on the phone: that is the agent's 応答. Routing decides whether
                // it still wins the call.
                let routing = self.routing.clone();
                let events = self.events.clone();
                let call_id = call_id.to_owned();
                tokio::spawn(async move {
                    if routing.answer(user, call_id.clone()).await.is_err() {
                        let _ = events.send(Event::AnswerRefused { call_id, user });
                    }
                });
            }
        }
    }

    /// Routing connected the call to `user`.
    fn answer(&mut self, call_id: &str, user: UserId) {
        let Some(call) = self.calls.get(call_id) else { return };
        match (&call.phase, call.answered_early) {
            (Phase::Waiting, false) => self.accept_customer(call_id),
            // The hold music of the wait stops; the agent's voice follows once joined.
            (Phase::Waiting, true) => call.relay.hold(None),
            _ => {}
        }
        let Some(call) = self.calls.get_mut(call_id) else { return };
        call.phase = Phase::Connected { agent: user };
        let others: Vec<UserId> = call.legs.keys().copied().filter(|u| *u != user).collect();
        for other in others {
            self.end_leg(call_id, other);
        }
        match self.calls.get(call_id).and_then(|c| c.legs.get(&user)).map(|l| l.answered.is_some()) {
            Some(true) => self.connect(call_id, user),
            // Answered in the widget while the phone rings: it is connected when the
            // agent picks up.
            Some(false) => {
                if let Some(call) = self.calls.get_mut(call_id) {
                    call.connect_when_answered = Some(user);
                }
            }
            // No phone: the agent has no audio yet (the browser's is issue #20).
            None => {}
        }
    }

    /// Answers the customer's INVITE (200 OK with ringdesk's SDP).
    fn accept_customer(&mut self, call_id: &str) {
        let ip = self.config.advertised_ip();
        let Some(call) = self.calls.get(call_id) else { return };
        let (Some(customer), Some(media)) = (&call.customer, &call.customer_media) else { return };
        let ours = Ours { ip, port: call.relay.customer_port, session_id: u64::from(call.relay.customer_port) };
        let answer = ours.answer(media);
        self.local_sdp.insert(customer.id().call_id.clone(), answer.clone());
        if let Err(e) = customer.accept(Some(vec![sdp_header()]), Some(answer)) {
            tracing::warn!(error = %e, "SIP: cannot answer the customer");
        }
    }

    /// Joins the agent's answered leg to the customer's audio.
    fn connect(&mut self, call_id: &str, user: UserId) {
        let Some(call) = self.calls.get_mut(call_id) else { return };
        let Some(leg) = call.legs.get_mut(&user) else { return };
        if let (Some(socket), Some(media)) = (leg.socket.take(), leg.answered.clone()) {
            call.relay.attach(socket, media);
        }
    }

    /// Ends the leg to `user`'s phone (CANCEL while ringing, BYE once answered).
    fn end_leg(&mut self, call_id: &str, user: UserId) {
        let Some(call) = self.calls.get_mut(call_id) else { return };
        let Some(leg) = call.legs.remove(&user) else { return };
        if call.connect_when_answered == Some(user) {
            call.connect_when_answered = None;
        }
        let dialog = leg.dialog;
        tokio::spawn(async move {
            let _ = dialog.hangup().await;
        });
    }

    /// 強制終了: the agent leaves at once; the customer hears the guidance spoken, then
    /// the call ends.
    fn force_end(&mut self, call_id: &str, message: String) {
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

    fn play_guidance(&mut self, call_id: &str, clip: Option<Arc<Clip>>) {
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

    /// Ends the whole call from ringdesk's side.
    fn hang_up(&mut self, call_id: &str) {
        let Some(call) = self.calls.get(call_id) else { return };
        if let Some(customer) = call.customer.clone() {
            let waiting = matches!(call.phase, Phase::Waiting) && !call.answered_early;
            tokio::spawn(async move {
                if waiting {
                    let _ = customer.reject(Some(StatusCode::TemporarilyUnavailable), None);
                } else {
                    // BYE once answered; CANCEL for an outbound call still ringing.
                    let _ = customer.hangup().await;
                }
            });
        }
        self.forget(call_id);
    }

    /// かける: the agent's phone is called first (and answers by itself where it honours
    /// Call-Info answer-after); once the agent is on the line, the customer is called
    /// through the trunk. An agent without a phone has the customer called at once.
    fn dial(&mut self, call_id: String, outbound: Outbound, user: UserId) {
        let Ok(socket) = self.ports.try_bind() else {
            tracing::warn!("SIP: no RTP port free; a dial failed");
            return self.report_dial_failed(call_id, EndReason::Rejected);
        };
        let relay = Relay::start(socket, self.stats.clone());
        self.calls.insert(
            call_id.clone(),
            Call {
                customer: None,
                customer_media: None,
                outbound: Some(outbound),
                relay,
                phase: Phase::Dialing { agent: user },
                legs: HashMap::new(),
                connect_when_answered: Some(user),
                ending: false,
                answered_early: false,
            },
        );
        if self.registrar.binding(user).is_some() {
            self.ring(&call_id, user);
        } else {
            self.place_customer_leg(&call_id);
        }
    }

    /// The customer's leg of an outbound call: INVITE through the trunk, showing the
    /// chosen caller number (From and P-Asserted-Identity).
    fn place_customer_leg(&mut self, call_id: &str) {
        let ip = self.config.advertised_ip();
        let Some(trunk) = self.config.trunk.first().copied() else {
            tracing::warn!("SIP: no trunk (RINGDESK_SIP_TRUNK) to place a call through");
            return self.dial_failed(call_id, EndReason::Rejected);
        };
        let Some(call) = self.calls.get_mut(call_id) else { return };
        let Some(out) = &call.outbound else { return };
        let port = call.relay.customer_port;
        let ours = Ours { ip, port, session_id: u64::from(port) };
        let offer = ours.offer(Codec::Pcmu);
        let caller = Uri::try_from(format!("sip:{}@{ip}", out.caller_id).as_str());
        let callee = Uri::try_from(format!("sip:{}@{trunk}", out.to).as_str());
        let (Ok(caller), Ok(callee)) = (caller, callee) else {
            return self.dial_failed(call_id, EndReason::Rejected);
        };
        let identity = Header::Other("P-Asserted-Identity".into(), format!("<{caller}>"));
        let sip_call = format!("{}-out", uuid::Uuid::new_v4().simple());
        let credential = self.config.trunk_credentials.as_ref().map(|(user, password)| rsipstack::dialog::authenticate::Credential {
            username: user.clone(),
            password: password.clone(),
            realm: None,
            auth_username: None,
        });
        let option = InviteOption {
            caller,
            callee,
            destination: Some(SipAddr::new(rsipstack::sip::Transport::Udp, trunk.into())),
            content_type: Some("application/sdp".into()),
            offer: Some(offer.clone()),
            contact: self.contact.clone(),
            credential,
            headers: Some(vec![identity]),
            call_id: Some(sip_call.clone()),
            ..Default::default()
        };
        let (dialog, outcome) = match self.dialogs.do_invite_async(option, self.state_sender.clone()) {
            Ok(started) => started,
            Err(e) => {
                tracing::warn!(error = %e, "SIP: cannot place the call through the trunk");
                return self.dial_failed(call_id, EndReason::Rejected);
            }
        };
        call.customer = Some(dialog);
        self.local_sdp.insert(sip_call.clone(), offer);
        self.by_sip_call.insert(sip_call, (call_id.to_owned(), None));
        let call_id = call_id.to_owned();
        self.when_answered(outcome, move |answered| Event::CustomerLeg { call_id, answered });
    }

    /// Waits (in a task of its own) for the outcome of an INVITE ringdesk sent, and tells
    /// the worker: the answer's SDP, or the final status (`None`: no answer at all).
    fn when_answered(
        &self,
        outcome: rsipstack::platform::JoinHandle<rsipstack::dialog::invitation::InviteAsyncResult>,
        event: impl FnOnce(Result<Vec<u8>, Option<StatusCode>>) -> Event + Send + 'static,
    ) {
        let events = self.events.clone();
        tokio::spawn(async move {
            let answered = match outcome.await {
                Ok(Ok((_, Some(resp)))) if resp.status_code.kind() == StatusCodeKind::Successful => Ok(resp.body),
                Ok(Ok((_, resp))) => Err(resp.map(|r| r.status_code)),
                _ => Err(None),
            };
            let _ = events.send(event(answered));
        });
    }

    /// The customer of an outbound call answered, or the call failed with a status.
    fn customer_leg(&mut self, call_id: &str, answered: Result<Vec<u8>, Option<StatusCode>>) {
        let Some(call) = self.calls.get_mut(call_id) else { return };
        let Phase::Dialing { agent } = call.phase else { return };
        match answered.map(|body| sdp::parse(&body, SdpType::Answer)) {
            Ok(Ok(media)) => {
                call.relay.customer(media.clone());
                call.customer_media = Some(media);
                call.phase = Phase::Connected { agent };
                let routing = self.routing.clone();
                let call_id = call_id.to_owned();
                tokio::spawn(async move { routing.outbound_answered(call_id).await });
            }
            Ok(Err(e)) => {
                tracing::warn!(error = %e, "SIP: the customer answered with no usable audio");
                self.hang_up(call_id);
                self.report_dial_failed(call_id.to_owned(), EndReason::Rejected);
            }
            Err(status) => self.dial_failed(call_id, dial_outcome(status)),
        }
    }

    /// Ends an outbound call that did not connect, and tells routing how.
    fn dial_failed(&mut self, call_id: &str, reason: EndReason) {
        self.forget(call_id);
        self.report_dial_failed(call_id.to_owned(), reason);
    }

    fn report_dial_failed(&self, call_id: String, reason: EndReason) {
        let routing = self.routing.clone();
        tokio::spawn(async move { routing.outbound_failed(call_id, reason).await });
    }

    /// Forgets a call: its phones' legs end, its relay stops, its ports come back.
    fn forget(&mut self, call_id: &str) {
        let users: Vec<UserId> = self.calls.get(call_id).map(|c| c.legs.keys().copied().collect()).unwrap_or_default();
        for user in users {
            self.end_leg(call_id, user);
        }
        self.calls.remove(call_id);
        let local_sdp = &mut self.local_sdp;
        self.by_sip_call.retain(|sip_call, (c, _)| {
            let keep = c != call_id;
            if !keep {
                local_sdp.remove(sip_call);
            }
            keep
        });
    }

    /// A dialog of a call is up (or changed): it is kept, so that a restarted server can
    /// end it.
    fn keep(&self, id: &rsipstack::dialog::DialogId) {
        let Some((call_id, _)) = self.by_sip_call.get(&id.call_id) else { return };
        let Some(rsipstack::dialog::dialog::Dialog::Invite(dialog)) = self.dialogs.get_dialog(id) else { return };
        let Ok(kept) = serde_json::to_string(&KeptDialog::of(&dialog.snapshot())) else { return };
        let (store, sip_call, call_id) = (self.store.clone(), id.call_id.clone(), call_id.clone());
        tokio::spawn(async move {
            if let Err(e) = store.keep_sip_dialog(&sip_call, &call_id, kept).await {
                tracing::error!(error = %e, "SIP: a dialog could not be kept; a restart would leave it open");
            }
        });
    }

    fn dialog_state(&mut self, state: DialogState) {
        // Requests within a call are answered, never left to time out: a re-INVITE (a
        // phone's own hold, a session refresh) gets ringdesk's SDP again; ringdesk keeps
        // the audio flowing its own way (the relay follows where RTP comes from).
        let answer = |handle: rsipstack::dialog::dialog::TransactionHandle, status: StatusCode, body: Option<Vec<u8>>| {
            let headers = body.as_ref().map(|_| vec![sdp_header()]);
            tokio::spawn(async move {
                let _ = handle.respond(status, headers, body).await;
            });
        };
        let (id, reason) = match state {
            DialogState::Terminated(id, reason) => {
                let store = self.store.clone();
                let sip_call = id.call_id.clone();
                tokio::spawn(async move { store.forget_sip_dialog(&sip_call).await });
                (id, reason)
            }
            DialogState::Confirmed(id, _) => return self.keep(&id),
            DialogState::Updated(id, request, handle) => {
                let sdp = (request.method == Method::Invite).then(|| self.local_sdp.get(&id.call_id).cloned()).flatten();
                return answer(handle, StatusCode::OK, sdp);
            }
            DialogState::Options(_, _, h) | DialogState::Info(_, _, h) | DialogState::Notify(_, _, h) | DialogState::Message(_, _, h) => {
                return answer(h, StatusCode::OK, None);
            }
            DialogState::Refer(_, _, h) | DialogState::Publish(_, _, h) => return answer(h, StatusCode::Decline, None),
            _ => return,
        };
        self.dialogs.remove_dialog(&id);
        let Some((call_id, leg)) = self.by_sip_call.get(&id.call_id).cloned() else { return };
        match leg {
            None => {
                // The customer hung up (BYE) or gave up waiting (CANCEL). An outbound call
                // still ringing ends through its outcome (busy, no answer…) instead.
                match self.calls.get(&call_id) {
                    None | Some(Call { phase: Phase::Dialing { .. }, .. }) => return,
                    Some(_) => {}
                }
                tracing::debug!(call = call_id, ?reason, "SIP: the customer left");
                self.forget(&call_id);
                let routing = self.routing.clone();
                tokio::spawn(async move { routing.customer_hangup(call_id).await });
            }
            Some(user) => {
                let Some(call) = self.calls.get_mut(&call_id) else { return };
                let connected_to_them = matches!(call.phase, Phase::Connected { agent } if agent == user);
                let was_leg = call.legs.remove(&user).is_some();
                self.by_sip_call.remove(&id.call_id);
                if connected_to_them && was_leg && matches!(reason, TerminatedReason::UasBye) {
                    // The agent hung up their phone: 終話.
                    let routing = self.routing.clone();
                    tokio::spawn(async move {
                        let _ = routing.hang_up(user, call_id).await;
                    });
                }
            }
        }
    }
}

/// How a dial that was not answered ended, from the carrier's final status.
fn dial_outcome(status: Option<StatusCode>) -> EndReason {
    match status.map(u16::from) {
        Some(486 | 600) => EndReason::Busy,
        Some(408 | 480 | 487) | None => EndReason::NoAnswer,
        _ => EndReason::Rejected,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_carriers_final_status_is_the_dials_outcome() {
        assert_eq!(dial_outcome(Some(StatusCode::BusyHere)), EndReason::Busy);
        assert_eq!(dial_outcome(Some(StatusCode::TemporarilyUnavailable)), EndReason::NoAnswer);
        assert_eq!(dial_outcome(Some(StatusCode::RequestTimeout)), EndReason::NoAnswer);
        assert_eq!(dial_outcome(Some(StatusCode::Decline)), EndReason::Rejected);
        assert_eq!(dial_outcome(Some(StatusCode::Forbidden)), EndReason::Rejected);
    }
}
