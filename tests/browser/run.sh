#!/usr/bin/env bash
# Browser tests of the venue verifier page: installs what it needs (Debian's chromium and
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
log "building the fixtures tool"
(cd "$root" && cargo build --quiet --release -p greenlight-web --bin fixtures)
fixtures_bin="${CARGO_TARGET_DIR:-$root/target}/release/fixtures"
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
status=${PIPESTATUS[0]}
set -e
# A crash before the harness could count (no browser, no server) still ends with a count.
if ! tail -n 1 "$out/test.log" | grep -Eq '^[0-9]+ passed, [0-9]+ failed$'; then
  echo "0 passed, 1 failed"
  [ "$status" -ne 0 ] || status=1
fi
exit "$status"
