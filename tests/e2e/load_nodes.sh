#!/usr/bin/env bash
# One node on sled against two nodes on one PostgreSQL, same load, same run, same machine
# (docs/load.md, "One node on sled, two on PostgreSQL"). A throw-away PostgreSQL cluster
# (Unix socket only, fsync and synchronous_commit on, as in production) is created in a
# temporary directory, as the `postgres` user when run as root. Everything stops by itself;
# loopback only. Usage: bash tests/e2e/load_nodes.sh [SECONDS per run, default 10]
set -euo pipefail
cd "$(dirname "$0")/../.."
SECS="${1:-10}"
PORT_SLED="${PORT_SLED:-18090}"
PORT_A="${PORT_A:-18091}"
PORT_B="${PORT_B:-18092}"
TARGET="${CARGO_TARGET_DIR:-target}"

PGBIN="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)"
[ -x "$PGBIN/initdb" ] || { echo "PostgreSQL's server binaries are missing (apt-get install postgresql)" >&2; exit 2; }

cargo build --release -p greenlight-server -p greenlight-e2e --bins

DIR="$(mktemp -d)"
chmod 755 "$DIR"
PIDS=()
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
cleanup() {
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done
  as_pg "$PGBIN/pg_ctl" -D "$DIR/pg/data" -m fast stop >/dev/null 2>&1 || true
  rm -rf "$DIR"
}
trap cleanup EXIT

mkdir "$DIR/pg"
[ "$(id -u)" = 0 ] && chown postgres:postgres "$DIR/pg"
as_pg "$PGBIN/initdb" -D "$DIR/pg/data" -U postgres -A trust -E UTF8 --locale=C >/dev/null
as_pg "$PGBIN/pg_ctl" -D "$DIR/pg/data" -l "$DIR/pg/server.log" -w \
  -o "-c listen_addresses='' -k $DIR/pg -p 5432 -c max_connections=100" start >/dev/null
as_pg "$PGBIN/createdb" -h "$DIR/pg" -p 5432 -U postgres greenlight
URL="host=$DIR/pg port=5432 user=postgres dbname=greenlight"

# shellcheck source=tests/e2e/start_server.sh
source tests/e2e/start_server.sh

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), load average $(cut -d' ' -f1-3 /proc/loadavg)"
RUNS=(
  "--scenario issuance --batch 16 --concurrency 8 --holder server-only --prepare 4000"
  "--scenario issuance --batch 1 --concurrency 8 --holder server-only --prepare 20000"
)

start_server sled "$PORT_SLED"
SLED="$STARTED"
echo; echo "### one node, sled"
for run in "${RUNS[@]}"; do
  # shellcheck disable=SC2086
  "$TARGET/release/greenlight-load" --url "http://127.0.0.1:$PORT_SLED" --data-dir "$DIR/sled" \
    --server-pid "$SLED" --duration "${SECS}s" $run
done
kill "$SLED"; wait "$SLED" 2>/dev/null || true

start_server a "$PORT_A" --database-url "$URL"
A="$STARTED"
mkdir -m 700 "$DIR/b"
for f in issuer.key authority.key root.key admin.token store.key issuer.json; do cp -p "$DIR/a/$f" "$DIR/b/$f"; done
start_server b "$PORT_B" --database-url "$URL"
B="$STARTED"
echo; echo "### two nodes, one PostgreSQL (every round started on one node, finished on the other)"
for run in "${RUNS[@]}"; do
  # shellcheck disable=SC2086
  "$TARGET/release/greenlight-load" --url "http://127.0.0.1:$PORT_A" --also-url "http://127.0.0.1:$PORT_B" \
    --data-dir "$DIR/a" --server-pid "$A" --also-server-pid "$B" --duration "${SECS}s" $run
done
# PostgreSQL's CPU: this cluster's postmaster, its live backends, and the backends that have
# exited (counted in the postmaster's cutime/cstime).
PM="$(head -n 1 "$DIR/pg/data/postmaster.pid")"
PGCPU="$(awk '{print $14 + $15 + $16 + $17}' "/proc/$PM/stat")"
for p in $(pgrep -P "$PM" || true); do
  PGCPU=$((PGCPU + $(awk '{print $14 + $15}' "/proc/$p/stat" 2>/dev/null || echo 0)))
done
echo; echo "PostgreSQL (this cluster) CPU time over the whole run: $(awk -v t="$PGCPU" -v hz="$(getconf CLK_TCK)" 'BEGIN{printf "%.1f s", t/hz}')"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
