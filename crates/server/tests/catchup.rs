//! Catching up on a real server: stored results after a lost push
//! response (`GET /sync/results`), and the paged bootstrap snapshot
//! (`GET /sync/bootstrap`) that converges once the client pulls from the
//! smallest `as_of_seq` of its pages.

mod support;

use redress_domain::complaint::{Command, Complaint};
use redress_domain::ids::{ComplaintId, UpdateId};
use redress_protocol::{BootstrapPage, Change, ChangeOp, Mutation, PullResponse, state_digest};
use redress_server::ServerStore;
use serde_json::Value;
use std::collections::BTreeMap;
use support::{TestServer, assert_error, complaint_id, record};
use uuid::Uuid;

fn progress(id: ComplaintId, n: u128, text: &str) -> Mutation {
    Mutation::Execute {
        complaint_id: id,
        command: Command::AddProgress {
            update_id: UpdateId(Uuid::from_u128(0xD0_0000 + n)),
            text: text.to_owned(),
            customer_informed: false,
        },
    }
}

#[test]
fn results_are_there_after_a_lost_push_response() {
    let server = TestServer::start();
    let mut ann = server.person("ann", 1);
    let device = ann.device.expect("a device");
    // The second record of the same id is refused; all three are settled.
    let pushed = ann.push(
        device,
        vec![
            record(complaint_id(1)),
            record(complaint_id(1)),
            record(complaint_id(2)),
        ],
    );
    assert_eq!(pushed.status, 200, "{}", pushed.body);
    // Say that answer was lost: a pull tells how far the server got ...
    let pull = ann.get("/sync/pull?after=0");
    assert_eq!(pull.body["device_last_seq"], 3, "{}", pull.body);

    // ... and the results come from the log, exactly as pushed.
    let all = ann.get("/sync/results?from=1");
    assert_eq!(all.status, 200, "{}", all.body);
    assert_eq!(all.body["device_last_seq"], 3);
    assert_eq!(all.body["results"], pushed.body["results"]);
    assert_eq!(all.body["results"][1]["code"], "complaint_exists");
    assert!(all.body["server_time"].is_string());

    let one = ann.get("/sync/results?from=2&limit=1");
    assert_eq!(one.status, 200, "{}", one.body);
    let results = one.body["results"].as_array().expect("results");
    assert_eq!(results.len(), 1);
    assert_eq!(results[0], pushed.body["results"][1]);
    assert_eq!(one.body["device_last_seq"], 3, "more to fetch");

    // The default starts at the first mutation.
    assert_eq!(
        ann.get("/sync/results").body["results"],
        pushed.body["results"]
    );

    let none = ann.get("/sync/results?from=4");
    assert_eq!(none.status, 200, "{}", none.body);
    assert_eq!(none.body["results"], Value::Array(Vec::new()));
    assert_eq!(none.body["device_last_seq"], 3);

    // Each device sees only its own results.
    let amy = server.person("amy", 2);
    let theirs = amy.get("/sync/results?from=1");
    assert_eq!(theirs.status, 200, "{}", theirs.body);
    assert_eq!(theirs.body["results"], Value::Array(Vec::new()));
    assert_eq!(theirs.body["device_last_seq"], 0);

    for bad in [
        "/sync/results?from=-1",
        "/sync/results?from=x",
        // Beyond any stored client_seq: refused, not a store fault.
        "/sync/results?from=9223372036854775808",
        "/sync/results?limit=0",
        "/sync/results?since=1",
    ] {
        assert_error(&ann.get(bad), 400, "malformed_request");
    }
    let mut headless = server.person("sue", 3);
    headless.device = None;
    assert_error(&headless.get("/sync/results"), 403, "device_mismatch");
    headless.device = Some(redress_protocol::DeviceId(Uuid::from_u128(3)));
    headless.protocol = None;
    assert_error(&headless.get("/sync/results"), 426, "protocol_mismatch");
}

/// A desktop's mirror: complaints by id with their versions.
#[derive(Default)]
struct Mirror(BTreeMap<ComplaintId, (i64, Complaint)>);

impl Mirror {
    fn put(&mut self, complaint: Complaint, version: i64) {
        let newer = self
            .0
            .get(&complaint.id)
            .is_none_or(|(have, _)| *have < version);
        if newer {
            self.0.insert(complaint.id, (version, complaint));
        }
    }

    fn apply(&mut self, change: &Change) {
        if change.entity == "complaint" && change.op == ChangeOp::Upsert {
            let complaint: Complaint =
                serde_json::from_value(change.data.clone()).expect("a complaint");
            self.put(complaint, change.version);
        }
    }

    fn digest(&self) -> String {
        let complaints: Vec<Complaint> = self.0.values().map(|(_, c)| c.clone()).collect();
        state_digest(&complaints).expect("a digest")
    }
}

