#!/usr/bin/env bash
# Build the two browser pages, static files with relative URLs only:
#   client/web/dist/         the venue check (/venue/): greenlight-web over greenlight-venue
#   client/web/wallet/dist/  the residents' wallet (/wallet/): greenlight-wallet-web over
#                            greenlight-wallet (docs/wallet-web.md)
# Installs what it needs: the wasm32 target, wasm-bindgen-cli at exactly the wasm-bindgen
# version in Cargo.lock, the QR decoder zxing-wasm and binaryen's wasm-opt from npm
# (package-lock.json).
#
# Environment:
#   GREENLIGHT_WEB_OPT_LEVEL  rustc opt-level for the wasm build (default 3; "s" is smaller)
#   GREENLIGHT_WEB_QUIET=1    less output
#   GREENLIGHT_WEB_WASM_OPT=0 skip wasm-opt (binaryen) on the wallet's wasm (default: run it)
#   GREENLIGHT_WEB_KEY_ORIGINS  space-separated issuer origins (https://issuer.example) the page
#                             may fetch /v1/keys from, for a page served from a separate static
#                             host (docs/browser-verifier.md); default: none, only its own origin
#   GREENLIGHT_WALLET_ISSUER  the issuer origin (https://issuer.example) the wallet talks to when
#                             it is served from another host (docs/wallet-web.md); default: the
#                             origin that serves it (the issuer's /wallet/)
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
dist="$here/dist"
opt_level="${GREENLIGHT_WEB_OPT_LEVEL:-3}"
say() { [ "${GREENLIGHT_WEB_QUIET:-0}" = 1 ] || echo "build.sh: $*"; }

# --- tools -----------------------------------------------------------------------------
if ! rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; then
  say "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

wb_version="$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' "$root/Cargo.lock")"
if [ -z "$wb_version" ]; then
  echo "build.sh: no wasm-bindgen in Cargo.lock; run 'cargo generate-lockfile' or build once" >&2
  exit 1
fi
# The CLI must match the library exactly: the two share an unstable schema.
if ! command -v wasm-bindgen >/dev/null 2>&1 || [ "$(wasm-bindgen --version | awk '{print $2}')" != "$wb_version" ]; then
  say "installing wasm-bindgen-cli $wb_version"
  cargo install wasm-bindgen-cli --version "$wb_version"
fi

zxing="$here/node_modules/zxing-wasm/dist"
if [ ! -f "$zxing/reader/zxing_reader.wasm" ] || [ ! -f "$here/node_modules/binaryen/bin/wasm-opt" ] \
   || [ "$here/package-lock.json" -nt "$here/node_modules/.package-lock.json" ]; then
  say "installing zxing-wasm and binaryen from npm"
  (cd "$here" && npm ci --no-audit --no-fund --loglevel=error)
fi

# --- wasm --------------------------------------------------------------------------------
# Profile settings for this build only (the workspace's release profile is shared with the
# native binaries): one codegen unit and fat LTO let the optimiser see the whole verifier,
# panic=abort drops the unwinding machinery the browser cannot use anyway. Source paths are
# remapped, so the wasm does not depend on where the checkout or the cargo home is (a
# reviewer's build of the same commit should give the same index.html hash).
build_wasm() { # CRATE: compiles it for wasm32
  say "compiling $1 for wasm32 (opt-level $opt_level)"
  (
    cd "$root"
    CARGO_PROFILE_RELEASE_OPT_LEVEL="$opt_level" \
    CARGO_PROFILE_RELEASE_LTO=fat \
    CARGO_PROFILE_RELEASE_CODEGEN_UNITS=1 \
    CARGO_PROFILE_RELEASE_PANIC=abort \
    CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS="--remap-path-prefix=$root=/greenlight --remap-path-prefix=${CARGO_HOME:-$HOME/.cargo}=/cargo" \
      cargo build --quiet -p "$1" --lib --release --target wasm32-unknown-unknown
  )
}
target_dir="${CARGO_TARGET_DIR:-$(cd "$root" && cargo metadata --format-version 1 --no-deps | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>process.stdout.write(JSON.parse(s).target_directory))')}"

