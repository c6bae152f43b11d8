#!/usr/bin/env bash
# The multi-replica test: two backend processes on ports 7101 and 7102 sharing one PostgreSQL, one Redis and one
# simulated AWS organization, all on loopback. Uses PORTAL_TEST_PG_URL when set (scripts/test starts PostgreSQL),
# otherwise starts a throw-away PostgreSQL itself. Extra arguments go to Jest (e.g. --json --outputFile=...).
# Logs of every process land in test-results/replicas/.
set -uo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../env.sh"
source "$PORTAL_ROOT/scripts/postgres.sh"
cd "$PORTAL_ROOT"

command -v redis-server >/dev/null || portal_die "redis-server is missing: run scripts/system-deps.sh"
if [ -z "${PORTAL_TEST_PG_URL:-}" ]; then
  trap portal_stop_test_postgres EXIT
  PORTAL_TEST_PG_PORT="${PORTAL_TEST_PG_PORT:-54339}" portal_start_test_postgres || portal_die "PostgreSQL is missing: run scripts/system-deps.sh"
fi
CI=true node node_modules/.bin/jest --config scripts/replicas/jest.config.js "$@"
