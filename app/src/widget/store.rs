use leptos::prelude::*;

use crate::domain::{AgentAction, AgentStatus, allowed};
use crate::error::AppError;
use crate::i18n::{Locale, locale};
use crate::model::AgentView;

/// Everything the widget shows, in one place, shared by its parts through context.
#[derive(Clone, Copy)]
pub struct PhoneStore {
    /// The agent's phone as last pushed by the server; `None` until the stream opens.
    pub view: RwSignal<Option<AgentView>>,
    /// Customers of the agent's service waiting for an answer, as last pushed.
    pub waiting: RwSignal<u32>,
    /// The browser's clock minus the server's, measured when a view arrives, so that the
    /// time in status ticks right even when the two clocks differ.
    pub clock_offset_ms: RwSignal<i64>,
    /// Whether the live stream is up.
    pub live: RwSignal<bool>,
    pub open: RwSignal<bool>,
    /// The last refused action's message, until the next action.
    pub error: RwSignal<Option<&'static str>>,
    pub busy: RwSignal<bool>,
    /// The browser's clock, ticking each second while the page is open.
    pub now_ms: RwSignal<i64>,
    /// The agent muted the ring tone (remembered in this browser).
    pub muted: RwSignal<bool>,
    /// The ring tone is playing.
    pub sounding: RwSignal<bool>,
    /// The dial dialog is open, with this number filled in.
    pub dial_to: RwSignal<Option<String>>,
    /// The language refusals are shown in.
    locale: Locale,
}

impl PhoneStore {
    /// The phone of this page, when the signed-in user may use one. The widget and the
    /// page's other islands (the ticket's call button and call log) are started apart in
    /// the browser, so they share one store for the page's life rather than a context.
    pub fn of_page() -> Option<PhoneStore> {
        if !crate::session::page_session().is_some_and(|s| s.phone_permission) {
            return None;
        }
        #[cfg(all(feature = "hydrate", not(feature = "ssr")))]
        {
            thread_local! {
                static STORE: PhoneStore = {
                    // Owned by nothing that is ever cleaned up: the page is its lifetime.
                    // (`new_root` makes itself the current owner: the island that asked
                    // is put back.)
                    let current = Owner::current();
                    let owner = Owner::new_root(None);
                    let store = owner.with(PhoneStore::new);
                    std::mem::forget(owner);
                    if let Some(current) = current {
                        current.set();
                    }
                    store
                };
            }
            Some(STORE.with(|s| *s))
        }
        // The server draws the phone as it is before the live stream opens.
        #[cfg(not(all(feature = "hydrate", not(feature = "ssr"))))]
        Some(PhoneStore::new())
    }

    fn new() -> Self {
        PhoneStore {
            view: RwSignal::new(None),
            waiting: RwSignal::new(0),
            clock_offset_ms: RwSignal::new(0),
            live: RwSignal::new(false),
            open: RwSignal::new(false),
            error: RwSignal::new(None),
            busy: RwSignal::new(false),
            now_ms: RwSignal::new(0),
            muted: RwSignal::new(false),
            sounding: RwSignal::new(false),
            dial_to: RwSignal::new(None),
            locale: locale(),
        }
    }

    /// Runs one phone request at a time and shows a refusal in the panel; the server's
    /// answer (or the push that follows it) is what changes the view, never a guess.
    pub fn run(&self, request: impl std::future::Future<Output = Result<(), AppError>> + 'static) {
        let store = *self;
        store.busy.set(true);
        store.error.set(None);
        leptos::task::spawn_local(async move {
            if let Err(e) = request.await {
                store.error.set(Some(e.message(store.locale)));
            }
            store.busy.set(false);
        });
    }

    /// As `run`, for a request the server answers with the agent's new view.
    pub fn update(&self, request: impl std::future::Future<Output = Result<AgentView, AppError>> + 'static) {
        let store = *self;
        self.run(async move {
            let view = request.await?;
            store.apply(view, store.now_ms.get_untracked());
            Ok(())
        });
    }

    pub fn status(&self) -> Option<AgentStatus> {
        self.view.with(|v| v.as_ref().map(|v| v.status))
    }

    /// Whether the rules allow `action` now (the same rule the server enforces).
    pub fn can(&self, action: AgentAction) -> bool {
        !self.busy.get()
            && self.view.with(|v| v.as_ref().is_some_and(|v| v.permitted && allowed(v.status, action, &v.policy)))
    }

    /// Opens the dial dialog with `number` filled in (click to call).
    pub fn dial(&self, number: String) {
        self.open.set(true);
        self.dial_to.set(Some(number));
    }

    /// An administrator took the phone permission away: nothing is possible any more.
    pub fn revoked(&self) -> bool {
        self.view.with(|v| v.as_ref().is_some_and(|v| !v.permitted))
    }

    /// The agent's phone is not registered: no calls are offered to them.
    pub fn phone_missing(&self) -> bool {
        self.view
            .with(|v| v.as_ref().is_some_and(|v| v.permitted && v.phone_missing && v.status != AgentStatus::LoggedOut))
    }

    /// How long the agent has been in the current status.
    pub fn time_in_status_ms(&self) -> Option<i64> {
        let offset = self.clock_offset_ms.get();
        let now = self.now_ms.get();
        self.view.with(|v| v.as_ref().map(|v| now - offset - v.since_ms))
    }

    /// Shows `view` unless a newer one is shown already (an answer to a request can
    /// arrive after the push that followed it).
    pub fn apply(&self, view: AgentView, client_now_ms: i64) {
        if self.view.with_untracked(|v| v.as_ref().is_some_and(|v| v.revision > view.revision)) {
            return;
        }
        self.clock_offset_ms.set(client_now_ms - view.server_now_ms);
        self.view.set(Some(view));
    }
}
