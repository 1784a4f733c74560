#!/usr/bin/env bash
# Installs Debian's PostgreSQL server (for the PostgreSQL tests of
# redress-server, see docs/postgres.md) when its binaries are missing.
# Does nothing when they are there. Only the binaries are needed: the tests
# run on a throwaway cluster that scripts/with-postgres.sh creates, so the
# package's own cluster is neither used nor started here.
set -euo pipefail

have_postgres() {
    compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null ||
        command -v initdb >/dev/null 2>&1
}

if have_postgres; then
    exit 0
fi

echo "installing Debian packages: postgresql"
SUDO=()
if [ "$(id -u)" -ne 0 ]; then SUDO=(sudo); fi
"${SUDO[@]}" apt-get update -qq
DEBIAN_FRONTEND=noninteractive "${SUDO[@]}" apt-get install -y -qq --no-install-recommends postgresql

if ! have_postgres; then
    echo "ensure-postgres: postgresql is installed but initdb was not found" >&2
    exit 1
fi
