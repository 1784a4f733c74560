# Redress: `make run` starts the console, `make test` runs every test.
# Each target installs what it needs when it is missing and is a no-op otherwise.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
CARGO ?= cargo

.PHONY: test run deps-rust fmt-check clippy unit bench fmt help bindings bindings-check

help:
	@echo "make run   - start the console"
	@echo "make test  - format check, lints and every test"
	@echo "make bench - benchmarks (figures go to docs/performance.md)"

## Everything CI runs.
test: deps-rust fmt-check clippy bindings-check unit
	@echo "make test: all checks passed"

deps-rust:
	@scripts/ensure-rust.sh

fmt-check:
	$(CARGO) fmt --all --check

clippy:
	$(CARGO) clippy --workspace --all-targets --locked -- -D warnings

unit:
	$(CARGO) test --workspace --locked

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

bench: deps-rust
	$(CARGO) bench -p redress-domain --bench planner
	$(CARGO) bench -p redress-local --bench store

## The desktop shell is not built yet. Until it is, `make run` prepares what
## it will open: a data directory with demo complaints (seeded once, when
## empty), and shows the command-line tool.
DEMO_DIR ?= $(if $(REDRESS_DATA_DIR),$(REDRESS_DATA_DIR),$(CURDIR)/.redress-demo)

run: deps-rust
	$(CARGO) build -q -p redressctl --locked
	@if [ ! -s "$(DEMO_DIR)/redress.sqlite3" ]; then \
		$(CARGO) run -q -p redressctl --locked -- --data-dir "$(DEMO_DIR)" demo seed; \
	else \
		echo "demo data already in $(DEMO_DIR)"; \
	fi
	@echo
	@echo "The desktop console is not built yet; redressctl is:"
	@$(CARGO) run -q -p redressctl --locked -- --help
