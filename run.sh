#!/usr/bin/env bash
# Runs Switchboard locally: an embedded PostgreSQL (unless --db-url is given) and the three services
# (conversations built with the dev profile, which adds the local token issuer). Ctrl-C stops everything.
set -euo pipefail
cd "$(dirname "$0")"
ROOT=$(pwd)

DB_URL=""
DB_USER="postgres"
DB_PASSWORD="postgres"
DB_PORT=54320
BUILD=1
DEMO=true
TRAFFIC=false
CONVERSATIONS_PORT=8081
GATEWAY_PORT=8080
METRICS_PORT=8082

usage() {
    cat <<EOF
Usage: ./run.sh [--db-url JDBC_URL [--db-user USER] [--db-password PASSWORD]] [--no-build] [--no-demo] [--simulate]

  --db-url       use an existing PostgreSQL (e.g. jdbc:postgresql://localhost:5432/switchboard)
                 instead of starting the embedded one on port $DB_PORT
  --no-build     start what was built last time
  --no-demo      do not create the demo account (agents, inbox, team, a few waiting customers)
  --simulate     simulated traffic in the demo account: customers write and rate, two simulated
                 colleagues take, answer and resolve conversations
EOF
}

while [ $# -gt 0 ]; do
    case "$1" in
        --db-url) DB_URL="${2:?--db-url needs a value}"; shift 2 ;;
        --db-user) DB_USER="${2:?--db-user needs a value}"; shift 2 ;;
        --db-password) DB_PASSWORD="${2:?--db-password needs a value}"; shift 2 ;;
        --no-build) BUILD=0; shift ;;
        --no-demo) DEMO=false; shift ;;
        --simulate) TRAFFIC=true; shift ;;
        -h|--help) usage; exit 0 ;;
        *) echo "unknown option: $1" >&2; usage >&2; exit 2 ;;
    esac
done
if [ "$TRAFFIC" = true ] && [ "$DEMO" = false ]; then
    echo "--simulate needs the demo account; drop --no-demo" >&2
    exit 2
fi

source .ci/jdk.sh
JAVA="$JAVA_HOME/bin/java"
RUN_DIR="$ROOT/target/run"
mkdir -p "$RUN_DIR"

