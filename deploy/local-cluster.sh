#!/usr/bin/env bash
# Three dialer nodes as separate processes on 127.0.0.1 against ONE PostgreSQL, forming one cluster
# with Pekko Cluster Bootstrap (config discovery of the three management ports) and fenced by the
# PostgreSQL lease (docs/cluster.md). Ctrl-C stops every process it started.
#   deploy/local-cluster.sh                 embedded PostgreSQL (nothing to install)
#   DIALER_DB_URL=jdbc:postgresql://... deploy/local-cluster.sh   your own PostgreSQL
# Node n (0..2): HTTP 8080+n, metrics 9095+n, management 8558+n, remoting 25520+n (all shifted by
# PORT_OFFSET, default 0); logs in target/local-cluster/node-n.log. Add DIALER_AMI_* for a PBX
# (without one the nodes run idle).
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q -DskipTests package
out=target/local-cluster
mkdir -p "$out"
pids=()
stop() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap stop EXIT INT TERM

if [ -z "${DIALER_DB_URL:-}" ]; then
  rm -f "$out/db-url"
  java -cp api/target/dialer-api.jar com.welcomedly.dialer.api.cluster.LocalDatabase "$out/db-url" \
    > "$out/postgres.log" 2>&1 &
  pids+=($!)
  for _ in $(seq 1 120); do [ -s "$out/db-url" ] && break; sleep 0.5; done
  [ -s "$out/db-url" ] || { echo "PostgreSQL did not start, see $out/postgres.log" >&2; exit 1; }
  export DIALER_DB_URL="$(cat "$out/db-url")" DIALER_DB_USER=postgres DIALER_DB_PASSWORD=postgres
fi
export DIALER_AUTH_TOKEN_SECRET="${DIALER_AUTH_TOKEN_SECRET:-local-cluster-$(date +%s)-$RANDOM$RANDOM}"
o=${PORT_OFFSET:-0}
export DIALER_CONTACT_POINTS=127.0.0.1:$((8558 + o)),127.0.0.1:$((8559 + o)),127.0.0.1:$((8560 + o))
export DIALER_CLUSTER_HOST=127.0.0.1 DIALER_DEMO=off

for n in 0 1 2; do
  DIALER_HTTP_PORT=$((8080 + o + n)) DIALER_METRICS_PORT=$((9095 + o + n)) \
  DIALER_MANAGEMENT_PORT=$((8558 + o + n)) DIALER_CLUSTER_PORT=$((25520 + o + n)) \
    java ${JAVA_OPTS:-} -javaagent:api/target/agent/kanela-agent.jar -jar api/target/dialer-api.jar \
    > "$out/node-$n.log" 2>&1 &
  pids+=($!)
done
echo "3 nodes starting (logs in $out/); readiness: curl -s localhost:$((8080 + o))/ready"
echo "members: curl -s localhost:$((8558 + o))/cluster/members"
wait
