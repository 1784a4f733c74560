//! The parts of the site configuration document beyond calendars and SLA
//! policies: callback retries and the repeat window decide, and values out
//! of their range are refused with the field named.
#![allow(clippy::unwrap_used)]

use redress_domain::{ErrorCode, RulesDocument};

#[test]
fn callbacks_and_repeats_come_from_the_document() {
    let doc: RulesDocument = toml::from_str(
        r#"
[callbacks]
retry_delay_secs = 3600
max_attempts = 5

[repeats]
window_days = 60
"#,
    )
    .unwrap();
    let rules = doc.to_rules().unwrap();
    assert_eq!(rules.callbacks.retry_delay_secs, 3600);
    assert_eq!(rules.callbacks.max_attempts, 5);
    assert_eq!(rules.repeats.window_days, 60);
    assert_eq!(
        rules.repeats.escalate_at, 3,
        "a part left out keeps its default"
    );
    // Defaults stay out of the JSON, so older documents keep their digest.
    let json = serde_json::to_value(RulesDocument::default()).unwrap();
    assert!(json.get("callbacks").is_none() && json.get("repeats").is_none());
    assert!(
        serde_json::to_value(&doc)
            .unwrap()
            .get("callbacks")
            .is_some()
    );
}

#[test]
fn callbacks_and_repeats_out_of_range_are_refused() {
    let doc: RulesDocument = toml::from_str(
        r#"
[callbacks]
retry_delay_secs = 0
max_attempts = 0

[repeats]
window_days = 0
escalate_at = 1
"#,
    )
    .unwrap();
    let e = doc.to_rules().unwrap_err();
    assert_eq!(e.code(), ErrorCode::ValidationFailed);
    let text = e.to_string();
    for field in [
        "callbacks.retry_delay_secs",
        "callbacks.max_attempts",
        "repeats.window_days",
        "repeats.escalate_at",
    ] {
        assert!(text.contains(field), "{field} in {text}");
    }
    assert!(
        toml::from_str::<RulesDocument>("[repeats]\nwindow = 3\n").is_err(),
        "unknown key"
    );
    let warn: RulesDocument =
        toml::from_str("[[sla.policies]]\nname = \"w\"\nwarn_at_permille = [500, 1000]\n").unwrap();
    assert!(
        warn.to_rules()
            .unwrap_err()
            .to_string()
            .contains("warn_at_permille")
    );
}