port_busy() {
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

require_free_port() {
    if port_busy "$1"; then
        echo "Port $1 ($2) is already in use. Stop whatever listens there (ss -ltnp 'sport = :$1') and try again." >&2
        exit 1
    fi
}

require_free_port "$CONVERSATIONS_PORT" "conversations service"
require_free_port "$GATEWAY_PORT" "realtime gateway"
require_free_port "$METRICS_PORT" "metrics service"
[ -n "$DB_URL" ] || require_free_port "$DB_PORT" "embedded PostgreSQL"

if [ "$BUILD" = 1 ]; then
    echo "Building (first run downloads dependencies; later runs take about a minute)..."
    # (filtering the JDK's warnings about Maven's own use of sun.misc.Unsafe)
    ./mvnw -q install -DskipTests 2> >(grep -v -E '^WARNING: .*(Unsafe|terminally|maintainers of class)' >&2)
    ./mvnw -q -pl conversations-service package -DskipTests \
        -Dquarkus.profile=dev -Dquarkus.package.output-directory=quarkus-app-dev
    ./mvnw -q -pl event-log dependency:build-classpath -Dmdep.includeScope=test \
        -Dmdep.outputFile="$RUN_DIR/local-env.classpath"
fi

PIDS=()
cleanup() {
    trap - INT TERM EXIT
    if [ ${#PIDS[@]} -gt 0 ]; then
        echo
        echo "Stopping..."
        for ((i=${#PIDS[@]}-1; i>=0; i--)); do
            kill "${PIDS[$i]}" 2>/dev/null || true
            wait "${PIDS[$i]}" 2>/dev/null || true
        done
    fi
}
trap cleanup INT TERM EXIT

wait_for() { # url name pid log
    for _ in $(seq 1 120); do
        if curl -sf "$1" >/dev/null 2>&1; then
            return 0
        fi
        if ! kill -0 "$3" 2>/dev/null; then
            echo "$2 exited during start-up; its log: $4" >&2
            tail -20 "$4" >&2
            exit 1
        fi
        sleep 1
    done
    echo "$2 did not become ready within 120 s; its log: $4" >&2
    exit 1
}

if [ -z "$DB_URL" ]; then
    : > "$RUN_DIR/postgres.log"
    "$JAVA" -cp "event-log/target/test-classes:$(cat "$RUN_DIR/local-env.classpath")" \
        -Dswitchboard.repo.root="$ROOT" -Dswitchboard.db.port="$DB_PORT" \
        io.switchboard.testing.LocalEnvironment > "$RUN_DIR/postgres.log" 2>&1 &
    PIDS+=($!)
    for _ in $(seq 1 120); do
        grep -q "PostgreSQL ready" "$RUN_DIR/postgres.log" && break
        kill -0 "${PIDS[0]}" 2>/dev/null || { echo "embedded PostgreSQL failed; see $RUN_DIR/postgres.log" >&2; exit 1; }
        sleep 1
    done
    DB_URL="jdbc:postgresql://localhost:$DB_PORT/switchboard"
else
    # the dev token issuer's keys, without a database
    "$JAVA" -cp "event-log/target/test-classes:$(cat "$RUN_DIR/local-env.classpath")" \
        -Dswitchboard.repo.root="$ROOT" io.switchboard.testing.LocalEnvironment keys-only
fi

export QUARKUS_DATASOURCE_JDBC_URL="$DB_URL"
export QUARKUS_DATASOURCE_USERNAME="$DB_USER"
export QUARKUS_DATASOURCE_PASSWORD="$DB_PASSWORD"
export SWITCHBOARD_DEV_KEYS="$ROOT/target/dev-keys"

start_service() { # module port jar [extra JVM options...]
    local module=$1 port=$2 jar=$3
    shift 3
    (cd "$module" && exec "$JAVA" -Dquarkus.profile=dev -Dquarkus.http.port="$port" "$@" -jar "$jar") \
        > "$RUN_DIR/$module.log" 2>&1 &
    PIDS+=($!)
    wait_for "http://localhost:$port/q/health/ready" "$module" "${PIDS[-1]}" "$RUN_DIR/$module.log"
}

start_service conversations-service "$CONVERSATIONS_PORT" target/quarkus-app-dev/quarkus-run.jar \
    -Ddemo.enabled="$DEMO" -Ddemo.traffic="$TRAFFIC" \
    -Dquarkus.http.cors.origins="http://localhost:$GATEWAY_PORT,http://127.0.0.1:$GATEWAY_PORT"
# The gateway's own token (role "service") for keeping agents' status in line with presence; re-read on use.
if ! curl -sf -XPOST "http://localhost:$CONVERSATIONS_PORT/dev/tokens" -H 'Content-Type: application/json' \
        -d '{"service":true}' | sed -E 's/.*"token":"([^"]+)".*/\1/' > "$RUN_DIR/service-token"; then
    echo "The dev token issuer did not answer (is conversations-service/target/quarkus-app-dev current? run without --no-build)" >&2
    exit 1
fi
export GATEWAY_SERVICE_TOKEN_FILE="$RUN_DIR/service-token"
start_service metrics-service "$METRICS_PORT" target/quarkus-app/quarkus-run.jar
start_service realtime-gateway "$GATEWAY_PORT" target/quarkus-app/quarkus-run.jar \
    -Dquarkus.rest-client.conversations.url="http://localhost:$CONVERSATIONS_PORT" \
    -Dquarkus.rest-client.metrics.url="http://localhost:$METRICS_PORT"

cat <<EOF

Switchboard is running.
  Agent console       http://localhost:$GATEWAY_PORT/console/   (sign in as a demo agent; Sam Supervisor sees live metrics)
  Customer widget     http://localhost:$GATEWAY_PORT/widget/
  Conversations API   http://localhost:$CONVERSATIONS_PORT/api/v1   (Swagger UI: http://localhost:$CONVERSATIONS_PORT/q/swagger-ui)
  Realtime gateway    ws://localhost:$GATEWAY_PORT/ws   (protocol: http://localhost:$GATEWAY_PORT/asyncapi.yaml)
  Metrics API         http://localhost:$METRICS_PORT/api/v1/metrics   (Swagger UI: http://localhost:$METRICS_PORT/q/swagger-ui)
  Dev sign-in         POST http://localhost:$CONVERSATIONS_PORT/dev/tokens  {"operator":true} | {"agentId":"..."} | {"accountId":"...","customerSubject":"..."}
  Database            $DB_URL
  Logs                $RUN_DIR/
Press Ctrl-C to stop.
EOF
wait
