//! Who may administer what: the one rule the server checks before any change to a
//! service, whatever the browser sends.

use crate::model::{Role, SessionInfo};

/// Whether `user` may administer the service `service_id` of tenant `tenant_id`: a
/// tenant admin every service of their tenant, a service admin their own service.
pub fn may_administer_service(user: &SessionInfo, tenant_id: i32, service_id: i32) -> bool {
    match user.role {
        Role::TenantAdmin => user.tenant_id == tenant_id,
        Role::ServiceAdmin => user.tenant_id == tenant_id && user.service_id == Some(service_id),
        Role::PlatformAdmin | Role::Operator => false,
    }
}

/// The tickets a user works: their service's, or every service's for a tenant admin.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct TicketScope {
    pub tenant_id: i32,
    /// `None`: the whole tenant.
    pub service_id: Option<i32>,
}

/// The tickets `user` may read and edit; the platform admin works none.
pub fn ticket_scope(user: &SessionInfo) -> Option<TicketScope> {
    match (user.role, user.service_id) {
        (Role::PlatformAdmin, _) => None,
        (Role::TenantAdmin, _) => Some(TicketScope { tenant_id: user.tenant_id, service_id: None }),
        (Role::ServiceAdmin | Role::Operator, Some(service)) => {
            Some(TicketScope { tenant_id: user.tenant_id, service_id: Some(service) })
        }
        (Role::ServiceAdmin | Role::Operator, None) => None,
    }
}

/// The floor a user supervises on the board (ボード): a tenant admin every service of
/// the tenant, a service admin their own; operators and the platform admin none.
pub fn board_scope(user: &SessionInfo) -> Option<TicketScope> {
    match (user.role, user.service_id) {
        (Role::TenantAdmin, _) => Some(TicketScope { tenant_id: user.tenant_id, service_id: None }),
        (Role::ServiceAdmin, Some(service)) => {
            Some(TicketScope { tenant_id: user.tenant_id, service_id: Some(service) })
        }
        _ => None,
    }
}

/// Who may export the call log: those who administer a service.
pub fn may_export_calls(user: &SessionInfo) -> bool {
    matches!(user.role, Role::TenantAdmin | Role::ServiceAdmin)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Locale;

    fn user(role: Role, tenant_id: i32, service_id: Option<i32>) -> SessionInfo {
        SessionInfo {
            user_id: 1,
            tenant_id,
            service_id,
            username: "u".into(),
            display_name: "u".into(),
            role,
            phone_permission: false,
            locale: Locale::Ja,
        }
    }

    #[test]
    fn tenant_admins_administer_every_service_of_their_tenant_only() {
        let admin = user(Role::TenantAdmin, 1, None);
        assert!(may_administer_service(&admin, 1, 10));
        assert!(may_administer_service(&admin, 1, 11));
        assert!(!may_administer_service(&admin, 2, 20));
    }

    #[test]
    fn service_admins_administer_their_own_service_only() {
        let manager = user(Role::ServiceAdmin, 1, Some(10));
        assert!(may_administer_service(&manager, 1, 10));
        assert!(!may_administer_service(&manager, 1, 11));
        assert!(!may_administer_service(&manager, 2, 10));
    }

    #[test]
    fn tickets_are_the_service_s_or_the_whole_tenant_s() {
        assert_eq!(
            ticket_scope(&user(Role::Operator, 1, Some(10))),
            Some(TicketScope { tenant_id: 1, service_id: Some(10) })
        );
        assert_eq!(
            ticket_scope(&user(Role::ServiceAdmin, 1, Some(10))),
            Some(TicketScope { tenant_id: 1, service_id: Some(10) })
        );
        assert_eq!(
            ticket_scope(&user(Role::TenantAdmin, 1, None)),
            Some(TicketScope { tenant_id: 1, service_id: None })
        );
        assert_eq!(ticket_scope(&user(Role::PlatformAdmin, 1, None)), None);
        assert_eq!(ticket_scope(&user(Role::Operator, 1, None)), None);
    }

    #[test]
    fn supervisors_watch_their_service_or_their_tenant() {
        assert_eq!(
            board_scope(&user(Role::TenantAdmin, 1, None)),
            Some(TicketScope { tenant_id: 1, service_id: None })
        );
        assert_eq!(
            board_scope(&user(Role::ServiceAdmin, 1, Some(10))),
            Some(TicketScope { tenant_id: 1, service_id: Some(10) })
        );
        assert_eq!(board_scope(&user(Role::Operator, 1, Some(10))), None);
        assert_eq!(board_scope(&user(Role::PlatformAdmin, 1, None)), None);
        assert_eq!(board_scope(&user(Role::ServiceAdmin, 1, None)), None);
    }

    #[test]
    fn operators_and_the_platform_admin_administer_no_service() {
        assert!(!may_administer_service(&user(Role::Operator, 1, Some(10)), 1, 10));
        assert!(!may_administer_service(&user(Role::PlatformAdmin, 1, None), 1, 10));
    }
}
