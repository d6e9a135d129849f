//! The routing task's loop: decide on the live state, record the decision in the store,
//! apply it, then tell telephony, timers and browsers. A decision the store refuses
//! changes nothing. The commands already waiting are taken together and their decisions
//! committed at once (`batch.rs`); what the outside world is told waits for the commit.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use app::error::AppError;
use app::model::{TicketId, UserId};
use tokio::sync::{mpsc, oneshot, watch};
use tokio_util::sync::CancellationToken;

use super::batch::{After, Batch};
use super::change::{CallId, Change, Decision};
use super::handle::{RoutingHandle, Spawn, Task};
use super::lease::Cluster;
use super::remote::Remote;
use super::request::{Answer, Command, Request};
use super::roster::Revocation;
use super::state::RoutingState;
use crate::push::{Hub, Tell};
use crate::store::agents::{Lines, Scope};
use crate::store::leases::Lease;
use crate::store::{Store, now_ms};
use crate::telephony::Telephony;

/// Commands waiting for a routing task; senders wait when it is full.
const MAILBOX: usize = 4096;

pub(super) struct Actor {
    pub(super) state: RoutingState,
    /// Whose state this is (`None`: the task answering for no tenant known).
    tenant: Option<i32>,
    store: Store,
    pub(super) telephony: Arc<dyn Telephony>,
    hub: Hub,
    /// This task's own mailbox, for its timers.
    me: Task,
    /// All of routing, to say where this tenant's calls are.
    routing: RoutingHandle,
    batch: Batch,
    /// Another instance holds this tenant's lease now: the task stops.
    fenced: bool,
    /// In a cluster: the other instances, told what this task tells its browsers.
    remote: Option<Arc<dyn Remote>>,
    /// In a cluster: whether the lease was lost (its keeper says so).
    lease: Option<watch::Receiver<bool>>,
}

/// Routing, before it runs.
pub struct Mailbox {
    routing: RoutingHandle,
}

/// Opens routing first: the telephony provider needs the handle to report its
/// customers' actions, and routing needs the provider's calls to recover its state.
/// Commands sent before `run` wait for it.
pub fn channel() -> (RoutingHandle, Mailbox) {
    let routing = RoutingHandle::new();
    (routing.clone(), Mailbox { routing })
}

/// Starts routing on a state loaded from the store: a task per tenant.
pub fn run(mailbox: Mailbox, mut state: RoutingState, store: Store, hub: Hub, telephony: Arc<dyn Telephony>) {
    state.needs_phones = telephony.needs_phones();
    let parts = state.split_by_tenant();
    mailbox.routing.start(Box::new(Spawner { store, hub, telephony, cluster: None }), parts, &[]);
}

/// Starts routing as one instance among others on one PostgreSQL: a task for each
/// tenant whose lease this instance takes (`lease.rs`), reading the tenant's state
/// once it holds it.
pub async fn run_in_cluster(
    mailbox: Mailbox,
    store: Store,
    hub: Hub,
    telephony: Arc<dyn Telephony>,
    cluster: Cluster,
    remote: Arc<dyn Remote>,
) -> Result<(), crate::store::StoreError> {
    let lines = store.service_lines().await?;
    let claimer = (store.clone(), cluster.clone());
    let spawner = Spawner { store, hub, telephony, cluster: Some((cluster, remote)) };
    mailbox.routing.start(Box::new(spawner), HashMap::new(), &lines);
    super::lease::claim(mailbox.routing, claimer.0, claimer.1);
    Ok(())
}

/// Routing in the telephone system's own process (`RINGDESK_ROLE=telephony`): it
/// routes no tenant, and sends what its customers do to the instance that routes their
/// tenant. (Commands naming nothing known are answered here, as anywhere.)
pub async fn run_relay(
    mailbox: Mailbox,
    store: Store,
    hub: Hub,
    telephony: Arc<dyn Telephony>,
    cluster: Cluster,
    remote: Arc<dyn Remote>,
) -> Result<(), crate::store::StoreError> {
    let lines = store.service_lines().await?;
    let spawner = Spawner { store, hub, telephony, cluster: Some((cluster, remote)) };
    mailbox.routing.start(Box::new(spawner), HashMap::new(), &lines);
    Ok(())
}

/// What starts a tenant's routing task: at start-up with its part of the state loaded
/// for all; later (a tenant created since, or, in a cluster, one whose lease this
/// instance takes) reading its state from the store.
pub(super) struct Spawner {
    store: Store,
    hub: Hub,
    telephony: Arc<dyn Telephony>,
    cluster: Option<(Cluster, Arc<dyn Remote>)>,
}

impl Spawn for Spawner {
    fn clustered(&self) -> bool {
        self.cluster.is_some()
    }

    fn store(&self) -> &Store {
        &self.store
    }

    fn remote(&self) -> Option<&Arc<dyn Remote>> {
        self.cluster.as_ref().map(|(_, remote)| remote)
    }

