//! `sslmode` in the database URL, against the throwaway test cluster (which
//! runs without TLS): `disable` and `prefer` connect in plain text,
//! `require` (TLS through rustls) is refused with a clear error instead of
//! silently going unencrypted, and the verifying modes are refused when the
//! URL is read. A TLS connection to a cluster with a certificate is not
//! tested here.

mod pg_support;

use pg_support::{Schema, base_url};
use redress_server::{AnyStore, PgStore, StoreOptions};

fn with_sslmode(config: postgres::Config, mode: postgres::config::SslMode) -> postgres::Config {
    let mut config = config;
    config.ssl_mode(mode);
    config
}

#[test]
fn disable_and_prefer_connect_without_tls() {
    use postgres::config::SslMode;
    for mode in [SslMode::Disable, SslMode::Prefer] {
        let schema = Schema::new();
        let store = PgStore::connect_with(
            with_sslmode(schema.config(), mode),
            StoreOptions::new(redress_server::conformance::rules()),
        );
        assert!(store.is_ok(), "{mode:?}: {store:?}");
    }
}

#[test]
fn require_against_a_server_without_tls_is_refused() {
    let schema = Schema::new();
    let store = PgStore::connect_with(
        with_sslmode(schema.config(), postgres::config::SslMode::Require),
        StoreOptions::new(redress_server::conformance::rules()),
    );
    let error = store.expect_err("sslmode=require without TLS").to_string();
    assert!(error.to_lowercase().contains("tls"), "{error}");
}

#[test]
fn verifying_modes_are_refused_when_the_url_is_read() {
    let base = base_url();
    let joiner = if base.contains('?') { '&' } else { '?' };
    for mode in ["verify-ca", "verify-full"] {
        let url = format!("{base}{joiner}sslmode={mode}");
        let opened = AnyStore::open(&url, redress_domain::Rules::default());
        // Refused before connecting, as a URL the client cannot use (the
        // message leaves the URL, and so the password, out).
        let error = opened.err().map(|e| e.to_string()).unwrap_or_default();
        assert!(
            error.contains("not a PostgreSQL connection URL"),
            "{mode}: {error}"
        );
    }
}
