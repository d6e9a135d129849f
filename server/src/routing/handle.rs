use app::domain::{AgentAction, PhoneNumber, TicketScope};
use app::error::AppError;
use app::model::{AgentView, Dialled, EndReason, ReadyColleague, TicketId, UserId};
use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock, RwLock};

use tokio::sync::{mpsc, oneshot, watch};
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;

use super::change::{CallId, ConsultTarget, Supervision};
use super::directory::Directory;
use super::health::Health;
use super::remote::{Remote, Unanswered};
use super::request::{Answer, Command, Request};
use super::roster::AgentProfile;
use super::state::{IncomingError, Queued, RoutingState, ServiceLine, TenantPhone};

/// How the rest of the server talks to routing: each command goes to the routing task
/// of the tenant it is for (`directory.rs`), started when first needed.
#[derive(Clone)]
pub struct RoutingHandle {
    shared: Arc<Shared>,
}

struct Shared {
    directory: RwLock<Directory>,
    /// Each tenant's task; `None`'s answers commands for no tenant known.
    tasks: Mutex<HashMap<Option<i32>, Task>>,
    /// What starts a task, once routing runs (`run`); commands sent before wait.
    spawner: OnceLock<Box<dyn Spawn>>,
    started: watch::Sender<bool>,
    /// The instance is stopping: tasks holding a lease give it up, none starts.
    stopping: CancellationToken,
    /// The tasks holding a lease, waited for when the instance stops.
    leased: TaskTracker,
    /// The phone widgets open on this instance, by agent: in a cluster, told again to
    /// an instance that takes their tenant over (`reannounce`).
    widgets: Mutex<HashMap<UserId, u32>>,
    /// The agents whose phone is registered with this process's SIP registrar: in a
    /// cluster, told again to an instance that takes their tenant over, which read its
    /// agents with no phone ready.
    phones: Mutex<std::collections::HashSet<UserId>>,
    /// How the audio of the agents whose phone windows connect to this process is
    /// (none closed): in a cluster, told again to a new owner, as the phones are.
    windows: Mutex<HashMap<UserId, app::model::BrowserAudio>>,
}

/// What starts a tenant's routing task (`actor::Spawner`), given to the handle when
/// routing runs: the handle starts tasks as their tenants need them.
pub(super) trait Spawn: Send + Sync {
    /// Starts `tenant`'s task (`None`: the one for no tenant known) on `state`, or on
    /// the tenant's state read from the store.
    fn spawn(&self, routing: RoutingHandle, tenant: Option<i32>, state: Option<RoutingState>) -> Task;
    /// Whether this instance is one of a cluster.
    fn clustered(&self) -> bool;
    fn store(&self) -> &crate::store::Store;
    /// The other instances, in a cluster.
    fn remote(&self) -> Option<&Arc<dyn Remote>>;
}

/// How long a request waits for an instance to route its tenant (the lease's length
/// and a claim period at the defaults, and some).
const TAKEOVER_WAIT: std::time::Duration = std::time::Duration::from_secs(5);
/// How long a report of the telephone system's is sent again before it is given up:
/// through several takeovers in a row (each is over within 3 s), and an owner frozen
/// past its lease that answers nothing (each try then waits out the bus's 5 s).
const REPORT_DEADLINE: std::time::Duration = std::time::Duration::from_secs(30);
/// How often it looks again meanwhile.
const TAKEOVER_RETRY: std::time::Duration = std::time::Duration::from_millis(25);

/// Where a request goes.
enum Route {
    Here(Task),
    There(i32, Arc<dyn Remote>),
}

/// One routing task's mailbox, and its health.
#[derive(Clone)]
pub(super) struct Task {
    tx: mpsc::Sender<Command>,
    health: Arc<Health>,
}

impl Task {
    pub(super) fn new(tx: mpsc::Sender<Command>) -> Self {
        Task { tx, health: Default::default() }
    }

    pub(super) fn health(&self) -> &Health {
        &self.health
    }

    pub(super) async fn presence(&self, user: UserId, since: i64) {
        let _ = self.tx.send(Command { request: Request::Presence { user, since }, reply: None }).await;
    }

