//! Where the shared server is and how a client trusts it: one
//! [`ServerEndpoint`] for the transport, the event stream, sign-in,
//! `redressctl` and the console.
//!
//! `https://` servers are verified against the system's root certificates
//! plus, when given, the certificates of a trusted CA file (a private CA).
//! Plain `http://` is accepted only for a loopback host (`localhost`,
//! `127.0.0.0/8`, `::1`) unless the endpoint says `insecure_http`; the check
//! is made when the endpoint is built, before any connection is attempted.

use crate::TransportError;
use redress_protocol::ErrorCode;
use serde::{Deserialize, Serialize};
use std::net::IpAddr;
use std::path::Path;
use std::sync::{Arc, OnceLock};
use ureq::tls::{Certificate, PemItem, RootCerts, TlsConfig};

/// The largest trusted CA file read (a CA bundle is a few hundred KiB).
pub const MAX_CA_FILE_BYTES: u64 = 1024 * 1024;

/// Why a server address or its trust settings cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct EndpointError {
    /// `bad_server_url`, `insecure_transport` or `invalid_ca_file`.
    pub code: ErrorCode,
    pub message: String,
}

impl EndpointError {
    fn new(code: ErrorCode, message: impl Into<String>) -> EndpointError {
        EndpointError {
            code,
            message: message.into(),
        }
    }
}

impl From<EndpointError> for TransportError {
    /// Waiting will not fix it: a refusal, with the endpoint's code.
    fn from(e: EndpointError) -> TransportError {
        TransportError::Refused {
            code: e.code.to_owned(),
            message: e.message,
        }
    }
}

/// A checked server address with the way to trust it.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServerEndpoint {
    url: String,
    /// Extra trusted certificates (PEM), besides the system's roots.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    ca_pem: Option<String>,
    /// Plain HTTP to a host that is not loopback was explicitly allowed.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    insecure_http: bool,
}

impl std::fmt::Debug for ServerEndpoint {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ServerEndpoint")
            .field("url", &self.url)
            .field("ca_pem", &self.ca_pem.as_ref().map(|_| "…"))
            .field("insecure_http", &self.insecure_http)
            .finish()
    }
}

impl ServerEndpoint {
    /// Checks `url` (`http://` or `https://`, a host, optionally a port and
    /// `/api/v1`): plain HTTP to a non-loopback host is refused with
    /// `insecure_transport` unless `insecure_http`. `ca_pem` (extra trusted
    /// certificates, PEM) must hold at least one certificate.
    pub fn parse(
        url: &str,
        ca_pem: Option<String>,
        insecure_http: bool,
    ) -> Result<ServerEndpoint, EndpointError> {
        let url = url.trim().to_owned();
        let bad = || {
            EndpointError::new(
                ErrorCode::BadServerUrl,
                format!(
                    "{url:?}: expected an http:// or https:// address such as https://redress.example:8470"
                ),
            )
        };
        let uri: ureq::http::Uri = url.parse().map_err(|_| bad())?;
        let host = uri.host().filter(|h| !h.is_empty()).ok_or_else(bad)?;
        match uri.scheme_str() {
            Some("https") => {}
            Some("http") if insecure_http || is_loopback(host) => {}
            Some("http") => {
                return Err(EndpointError::new(
                    ErrorCode::InsecureTransport,
                    format!(
                        "{url}: plain http:// is allowed only to this machine (localhost); use \
                         https://, or allow unencrypted HTTP explicitly"
                    ),
                ));
            }
            _ => return Err(bad()),
        }
        if let Some(pem) = &ca_pem {
            certificates(pem)?;
        }
        Ok(ServerEndpoint {
            url,
            ca_pem,
            insecure_http,
        })
    }

    /// [`ServerEndpoint::parse`] trusting the certificates of the PEM file
    /// at `ca_file`, if given (read now; the endpoint keeps their text).
    pub fn with_ca_file(
        url: &str,
        ca_file: Option<&Path>,
        insecure_http: bool,
    ) -> Result<ServerEndpoint, EndpointError> {
        let ca_pem = ca_file.map(read_ca_file).transpose()?;
        ServerEndpoint::parse(url, ca_pem, insecure_http)
    }

    /// The address as given (trimmed).
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The extra trusted certificates (PEM), if any.
    pub fn ca_pem(&self) -> Option<&str> {
        self.ca_pem.as_deref()
    }

    pub fn insecure_http(&self) -> bool {
        self.insecure_http
    }

    /// The API root (`…/api/v1`).
    pub fn api_base(&self) -> String {
        crate::http::api_base(&self.url)
    }