# pin_html SRC DST STAGE ORIGINS_TEXT CONNECT_SRC ISSUER: index.html with every pin filled in —
# the SHA-384 of each file named by a __SRI_<file>__ placeholder (Subresource Integrity; the
# import map pins the modules app.js imports), the key origins (venue page), the connect-src
# and issuer (wallet), and the CSP hashes of the two inline scripts (the trailing-slash
# redirect and the import map, whose text holds the pins, so it is hashed last).
pin_html() {
  node -e '
    const fs = require("fs"), crypto = require("crypto"), path = require("path");
    const [src, dst, stage, originsText, connectSrc, issuer] = process.argv.slice(1);
    let html = fs.readFileSync(src, "utf8");
    const sri = (f) => "sha384-" + crypto.createHash("sha384").update(fs.readFileSync(path.join(stage, f))).digest("base64");
    html = html.replace(/__SRI_([A-Za-z0-9_.]+)__/g, (_, f) => sri(f));
    const origin = (o, what) => {
      const u = new URL(o);
      if (u.origin !== o.replace(/\/$/, "") || !/^https?:$/.test(u.protocol)) {
        throw new Error(`${what}: ${o} is not an origin like https://issuer.example`);
      }
      return u.origin;
    };
    const origins = originsText.split(/\s+/).filter(Boolean).map((o) => origin(o, "GREENLIGHT_WEB_KEY_ORIGINS"));
    html = html.replace("__KEY_ORIGINS_CSP__", origins.map((o) => " " + o).join(""));
    html = html.replace("__KEY_ORIGINS__", origins.join(" "));
    const issuerOrigin = issuer ? origin(issuer, "GREENLIGHT_WALLET_ISSUER") : "";
    // The page fetches its own files (its wasm, the QR decoder) from its own origin, and
    // the issuer routes from the issuer origin.
    html = html.replace("__CONNECT_SRC__", issuerOrigin ? `${connectSrc} ${issuerOrigin}` : connectSrc);
    html = html.replace("__ISSUER__", issuerOrigin);
    const hashOf = (re, what) => {
      const m = re.exec(html);
      if (!m) throw new Error(`index.html: ${what} not found`);
      return "sha256-" + crypto.createHash("sha256").update(m[1]).digest("base64");
    };
    html = html.replace("__REDIRECT_HASH__", hashOf(/<script>([^<]*)<\/script>/, "inline redirect script"));
    html = html.replace("__IMPORTMAP_HASH__", hashOf(/<script type="importmap">([^<]*)<\/script>/, "import map"));
    const left = /__[A-Za-z0-9_.]+__/.exec(html);
    if (left) throw new Error("index.html: a placeholder was left: " + left[0]);
    fs.writeFileSync(dst, html);
  ' "$@"
}

# finish_page STAGE DIST CACHE_PREFIX WASM_NAME: the service worker (it caches exactly the
# files built here, under a name that changes with their content), gzipped siblings, and the
# staged directory moved into place.
finish_page() {
  local stage="$1" dist="$2" prefix="$3" wasm_name="$4"
  local assets=("./") f hash list
  while IFS= read -r f; do assets+=("$f"); done < <(cd "$stage" && ls -1 | sort)
  hash="$(cd "$stage" && cat $(ls -1 | sort) | sha256sum | cut -c1-16)"
  list="$(printf '"%s",' "${assets[@]}")"
  sed -e "s/__CACHE_PREFIX__/$prefix/" -e "s/__CACHE_VERSION__/$hash/" -e "s|__ASSETS__|[${list%,}]|" "$here/sw.js" > "$stage/sw.js"
  # Gzipped siblings for servers that send precompressed files (tower-http's
  # ServeDir::precompressed_gzip): the figures in the docs assume gzip transfer. Not in the
  # service worker's list: the browser asks for the plain names.
  (cd "$stage" && for f in *.wasm *.js *.css *.html *.svg *.webmanifest; do gzip -9 -n -k "$f"; done)
  chmod -R a+rX "$stage"
  rm -rf "$dist.old"
  [ -d "$dist" ] && mv "$dist" "$dist.old"
  mv "$stage" "$dist"
  rm -rf "$dist.old"
  local wasm_gz js_gz all_gz
  wasm_gz=$(wc -c < "$dist/${wasm_name}_bg.wasm.gz")
  js_gz=$(wc -c < "$dist/${wasm_name}.js.gz")
  all_gz=$(cd "$dist" && cat *.gz | wc -c)
  say "built $dist (cache $hash)"
  # The one value to compare when the page is served by someone else: index.html pins the rest.
  say "index.html $(node -e 'process.stdout.write("sha384-" + require("crypto").createHash("sha384").update(require("fs").readFileSync(process.argv[1])).digest("base64"))' "$dist/index.html")"
  say "wasm $(wc -c < "$dist/${wasm_name}_bg.wasm") B ($wasm_gz B gzipped), glue js $js_gz B gzipped, all files $all_gz B gzipped"
}

