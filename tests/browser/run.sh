#!/usr/bin/env bash
# Browser tests of the two pages — the venue verifier (verifier.test.mjs, static fixtures) and
# the residents' wallet (wallet.test.mjs, against a running greenlight-server): installs what it needs (Debian's chromium and
# chromium-driver, CJK fonts for the Chinese screenshots, playwright-core from npm; build.sh
# adds the wasm target, wasm-bindgen-cli and zxing-wasm), builds the page, makes fixtures with the
# real Rust code, and drives headless Chromium. Closes with "N passed, M failed"; exits
# non-zero on any failure.
#
# Environment: OUT (screenshots and figures.json; default a temp dir), KEEP_FIXTURES=1.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
log() { echo "run.sh: $*"; }

# --- system packages -------------------------------------------------------------------
need=()
for pkg in chromium chromium-driver fonts-noto-cjk; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || need+=("$pkg")
done
if [ "${#need[@]}" -gt 0 ]; then
  log "installing ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q >/dev/null
  apt-get install -y -q --no-install-recommends "${need[@]}" >/dev/null
fi
for tool in node npm python3 cargo; do
  command -v "$tool" >/dev/null || { echo "run.sh: $tool is required" >&2; exit 2; }
done

# --- JavaScript test driver --------------------------------------------------------------
if [ ! -d "$here/node_modules/playwright-core" ] || [ "$here/package-lock.json" -nt "$here/node_modules/.package-lock.json" ]; then
  log "installing playwright-core"
  (cd "$here" && npm ci --no-audit --no-fund --loglevel=error)
fi

# --- the page ------------------------------------------------------------------------------
log "building client/web/dist"
GREENLIGHT_WEB_QUIET="${GREENLIGHT_WEB_QUIET:-0}" "$root/client/web/build.sh"

# --- fixtures, made by the real crates (release: the same build is timed natively) --------
# The wallet test also runs the issuer (greenlight-server; .ci/run has built it by now) and
# wallet-fixtures (native present timing); `fixtures` also makes the wallet test's venue.
log "building the fixtures tools and greenlight-server"
(cd "$root" && cargo build --quiet --release -p greenlight-web --bin fixtures \
  -p greenlight-wallet-web --bin wallet-fixtures -p greenlight-server --bin greenlight-server)
target_dir="${CARGO_TARGET_DIR:-$(cd "$root" && cargo metadata --format-version 1 --no-deps | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>process.stdout.write(JSON.parse(s).target_directory))')}"
fixtures_bin="$target_dir/release/fixtures"
fx="$(mktemp -d "${TMPDIR:-/tmp}/greenlight-fixtures.XXXXXX")"
out="${OUT:-$(mktemp -d "${TMPDIR:-/tmp}/greenlight-browser-out.XXXXXX")}"
mkdir -p "$out"
cleanup() { [ "${KEEP_FIXTURES:-0}" = 1 ] || rm -rf "$fx"; }
trap cleanup EXIT
"$fixtures_bin" gen "$fx"
native="$("$fixtures_bin" bench "$fx" --case bench)"
log "native (release) $native"

# --- the browser tests ----------------------------------------------------------------------
set +e
DIST="$root/client/web/dist" FIXTURES="$fx" FIXTURES_BIN="$fixtures_bin" OUT="$out" NATIVE_FIGURES="$native" \
  node "$here/verifier.test.mjs" 2>&1 | tee "$out/test.log"
venue_status=${PIPESTATUS[0]}
SERVER_BIN="$target_dir/release/greenlight-server" FIXTURES_BIN="$fixtures_bin" WALLET_FIXTURES_BIN="$target_dir/release/wallet-fixtures" \
  DIST="$root/client/web/dist" WALLET_DIST="$root/client/web/wallet/dist" OUT="$out" \
  node "$here/wallet.test.mjs" 2>&1 | tee "$out/wallet-test.log"
wallet_status=${PIPESTATUS[0]}
set -e
# One count for both files; a crash before a harness could count (no browser, no server)
# counts as a failure.
total_passed=0 total_failed=0 status=0
for f in "$out/test.log" "$out/wallet-test.log"; do
  last="$(tail -n 1 "$f")"
  if [[ "$last" =~ ^([0-9]+)\ passed,\ ([0-9]+)\ failed$ ]]; then
    total_passed=$((total_passed + BASH_REMATCH[1]))
    total_failed=$((total_failed + BASH_REMATCH[2]))
  else
    total_failed=$((total_failed + 1))
  fi
done
[ "$venue_status" -eq 0 ] && [ "$wallet_status" -eq 0 ] && [ "$total_failed" -eq 0 ] || status=1
echo "$total_passed passed, $total_failed failed"
exit "$status"