    /// The TLS settings of a client of this endpoint: the system's roots
    /// and the trusted CA file's certificates, rustls with ring.
    pub(crate) fn tls_config(&self) -> TlsConfig {
        let mut roots: Vec<Certificate<'static>> = system_roots().as_ref().clone();
        if let Some(pem) = &self.ca_pem {
            // Checked when the endpoint was built.
            roots.extend(certificates(pem).unwrap_or_default());
        }
        TlsConfig::builder()
            .root_certs(RootCerts::Specific(Arc::new(roots)))
            .build()
    }
}

/// Reads a trusted CA file: PEM with at least one certificate, at most
/// [`MAX_CA_FILE_BYTES`].
pub fn read_ca_file(path: &Path) -> Result<String, EndpointError> {
    use std::io::Read;
    let shown = path.display();
    let invalid =
        |why: String| EndpointError::new(ErrorCode::InvalidCaFile, format!("{shown}: {why}"));
    let file = std::fs::File::open(path).map_err(|e| invalid(e.to_string()))?;
    let mut text = String::new();
    file.take(MAX_CA_FILE_BYTES + 1)
        .read_to_string(&mut text)
        .map_err(|e| invalid(e.to_string()))?;
    if text.len() as u64 > MAX_CA_FILE_BYTES {
        return Err(invalid(format!(
            "larger than {MAX_CA_FILE_BYTES} bytes; expected a PEM certificate file"
        )));
    }
    certificates(&text).map_err(|e| invalid(e.message))?;
    Ok(text)
}

/// The certificates of a PEM text (other PEM blocks are skipped); at least
/// one.
fn certificates(pem: &str) -> Result<Vec<Certificate<'static>>, EndpointError> {
    let mut certs = Vec::new();
    for item in ureq::tls::parse_pem(pem.as_bytes()) {
        match item {
            Ok(PemItem::Certificate(c)) => certs.push(c),
            Ok(_) => {}
            Err(e) => {
                return Err(EndpointError::new(
                    ErrorCode::InvalidCaFile,
                    format!("the trusted certificate is not valid PEM: {e}"),
                ));
            }
        }
    }
    if certs.is_empty() {
        return Err(EndpointError::new(
            ErrorCode::InvalidCaFile,
            "the trusted certificate holds no PEM CERTIFICATE block",
        ));
    }
    Ok(certs)
}

/// The system's root certificates, loaded once.
fn system_roots() -> Arc<Vec<Certificate<'static>>> {
    static ROOTS: OnceLock<Arc<Vec<Certificate<'static>>>> = OnceLock::new();
    Arc::clone(ROOTS.get_or_init(|| {
        let found = rustls_native_certs::load_native_certs();
        Arc::new(
            found
                .certs
                .iter()
                .map(|der| Certificate::from_der(der.as_ref()).to_owned())
                .collect(),
        )
    }))
}

/// `localhost` (and names under it), `127.0.0.0/8` and `::1`.
fn is_loopback(host: &str) -> bool {
    let host = host.trim_start_matches('[').trim_end_matches(']');
    if host.eq_ignore_ascii_case("localhost") || host.to_ascii_lowercase().ends_with(".localhost") {
        return true;
    }
    host.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

/// A refusal of `endpoint`'s error, for the callers that take a plain URL.
pub(crate) fn refused(e: &EndpointError) -> TransportError {
    TransportError::from(e.clone())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_http_is_for_loopback_only_unless_allowed() {
        for ok in [
            "http://localhost:8470",
            "http://127.0.0.1:1",
            "http://127.1.2.3",
            "http://[::1]:8470/api/v1",
            "https://redress.example",
            "https://10.0.0.5:8470",
        ] {
            assert!(ServerEndpoint::parse(ok, None, false).is_ok(), "{ok}");
        }
        for refused in [
            "http://redress.example:8470",
            "http://10.0.0.5",
            "http://[::2]",
        ] {
            let e = ServerEndpoint::parse(refused, None, false).expect_err(refused);
            assert_eq!(e.code, ErrorCode::InsecureTransport, "{refused}");
            assert!(
                ServerEndpoint::parse(refused, None, true).is_ok(),
                "{refused}"
            );
        }
        for bad in ["redress.example", "ftp://h", "https://", ""] {
            let e = ServerEndpoint::parse(bad, None, false).expect_err(bad);
            assert_eq!(e.code, ErrorCode::BadServerUrl, "{bad}");
        }
    }

    #[test]
    fn a_trusted_certificate_must_be_pem() {
        let e = ServerEndpoint::parse("https://h", Some("not pem".to_owned()), false)
            .expect_err("not pem");
        assert_eq!(e.code, ErrorCode::InvalidCaFile);
    }
}
