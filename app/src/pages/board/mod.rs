//! ボード: the supervisor's view of the floor, live. Per service: the callers waiting
//! and the longest wait now, and today's figures; under it, each agent's status, how
//! long they have been in it, and their call. The server pushes it (`/board/events`) at
//! most once a second; the page only counts the seconds in between.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::domain::board_scope;
use crate::i18n::{Key, t};
use crate::model::SessionInfo;

mod control;
mod live;
mod view;

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
        <control::SetStatusDialog board />
    }
}