# copy_scanner STAGE: the one QR decoder of both pages (scanner.js), self-hosted: zxing-wasm's
# ES reader module, the chunk it shares with the writer (renamed into this flat directory, its
# one import rewritten), and the WebAssembly, which scanner.js fetches itself with the hash
# the page pins (<meta name="greenlight-zxing-integrity">).
copy_scanner() {
  cp "$here/scanner.js" "$1/"
  sed 's|from "../share.js"|from "./zxing_share.js"|' "$zxing/es/reader/index.js" > "$1/zxing_reader.js"
  grep -q 'from "./zxing_share.js"' "$1/zxing_reader.js" || { echo "build.sh: zxing-wasm's reader no longer imports ../share.js; update the copy" >&2; exit 1; }
  cp "$zxing/es/share.js" "$1/zxing_share.js"
  cp "$zxing/reader/zxing_reader.wasm" "$1/zxing_reader.wasm"
}

# ftl2js MESSAGES_GROUP OUT USES…: the page's messages.js from the message catalogue
# (crates/greenlight-messages), generated rather than parsed at run time: no Fluent runtime
# in the page. It fails, naming them, if a file in USES looks up an id the group lacks.
say "building ftl2js (the pages' message tables from the Fluent catalogue)"
(cd "$root" && cargo build --quiet -p greenlight-messages --features compile --bin ftl2js)
ftl2js() { "$target_dir/debug/ftl2js" "$@"; }

stages=()
trap 'rm -rf "${stages[@]}"' EXIT

# --- the venue page ----------------------------------------------------------------------
build_wasm greenlight-web
stage="$(mktemp -d "$here/.dist.XXXXXX")"
stages+=("$stage")
wasm-bindgen --target web --no-typescript --out-dir "$stage" "$target_dir/wasm32-unknown-unknown/release/greenlight_web.wasm"
cp "$here/app.js" "$here/i18n.js" "$here/style.css" \
   "$here/manifest.webmanifest" "$here/icon.svg" "$stage/"
ftl2js venue-page "$stage/messages.js" "$here/app.js" "$here/index.html"
copy_scanner "$stage"
pin_html "$here/index.html" "$stage/index.html" "$stage" "${GREENLIGHT_WEB_KEY_ORIGINS:-}" "'self'" ""
finish_page "$stage" "$dist" greenlight-venue- greenlight_web

# --- the wallet ----------------------------------------------------------------------------
build_wasm greenlight-wallet-web
wallet_src="$here/wallet"
stage="$(mktemp -d "$wallet_src/.dist.XXXXXX")"
stages+=("$stage")
wasm-bindgen --target web --no-typescript --out-dir "$stage" "$target_dir/wasm32-unknown-unknown/release/greenlight_wallet_web.wasm"
# Binaryen's wasm-opt (npm "binaryen", package.json) on the wallet's wasm only: about 26 KB
# less gzipped, which brings the wallet under its 400 KB target, with presenting as fast at
# the minimum and within the machine's noise at the median (docs/wallet-web.md, "Figures").
# The features are the ones rustc's wasm32 target emits; wasm-opt must not add others.
# GREENLIGHT_WEB_WASM_OPT=0 skips it (about 45 s on a loaded 2-core machine).
if [ "${GREENLIGHT_WEB_WASM_OPT:-1}" = 1 ]; then
  say "wasm-opt -O3 on the wallet's wasm"
  wallet_wasm="$stage/greenlight_wallet_web_bg.wasm"
  node "$here/node_modules/binaryen/bin/wasm-opt" -O3 \
    --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
    --enable-mutable-globals --enable-reference-types --enable-multivalue \
    "$wallet_wasm" -o "$wallet_wasm.opt"
  mv "$wallet_wasm.opt" "$wallet_wasm"
fi
cp "$wallet_src/app.js" "$wallet_src/i18n.js" "$wallet_src/store.js" "$wallet_src/passkey.js" "$wallet_src/style.css" \
   "$wallet_src/manifest.webmanifest" "$here/icon.svg" "$stage/"
ftl2js wallet-page "$stage/messages.js" "$wallet_src/app.js" "$wallet_src/index.html"
copy_scanner "$stage"
# The venue page's style sheet is the wallet's base (one design); style.css adds to it.
cp "$here/style.css" "$stage/base.css"
pin_html "$wallet_src/index.html" "$stage/index.html" "$stage" "" "'self'" "${GREENLIGHT_WALLET_ISSUER:-}"
finish_page "$stage" "$wallet_src/dist" greenlight-wallet- greenlight_wallet_web
trap - EXIT
zxing_gz=$(cd "$dist" && cat zxing_reader.wasm.gz zxing_reader.js.gz zxing_share.js.gz scanner.js.gz | wc -c)
say "the QR decoder (scanner.js and zxing-wasm's reader), in each page: $zxing_gz B gzipped"
