#!/usr/bin/env bash
# Runs the benchmark harness: Release builds, wrk, a throwaway PostgreSQL, then every scenario on
# SQLite and PostgreSQL at 10k and 100k tasks; with --uploads, the upload measurements instead (SQLite
# only unless --engines says otherwise); with --realtime, the WebSocket channels; with --export, the
# CSV export against paging the task list; with --import, the CSV import against the seeder's bulk
# insert; with --notify, status PATCHes that notify against ones with nobody to notify; with
# --analytics, project analytics against project stats; with --board, the Kanban board against the task
# list and board moves against PATCHes. Arguments go to the harness (--quick, --uploads, --realtime,
# --export, --import, --notify, --analytics, --board, --engines, --sizes, --connections).
# Results: bench/results/<time>[-uploads|-realtime|-export|-import|-notify|-analytics|-board][-quick].md,
# also printed.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1
# shellcheck source=../scripts/throwaway-postgres.sh
source scripts/throwaway-postgres.sh

if ! command -v wrk >/dev/null; then
  log "Installing wrk from apt"
  apt-get install -y -q --no-install-recommends wrk >&2 || { apt-get update -q >&2 && apt-get install -y -q --no-install-recommends wrk >&2; }
fi

(($(nproc) >= 2)) || warn "Fewer than 2 cores: server and load generator will share one, ratios are still comparable within the run"

log "Building Release"
dotnet build src/Montu.Server -c Release -warnaserror -nologo -v quiet
dotnet build bench/Montu.Bench -c Release -warnaserror -nologo -v quiet

trap stop_cluster EXIT
postgres=()
# --uploads measures SQLite alone unless --engines names PostgreSQL too.
if [[ " $* " != *" --engines sqlite "* && (" $* " != *" --uploads "* || " $* " == *" --engines "*) ]]; then
  start_throwaway_postgres || { echo "ERROR: PostgreSQL is needed for the postgres scenarios (or pass --engines sqlite)" >&2; exit 1; }
  if (($(nproc) >= 2)); then
    # Core 0 is the server's alone; PostgreSQL shares core 1 with wrk (bench/README.md). Backends
    # forked later inherit the postmaster's affinity.
    postmaster=$(head -1 "$PG_DATA/postmaster.pid")
    for pid in "$postmaster" $(pgrep -P "$postmaster"); do taskset -p -c 1 "$pid" >/dev/null; done
  fi
  postgres=(--postgres "$PG_CONNECTION")
fi

dotnet bench/Montu.Bench/bin/Release/net10.0/Montu.Bench.dll \
  --server src/Montu.Server/bin/Release/net10.0/Montu.Server.dll "${postgres[@]}" "$@"
