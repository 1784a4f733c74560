#!/usr/bin/env bash
# Makes sure the Rust tools the build needs are present; installs what is
# missing and does nothing when everything is there.
set -euo pipefail

if ! command -v cargo >/dev/null 2>&1; then
    echo "cargo not found: install Rust (rustup) first" >&2
    exit 1
fi
for component in rustfmt clippy; do
    if ! cargo "${component/rustfmt/fmt}" --version >/dev/null 2>&1; then
        echo "installing rust component $component"
        rustup component add "$component"
    fi
done
