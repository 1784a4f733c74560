//! The HTTP side of the contract that is not a sync message: the header
//! names, the sign-in request and answer, `GET /meta`'s answer and the body
//! of every error. The server writes them and the desktop's client reads
//! them with these same types.

use crate::DeviceId;
use jiff::Timestamp;
use redress_domain::ErrorCode;
use redress_domain::ids::UserId;
use redress_domain::model::Role;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// Request and response header names (lowercase: HTTP header names are
/// case-insensitive, and HTTP/2 sends them so).
pub mod headers {
    /// The protocol version a request speaks.
    pub const PROTOCOL: &str = "redress-protocol";
    /// The device a session is bound to.
    pub const DEVICE: &str = "redress-device";
    /// The identity of the server's database, on every answer.
    pub const SERVER_EPOCH: &str = "redress-server-epoch";
    /// The server's clock, on every answer.
    pub const SERVER_TIME: &str = "redress-server-time";
    /// The protocol range the server speaks, on a `426`.
    pub const PROTOCOL_MIN: &str = "redress-protocol-min";
    pub const PROTOCOL_MAX: &str = "redress-protocol-max";
}

/// The body of `POST /auth/login`.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct LoginRequest {
    /// One line, at most 64 characters.
    #[cfg_attr(feature = "openapi", schema(max_length = 64))]
    pub username: String,
    /// At most 1024 bytes.
    pub password: String,
    /// The desktop's device id; the session is bound to it, and the device
    /// is registered to the user on first sign-in.
    pub device_id: DeviceId,
    /// A name for the device, shown to administrators (one line, at most
    /// 100 characters).
    #[cfg_attr(feature = "openapi", schema(max_length = 100))]
    pub device_name: String,
}

impl std::fmt::Debug for LoginRequest {
    // The password stays out of logs.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LoginRequest")
            .field("username", &self.username)
            .field("device_id", &self.device_id)
            .field("device_name", &self.device_name)
            .finish_non_exhaustive()
    }
}

/// The answer to a successful sign-in: the session.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LoginResponse {
    /// The bearer token for `Authorization`; shown only this once, and it
    /// works only together with `device_id`.
    pub token: String,
    /// The signed-in user's name.
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub user: UserId,
    /// The user's role on this server.
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "agent"))]
    pub role: Role,
    /// The user's own approval limit in minor units, when it overrides the
    /// role's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub approval_limit_minor: Option<i64>,
    pub device_id: DeviceId,
    /// When the session ends.
    pub expires_at: Timestamp,
    pub server_time: Timestamp,
    /// The identity of the server's database; a new one means the client
    /// must start over.
    pub server_epoch: Uuid,
}

impl std::fmt::Debug for LoginResponse {
    // The token stays out of logs.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LoginResponse")
            .field("user", &self.user)
            .field("role", &self.role)
            .field("approval_limit_minor", &self.approval_limit_minor)
            .field("device_id", &self.device_id)
            .field("expires_at", &self.expires_at)
            .field("server_time", &self.server_time)
            .field("server_epoch", &self.server_epoch)
            .finish_non_exhaustive()
    }
}

/// The answer of `GET /meta`: what a client checks before signing in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Meta {
    /// The oldest protocol version the server speaks.
    pub protocol_min: u32,
    /// The newest protocol version the server speaks.
    pub protocol_max: u32,
    /// The identity of the server's database: a restored or replaced
    /// database has another one.
    pub server_epoch: Uuid,
    pub server_time: Timestamp,
    /// The digest of the rules the server decides with, as in
    /// `GET /rules`: when it changes, fetch the rules again.
    pub rules_digest: String,
}

/// The JSON body of every error answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ErrorBody {
    /// A stable snake_case code (`unauthorized`, `malformed_request`, ...).
    /// A client reads a code it does not know as `unknown`.
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub code: ErrorCode,
    /// Human-readable, for logs. Always sent; a client reads a body
    /// without one (a proxy's) too.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub message: String,
    /// The position of the offending mutation in a push batch, when one is
    /// at fault.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(minimum = 0))]
    pub index: Option<usize>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_stay_out_of_debug() {
        let login = LoginRequest {
            username: "amy".into(),
            password: "hunter2-secret".into(),
            device_id: DeviceId(Uuid::nil()),
            device_name: "desk".into(),
        };
        assert!(!format!("{login:?}").contains("hunter2"));
        let session = LoginResponse {
            token: "tok-secret".into(),
            user: UserId::new("amy"),
            role: Role::Agent,
            approval_limit_minor: None,
            device_id: DeviceId(Uuid::nil()),
            expires_at: Timestamp::UNIX_EPOCH,
            server_time: Timestamp::UNIX_EPOCH,
            server_epoch: Uuid::nil(),
        };
        let shown = format!("{session:?}");
        assert!(
            !shown.contains("tok-secret") && shown.contains("amy"),
            "{shown}"
        );
    }

    #[test]
    fn a_login_with_unknown_fields_is_refused() {
        let bad = r#"{"username":"a","password":"p","device_id":"00000000-0000-0000-0000-000000000000","device_name":"d","admin":true}"#;
        assert!(serde_json::from_str::<LoginRequest>(bad).is_err());
    }
}
