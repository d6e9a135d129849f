//! The telephone system in a process of its own (`RINGDESK_ROLE=telephony`), apart
//! from the instances that route (`RINGDESK_ROLE=web`), so that an instance that dies
//! or is upgraded cuts no call. Routing's work for the telephone system travels on
//! `rd.<cluster>.telephony.work` (request and reply, with the sender's lease, which
//! the telephone system checks); what its customers do reaches the tenant's routing as
//! the commands any instance sends (`rd.<cluster>.routing.<tenant>`).

pub mod browsers;
pub mod remote;
pub mod serve;
pub mod work;

pub use remote::RemoteTelephony;

fn subject(cluster: &str) -> String {
    format!("rd.{cluster}.telephony.work")
}
