//! A PostgreSQL schema of its own for each test, on the server that
//! `REDRESS_TEST_PG_URL` names (`scripts/with-postgres.sh` starts one).
//! Each schema is dropped when the last store using it is gone, so tests are
//! isolated from each other and can run in parallel.

#![allow(dead_code)]

use jiff::Timestamp;
use redress_domain::ids::ComplaintId;
use redress_domain::ids::UserId;
use redress_domain::model::Actor;
use redress_protocol::{DeviceId, MutationResult, PullResponse, PushRequest, PushResponse};
use redress_server::{
    PgStore, ServerStore, SnapshotPage, StoreError, StoreOptions, StoredComplaint,
};
use std::sync::Arc;
use uuid::Uuid;

/// The server's URL; a test without one fails and says how to get one.
pub fn base_url() -> String {
    match std::env::var("REDRESS_TEST_PG_URL") {
        Ok(url) if !url.trim().is_empty() => url,
        _ => panic!(
            "REDRESS_TEST_PG_URL is not set, and the PostgreSQL tests need a server. \
             Run them through scripts/with-postgres.sh, which starts a throwaway cluster \
             (e.g. `scripts/with-postgres.sh cargo test -p redress-server --test pg_conformance`, \
             or `make unit`), or set REDRESS_TEST_PG_URL=postgres://USER:PASSWORD@HOST:PORT/DB \
             for a database where that user may create schemas."
        ),
    }
}

pub fn base_config() -> postgres::Config {
    base_url()
        .parse()
        .expect("REDRESS_TEST_PG_URL is a PostgreSQL URL")
}

/// A fresh schema, dropped with its tables when this is dropped.
#[derive(Debug)]
pub struct Schema {
    name: String,
}

impl Schema {
    pub fn new() -> Arc<Schema> {
        let name = format!("redress_t_{}", Uuid::now_v7().simple());
        let mut client = base_config()
            .connect(postgres::NoTls)
            .expect("connect to REDRESS_TEST_PG_URL");
        client
            .batch_execute(&format!("CREATE SCHEMA {name}"))
            .expect("create a test schema");
        Arc::new(Schema { name })
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    /// Connection settings whose tables live in this schema.
    pub fn config(&self) -> postgres::Config {
        let mut config = base_config();
        let options = match config.get_options() {
            Some(options) => format!("{options} -c search_path={}", self.name),
            None => format!("-c search_path={}", self.name),
        };
        config.options(&options);
        config
    }

    /// A store on this schema, opened with the conformance rules.
    pub fn store(self: &Arc<Schema>) -> SchemaStore {
        SchemaStore {
            store: PgStore::connect_with(
                self.config(),
                StoreOptions::new(redress_server::conformance::rules()),
            )
            .expect("open the PostgreSQL store"),
            _schema: self.clone(),
        }
    }

    /// A plain connection to this schema, for looking behind the store.
    pub fn client(&self) -> postgres::Client {
        self.config()
            .connect(postgres::NoTls)
            .expect("connect to the test schema")
    }
}

impl Drop for Schema {
    fn drop(&mut self) {
        if let Ok(mut client) = base_config().connect(postgres::NoTls) {
            let _ = client.batch_execute(&format!("DROP SCHEMA IF EXISTS {} CASCADE", self.name));
        }
    }
}

/// A [`PgStore`] that keeps its schema alive.
#[derive(Debug)]
pub struct SchemaStore {
    pub store: PgStore,
    _schema: Arc<Schema>,
}

impl ServerStore for SchemaStore {
    fn register_device(
        &self,
        device: DeviceId,
        user: &UserId,
        name: &str,
        now: Timestamp,
    ) -> Result<(), StoreError> {
        self.store.register_device(device, user, name, now)
    }

    fn push(
        &self,
        device: DeviceId,
        actor: &Actor,
        request: &PushRequest,
        now: Timestamp,
    ) -> Result<PushResponse, StoreError> {
        self.store.push(device, actor, request, now)
    }

    fn intake(
        &self,
        device: DeviceId,
        actor: &Actor,
        request: &redress_server::IntakeRequest,
        now: Timestamp,
    ) -> Result<redress_server::IntakeSettled, StoreError> {
        self.store.intake(device, actor, request, now)
    }

    fn pull(
        &self,
        device: DeviceId,
        after: i64,
        limit: u32,
        now: Timestamp,
    ) -> Result<PullResponse, StoreError> {
        self.store.pull(device, after, limit, now)
    }

    fn results(
        &self,
        device: DeviceId,
        from_client_seq: u64,
        limit: u32,
    ) -> Result<Vec<MutationResult>, StoreError> {
        self.store.results(device, from_client_seq, limit)
    }

    fn snapshot_page(
        &self,
        after: Option<ComplaintId>,
        limit: u32,
    ) -> Result<SnapshotPage, StoreError> {
        self.store.snapshot_page(after, limit)
    }

    fn complaint(&self, id: ComplaintId) -> Result<Option<StoredComplaint>, StoreError> {
        self.store.complaint(id)
    }

    fn digest(&self) -> Result<String, StoreError> {
        self.store.digest()
    }

    fn epoch(&self) -> Result<Uuid, StoreError> {
        self.store.epoch()
    }
}