    pub(super) async fn ring_timeout(&self, call_id: CallId, user: UserId) {
        let _ = self.tx.send(Command { request: Request::RingTimeout { call_id, user }, reply: None }).await;
    }

    pub(super) async fn wrapup_timeout(&self, user: UserId, since: i64) {
        let _ = self.tx.send(Command { request: Request::WrapupTimeout { user, since }, reply: None }).await;
    }
}

impl RoutingHandle {
    pub(super) fn new() -> Self {
        RoutingHandle {
            shared: Arc::new(Shared {
                directory: Default::default(),
                tasks: Default::default(),
                spawner: OnceLock::new(),
                started: watch::Sender::new(false),
                stopping: CancellationToken::new(),
                leased: TaskTracker::new(),
                widgets: Default::default(),
                phones: Default::default(),
                windows: Default::default(),
            }),
        }
    }

    /// Routing runs: every tenant's loaded state gets its task, and commands flow.
    /// `lines`: every service's number (in a cluster, where this instance routes some
    /// tenants only).
    pub(super) fn start(&self, spawner: Box<dyn Spawn>, parts: HashMap<i32, RoutingState>, lines: &[ServiceLine]) {
        {
            let mut directory = self.shared.directory.write().expect("the directory");
            directory.learn_lines(lines);
            for (tenant, part) in &parts {
                directory.learn(*tenant, part);
            }
        }
        let mut tasks = self.shared.tasks.lock().expect("the tasks");
        for (tenant, part) in parts {
            tasks.insert(Some(tenant), spawner.spawn(self.clone(), Some(tenant), Some(part)));
        }
        drop(tasks);
        let _ = self.shared.spawner.set(spawner);
        self.shared.started.send_replace(true);
    }

    /// Whether every routing task is alive, how often they recovered from a panic, and
    /// what they committed.
    pub fn health(&self) -> super::health::RoutingHealth {
        let tasks = self.shared.tasks.lock().expect("the tasks");
        let started = self.shared.spawner.get().is_some();
        super::health::RoutingHealth::of(
            started,
            tasks.iter().map(|(tenant, t)| (*tenant, t.health.report(), t.health.routes())),
        )
    }

    #[cfg(test)]
    pub(super) async fn panic(&self, tenant: Option<i32>) {
        self.ask(Request::Panic { tenant }).await;
    }

    /// After a decision of `tenant`'s: where the calls it started or ended are.
    pub(super) fn sync_calls(&self, tenant: i32, ids: Vec<CallId>, state: &RoutingState) {
        self.shared.directory.write().expect("the directory").sync_calls(tenant, ids, state);
    }

    /// `tenant`'s state, read again: its agents, lines and calls.
    pub(super) fn learn(&self, tenant: i32, state: &RoutingState) {
        self.shared.directory.write().expect("the directory").learn(tenant, state);
    }

    /// Stops routing here (the instance is stopping): in a cluster, each task holding a
    /// lease commits what it decided, gives the lease up for another instance to take
    /// at once (a rolling restart waits for no lease to run out), and ends; commands
    /// sent from now on are answered `Internal`. Answers once every lease is given up.
    pub async fn stop(&self) {
        if !self.shared.spawner.get().is_some_and(|s| s.clustered()) {
            return;
        }
        self.shared.stopping.cancel();
        self.shared.leased.close();
        self.shared.leased.wait().await;
    }

    pub(super) fn stopping(&self) -> CancellationToken {
        self.shared.stopping.clone()
    }

    /// Runs a task that holds a lease, for `stop` to wait for.
    pub(super) fn spawn_leased(&self, task: impl Future<Output = ()> + Send + 'static) {
        self.shared.leased.spawn(task);
    }

    /// Starts `tenant`'s task here if there is none (in a cluster: it takes the lease
    /// first, and ends if another instance holds it).
    pub(super) fn claim(&self, tenant: i32) {
        let Some(spawner) = self.shared.spawner.get() else { return };
        if self.shared.stopping.is_cancelled() {
            return;
        }
        let mut tasks = self.shared.tasks.lock().expect("the tasks");
        tasks.entry(Some(tenant)).or_insert_with(|| spawner.spawn(self.clone(), Some(tenant), None));
    }

