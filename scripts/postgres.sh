# shellcheck shell=bash
# Sourced: starts a throw-away PostgreSQL server on 127.0.0.1 for the tests that run against PostgreSQL, and stops
# it when the calling script exits. Exports PORTAL_TEST_PG_URL.

portal_start_test_postgres() {
  local bindir port dir owner
  bindir="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)"
  [ -n "$bindir" ] || { portal_log "PostgreSQL not found; PostgreSQL tests will be skipped"; return 1; }
  port="${PORTAL_TEST_PG_PORT:-54329}"
  dir="$(mktemp -d /tmp/portal-pg.XXXXXX)"
  owner="$(id -un)"
  if [ "$(id -u)" = "0" ]; then
    owner=postgres
    id postgres >/dev/null 2>&1 || useradd --system --no-create-home postgres
    chown "$owner" "$dir"
  fi
  local as=()
  [ "$owner" != "$(id -un)" ] && as=(runuser -u "$owner" --)
  "${as[@]}" "$bindir/initdb" -D "$dir/data" -U postgres --auth=trust -E UTF8 >/dev/null
  "${as[@]}" "$bindir/pg_ctl" -D "$dir/data" -l "$dir/log" -w \
    -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c max_connections=300 -c fsync=off" start >/dev/null \
    || { cat "$dir/log" >&2; portal_die "PostgreSQL did not start"; }
  PORTAL_TEST_PG_DIR="$dir"
  PORTAL_TEST_PG_URL="postgresql://postgres@127.0.0.1:$port"
  PORTAL_TEST_PG_MAJOR="$("$bindir/postgres" --version | awk '{print $3}' | cut -d. -f1)"
  export PORTAL_TEST_PG_URL PORTAL_TEST_PG_MAJOR
  PORTAL_TEST_PG_STOP=("${as[@]}" "$bindir/pg_ctl" -D "$dir/data" -m immediate stop)
  portal_log "PostgreSQL $("$bindir/postgres" --version | awk '{print $3}') on 127.0.0.1:$port"
}

portal_stop_test_postgres() {
  if [ -n "${PORTAL_TEST_PG_DIR:-}" ]; then
    "${PORTAL_TEST_PG_STOP[@]}" >/dev/null 2>&1 || true
    rm -rf "$PORTAL_TEST_PG_DIR"
    PORTAL_TEST_PG_DIR=
  fi
}
