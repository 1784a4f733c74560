//! The listener: accepts TCP connections and serves the API on each, over
//! TLS when a certificate is configured, with the connection-level limits of
//! [`HttpConfig`].
//!
//! Every accepted connection runs in a task of its own, so a slow client
//! (a TLS handshake that never finishes, headers sent byte by byte) holds up
//! only its own connection, never the accept loop. The limits:
//!
//! - at most [`HttpConfig::max_connections`] connections are open at once;
//!   one more is closed as soon as it is accepted (the client sees a closed
//!   connection and tries again later);
//! - the TLS handshake and each request's headers must arrive within
//!   [`HttpConfig::header_read_timeout`] (on HTTP/1.1 the clock starts when
//!   the server waits for the next request, so it also bounds how long a
//!   kept-alive connection may stay silent);
//! - a request's body must arrive within [`HttpConfig::body_timeout`] of its
//!   headers;
//! - a connection without a request in flight is closed after
//!   [`HttpConfig::idle_timeout`]. An event stream is a request in flight for
//!   as long as it lasts, so the idle timeout never cuts one.

use super::{HttpConfig, Shutdown};
use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::ConnectInfo;
use http_body::{Frame, SizeHint};
use hyper_util::rt::{TokioExecutor, TokioIo, TokioTimer};
use hyper_util::server::conn::auto;
use std::convert::Infallible;
use std::net::SocketAddr;
use std::path::Path;
use std::pin::Pin;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::task::{Context, Poll};
use std::time::Duration;
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::Semaphore;
use tokio::task::JoinSet;
use tokio::time::{Instant, Sleep};
use tokio_rustls::TlsAcceptor;
use tokio_rustls::rustls;
use tokio_rustls::rustls::pki_types::pem::PemObject;
use tokio_rustls::rustls::pki_types::{CertificateDer, PrivateKeyDer};
use tower::ServiceExt;

/// The stable code of a certificate or key that cannot be used.
pub const INVALID_TLS: &str = "invalid_tls";

/// A certificate chain or private key that cannot be used for TLS.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct TlsSetupError(String);

impl TlsSetupError {
    pub fn code(&self) -> &'static str {
        INVALID_TLS
    }
}

/// The TLS setup of a server: the certificate chain (PEM, the server's own
/// certificate first) and its private key (PEM: PKCS#8, PKCS#1 or SEC1).
/// TLS 1.2 and 1.3 through rustls with the ring provider; HTTP/2 and
/// HTTP/1.1 are offered by ALPN.
pub fn tls_config(
    cert_pem: &[u8],
    key_pem: &[u8],
) -> Result<Arc<rustls::ServerConfig>, TlsSetupError> {
    let certs = CertificateDer::pem_slice_iter(cert_pem)
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| TlsSetupError(format!("the certificate file is not PEM: {e}")))?;
    if certs.is_empty() {
        return Err(TlsSetupError(
            "the certificate file holds no CERTIFICATE block".to_owned(),
        ));
    }
    let key = PrivateKeyDer::from_pem_slice(key_pem)
        .map_err(|e| TlsSetupError(format!("the key file holds no usable private key: {e}")))?;
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| TlsSetupError(e.to_string()))?
        .with_no_client_auth()
        .with_single_cert(certs, key)
        .map_err(|e| TlsSetupError(format!("the certificate and key do not fit: {e}")))?;
    config.alpn_protocols = vec![b"h2".to_vec(), b"http/1.1".to_vec()];
    Ok(Arc::new(config))
}

/// [`tls_config`] from two PEM files.
pub fn load_tls(cert: &Path, key: &Path) -> Result<Arc<rustls::ServerConfig>, TlsSetupError> {
    let read = |path: &Path| {
        std::fs::read(path).map_err(|e| TlsSetupError(format!("{}: {e}", path.display())))
    };
    tls_config(&read(cert)?, &read(key)?)
}

