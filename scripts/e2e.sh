#!/usr/bin/env bash
# Runs the end-to-end tests against the built console. Each test binary gets
# its own virtual display (Xvfb) and its own D-Bus session bus, so the
# console's single-instance lock and the notification server of one test
# never meet another test's.
set -euo pipefail
cd "$(dirname "$0")/.."

CARGO=${CARGO:-cargo}
$CARGO build -q --locked -p redress-desktop -p redressctl -p redress-server
$CARGO test -q --locked -p redress-e2e --no-run

status=0
for t in crates/e2e/tests/*.rs; do
    name=$(basename "$t" .rs)
    echo "e2e: $name"
    if ! xvfb-run -a -s "-screen 0 1440x900x24" \
        dbus-run-session -- $CARGO test -q --locked -p redress-e2e --test "$name" -- --test-threads=1; then
        status=1
    fi
done
exit $status
