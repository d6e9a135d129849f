//! The ticket list: filters in the page's address (so a filtered list can be shared,
//! bookmarked and gone back to), keyset pages of 50, the count of all that match.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Redirect;
use leptos_router::hooks::use_query_map;

use super::export::ExportCalls;
use super::{channel_label, direction_label};
use crate::api::{list_tickets, ticket_assignees};
use crate::domain::may_export_calls;
use crate::domain::ticket_query::{TicketSort, field, with_page};
use crate::i18n::{Key, locale, t};
use crate::model::{Channel, Role, SessionInfo, TicketFilter, TicketPage, TicketStatus};
use crate::pages::form::{FieldError, Problems, error_id};
use crate::time::format_datetime;

/// The home page of everyone who works tickets.
#[component]
pub fn TicketList() -> impl IntoView {
    let session = use_context::<Option<SessionInfo>>().flatten();
    // The platform admin has no tickets: their home is the tenants' contracts.
    if session.as_ref().is_some_and(|s| s.role == Role::PlatformAdmin) {
        return view! { <Redirect path="/platform/contracts" /> }.into_any();
    }
    let can_export = session.as_ref().is_some_and(may_export_calls);
    let query = use_query_map();
    let filter = Memo::new(move |_| {
        query.with(|q| {
            let get = |k: &str| q.get(k).unwrap_or_default();
            TicketFilter {
                status: get(field::STATUS),
                assignee: get(field::ASSIGNEE),
                channel: get(field::CHANNEL),
                direction: get(field::DIRECTION),
                from: get(field::FROM),
                to: get(field::TO),
                customer: get(field::CUSTOMER),
                sort: get(field::SORT),
                after: get("after"),
                before: get("before"),
            }
        })
    });
    let page = crate::api::load(move || filter.get(), list_tickets);
    let problems = Problems::new();
    view! {
        <Title text=format!("{} – {}", t(Key::Tickets), t(Key::AppName)) />
        <main class="page tickets-page">
            <h1>{t(Key::Tickets)}</h1>
            // The form is drawn with the answer, so that a refused filter is shown beside
            // its field.
            <Suspense fallback=|| view! { <p class="muted">{t(Key::Connecting)}</p> }>
                {move || page.get().map(|r| {
                    match &r {
                        Err(e) => problems.show(e),
                        Ok(_) => problems.clear(),
                    }
                    let results = match r {
                        Err(e) => view! { <p class="error" role="alert">{e.message(locale())}</p> }.into_any(),
                        Ok(p) => view! { <Results page=p filter=filter.get_untracked() /> }.into_any(),
                    };
                    view! { <Filters filter problems /> {results} }
                })}
            </Suspense>
            {can_export.then(|| view! { <ExportCalls /> })}
        </main>
    }
    .into_any()
}

