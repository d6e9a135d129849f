//! Tickets: the list an agent filters and pages through, and the ticket page where
//! they work one (its fields, notes, customer and call log).

mod call_log;
mod customer;
mod export;
mod list;
mod notes;
mod ticket;

pub use list::TicketList;
pub use ticket::TicketPage;

use crate::i18n::{Key, t};
use crate::model::{CallDirection, Channel};

fn direction_label(d: CallDirection) -> &'static str {
    t(match d {
        CallDirection::Inbound => Key::Inbound,
        CallDirection::Outbound => Key::Outbound,
    })
}

fn channel_label(c: Channel) -> &'static str {
    t(match c {
        Channel::Phone => Key::ChannelPhone,
        Channel::Email => Key::ChannelEmail,
        Channel::Web => Key::ChannelWeb,
    })
}
