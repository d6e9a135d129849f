//! The SIP stack itself (rsipstack): UDP and TCP on one address, the transaction
//! endpoint, and the dialog layer.

use std::net::SocketAddr;
use std::sync::Arc;

use rsipstack::EndpointBuilder;
use rsipstack::dialog::dialog::{DialogStateReceiver, DialogStateSender};
use rsipstack::dialog::dialog_layer::DialogLayer;
use rsipstack::transaction::TransactionReceiver;
use rsipstack::transport::TransportLayer;
use rsipstack::transport::tcp_listener::TcpListenerConnection;
use rsipstack::transport::udp::UdpConnection;
use tokio_util::sync::CancellationToken;

use super::SipError;
use crate::config::SipConfig;

pub struct Stack {
    pub addr: SocketAddr,
    pub dialogs: Arc<DialogLayer>,
    pub incoming: TransactionReceiver,
    pub states: (DialogStateSender, DialogStateReceiver),
    pub endpoint: rsipstack::transaction::endpoint::EndpointInnerRef,
    /// Stops the stack when the worker ends.
    pub cancel: CancellationToken,
}

impl Stack {
    pub async fn listen(config: &SipConfig) -> Result<Stack, SipError> {
        let fail = |e: rsipstack::Error| SipError::Listen(config.listen, e.to_string());
        let cancel = CancellationToken::new();
        let transports = TransportLayer::new(cancel.clone());
        let external = config.public_ip.map(|ip| SocketAddr::new(ip, config.listen.port()));
        let udp = UdpConnection::create_connection(config.listen, external, Some(cancel.child_token()))
            .await
            .map_err(fail)?;
        // With a public address the connection reports that one; the port is ours either way.
        let addr = match config.public_ip {
            Some(_) => config.listen,
            None => udp.get_addr().get_socketaddr().map_err(fail)?,
        };
        let external = config.public_ip.map(|ip| SocketAddr::new(ip, addr.port()));
        let tcp = TcpListenerConnection::new(addr, external).await.map_err(fail)?;
        transports.add_transport(udp.into());
        transports.add_transport(tcp.into());
        let endpoint = EndpointBuilder::new()
            .with_user_agent("ringdesk")
            .with_cancel_token(cancel.clone())
            .with_transport_layer(transports)
            .build();
        let incoming = endpoint.incoming_transactions().map_err(fail)?;
        let inner = endpoint.inner.clone();
        let serving = endpoint.inner.clone();
        tokio::spawn(async move {
            if let Err(e) = serving.serve().await {
                tracing::error!(error = %e, "SIP: the endpoint stopped");
            }
        });
        let dialogs = Arc::new(DialogLayer::new(inner.clone()));
        let states = dialogs.new_dialog_state_channel();
        Ok(Stack { addr, dialogs, incoming, states, endpoint: inner, cancel })
    }
}
