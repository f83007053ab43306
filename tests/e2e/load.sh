#!/usr/bin/env bash
# Reproduces the figures of docs/load.md: release build, a server on 127.0.0.1 with the
# per-ticket and per-client rate limits off (every request comes from one address and load
# rounds reuse tickets), then bounded greenlight-load runs. Everything stops by itself;
# loopback only. Usage: bash tests/e2e/load.sh [SECONDS per run, default 10]
set -euo pipefail
cd "$(dirname "$0")/../.."
SECS="${1:-10}"
PORT="${PORT:-18080}"
PORT_SHED="${PORT_SHED:-18081}"

cargo build --release -p greenlight-server -p greenlight-e2e --bins

DIR="$(mktemp -d)"
PIDS=()
cleanup() {
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done
  rm -rf "$DIR"
}
trap cleanup EXIT

# shellcheck source=tests/e2e/start_server.sh
source tests/e2e/start_server.sh

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), load average $(cut -d' ' -f1-3 /proc/loadavg)"

start_server main "$PORT"
SERVER="$STARTED"
LOAD=(target/release/greenlight-load --url "http://127.0.0.1:$PORT" --data-dir "$DIR/main"
      --server-pid "$SERVER" --duration "${SECS}s")

echo; echo "### 1. issuance, full holder work (a wallet's), batches of 16"
"${LOAD[@]}" --scenario issuance --batch 16 --concurrency 4 --prepare 2000
"${LOAD[@]}" --scenario issuance --batch 16 --concurrency 16 --prepare 2000
echo; echo "### 2. issuance, server-only holder (random challenges), batches of 16 and of 1"
"${LOAD[@]}" --scenario issuance --batch 16 --concurrency 8 --holder server-only --prepare 4000
"${LOAD[@]}" --scenario issuance --batch 1 --concurrency 8 --holder server-only --prepare 20000
echo; echo "### 3. GET /v1/keys"
"${LOAD[@]}" --scenario keys --concurrency 16
if command -v wrk >/dev/null; then
  echo; echo "### 3b. GET /v1/keys with wrk (cross-check)"
  wrk -t1 -c16 -d"${SECS}s" --latency "http://127.0.0.1:$PORT/v1/keys"
fi

echo; echo "### 4. above the shedding threshold: --max-concurrency 16, 64 rounds in flight"
start_server shed "$PORT_SHED" --max-concurrency 16
SHED="$STARTED"
target/release/greenlight-load --url "http://127.0.0.1:$PORT_SHED" --data-dir "$DIR/shed" \
  --server-pid "$SHED" --duration "${SECS}s" --scenario issuance --batch 16 --concurrency 64 \
  --holder server-only --prepare 4000
echo; echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