    fn spawn(&self, routing: RoutingHandle, tenant: Option<i32>, state: Option<RoutingState>) -> Task {
        let (tx, rx) = mpsc::channel(MAILBOX);
        let me = Task::new(tx);
        // Alive from now: a tenant's state being read is not a routing that stopped.
        me.health().started();
        let start = Start {
            store: self.store.clone(),
            hub: self.hub.clone(),
            telephony: self.telephony.clone(),
            cluster: self.cluster.clone(),
            routing: routing.clone(),
            me: me.clone(),
            tenant,
            state,
        };
        match self.cluster {
            Some(_) => routing.spawn_leased(serve_task(start, rx)),
            None => drop(tokio::spawn(serve_task(start, rx))),
        }
        me
    }
}

/// What one routing task starts from.
struct Start {
    store: Store,
    hub: Hub,
    telephony: Arc<dyn Telephony>,
    cluster: Option<(Cluster, Arc<dyn Remote>)>,
    routing: RoutingHandle,
    me: Task,
    tenant: Option<i32>,
    /// Its part of the state loaded at start-up; `None`: read it from the store.
    state: Option<RoutingState>,
}

/// Why a routing task ended.
#[derive(Debug, PartialEq, Eq)]
enum End {
    /// Every sender is gone.
    Closed,
    /// The instance is stopping.
    Stopping,
    /// Another instance holds the tenant's lease now.
    LeaseLost,
}

/// One routing task, from reading its state (in a cluster, once it holds the
/// tenant's lease) to its end.
async fn serve_task(start: Start, rx: mpsc::Receiver<Command>) {
    let Start { store, hub, telephony, cluster, routing, me, tenant, state } = start;
    let (cluster, remote) = cluster.unzip();
    let lease = match (&cluster, tenant, &state) {
        (Some(cluster), Some(tenant), None) => match store.take_lease(tenant, &cluster.owner, cluster.ttl_ms()).await {
            Ok(Some(lease)) => Some(lease),
            Ok(None) => return routing.forget(tenant, &me),
            Err(e) => {
                tracing::warn!(error = %e, tenant, "routing: cannot take the tenant's lease");
                return routing.forget(tenant, &me);
            }
        },
        _ => None,
    };
    // Work sent to a telephone system apart carries the lease's epoch, for it to refuse
    // an owner that has been fenced out.
    let telephony = match lease {
        Some(lease) => telephony.for_routing(lease.tenant_id, lease.epoch).unwrap_or(telephony),
        None => telephony,
    };
    let lost = match (&cluster, lease) {
        (Some(cluster), Some(lease)) => Some(super::lease::keep(store.clone(), cluster.clone(), lease)),
        _ => None,
    };
    let mut state = match (state, tenant) {
        (Some(state), _) => state,
        (None, Some(tenant)) => {
            let Some(state) = load(&store, telephony.as_ref(), tenant, lease).await else {
                return routing.forget(tenant, &me);
            };
            routing.learn(tenant, &state);
            if let (Some(remote), Some(_)) = (&remote, lease) {
                // Taken over: the widgets open anywhere are told again.
                remote.taken(tenant);
                let routing = routing.clone();
                tokio::spawn(async move { routing.reannounce(tenant).await });
            }
            state
        }
        (None, None) => RoutingState { reading: store.reading, ..RoutingState::default() },
    };
    state.needs_phones = telephony.needs_phones();
    let mut batch = Batch::default();
    batch.lease = lease;
    // Other instances' commands for the tenant, while this task routes it.
    let serving = routing.stopping().child_token();
    if let (Some(remote), Some(tenant), Some(_)) = (&remote, tenant, lease) {
        remote.serve(tenant, serving.clone());
    }
    let _serving = serving.drop_guard();
    let mut actor = Actor {
        state,
        tenant,
        store,
        telephony,
        hub,
        me: me.clone(),
        routing: routing.clone(),
        batch,
        fenced: false,
        remote: remote.filter(|_| lease.is_some()),
        lease: lost.clone(),
    };
    me.health().routing();
    actor.begin().await;
    let end = actor.serve(rx, lost, routing.stopping()).await;
    match (tenant, lease, cluster) {
        (Some(tenant), Some(lease), Some(cluster)) => {
            if end == End::Stopping
                && let Err(e) = actor.store.release_lease(lease, &cluster.owner).await
            {
                tracing::warn!(error = %e, tenant, "routing: cannot give the lease up; it runs out instead");
            }
            // Commands still waiting here are answered `Internal`; the next go to
            // whoever holds the tenant.
            routing.forget(tenant, &me);
        }
        _ if end == End::Closed => me.health().stopped(),
        _ => {}
    }
}

/// Answers when the lease kept in `lost` is lost; never without one.
async fn lease_lost(lost: &mut Option<watch::Receiver<bool>>) {
    match lost {
        Some(lost) => {
            let _ = lost.wait_for(|lost| *lost).await;
        }
        None => std::future::pending().await,
    }
}

