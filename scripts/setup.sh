#!/usr/bin/env bash
# One idempotent setup step: Debian packages, npm packages, libsodium sources for the Wasm
# builds. On a ready machine it only checks and returns in seconds.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(
  g++ cmake ninja-build pkg-config dpkg-dev curl sqlite3 ca-certificates
  libboost-json1.81-dev libboost1.81-dev libsodium-dev libsqlite3-dev libssl-dev libjemalloc-dev
  catch2 nlohmann-json3-dev libbenchmark-dev
  emscripten binaryen wabt
  clang-16 lld-16 llvm-16 wasi-libc libc++-16-dev-wasm32 libc++abi-16-dev-wasm32 libclang-rt-16-dev-wasm32
  libclang-rt-16-dev
  chromium prometheus
)

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  as_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# libsodium's sources for the Wasm builds: fetched with apt-get source into an ignored cache.
sodium_cache=.cache/libsodium
if [ ! -f "$sodium_cache/src/libsodium/include/sodium.h" ]; then
  if ! grep -rqsE '^(Types: deb-src|deb-src)' /etc/apt/sources.list /etc/apt/sources.list.d/; then
    echo "setup: enabling deb-src for bookworm"
    as_root tee /etc/apt/sources.list.d/frontdesk-src.sources >/dev/null <<'EOF'
Types: deb-src
URIs: http://deb.debian.org/debian
Suites: bookworm
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOF
    as_root apt-get update -qq
  fi
  rm -rf "$sodium_cache" && mkdir -p "$sodium_cache/download"
  (cd "$sodium_cache/download" && apt-get source --download-only -qq libsodium 2>/dev/null)
  # dpkg-source applies Debian's patches (security fixes) on top of the upstream tarball.
  (cd "$sodium_cache/download" && dpkg-source --no-check -x libsodium_*.dsc ../src >/dev/null)
  echo "setup: libsodium sources in $sodium_cache/src"
fi

# npm packages (wrangler, miniflare) from the lockfile.
if [ ! -d node_modules/miniflare ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund --loglevel=error
fi
echo "setup: ready"
