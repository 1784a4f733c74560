//! Stable, snake_case error codes of the sync protocol. They are shared by
//! HTTP, IPC and the UI's message catalogue, so they never change meaning.
//!
//! Rejections decided by the rulebook carry the codes of
//! [`redress_domain::DomainError::code`] (`approval_already_decided`,
//! `invalid_transition`, ...); the codes below are the protocol's own.

/// A device pushed a sequence number the server already holds under a
/// different mutation id: its local database was cloned or restored. The
/// device must re-register under a new id (sync design §12.8).
pub const DEVICE_FORKED: &str = "device_forked";

/// A mutation id that another user's device already settled. Idempotency
/// is per client and bound to its user: someone else's outcome is never
/// answered. Nothing of the batch from this mutation on is processed.
pub const MUTATION_ID_TAKEN: &str = "mutation_id_taken";

/// A settled sequence number and mutation id arrived again with other
/// arguments (or another name or author). Nothing changes.
pub const REPLAY_MISMATCH: &str = "replay_mismatch";

/// The envelope names another author than the signed-in user. The mutation
/// is recorded as rejected and consumes its sequence number.
pub const AUTHOR_MISMATCH: &str = "author_mismatch";

/// The mutation name is not known to this server. Nothing is recorded; the
/// client should upgrade and push again.
pub const UNSUPPORTED_MUTATION: &str = "unsupported_mutation";

/// The client speaks a protocol version the server does not support.
pub const PROTOCOL_MISMATCH: &str = "protocol_mismatch";

/// The request is not valid JSON of the expected shape (but the mutation
/// names are known).
pub const MALFORMED_REQUEST: &str = "malformed_request";

/// The device was never registered with the server.
pub const UNKNOWN_DEVICE: &str = "unknown_device";

/// The device id in the request body differs from the one the session is
/// bound to.
pub const DEVICE_MISMATCH: &str = "device_mismatch";

/// A complaint id chosen by a desktop is already taken by another complaint.
pub const COMPLAINT_EXISTS: &str = "complaint_exists";

/// A session asked for more event streams at once than the server allows
/// (`429`, with `Retry-After`). A client waits and tries again; one
/// desktop needs one stream.
pub const TOO_MANY_STREAMS: &str = "too_many_streams";

/// The server's store is busy or unavailable; retry the same request later.
pub const STORE_UNAVAILABLE: &str = "store_unavailable";

/// The server's database refused to store the mutation's data (a
/// PostgreSQL data or integrity error, SQLSTATE class 22 or 23; on SQLite a
/// constraint or size failure). Permanent: the mutation is recorded as
/// rejected with this code, so a retry only gets the same answer.
pub const UNSTORABLE_DATA: &str = "unstorable_data";

/// A client was asked to talk plain `http://` to a host that is not
/// loopback (or a server to listen so) without the explicit insecure-HTTP
/// switch. Refused before any connection is made.
pub const INSECURE_TRANSPORT: &str = "insecure_transport";

/// The trusted certificate file a client was given cannot be read or holds
/// no PEM certificate.
pub const INVALID_CA_FILE: &str = "invalid_ca_file";

/// The TLS connection to the server failed for a reason waiting will not
/// fix: its certificate is not trusted (add the CA file) or not for this
/// host.
pub const TLS_FAILED: &str = "tls_failed";