/// `tenant`'s routing state from the store, as a restart reads it: connected calls are
/// closed as `server_restart` (and their lines dropped), waiting calls queue again —
/// except where the telephone system is a process apart that outlived the last owner:
/// there the calls it still holds connected carry on. `None`: the lease passed to
/// another instance meanwhile, and nothing was written. If the store cannot be read,
/// the process exits for its supervisor to restart it.
async fn load(store: &Store, telephony: &dyn Telephony, tenant: i32, lease: Option<Lease>) -> Option<RoutingState> {
    let waiting = telephony.waiting_calls().await;
    let outlived = telephony.outlives_routing();
    let connected: Vec<CallId> = match outlived {
        true => telephony.calls_up().await.into_iter().filter(|id| !waiting.contains(id)).collect(),
        false => Vec::new(),
    };
    let lines = Lines { waiting: &waiting, connected: &connected, outlived };
    match store.load_routing_carrying(now_ms(), lines, Scope::Tenant(tenant), lease).await {
        Ok((state, closed)) => {
            tracing::info!(
                tenant,
                epoch = lease.map(|l| l.epoch),
                waiting = waiting.len(),
                connected = connected.len(),
                carried = state.calls.len(),
                closed = closed.len(),
                "routing: the tenant's state read"
            );
            for call_id in &closed {
                telephony.drop_call(call_id).await;
            }
            Some(state)
        }
        Err(crate::store::StoreError::Fenced(_)) => {
            tracing::warn!(tenant, "routing: fenced out while reading the tenant; another instance routes it");
            None
        }
        Err(e) => {
            tracing::error!(error = %e, tenant, "routing: a tenant's state cannot be read; exiting for a restart");
            std::process::exit(70);
        }
    }
}

impl Actor {
    /// Takes commands until the task ends: the commands already waiting behind the one
    /// it was woken for are committed together (`batch.rs`).
    async fn serve(
        &mut self,
        mut rx: mpsc::Receiver<Command>,
        mut lost: Option<watch::Receiver<bool>>,
        stopping: CancellationToken,
    ) -> End {
        loop {
            let first = tokio::select! {
                command = rx.recv() => match command {
                    Some(command) => command,
                    None => return End::Closed,
                },
                _ = lease_lost(&mut lost) => return End::LeaseLost,
                _ = stopping.cancelled() => return End::Stopping,
            };
            let mut next = Some(first);
            let mut taken = 0;
            while let Some(command) = next.take() {
                self.step(command).await;
                taken += 1;
                if taken < super::batch::MOST && !self.fenced {
                    next = rx.try_recv().ok();
                }
            }
            let _ = self.flush().await;
            if self.fenced {
                return End::LeaseLost;
            }
        }
    }

    /// Every agent is shown their state; calls recovered from before a restart are
    /// offered at once.
    async fn begin(&mut self) {
        let now = now_ms();
        for user in self.state.agents.keys().copied().collect::<Vec<_>>() {
            self.publish(user, now);
            // No widget is open yet: agents who do not come back are away in a while.
            self.widget_closed(user, now);
            // After-call work from before the restart still ends at its limit.
            self.start_wrapup_timer(user);
        }
        for service in self.state.lines.iter().map(|l| l.service_id).collect::<Vec<_>>() {
            self.publish_queue(service);
        }
        self.offer_waiting_calls().await;
        let _ = self.flush().await;
    }

    /// One command, and what follows from any command.
    async fn step(&mut self, command: Command) {
        use futures::FutureExt;
        let step = std::panic::AssertUnwindSafe(async {
            self.handle(command).await;
            self.retire_after_calls().await;
            self.supervise_after_calls().await;
            self.offer_waiting_calls().await;
        });
        if step.catch_unwind().await.is_err() {
            // The decisions recorded before it stand. The live state may be half
            // changed: it is read again from the store. The command's caller is told
            // `Internal` (its reply was dropped).
            if self.flush().await.is_ok() {
                self.recover().await;
            }
        }
    }

    /// Commits the batch, then carries out what waited for it: the telephone system's
    /// part and timers, browsers' views, replies, in the order they were decided. Not
    /// committed, routing reads its state again from the store (what waited is
    /// dropped; callers are told `Internal`).
    async fn flush(&mut self) -> Result<(), AppError> {
        match self.batch.commit().await {
            Ok(done) => {
                if done.decisions > 0 {
                    self.me.health().committed(done.decisions, done.held);
                }
                self.carry_out(done.after).await;
                Ok(())
            }
            Err(e) => {
                tracing::error!(error = %e, "routing: a batch of decisions did not commit; reading the state again");
                self.recover().await;
                if let Ok(done) = self.batch.commit().await {
                    self.carry_out(done.after).await;
                }
                Err(AppError::Internal)
            }
        }
    }

    async fn carry_out(&mut self, after: Vec<After>) {
        let mut told = Vec::new();
        for a in after {
            match a {
                After::Change(change) => self.carry_out_change(change).await,
                After::Tell(tell) => {
                    if self.remote.is_some() {
                        told.push(tell.clone());
                    }
                    self.hub.tell(tell);
                }
                After::Reply(answer) => answer(),
            }
        }
        if let (Some(remote), Some(tenant), false) = (&self.remote, self.tenant, told.is_empty()) {
            remote.tell(tenant, told);
        }
    }

