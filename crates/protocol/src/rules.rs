//! The site's rules as the server hands them to desktops (`GET /rules`),
//! and the digest that tells two copies apart.

use redress_domain::rules::RulesDocument;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use sha2::{Digest, Sha256};

/// `GET /rules`: the rules the server decides with, and their digest.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RulesResponse {
    /// [`rules_digest`] of `document`; `GET /meta` carries the same value as
    /// `rules_digest`, so a client can tell the rules changed without
    /// fetching them.
    pub digest: String,
    /// The site's rules document: business calendars by id, SLA policies
    /// and the site's calling code.
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub document: RulesDocument,
}

/// The SHA-256 of the canonical JSON of `document` (compact, object keys
/// sorted, no insignificant whitespace), as 64 lower-case hex digits. The
/// server and desktops compute it the same way, so equal documents have
/// equal digests whatever order their files were written in.
pub fn rules_digest(document: &RulesDocument) -> String {
    // A document is plain data (strings, numbers, lists, maps with string
    // keys), which always serialises.
    let value = serde_json::to_value(document).unwrap_or(Value::Null);
    sha256_hex(canonical_json(&value).as_bytes())
}

/// `value` as canonical JSON: compact, object keys in byte order. Equal
/// values give equal text, whatever order their maps were built in.
pub fn canonical_json(value: &Value) -> String {
    let mut canonical = String::new();
    write_canonical(value, &mut canonical);
    canonical
}

/// The SHA-256 of `bytes` as 64 lower-case hex digits.
pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// `value` as compact JSON with object keys in byte order.
fn write_canonical(value: &Value, out: &mut String) {
    match value {
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_canonical(item, out);
            }
            out.push(']');
        }
        Value::Object(map) => {
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort();
            out.push('{');
            for (i, key) in keys.into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push_str(&Value::String(key.clone()).to_string());
                out.push(':');
                write_canonical(&map[key], out);
            }
            out.push('}');
        }
        scalar => out.push_str(&scalar.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_digest_is_hex_sha256_of_sorted_compact_json() {
        let document = RulesDocument::default();
        let digest = rules_digest(&document);
        assert_eq!(digest.len(), 64);
        assert!(
            digest
                .chars()
                .all(|c| c.is_ascii_hexdigit() && !c.is_ascii_uppercase())
        );
        // An empty document: no calendars, no policies, calling code 86.
        let expected = Sha256::digest(
            br#"{"calendars":{},"default_calling_code":"86","sla":{"policies":[]}}"#,
        )
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect::<String>();
        assert_eq!(digest, expected);
        let other = RulesDocument {
            default_calling_code: Some("44".to_owned()),
            ..RulesDocument::default()
        };
        assert_ne!(rules_digest(&other), digest);
    }

    #[test]
    fn a_response_reads_back() {
        let document = RulesDocument::default();
        let response = RulesResponse {
            digest: rules_digest(&document),
            document,
        };
        let json = serde_json::to_string(&response).expect("json");
        let back: RulesResponse = serde_json::from_str(&json).expect("read back");
        assert_eq!(back, response);
    }
}
