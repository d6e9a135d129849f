use app::domain::{AgentAction, PhoneNumber, TicketScope};
use app::error::AppError;
use app::model::{AgentView, Dialled, EndReason, ReadyColleague, TicketId, UserId};
use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock, RwLock};

use tokio::sync::{mpsc, oneshot, watch};
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;

use super::actor::Spawner;
use super::change::{CallId, ConsultTarget, Supervision};
use super::directory::Directory;
use super::health::Health;
use super::roster::AgentProfile;
use super::state::{IncomingError, Queued, RoutingState, TenantPhone};

pub type Reply<T> = oneshot::Sender<T>;

pub enum Command {
    View {
        user: UserId,
        reply: Reply<Option<AgentView>>,
    },
    Act {
        user: UserId,
        action: AgentAction,
        reply: Reply<Result<AgentView, AppError>>,
    },
    /// A supervisor sets an agent's status from the board.
    Supervise {
        by: UserId,
        scope: TicketScope,
        user: UserId,
        set: Supervision,
        reply: Reply<Result<(), AppError>>,
    },
    Answer {
        user: UserId,
        call_id: CallId,
        reply: Reply<Result<TicketId, AppError>>,
    },
    HangUp {
        user: UserId,
        call_id: CallId,
        reply: Reply<Result<AgentView, AppError>>,
    },
    /// 保留 (`held`) or 解除.
    Hold {
        user: UserId,
        call_id: CallId,
        held: bool,
        reply: Reply<Result<AgentView, AppError>>,
    },
    /// 強制終了 → 確認 with the (edited) message.
    ForceEnd {
        user: UserId,
        call_id: CallId,
        message: String,
        reply: Reply<Result<AgentView, AppError>>,
    },
    /// 協議通話 / 接続: a consult call to `target`.
    Consult {
        user: UserId,
        call_id: CallId,
        target: ConsultTarget,
        reply: Reply<Result<AgentView, AppError>>,
    },
    /// 顧客接続.
    ConnectCustomer {
        user: UserId,
        call_id: CallId,
        reply: Reply<Result<AgentView, AppError>>,
    },
    /// キャンセル of the consult call.
    CancelConsult {
        user: UserId,
        call_id: CallId,
        reply: Reply<Result<AgentView, AppError>>,
    },
    /// The colleagues of `user`'s service who are 待機 now.
    ReadyColleagues {
        user: UserId,
        reply: Reply<Result<Vec<ReadyColleague>, AppError>>,
    },
    Incoming {
        call_id: CallId,
        from: String,
        to: String,
        reply: Reply<Result<Queued, IncomingError>>,
    },
    CustomerHangup {
        call_id: CallId,
        reply: Reply<()>,
    },
    Dial {
        user: UserId,
        to: PhoneNumber,
        caller_number: String,
        reply: Reply<Result<Dialled, AppError>>,
    },
    /// The dialled customer answered.
    OutboundAnswered {
        call_id: CallId,
    },
    /// The dial ended without a conversation.
    OutboundFailed {
        call_id: CallId,
        reason: EndReason,
    },
    RingTimeout {
        call_id: CallId,
        user: UserId,
    },
    /// 後処理の上限 may have passed for the after-call work `user` began at `since`.
    WrapupTimeout {
        user: UserId,
        since: i64,
    },
    /// A tenant's phone behaviour changed (CTI settings, contract).
    TenantPhone {
        tenant_id: i32,
        phone: TenantPhone,
        reply: Reply<()>,
    },
    /// An administrator granted the phone or changed who an agent is (`Some`), or took
    /// the phone away (`None`).
    Agent {
        user: UserId,
        profile: Option<AgentProfile>,
        reply: Reply<()>,
    },
    /// A service's caller numbers changed.
    CallerNumbers {
        service_id: i32,
        numbers: Vec<String>,
        reply: Reply<()>,
    },
    /// An agent's phone registered (`ready`) or was lost.
    Phone {
        user: UserId,
        ready: bool,
    },
    /// The state of an agent's audio in the browser changed.
    BrowserAudio {
        user: UserId,
        audio: app::model::BrowserAudio,
    },
    /// The agent chose where they talk (kept in the store already).
    Endpoint {
        user: UserId,
        endpoint: app::model::Endpoint,
        reply: Reply<()>,
    },
    /// One of the agent's phone widgets opened its live stream, or closed it.
    Widget {
        user: UserId,
        open: bool,
    },
    /// Time to check on an agent away since `since` (their last widget closed then).
    Presence {
        user: UserId,
        since: i64,
    },
    /// Panics in `tenant`'s routing task, as a bug would (tests of its recovery).
    #[cfg(test)]
    Panic {
        tenant: Option<i32>,
        reply: Reply<()>,
    },
}

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
    spawner: OnceLock<Spawner>,
    started: watch::Sender<bool>,
    /// The instance is stopping: tasks holding a lease give it up, none starts.
    stopping: CancellationToken,
    /// The tasks holding a lease, waited for when the instance stops.
    leased: TaskTracker,
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
        let _ = self.tx.send(Command::Presence { user, since }).await;
    }

    pub(super) async fn ring_timeout(&self, call_id: CallId, user: UserId) {
        let _ = self.tx.send(Command::RingTimeout { call_id, user }).await;
    }

    pub(super) async fn wrapup_timeout(&self, user: UserId, since: i64) {
        let _ = self.tx.send(Command::WrapupTimeout { user, since }).await;
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
            }),
        }
    }

    /// Routing runs: every tenant's loaded state gets its task, and commands flow.
    pub(super) fn start(&self, spawner: Spawner, parts: HashMap<i32, RoutingState>) {
        {
            let mut directory = self.shared.directory.write().expect("the directory");
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
        super::health::RoutingHealth::of(started, tasks.values().map(|t| t.health.report()))
    }

    #[cfg(test)]
    pub(super) async fn panic(&self, tenant: Option<i32>) {
        self.ask(|reply| Command::Panic { tenant, reply }).await;
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
        if !self.shared.spawner.get().is_some_and(Spawner::clustered) {
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

    /// Whether this instance routes `tenant` now.
    pub fn routes(&self, tenant: i32) -> bool {
        self.shared.tasks.lock().expect("the tasks").contains_key(&Some(tenant))
    }

    /// The task for `command`'s tenant, started if it has none yet.
    async fn task_for(&self, command: &Command) -> Option<Task> {
        if self.shared.spawner.get().is_none() {
            self.shared.started.subscribe().wait_for(|started| *started).await.ok()?;
        }
        if self.shared.stopping.is_cancelled() {
            return None;
        }
        let tenant = self.shared.directory.write().expect("the directory").route(command);
        let mut tasks = self.shared.tasks.lock().expect("the tasks");
        if let Some(task) = tasks.get(&tenant) {
            return Some(task.clone());
        }
        let task = self.shared.spawner.get()?.spawn(self.clone(), tenant, None);
        tasks.insert(tenant, task.clone());
        Some(task)
    }

    async fn send(&self, command: Command) -> Option<()> {
        let task = self.task_for(&command).await?;
        task.tx.send(command).await.ok()
    }

    async fn ask<T>(&self, make: impl FnOnce(Reply<T>) -> Command) -> Option<T> {
        let (reply, rx) = oneshot::channel();
        self.send(make(reply)).await?;
        rx.await.ok()
    }

    pub async fn view(&self, user: UserId) -> Option<AgentView> {
        self.ask(|reply| Command::View { user, reply }).await.flatten()
    }

    pub async fn act(&self, user: UserId, action: AgentAction) -> Result<AgentView, AppError> {
        self.ask(|reply| Command::Act { user, action, reply }).await.unwrap_or(Err(AppError::Internal))
    }

    /// Supervisor `by` sets agent `user` to `set` (during a call: when it ends).
    pub async fn supervise(
        &self,
        by: UserId,
        scope: TicketScope,
        user: UserId,
        set: Supervision,
    ) -> Result<(), AppError> {
        self.ask(|reply| Command::Supervise { by, scope, user, set, reply }).await.unwrap_or(Err(AppError::Internal))
    }

    pub async fn answer(&self, user: UserId, call_id: impl Into<CallId>) -> Result<TicketId, AppError> {
        self.ask(|reply| Command::Answer { user, call_id: call_id.into(), reply })
            .await
            .unwrap_or(Err(AppError::Internal))
    }

    pub async fn hang_up(&self, user: UserId, call_id: impl Into<CallId>) -> Result<AgentView, AppError> {
        self.ask(|reply| Command::HangUp { user, call_id: call_id.into(), reply })
            .await
            .unwrap_or(Err(AppError::Internal))
    }

    /// 保留 (`held`) or 解除 of the agent's call.
    pub async fn hold(&self, user: UserId, call_id: impl Into<CallId>, held: bool) -> Result<AgentView, AppError> {
        self.ask(|reply| Command::Hold { user, call_id: call_id.into(), held, reply })
            .await
            .unwrap_or(Err(AppError::Internal))
    }

    /// 強制終了: plays `message` to the customer, then ends the call.
    pub async fn force_end(
        &self,
        user: UserId,
        call_id: impl Into<CallId>,
        message: String,
    ) -> Result<AgentView, AppError> {
        self.ask(|reply| Command::ForceEnd { user, call_id: call_id.into(), message, reply })
            .await
            .unwrap_or(Err(AppError::Internal))
    }

    /// 協議通話 / 接続: the customer waits on hold while the agent calls `target`.
    pub async fn consult(
        &self,
        user: UserId,
        call_id: impl Into<CallId>,
        target: ConsultTarget,
    ) -> Result<AgentView, AppError> {
        self.ask(|reply| Command::Consult { user, call_id: call_id.into(), target, reply })
            .await
            .unwrap_or(Err(AppError::Internal))
    }

    /// 顧客接続: joins the customer to the consult target.
    pub async fn connect_customer(&self, user: UserId, call_id: impl Into<CallId>) -> Result<AgentView, AppError> {
        self.ask(|reply| Command::ConnectCustomer { user, call_id: call_id.into(), reply })
            .await
            .unwrap_or(Err(AppError::Internal))
    }

    /// キャンセル: ends the consult call; the customer stays on hold.
    pub async fn cancel_consult(&self, user: UserId, call_id: impl Into<CallId>) -> Result<AgentView, AppError> {
        self.ask(|reply| Command::CancelConsult { user, call_id: call_id.into(), reply })
            .await
            .unwrap_or(Err(AppError::Internal))
    }

    /// 待機中のオペレーター: the colleagues a call can be transferred to now.
    pub async fn ready_colleagues(&self, user: UserId) -> Result<Vec<ReadyColleague>, AppError> {
        self.ask(|reply| Command::ReadyColleagues { user, reply }).await.unwrap_or(Err(AppError::Internal))
    }

    /// A customer's call arrives; answers once the call is recorded and queued.
    pub async fn incoming(
        &self,
        call_id: impl Into<CallId>,
        from: String,
        to: String,
    ) -> Option<Result<Queued, IncomingError>> {
        self.ask(|reply| Command::Incoming { call_id: call_id.into(), from, to, reply }).await
    }

    /// The customer hung up; answers once that is recorded.
    pub async fn customer_hangup(&self, call_id: impl Into<CallId>) {
        self.ask(|reply| Command::CustomerHangup { call_id: call_id.into(), reply }).await;
    }

    pub async fn dial(&self, user: UserId, to: PhoneNumber, caller_number: String) -> Result<Dialled, AppError> {
        self.ask(|reply| Command::Dial { user, to, caller_number, reply }).await.unwrap_or(Err(AppError::Internal))
    }

    /// The telephone system reports that the dialled customer answered.
    pub async fn outbound_answered(&self, call_id: impl Into<CallId>) {
        let _ = self.send(Command::OutboundAnswered { call_id: call_id.into() }).await;
    }

    /// The telephone system reports that a dial ended without a conversation.
    pub async fn outbound_failed(&self, call_id: impl Into<CallId>, reason: EndReason) {
        let _ = self.send(Command::OutboundFailed { call_id: call_id.into(), reason }).await;
    }

    /// Applies a tenant's new phone behaviour from the next offer and login on.
    pub async fn set_tenant_phone(&self, tenant_id: i32, phone: TenantPhone) {
        self.ask(|reply| Command::TenantPhone { tenant_id, phone, reply }).await;
    }

    /// Grants the phone or updates an agent (`Some`), or takes it away (`None`): an
    /// agent on a call is logged out of CTI when the call ends.
    pub async fn set_agent(&self, user: UserId, profile: Option<AgentProfile>) {
        self.ask(|reply| Command::Agent { user, profile, reply }).await;
    }

    /// The caller numbers a service's agents may dial with, from now on.
    pub async fn set_caller_numbers(&self, service_id: i32, numbers: Vec<String>) {
        self.ask(|reply| Command::CallerNumbers { service_id, numbers, reply }).await;
    }

    /// The telephony reports that an agent's phone is ready (registered) or gone.
    pub async fn phone(&self, user: UserId, ready: bool) {
        let _ = self.send(Command::Phone { user, ready }).await;
    }

    /// The state of `user`'s audio in the browser changed (their phone window connected,
    /// dropped, closed, or has no microphone).
    pub async fn browser_audio(&self, user: UserId, audio: app::model::BrowserAudio) {
        let _ = self.send(Command::BrowserAudio { user, audio }).await;
    }

    /// `user` talks on `endpoint` from now on.
    pub async fn set_endpoint(&self, user: UserId, endpoint: app::model::Endpoint) {
        self.ask(|reply| Command::Endpoint { user, endpoint, reply }).await;
    }

    /// A phone widget of `user` opened (`true`) or closed its live stream.
    pub async fn widget(&self, user: UserId, open: bool) {
        let _ = self.send(Command::Widget { user, open }).await;
    }
}
