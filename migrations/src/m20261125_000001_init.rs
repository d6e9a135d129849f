//! The first schema: tenants and their people, the phone's live state and history,
//! calls and tickets. Times are Unix milliseconds in a BIGINT, the same on every engine.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Tenants {
    Table,
    Id,
    Name,
    FeatureInbound,
    FeatureOutbound,
}

#[derive(DeriveIden)]
enum Services {
    Table,
    Id,
    TenantId,
    Name,
    InboundNumber,
}

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
    TenantId,
    ServiceId,
    Username,
    DisplayName,
    PasswordHash,
    Role,
    PhonePermission,
    CtiId,
    CtiNumber,
    Locale,
}

#[derive(DeriveIden)]
enum CallerNumbers {
    Table,
    Id,
    ServiceId,
    Number,
    Label,
}

#[derive(DeriveIden)]
enum CtiSettings {
    Table,
    TenantId,
    RingTimeoutSecs,
    LoginStatus,
    MissedOfferStatus,
    OutboundTicketOnDial,
    ForceEndMessage,
    HoldMusic,
}

#[derive(DeriveIden)]
enum Sessions {
    Table,
    Id,
    UserId,
    CreatedAt,
    ExpiresAt,
}

#[derive(DeriveIden)]
enum AgentStates {
    Table,
    UserId,
    Status,
    Since,
}

#[derive(DeriveIden)]
enum StatusHistory {
    Table,
    Id,
    UserId,
    Status,
    At,
}

#[derive(DeriveIden)]
enum Calls {
    Table,
    Id,
    TenantId,
    ServiceId,
    Direction,
    CustomerNumber,
    ServiceNumber,
    State,
    AgentId,
    TicketId,
    QueuedAt,
    OfferedAt,
    AnsweredAt,
    EndedAt,
    EndReason,
}

#[derive(DeriveIden)]
enum CallEvents {
    Table,
    Id,
    CallId,
    At,
    Kind,
    AgentId,
    Detail,
}

#[derive(DeriveIden)]
enum Tickets {
    Table,
    Id,
    TenantId,
    ServiceId,
    Subject,
    Body,
    Status,
    Channel,
    CustomerNumber,
    AssigneeId,
    CallId,
    CreatedAt,
    UpdatedAt,
    Version,
}

