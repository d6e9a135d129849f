//! Screen pop: who is on the line. While a call rings or goes on, the widget shows the
//! known customer's name and notes and the number's recent tickets.

use leptos::prelude::*;

use super::store::PhoneStore;
use crate::api::lookup_caller;
use crate::i18n::{Key, t};
use crate::time::format_datetime;

#[component]
pub fn CallerPop() -> impl IntoView {
    let store = expect_context::<PhoneStore>();
    // Keyed on the number alone: the card is read once a call, not on every push.
    let number = Memo::new(move |_| {
        store.view.with(|v| v.as_ref().and_then(|v| v.call.as_ref()).map(|c| c.customer_number.e164.clone()))
    });
    let card = LocalResource::new(move || {
        let number = number.get();
        async move {
            match number {
                Some(n) => lookup_caller(n).await.ok(),
                None => None,
            }
        }
    });
    move || {
        let card = card.get().flatten().filter(|c| number.with(|n| n.as_deref() == Some(c.number.e164.as_str())))?;
        Some(view! {
            <section class="caller-card" aria-labelledby="caller-card-title">
                <h3 id="caller-card-title">{t(Key::Customer)}</h3>
                {match card.name {
                    Some(name) => view! { <p class="customer-name">{name}</p> }.into_any(),
                    None => view! { <p class="muted">{t(Key::UnknownCustomer)}</p> }.into_any(),
                }}
                {(!card.notes.is_empty()).then(|| view! { <p class="customer-notes">{card.notes.clone()}</p> })}
                {(!card.recent.is_empty()).then(|| view! {
                    <h4 id="recent-tickets-title">{t(Key::RecentTickets)}</h4>
                    <ul class="recent-tickets" aria-labelledby="recent-tickets-title">
                        {card.recent.iter().map(|tk| view! {
                            <li>
                                <a href=format!("/tickets/{}", tk.id)>{format!("#{} {}", tk.id, tk.subject)}</a>
                                <span class="badge">{t(tk.status.label_key())}</span>
                                <span class="muted">{format_datetime(tk.created_at_ms)}</span>
                            </li>
                        }).collect_view()}
                    </ul>
                })}
            </section>
        })
    }
}
