//! ボード: the supervisor's view of the floor, live. Per service: the callers waiting
//! and the longest wait now, and today's figures; under it, each agent's status, how
//! long they have been in it, and their call. The server pushes it (`/board/events`) at
//! most once a second; the page only counts the seconds in between.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::domain::board_scope;
use crate::i18n::{Key, t};
use crate::model::SessionInfo;

#[component]
pub fn BoardPage() -> impl IntoView {
    let session = use_context::<Option<SessionInfo>>().flatten();
    let allowed = session.as_ref().and_then(board_scope).is_some();
    view! {
        <Title text=format!("{} – {}", t(Key::Board), t(Key::AppName)) />
        <main class="page board">
            <h1>{t(Key::Board)}</h1>
            {match allowed {
                true => view! { <LiveBoard /> }.into_any(),
                false => view! { <p class="error" role="alert">{t(Key::ErrForbidden)}</p> }.into_any(),
            }}
        </main>
    }
}

#[island(lazy)]
fn LiveBoard() -> impl IntoView {
    crate::started::island();
    let board = live::BoardState::default();
    live::connect(board);
    view! {
        <p class="error" role="alert">{move || (!board.live.get() && board.opened.get()).then(|| t(Key::LiveLost))}</p>
        {move || (!board.opened.get()).then(|| view! { <p class="muted">{t(Key::Connecting)}</p> })}
        <For each=move || board.services.get() key=|s| s.service_id let:service>
            <view::ServiceCard service board />
        </For>
    }
}

mod live {
    //! The board's state in the browser and its stream.

    use std::collections::BTreeMap;

    use leptos::prelude::*;

    use crate::model::{FloorAgent, ServiceBoard, UserId};

    #[derive(Clone, Copy, Default)]
    pub struct BoardState {
        pub services: RwSignal<Vec<ServiceBoard>>,
        pub agents: RwSignal<BTreeMap<UserId, FloorAgent>>,
        /// The browser's clock less the server's, to count time in the server's terms.
        pub skew_ms: RwSignal<i64>,
        /// The browser's clock, ticking each second.
        pub now_ms: RwSignal<i64>,
        pub live: RwSignal<bool>,
        /// The first board has arrived.
        pub opened: RwSignal<bool>,
    }

    impl BoardState {
        /// Now on the server's clock.
        pub fn server_now(&self) -> i64 {
            self.now_ms.get() - self.skew_ms.get()
        }

        #[cfg(feature = "hydrate")]
        fn apply(&self, event: crate::model::BoardEvent, browser_now: i64) {
            use crate::model::BoardEvent;
            match event {
                BoardEvent::Board { services, agents, server_now_ms } => {
                    self.skew_ms.set(browser_now - server_now_ms);
                    self.services.set(services);
                    self.agents.set(agents.into_iter().map(|a| (a.user_id, a)).collect());
                    self.opened.set(true);
                }
                BoardEvent::Changed { services, agents, gone, server_now_ms } => {
                    self.skew_ms.set(browser_now - server_now_ms);
                    self.services.set(services);
                    self.agents.update(|all| {
                        for a in agents {
                            all.insert(a.user_id, a);
                        }
                        for u in gone {
                            all.remove(&u);
                        }
                    });
                }
            }
        }
    }

    #[cfg(feature = "hydrate")]
    pub fn connect(board: BoardState) {
        use send_wrapper::SendWrapper;
        use wasm_bindgen::{JsCast, closure::Closure};

        fn now_ms() -> i64 {
            web_sys::js_sys::Date::now() as i64
        }

        board.now_ms.set(now_ms());
        let tick = gloo_timers::callback::Interval::new(1_000, move || board.now_ms.set(now_ms()));
        let Ok(source) = web_sys::EventSource::new("/board/events") else { return };
        let on_message = Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |ev: web_sys::MessageEvent| {
            let Some(text) = ev.data().as_string() else { return };
            match serde_json::from_str(&text) {
                Ok(event) => board.apply(event, now_ms()),
                Err(e) => leptos::logging::warn!("unreadable board event: {e}"),
            }
        });
        let on_open = Closure::<dyn FnMut()>::new(move || board.live.set(true));
        let on_error = Closure::<dyn FnMut()>::new(move || board.live.set(false));
        source.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        source.set_onopen(Some(on_open.as_ref().unchecked_ref()));
        source.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        let owned = SendWrapper::new((source, tick, on_message, on_open, on_error));
        on_cleanup(move || {
            let (source, tick, ..) = owned.take();
            source.close();
            tick.cancel();
        });
    }

    #[cfg(not(feature = "hydrate"))]
    pub fn connect(_board: BoardState) {}
}

