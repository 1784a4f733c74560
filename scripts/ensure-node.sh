#!/usr/bin/env bash
# Checks for Node.js (20.19 or newer, which Vite 7 needs) and installs the
# UI's npm packages when package-lock.json changed since the last install.
set -euo pipefail
cd "$(dirname "$0")/../ui"

if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
    echo "Node.js 20.19+ and npm are needed for the UI; install them first" >&2
    exit 1
fi
if ! node -e 'const [a,b]=process.versions.node.split(".").map(Number); process.exit(a>20||(a===20&&b>=19)?0:1)'; then
    echo "Node.js $(node --version) is too old: the UI build needs 20.19 or newer" >&2
    exit 1
fi
stamp=node_modules/.redress-installed
if [ ! -f "$stamp" ] || [ package-lock.json -nt "$stamp" ] || [ package.json -nt "$stamp" ]; then
    echo "installing the UI's npm packages"
    # `npm install`, not `npm ci`: ci insists that the lock file names every
    # platform's optional build binaries (rollup, esbuild), and a registry
    # mirror that carries only Linux ones makes it refuse. install takes the
    # locked versions and skips what the platform does not need.
    npm install --no-audit --no-fund
    touch "$stamp"
fi