/// Accepts connections on `listener` and serves `app` on each until
/// `shutdown` is triggered; then stops accepting, lets every connection
/// finish its open requests and returns.
pub(super) async fn accept_loop(
    listener: TcpListener,
    app: Router,
    config: HttpConfig,
    shutdown: Shutdown,
) -> std::io::Result<()> {
    let permits = Arc::new(Semaphore::new(config.max_connections.max(1)));
    let tls = config.tls.clone().map(TlsAcceptor::from);
    let config = Arc::new(config);
    let mut connections = JoinSet::new();
    loop {
        let accepted = tokio::select! {
            accepted = listener.accept() => accepted,
            () = shutdown.wait() => break,
        };
        while connections.try_join_next().is_some() {}
        let (stream, peer) = match accepted {
            Ok(pair) => pair,
            Err(e) => {
                // Out of file descriptors and the like: wait a little
                // rather than spin.
                tracing::warn!(error = %e, "accepting a connection failed");
                tokio::time::sleep(Duration::from_millis(50)).await;
                continue;
            }
        };
        let Ok(permit) = Arc::clone(&permits).try_acquire_owned() else {
            tracing::warn!(
                %peer,
                max_connections = config.max_connections,
                "connection closed: too many open connections"
            );
            drop(stream);
            continue;
        };
        let app = app.clone();
        let tls = tls.clone();
        let config = Arc::clone(&config);
        let shutdown = shutdown.clone();
        connections.spawn(async move {
            connection(stream, peer, app, tls, &config, &shutdown).await;
            drop(permit);
        });
    }
    drop(listener);
    while connections.join_next().await.is_some() {}
    Ok(())
}

/// One accepted connection: the TLS handshake (bounded by the header read
/// timeout), then HTTP.
async fn connection(
    stream: TcpStream,
    peer: SocketAddr,
    app: Router,
    tls: Option<TlsAcceptor>,
    config: &HttpConfig,
    shutdown: &Shutdown,
) {
    let _ = stream.set_nodelay(true);
    let Some(acceptor) = tls else {
        return serve_connection(stream, peer, app, config, shutdown).await;
    };
    let handshake = tokio::time::timeout(config.header_read_timeout, acceptor.accept(stream));
    let stream = tokio::select! {
        done = handshake => match done {
            Ok(Ok(stream)) => stream,
            Ok(Err(e)) => {
                tracing::debug!(%peer, error = %e, "TLS handshake failed");
                return;
            }
            Err(_) => {
                tracing::debug!(%peer, "TLS handshake timed out");
                return;
            }
        },
        () = shutdown.wait() => return,
    };
    serve_connection(stream, peer, app, config, shutdown).await;
}

/// HTTP/1.1 or HTTP/2 on one connection, until the client closes it, it
/// stays idle too long or the server shuts down.
async fn serve_connection<I>(
    io: I,
    peer: SocketAddr,
    app: Router,
    config: &HttpConfig,
    shutdown: &Shutdown,
) where
    I: AsyncRead + AsyncWrite + Unpin + Send + 'static,
{
    let activity = Arc::new(Activity::new());
    let body_timeout = config.body_timeout;
    let service = {
        let activity = Arc::clone(&activity);
        hyper::service::service_fn(move |request: hyper::Request<hyper::body::Incoming>| {
            let guard = activity.begin();
            let app = app.clone();
            async move {
                let mut request =
                    request.map(|body| Body::new(DeadlineBody::new(body, body_timeout)));
                request.extensions_mut().insert(ConnectInfo(peer));
                let response = app
                    .oneshot(request)
                    .await
                    .unwrap_or_else(|e: Infallible| match e {});
                Ok::<_, Infallible>(response.map(|inner| Guarded {
                    inner,
                    _guard: guard,
                }))
            }
        })
    };
    let mut builder = auto::Builder::new(TokioExecutor::new());
    builder
        .http1()
        .timer(TokioTimer::new())
        .header_read_timeout(config.header_read_timeout);
    builder.http2().timer(TokioTimer::new());
    let conn = builder.serve_connection_with_upgrades(TokioIo::new(io), service);
    tokio::pin!(conn);
    let mut stopping = false;
    loop {
        let check_at = activity.idle_deadline(config.idle_timeout);
        tokio::select! {
            done = conn.as_mut() => {
                if let Err(e) = done {
                    tracing::debug!(%peer, error = %e, "connection ended");
                }
                return;
            }
            () = shutdown.wait(), if !stopping => {
                conn.as_mut().graceful_shutdown();
                stopping = true;
            }
            () = tokio::time::sleep_until(check_at), if !stopping => {
                if activity.is_idle(config.idle_timeout) {
                    tracing::debug!(%peer, "closing an idle connection");
                    conn.as_mut().graceful_shutdown();
                    stopping = true;
                }
            }
        }
    }
}