    /// `task` no longer routes `tenant` (its lease is held elsewhere).
    pub(super) fn forget(&self, tenant: i32, task: &Task) {
        let mut tasks = self.shared.tasks.lock().expect("the tasks");
        if tasks.get(&Some(tenant)).is_some_and(|t| Arc::ptr_eq(&t.health, &task.health)) {
            tasks.remove(&Some(tenant));
        }
    }

    /// `tenant` has just been taken over (by this instance or another): its new routing
    /// read its agents as a restart does, with no widget open, no phone registered and
    /// no phone window connected, so those open, registered or connected here are told
    /// again.
    pub async fn reannounce(&self, tenant: i32) {
        type Told = (Vec<(UserId, u32)>, Vec<UserId>, Vec<(UserId, app::model::BrowserAudio)>);
        let (open, phones, windows): Told = {
            let directory = self.shared.directory.read().expect("the directory");
            let ours = |user: &UserId| directory.tenant_of_user(*user) == Some(tenant);
            let widgets = self.shared.widgets.lock().expect("the widgets");
            let phones = self.shared.phones.lock().expect("the phones");
            let windows = self.shared.windows.lock().expect("the windows");
            (
                widgets.iter().filter(|(user, _)| ours(user)).map(|(u, n)| (*u, *n)).collect(),
                phones.iter().filter(|user| ours(user)).copied().collect(),
                windows.iter().filter(|(user, _)| ours(user)).map(|(u, a)| (*u, *a)).collect(),
            )
        };
        for (user, audio) in windows {
            self.send(Request::BrowserAudio { user, audio }).await;
        }
        for (user, count) in open {
            for _ in 0..count {
                self.send(Request::Widget { user, open: true }).await;
            }
        }
        for user in phones {
            self.send(Request::Phone { user, ready: true }).await;
        }
    }

    /// The call `id` is `tenant`'s: the telephone system apart hears of a dial or a
    /// consult leg with the work that starts it.
    pub fn learn_call(&self, id: CallId, tenant: i32) {
        self.shared.directory.write().expect("the directory").learn_call(id, tenant);
    }

    /// The call `id` ended at the telephone system: no report will follow.
    pub fn forget_call(&self, id: &str) {
        self.shared.directory.write().expect("the directory").forget_call(id);
    }

    /// Whether this instance routes `tenant` now.
    pub fn routes(&self, tenant: i32) -> bool {
        self.shared.tasks.lock().expect("the tasks").contains_key(&Some(tenant))
    }

    /// Where `request` goes: its tenant's task here (started if it has none yet), or,
    /// in a cluster, the instance that routes the tenant.
    async fn task_for(&self, request: &Request) -> Option<Route> {
        if self.shared.spawner.get().is_none() {
            self.shared.started.subscribe().wait_for(|started| *started).await.ok()?;
        }
        if self.shared.stopping.is_cancelled() {
            return None;
        }
        let mut tenant = self.shared.directory.write().expect("the directory").route(request);
        let spawner = self.shared.spawner.get()?;
        // In a cluster, this instance has heard of the agents of the tenants it routes
        // only: the store says whose the others are.
        if let (None, Some(_), Some(user)) = (tenant, spawner.remote(), Directory::user_of(request))
            && let Ok(Some(of)) = spawner.store().tenant_of_user(user).await
        {
            self.shared.directory.write().expect("the directory").learn_user(user, of);
            tenant = Some(of);
        }
        // The same for a call the telephone system reports on: one taken before this
        // process started, or to a service created since.
        if let (None, Some(_), Some((call, number))) = (tenant, spawner.remote(), Directory::call_of(request))
            && let Ok(Some(of)) = spawner.store().tenant_of_call(call, number).await
        {
            self.learn_call(call.clone(), of);
            tenant = Some(of);
        }
        let mut tasks = self.shared.tasks.lock().expect("the tasks");
        if let Some(task) = tasks.get(&tenant) {
            return Some(Route::Here(task.clone()));
        }
        if let (Some(remote), Some(tenant)) = (spawner.remote(), tenant) {
            // The claimer takes a tenant no one routes; until then, or if it is routed
            // elsewhere, the command goes there.
            return Some(Route::There(tenant, remote.clone()));
        }
        let task = spawner.spawn(self.clone(), tenant, None);
        tasks.insert(tenant, task.clone());
        Some(Route::Here(task))
    }

