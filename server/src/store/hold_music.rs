//! A tenant's own hold music: the recording an administrator uploaded in CTI設定, kept
//! as 8 kHz mono 16-bit samples (the browser decodes and resamples the file; the server
//! never parses an uploaded audio format).

use std::collections::HashMap;

use app::model::{AuditAction, HoldMusicFile};
use sea_orm::{ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter, QuerySelect, TransactionTrait};

use super::audit::Audit;
use super::entities::{hold_music, tenant};
use super::{Store, StoreError};

impl Store {
    /// Keeps `samples` as the tenant's own hold music (replacing the one before), with
    /// the audit entry of the upload.
    pub async fn save_hold_music(
        &self,
        tenant_id: i32,
        actor_id: i32,
        file_name: &str,
        samples: &[i16],
        now: i64,
    ) -> Result<HoldMusicFile, StoreError> {
        let after = HoldMusicFile {
            file_name: file_name.to_owned(),
            duration_ms: samples.len() as i64 / 8,
            uploaded_at_ms: now,
        };
        let txn = self.db.begin().await?;
        let before = file_of(&txn, tenant_id).await?;
        let row = hold_music::ActiveModel {
            tenant_id: Set(tenant_id),
            file_name: Set(after.file_name.clone()),
            samples: Set(samples.iter().flat_map(|s| s.to_le_bytes()).collect()),
            duration_ms: Set(after.duration_ms),
            uploaded_at: Set(now),
            uploaded_by: Set(actor_id),
        };
        use sea_orm::sea_query::OnConflict;
        hold_music::Entity::insert(row)
            .on_conflict(
                OnConflict::column(hold_music::Column::TenantId)
                    .update_columns([
                        hold_music::Column::FileName,
                        hold_music::Column::Samples,
                        hold_music::Column::DurationMs,
                        hold_music::Column::UploadedAt,
                        hold_music::Column::UploadedBy,
                    ])
                    .to_owned(),
            )
            .exec(&txn)
            .await?;
        let t = tenant::Entity::find_by_id(tenant_id).one(&txn).await?;
        let subject = t.as_ref().map(|t| t.name.as_str()).unwrap_or_default();
        Audit { tenant_id, actor_id, action: AuditAction::HoldMusicUpload, subject, at: now }
            .record(&txn, before.as_ref(), Some(&after))
            .await?;
        txn.commit().await?;
        Ok(after)
    }

    /// What the tenant uploaded, without the recording itself.
    pub async fn hold_music_file(&self, tenant_id: i32) -> Result<Option<HoldMusicFile>, StoreError> {
        Ok(file_of(&self.db, tenant_id).await?)
    }

    /// The tenant's own recording and its version (when it was uploaded).
    pub async fn hold_music_samples(&self, tenant_id: i32) -> Result<Option<(i64, Vec<i16>)>, StoreError> {
        let row = hold_music::Entity::find_by_id(tenant_id).one(&self.db).await?;
        Ok(row.map(|r| {
            let samples = r.samples.chunks_exact(2).map(|b| i16::from_le_bytes([b[0], b[1]])).collect();
            (r.uploaded_at, samples)
        }))
    }

    /// Every tenant's hold music version, for routing at start.
    pub async fn hold_music_versions(&self) -> Result<HashMap<i32, i64>, StoreError> {
        let rows: Vec<(i32, i64)> = hold_music::Entity::find()
            .select_only()
            .column(hold_music::Column::TenantId)
            .column(hold_music::Column::UploadedAt)
            .into_tuple()
            .all(&self.db)
            .await?;
        Ok(rows.into_iter().collect())
    }
}

/// The upload's description, read without its samples.
async fn file_of<C: sea_orm::ConnectionTrait>(db: &C, tenant_id: i32) -> Result<Option<HoldMusicFile>, sea_orm::DbErr> {
    let row: Option<(String, i64, i64)> = hold_music::Entity::find()
        .filter(hold_music::Column::TenantId.eq(tenant_id))
        .select_only()
        .column(hold_music::Column::FileName)
        .column(hold_music::Column::DurationMs)
        .column(hold_music::Column::UploadedAt)
        .into_tuple()
        .one(db)
        .await?;
    Ok(row.map(|(file_name, duration_ms, uploaded_at_ms)| HoldMusicFile { file_name, duration_ms, uploaded_at_ms }))
}
