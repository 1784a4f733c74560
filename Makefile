# Redress: `make run` starts the console, `make test` runs every test.
# Each target installs what it needs when it is missing and is a no-op otherwise.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
CARGO ?= cargo

.PHONY: test run deps deps-rust deps-desktop deps-ui deps-postgres ui-build ui-test fmt-check clippy unit e2e \
	bench bench-ui fmt help bindings bindings-check screenshots

help:
	@echo "make run   - start the console on a demo data directory"
	@echo "make test  - format check, lints, Rust and UI tests, end-to-end tests"
	@echo "make bench - benchmarks (figures go to docs/performance.md)"

## Everything CI runs.
test: deps fmt-check ui-build clippy bindings-check unit ui-test e2e
	@echo "make test: all checks passed"

deps: deps-rust deps-desktop deps-ui deps-postgres

deps-rust:
	@scripts/ensure-rust.sh

## Debian packages (WebKitGTK, Xvfb, WebKitWebDriver, fonts...) and tauri-driver.
deps-desktop:
	@scripts/ensure-desktop-deps.sh

## Node check and `npm ci` when the lock file changed.
deps-ui:
	@scripts/ensure-node.sh

## Debian's PostgreSQL server binaries, for the PostgreSQL store's tests.
deps-postgres:
	@scripts/ensure-postgres.sh

## ui/dist, which the desktop binary embeds: it must exist before cargo
## compiles src-tauri (clippy included).
ui-build: deps-ui
	cd ui && npm run -s build

ui-test: deps-ui
	cd ui && npx vitest run

fmt-check:
	$(CARGO) fmt --all --check

clippy: ui-build
	$(CARGO) clippy --workspace --all-targets --locked -- -D warnings

## The PostgreSQL tests run on a throwaway cluster (or REDRESS_TEST_PG_URL).
unit:
	scripts/with-postgres.sh $(CARGO) test --workspace --exclude redress-e2e --locked

## The built console under Xvfb, driven through tauri-driver; notifications
## observed on a D-Bus session bus.
e2e: deps-desktop ui-build
	@scripts/e2e.sh

## Refreshes the screenshots in docs/ from the last end-to-end run.
screenshots: e2e
	mkdir -p docs/screenshots
	cp target/e2e/dashboard.png target/e2e/approvals.png target/e2e/complaint.png \
		target/e2e/dashboard-960-en.png docs/screenshots/

fmt:
	$(CARGO) fmt --all

## TypeScript bindings for the UI, generated from the Rust types by ts-rs.
BINDINGS := ui/src/bindings
EXPORT_BINDINGS = $(CARGO) test -q --locked -p redress-domain -p redress-local -p redress-app \
	--features redress-app/ts --lib export_bindings >/dev/null

bindings:
	rm -rf $(BINDINGS)
	TS_RS_EXPORT_DIR=$(CURDIR)/$(BINDINGS) $(EXPORT_BINDINGS)
	@echo "regenerated $(BINDINGS)"

## Fails when the committed bindings differ from what the Rust types generate.
bindings-check:
	@tmp=$$(mktemp -d); trap 'rm -rf "$$tmp"' EXIT; \
	TS_RS_EXPORT_DIR="$$tmp" $(EXPORT_BINDINGS); \
	if ! diff -r "$$tmp" $(BINDINGS) >/dev/null; then \
		diff -r "$$tmp" $(BINDINGS) | head -40; \
		echo "ui/src/bindings is out of date: run 'make bindings' and commit the result" >&2; \
		exit 1; \
	fi; \
	echo "bindings up to date"

bench: deps-rust deps-postgres
	$(CARGO) bench -p redress-domain --bench planner
	$(CARGO) bench -p redress-local --bench store
	$(CARGO) bench -p redress-testkit --bench demo
	$(CARGO) bench -p redress-sync --bench latency
	REDRESS_PG_DURABLE=1 scripts/with-postgres.sh $(CARGO) bench -p redress-server --bench push
	REDRESS_PG_DURABLE=1 scripts/with-postgres.sh $(CARGO) bench -p redress-server --bench latency

## The console under a 50,000-complaint store: dashboard round trip,
## scrolling, idle CPU.
bench-ui: deps-desktop ui-build
	@scripts/bench-ui.sh

## Starts the console on a demo data directory (seeded once, when empty).
## REDRESS_DATA_DIR picks another directory.
DEMO_DIR ?= $(if $(REDRESS_DATA_DIR),$(REDRESS_DATA_DIR),$(CURDIR)/.redress-demo)

run: deps-rust deps-desktop deps-ui ui-build
	$(CARGO) build -q --locked -p redressctl -p redress-desktop
	@if [ ! -s "$(DEMO_DIR)/redress.sqlite3" ]; then \
		$(CARGO) run -q --locked -p redressctl -- --data-dir "$(DEMO_DIR)" demo seed; \
	else \
		echo "demo data already in $(DEMO_DIR)"; \
		$(CARGO) run -q --locked -p redressctl -- --data-dir "$(DEMO_DIR)" demo site; \
	fi
	REDRESS_DATA_DIR="$(DEMO_DIR)" $(CARGO) run -q --locked -p redress-desktop
