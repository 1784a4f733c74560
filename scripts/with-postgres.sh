#!/usr/bin/env bash
# Runs a command with REDRESS_TEST_PG_URL pointing at a PostgreSQL database
# for the tests of redress-server's PostgreSQL store.
#
#   scripts/with-postgres.sh cargo test -p redress-server --test pg_conformance
#
# When REDRESS_TEST_PG_URL is already set and the server answers, the command
# runs against it. Otherwise a throwaway cluster is made in a temporary
# directory: initdb (as the `postgres` system user when run as root, since
# PostgreSQL refuses to run as root), a server on 127.0.0.1 on a free port
# with its socket in that directory, a role with a random password and a
# database. The cluster is stopped and removed when the command ends, and
# the script exits with the command's status.
#
# The role may create schemas in its database; the tests give each case a
# schema of its own and drop it afterwards.
set -euo pipefail

if [ $# -eq 0 ]; then
    echo "usage: $0 COMMAND [ARG...]" >&2
    exit 2
fi

here=$(cd "$(dirname "$0")" && pwd)

reachable() {
    local url=$1
    if command -v psql >/dev/null 2>&1; then
        psql "$url" -X -q -A -t -c 'SELECT 1' >/dev/null 2>&1
    elif command -v pg_isready >/dev/null 2>&1; then
        pg_isready -q -t 5 -d "$url"
    else
        return 1
    fi
}

if [ -n "${REDRESS_TEST_PG_URL:-}" ]; then
    if reachable "$REDRESS_TEST_PG_URL"; then
        exec "$@"
    fi
    echo "with-postgres: REDRESS_TEST_PG_URL does not answer; starting a throwaway cluster" >&2
fi

find_bindir() {
    if [ -n "${PG_BINDIR:-}" ]; then
        echo "$PG_BINDIR"
        return
    fi
    local dir
    dir=$(find /usr/lib/postgresql -maxdepth 2 -type d -name bin 2>/dev/null | sort -V | tail -n 1 || true)
    if [ -n "$dir" ]; then
        echo "$dir"
    elif command -v initdb >/dev/null 2>&1; then
        dirname "$(command -v initdb)"
    fi
}

bindir=$(find_bindir)
if [ -z "$bindir" ] || [ ! -x "$bindir/initdb" ]; then
    "$here/ensure-postgres.sh"
    bindir=$(find_bindir)
fi
if [ -z "$bindir" ] || [ ! -x "$bindir/initdb" ]; then
    echo "with-postgres: no PostgreSQL server binaries (initdb); run scripts/ensure-postgres.sh" >&2
    exit 1
fi

# PostgreSQL will not run as root: as root, the cluster belongs to the
# `postgres` system user that Debian's package creates.
as_owner=()
if [ "$(id -u)" -eq 0 ]; then
    if ! id postgres >/dev/null 2>&1; then
        echo "with-postgres: running as root, but there is no postgres user to own the cluster" >&2
        exit 1
    fi
    if command -v runuser >/dev/null 2>&1; then
        as_owner=(runuser -u postgres --)
    else
        as_owner=(setpriv --reuid=postgres --regid=postgres --init-groups --)
    fi
fi

# As root, somewhere the postgres user can reach (TMPDIR may be private).
if [ "$(id -u)" -eq 0 ]; then
    dir=$(mktemp -d /tmp/redress-pg.XXXXXX)
    chown postgres: "$dir"
else
    dir=$(mktemp -d "${TMPDIR:-/tmp}/redress-pg.XXXXXX")
fi
chmod 700 "$dir"
data="$dir/data"

# Runs a PostgreSQL program as the cluster's owner, from the cluster's
# directory (the caller's may be closed to that user).
as_pg() {
    (cd "$dir" && "${as_owner[@]}" "$@")
}
log="$dir/server.log"
started=""

cleanup() {
    # A second Ctrl-C must not leave the cluster behind.
    trap '' INT TERM
    # Also when pg_ctl gave up waiting on a server that went on starting:
    # its pid file says it may be running.
    if [ -n "$started" ] || [ -f "$data/postmaster.pid" ]; then
        as_pg "$bindir/pg_ctl" -D "$data" -m immediate -w stop >/dev/null 2>&1 || true
    fi
    rm -rf "$dir"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

superuser=postgres
as_pg "$bindir/initdb" -D "$data" -U "$superuser" -E UTF8 --no-locale \
    --auth-local=trust --auth-host=scram-sha-256 >"$dir/initdb.log" 2>&1 || {
    cat "$dir/initdb.log" >&2
    echo "with-postgres: initdb failed" >&2
    exit 1
}

# A throwaway cluster: durability is not wanted, speed is; except for
# benchmarks (REDRESS_PG_DURABLE=1), which measure PostgreSQL as a center
# runs it, flushing every commit.
fast="-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
if [ "${REDRESS_PG_DURABLE:-}" = 1 ]; then
    fast=""
fi
port=""
for _ in $(seq 1 20); do
    candidate=$((20000 + RANDOM % 40000))
    if as_pg "$bindir/pg_ctl" -D "$data" -l "$log" -w -t 30 \
        -o "-p $candidate -k $dir -c listen_addresses=127.0.0.1 -c max_connections=200 $fast" \
        start >/dev/null 2>&1; then
        port=$candidate
        started=1
        break
    fi
    # A start that timed out may still be coming up: stop it before the
    # next port is tried.
    as_pg "$bindir/pg_ctl" -D "$data" -m immediate -w stop >/dev/null 2>&1 || true
done
if [ -z "$port" ]; then
    cat "$log" >&2 || true
    echo "with-postgres: could not start PostgreSQL on a free port" >&2
    exit 1
fi

role=redress
password=$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')
database=redress_test
as_pg "$bindir/psql" -X -q -v ON_ERROR_STOP=1 -h "$dir" -p "$port" -U "$superuser" -d postgres \
    -c "CREATE ROLE $role LOGIN PASSWORD '$password'" \
    -c "CREATE DATABASE $database OWNER $role" >/dev/null

export REDRESS_TEST_PG_URL="postgres://$role:$password@127.0.0.1:$port/$database"
echo "with-postgres: PostgreSQL $("$bindir/postgres" --version | awk '{print $3}') on 127.0.0.1:$port (removed afterwards)" >&2

set +e
"$@"
status=$?
set -e
exit "$status"