fn page(client: &support::Client, query: &str) -> BootstrapPage {
    let reply = client.get(&format!("/sync/bootstrap{query}"));
    assert_eq!(reply.status, 200, "{}", reply.body);
    serde_json::from_value(reply.body).expect("a bootstrap page")
}

/// Pulls every change after `after` into `mirror`.
fn pull_into(client: &support::Client, mut after: i64, mirror: &mut Mirror) {
    loop {
        let reply = client.get(&format!("/sync/pull?after={after}&limit=2"));
        assert_eq!(reply.status, 200, "{}", reply.body);
        let page: PullResponse = serde_json::from_value(reply.body).expect("a pull page");
        for change in &page.changes {
            mirror.apply(change);
            after = change.seq;
        }
        if !page.has_more {
            return;
        }
    }
}

#[test]
fn paged_bootstrap_converges_after_pulling_from_the_smallest_as_of_seq() {
    let server = TestServer::start();
    let mut ann = server.person("ann", 1);
    let device = ann.device.expect("a device");
    let reader = server.person("amy", 2);

    let empty = page(&reader, "");
    assert_eq!(empty.as_of_seq, 0);
    assert!(empty.complaints.is_empty());
    assert_eq!(empty.next_after, None);

    let ids: Vec<ComplaintId> = [10, 20, 30, 40, 50].map(complaint_id).to_vec();
    let reply = ann.push(device, ids.iter().map(|id| record(*id)).collect());
    assert_eq!(reply.status, 200, "{}", reply.body);

    let mut mirror = Mirror::default();
    let mut as_of = Vec::new();

    let first = page(&reader, "?limit=2");
    assert_eq!(
        first
            .complaints
            .iter()
            .map(|c| c.complaint.id)
            .collect::<Vec<_>>(),
        ids[..2]
    );
    assert_eq!(first.as_of_seq, 5);
    assert_eq!(first.next_after, Some(ids[1]));
    assert!(first.complaints.iter().all(|c| c.version == 1));
    as_of.push(first.as_of_seq);
    for c in first.complaints {
        mirror.put(c.complaint, c.version);
    }

    // Meanwhile: a change to a complaint already paged, a new complaint
    // below the cursor, and a change to one not paged yet.
    let reply = ann.push(
        device,
        vec![
            progress(ids[0], 1, "called the customer"),
            record(complaint_id(15)),
            progress(ids[3], 2, "technician booked"),
        ],
    );
    assert_eq!(reply.status, 200, "{}", reply.body);
    for result in reply.body["results"].as_array().expect("results") {
        assert_eq!(result["status"], "applied", "{result}");
    }

    let after = first.next_after.expect("a next page");
    let second = page(&reader, &format!("?after={after}&limit=2"));
    assert_eq!(
        second
            .complaints
            .iter()
            .map(|c| c.complaint.id)
            .collect::<Vec<_>>(),
        ids[2..4]
    );
    assert_eq!(second.as_of_seq, 8);
    assert_eq!(
        second.complaints[1].version, 2,
        "page 2 sees the new update"
    );
    assert_eq!(second.complaints[1].last_seq, 8);
    as_of.push(second.as_of_seq);
    for c in second.complaints {
        mirror.put(c.complaint, c.version);
    }

    let after = second.next_after.expect("a next page");
    let third = page(&reader, &format!("?after={after}&limit=2"));
    assert_eq!(
        third
            .complaints
            .iter()
            .map(|c| c.complaint.id)
            .collect::<Vec<_>>(),
        ids[4..]
    );
    assert_eq!(third.next_after, None, "the last page");
    as_of.push(third.as_of_seq);
    for c in third.complaints {
        mirror.put(c.complaint, c.version);
    }

    let server_digest = server.store.digest().expect("the server's digest");
    assert_eq!(
        mirror.0.len(),
        5,
        "complaint 15 was recorded behind the cursor"
    );
    assert_ne!(mirror.digest(), server_digest, "the pages alone are stale");

    // Pulling from the largest as_of_seq is not enough ...
    let mut from_largest = Mirror(mirror.0.clone());
    pull_into(
        &reader,
        *as_of.iter().max().expect("pages"),
        &mut from_largest,
    );
    assert_ne!(from_largest.digest(), server_digest);

    // ... from the smallest, everything made meanwhile arrives and the
    // mirror equals the server.
    pull_into(&reader, *as_of.iter().min().expect("pages"), &mut mirror);
    assert_eq!(mirror.0.len(), 6);
    assert_eq!(mirror.digest(), server_digest);
    assert_eq!(mirror.0[&ids[0]].0, 2);

    // One page with everything agrees too.
    let whole = page(&reader, "?limit=1000");
    assert_eq!(whole.complaints.len(), 6);
    assert_eq!(whole.as_of_seq, 8);
    assert_eq!(whole.next_after, None);

    for bad in [
        "/sync/bootstrap?after=nope",
        "/sync/bootstrap?limit=0",
        "/sync/bootstrap?page_token=1",
    ] {
        assert_error(&reader.get(bad), 400, "malformed_request");
    }
}
