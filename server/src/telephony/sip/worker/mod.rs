//! The SIP worker: one task that owns every SIP call (the customer's dialog, the legs to
//! agents' phones, the relay of their audio) and carries out what routing asks. It never
//! waits on the network itself: sending, and asking routing, happen in tasks of their
//! own whose outcomes come back to it as events.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use app::domain::HoldMusic;
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

use super::Work;
use super::addressing;
use super::digest::{self, Nonces, Verdict};
use super::kept::KeptDialog;
use super::media::{Clip, PortPool, Relay, RelayStats, RtpSocket};
use super::registrar::{Registrar, answer_of, source_of};
use super::sdp::{self, Codec, Media, Ours};
use super::speech::Speech;
use super::stack::Stack;
use crate::config::SipConfig;
use crate::routing::state::{IncomingError, Queued};
use crate::routing::{CallId, RoutingHandle};
use crate::store::Store;
use crate::throttle::Throttle;

mod consult;
mod inbound;
mod outbound;
mod phones;
mod playback;

use super::media::End;
use consult::Consult;
use outbound::Outbound;
use phones::{AgentLeg, Invited};

pub struct Setup {
    pub config: SipConfig,
    pub stack: Stack,
    pub routing: RoutingHandle,
    pub store: Store,
    pub region: phonenumber::country::Id,
    pub media_dir: PathBuf,
    pub stats: Arc<RelayStats>,
    pub speech: Speech,
    /// Agents who talk in the browser: their calls' audio goes to their phone window.
    pub browser: crate::telephony::browser::BrowserPhones,
}

/// What the worker hears besides routing's work.
enum Event {
    Work(Work),
    // Boxed: a transaction and a dialog state are large, and every event would be as
    // large as the largest.
    Request(Box<Transaction>),
    Dialog(Box<DialogState>),
    /// Routing's answer to a call that came in.
    Queued {
        call_id: CallId,
        result: Option<Result<Queued, IncomingError>>,
    },
    /// An agent's phone answered (with its SDP) or did not (with the status).
    AgentLeg {
        call_id: CallId,
        user: UserId,
        answered: Result<Vec<u8>, Option<StatusCode>>,
    },
    /// The customer of an outbound call answered (with their SDP), or not (the status).
    CustomerLeg {
        call_id: CallId,
        answered: Result<Vec<u8>, Option<StatusCode>>,
    },
    /// A consult's target answered (with their SDP) or did not (with the status).
    ConsultLeg {
        call_id: CallId,
        leg_id: CallId,
        answered: Result<Vec<u8>, Option<StatusCode>>,
    },
    /// Routing refused an answer made on a phone: the leg ends.
    AnswerRefused {
        call_id: CallId,
        user: UserId,
    },
    /// 強制終了's guidance is ready to play (or could not be spoken: `None`).
    Spoken {
        call_id: CallId,
        clip: Option<Arc<Clip>>,
    },
    /// The guidance has been played: the call ends.
    Played {
        call_id: CallId,
    },
    /// A tenant's own hold music was read from the store (`None`: it could not be).
    MusicLoaded {
        music: HoldMusic,
        clip: Option<Arc<Clip>>,
    },
}

enum Phase {
    /// In the queue or ringing at an agent: the customer hears ringback.
    Waiting,
    /// かける: the agent's phone is called, then the customer; not yet answered.
    Dialing { agent: UserId },
    /// Routing connected the call to `agent`; the customer is answered.
    Connected { agent: UserId },
    /// Transferred to a number outside: the call has left routing, and the customer
    /// talks to the consult's target through ringdesk until either hangs up.
    TransferredOut,
}

/// Who is on the other end of one of a call's dialogs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Party {
    Customer,
    /// An agent's phone, rung for the call or connected to it.
    Agent(UserId),
    /// The target of the call's consult.
    Consult,
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
    /// A consult under way (or, once transferred out, the leg to the number outside).
    consult: Option<Consult>,
    /// The hold music the customer hears, while held.
    held_with: Option<HoldMusic>,
}

struct Worker {
    config: SipConfig,
    dialogs: Arc<rsipstack::dialog::dialog_layer::DialogLayer>,
    state_sender: rsipstack::dialog::dialog::DialogStateSender,
    routing: RoutingHandle,
    registrar: Registrar,
    region: phonenumber::country::Id,
    media_dir: PathBuf,
    music: HashMap<HoldMusic, Arc<Clip>>,
    /// Tenants' own hold music being read from the store.
    loading: std::collections::HashSet<HoldMusic>,
    ports: PortPool,
    stats: Arc<RelayStats>,
    events: mpsc::UnboundedSender<Event>,
    speech: Speech,
    store: Store,
    browser: crate::telephony::browser::BrowserPhones,
    /// Digest challenges to a carrier calling from an address not its trunk's, and how
    /// its failures are slowed.
    carrier_nonces: Nonces,
    carrier_throttle: Throttle<std::net::IpAddr>,
    calls: HashMap<CallId, Call>,
    /// SIP Call-IDs of a call's dialogs, to ringdesk's call and who is on the other end.
    by_sip_call: HashMap<String, (CallId, Party)>,
    /// Consult legs, to the call they belong to.
    by_leg: HashMap<CallId, CallId>,
    /// ringdesk's SDP in each dialog, by SIP Call-ID: the answer to a re-INVITE.
    local_sdp: HashMap<String, Vec<u8>>,
    contact: Uri,
}

