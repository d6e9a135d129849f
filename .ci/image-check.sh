#!/usr/bin/env bash
# Runs the image `.ci/image.sh` built as `make run` runs the app (SQLite in its volume,
# the simulator, the demo tenant) and checks it as a browser would: healthy, the
# sign-in page served with its styles and wasm, op1 signed in, the simulator taking a
# call. Exits non-zero on the first thing that does not hold.
# Usage: .ci/image-check.sh [TAG]   (CONTAINER as for .ci/image.sh)
set -euo pipefail
tag=${1:-ringdesk:latest}
if [ -z "${CONTAINER:-}" ]; then
  if command -v docker >/dev/null && docker info >/dev/null 2>&1; then CONTAINER=docker; else CONTAINER=podman; fi
fi
port=${PORT:-3987}
url="http://127.0.0.1:$port"
name="ringdesk-check-$$"
fail() { echo "image check: $*" >&2; $CONTAINER logs "$name" 2>&1 | tail -20 >&2; exit 1; }
# The host's network: the simulator's API answers loopback callers only.
# shellcheck disable=SC2086 # CONTAINER is a list of words
$CONTAINER run -d --rm --name "$name" --network host -e "RINGDESK_ADDR=127.0.0.1:$port" "$tag" >/dev/null
# shellcheck disable=SC2086
trap '$CONTAINER stop -t 5 "$name" >/dev/null 2>&1 || true' EXIT

for _ in $(seq 1 300); do
  curl -fsS "$url/health" >/dev/null 2>&1 && break
  sleep 0.2
done
curl -fsS "$url/health" >/dev/null || fail "/health never answered 200"
page=$(curl -fsS "$url/login") || fail "/login not served"
grep -q 'ringdesk' <<<"$page" || fail "/login is not ringdesk's page"
css=$(grep -o '/pkg/[^"]*\.css' <<<"$page" | head -1)
{ [ -n "$css" ] && curl -fsS -o /dev/null "$url$css"; } || fail "the page's styles ($css) are not served"
jar=$(mktemp)
curl -fsS -c "$jar" -o /dev/null -d 'username=op1&password=demo1234' "$url/api/login" || fail "op1 cannot sign in"
grep -q ringdesk_session "$jar" || fail "no session cookie after signing in"
rm -f "$jar"
call=$(curl -fsS -H 'content-type: application/json' -d '{"from":"+81312345678","to":"+81350000000"}' "$url/sim/calls") \
  || fail "the simulator takes no call"
grep -q call_id <<<"$call" || fail "the simulator's answer has no call: $call"
echo "image check: $tag healthy, page and styles served, op1 signed in, a call taken"