    /// The telephone system's part of a committed change, and the timers it starts.
    async fn carry_out_change(&mut self, change: Change) {
        let now = now_ms();
        match change {
            Change::CallOffered { call_id, agent, deadline_ms } => {
                self.start_ring_timer(call_id.clone(), agent, deadline_ms - now);
                self.telephony.ring_agent(&call_id, agent).await;
            }
            Change::CallReturned { call_id, missed_by } => {
                self.telephony.stop_ringing(&call_id, missed_by).await;
            }
            Change::ConsultStarted {
                leg_id,
                target: super::change::ConsultTarget::Agent { user_id },
                deadline_ms,
                ..
            } => {
                self.start_ring_timer(leg_id, user_id, deadline_ms - now);
            }
            Change::ConsultEnded { call_id, .. } => self.telephony.consult_ended(&call_id).await,
            Change::Status { user, to: app::domain::AgentStatus::Wrapup, .. } => self.start_wrapup_timer(user),
            _ => {}
        }
    }

    /// The telephone system, once the decisions waiting are committed: a line never
    /// changes ahead of a decision made before it, and the simulator keeps its lines in
    /// the same store (SQLite writes one transaction at a time).
    pub(super) async fn line(&mut self) -> Result<Arc<dyn Telephony>, AppError> {
        // A task that lost its lease (an instance that froze, and woke up) changes no
        // line: the tenant's new owner does. It stops after this batch.
        if self.lease.as_ref().is_some_and(|lost| *lost.borrow()) {
            self.fenced = true;
        }
        if self.fenced {
            return Err(AppError::Internal);
        }
        self.flush().await?;
        Ok(self.telephony.clone())
    }

    /// Answers a command once its batch commits (if anyone waits for the answer).
    fn reply(&mut self, reply: Option<oneshot::Sender<Answer>>, answer: Answer) {
        // Fenced out, this task answers nothing: its answers would be refusals of what
        // the tenant's new owner may well carry out. Unanswered, a command sent from
        // another instance is sent again to the new owner; a local one fails.
        if self.fenced {
            return;
        }
        if let Some(reply) = reply {
            self.batch.later(After::Reply(Box::new(move || {
                let _ = reply.send(answer);
            })));
        }
    }

