//! The site's rules: the server decides SLA due times with the calendars
//! it was given, and serves them at `GET /rules` with their digest.

mod support;

use jiff::Timestamp;
use redress_domain::RulesDocument;
use redress_domain::model::Severity;
use redress_domain::sla::ClockKind;
use redress_protocol::{Mutation, rules_digest};
use redress_server::ServerStore;
use support::{TestServer, assert_error, complaint_id, draft};

/// An office open Monday to Friday 09:00-18:00 in Shanghai, and resolution
/// measured on it.
const SITE: &str = r#"
default_calling_code = "86"

[calendars.office]
timezone = "Asia/Shanghai"
hours.mon = [["09:00", "18:00"]]
hours.tue = [["09:00", "18:00"]]
hours.wed = [["09:00", "18:00"]]
hours.thu = [["09:00", "18:00"]]
hours.fri = [["09:00", "18:00"]]

[[sla.policies]]
name = "resolution in office hours"
resolution = { seconds = 28800, calendar = "office" }
"#;

fn site() -> RulesDocument {
    toml::from_str(SITE).expect("the site's rules")
}

/// Friday 2026-11-20, 17:00 in Shanghai.
fn friday_five_pm() -> Timestamp {
    "2026-11-20T17:00:00+08:00[Asia/Shanghai]"
        .parse::<jiff::Zoned>()
        .expect("a time")
        .timestamp()
}

/// Records a critical complaint received on Friday at 17:00 in Shanghai
/// as ann, and returns its resolution clock's due time as stored.
fn resolution_due(server: &TestServer, n: u128) -> Timestamp {
    let mut ann = server.person("ann", n);
    let device = server.device_of(&ann);
    let id = complaint_id(n);
    let mut complaint = draft("Wang Fang");
    complaint.received_at = Some(friday_five_pm());
    complaint.severity = Severity::CRITICAL;
    let reply = ann.push(
        device,
        vec![Mutation::Record {
            complaint_id: id,
            complaint,
        }],
    );
    assert_eq!(reply.status, 200, "{}", reply.body);
    assert_eq!(
        reply.body["results"][0]["status"], "applied",
        "{}",
        reply.body
    );
    let stored = server
        .store
        .complaint(id)
        .expect("read the complaint")
        .expect("the complaint is stored");
    let clock = stored
        .complaint
        .clocks
        .iter()
        .find(|c| c.kind == ClockKind::Resolution)
        .expect("a resolution clock");
    clock.due_at.expect("a running clock")
}

#[test]
fn resolution_is_due_in_the_sites_office_hours() {
    let server = TestServer::start_with_rules(site());
    // One hour on Friday (17:00-18:00), seven on Monday (09:00-16:00).
    let monday_four_pm = "2026-11-23T16:00:00+08:00[Asia/Shanghai]"
        .parse::<jiff::Zoned>()
        .expect("a time")
        .timestamp();
    assert_eq!(
        monday_four_pm,
        "2026-11-23T08:00:00Z".parse::<Timestamp>().expect("a time")
    );
    assert_eq!(resolution_due(&server, 1), monday_four_pm);

    // The built-in rules: eight hours round the clock.
    let built_in = TestServer::start();
    assert_eq!(
        resolution_due(&built_in, 2),
        "2026-11-21T01:00:00+08:00[Asia/Shanghai]"
            .parse::<jiff::Zoned>()
            .expect("a time")
            .timestamp()
    );
}

#[test]
fn rules_are_served_with_their_digest_to_people_only() {
    let document = site();
    let server = TestServer::start_with_rules(document.clone());
    let ann = server.person("ann", 3);

    let reply = ann.get("/rules");
    assert_eq!(reply.status, 200, "{}", reply.body);
    let served: RulesDocument =
        serde_json::from_value(reply.body["document"].clone()).expect("a rules document");
    assert_eq!(served, document);
    assert_eq!(served.calendars["office"].timezone, "Asia/Shanghai");
    let digest = rules_digest(&document);
    assert_eq!(reply.body["digest"], digest.as_str());

    let meta = ann.get("/meta");
    assert_eq!(meta.status, 200, "{}", meta.body);
    assert_eq!(meta.body["rules_digest"], digest.as_str());

    // The built-in rules have another digest, and /meta says so.
    let built_in = TestServer::start();
    let amy = built_in.person("amy", 4);
    let default = rules_digest(&RulesDocument::default());
    assert_ne!(default, digest);
    assert_eq!(amy.get("/meta").body["rules_digest"], default.as_str());
    let reply = amy.get("/rules");
    assert_eq!(reply.status, 200, "{}", reply.body);
    assert_eq!(reply.body["digest"], default.as_str());
    assert_eq!(reply.body["document"]["calendars"], serde_json::json!({}));

    // Integrations feed complaints in; they do not sync.
    let mut crm = server.integration("crm");
    let device = server.device_of(&crm);
    crm.protocol = Some("1".to_owned());
    crm.device = Some(device);
    assert_error(&crm.get("/rules"), 403, "forbidden_role");
    // Nor does anyone without a session.
    let mut anonymous = server.redirect(&ann);
    anonymous.token = None;
    assert_error(&anonymous.get("/rules"), 401, "unauthorized");
}
