#!/usr/bin/env bash
# Runs the Playwright suite against the release build: a fresh SQLite file, the
# simulator on, a free port. The server is stopped however the tests end.
set -euo pipefail
cd "$(dirname "$0")/.."

bin="${CARGO_TARGET_DIR:-target}/release/server"
[ -x "$bin" ] || { echo "no release build at $bin: run make build" >&2; exit 1; }

work=$(mktemp -d)
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
port=$(free_port)
# The phone window's fake microphone: ten seconds of a 1,000 Hz tone, looped.
sox -n -r 48000 -c 1 -b 16 "${work}/mic-1000hz.wav" synth 10 sine 1000 vol 0.5
export RINGDESK_FAKE_MIC="${work}/mic-1000hz.wav"
# The server runs in a loop: a test of a dropped connection kills it (its pid is in
# server.pid), and it starts again on the same database and port, as after a crash.
export RINGDESK_SERVER_PIDFILE="${work}/server.pid"
(
  while [ ! -f "${work}/done" ]; do
    RINGDESK_ADDR="127.0.0.1:${port}" \
    RINGDESK_DATABASE_URL="sqlite://${work}/e2e.db?mode=rwc" \
    LEPTOS_SITE_ROOT="$(pwd)/target/site" \
    RUST_LOG=warn \
      "$bin" >>"${work}/server.log" 2>&1 &
    echo $! >"${work}/server.pid"
    { wait $!; } 2>/dev/null || true
  done
) &
supervisor=$!

# A second ringdesk that talks SIP, for the tests of a customer calling through the
# carrier (baresip at the trunk's address, 127.0.0.1): its own database and ports.
sip_http=$(free_port)
sip_port=$(python3 -c 'import socket; s=socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
RINGDESK_ADDR="127.0.0.1:${sip_http}" \
RINGDESK_DATABASE_URL="sqlite://${work}/e2e-sip.db?mode=rwc" \
RINGDESK_TELEPHONY=sip \
RINGDESK_SIP_LISTEN="127.0.0.1:${sip_port}" \
RINGDESK_SIP_TRUNK="127.0.0.1:5060" \
RINGDESK_RTP_PORTS=30000-30199 \
LEPTOS_SITE_ROOT="$(pwd)/target/site" \
RUST_LOG=warn \
  "$bin" >"${work}/server-sip.log" 2>&1 &
sip_server=$!
export RINGDESK_SIP_URL="http://127.0.0.1:${sip_http}" RINGDESK_SIP_ADDR="127.0.0.1:${sip_port}"

stop_server() {
  touch "${work}/done"
  kill "$(cat "${work}/server.pid" 2>/dev/null)" 2>/dev/null || true
  kill $sip_server 2>/dev/null || true
  wait $supervisor 2>/dev/null || true
  wait $sip_server 2>/dev/null || true
  rm -rf "$work"
}
trap stop_server EXIT

# Wait for the servers to answer, not for a fixed time.
for url in "http://127.0.0.1:${port}" "$RINGDESK_SIP_URL"; do
  for _ in $(seq 1 300); do
    if curl -fsS "${url}/health" >/dev/null 2>&1; then break; fi
    if ! kill -0 $supervisor 2>/dev/null; then cat "${work}/server.log" >&2; exit 1; fi
    if ! kill -0 $sip_server 2>/dev/null; then cat "${work}/server-sip.log" >&2; exit 1; fi
    sleep 0.1
  done
done

cd end2end
status=0
RINGDESK_URL="http://127.0.0.1:${port}" npx playwright test "$@" || status=$?
# The summary line in the form every runner's closing line takes.
node -e 'const s = require("./playwright-report/results.json").stats;
  console.log(`playwright: ${s.expected} passed, ${s.unexpected + s.flaky} failed, ${s.skipped} skipped`)' || true
if [ $status -ne 0 ]; then
  echo "--- server log ---" >&2
  tail -50 "${work}/server.log" >&2
  echo "--- SIP server log ---" >&2
  tail -30 "${work}/server-sip.log" >&2
fi
exit $status
