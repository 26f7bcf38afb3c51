#!/usr/bin/env bash
# A throwaway S3-protocol server for test.sh: s3rver (pinned in tools/s3rver, installed with npm ci
# when its lock file changed) on a free loopback port, keeping its objects in a temporary folder.
# Source it after throwaway-postgres.sh (for log), call start_throwaway_s3 (sets S3_URL), and make
# sure stop_s3 runs on exit. It stops only the server it started.

S3_TOOLS=tools/s3rver
S3_WORK=""
S3_PID=""
S3_URL=""

install_s3rver() {
  command -v node >/dev/null && command -v npm >/dev/null || return 1
  if [[ ! -f $S3_TOOLS/node_modules/.package-lock.json || $S3_TOOLS/package-lock.json -nt $S3_TOOLS/node_modules/.package-lock.json ]]; then
    log "Installing s3rver (npm ci)"
    npm ci --prefix "$S3_TOOLS" --ignore-scripts --no-audit --no-fund >&2 || return 1
  fi
}

# s3rver picks a free port itself (port 0) and prints it once it listens.
start_throwaway_s3() {
  install_s3rver || return 1
  S3_WORK=$(mktemp -d "${TMPDIR:-/tmp}/montu-test-s3.XXXXXX") || return 1
  node "$S3_TOOLS/serve.js" "$S3_WORK/objects" >"$S3_WORK/server.log" 2>&1 &
  S3_PID=$!
  local address="" tries
  for ((tries = 0; tries < 100; tries++)); do
    address=$(grep -o 'listening on 127\.0\.0\.1:[0-9]*' "$S3_WORK/server.log" | head -n 1 | sed 's/listening on //' || true)
    [[ -n $address ]] && break
    kill -0 "$S3_PID" 2>/dev/null || break
    sleep 0.2
  done
  if [[ -z $address ]]; then
    cat "$S3_WORK/server.log" >&2
    return 1
  fi
  S3_URL="http://$address"
  log "s3rver $(node -p "require('./$S3_TOOLS/node_modules/s3rver/package.json').version") started on $S3_URL ($S3_WORK)"
}

stop_s3() {
  [[ -n $S3_WORK ]] || return 0
  if [[ -n $S3_PID ]] && kill -0 "$S3_PID" 2>/dev/null; then
    kill "$S3_PID" && wait "$S3_PID" 2>/dev/null || true
  fi
  rm -rf "$S3_WORK"
}