    async fn handle(&mut self, command: Command) {
        let Command { request, reply } = command;
        match request {
            Request::View { user } => {
                let view = self.state.view(user, now_ms());
                self.reply(reply, Answer::View(view));
            }
            Request::Act { user, action } => {
                let result = match self.state.decide_act(user, action) {
                    Ok(changes) => self.commit(changes).await.and_then(|_| self.view(user)),
                    Err(e) => Err(e),
                };
                self.reply(reply, Answer::Acted(result));
            }
            Request::Supervise { by, scope, user, set } => {
                let result = match self.state.decide_supervise(by, scope, user, set) {
                    Ok(changes) => self.commit(changes).await.map(|_| ()),
                    Err(e) => Err(e),
                };
                self.reply(reply, Answer::Supervised(result));
            }
            Request::Answer { user, call_id } => {
                let result = self.answer(user, &call_id).await;
                self.reply(reply, Answer::Answered(result));
            }
            Request::HangUp { user, call_id } => {
                let result = self.hang_up(user, &call_id).await;
                self.reply(reply, Answer::Acted(result));
            }
            Request::Hold { user, call_id, held } => {
                let result = self.hold(user, &call_id, held).await;
                self.reply(reply, Answer::Acted(result));
            }
            Request::ForceEnd { user, call_id, message } => {
                let result = self.force_end(user, &call_id, &message).await;
                self.reply(reply, Answer::Acted(result));
            }
            Request::Consult { user, call_id, target } => {
                let result = self.consult(user, &call_id, target).await;
                self.reply(reply, Answer::Acted(result));
            }
            Request::ConnectCustomer { user, call_id } => {
                let result = self.connect_customer(user, &call_id).await;
                self.reply(reply, Answer::Acted(result));
            }
            Request::CancelConsult { user, call_id } => {
                let result = self.cancel_consult(user, &call_id).await;
                self.reply(reply, Answer::Acted(result));
            }
            Request::Snapshot { user } => {
                let tells = self.snapshot(user);
                self.reply(reply, Answer::Tells(tells));
            }
            Request::Floor { .. } => {
                let tells = self.floor();
                self.reply(reply, Answer::Tells(tells));
            }
            Request::ReadyColleagues { user } => {
                let colleagues = self.state.ready_colleagues(user);
                self.reply(reply, Answer::Colleagues(colleagues));
            }
            Request::Incoming { call_id, from, to } => {
                let id = call_id.clone();
                let result = match self.state.decide_incoming(call_id, &from, &to) {
                    Ok(changes) => match self.commit(changes).await {
                        Ok(_) => Ok(self.state.queued(&id)),
                        Err(_) => Err(super::state::IncomingError::Unavailable),
                    },
                    Err(e) => Err(e),
                };
                if result.is_err() {
                    // Refused: telephony's reports on it are for no one.
                    self.sync_calls(vec![id]);
                }
                self.reply(reply, Answer::Queued(result));
            }
            Request::CustomerHangup { call_id } => {
                if let Some(leg) = self.state.external_leg(&call_id) {
                    // The customer left during a consult with a number outside.
                    if let Ok(line) = self.line().await {
                        let _ = line.hang_up(&leg).await;
                    }
                }
                if let Some(changes) = self.state.decide_customer_hangup(&call_id) {
                    let _ = self.commit(changes).await;
                }
                self.reply(reply, Answer::Done);
            }
            Request::Dial { user, to, caller_number } => {
                let result = self.dial(user, to, caller_number).await;
                self.reply(reply, Answer::Dialled(result));
            }
            Request::OutboundAnswered { call_id } => {
                if let Some(changes) = self.state.decide_outbound_answered(&call_id) {
                    let _ = self.commit(changes).await;
                }
            }
            Request::OutboundFailed { call_id, reason } => {
                if let Some(changes) = self.state.dial_failed(&call_id, reason) {
                    let _ = self.commit(changes).await;
                }
            }
            Request::TenantPhone { tenant_id, phone } => {
                self.state.tenants.insert(tenant_id, phone);
                // Their widgets show the rules that follow from the settings.
                let now = now_ms();
                let agents: Vec<UserId> =
                    self.state.agents.values().filter(|a| a.tenant_id == tenant_id).map(|a| a.user_id).collect();
                for user in agents {
                    self.publish(user, now);
                    // A new 後処理の上限 applies at once, to after-call work under way too.
                    self.start_wrapup_timer(user);
                }
                self.reply(reply, Answer::Done);
            }
            Request::Agent { user, profile: Some(profile) } => {
                self.state.set_profile(user, profile, now_ms());
                self.publish(user, now_ms());
                self.reply(reply, Answer::Done);
            }
            Request::Agent { user, profile: None } => {
                match self.state.decide_revoke(user) {
                    Revocation::Now(changes) => self.retire(user, changes).await,
                    Revocation::AfterCall => {
                        if let Some(a) = self.state.agents.get_mut(&user) {
                            a.retiring = true;
                        }
                    }
                    Revocation::Nothing => {}
                }
                self.reply(reply, Answer::Done);
            }
            Request::CallerNumbers { service_id, numbers } => {
                self.state.caller_numbers.insert(service_id, numbers);
                self.reply(reply, Answer::Done);
            }
            // Sent from another instance, these are asked over the bus: an answer says
            // they arrived. (Without one, the bus took the dropped reply for "not
            // mine", and the sender sent them again every 25 ms for 5 s: a phone
            // registered ~200 times, a widget counted open as often.)
            Request::Widget { user, open } => {
                self.widget(user, open);
                self.reply(reply, Answer::Done);
            }
            Request::Presence { user, since } => {
                self.presence(user, since).await;
                self.reply(reply, Answer::Done);
            }
            #[cfg(test)]
            Request::Panic { .. } => {
                panic!("a bug in routing (test)");
            }
            Request::Phone { user, ready } => {
                if let Some(a) = self.state.agents.get_mut(&user) {
                    a.phone_ready = ready;
                    self.publish(user, now_ms());
                }
                self.reply(reply, Answer::Done);
            }
            Request::BrowserAudio { user, audio } => {
                if let Some(a) = self.state.agents.get_mut(&user)
                    && a.browser_audio != audio
                {
                    a.browser_audio = audio;
                    self.publish(user, now_ms());
                    // An agent whose audio came back may take a waiting call at once.
                    self.offer_waiting_calls().await;
                }
                self.reply(reply, Answer::Done);
            }
            Request::Endpoint { user, endpoint } => {
                if let Some(a) = self.state.agents.get_mut(&user) {
                    a.endpoint = endpoint;
                    self.publish(user, now_ms());
                    self.offer_waiting_calls().await;
                }
                self.reply(reply, Answer::Done);
            }
            Request::RingTimeout { call_id, user } => {
                let changes = self.state.decide_ring_timeout(&call_id, user);
                if !changes.is_empty() {
                    let _ = self.commit(changes).await;
                }
            }
            Request::WrapupTimeout { user, since } => {
                let now = now_ms();
                let changes = self.state.decide_wrapup_expired(user, since, now);
                if changes.is_empty() {
                    // The limit was raised meanwhile: the same after-call work ends later.
                    let later = self.state.wrapup_deadline(user).is_some_and(|d| d > now);
                    if later && self.state.agents.get(&user).is_some_and(|a| a.since_ms == since) {
                        self.start_wrapup_timer(user);
                    }
                } else if self.commit(changes).await.is_err() {
                    // Not recorded: try again shortly, rather than leave them in it.
                    self.retry_wrapup_timer(user, since);
                }
            }
        }
    }

    /// Logs an agent whose phone was taken away out of CTI and forgets them; their
    /// browsers get a last view saying so. If the logout cannot be recorded the agent
    /// stays (and is retired after their next command).
    async fn retire(&mut self, user: UserId, changes: Vec<Change>) {
        if !changes.is_empty() && self.commit(changes).await.is_err() {
            if let Some(a) = self.state.agents.get_mut(&user) {
                a.retiring = true;
            }
            return;
        }
        let last = self.state.view(user, now_ms());
        if let Some(tenant) = self.state.agents.remove(&user).map(|a| a.tenant_id) {
            self.batch.later(After::Tell(Tell::FloorGone { tenant, user }));
        }
        if let Some(view) = last {
            let view = app::model::AgentView { permitted: false, ..view };
            self.batch.later(After::Tell(Tell::View { user, service: None, view }));
        }
    }

