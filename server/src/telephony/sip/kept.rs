//! What is kept of a SIP dialog that is up, so that a restarted server can end it: the
//! fields of rsipstack's `DialogSnapshot`, as text (rsipstack's snapshot has no serde).

use rsipstack::dialog::DialogId;
use rsipstack::dialog::dialog::{DialogSnapshot, DialogSnapshotState};
use rsipstack::sip::Route;
use rsipstack::sip::Uri;
use rsipstack::sip::headers::untyped::Contact;
use rsipstack::sip::typed::{From, To};
use rsipstack::transaction::key::TransactionRole;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct KeptDialog {
    /// We called (`true`: the leg to an agent's phone, an outbound call) or were called.
    ours: bool,
    call_id: String,
    local_tag: String,
    remote_tag: String,
    from: String,
    to: String,
    local_cseq: u32,
    remote_cseq: u32,
    local_contact: Option<String>,
    remote_uri: String,
    remote_contact: Option<String>,
    route_set: Vec<String>,
}

impl KeptDialog {
    pub fn of(s: &DialogSnapshot) -> KeptDialog {
        KeptDialog {
            ours: s.role == TransactionRole::Client,
            call_id: s.id.call_id.clone(),
            local_tag: s.id.local_tag.clone(),
            remote_tag: s.id.remote_tag.clone(),
            from: s.from.to_string(),
            to: s.to.to_string(),
            local_cseq: s.local_cseq,
            remote_cseq: s.remote_cseq,
            local_contact: s.local_contact.as_ref().map(ToString::to_string),
            remote_uri: s.remote_uri.to_string(),
            remote_contact: s.remote_contact.as_ref().map(|c| c.value().to_owned()),
            route_set: s.route_set.iter().map(|r| r.value().to_owned()).collect(),
        }
    }

    /// The confirmed dialog again, ready to be restored and ended; `None` if what was
    /// kept cannot be read back.
    pub fn snapshot(&self) -> Option<DialogSnapshot> {
        Some(DialogSnapshot {
            state: DialogSnapshotState::Confirmed,
            role: if self.ours { TransactionRole::Client } else { TransactionRole::Server },
            id: DialogId {
                call_id: self.call_id.clone(),
                local_tag: self.local_tag.clone(),
                remote_tag: self.remote_tag.clone(),
            },
            from: From::parse(&self.from).ok()?,
            to: To::parse(&self.to).ok()?,
            local_cseq: self.local_cseq,
            remote_cseq: self.remote_cseq,
            local_contact: match &self.local_contact {
                Some(c) => Some(Uri::try_from(c.as_str()).ok()?),
                None => None,
            },
            remote_uri: Uri::try_from(self.remote_uri.as_str()).ok()?,
            remote_contact: self.remote_contact.clone().map(Contact::new),
            route_set: self.route_set.iter().map(|r| Route::new(r.clone())).collect(),
            supports_100rel: false,
            session_id: None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_kept_dialog_reads_back_as_it_was() {
        let kept = KeptDialog {
            ours: false,
            call_id: "a25fd12e8b2f468e".into(),
            local_tag: "JXSHh8aY".into(),
            remote_tag: "ca35922c95d9bd3c".into(),
            from: "<sip:+81312345678@127.0.0.1>;tag=ca35922c95d9bd3c".into(),
            to: "<sip:+81350000000@127.0.0.1:45129>;tag=JXSHh8aY".into(),
            local_cseq: 1,
            remote_cseq: 8755,
            local_contact: Some("sip:ringdesk@127.0.0.1:45129".into()),
            remote_uri: "sip:+81312345678-0x55a2e9737e30@127.0.0.1:39543".into(),
            remote_contact: Some("<sip:+81312345678-0x55a2e9737e30@127.0.0.1:39543>".into()),
            route_set: vec!["<sip:192.0.2.1;lr>".into()],
        };
        let snapshot = kept.snapshot().expect("reads back");
        assert_eq!(snapshot.role, TransactionRole::Server);
        assert_eq!(snapshot.id.remote_tag, "ca35922c95d9bd3c");
        assert_eq!(KeptDialog::of(&snapshot), kept);
        let json = serde_json::to_string(&kept).unwrap();
        assert_eq!(serde_json::from_str::<KeptDialog>(&json).unwrap(), kept);
        let broken = KeptDialog { from: String::new(), ..kept };
        assert!(broken.snapshot().is_none());
    }
}
