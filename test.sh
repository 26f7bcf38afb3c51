#!/usr/bin/env bash
# Runs every test: builds once, then runs the whole suite on SQLite and on a throwaway
# PostgreSQL cluster, and prints "N passed, N failed" (summed over both engines) last.
#
# Environment:
#   CI=true                   PostgreSQL is required; without it the script fails.
#   MONTU_TEST_POSTGRES=...   use this existing server instead of starting a cluster.
#   MONTU_TEST_NO_POSTGRES=1  act as if PostgreSQL were not installed (to try the skip path).
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")"
export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

RESULTS_DIR="$PWD/TestResults"
FIRST_PORT=55432
LAST_PORT=55531

PG_BIN=""
PG_WORK=""   # our temp dir; PG_DATA lives inside it
PG_DATA=""
PG_PORT=""
declare -A PASSED FAILED SKIPPED STATE

log() { printf '==> %s\n' "$*" >&2; }
warn() { printf '\n!!! %s\n\n' "$*" >&2; }

is_root() { [[ $(id -u) -eq 0 ]]; }

# initdb and postgres refuse to run as root.
as_postgres() {
  if is_root; then runuser -u postgres -- "$@"; else "$@"; fi
}

find_pg_bin() {
  local initdb
  initdb=$(ls -1 /usr/lib/postgresql/*/bin/initdb 2>/dev/null | sort -V | tail -n 1 || true)
  [[ -n $initdb ]] && PG_BIN=$(dirname "$initdb")
}

install_postgres() {
  local sudo=()
  if ! is_root; then
    if command -v sudo >/dev/null && sudo -n true 2>/dev/null; then sudo=(sudo -n); else return 1; fi
  fi
  log "Installing PostgreSQL from apt"
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -q >&2 &&
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends postgresql >&2
}

# A listening socket answers a connect; bash's /dev/tcp needs no extra tools.
port_in_use() {
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# Called from an `if`, where bash ignores `set -e`: every step checks its own failure.
start_cluster() {
  # /tmp rather than $TMPDIR: every parent of the data dir must be enterable by postgres.
  PG_WORK=$(mktemp -d /tmp/montu-test-pg.XXXXXX) || return 1
  PG_DATA="$PG_WORK/data"
  chmod 755 "$PG_WORK" && mkdir -m 700 "$PG_DATA" || return 1
  if is_root; then chown postgres:postgres "$PG_DATA" || return 1; fi

  as_postgres "$PG_BIN/initdb" -D "$PG_DATA" -U postgres -A trust -E UTF8 --no-sync >"$PG_WORK/initdb.log" 2>&1 ||
    { cat "$PG_WORK/initdb.log" >&2; return 1; }

  local port
  for ((port = FIRST_PORT; port <= LAST_PORT; port++)); do
    port_in_use "$port" && continue
    # Another process may take the port between the check and the start: then try the next.
    if as_postgres "$PG_BIN/pg_ctl" -D "$PG_DATA" -l "$PG_DATA/server.log" -w -t 60 \
      -o "-c listen_addresses=127.0.0.1 -p $port -k $PG_DATA -c fsync=off -c max_connections=300" \
      start >/dev/null 2>&1; then
      PG_PORT=$port
      log "PostgreSQL $("$PG_BIN/postgres" --version | awk '{print $3}') started on 127.0.0.1:$PG_PORT ($PG_DATA)"
      return 0
    fi
    log "PostgreSQL did not start on port $port; trying the next one"
  done
  tail -n 20 "$PG_DATA/server.log" >&2 || true
  return 1
}

# Stops only the cluster of our own data dir, then removes it. Runs on every exit.
stop_cluster() {
  [[ -n $PG_WORK ]] || return 0
  if [[ -n $PG_BIN && -f $PG_DATA/postmaster.pid ]]; then
    as_postgres "$PG_BIN/pg_ctl" -D "$PG_DATA" -m fast -w -t 30 stop >/dev/null 2>&1 ||
      as_postgres "$PG_BIN/pg_ctl" -D "$PG_DATA" -m immediate -w stop >/dev/null 2>&1 || true
  fi
  rm -rf "$PG_WORK"
}

# Sets MONTU_TEST_POSTGRES to the server to test on; fails when there is none.
provide_postgres() {
  if [[ -n ${MONTU_TEST_POSTGRES:-} ]]; then
    log "Using the PostgreSQL server given in MONTU_TEST_POSTGRES"
    return 0
  fi
  [[ -z ${MONTU_TEST_NO_POSTGRES:-} ]] || return 1
  find_pg_bin || { install_postgres && find_pg_bin; } || return 1
  start_cluster || return 1
  MONTU_TEST_POSTGRES="Host=127.0.0.1;Port=$PG_PORT;Username=postgres;Database=postgres"
}

# Reads one attribute of the TRX <Counters> element (0 when absent).
trx_counter() {
  local value
  value=$(grep -o '<Counters [^>]*' "$1" | grep -o " $2=\"[0-9]*\"" | grep -o '[0-9]\+' || true)
  echo "${value:-0}"
}

# Runs the suite once and records its counts. A run that exits non-zero without a failed
# test (host crash, build problem, no results) counts as one failure, never as a pass.
run_suite() {
  local engine=$1 dir="$RESULTS_DIR/$1" status=0 trx
  shift
  rm -rf "$dir"
  log "Running the tests on $engine"
  "$@" dotnet test Montu.slnx --no-build --logger trx --results-directory "$dir" || status=$?

  local passed=0 failed=0 skipped=0 files=0
  for trx in "$dir"/*.trx; do
    [[ -f $trx ]] || continue
    files=$((files + 1))
    passed=$((passed + $(trx_counter "$trx" passed)))
    failed=$((failed + $(trx_counter "$trx" failed) + $(trx_counter "$trx" error) + $(trx_counter "$trx" timeout) + $(trx_counter "$trx" aborted)))
    # VSTest leaves notExecuted at 0 for skipped tests; they show as total minus executed.
    skipped=$((skipped + $(trx_counter "$trx" total) - $(trx_counter "$trx" executed)))
  done

  STATE[$engine]=ran
  if ((files == 0 || (status != 0 && failed == 0))); then
    STATE[$engine]="CRASHED (dotnet test exit code $status, $files result file(s))"
    failed=$((failed + 1))
  fi
  PASSED[$engine]=$passed FAILED[$engine]=$failed SKIPPED[$engine]=$skipped
}

counts() {
  local line="$1 passed, $2 failed"
  (($3 > 0)) && line+=", $3 skipped"
  echo "$line"
}

main() {
  trap stop_cluster EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM

  local engines=(sqlite) postgres_skipped=""
  if provide_postgres; then
    engines+=(postgresql)
  elif [[ ${CI:-} == true ]]; then
    echo "ERROR: PostgreSQL not available, and CI requires the PostgreSQL run (install postgresql 15 or set MONTU_TEST_POSTGRES)." >&2
    exit 1
  else
    postgres_skipped=yes
    warn "PostgreSQL not available: the PostgreSQL run was SKIPPED"
  fi

  log "Building"
  dotnet build Montu.slnx -warnaserror -nologo -v quiet || { echo "ERROR: the build failed" >&2; exit 1; }

  run_suite sqlite env -u MONTU_TEST_POSTGRES
  if [[ -z $postgres_skipped ]]; then
    run_suite postgresql env MONTU_TEST_POSTGRES="$MONTU_TEST_POSTGRES"
  fi

  local engine passed=0 failed=0 skipped=0
  echo
  for engine in "${engines[@]}"; do
    printf '%-11s %s' "$engine:" "$(counts "${PASSED[$engine]}" "${FAILED[$engine]}" "${SKIPPED[$engine]}")"
    [[ ${STATE[$engine]} == ran ]] && echo || echo "  -- ${STATE[$engine]}"
    passed=$((passed + PASSED[$engine])) failed=$((failed + FAILED[$engine])) skipped=$((skipped + SKIPPED[$engine]))
  done
  [[ -n $postgres_skipped ]] && echo "postgresql: SKIPPED (PostgreSQL not available)"
  counts "$passed" "$failed" "$skipped"
  ((failed == 0))
}

main "$@"
