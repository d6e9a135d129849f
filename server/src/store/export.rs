//! The call log as CSV, streamed: calls are read in chunks along an index (queued time,
//! id) and each chunk is written out before the next is read, so an export of a year
//! holds one chunk in memory, not the year.

use app::domain::TicketScope;
use app::i18n::{Key, Locale, text};
use app::model::{CallDirection, CallRecord};
use app::time::format_datetime;
use axum::body::Bytes;
use futures::Stream;
use sea_orm::{ColumnTrait, Condition, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

use super::call_log::CallLog;
use super::entities::call;
use super::{Store, StoreError, now_ms};

/// How many calls one read brings.
const CHUNK: u64 = 500;

/// Where the export has got to.
enum Progress {
    Header,
    After(Option<(i64, String)>),
    Done,
}

/// The calls of `scope` queued in `[from_ms, before_ms)`, oldest first, as CSV (UTF-8
/// with a byte-order mark, so that spreadsheet programs read the Japanese right).
pub fn call_log_csv(
    store: Store,
    scope: TicketScope,
    from_ms: i64,
    before_ms: i64,
    locale: Locale,
) -> impl Stream<Item = Result<Bytes, StoreError>> + Send + 'static {
    futures::stream::unfold(Progress::Header, move |progress| {
        let store = store.clone();
        async move {
            match progress {
                Progress::Header => {
                    let mut out = "\u{feff}".as_bytes().to_vec();
                    write_rows(&mut out, [header(locale)]);
                    Some((Ok(Bytes::from(out)), Progress::After(None)))
                }
                Progress::After(cursor) => match chunk(&store, scope, from_ms, before_ms, cursor).await {
                    Ok(calls) if calls.is_empty() => None,
                    Ok(calls) => {
                        let last = calls.last().map(|c| (c.queued_at, c.id.clone()));
                        match CallLog::load(&store.db, store.reading, calls, now_ms()).await {
                            Ok(records) => {
                                let mut out = Vec::new();
                                write_rows(&mut out, records.iter().map(|r| row(r, locale)));
                                Some((Ok(Bytes::from(out)), Progress::After(last)))
                            }
                            Err(e) => Some((Err(e), Progress::Done)),
                        }
                    }
                    Err(e) => Some((Err(e), Progress::Done)),
                },
                Progress::Done => None,
            }
        }
    })
}

async fn chunk(
    store: &Store,
    scope: TicketScope,
    from_ms: i64,
    before_ms: i64,
    after: Option<(i64, String)>,
) -> Result<Vec<call::Model>, StoreError> {
    let mut q = call::Entity::find()
        .filter(call::Column::TenantId.eq(scope.tenant_id))
        .filter(call::Column::QueuedAt.gte(from_ms))
        .filter(call::Column::QueuedAt.lt(before_ms));
    if let Some(service) = scope.service_id {
        q = q.filter(call::Column::ServiceId.eq(service));
    }
    if let Some((at, id)) = after {
        q = q.filter(
            Condition::any()
                .add(call::Column::QueuedAt.gt(at))
                .add(Condition::all().add(call::Column::QueuedAt.eq(at)).add(call::Column::Id.gt(id))),
        );
    }
    Ok(q.order_by_asc(call::Column::QueuedAt).order_by_asc(call::Column::Id).limit(CHUNK).all(&store.db).await?)
}

fn write_rows<I, R>(out: &mut Vec<u8>, rows: I)
where
    I: IntoIterator<Item = R>,
    R: IntoIterator<Item = String>,
{
    let mut w = csv::Writer::from_writer(out);
    for r in rows {
        // Writing to memory cannot fail.
        let _ = w.write_record(r);
    }
    let _ = w.flush();
}

fn header(l: Locale) -> Vec<String> {
    let secs = |k: Key| format!("{}({})", text(l, k), text(l, Key::Seconds));
    vec![
        text(l, Key::CallId).to_owned(),
        text(l, Key::Ticket).to_owned(),
        text(l, Key::Direction).to_owned(),
        text(l, Key::CustomerNumber).to_owned(),
        text(l, Key::ServiceNumber).to_owned(),
        text(l, Key::Assignee).to_owned(),
        text(l, Key::AgentsInvolved).to_owned(),
        text(l, Key::QueuedAt).to_owned(),
        text(l, Key::OfferedAt).to_owned(),
        text(l, Key::AnsweredAt).to_owned(),
        text(l, Key::EndedAt).to_owned(),
        secs(Key::TalkTime),
        secs(Key::HoldTime),
        text(l, Key::HoldCount).to_owned(),
        text(l, Key::EndReason).to_owned(),
        text(l, Key::EndedBy).to_owned(),
        text(l, Key::Transfer).to_owned(),
        text(l, Key::ForceEndMessagePlayed).to_owned(),
    ]
}

fn row(r: &CallRecord, l: Locale) -> Vec<String> {
    let time = |ms: Option<i64>| ms.map(format_datetime).unwrap_or_default();
    vec![
        r.call_id.clone(),
        r.ticket_id.map(|t| t.to_string()).unwrap_or_default(),
        text(
            l,
            match r.direction {
                CallDirection::Inbound => Key::Inbound,
                CallDirection::Outbound => Key::Outbound,
            },
        )
        .to_owned(),
        // E.164: a file read by other programs keeps numbers whole and unambiguous.
        r.customer_number.e164.clone(),
        r.service_number.e164.clone(),
        r.agent.clone().unwrap_or_default(),
        r.agents.join(" / "),
        format_datetime(r.queued_at_ms),
        time(r.offered_at_ms),
        time(r.answered_at_ms),
        time(r.ended_at_ms),
        r.talk_ms.map(|ms| (ms / 1000).to_string()).unwrap_or_default(),
        (r.hold_ms / 1000).to_string(),
        r.holds.to_string(),
        r.end_reason.map(|e| text(l, e.label_key()).to_owned()).unwrap_or_default(),
        r.ended_by.clone().unwrap_or_default(),
        r.transfers.iter().map(|(from, to)| format!("{from} → {to}")).collect::<Vec<_>>().join(" / "),
        r.force_end_message.clone().unwrap_or_default(),
    ]
}
