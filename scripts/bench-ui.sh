#!/usr/bin/env bash
# The console's UI figures (docs/performance.md): the built debug console on a
# 50,000-complaint store, under Xvfb and a private session bus.
set -euo pipefail
cd "$(dirname "$0")/.."
CARGO=${CARGO:-cargo}
$CARGO build -q --locked -p redress-desktop -p redressctl
xvfb-run -a -s "-screen 0 1440x900x24" \
    dbus-run-session -- $CARGO bench -q --locked -p redress-e2e --bench console