    /// Sends `request` to its tenant's task, answering nobody.
    async fn send(&self, request: Request) {
        match self.task_for(&request).await {
            Some(Route::Here(task)) => {
                let _ = task.tx.send(Command { request, reply: None }).await;
            }
            Some(Route::There(..)) => {
                let _ = self.ask(request).await;
            }
            None => {}
        }
    }

    /// Asks `request` of its tenant's task — in a cluster, of the instance routing the
    /// tenant, if it is not this one; `None` if routing could not answer. While no
    /// instance routes the tenant (a takeover: at most a lease and a claim period) the
    /// request waits for one that does, up to `TAKEOVER_WAIT`, rather than fail.
    pub async fn ask(&self, request: Request) -> Option<Answer> {
        let deadline = tokio::time::Instant::now() + TAKEOVER_WAIT;
        loop {
            match self.task_for(&request).await? {
                Route::Here(task) => {
                    let (reply, answer) = oneshot::channel();
                    task.tx.send(Command { request, reply: Some(reply) }).await.ok()?;
                    return answer.await.ok();
                }
                Route::There(tenant, remote) => match remote.ask(tenant, &request).await {
                    Ok(answer) => return Some(answer),
                    Err(Unanswered::NoOne) if tokio::time::Instant::now() < deadline => {
                        tokio::time::sleep(TAKEOVER_RETRY).await;
                    }
                    Err(_) => return None,
                },
            }
        }
    }

    /// Sends `request` to this instance's task for `tenant` (a command another
    /// instance sent), answering where its answer will come; `None` if this instance
    /// does not route the tenant (any more).
    pub async fn send_here(&self, tenant: i32, request: Request) -> Option<oneshot::Receiver<Answer>> {
        let task = self.shared.tasks.lock().expect("the tasks").get(&Some(tenant)).cloned()?;
        let (reply, answer) = oneshot::channel();
        task.tx.send(Command { request, reply: Some(reply) }).await.ok()?;
        Some(answer)
    }

    pub async fn view(&self, user: UserId) -> Option<AgentView> {
        match self.ask(Request::View { user }).await {
            Some(Answer::View(view)) => view,
            _ => None,
        }
    }

    pub async fn act(&self, user: UserId, action: AgentAction) -> Result<AgentView, AppError> {
        match self.ask(Request::Act { user, action }).await {
            Some(Answer::Acted(answer)) => answer,
            _ => Err(AppError::Internal),
        }
    }

    /// Supervisor `by` sets agent `user` to `set` (during a call: when it ends).
    pub async fn supervise(
        &self,
        by: UserId,
        scope: TicketScope,
        user: UserId,
        set: Supervision,
    ) -> Result<(), AppError> {
        match self.ask(Request::Supervise { by, scope, user, set }).await {
            Some(Answer::Supervised(answer)) => answer,
            _ => Err(AppError::Internal),
        }
    }

    pub async fn answer(&self, user: UserId, call_id: impl Into<CallId>) -> Result<TicketId, AppError> {
        match self.ask(Request::Answer { user, call_id: call_id.into() }).await {
            Some(Answer::Answered(answer)) => answer,
            _ => Err(AppError::Internal),
        }
    }

    pub async fn hang_up(&self, user: UserId, call_id: impl Into<CallId>) -> Result<AgentView, AppError> {
        match self.ask(Request::HangUp { user, call_id: call_id.into() }).await {
            Some(Answer::Acted(answer)) => answer,
            _ => Err(AppError::Internal),
        }
    }

    /// 保留 (`held`) or 解除 of the agent's call.
    pub async fn hold(&self, user: UserId, call_id: impl Into<CallId>, held: bool) -> Result<AgentView, AppError> {
        match self.ask(Request::Hold { user, call_id: call_id.into(), held }).await {
            Some(Answer::Acted(answer)) => answer,
            _ => Err(AppError::Internal),
        }
    }

