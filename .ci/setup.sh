#!/usr/bin/env bash
# Installs what building and testing ringdesk needs, skipping what is there already.
# Usage: .ci/setup.sh [--browser]   (--browser also installs Chromium and Playwright)
set -euo pipefail
cd "$(dirname "$0")/.."

want_browser=false
[ "${1:-}" = "--browser" ] && want_browser=true

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }

# The Rust toolchain is the machine's; the wasm target is added to it.
if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

# cargo-leptos 0.3.10: newer releases need a newer rustc; no_downloads keeps it from
# fetching tools at build time (this machine is offline but for package registries).
if ! cargo leptos --version 2>/dev/null | grep -q '0.3.10'; then
  say "installing cargo-leptos 0.3.10 (about 15 minutes on 2 cores)"
  cargo install cargo-leptos --version 0.3.10 --locked --features no_downloads
fi

# The wasm-bindgen CLI must be exactly the wasm-bindgen of Cargo.lock.
wb_version=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)
if ! wasm-bindgen --version 2>/dev/null | grep -q " ${wb_version}$"; then
  say "installing wasm-bindgen-cli ${wb_version}"
  # Not --locked: the CLI's own lock file asks for a crate version the registry lacks.
  cargo install wasm-bindgen-cli --version "${wb_version}"
fi

# wasm-opt from npm's binaryen: Debian's is too old and breaks the wasm.
if [ ! -x .ci/tools/node_modules/.bin/wasm-opt ]; then
  say "installing wasm-opt (npm binaryen)"
  npm install --prefix .ci/tools --no-audit --no-fund --loglevel=error
fi

if $want_browser; then
  # Chromium, and Japanese and Korean fonts so that screenshots show the UI's text.
  if [ ! -x /usr/bin/chromium ] || ! fc-list 2>/dev/null | grep -qi 'noto sans cjk'; then
    say "installing Chromium and CJK fonts"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk >/dev/null
  fi
  # Real SIP peers for the SIP tests (sipp as the carrier, baresip as phones and
  # customers), sox for their tones, and the free hold music ringdesk plays by default.
  if ! command -v sipp >/dev/null || ! command -v baresip >/dev/null || ! command -v sox >/dev/null \
     || [ ! -d /usr/share/asterisk/moh ]; then
    say "installing SIP test peers (sipp, baresip), sox and hold music"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq sip-tester baresip-core sox asterisk-moh-opsound-wav >/dev/null
  fi
  if [ ! -d end2end/node_modules/@playwright/test ]; then
    say "installing Playwright"
    (cd end2end && npm ci --no-audit --no-fund --loglevel=error)
  fi
fi
