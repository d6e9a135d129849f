//! Tickets as an agent works them: customers known by number, internal notes, the
//! direction of a phone ticket, and the indexes that keep the ticket list and the call
//! log export fast at hundreds of thousands of rows.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Customers {
    Table,
    Id,
    TenantId,
    Number,
    Name,
    Notes,
    UpdatedAt,
    Version,
}

#[derive(DeriveIden)]
enum TicketNotes {
    Table,
    Id,
    TicketId,
    AuthorId,
    Body,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Tickets {
    Table,
    Id,
    TenantId,
    ServiceId,
    Status,
    AssigneeId,
    CustomerNumber,
    CustomerId,
    Direction,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Calls {
    Table,
    TenantId,
    ServiceId,
    QueuedAt,
    Id,
}

#[derive(DeriveIden)]
enum Tenants {
    Table,
    Id,
}

fn index(name: &str, table: impl IntoIden, cols: Vec<DynIden>) -> IndexCreateStatement {
    let mut i = Index::create();
    i.name(name).table(table);
    for c in cols {
        i.col(c);
    }
    i.to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(Customers::Table)
                .col(pk_auto(Customers::Id))
                .col(integer(Customers::TenantId))
                .col(string(Customers::Number))
                .col(string(Customers::Name))
                .col(text(Customers::Notes))
                .col(big_integer(Customers::UpdatedAt))
                .col(integer(Customers::Version))
                .foreign_key(
                    ForeignKey::create()
                        .from(Customers::Table, Customers::TenantId)
                        .to(Tenants::Table, Tenants::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            index(
                "uq_customers_tenant_number",
                Customers::Table,
                vec![Customers::TenantId.into_iden(), Customers::Number.into_iden()],
            )
            .unique()
            .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(TicketNotes::Table)
                .col(pk_auto(TicketNotes::Id))
                .col(integer(TicketNotes::TicketId))
                .col(integer(TicketNotes::AuthorId))
                .col(text(TicketNotes::Body))
                .col(big_integer(TicketNotes::CreatedAt))
                .foreign_key(
                    ForeignKey::create()
                        .from(TicketNotes::Table, TicketNotes::TicketId)
                        .to(Tickets::Table, Tickets::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(index("idx_ticket_notes_ticket", TicketNotes::Table, vec![TicketNotes::TicketId.into_iden()]))
            .await?;
        // SQLite adds one column a statement.
        m.alter_table(Table::alter().table(Tickets::Table).add_column(integer_null(Tickets::CustomerId)).to_owned())
            .await?;
        m.alter_table(Table::alter().table(Tickets::Table).add_column(string_null(Tickets::Direction)).to_owned())
            .await?;
        m.get_connection()
            .execute_unprepared("UPDATE tickets SET direction = (SELECT calls.direction FROM calls WHERE calls.id = tickets.call_id) WHERE call_id IS NOT NULL")
            .await?;
        m.get_connection()
            .execute_unprepared(
                "UPDATE tickets SET customer_id = (SELECT customers.id FROM customers \
                 WHERE customers.tenant_id = tickets.tenant_id AND customers.number = tickets.customer_number)",
            )
            .await?;
        // The list is read newest first (or by last update) within a service or a whole
        // tenant, optionally narrowed by status, assignee or customer; each index ends
        // with the id, the tie-breaker of the keyset pagination.
        let t = |c: Tickets| c.into_iden();
        m.drop_index(Index::drop().name("idx_tickets_service_created").table(Tickets::Table).to_owned()).await?;
        for (name, cols) in [
            ("idx_tickets_service_created", vec![t(Tickets::ServiceId), t(Tickets::CreatedAt), t(Tickets::Id)]),
            ("idx_tickets_service_updated", vec![t(Tickets::ServiceId), t(Tickets::UpdatedAt), t(Tickets::Id)]),
            (
                "idx_tickets_service_status_created",
                vec![t(Tickets::ServiceId), t(Tickets::Status), t(Tickets::CreatedAt), t(Tickets::Id)],
            ),
            ("idx_tickets_tenant_created", vec![t(Tickets::TenantId), t(Tickets::CreatedAt), t(Tickets::Id)]),
            ("idx_tickets_tenant_updated", vec![t(Tickets::TenantId), t(Tickets::UpdatedAt), t(Tickets::Id)]),
            (
                "idx_tickets_tenant_status_created",
                vec![t(Tickets::TenantId), t(Tickets::Status), t(Tickets::CreatedAt), t(Tickets::Id)],
            ),
            (
                "idx_tickets_service_assignee_created",
                vec![t(Tickets::ServiceId), t(Tickets::AssigneeId), t(Tickets::CreatedAt), t(Tickets::Id)],
            ),
            (
                "idx_tickets_tenant_assignee_created",
                vec![t(Tickets::TenantId), t(Tickets::AssigneeId), t(Tickets::CreatedAt), t(Tickets::Id)],
            ),
            (
                "idx_tickets_service_customer_created",
                vec![t(Tickets::ServiceId), t(Tickets::CustomerNumber), t(Tickets::CreatedAt), t(Tickets::Id)],
            ),
            (
                "idx_tickets_tenant_customer_created",
                vec![t(Tickets::TenantId), t(Tickets::CustomerNumber), t(Tickets::CreatedAt), t(Tickets::Id)],
            ),
        ] {
            m.create_index(index(name, Tickets::Table, cols)).await?;
        }
        let c = |c: Calls| c.into_iden();
        m.create_index(index(
            "idx_calls_tenant_queued",
            Calls::Table,
            vec![c(Calls::TenantId), c(Calls::QueuedAt), c(Calls::Id)],
        ))
        .await?;
        m.create_index(index(
            "idx_calls_service_queued",
            Calls::Table,
            vec![c(Calls::ServiceId), c(Calls::QueuedAt), c(Calls::Id)],
        ))
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for name in [
            "idx_calls_tenant_queued",
            "idx_calls_service_queued",
            "idx_tickets_service_updated",
            "idx_tickets_service_status_created",
            "idx_tickets_tenant_created",
            "idx_tickets_tenant_updated",
            "idx_tickets_tenant_status_created",
            "idx_tickets_service_assignee_created",
            "idx_tickets_tenant_assignee_created",
            "idx_tickets_tenant_customer_created",
            "idx_tickets_service_customer_created",
        ] {
            m.drop_index(Index::drop().name(name).to_owned()).await?;
        }
        m.alter_table(Table::alter().table(Tickets::Table).drop_column(Tickets::Direction).to_owned()).await?;
        m.alter_table(Table::alter().table(Tickets::Table).drop_column(Tickets::CustomerId).to_owned()).await?;
        m.drop_table(Table::drop().table(TicketNotes::Table).to_owned()).await?;
        m.drop_table(Table::drop().table(Customers::Table).to_owned()).await
    }
}