/// The requests in flight on one connection and since when it has had none.
#[derive(Debug)]
struct Activity {
    in_flight: AtomicUsize,
    idle_since: Mutex<Instant>,
}

impl Activity {
    fn new() -> Activity {
        Activity {
            in_flight: AtomicUsize::new(0),
            idle_since: Mutex::new(Instant::now()),
        }
    }

    fn begin(self: &Arc<Self>) -> InFlight {
        self.in_flight.fetch_add(1, Ordering::SeqCst);
        InFlight(Arc::clone(self))
    }

    fn idle_since(&self) -> Instant {
        *self
            .idle_since
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }

    /// When to look again whether the connection is idle.
    fn idle_deadline(&self, idle: Duration) -> Instant {
        if self.in_flight.load(Ordering::SeqCst) == 0 {
            self.idle_since() + idle
        } else {
            Instant::now() + idle
        }
    }

    fn is_idle(&self, idle: Duration) -> bool {
        self.in_flight.load(Ordering::SeqCst) == 0 && self.idle_since().elapsed() >= idle
    }
}

/// One request in flight, until its response body is done or dropped.
#[derive(Debug)]
struct InFlight(Arc<Activity>);

impl Drop for InFlight {
    fn drop(&mut self) {
        let mut since = self
            .0
            .idle_since
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        *since = Instant::now();
        self.0.in_flight.fetch_sub(1, Ordering::SeqCst);
    }
}

/// A response body that keeps its request counted as in flight.
#[derive(Debug)]
struct Guarded {
    inner: Body,
    _guard: InFlight,
}

impl http_body::Body for Guarded {
    type Data = Bytes;
    type Error = axum::Error;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, axum::Error>>> {
        Pin::new(&mut self.inner).poll_frame(cx)
    }

    fn is_end_stream(&self) -> bool {
        self.inner.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        self.inner.size_hint()
    }
}

/// A request body that must be read completely before a deadline (set when
/// the request's headers arrived).
#[derive(Debug)]
struct DeadlineBody {
    inner: hyper::body::Incoming,
    timeout: Duration,
    deadline: Pin<Box<Sleep>>,
}

impl DeadlineBody {
    fn new(inner: hyper::body::Incoming, timeout: Duration) -> DeadlineBody {
        DeadlineBody {
            inner,
            timeout,
            deadline: Box::pin(tokio::time::sleep(timeout)),
        }
    }
}

/// The request body did not arrive in time.
#[derive(Debug, thiserror::Error)]
#[error("the request body did not arrive within {0:?}")]
pub struct BodyTimeout(Duration);

impl http_body::Body for DeadlineBody {
    type Data = Bytes;
    type Error = Box<dyn std::error::Error + Send + Sync>;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Self::Error>>> {
        if let Poll::Ready(frame) = Pin::new(&mut self.inner).poll_frame(cx) {
            return Poll::Ready(frame.map(|f| f.map_err(Into::into)));
        }
        if self.deadline.as_mut().poll(cx).is_ready() {
            return Poll::Ready(Some(Err(Box::new(BodyTimeout(self.timeout)))));
        }
        Poll::Pending
    }

    fn is_end_stream(&self) -> bool {
        self.inner.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        self.inner.size_hint()
    }
}