mod view {
    //! How a service and its agents are drawn.

    use leptos::prelude::*;

    use super::live::BoardState;
    use crate::i18n::{Key, t};
    use crate::model::{FloorAgent, QueueFigures, ServiceBoard};
    use crate::time::format_duration;
    use crate::widget::status_label;

    #[component]
    pub fn ServiceCard(service: ServiceBoard, board: BoardState) -> impl IntoView {
        let id = service.service_id;
        let heading = format!("service-{id}");
        let labelled_by = heading.clone();
        let live = move || board.services.with(|all| all.iter().find(|s| s.service_id == id).cloned());
        let agents = move || {
            let mut list: Vec<FloorAgent> =
                board.agents.with(|all| all.values().filter(|a| a.service_id == id).cloned().collect());
            list.sort_by(|a, b| a.name.cmp(&b.name));
            list
        };
        view! {
            <section class="card board-service" aria-labelledby=labelled_by>
                <h2 id=heading>{service.name.clone()}</h2>
                {move || live().map(|s| view! { <Figures service=s board /> })}
                <table class="list floor">
                    <caption class="visually-hidden">{t(Key::BoardAgents)}</caption>
                    <thead><tr>
                        <th scope="col">{t(Key::RoleOperator)}</th>
                        <th scope="col">{t(Key::TicketStatus)}</th>
                        <th scope="col">{t(Key::BoardInStatus)}</th>
                        <th scope="col">{t(Key::BoardCall)}</th>
                    </tr></thead>
                    <tbody>
                        <For each=agents key=|a| (a.user_id, a.status, a.since_ms, a.call.as_ref().map(|c| (c.since_ms, c.ticket_id))) let:a>
                            <AgentRow agent=a board />
                        </For>
                    </tbody>
                </table>
            </section>
        }
    }

    #[component]
    fn Figures(service: ServiceBoard, board: BoardState) -> impl IntoView {
        let QueueFigures { offered, answered, abandoned, longest_wait_ms, .. } = service.today;
        let today = service.today;
        let oldest = service.oldest_since_ms;
        let waiting_now = service.waiting > 0;
        let waiting_for = move || oldest.map(|since| format_duration(board.server_now() - since));
        let ms = |v: Option<i64>| v.map_or_else(|| "—".to_owned(), format_duration);
        let tiles: Vec<(Key, String)> = vec![
            (Key::BoardOffered, offered.to_string()),
            (Key::BoardAnswered, answered.to_string()),
            (Key::BoardAbandoned, abandoned.to_string()),
            (
                Key::BoardServiceLevel,
                today.service_level_percent().map_or_else(|| "—".to_owned(), |p| format!("{p:.0}%")),
            ),
            (Key::BoardAverageAnswer, ms(today.average_answer_ms())),
            (Key::BoardAverageHandle, ms(today.average_handle_ms())),
            (Key::BoardLongestWait, ms((answered + abandoned > 0).then_some(longest_wait_ms))),
        ];
        view! {
            <dl class="figures now">
                <div class:alert=waiting_now>
                    <dt>{t(Key::CallsWaiting)}</dt>
                    <dd>{service.waiting}</dd>
                </div>
                <div>
                    <dt>{t(Key::BoardOldestWait)}</dt>
                    <dd>{move || waiting_for().unwrap_or_else(|| "—".into())}</dd>
                </div>
            </dl>
            <h3 class="figures-title">{t(Key::BoardToday)}</h3>
            <dl class="figures today">
                {tiles.into_iter().map(|(k, v)| view! { <div><dt>{t(k)}</dt><dd>{v}</dd></div> }).collect_view()}
            </dl>
        }
    }

    #[component]
    fn AgentRow(agent: FloorAgent, board: BoardState) -> impl IntoView {
        let since = agent.since_ms;
        let call = agent.call.map(|c| {
            let started = c.since_ms;
            let number = view! { <span class="number">{c.customer.shown}</span> };
            let number = match c.ticket_id {
                Some(id) => view! { <a href=format!("/tickets/{id}")>{number}</a> }.into_any(),
                None => number.into_any(),
            };
            view! { {number}" "<span class="muted">{move || format_duration(board.server_now() - started)}</span> }
        });
        view! {
            <tr>
                <th scope="row">{agent.name}</th>
                <td class="status">
                    <span class=format!("status-dot {}", agent.status.as_str()) aria-hidden="true"></span>
                    {status_label(agent.status)}
                </td>
                <td class="number">{move || format_duration(board.server_now() - since)}</td>
                <td>{call}</td>
            </tr>
        }
    }
}