fn fk(
    from_table: impl IntoIden,
    from_col: impl IntoIden,
    to_table: impl IntoIden,
    to_col: impl IntoIden,
) -> ForeignKeyCreateStatement {
    ForeignKey::create().from(from_table, from_col).to(to_table, to_col).on_delete(ForeignKeyAction::Cascade).to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(Tenants::Table)
                .col(pk_auto(Tenants::Id))
                .col(string(Tenants::Name))
                .col(boolean(Tenants::FeatureInbound))
                .col(boolean(Tenants::FeatureOutbound))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(Services::Table)
                .col(pk_auto(Services::Id))
                .col(integer(Services::TenantId))
                .col(string(Services::Name))
                .col(string_uniq(Services::InboundNumber))
                .foreign_key(&mut fk(Services::Table, Services::TenantId, Tenants::Table, Tenants::Id))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(Users::Table)
                .col(pk_auto(Users::Id))
                .col(integer(Users::TenantId))
                .col(integer_null(Users::ServiceId))
                .col(string_uniq(Users::Username))
                .col(string(Users::DisplayName))
                .col(string(Users::PasswordHash))
                .col(string(Users::Role))
                .col(boolean(Users::PhonePermission))
                .col(string_null(Users::CtiId))
                .col(string_null(Users::CtiNumber))
                .col(string(Users::Locale))
                .foreign_key(&mut fk(Users::Table, Users::TenantId, Tenants::Table, Tenants::Id))
                .foreign_key(&mut fk(Users::Table, Users::ServiceId, Services::Table, Services::Id))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(CallerNumbers::Table)
                .col(pk_auto(CallerNumbers::Id))
                .col(integer(CallerNumbers::ServiceId))
                .col(string(CallerNumbers::Number))
                .col(string(CallerNumbers::Label))
                .foreign_key(&mut fk(CallerNumbers::Table, CallerNumbers::ServiceId, Services::Table, Services::Id))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(CtiSettings::Table)
                .col(integer(CtiSettings::TenantId).primary_key())
                .col(integer(CtiSettings::RingTimeoutSecs))
                .col(string(CtiSettings::LoginStatus))
                .col(string(CtiSettings::MissedOfferStatus))
                .col(boolean(CtiSettings::OutboundTicketOnDial))
                .col(text(CtiSettings::ForceEndMessage))
                .col(string(CtiSettings::HoldMusic))
                .foreign_key(&mut fk(CtiSettings::Table, CtiSettings::TenantId, Tenants::Table, Tenants::Id))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(Sessions::Table)
                .col(string(Sessions::Id).primary_key())
                .col(integer(Sessions::UserId))
                .col(big_integer(Sessions::CreatedAt))
                .col(big_integer(Sessions::ExpiresAt))
                .foreign_key(&mut fk(Sessions::Table, Sessions::UserId, Users::Table, Users::Id))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(AgentStates::Table)
                .col(integer(AgentStates::UserId).primary_key())
                .col(string(AgentStates::Status))
                .col(big_integer(AgentStates::Since))
                .foreign_key(&mut fk(AgentStates::Table, AgentStates::UserId, Users::Table, Users::Id))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(StatusHistory::Table)
                .col(pk_auto(StatusHistory::Id))
                .col(integer(StatusHistory::UserId))
                .col(string(StatusHistory::Status))
                .col(big_integer(StatusHistory::At))
                .foreign_key(&mut fk(StatusHistory::Table, StatusHistory::UserId, Users::Table, Users::Id))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_status_history_user_at")
                .table(StatusHistory::Table)
                .col(StatusHistory::UserId)
                .col(StatusHistory::At)
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(Tickets::Table)
                .col(pk_auto(Tickets::Id))
                .col(integer(Tickets::TenantId))
                .col(integer(Tickets::ServiceId))
                .col(string(Tickets::Subject))
                .col(text(Tickets::Body))
                .col(string(Tickets::Status))
                .col(string(Tickets::Channel))
                .col(string_null(Tickets::CustomerNumber))
                .col(integer_null(Tickets::AssigneeId))
                .col(string_null(Tickets::CallId))
                .col(big_integer(Tickets::CreatedAt))
                .col(big_integer(Tickets::UpdatedAt))
                .col(integer(Tickets::Version))
                .foreign_key(&mut fk(Tickets::Table, Tickets::ServiceId, Services::Table, Services::Id))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_tickets_service_created")
                .table(Tickets::Table)
                .col(Tickets::ServiceId)
                .col(Tickets::CreatedAt)
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(Calls::Table)
                .col(string(Calls::Id).primary_key())
                .col(integer(Calls::TenantId))
                .col(integer(Calls::ServiceId))
                .col(string(Calls::Direction))
                .col(string(Calls::CustomerNumber))
                .col(string(Calls::ServiceNumber))
                .col(string(Calls::State))
                .col(integer_null(Calls::AgentId))
                .col(integer_null(Calls::TicketId))
                .col(big_integer(Calls::QueuedAt))
                .col(big_integer_null(Calls::OfferedAt))
                .col(big_integer_null(Calls::AnsweredAt))
                .col(big_integer_null(Calls::EndedAt))
                .col(string_null(Calls::EndReason))
                .foreign_key(&mut fk(Calls::Table, Calls::ServiceId, Services::Table, Services::Id))
                .to_owned(),
        )
        .await?;
        m.create_index(Index::create().name("idx_calls_state").table(Calls::Table).col(Calls::State).to_owned())
            .await?;
        m.create_table(
            Table::create()
                .table(CallEvents::Table)
                .col(pk_auto(CallEvents::Id))
                .col(string(CallEvents::CallId))
                .col(big_integer(CallEvents::At))
                .col(string(CallEvents::Kind))
                .col(integer_null(CallEvents::AgentId))
                .col(text_null(CallEvents::Detail))
                .foreign_key(&mut fk(CallEvents::Table, CallEvents::CallId, Calls::Table, Calls::Id))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create().name("idx_call_events_call").table(CallEvents::Table).col(CallEvents::CallId).to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for t in [
            CallEvents::Table.into_iden(),
            Calls::Table.into_iden(),
            Tickets::Table.into_iden(),
            StatusHistory::Table.into_iden(),
            AgentStates::Table.into_iden(),
            Sessions::Table.into_iden(),
            CtiSettings::Table.into_iden(),
            CallerNumbers::Table.into_iden(),
            Users::Table.into_iden(),
            Services::Table.into_iden(),
            Tenants::Table.into_iden(),
        ] {
            m.drop_table(Table::drop().table(t).to_owned()).await?;
        }
        Ok(())
    }
}