    /// After every command: agents whose phone was taken away during a call that has
    /// now ended leave CTI.
    async fn retire_after_calls(&mut self) {
        for user in self.state.free_to_retire() {
            let logout = Change::Status { user, to: app::domain::AgentStatus::LoggedOut, call: None };
            self.retire(user, vec![logout]).await;
        }
    }

    /// After every command: what supervisors set during calls that have now ended.
    async fn supervise_after_calls(&mut self) {
        for (_, changes) in self.state.due_supervisions() {
            // A refusal by the store leaves it pending: the next command tries again.
            let _ = self.commit(changes).await;
        }
    }

    /// A command panicked. Routing starts again from the store as a restarted server
    /// would (connected calls are closed as `server_restart` and their lines dropped;
    /// waiting calls queue again), keeping what only the live state knows (open widgets,
    /// registered phones), and every agent is shown the state anew. If the store cannot
    /// be read either, the process exits for its supervisor to restart it.
    async fn recover(&mut self) {
        tracing::error!("routing: a command panicked; routing reads its state again from the store");
        self.me.health().recovered();
        let mut state = match self.tenant {
            Some(tenant) => {
                let Some(state) = load(&self.store, self.telephony.as_ref(), tenant, self.batch.lease).await else {
                    self.fenced = true;
                    return;
                };
                self.routing.learn(tenant, &state);
                state
            }
            None => RoutingState { reading: self.store.reading, ..RoutingState::default() },
        };
        state.needs_phones = self.telephony.needs_phones();
        state.revision = state.revision.max(self.state.revision + 1);
        for (user, agent) in state.agents.iter_mut() {
            if let Some(before) = self.state.agents.get(user) {
                agent.phone_ready = before.phone_ready;
                agent.browser_audio = before.browser_audio;
                agent.widgets = before.widgets;
                agent.away = before.away;
                agent.absent_since_ms = before.absent_since_ms;
            }
        }
        self.state = state;
        let now = now_ms();
        for user in self.state.agents.keys().copied().collect::<Vec<_>>() {
            self.publish(user, now);
        }
        for service in self.state.lines.iter().map(|l| l.service_id).collect::<Vec<_>>() {
            self.publish_queue(service);
        }
    }

    /// After every command: offer whatever calls can now be offered.
    async fn offer_waiting_calls(&mut self) {
        let changes = self.state.decide_offers(now_ms());
        if !changes.is_empty() {
            let _ = self.commit(changes).await;
        }
    }

    /// Records (with the batch) and applies one decision, and has it announced once the
    /// batch commits. Answers the ticket made for an answered call.
    pub(super) async fn commit(&mut self, changes: Vec<Change>) -> Result<Option<TicketId>, AppError> {
        let at = now_ms();
        let mut changes = changes;
        changes.extend(self.state.after_call_work_ending(&changes, at));
        changes.extend(self.state.status_time_ending(&changes, at));
        let decision = Decision::new(at, changes);
        let ticket = match self.batch.record(&self.store, &decision).await {
            Ok(ticket) => ticket,
            Err(e) => {
                if let crate::store::StoreError::Fenced(_) = e {
                    tracing::warn!(error = %e, "routing: fenced out; nothing written");
                    self.fenced = true;
                } else {
                    tracing::error!(error = %e, "routing: the store refused a decision; nothing changed");
                }
                return Err(AppError::Internal);
            }
        };
        let calls = self.state.call_ids_in(&decision);
        let touched = self.state.apply(&decision, ticket);
        self.sync_calls(calls);
        for change in &decision.changes {
            if matches!(
                change,
                Change::CallOffered { .. }
                    | Change::CallReturned { .. }
                    | Change::ConsultStarted { .. }
                    | Change::ConsultEnded { .. }
                    | Change::Status { to: app::domain::AgentStatus::Wrapup, .. }
            ) {
                self.batch.later(After::Change(change.clone()));
            }
        }
        for user in touched.agents {
            self.publish(user, decision.at_ms);
        }
        for service in touched.services {
            self.publish_queue(service);
        }
        Ok(ticket)
    }

    /// Where the calls `ids` are, to the rest of routing: here, or (ended) nowhere.
    fn sync_calls(&self, ids: Vec<CallId>) {
        if let (Some(tenant), false) = (self.tenant, ids.is_empty()) {
            self.routing.sync_calls(tenant, ids, &self.state);
        }
    }

    /// A phone widget of `user` opened or closed its live stream.
    fn widget(&mut self, user: UserId, open: bool) {
        let now = now_ms();
        let Some(a) = self.state.agents.get_mut(&user) else { return };
        if open {
            a.widgets += 1;
            a.absent_since_ms = None;
            a.away = false;
        } else {
            a.widgets = a.widgets.saturating_sub(1);
            if a.widgets == 0 {
                self.widget_closed(user, now);
            }
        }
    }

