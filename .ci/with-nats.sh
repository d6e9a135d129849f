#!/usr/bin/env bash
# Runs a command with a NATS server for the tests of several instances: the one named
# by RINGDESK_TEST_NATS (default nats://127.0.0.1:4222) if it answers; else a
# throwaway one of our own on a free port, stopped when the command ends. Tests that
# need NATS never skip.
set -euo pipefail

url="${RINGDESK_TEST_NATS:-nats://127.0.0.1:4222}"
hostport="${url#*://}"
host="${hostport%:*}"; port="${hostport##*:}"
if (exec 3<>"/dev/tcp/$host/$port") 2>/dev/null; then
  export RINGDESK_TEST_NATS="$url"
  exec "$@"
fi

bin=$(command -v nats-server || ls /usr/sbin/nats-server 2>/dev/null || true)
if [ -z "$bin" ]; then
  echo "no NATS answers at $host:$port and none is installed: run .ci/setup.sh --browser" >&2
  exit 1
fi
echo "no NATS answers at $host:$port: starting a throwaway server" >&2
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$bin" -a 127.0.0.1 -p "$port" >/dev/null 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null || true' EXIT
for _ in $(seq 100); do
  (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break
  sleep 0.1
done
export RINGDESK_TEST_NATS="nats://127.0.0.1:$port"
status=0
"$@" || status=$?
exit $status
