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
  # PostgreSQL for the tests that need it, where no server answers and none is installed
  # (.ci/with-postgres.sh then starts a throwaway cluster of its own).
  if ! pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null && ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
    say "installing PostgreSQL"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
  fi
  # NATS for the tests of several instances (RINGDESK_CLUSTER), where none answers and
  # none is installed (.ci/with-nats.sh then starts one of its own).
  if ! (exec 3<>/dev/tcp/127.0.0.1/4222) 2>/dev/null && ! command -v nats-server >/dev/null; then
    say "installing NATS"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nats-server >/dev/null
  fi
  # Real SIP peers for the SIP tests (sipp as the carrier, baresip as phones and
  # customers), sox for their tones, and the free hold music ringdesk plays by default.
  if ! command -v sipp >/dev/null || ! command -v baresip >/dev/null || ! command -v sox >/dev/null \
     || [ ! -d /usr/share/asterisk/moh ]; then
    say "installing SIP test peers (sipp, baresip), sox and hold music"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq sip-tester baresip-core sox asterisk-moh-opsound-wav >/dev/null
  fi
  # Japanese speech for 強制終了's guidance: Open JTalk and its dictionary from Debian, and
  # an HTS voice (mei, CC BY 3.0; Debian offers no voice here). The voice is taken out of
  # the pyopenjtalk-plus wheel on PyPI (a wheel: nothing is built), pinned.
  voice_dir=/usr/local/share/ringdesk/voices
  if ! command -v open_jtalk >/dev/null || [ ! -d /var/lib/mecab/dic/open-jtalk/naist-jdic ]; then
    say "installing Open JTalk"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq open-jtalk open-jtalk-mecab-naist-jdic >/dev/null
  fi
  if [ ! -f "$voice_dir/mei_normal.htsvoice" ]; then
    say "installing the HTS voice mei (from PyPI's pyopenjtalk-plus 0.4.1.post10)"
    tmp=$(mktemp -d)
    pip download --quiet --no-deps --only-binary :all: --python-version 3.11 \
      --platform manylinux_2_28_x86_64 -d "$tmp" pyopenjtalk-plus==0.4.1.post10
    python3 -m zipfile -e "$tmp"/pyopenjtalk_plus-*.whl "$tmp/wheel"
    mkdir -p "$voice_dir"
    cp "$tmp"/wheel/pyopenjtalk/htsvoice/mei_normal.htsvoice \
       "$tmp"/wheel/pyopenjtalk/htsvoice/LICENSE_mei_normal.htsvoice "$voice_dir"/
    rm -rf "$tmp"
  fi
  if [ ! -d end2end/node_modules/@playwright/test ]; then
    say "installing Playwright"
    (cd end2end && npm ci --no-audit --no-fund --loglevel=error)
  fi
fi
