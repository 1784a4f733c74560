//! The envelope a desktop wraps around each mutation it pushes.

use crate::mutation::{Mutation, WireMutation};
use jiff::Timestamp;
use redress_domain::ids::UserId;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::Value;
use uuid::Uuid;

/// One mutation as pushed: the device's numbering and the author's context
/// around the intent itself.
///
/// On the wire the mutation's `name` and `args` sit next to the envelope's
/// own fields in one flat object, and unknown fields are refused:
///
/// ```json
/// { "client_seq": 42, "mutation_id": "…", "author_user_id": "li",
///   "occurred_at_device": "2026-11-02T01:41:07Z", "base_seq": 10198,
///   "name": "approval.decide", "args": { "complaint_id": "…", … } }
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MutationEnvelope {
    /// The device's gap-free number for this mutation, from 1.
    pub client_seq: u64,
    /// Globally unique (UUID v7); the idempotency and audit key.
    pub mutation_id: Uuid,
    /// Who acted. The server checks it against the signed-in user and never
    /// trusts it on its own.
    pub author_user_id: UserId,
    /// When the user acted, by the device's clock (informational).
    pub occurred_at_device: Timestamp,
    /// The device's pull cursor when the user acted ("what they saw").
    pub base_seq: i64,
    /// The intent, flattened into the envelope on the wire.
    pub mutation: Mutation,
}

/// A mutation as pushed: the envelope's fields and the mutation's `name` and
/// `args` in one flat object.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
struct WireEnvelope {
    /// The device's gap-free number for this mutation, from 1.
    #[cfg_attr(feature = "openapi", schema(minimum = 1))]
    client_seq: u64,
    /// Globally unique (UUID v7); the idempotency and audit key.
    mutation_id: Uuid,
    /// Who acted; must be the signed-in user.
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    author_user_id: UserId,
    /// When the user acted, by the device's clock (informational).
    occurred_at_device: Timestamp,
    /// The device's pull cursor when the user acted.
    base_seq: i64,
    /// The mutation's wire name.
    name: String,
    /// The mutation's arguments: always `complaint_id`, next to the
    /// command's own fields (the rulebook's command shapes; for
    /// `complaint.record`, `complaint` holds the draft).
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    args: Value,
}

/// The JSON schema of [`MutationEnvelope`]: the one of its wire form, with
/// the mutation names this build knows listed for `name`.
#[cfg(feature = "openapi")]
mod schema {
    use super::{MutationEnvelope, WireEnvelope};
    use std::borrow::Cow;
    use utoipa::openapi::schema::{Schema, SchemaType};
    use utoipa::openapi::{RefOr, Type};
    use utoipa::{PartialSchema, ToSchema};

    impl PartialSchema for MutationEnvelope {
        fn schema() -> RefOr<Schema> {
            let mut schema = WireEnvelope::schema();
            if let RefOr::T(Schema::Object(object)) = &mut schema {
                if let Some(RefOr::T(Schema::Object(name))) = object.properties.get_mut("name") {
                    let names = std::iter::once(crate::RECORD)
                        .chain(crate::mutation::COMMAND_NAMES.iter().map(|(wire, _)| *wire));
                    name.schema_type = SchemaType::Type(Type::String);
                    name.enum_values = Some(names.map(Into::into).collect());
                }
            }
            schema
        }
    }

    impl ToSchema for MutationEnvelope {
        fn name() -> Cow<'static, str> {
            Cow::Borrowed("MutationEnvelope")
        }
    }
}

impl Serialize for MutationEnvelope {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let wire = WireMutation::try_from(&self.mutation).map_err(serde::ser::Error::custom)?;
        WireEnvelope {
            client_seq: self.client_seq,
            mutation_id: self.mutation_id,
            author_user_id: self.author_user_id.clone(),
            occurred_at_device: self.occurred_at_device,
            base_seq: self.base_seq,
            name: wire.name,
            args: wire.args,
        }
        .serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for MutationEnvelope {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let wire = WireEnvelope::deserialize(deserializer)?;
        if wire.client_seq == 0 {
            return Err(serde::de::Error::custom("client_seq starts at 1"));
        }
        redress_domain::text::check(
            "author_user_id",
            wire.author_user_id.as_str(),
            redress_domain::text::USER_NAME,
        )
        .map_err(serde::de::Error::custom)?;
        let mutation =
            Mutation::from_wire(&wire.name, wire.args).map_err(serde::de::Error::custom)?;
        Ok(MutationEnvelope {
            client_seq: wire.client_seq,
            mutation_id: wire.mutation_id,
            author_user_id: wire.author_user_id,
            occurred_at_device: wire.occurred_at_device,
            base_seq: wire.base_seq,
            mutation,
        })
    }
}
