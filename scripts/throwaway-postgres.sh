#!/usr/bin/env bash
# A throwaway PostgreSQL cluster on a free loopback port, for test.sh and bench/run.sh.
# Source it, call start_throwaway_postgres (sets PG_PORT and PG_CONNECTION), and make sure
# stop_cluster runs on exit (trap stop_cluster EXIT). It stops only the cluster it started.

FIRST_PORT=${FIRST_PORT:-55432}
LAST_PORT=${LAST_PORT:-55531}
PG_BIN=""
PG_WORK=""   # our temp dir; PG_DATA lives inside it
PG_DATA=""
PG_PORT=""

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

# Installs Debian packages as root, or with passwordless sudo; fails without either.
apt_install() {
  local sudo=()
  if ! is_root; then
    if command -v sudo >/dev/null && sudo -n true 2>/dev/null; then sudo=(sudo -n); else return 1; fi
  fi
  log "Installing $* from apt"
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -q >&2 &&
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "$@" >&2
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

# Installs PostgreSQL when missing (and possible), starts a cluster, sets PG_CONNECTION.
start_throwaway_postgres() {
  find_pg_bin || { apt_install postgresql && find_pg_bin; } || return 1
  start_cluster || return 1
  PG_CONNECTION="Host=127.0.0.1;Port=$PG_PORT;Username=postgres;Database=postgres"
}
