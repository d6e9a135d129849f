#!/usr/bin/env bash
# Builds the container image from what `make build` made: the release server, the
# built site, and the Japanese voice `make setup` installs (docs/deploy.md, "A
# container image").
# Usage: .ci/image.sh [TAG]   (default ringdesk:latest)
#   CONTAINER   the tool: docker where its engine answers, else podman; words after
#               the first are its options (a sandbox may need
#               "podman --runtime runc --cgroup-manager cgroupfs")
#   BUILD_OPTS  options for the build (--network host where the build has no network)
#   BASE        the base image (default Debian bookworm-slim from Docker Hub)
set -euo pipefail
cd "$(dirname "$0")/.."
tag=${1:-ringdesk:latest}
if [ -z "${CONTAINER:-}" ]; then
  if command -v docker >/dev/null && docker info >/dev/null 2>&1; then CONTAINER=docker; else CONTAINER=podman; fi
fi
server="${CARGO_TARGET_DIR:-target}/release/server"
hashes="$(dirname "$server")/hash.txt"
for built in "$server" "$hashes" target/site/.built; do
  [ -e "$built" ] || { echo "image: $built is missing; run make build first" >&2; exit 1; }
done
context=$(mktemp -d)
trap 'rm -rf "$context"' EXIT
cp .ci/image/Containerfile "$context/"
cp "$server" "$context/server"
cp "$hashes" "$context/hash.txt"
cp -r target/site "$context/site"
mkdir "$context/voices"
cp /usr/local/share/ringdesk/voices/* "$context/voices/" 2>/dev/null \
  || echo "image: no voice installed (make setup): 強制終了's guidance will be silent" >&2
# podman writes OCI images unless asked, and OCI has no HEALTHCHECK.
format=""
case "$CONTAINER" in podman*) format="--format docker" ;; esac
# shellcheck disable=SC2086 # CONTAINER, BUILD_OPTS and format are lists of words
$CONTAINER build ${BUILD_OPTS:-} $format ${BASE:+--build-arg "BASE=$BASE"} -t "$tag" "$context"
