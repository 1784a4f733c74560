//! The intake API: systems such as a CRM, an IVR or a web form feed
//! complaints in with an integration token (`POST /intake/complaints`,
//! `POST /intake/complaints/{id}/progress`).
//!
//! Every request carries the caller's own `external_ref`, its idempotency
//! key: the server derives the mutation id (and, for a new complaint, the
//! complaint id) from it, so a retried request gets the first one's outcome
//! and never creates a second complaint.

use crate::messages::Outcome;
use redress_domain::complaint::ComplaintDraft;
use redress_domain::ids::{ComplaintId, UpdateId};
use redress_domain::text::{self, TextLimit};
use redress_domain::{DomainError, ErrorCode};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use uuid::Uuid;

/// The longest `external_ref` accepted (characters).
pub const MAX_EXTERNAL_REF: usize = 200;

/// `POST /intake/complaints`: a new complaint, with the fields a recording
/// agent enters (the rulebook's [`ComplaintDraft`], as `complaint.record`
/// carries it) and the caller's `external_ref`, all at the top level.
/// Unknown fields are refused. The OpenAPI document describes it by
/// [`schema::IntakeComplaint`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct IntakeComplaint {
    /// The caller's own id for this complaint, its idempotency key: a
    /// request with an `external_ref` already seen gets the first request's
    /// outcome, whatever its body.
    pub external_ref: String,
    #[serde(flatten)]
    pub draft: ComplaintDraft,
}

/// `external_ref` is taken out and the rest must be exactly a
/// [`ComplaintDraft`]: serde's `flatten` cannot be combined with refusing
/// unknown fields, so the split is done by hand.
impl<'de> Deserialize<'de> for IntakeComplaint {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        use serde::de::Error;
        let mut fields = serde_json::Map::<String, Value>::deserialize(d)?;
        let external_ref = match fields.remove("external_ref") {
            Some(Value::String(s)) => s,
            Some(_) => return Err(D::Error::custom("external_ref: expected a string")),
            None => return Err(D::Error::missing_field("external_ref")),
        };
        let draft = ComplaintDraft::deserialize(Value::Object(fields)).map_err(D::Error::custom)?;
        Ok(IntakeComplaint {
            external_ref,
            draft,
        })
    }
}

impl IntakeComplaint {
    /// The body's text against the rulebook's limits (see
    /// [`redress_domain::text`]) and `external_ref` against
    /// [`MAX_EXTERNAL_REF`]: `text_too_long` or `invalid_text` naming the
    /// first offending field, for the server to answer before it records
    /// anything.
    pub fn check_text(&self) -> Result<(), DomainError> {
        check_external_ref(&self.external_ref)?;
        self.draft.check_text()
    }
}

/// `POST /intake/complaints/{id}/progress`: a progress update on a
/// complaint (the rulebook's `add_progress`). The server derives the
/// update's id from the complaint and `external_ref`. Unknown fields are
/// refused.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct IntakeProgress {
    /// The caller's own id for this update (1 to 200 characters), its
    /// idempotency key within the complaint.
    #[cfg_attr(
        feature = "openapi",
        schema(example = "crm-4711-note-2", max_length = 200)
    )]
    pub external_ref: String,
    /// Several lines allowed.
    #[cfg_attr(feature = "openapi", schema(max_length = 4000))]
    pub text: String,
    /// The customer was told; such updates count for the SLA.
    #[serde(default)]
    pub customer_informed: bool,
}

impl IntakeProgress {
    /// Like [`IntakeComplaint::check_text`], for the update's text.
    pub fn check_text(&self) -> Result<(), DomainError> {
        check_external_ref(&self.external_ref)?;
        text::check("text", &self.text, text::PROGRESS_TEXT)
    }
}

/// `external_ref` is one line of at most [`MAX_EXTERNAL_REF`] characters.
fn check_external_ref(external_ref: &str) -> Result<(), DomainError> {
    text::check(
        "external_ref",
        external_ref,
        TextLimit {
            max_chars: MAX_EXTERNAL_REF,
            multiline: false,
        },
    )
}

/// The answer to an intake request the rulebook accepted (`201`, or `200`
/// with `replayed` when the `external_ref` was seen before).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct IntakeAccepted {
    #[cfg_attr(feature = "openapi", schema(value_type = uuid::Uuid))]
    pub complaint_id: ComplaintId,
    /// The complaint's number (`TS-2026-000123`).
    pub number: String,
    /// The progress update's id (progress requests only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<uuid::Uuid>))]
    pub update_id: Option<UpdateId>,
    /// The mutation the request became (derived from `external_ref`).
    pub mutation_id: Uuid,
    /// Always `applied`, with the change seqs it wrote.
    pub outcome: Outcome,
    /// The `external_ref` was seen before: this is the stored outcome,
    /// nothing new was written.
    pub replayed: bool,
}

/// The `422` answer to an intake request the rulebook refused. `code` and
/// `message` are those of every error body; the refusal is recorded, and a
/// retry with the same `external_ref` gets it again (with `replayed`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct IntakeRejected {
    /// The rulebook's stable code (`validation_failed`, `not_found`,
    /// `complaint_closed`, ...).
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub code: ErrorCode,
    pub message: String,
    /// Structured facts, such as `{"fields": [...]}` for
    /// `validation_failed`.
    #[serde(default, skip_serializing_if = "Value::is_null")]
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub details: Value,
    #[cfg_attr(feature = "openapi", schema(value_type = uuid::Uuid))]
    pub complaint_id: ComplaintId,
    pub mutation_id: Uuid,
    /// The rejection's entry in the change log.
    pub rejection_change_seq: i64,
    /// The `external_ref` was seen before and refused then.
    pub replayed: bool,
}