/// The filter form: a plain GET form, so the filters live in the address; applying
/// them loads the filtered list.
#[component]
fn Filters(filter: Memo<TicketFilter>, problems: Problems) -> impl IntoView {
    let assignees = crate::api::load(|| (), |_| ticket_assignees());
    let f = move || filter.get();
    let option = move |value: String, label: String, current: fn(&TicketFilter) -> &String| {
        let v = value.clone();
        view! { <option value=value selected=move || filter.with(|f| current(f) == &v)>{label}</option> }
    };
    let any = move |current: fn(&TicketFilter) -> &String| option(String::new(), t(Key::Any).to_owned(), current);
    let invalid = move |name: &'static str| problems.bad(name);
    let date = move |name: &'static str, label: Key, current: fn(&TicketFilter) -> String| {
        view! {
            <label class:invalid=move || invalid(name)>
                <span>{t(label)}</span>
                <input type="date" name=name value=move || current(&f())
                    aria-invalid=move || invalid(name).to_string() aria-describedby=error_id("filters", name) />
                <FieldError problems scope="filters" field=name />
            </label>
        }
    };
    view! {
        <form method="get" action="/" class="filters card" aria-label=t(Key::Filters)>
            <label class:invalid=move || invalid(field::STATUS)>
                <span>{t(Key::TicketStatus)}</span>
                <select name=field::STATUS aria-describedby=error_id("filters", field::STATUS)>
                    {any(|f| &f.status)}
                    {TicketStatus::ALL.into_iter().map(|s| option(s.as_str().into(), t(s.label_key()).into(), |f| &f.status)).collect_view()}
                </select>
                <FieldError problems scope="filters" field=field::STATUS />
            </label>
            <label class:invalid=move || invalid(field::ASSIGNEE)>
                <span>{t(Key::Assignee)}</span>
                <select name=field::ASSIGNEE aria-describedby=error_id("filters", field::ASSIGNEE)>
                    {any(|f| &f.assignee)}
                    {option("me".into(), t(Key::AssigneeMe).into(), |f| &f.assignee)}
                    {option("none".into(), t(Key::Unassigned).into(), |f| &f.assignee)}
                    <Suspense>
                        {move || assignees.get().and_then(Result::ok).map(|people| people.into_iter()
                            .map(|p| option(p.user_id.to_string(), p.name, |f| &f.assignee))
                            .collect_view())}
                    </Suspense>
                </select>
                <FieldError problems scope="filters" field=field::ASSIGNEE />
            </label>
            <label class:invalid=move || invalid(field::CHANNEL)>
                <span>{t(Key::Channel)}</span>
                <select name=field::CHANNEL aria-describedby=error_id("filters", field::CHANNEL)>
                    {any(|f| &f.channel)}
                    {Channel::ALL.into_iter().map(|c| option(c.as_str().into(), channel_label(c).into(), |f| &f.channel)).collect_view()}
                </select>
                <FieldError problems scope="filters" field=field::CHANNEL />
            </label>
            <label class:invalid=move || invalid(field::DIRECTION)>
                <span>{t(Key::Direction)}</span>
                <select name=field::DIRECTION aria-describedby=error_id("filters", field::DIRECTION)>
                    {any(|f| &f.direction)}
                    {option("inbound".into(), direction_label(crate::model::CallDirection::Inbound).into(), |f| &f.direction)}
                    {option("outbound".into(), direction_label(crate::model::CallDirection::Outbound).into(), |f| &f.direction)}
                </select>
                <FieldError problems scope="filters" field=field::DIRECTION />
            </label>
            {date(field::FROM, Key::CreatedFrom, |f| f.from.clone())}
            {date(field::TO, Key::CreatedTo, |f| f.to.clone())}
            <label class:invalid=move || invalid(field::CUSTOMER)>
                <span>{t(Key::CustomerNumber)}</span>
                <input type="tel" name=field::CUSTOMER autocomplete="off" value=move || f().customer
                    aria-invalid=move || invalid(field::CUSTOMER).to_string() aria-describedby=error_id("filters", field::CUSTOMER) />
                <FieldError problems scope="filters" field=field::CUSTOMER />
            </label>
            <label class:invalid=move || invalid(field::SORT)>
                <span>{t(Key::Sort)}</span>
                <select name=field::SORT aria-describedby=error_id("filters", field::SORT)>
                    {[(TicketSort::CreatedDesc, Key::SortCreatedDesc), (TicketSort::CreatedAsc, Key::SortCreatedAsc),
                      (TicketSort::UpdatedDesc, Key::SortUpdatedDesc), (TicketSort::UpdatedAsc, Key::SortUpdatedAsc)]
                        .into_iter()
                        .map(|(s, k)| {
                            // The default order is also what an empty `sort` means.
                            let v = s.as_str();
                            view! { <option value=v selected=move || filter.with(|f| f.sort == v || (f.sort.is_empty() && s == TicketSort::default()))>{t(k)}</option> }
                        })
                        .collect_view()}
                </select>
                <FieldError problems scope="filters" field=field::SORT />
            </label>
            <div class="filter-actions">
                <button type="submit" class="primary">{t(Key::ApplyFilters)}</button>
                <a href="/">{t(Key::ClearFilters)}</a>
            </div>
        </form>
    }
}