    /// 強制終了: plays `message` to the customer, then ends the call.
    pub async fn force_end(
        &self,
        user: UserId,
        call_id: impl Into<CallId>,
        message: String,
    ) -> Result<AgentView, AppError> {
        match self.ask(Request::ForceEnd { user, call_id: call_id.into(), message }).await {
            Some(Answer::Acted(answer)) => answer,
            _ => Err(AppError::Internal),
        }
    }

    /// 協議通話 / 接続: the customer waits on hold while the agent calls `target`.
    pub async fn consult(
        &self,
        user: UserId,
        call_id: impl Into<CallId>,
        target: ConsultTarget,
    ) -> Result<AgentView, AppError> {
        match self.ask(Request::Consult { user, call_id: call_id.into(), target }).await {
            Some(Answer::Acted(answer)) => answer,
            _ => Err(AppError::Internal),
        }
    }

    /// 顧客接続: joins the customer to the consult target.
    pub async fn connect_customer(&self, user: UserId, call_id: impl Into<CallId>) -> Result<AgentView, AppError> {
        match self.ask(Request::ConnectCustomer { user, call_id: call_id.into() }).await {
            Some(Answer::Acted(answer)) => answer,
            _ => Err(AppError::Internal),
        }
    }

    /// キャンセル: ends the consult call; the customer stays on hold.
    pub async fn cancel_consult(&self, user: UserId, call_id: impl Into<CallId>) -> Result<AgentView, AppError> {
        match self.ask(Request::CancelConsult { user, call_id: call_id.into() }).await {
            Some(Answer::Acted(answer)) => answer,
            _ => Err(AppError::Internal),
        }
    }

    /// 待機中のオペレーター: the colleagues a call can be transferred to now.
    pub async fn ready_colleagues(&self, user: UserId) -> Result<Vec<ReadyColleague>, AppError> {
        match self.ask(Request::ReadyColleagues { user }).await {
            Some(Answer::Colleagues(answer)) => answer,
            _ => Err(AppError::Internal),
        }
    }

    /// A customer's call arrives; answers once the call is recorded and queued.
    pub async fn incoming(
        &self,
        call_id: impl Into<CallId>,
        from: String,
        to: String,
    ) -> Option<Result<Queued, IncomingError>> {
        match self.report(Request::Incoming { call_id: call_id.into(), from, to }).await? {
            // Sent again, and refused as known: the first one did arrive (its waiting
            // music, if any, is not started again).
            (Answer::Queued(Err(IncomingError::Duplicate(_))), true) => Some(Ok(Queued { music_while_waiting: None })),
            (Answer::Queued(queued), _) => Some(queued),
            _ => None,
        }
    }

    /// The customer hung up; answers once that is recorded.
    pub async fn customer_hangup(&self, call_id: impl Into<CallId>) {
        let call_id = call_id.into();
        self.report(Request::CustomerHangup { call_id: call_id.clone() }).await;
        self.forget_call(&call_id);
    }

    /// Asks a report of the telephone system's (a call arriving, a customer hanging
    /// up) until routing answers it (up to `REPORT_DEADLINE`): in a cluster, one that
    /// the instance routing its tenant died or froze with, unanswered, is sent again to
    /// the next owner, so that no call is lost with an instance, nor a hang-up (a call
    /// whose end is lost stays connected in the store, its agent 通話中 with no one). A report is idempotent on its call (a call that
    /// arrives twice is refused as a duplicate). Answers whether it was sent again.
    async fn report(&self, request: Request) -> Option<(Answer, bool)> {
        let deadline = tokio::time::Instant::now() + REPORT_DEADLINE;
        // One process: unanswered means its routing failed (the store, say), not that
        // an owner went; a few tries are enough.
        let clustered = self.shared.spawner.get().is_some_and(|s| s.clustered());
        let mut tries = 0;
        loop {
            tries += 1;
            match self.ask(request.clone()).await {
                Some(answer) => return Some((answer, tries > 1)),
                None if self.shared.stopping.is_cancelled() => return None,
                None if tokio::time::Instant::now() >= deadline || (!clustered && tries >= 3) => {
                    tracing::error!(?request, "routing never answered a report of the telephone system; given up");
                    return None;
                }
                None => {
                    tracing::warn!(
                        ?request,
                        "routing did not answer a report of the telephone system; sending it again"
                    );
                    tokio::time::sleep(TAKEOVER_RETRY).await;
                }
            }
        }
    }

