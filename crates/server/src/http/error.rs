//! The JSON error body every endpoint answers with: `{"code", "message"}`,
//! plus `index` when one mutation of a push is at fault.

use crate::error::StoreError;
use axum::Json;
use axum::extract::rejection::BytesRejection;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use redress_protocol::ErrorCode;
use redress_protocol::http::ErrorBody;

/// An error answer.
#[derive(Debug, Clone)]
pub struct ApiError {
    pub status: StatusCode,
    pub code: ErrorCode,
    pub message: String,
    /// The position of the offending mutation in a push batch.
    pub index: Option<usize>,
    /// Seconds to wait, sent as `Retry-After`.
    pub retry_after: Option<u64>,
}

impl ApiError {
    pub fn new(status: StatusCode, code: ErrorCode, message: impl Into<String>) -> ApiError {
        ApiError {
            status,
            code,
            message: message.into(),
            index: None,
            retry_after: None,
        }
    }

    pub fn malformed(message: impl Into<String>) -> ApiError {
        ApiError::new(
            StatusCode::BAD_REQUEST,
            ErrorCode::MalformedRequest,
            message,
        )
    }

    pub fn unauthorized(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::UNAUTHORIZED, ErrorCode::Unauthorized, message)
    }

    pub fn device_mismatch(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::FORBIDDEN, ErrorCode::DeviceMismatch, message)
    }

    pub fn too_large(message: impl Into<String>) -> ApiError {
        ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            ErrorCode::PayloadTooLarge,
            message,
        )
    }

    /// A server fault: the detail goes to the log (escaped), the client
    /// gets a fixed sentence, never driver or SQL text.
    pub fn internal(message: impl Into<String>) -> ApiError {
        let message = message.into();
        tracing::error!(error = ?message, "internal error");
        ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            ErrorCode::InternalError,
            SERVER_FAULT,
        )
    }

    /// The bytes of a body, or why it could not be read (too large, cut off).
    pub fn body(
        body: Result<axum::body::Bytes, BytesRejection>,
    ) -> Result<axum::body::Bytes, ApiError> {
        match body {
            Ok(bytes) => Ok(bytes),
            Err(rejection) if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE => Err(
                ApiError::too_large("the request body is larger than this server accepts"),
            ),
            Err(rejection) => Err(ApiError::malformed(rejection.body_text())),
        }
    }
}

/// What a client is told about a server fault; the log has the detail.
const SERVER_FAULT: &str = "the server failed to answer this request; its log has the details";

/// What a client is told when the store is busy or unreachable.
const STORE_TRANSIENT: &str =
    "the server's database is busy or unreachable; retry the same request";

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> ApiError {
        let status = match &e {
            _ if e.is_transient() => StatusCode::SERVICE_UNAVAILABLE,
            StoreError::DeviceMismatch { .. } | StoreError::UnknownDevice(_) => {
                StatusCode::FORBIDDEN
            }
            StoreError::InvalidSeq => StatusCode::BAD_REQUEST,
            StoreError::DeviceTaken { .. }
            | StoreError::DeviceForked { .. }
            | StoreError::MutationIdTaken { .. }
            | StoreError::ReplayMismatch { .. }
            | StoreError::UserExists(_)
            | StoreError::ConfigConflict { .. } => StatusCode::CONFLICT,
            StoreError::UnknownUser(_) | StoreError::NotIntegrationsComplaint(_) => {
                StatusCode::NOT_FOUND
            }
            StoreError::InvalidUser(_) => StatusCode::BAD_REQUEST,
            StoreError::InvalidConfig(_) => StatusCode::UNPROCESSABLE_ENTITY,
            StoreError::Busy(_)
            | StoreError::Database(_)
            | StoreError::Postgres(_)
            | StoreError::Unavailable(_)
            | StoreError::Corrupt(_)
            | StoreError::Open(_) => StatusCode::INTERNAL_SERVER_ERROR,
        };
        if status.is_server_error() {
            // The detail (driver and SQL text) is for the operator only.
            tracing::error!(error = ?e.to_string(), "store error");
            let message = if e.is_transient() {
                STORE_TRANSIENT
            } else {
                SERVER_FAULT
            };
            return ApiError::new(status, e.code(), message);
        }
        ApiError::new(status, e.code(), e.to_string())
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = ErrorBody {
            code: self.code.to_owned(),
            message: self.message,
            index: self.index,
        };
        let mut response = (self.status, Json(body)).into_response();
        if let Some(seconds) = self.retry_after {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(seconds));
        }
        if self.status == StatusCode::UNAUTHORIZED {
            response
                .headers_mut()
                .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        }
        response
    }
}
