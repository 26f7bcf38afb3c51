#!/usr/bin/env bash
# Lints the OpenAPI document the server serves, with Redocly and with Spectral's OWASP rules,
# and fails on any error. Builds the server, starts it on a temporary data directory and a free
# loopback port, fetches /openapi/v1.json, stops it, installs the linters pinned in
# tools/openapi-lint (npm ci, only when its lock file changed) and runs both. The document is
# kept as tools/openapi-lint/openapi.json, beside the rules that name its parts. Rules turned
# down are listed, each with its reason, in tools/openapi-lint/.spectral.yaml.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
export REDOCLY_TELEMETRY=off REDOCLY_SUPPRESS_UPDATE_NOTICE=true

TOOLS=tools/openapi-lint
DOCUMENT=$TOOLS/openapi.json
WORK=$(mktemp -d "${TMPDIR:-/tmp}/montu-openapi.XXXXXX")
SERVER_PID=""

log() { printf '==> %s\n' "$*" >&2; }

cleanup() {
  if [[ -n $SERVER_PID ]] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill "$SERVER_PID" && wait "$SERVER_PID" 2>/dev/null || true
  fi
  rm -rf "$WORK"
}
trap cleanup EXIT

# Starts the server on port 0 (the kernel picks a free one) and reads the address it listens on.
fetch_document() {
  log "Building the server"
  dotnet build src/Montu.Server -warnaserror -nologo -v quiet >&2
  log "Starting it on a temporary data directory"
  MONTU_DATA_DIR="$WORK/data" MONTU_ADMIN_PASSWORD="lint-$RANDOM-$RANDOM-$RANDOM" Logging__LogLevel__Default=Information \
    dotnet src/Montu.Server/bin/Debug/net10.0/Montu.Server.dll --urls http://127.0.0.1:0 >"$WORK/server.log" 2>&1 &
  SERVER_PID=$!
  local address="" tries
  for ((tries = 0; tries < 120; tries++)); do
    address=$(grep -o 'Now listening on: http://127\.0\.0\.1:[0-9]*' "$WORK/server.log" | head -n 1 | sed 's/Now listening on: //' || true)
    [[ -n $address ]] && break
    kill -0 "$SERVER_PID" 2>/dev/null || { cat "$WORK/server.log" >&2; echo "ERROR: the server stopped" >&2; exit 1; }
    sleep 0.5
  done
  [[ -n $address ]] || { cat "$WORK/server.log" >&2; echo "ERROR: the server did not start" >&2; exit 1; }
  curl -sSf "$address/openapi/v1.json" -o "$DOCUMENT"
  kill "$SERVER_PID" && wait "$SERVER_PID" 2>/dev/null || true
  SERVER_PID=""
  log "Fetched $DOCUMENT from $address"
}

install_linters() {
  if [[ ! -f $TOOLS/node_modules/.package-lock.json || $TOOLS/package-lock.json -nt $TOOLS/node_modules/.package-lock.json ]]; then
    log "Installing the linters (npm ci)"
    npm ci --prefix "$TOOLS" --ignore-scripts --no-audit --no-fund >&2
  fi
}

main() {
  command -v npm >/dev/null || { echo "ERROR: npm is needed to install the linters (apt-get install nodejs npm)" >&2; exit 1; }
  fetch_document
  install_linters
  local status=0
  log "Redocly"
  "$TOOLS/node_modules/.bin/redocly" lint --config "$TOOLS/redocly.yaml" "$DOCUMENT" || status=1
  log "Spectral (OWASP)"
  "$TOOLS/node_modules/.bin/spectral" lint --ruleset "$TOOLS/.spectral.yaml" --fail-severity warn "$DOCUMENT" || status=1
  ((status == 0)) || { echo "ERROR: the OpenAPI document has lint errors" >&2; exit 1; }
  log "The OpenAPI document passes both linters"
}

main "$@"