/// Schemas of the rulebook's types an intake body uses; the OpenAPI
/// document describes them by these mirrors, and a server test checks them
/// against the real types' JSON. Text lengths are `max_length` literals
/// (utoipa takes no constants); a test below checks them against
/// [`redress_domain::text`].
#[cfg(feature = "openapi")]
pub mod schema {
    #![allow(dead_code, reason = "schemas only; never built")]

    /// `POST /intake/complaints`: a new complaint, with the fields a
    /// recording agent enters (those of `complaint.record`) and the
    /// caller's `external_ref`. Unknown fields are refused.
    #[derive(Debug, utoipa::ToSchema)]
    #[serde(deny_unknown_fields)]
    pub struct IntakeComplaint {
        /// The caller's own id for this complaint (1 to 200 characters), its
        /// idempotency key: a request with an `external_ref` already seen
        /// gets the first request's outcome, whatever its body.
        #[schema(example = "crm-4711", max_length = 200)]
        pub external_ref: String,
        pub customer: IntakeCustomer,
        pub channel: Channel,
        pub subject: IntakeSubject,
        /// A complaint category code of the server's catalogue
        /// (`broadband.dropout`).
        #[schema(example = "broadband.dropout", max_length = 64)]
        pub category: String,
        /// What the customer asks for (several lines allowed).
        #[schema(max_length = 2000)]
        pub demand: String,
        /// Several lines allowed.
        #[schema(max_length = 10000)]
        pub description: String,
        pub kind: ComplaintKind,
        pub demand_class: DemandClass,
        /// 1 (low) to 4 (critical).
        #[schema(minimum = 1, maximum = 4)]
        pub severity: u8,
        /// The complaint reached social media, a forum or the press.
        #[serde(default)]
        pub public_exposure: bool,
        /// When the customer complained; the moment it is recorded when left
        /// out.
        #[serde(default)]
        #[schema(required = false)]
        pub received_at: jiff::Timestamp,
    }

    /// The complainant.
    #[derive(Debug, utoipa::ToSchema)]
    pub struct IntakeCustomer {
        #[schema(max_length = 100)]
        pub name: String,
        /// Normalised by the server.
        #[schema(max_length = 40)]
        pub phone: String,
        /// The caller's customer number, if any.
        #[schema(max_length = 64)]
        pub customer_id: Option<String>,
    }

    /// What the complaint is against.
    #[derive(Debug, utoipa::ToSchema)]
    pub struct IntakeSubject {
        pub kind: SubjectKind,
        /// Product name, order number, business line or agent id.
        #[schema(max_length = 200)]
        pub reference: String,
    }

    /// How the complaint reached us.
    #[derive(Debug, utoipa::ToSchema)]
    #[schema(rename_all = "snake_case")]
    pub enum Channel {
        Phone,
        OnlineChat,
        App,
        Email,
        SocialMedia,
        Letter,
        WalkIn,
    }

    #[derive(Debug, utoipa::ToSchema)]
    #[schema(rename_all = "snake_case")]
    pub enum SubjectKind {
        Product,
        Order,
        BusinessLine,
        Agent,
    }

    /// How to respond: emotion first, demand first, or both.
    #[derive(Debug, utoipa::ToSchema)]
    #[schema(rename_all = "snake_case")]
    pub enum ComplaintKind {
        EmotionDriven,
        DemandDriven,
        Compound,
    }

    /// What kind of outcome the customer wants.
    #[derive(Debug, utoipa::ToSchema)]
    #[schema(rename_all = "snake_case")]
    pub enum DemandClass {
        ImmediateFix,
        LongTermImprovement,
        EmotionalCompensation,
    }
}

#[cfg(all(test, feature = "openapi"))]
mod tests {
    use super::*;
    use redress_domain::text;
    use utoipa::PartialSchema;
    use utoipa::openapi::RefOr;
    use utoipa::openapi::schema::Schema;

    /// `maxLength` of every string property of `schema` that has one.
    fn max_lengths(schema: RefOr<Schema>) -> Vec<(String, usize)> {
        let RefOr::T(Schema::Object(object)) = schema else {
            panic!("an object schema");
        };
        object
            .properties
            .into_iter()
            .filter_map(|(name, property)| match property {
                RefOr::T(Schema::Object(p)) => p.max_length.map(|m| (name, m)),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn the_schemas_state_the_rulebook_limits() {
        let limits = |schema| {
            let mut found = max_lengths(schema);
            found.sort();
            found
        };
        let pair = |name: &str, max: usize| (name.to_owned(), max);
        assert_eq!(
            limits(schema::IntakeComplaint::schema()),
            [
                pair("category", text::CODE.max_chars),
                pair("demand", text::DEMAND.max_chars),
                pair("description", text::DESCRIPTION.max_chars),
                pair("external_ref", MAX_EXTERNAL_REF),
            ]
        );
        assert_eq!(
            limits(IntakeProgress::schema()),
            [
                pair("external_ref", MAX_EXTERNAL_REF),
                pair("text", text::PROGRESS_TEXT.max_chars),
            ]
        );
        assert_eq!(
            limits(schema::IntakeCustomer::schema()),
            [
                pair("customer_id", text::CODE.max_chars),
                pair("name", text::PERSON_NAME.max_chars),
                pair("phone", text::PHONE.max_chars),
            ]
        );
        assert_eq!(
            limits(schema::IntakeSubject::schema()),
            [pair("reference", text::SUBJECT_REFERENCE.max_chars)]
        );
    }
}
