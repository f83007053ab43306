#!/usr/bin/env bash
# Build the browser verifier into client/web/dist/ (static files, relative URLs only).
# Installs what it needs: the wasm32 target, wasm-bindgen-cli at exactly the wasm-bindgen
# version in Cargo.lock, and jsQR from npm (package-lock.json).
#
# Environment:
#   GREENLIGHT_WEB_OPT_LEVEL  rustc opt-level for the wasm build (default 3; "s" is smaller)
#   GREENLIGHT_WEB_QUIET=1    less output
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

if [ ! -f "$here/node_modules/jsqr/dist/jsQR.js" ] || [ "$here/package-lock.json" -nt "$here/node_modules/.package-lock.json" ]; then
  say "installing jsQR from npm"
  (cd "$here" && npm ci --no-audit --no-fund --loglevel=error)
fi

# --- wasm --------------------------------------------------------------------------------
# Profile settings for this build only (the workspace's release profile is shared with the
# native binaries): one codegen unit and fat LTO let the optimiser see the whole verifier,
# panic=abort drops the unwinding machinery the browser cannot use anyway.
say "compiling greenlight-web for wasm32 (opt-level $opt_level)"
(
  cd "$root"
  CARGO_PROFILE_RELEASE_OPT_LEVEL="$opt_level" \
  CARGO_PROFILE_RELEASE_LTO=fat \
  CARGO_PROFILE_RELEASE_CODEGEN_UNITS=1 \
  CARGO_PROFILE_RELEASE_PANIC=abort \
    cargo build --quiet -p greenlight-web --lib --release --target wasm32-unknown-unknown
)
wasm="$root/target/wasm32-unknown-unknown/release/greenlight_web.wasm"

stage="$(mktemp -d "$here/.dist.XXXXXX")"
trap 'rm -rf "$stage"' EXIT
wasm-bindgen --target web --no-typescript --out-dir "$stage" "$wasm"

# --- static files ------------------------------------------------------------------------
cp "$here/app.js" "$here/i18n.js" "$here/style.css" \
   "$here/manifest.webmanifest" "$here/icon.svg" "$stage/"
# index.html's one inline script (the trailing-slash redirect) is allowed by its hash.
node -e '
  const fs = require("fs"), crypto = require("crypto");
  const [src, dst] = process.argv.slice(1);
  const html = fs.readFileSync(src, "utf8");
  const m = /<script>([^<]*)<\/script>/.exec(html);
  if (!m) throw new Error("index.html: inline script not found");
  const hash = "sha256-" + crypto.createHash("sha256").update(m[1]).digest("base64");
  fs.writeFileSync(dst, html.replace("__REDIRECT_HASH__", hash));
' "$here/index.html" "$stage/index.html"
cp "$here/node_modules/jsqr/dist/jsQR.js" "$stage/jsQR.js"

# The service worker caches exactly the files built here, under a name that changes with
# their content.
assets=("./")
while IFS= read -r f; do assets+=("$f"); done < <(cd "$stage" && ls -1 | sort)
hash="$(cd "$stage" && cat $(ls -1 | sort) | sha256sum | cut -c1-16)"
list="$(printf '"%s",' "${assets[@]}")"
sed -e "s/__CACHE_VERSION__/$hash/" -e "s|__ASSETS__|[${list%,}]|" "$here/sw.js" > "$stage/sw.js"

# Gzipped siblings for servers that send precompressed files (tower-http's
# ServeDir::precompressed_gzip): the figures in docs/browser-verifier.md assume gzip transfer.
# Not in the service worker's list: the browser asks for the plain names.
(cd "$stage" && for f in *.wasm *.js *.css *.html *.svg *.webmanifest; do gzip -9 -n -k "$f"; done)

chmod -R a+rX "$stage"
rm -rf "$dist.old"
[ -d "$dist" ] && mv "$dist" "$dist.old"
mv "$stage" "$dist"
trap - EXIT
rm -rf "$dist.old"

wasm_gz=$(wc -c < "$dist/greenlight_web_bg.wasm.gz")
js_gz=$(wc -c < "$dist/greenlight_web.js.gz")
all_gz=$(cd "$dist" && cat *.gz | wc -c)
say "built $dist (cache $hash)"
say "wasm $(wc -c < "$dist/greenlight_web_bg.wasm") B ($wasm_gz B gzipped), glue js $js_gz B gzipped, all files $all_gz B gzipped"