    /// The agent has no widget open since `now`: they are checked on once 離席とみなすまで
    /// and once CTI自動ログアウト has passed.
    fn widget_closed(&mut self, user: UserId, now: i64) {
        let phone = self.state.phone_of_agent(user);
        let Some(a) = self.state.agents.get_mut(&user) else { return };
        if a.status == app::domain::AgentStatus::LoggedOut {
            return;
        }
        a.absent_since_ms = Some(now);
        for after in [phone.away_after_ms, phone.logout_after_ms] {
            let me = self.me.clone();
            tokio::spawn(async move {
                tokio::time::sleep(Duration::from_millis(after.max(0) as u64)).await;
                me.presence(user, now).await;
            });
        }
    }

    /// An agent away since `since` (if they still are): not offered calls after
    /// 離席とみなすまで; logged out of CTI after CTI自動ログアウト unless their phone is
    /// registered or they are on a call.
    async fn presence(&mut self, user: UserId, since: i64) {
        let now = now_ms();
        let phone = self.state.phone_of_agent(user);
        let Some(a) = self.state.agents.get_mut(&user) else { return };
        if a.absent_since_ms != Some(since) {
            return;
        }
        if now - since >= phone.away_after_ms {
            a.away = true;
        }
        let logout = now - since >= phone.logout_after_ms
            && !a.phone_ready
            && a.browser_audio != app::model::BrowserAudio::Ready
            && a.call.is_none()
            && a.status != app::domain::AgentStatus::LoggedOut;
        if logout {
            tracing::info!(user, "routing: no phone widget open for long; logged out of CTI");
            let _ =
                self.commit(vec![Change::Status { user, to: app::domain::AgentStatus::LoggedOut, call: None }]).await;
        }
    }

    fn start_ring_timer(&self, call_id: CallId, user: UserId, after_ms: i64) {
        let me = self.me.clone();
        tokio::spawn(async move {
            tokio::time::sleep(Duration::from_millis(after_ms.max(0) as u64)).await;
            me.ring_timeout(call_id, user).await;
        });
    }

    /// 後処理の上限: agent `user`'s after-call work, if they are in it and the tenant
    /// limits it, is checked on when the limit passes. A timer that finds the agent
    /// elsewhere (or in later after-call work) does nothing.
    fn start_wrapup_timer(&self, user: UserId) {
        let (Some(deadline), Some(a)) = (self.state.wrapup_deadline(user), self.state.agents.get(&user)) else {
            return;
        };
        let (me, since) = (self.me.clone(), a.since_ms);
        let after_ms = (deadline - now_ms()).max(0) as u64;
        tokio::spawn(async move {
            tokio::time::sleep(Duration::from_millis(after_ms)).await;
            me.wrapup_timeout(user, since).await;
        });
    }

    fn retry_wrapup_timer(&self, user: UserId, since: i64) {
        let me = self.me.clone();
        tokio::spawn(async move {
            tokio::time::sleep(Duration::from_secs(1)).await;
            me.wrapup_timeout(user, since).await;
        });
    }

    pub(super) fn view(&self, user: UserId) -> Result<app::model::AgentView, AppError> {
        self.state.view(user, now_ms()).ok_or(AppError::NoPhonePermission)
    }

    /// The agent's view as it is now, to their browsers and the boards, once the batch
    /// commits.
    fn publish(&mut self, user: UserId, now: i64) {
        let Some(agent) = self.state.agents.get(&user) else { return };
        let (service, tenant) = (agent.service_id, agent.tenant_id);
        if let Some(view) = self.state.view(user, now) {
            self.batch.later(After::Tell(Tell::View { user, service, view }));
        }
        self.batch.later(After::Tell(match self.state.floor_row(user) {
            Some(row) => Tell::FloorAgent { tenant, row },
            None => Tell::FloorGone { tenant, user },
        }));
    }

    /// What `user`'s browsers are shown now: their phone, their service's waiting count.
    fn snapshot(&self, user: UserId) -> Vec<Tell> {
        let Some(agent) = self.state.agents.get(&user) else { return Vec::new() };
        let service = agent.service_id;
        let mut tells: Vec<Tell> =
            self.state.view(user, now_ms()).map(|view| Tell::View { user, service, view }).into_iter().collect();
        if let Some(service) = service {
            tells.push(Tell::Waiting { service, count: self.state.waiting(service) });
        }
        tells
    }

    /// Every row and queue of the tenant's boards.
    fn floor(&self) -> Vec<Tell> {
        let rows =
            self.state.agents.values().filter_map(|a| {
                self.state.floor_row(a.user_id).map(|row| Tell::FloorAgent { tenant: a.tenant_id, row })
            });
        let queues = self.state.lines.iter().map(|l| Tell::FloorQueue {
            tenant: l.tenant_id,
            service: l.service_id,
            queue: crate::floor::Queue {
                waiting: self.state.waiting(l.service_id),
                oldest_since_ms: self.state.oldest_waiting(l.service_id),
            },
        });
        rows.chain(queues).collect()
    }

