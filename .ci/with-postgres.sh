#!/usr/bin/env bash
# Runs a command with a PostgreSQL for the tests that need one: the server named by
# RINGDESK_TEST_POSTGRES (default postgres://postgres@127.0.0.1:5432/test) if it
# answers; else a throwaway cluster of our own, in a temporary folder on a free port,
# stopped and removed when the command ends. Tests that need PostgreSQL never skip.
set -euo pipefail

url="${RINGDESK_TEST_POSTGRES:-postgres://postgres@127.0.0.1:5432/test}"
hostport="${url#*@}"; hostport="${hostport%%/*}"
host="${hostport%:*}"; port="${hostport##*:}"
if pg_isready -q -h "$host" -p "$port" 2>/dev/null; then
  export RINGDESK_TEST_POSTGRES="$url"
  exec "$@"
fi

bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)
if [ -z "$bin" ] || [ ! -x "$bin/initdb" ]; then
  echo "no PostgreSQL answers at $host:$port and none is installed: run .ci/setup.sh --browser" >&2
  exit 1
fi
echo "no PostgreSQL answers at $host:$port: starting a throwaway cluster" >&2
dir=$(mktemp -d)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
# initdb and the server refuse to run as root: they run as the postgres user.
as_postgres=()
if [ "$(id -u)" = 0 ]; then
  chown postgres "$dir"
  as_postgres=(runuser -u postgres --)
fi
stop() {
  "${as_postgres[@]}" "$bin/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$dir"
}
trap stop EXIT
"${as_postgres[@]}" "$bin/initdb" -D "$dir/data" -A trust -U postgres >"$dir/initdb.log" 2>&1 \
  || { cat "$dir/initdb.log" >&2; exit 1; }
"${as_postgres[@]}" "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w \
  -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off" start >/dev/null \
  || { cat "$dir/server.log" >&2; exit 1; }
psql -q -h 127.0.0.1 -p "$port" -U postgres -c 'CREATE DATABASE test' >/dev/null
export RINGDESK_TEST_POSTGRES="postgres://postgres@127.0.0.1:$port/test"
status=0
"$@" || status=$?
exit $status
