#!/usr/bin/env bash
# The scanning corpus (docs/scanning.md): simulated camera frames of real presentations,
# decoded by the CLI's decoder (ZXing-C++), rqrr (the CLI's before), and under node the
# venue page's decoder as built (client/web/dist/scanner.js on zxing-wasm) and jsQR (the
# page's before). Prints the read rate per decoder and per condition, and the decode time.
#
#   tests/scan/run.sh          the full grid (2,304 frames; about 20 minutes on 2 cores)
#   tests/scan/run.sh --ci     the fixed CI subset (60 frames; under a minute)
#
# Extra arguments go to `greenlight-scan run` (--seed N, --only zxing-cpp,rqrr, --misses D).
# Installs what it needs: jsQR from npm (package-lock.json); builds the page with
# client/web/build.sh when client/web/dist has no scanner.js. Exits 1 when a decoder returns
# a payload other than the code's; a miss is only counted, never a failure.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
log() { echo "scan: $*"; }

if [ ! -f "$here/node_modules/jsqr/dist/jsQR.js" ] || [ "$here/package-lock.json" -nt "$here/node_modules/.package-lock.json" ]; then
  log "installing jsQR from npm"
  (cd "$here" && npm ci --no-audit --no-fund --loglevel=error)
fi
if [ ! -f "$root/client/web/dist/scanner.js" ]; then
  log "building the venue page (client/web/build.sh)"
  GREENLIGHT_WEB_QUIET=1 "$root/client/web/build.sh"
fi

# Release: the CLI ships a release build of the decoder, and CI has built the release
# dependencies already (the demo step).
(cd "$root" && cargo build --quiet --release -p greenlight-scan)
"${CARGO_TARGET_DIR:-$root/target}/release/greenlight-scan" run --node "$here/decode.mjs" "$@"