    /// A service's waiting callers, to its agents and to the boards, once the batch
    /// commits.
    fn publish_queue(&mut self, service: i32) {
        let waiting = self.state.waiting(service);
        let tenant = self.state.tenant_of_service(service);
        let queue = crate::floor::Queue { waiting, oldest_since_ms: self.state.oldest_waiting(service) };
        self.batch.later(After::Tell(Tell::Waiting { service, count: waiting }));
        if let Some(tenant) = tenant {
            self.batch.later(After::Tell(Tell::FloorQueue { tenant, service, queue }));
        }
    }
}

#[cfg(test)]
mod tests {
    use app::domain::{AgentAction, AgentStatus};

    use crate::push::Hub;
    use crate::store::agents::Scope;
    use crate::store::{Store, now_ms};
    use crate::telephony::NoTelephony;

    #[tokio::test]
    async fn a_command_that_panics_does_not_stop_routing_which_reads_its_state_again() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&format!("sqlite://{}/t.db?mode=rwc", dir.path().display())).await.unwrap();
        store.load_demo_if_empty().await.unwrap();
        let (state, _) = store.load_routing(now_ms(), &[], Scope::All).await.unwrap();
        let op1 = state.agents.values().find(|a| a.name == "佐藤 花子").expect("the demo's op1");
        let (op1, tenant) = (op1.user_id, op1.tenant_id);
        let (routing, mailbox) = super::channel();
        super::run(mailbox, state, store, Hub::default(), std::sync::Arc::new(NoTelephony));
        assert_eq!(routing.act(op1, AgentAction::CtiLogin).await.unwrap().status, AgentStatus::Busy);

        routing.panic(Some(tenant)).await;
        // Alive, once recovered; what was recorded before the panic holds.
        assert_eq!(routing.view(op1).await.expect("routing answers").status, AgentStatus::Busy);
        let health = routing.health();
        assert!(health.alive);
        assert_eq!(health.recoveries, 1);
        assert_eq!(routing.act(op1, AgentAction::Choose(AgentStatus::Ready)).await.unwrap().status, AgentStatus::Ready);
    }

    /// Tenants share nothing live: a bug in one tenant's routing reads that tenant's
    /// state again, and no other tenant's call is touched.
    #[tokio::test]
    async fn a_panic_in_one_tenants_routing_leaves_the_other_tenants_calls_alone() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&format!("sqlite://{}/t.db?mode=rwc", dir.path().display())).await.unwrap();
        store.load_demo_if_empty().await.unwrap();
        let (state, _) = store.load_routing(now_ms(), &[], Scope::All).await.unwrap();
        let op1 = state.agents.values().find(|a| a.name == "佐藤 花子").expect("the demo's op1");
        let (op1, demo) = (op1.user_id, op1.tenant_id);
        let demo_number = state.lines.iter().find(|l| l.tenant_id == demo).unwrap().number.clone();
        let other = state.lines.iter().find(|l| l.tenant_id != demo).expect("the second demo tenant").tenant_id;
        let (routing, mailbox) = super::channel();
        super::run(mailbox, state, store, Hub::default(), std::sync::Arc::new(NoTelephony));
        assert!(routing.health().tasks >= 2, "a task per tenant");
        // A customer waits: no one is 待機.
        routing.incoming("waits", "+81312345678".into(), demo_number).await.unwrap().unwrap();

        routing.panic(Some(other)).await;
        let health = routing.health();
        assert!(health.alive);
        assert_eq!(health.recoveries, 1);
        // Had the demo tenant been read again, the waiting call would have been closed
        // (telephony holds no call here): it is offered as soon as op1 is 待機.
        routing.act(op1, AgentAction::CtiLogin).await.unwrap();
        routing.act(op1, AgentAction::Choose(AgentStatus::Ready)).await.unwrap();
        let view = routing.view(op1).await.unwrap();
        assert_eq!(view.status, AgentStatus::Ringing);
    }

    /// Group commit: commands sent together are recorded in one transaction, each is
    /// answered, and the store holds every decision.
    #[tokio::test]
    async fn commands_waiting_together_are_committed_together() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&format!("sqlite://{}/t.db?mode=rwc", dir.path().display())).await.unwrap();
        store.load_demo_if_empty().await.unwrap();
        let (state, _) = store.load_routing(now_ms(), &[], Scope::All).await.unwrap();
        let agents: Vec<_> = state.agents.keys().copied().collect();
        assert!(agents.len() >= 3, "the demo's agents");
        let (routing, mailbox) = super::channel();
        super::run(mailbox, state, store.clone(), Hub::default(), std::sync::Arc::new(NoTelephony));
        let before = routing.health();

        // All in the mailbox before routing takes the first (this test's runtime has
        // one thread: routing runs once every sender waits for its answer).
        let logins = futures::future::join_all(agents.iter().map(|u| routing.act(*u, AgentAction::CtiLogin))).await;
        assert!(logins.iter().all(|v| v.as_ref().is_ok_and(|v| v.status == AgentStatus::Busy)), "{logins:?}");
        let after = routing.health();
        assert_eq!(after.decisions - before.decisions, agents.len() as u64);
        assert_eq!(after.commits - before.commits, 1);

        let (reloaded, _) = store.load_routing(now_ms(), &[], Scope::All).await.unwrap();
        assert!(agents.iter().all(|u| reloaded.agents[u].status == AgentStatus::Busy));
    }
}
