//! Leases on tenants' routing, for several instances on one PostgreSQL
//! (`RINGDESK_CLUSTER`, docs/scale-out.md). An instance routes a tenant only while it
//! holds the tenant's lease; each new holder raises the lease's epoch, and every
//! routing transaction begins by checking that the epoch is still its own (`fence`),
//! so an instance that froze past its lease and woke up writes nothing. Expiry is read
//! on the database's clock: instances' clocks may differ.

use sea_orm::{ConnectionTrait, DatabaseBackend, DatabaseTransaction, Statement, Value};

use super::{Store, StoreError};

/// A tenant's lease, as held by this instance.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Lease {
    pub tenant_id: i32,
    pub epoch: i64,
}

/// The database clock, in milliseconds.
const NOW_MS: &str = "(EXTRACT(EPOCH FROM clock_timestamp()) * 1000)::BIGINT";

fn statement(sql: String, values: Vec<Value>) -> Statement {
    Statement::from_sql_and_values(DatabaseBackend::Postgres, sql, values)
}

impl Store {
    /// Takes `tenant`'s lease for `owner` for `ttl_ms`, if no one holds it (never held,
    /// run out, or released); answers it with its new epoch, or `None` while another
    /// instance holds it.
    pub async fn take_lease(&self, tenant: i32, owner: &str, ttl_ms: i64) -> Result<Option<Lease>, StoreError> {
        let sql = format!(
            "INSERT INTO routing_leases (tenant_id, owner, epoch, expires_at) VALUES ($1, $2, 1, {NOW_MS} + $3) \
             ON CONFLICT (tenant_id) DO UPDATE SET owner = excluded.owner, epoch = routing_leases.epoch + 1, \
             expires_at = excluded.expires_at WHERE routing_leases.expires_at < {NOW_MS} \
             RETURNING epoch"
        );
        let row = self.db.query_one_raw(statement(sql, vec![tenant.into(), owner.into(), ttl_ms.into()])).await?;
        Ok(match row {
            Some(row) => Some(Lease { tenant_id: tenant, epoch: row.try_get_by_index(0)? }),
            None => None,
        })
    }

    /// Keeps `lease` for `ttl_ms` more; answers whether it is still `owner`'s.
    pub async fn keep_lease(&self, lease: Lease, owner: &str, ttl_ms: i64) -> Result<bool, StoreError> {
        let sql = format!(
            "UPDATE routing_leases SET expires_at = {NOW_MS} + $4 WHERE tenant_id = $1 AND owner = $2 AND epoch = $3"
        );
        let values = vec![lease.tenant_id.into(), owner.into(), lease.epoch.into(), ttl_ms.into()];
        Ok(self.db.execute_raw(statement(sql, values)).await?.rows_affected() == 1)
    }

    /// Gives `lease` up at once (an instance stopping), so that another takes the
    /// tenant without waiting for it to run out.
    pub async fn release_lease(&self, lease: Lease, owner: &str) -> Result<(), StoreError> {
        let sql = "UPDATE routing_leases SET expires_at = 0 WHERE tenant_id = $1 AND owner = $2 AND epoch = $3";
        let values = vec![lease.tenant_id.into(), owner.into(), lease.epoch.into()];
        self.db.execute_raw(statement(sql.into(), values)).await?;
        Ok(())
    }

    /// The tenants whose lease no one holds: never held, run out or released.
    pub async fn unleased_tenants(&self) -> Result<Vec<i32>, StoreError> {
        let sql = format!(
            "SELECT t.id FROM tenants t LEFT JOIN routing_leases l ON l.tenant_id = t.id \
             WHERE l.tenant_id IS NULL OR l.expires_at < {NOW_MS} ORDER BY t.id"
        );
        let rows = self.db.query_all_raw(statement(sql, vec![])).await?;
        rows.iter().map(|r| r.try_get_by_index::<i32>(0).map_err(StoreError::from)).collect()
    }

    /// Runs the lease's expiry out now, as if its holder had stopped renewing it (a
    /// frozen instance, for tests and the chaos harness).
    pub async fn expire_lease(&self, tenant: i32) -> Result<(), StoreError> {
        let sql = "UPDATE routing_leases SET expires_at = 0 WHERE tenant_id = $1";
        self.db.execute_raw(statement(sql.into(), vec![tenant.into()])).await?;
        Ok(())
    }
}

impl Store {
    /// Where routing finds the tenant of a command on any instance (`RINGDESK_CLUSTER`):
    /// every service's number, as `ServiceLine`s.
    pub async fn service_lines(&self) -> Result<Vec<crate::routing::state::ServiceLine>, StoreError> {
        use super::entities::service;
        use sea_orm::EntityTrait;
        Ok(service::Entity::find()
            .all(&self.db)
            .await?
            .into_iter()
            .map(|s| crate::routing::state::ServiceLine {
                service_id: s.id,
                tenant_id: s.tenant_id,
                number: s.inbound_number,
            })
            .collect())
    }

    /// The tenant of user `user`, if there is such a user.
    pub async fn tenant_of_user(&self, user: app::model::UserId) -> Result<Option<i32>, StoreError> {
        use super::entities::user;
        use sea_orm::EntityTrait;
        Ok(user::Entity::find_by_id(user).one(&self.db).await?.map(|u| u.tenant_id))
    }

    /// The tenant of the call `id`, if the store has it; and of a number customers
    /// dial, if a service answers it (a service created after start-up).
    pub async fn tenant_of_call(&self, id: &str, number: Option<&str>) -> Result<Option<i32>, StoreError> {
        use super::entities::{call, service};
        use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
        if let Some(c) = call::Entity::find_by_id(id).one(&self.db).await? {
            return Ok(Some(c.tenant_id));
        }
        let Some(number) = number else { return Ok(None) };
        let line = service::Entity::find().filter(service::Column::InboundNumber.eq(number)).one(&self.db).await?;
        Ok(line.map(|s| s.tenant_id))
    }
}

/// The fence at the start of a routing transaction: locks the lease's row until the
/// transaction ends (a new holder waits for it) and answers `Fenced` if the lease has
/// passed to another epoch since. It also sets the transaction's `ringdesk.epoch`, which
/// stamps each call event written in it (migration 020): the record of which tenure
/// wrote what, that the chaos harness reads.
pub async fn fence(txn: &DatabaseTransaction, lease: Lease) -> Result<(), StoreError> {
    let sql = "UPDATE routing_leases SET epoch = epoch \
               WHERE tenant_id = $1 AND epoch = $2 AND set_config('ringdesk.epoch', $2::TEXT, true) <> ''";
    let done = txn.execute_raw(statement(sql.into(), vec![lease.tenant_id.into(), lease.epoch.into()])).await?;
    match done.rows_affected() {
        1 => Ok(()),
        _ => Err(StoreError::Fenced(lease.tenant_id)),
    }
}
