//! Keeping the simulator's lines in the store, written before anyone is told of a
//! change, as a telephone network would keep its calls through a restart of ours.

use sea_orm::sea_query::OnConflict;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, Set};

use super::{LineState, Party, SimCall};
use crate::store::entities::sim_line;
use crate::store::{Store, StoreError};

fn name<T: serde::Serialize>(v: &T) -> String {
    serde_json::to_value(v).ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default()
}

fn parse<T: serde::de::DeserializeOwned>(s: &str) -> Option<T> {
    serde_json::from_value(serde_json::Value::String(s.to_owned())).ok()
}

pub async fn save(store: &Store, line: &SimCall) -> Result<(), StoreError> {
    let model = sim_line::ActiveModel {
        call_id: Set(line.call_id.clone()),
        direction: Set(name(&line.direction)),
        from_number: Set(line.from.clone()),
        to_number: Set(line.to.clone()),
        state: Set(name(&line.state)),
        created_at: Set(line.created_at_ms),
        answered_at: Set(line.answered_at_ms),
        ended_at: Set(line.ended_at_ms),
        ended_by: Set(line.ended_by.as_ref().map(name)),
        events: Set(serde_json::to_string(&line.events).unwrap_or_else(|_| "[]".into())),
    };
    sim_line::Entity::insert(model)
        .on_conflict(
            OnConflict::column(sim_line::Column::CallId)
                .update_columns([
                    sim_line::Column::State,
                    sim_line::Column::AnsweredAt,
                    sim_line::Column::EndedAt,
                    sim_line::Column::EndedBy,
                    sim_line::Column::Events,
                ])
                .to_owned(),
        )
        .exec(&store.lines)
        .await?;
    Ok(())
}

/// The lines still up, oldest first.
pub async fn live(store: &Store) -> Result<Vec<SimCall>, StoreError> {
    let rows = sim_line::Entity::find()
        .filter(sim_line::Column::State.ne(name(&LineState::Ended)))
        .order_by_asc(sim_line::Column::CreatedAt)
        .all(&store.lines)
        .await?;
    Ok(rows.into_iter().map(from_row).collect())
}

/// A line as the store has it, ended ones included (the API shows old calls too).
pub async fn find(store: &Store, call_id: &str) -> Result<Option<SimCall>, StoreError> {
    Ok(sim_line::Entity::find_by_id(call_id.to_owned()).one(&store.lines).await?.map(from_row))
}

fn from_row(r: sim_line::Model) -> SimCall {
    let events: Vec<super::LineEvent> = serde_json::from_str(&r.events).unwrap_or_default();
    SimCall {
        hold_music: SimCall::hold_music_after(&events),
        state: parse(&r.state).unwrap_or(LineState::Ended),
        direction: parse(&r.direction).unwrap_or(app::model::CallDirection::Inbound),
        ended_by: r.ended_by.as_deref().and_then(parse::<Party>),
        events,
        call_id: r.call_id,
        from: r.from_number,
        to: r.to_number,
        created_at_ms: r.created_at,
        answered_at_ms: r.answered_at,
        ended_at_ms: r.ended_at,
        heard: None,
    }
}
