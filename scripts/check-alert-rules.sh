#!/usr/bin/env bash
# Checks deploy/prometheus/alerts.yml with promtool (from Debian's prometheus package, installed
# from apt when missing) and fails on any error. test.sh runs it before the suites.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
# shellcheck source=throwaway-postgres.sh
source scripts/throwaway-postgres.sh

if ! command -v promtool >/dev/null; then
  apt_install prometheus || true
  command -v promtool >/dev/null || { echo "ERROR: promtool is missing and could not be installed (apt-get install prometheus, as root or with passwordless sudo)." >&2; exit 1; }
fi

log "Checking deploy/prometheus/alerts.yml with promtool"
promtool check rules deploy/prometheus/alerts.yml