/// The count, one page of tickets, and the way to the pages either side.
#[component]
fn Results(page: TicketPage, filter: TicketFilter) -> impl IntoView {
    if page.tickets.is_empty() && page.prev.is_none() {
        let empty = if filter == TicketFilter::default() { Key::NoTickets } else { Key::NoMatches };
        return view! { <p class="muted" role="status">{t(empty)}</p> }.into_any();
    }
    let link = |cursor: Option<String>, forward: bool, key: Key| {
        let href = cursor.map(|c| format!("/?{}", query_string(&with_page(&filter, &c, forward))));
        match href {
            Some(href) => view! { <a href=href rel=if forward { "next" } else { "prev" }>{t(key)}</a> }.into_any(),
            None => view! { <span class="disabled" aria-disabled="true">{t(key)}</span> }.into_any(),
        }
    };
    view! {
        <p class="count" role="status">{page.total}{t(Key::CountSuffix)}</p>
        <table class="list tickets">
            <thead><tr>
                <th scope="col">"#"</th>
                <th scope="col">{t(Key::Subject)}</th>
                <th scope="col">{t(Key::Customer)}</th>
                <th scope="col">{t(Key::TicketStatus)}</th>
                <th scope="col">{t(Key::Assignee)}</th>
                <th scope="col">{t(Key::Channel)}</th>
                <th scope="col">{t(Key::CreatedAt)}</th>
                <th scope="col">{t(Key::UpdatedAt)}</th>
            </tr></thead>
            <tbody>
                {page.tickets.into_iter().map(|tk| view! {
                    <tr>
                        <td class="number">{tk.id}</td>
                        <td><a href=format!("/tickets/{}", tk.id)>{tk.subject}</a></td>
                        <td>
                            {tk.customer_name.map(|n| view! { <span class="customer-name">{n}</span><br /> })}
                            <span class="number">{tk.customer_number.map(|n| n.shown)}</span>
                        </td>
                        <td><span class=format!("badge status-{}", tk.status.as_str())>{t(tk.status.label_key())}</span></td>
                        <td>{tk.assignee.unwrap_or_else(|| t(Key::Unassigned).to_owned())}</td>
                        <td>
                            {channel_label(tk.channel)}
                            {tk.direction.map(|d| format!("（{}）", direction_label(d)))}
                        </td>
                        <td>{format_datetime(tk.created_at_ms)}</td>
                        <td>{format_datetime(tk.updated_at_ms)}</td>
                    </tr>
                }).collect_view()}
            </tbody>
        </table>
        <nav class="pagination" aria-label=t(Key::Pagination)>
            {link(page.prev, false, Key::PrevPage)}
            {link(page.next, true, Key::NextPage)}
        </nav>
    }
    .into_any()
}

/// The address query of a filter, without its empty fields.
fn query_string(f: &TicketFilter) -> String {
    [
        (field::STATUS, &f.status),
        (field::ASSIGNEE, &f.assignee),
        (field::CHANNEL, &f.channel),
        (field::DIRECTION, &f.direction),
        (field::FROM, &f.from),
        (field::TO, &f.to),
        (field::CUSTOMER, &f.customer),
        (field::SORT, &f.sort),
        ("after", &f.after),
        ("before", &f.before),
    ]
    .into_iter()
    .filter(|(_, v)| !v.is_empty())
    .map(|(k, v)| format!("{k}={}", encode(v)))
    .collect::<Vec<_>>()
    .join("&")
}

/// Percent-encodes a query value (a customer number may hold `+` and spaces).
fn encode(v: &str) -> String {
    v.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => (b as char).to_string(),
            b => format!("%{b:02X}"),
        })
        .collect()
}
