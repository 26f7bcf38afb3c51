#!/usr/bin/env bash
# Runs every test: builds once, then runs the whole suite on SQLite and on a throwaway
# PostgreSQL cluster, collecting line and branch coverage of src/, and prints what was skipped
# and why, the coverage merged over both engines, and "N passed, N failed" (summed) last.
# Both runs share one throwaway S3-protocol server (s3rver), on which the storage tests run
# once more, as on the local directory. ffmpeg and ffprobe (media processing) are installed from
# apt when missing, and so is promtool (Debian's prometheus package), which checks the alert rules
# in deploy/prometheus before anything is built.
#
# Environment:
#   CI=true                   PostgreSQL and the S3 server are required; without them the script fails.
#   MONTU_TEST_POSTGRES=...   use this existing server instead of starting a cluster.
#   MONTU_TEST_NO_POSTGRES=1  act as if PostgreSQL were not installed (to try the skip path).
#   MONTU_TEST_S3=http://...  use this existing S3-compatible server (credentials S3RVER/S3RVER).
#   MONTU_TEST_NO_S3=1        act as if node and npm were not installed: the S3 tests show as skipped.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")"
export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

RESULTS_DIR="$PWD/TestResults"
# shellcheck source=scripts/throwaway-postgres.sh
source scripts/throwaway-postgres.sh
# shellcheck source=scripts/throwaway-s3.sh
source scripts/throwaway-s3.sh

declare -A PASSED FAILED SKIPPED STATE WHY_SKIPPED

# Sets MONTU_TEST_POSTGRES to the server to test on; fails when there is none.
provide_postgres() {
  if [[ -n ${MONTU_TEST_POSTGRES:-} ]]; then
    log "Using the PostgreSQL server given in MONTU_TEST_POSTGRES"
    return 0
  fi
  [[ -z ${MONTU_TEST_NO_POSTGRES:-} ]] || return 1
  start_throwaway_postgres || return 1
  MONTU_TEST_POSTGRES=$PG_CONNECTION
}

# Sets MONTU_TEST_S3 to the S3 server to test on; fails when there is none.
provide_s3() {
  if [[ -n ${MONTU_TEST_S3:-} ]]; then
    log "Using the S3 server given in MONTU_TEST_S3"
    return 0
  fi
  [[ -z ${MONTU_TEST_NO_S3:-} ]] || return 1
  start_throwaway_s3 || return 1
  MONTU_TEST_S3=$S3_URL
}

# Media processing runs ffmpeg and ffprobe, and its tests make their files with them.
provide_ffmpeg() {
  command -v ffmpeg >/dev/null && command -v ffprobe >/dev/null && return 0
  apt_install ffmpeg && command -v ffmpeg >/dev/null
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
  "$@" dotnet test Montu.slnx --no-build --logger trx --results-directory "$dir" \
    --collect "XPlat Code Coverage" --settings tests/coverage.runsettings || status=$?

  local passed=0 failed=0 skipped=0 files=0
  for trx in "$dir"/*.trx; do
    [[ -f $trx ]] || continue
    files=$((files + 1))
    passed=$((passed + $(trx_counter "$trx" passed)))
    failed=$((failed + $(trx_counter "$trx" failed) + $(trx_counter "$trx" error) + $(trx_counter "$trx" timeout) + $(trx_counter "$trx" aborted)))
    # VSTest leaves notExecuted at 0 for skipped tests; they show as total minus executed.
    skipped=$((skipped + $(trx_counter "$trx" total) - $(trx_counter "$trx" executed)))
  done

  WHY_SKIPPED[$engine]=$(skip_reasons "$dir")
  STATE[$engine]=ran
  if ((files == 0 || (status != 0 && failed == 0))); then
    STATE[$engine]="CRASHED (dotnet test exit code $status, $files result file(s))"
    failed=$((failed + 1))
  fi
  PASSED[$engine]=$passed FAILED[$engine]=$failed SKIPPED[$engine]=$skipped
}

# "4 × PostgreSQL only: ..." per distinct reason of the tests a run skipped (from its TRX files).
skip_reasons() {
  local trx
  for trx in "$1"/*.trx; do
    [[ -f $trx ]] || continue
    awk '/outcome="NotExecuted"/ { skipped = 1 } skipped && /<Message>/ { sub(/.*<Message>/, ""); sub(/<\/Message>.*/, ""); print; skipped = 0 }' "$trx"
  done | sort | uniq -c | awk '{ count = $1; $1 = ""; printf "%s%s ×%s", (NR > 1 ? "; " : ""), count, $0 }'
}

# Line and branch coverage of src/, merged over every run's cobertura file by ReportGenerator.
coverage() {
  local reports=("$RESULTS_DIR"/*/*/coverage.cobertura.xml) summary="$RESULTS_DIR/coverage/Summary.txt"
  [[ -f ${reports[0]} ]] || { echo "no coverage collected"; return; }
  dotnet tool restore >/dev/null
  dotnet reportgenerator "-reports:$(IFS=';'; echo "${reports[*]}")" "-targetdir:$RESULTS_DIR/coverage" \
    -reporttypes:TextSummary -verbosity:Warning >/dev/null
  echo "$(grep -m1 'Line coverage:' "$summary" | awk '{print $3}') of lines, $(grep -m1 'Branch coverage:' "$summary" | awk '{print $3}') of branches"
}

counts() {
  local line="$1 passed, $2 failed"
  (($3 > 0)) && line+=", $3 skipped"
  echo "$line"
}

main() {
  trap 'stop_cluster; stop_s3' EXIT
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

  local s3_skipped=""
  if provide_s3; then
    export MONTU_TEST_S3
  elif [[ ${CI:-} == true ]]; then
    echo "ERROR: no S3 test server, and CI requires the storage tests on S3 (install nodejs and npm for s3rver, or set MONTU_TEST_S3)." >&2
    exit 1
  else
    s3_skipped=yes
    unset MONTU_TEST_S3
    warn "No S3 test server (s3rver needs node and npm): the storage tests on S3 are SKIPPED"
  fi

  if ! provide_ffmpeg; then
    echo "ERROR: ffmpeg is missing and could not be installed (apt-get install ffmpeg, as root or with passwordless sudo)." >&2
    exit 1
  fi

  scripts/check-alert-rules.sh || { echo "ERROR: deploy/prometheus/alerts.yml does not pass promtool check rules" >&2; exit 1; }

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
    [[ -n ${WHY_SKIPPED[$engine]} ]] && printf ' (%s)' "${WHY_SKIPPED[$engine]}"
    [[ ${STATE[$engine]} == ran ]] && echo || echo "  -- ${STATE[$engine]}"
    passed=$((passed + PASSED[$engine])) failed=$((failed + FAILED[$engine])) skipped=$((skipped + SKIPPED[$engine]))
  done
  [[ -n $postgres_skipped ]] && echo "postgresql: SKIPPED (PostgreSQL not available)"
  [[ -n $s3_skipped ]] && echo "s3:         SKIPPED (no S3 test server: its storage tests are counted as skipped above)"
  local names
  names=$(printf '%s and ' "${engines[@]}")
  echo "coverage of src/ over ${names% and }: $(coverage)"
  counts "$passed" "$failed" "$skipped"
  ((failed == 0))
}

main "$@"
