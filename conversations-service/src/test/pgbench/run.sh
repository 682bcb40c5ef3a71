#!/usr/bin/env bash
# Calibration for the message-write benchmark (docs/benchmarks.md): what PostgreSQL alone does with the
# statements of a message write, driven by pgbench (a C client) with no service in between.
# Needs: the PostgreSQL 17 binaries any test run extracts to /tmp/embedded-pg, Debian's pgbench
# (postgresql-15 package, /usr/lib/postgresql/15/bin), root (the server runs as the postgres user).
# Usage: conversations-service/src/test/pgbench/run.sh [seconds per run, default 30]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../../../.." && pwd)"
seconds="${1:-30}"
server_bin="$(ls -d /tmp/embedded-pg/*/bin 2>/dev/null | head -1)"
client_bin="${PGBENCH_BIN:-/usr/lib/postgresql/15/bin}"
[ -x "$server_bin/postgres" ] || { echo "no PostgreSQL binaries in /tmp/embedded-pg: run any test module once" >&2; exit 1; }
[ -x "$client_bin/pgbench" ] || { echo "no pgbench in $client_bin (apt-get install postgresql-15, or set PGBENCH_BIN)" >&2; exit 1; }

work="$(mktemp -d /tmp/pgbench-calibration.XXXXXX)"
chmod 777 "$work"
port=55432
su postgres -c "'$server_bin/initdb' -D '$work/data' -U postgres -A trust >/dev/null"
su postgres -c "'$server_bin/pg_ctl' -D '$work/data' -o '-p $port -c max_connections=200' -l '$work/server.log' -w start >/dev/null"
trap 'su postgres -c "\"$server_bin/pg_ctl\" -D \"$work/data\" -m fast stop >/dev/null"; rm -rf "$work"' EXIT

psql() { "$client_bin/psql" -q -X -v ON_ERROR_STOP=1 -h localhost -p "$port" -U postgres "$@"; }
psql -c "CREATE DATABASE calibration"
psql -d calibration -c "CREATE SCHEMA conversations; CREATE SCHEMA event_log;"
psql -d calibration -f "$root/conversations-service/src/main/resources/db/migration/V1__conversations.sql"
for migration in "$root"/event-log/src/main/resources/db/event-log/V*.sql; do
    psql -d calibration -f "$migration"
done
psql -d calibration -f "$here/setup.sql"

# Eight messages per transaction, statement by statement: the single-message script's statements eight times
# over, with one lock statement for all eight conversations.
derive_eight_per_transaction() {
    local j locks=""
    for j in 0 1 2 3 4 5 6 7; do
        echo "\\set i$j random(1, 400)"
        locks="$locks${locks:+, }:i$j::bigint"
    done
    echo "\\set k random(1, 1000000000)"
    echo "BEGIN;"
    echo "SELECT event_log.begin_writer(ARRAY[$locks]);"
    for j in 0 1 2 3 4 5 6 7; do
        sed -n '/event_log.begin_writer/,/^END;/p' "$here/one-message-per-transaction.sql" | sed '1d;$d' \
            | sed -e "s/:i\b/:i$j/g" -e "s/'cm-' || :k/'cm-$j-' || :k/g"
    done
    echo "END;"
}
derive_eight_per_transaction > "$work/eight-messages-per-transaction.sql"

run() { # script clients messages-per-transaction
    "$client_bin/pgbench" -n -h localhost -p "$port" -U postgres -f "$1" -c "$2" -j 2 -T "$seconds" calibration \
        | awk -v script="$(basename "$1")" -v clients="$2" -v per="$3" \
            '/^tps/ {printf "%-40s %3d clients: %6.0f transactions/s = %6.0f messages/s\n", script, clients, $3, $3 * per}'
}
run "$here/one-message-per-transaction.sql" 16 1
run "$here/one-message-per-transaction.sql" 64 1
run "$work/eight-messages-per-transaction.sql" 16 8
run "$here/eight-messages-multi-row.sql" 16 8