pub fn spawn(setup: Setup, mut work: mpsc::UnboundedReceiver<Work>) {
    let Setup { config, stack, routing, store, region, media_dir, stats, speech, browser } = setup;
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
        loading: Default::default(),
        stats,
        events: events.clone(),
        speech,
        store,
        browser,
        carrier_nonces: Nonces::new(rand::random()),
        carrier_throttle: Throttle::new(super::registrar::GUESSING_WAIT_MAX_MS),
        calls: HashMap::new(),
        by_sip_call: HashMap::new(),
        by_leg: HashMap::new(),
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
            Event::ConsultLeg { call_id, leg_id, answered } => self.consult_leg(&call_id, &leg_id, answered),
            Event::AnswerRefused { call_id, user } => match self.by_leg.get(&call_id).cloned() {
                Some(call_id) => self.drop_consult_phone(&call_id),
                None => self.end_leg(&call_id, user),
            },
            Event::CustomerLeg { call_id, answered } => self.customer_leg(&call_id, answered),
            Event::Spoken { call_id, clip } => self.play_guidance(&call_id, clip),
            Event::Played { call_id } => self.hang_up(&call_id),
            Event::MusicLoaded { music, clip } => self.music_loaded(music, clip),
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

    fn work(&mut self, work: Work) {
        match work {
            Work::Ring { call_id, user } => self.ring(&call_id, user),
            Work::Dial { call_id, caller_id, to, user } => self.dial(call_id, Outbound { to, caller_id }, user),
            Work::StopRinging { call_id, user } => self.end_leg(&call_id, user),
            Work::Answer { call_id, user } => match self.by_leg.get(&call_id).cloned() {
                Some(customer_call) => self.consult_taken(&customer_call, &call_id),
                None => self.answer(&call_id, user),
            },
            Work::HangUp { call_id } => self.hang_up(&call_id),
            Work::Hold { call_id, music } => self.hold(&call_id, music),
            Work::ForceEnd { call_id, message } => self.force_end(&call_id, message),
            Work::Consult { call_id, leg_id, target, caller_id, agent } => {
                self.consult(&call_id, leg_id, &target, &caller_id, agent)
            }
            Work::EndConsult { call_id } => self.end_consult(&call_id),
            Work::Transfer { call_id } => self.transfer(&call_id),
        }
    }

    /// Ends the whole call from ringdesk's side.
    fn hang_up(&mut self, call_id: &CallId) {
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

    /// Forgets a call: its phones' legs end, its relay stops, its ports come back.
    fn forget(&mut self, call_id: &CallId) {
        let users: Vec<UserId> = self.calls.get(call_id).map(|c| c.legs.keys().copied().collect()).unwrap_or_default();
        for user in users {
            self.end_leg(call_id, user);
        }
        if let Some(consult) = self.calls.remove(call_id).and_then(|c| c.consult) {
            self.by_leg.remove(&consult.leg_id);
            consult.hang_up();
        }
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
        let answer =
            |handle: rsipstack::dialog::dialog::TransactionHandle, status: StatusCode, body: Option<Vec<u8>>| {
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
                let sdp =
                    (request.method == Method::Invite).then(|| self.local_sdp.get(&id.call_id).cloned()).flatten();
                return answer(handle, StatusCode::OK, sdp);
            }
            DialogState::Options(_, _, h)
            | DialogState::Info(_, _, h)
            | DialogState::Notify(_, _, h)
            | DialogState::Message(_, _, h) => {
                return answer(h, StatusCode::OK, None);
            }
            DialogState::Refer(_, _, h) | DialogState::Publish(_, _, h) => return answer(h, StatusCode::Decline, None),
            _ => return,
        };
        self.dialogs.remove_dialog(&id);
        let Some((call_id, leg)) = self.by_sip_call.get(&id.call_id).cloned() else { return };
        match leg {
            Party::Consult => {
                self.by_sip_call.remove(&id.call_id);
                self.consult_target_left(&call_id, &id.call_id, &reason);
            }
            Party::Customer => {
                // The customer hung up (BYE) or gave up waiting (CANCEL). An outbound call
                // still ringing ends through its outcome (busy, no answer…) instead.
                match self.calls.get(&call_id) {
                    None | Some(Call { phase: Phase::Dialing { .. }, .. }) => return,
                    Some(_) => {}
                }
                tracing::debug!(call = %call_id, ?reason, "SIP: the customer left");
                self.forget(&call_id);
                let routing = self.routing.clone();
                tokio::spawn(async move { routing.customer_hangup(call_id).await });
            }
            Party::Agent(user) => {
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
