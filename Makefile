# Redress: `make run` starts the console, `make test` runs every test.
# Each target installs what it needs when it is missing and is a no-op otherwise.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
CARGO ?= cargo

.PHONY: test run deps-rust fmt-check clippy unit bench fmt help

help:
	@echo "make run   - start the console"
	@echo "make test  - format check, lints and every test"
	@echo "make bench - benchmarks (figures go to docs/performance.md)"

## Everything CI runs.
test: deps-rust fmt-check clippy unit
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

bench: deps-rust
	$(CARGO) bench -p redress-domain --bench planner

## The desktop console arrives with issue 3; until then `make run` builds the
## command-line tool and shows what it can do.
run: deps-rust
	$(CARGO) build -p redressctl --locked
	@echo
	@echo "The desktop console is not built yet; redressctl is:"
	@$(CARGO) run -q -p redressctl --locked -- --help