    pub async fn dial(&self, user: UserId, to: PhoneNumber, caller_number: String) -> Result<Dialled, AppError> {
        match self.ask(Request::Dial { user, to, caller_number }).await {
            Some(Answer::Dialled(answer)) => answer,
            _ => Err(AppError::Internal),
        }
    }

    /// The telephone system reports that the dialled customer answered.
    pub async fn outbound_answered(&self, call_id: impl Into<CallId>) {
        self.report(Request::OutboundAnswered { call_id: call_id.into() }).await;
    }

    /// The telephone system reports that a dial ended without a conversation.
    pub async fn outbound_failed(&self, call_id: impl Into<CallId>, reason: EndReason) {
        let call_id = call_id.into();
        self.report(Request::OutboundFailed { call_id: call_id.clone(), reason }).await;
        self.forget_call(&call_id);
    }

    /// Applies a tenant's new phone behaviour from the next offer and login on.
    pub async fn set_tenant_phone(&self, tenant_id: i32, phone: TenantPhone) {
        self.ask(Request::TenantPhone { tenant_id, phone }).await;
    }

    /// Grants the phone or updates an agent (`Some`), or takes it away (`None`): an
    /// agent on a call is logged out of CTI when the call ends.
    pub async fn set_agent(&self, user: UserId, profile: Option<AgentProfile>) {
        self.ask(Request::Agent { user, profile }).await;
    }

    /// The caller numbers a service's agents may dial with, from now on.
    pub async fn set_caller_numbers(&self, service_id: i32, numbers: Vec<String>) {
        self.ask(Request::CallerNumbers { service_id, numbers }).await;
    }

    /// The telephony reports that an agent's phone is ready (registered) or gone.
    pub async fn phone(&self, user: UserId, ready: bool) {
        {
            let mut phones = self.shared.phones.lock().expect("the phones");
            match ready {
                true => phones.insert(user),
                false => phones.remove(&user),
            };
        }
        self.send(Request::Phone { user, ready }).await;
    }

    /// The state of `user`'s audio in the browser changed (their phone window connected,
    /// dropped, closed, or has no microphone).
    pub async fn browser_audio(&self, user: UserId, audio: app::model::BrowserAudio) {
        {
            let mut windows = self.shared.windows.lock().expect("the windows");
            match audio {
                app::model::BrowserAudio::Closed => windows.remove(&user),
                _ => windows.insert(user, audio),
            };
        }
        self.send(Request::BrowserAudio { user, audio }).await;
    }

    /// `user` talks on `endpoint` from now on.
    pub async fn set_endpoint(&self, user: UserId, endpoint: app::model::Endpoint) {
        self.ask(Request::Endpoint { user, endpoint }).await;
    }

    /// What `user`'s browsers are shown now (for a stream opening on an instance that
    /// has not heard of them yet).
    pub async fn snapshot(&self, user: UserId) -> Vec<crate::push::Tell> {
        match self.ask(Request::Snapshot { user }).await {
            Some(Answer::Tells(tells)) => tells,
            _ => Vec::new(),
        }
    }

    /// Every row and queue of `tenant`'s boards (for a board opening on an instance
    /// that has not heard of the tenant yet).
    pub async fn floor(&self, tenant: i32) -> Vec<crate::push::Tell> {
        match self.ask(Request::Floor { tenant }).await {
            Some(Answer::Tells(tells)) => tells,
            _ => Vec::new(),
        }
    }

    /// A phone widget of `user` opened (`true`) or closed its live stream.
    pub async fn widget(&self, user: UserId, open: bool) {
        {
            let mut widgets = self.shared.widgets.lock().expect("the widgets");
            let count = widgets.entry(user).or_default();
            *count = if open { *count + 1 } else { count.saturating_sub(1) };
            if *count == 0 {
                widgets.remove(&user);
            }
        }
        self.send(Request::Widget { user, open }).await;
    }
}
