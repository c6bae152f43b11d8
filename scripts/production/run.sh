#!/usr/bin/env bash
# Production smoke test: builds the backend image's contents on the host exactly as packages/backend/Dockerfile
# does (no Docker needed), starts them with app-config.production.yaml on PostgreSQL and Redis, and signs in
# through a fake GitHub in Chromium. Everything listens on loopback; logs and reports land in
# test-results/production/ (Playwright's JSON report: results.json; figures: metrics.json).
#
# Uses PORTAL_TEST_PG_URL when set (scripts/test starts PostgreSQL), otherwise starts a throw-away PostgreSQL.
# PORTAL_KEEP_PRODUCTION_DIR=1 keeps the assembled app directory for a look afterwards. Extra arguments go to
# Playwright (e.g. -g 'sign-in page').
set -uo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../env.sh"
source "$PORTAL_ROOT/scripts/postgres.sh"
cd "$PORTAL_ROOT"

command -v redis-server >/dev/null || portal_die "redis-server is missing: run scripts/system-deps.sh"
portal_install

here="$PORTAL_ROOT/scripts/production"
results="$PORTAL_ROOT/test-results/production"
rm -rf "$results" && mkdir -p "$results"
# Outside the checkout on purpose: Node must not find the workspace's node_modules above the app directory, or a
# dependency missing from the production install would go unnoticed.
app_dir="$(mktemp -d /tmp/portal-production.XXXXXX)"
pids=()

backend_pid=
# Kubernetes sends SIGTERM and waits terminationGracePeriodSeconds (90 s in the chart) before SIGKILL: report how
# long the backend takes to exit, up to that.
stop_backend() {
  [ -n "$backend_pid" ] && kill -TERM "$backend_pid" 2>/dev/null || return 0
  local start=$SECONDS
  while kill -0 "$backend_pid" 2>/dev/null && [ $((SECONDS - start)) -lt 90 ]; do sleep 0.5; done
  if kill -0 "$backend_pid" 2>/dev/null; then
    kill -KILL "$backend_pid" 2>/dev/null
    shutdown_s="over 90 (killed)"
  else
    shutdown_s="$((SECONDS - start))"
  fi
  portal_log "Backend stop: ${shutdown_s} s after SIGTERM"
  wait "$backend_pid" 2>/dev/null
  backend_pid=
}

stop_all() {
  local pid i
  stop_backend
  for ((i = ${#pids[@]} - 1; i >= 0; i--)); do
    pid="${pids[$i]}"
    kill -TERM "$pid" 2>/dev/null || continue
    for _ in $(seq 1 30); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    kill -KILL "$pid" 2>/dev/null || true
  done
  pids=()
  portal_stop_test_postgres
  if [ -z "${PORTAL_KEEP_PRODUCTION_DIR:-}" ]; then rm -rf "$app_dir"; else portal_log "App directory kept: $app_dir"; fi
}
trap stop_all EXIT

free_port() {
  node -e "const s=require('net').createServer();s.listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})"
}

# Runs a step, its output in $results/<log>.log, and stores its duration in seconds in the variable named $1.
timed() {
  local var="$1" log="$2"; shift 2
  local start=$SECONDS
  portal_log "$*"
  if ! "$@" >"$results/$log.log" 2>&1; then
    tail -n 40 "$results/$log.log" >&2
    portal_die "Failed: $* (log: test-results/production/$log.log)"
  fi
  printf -v "$var" '%s' "$((SECONDS - start))"
}

# 1. The image's contents, in the Dockerfile's order. The build is always fresh: it is what is under test. No
# `yarn tsc` first: CI runs it as a type check, but the backend build does not use its declarations (the CLI builds
# the backend's workspace dependencies without type output), and the suite's type check stage covers it.
timed build_s build yarn build:backend
tar tzf packages/backend/dist/bundle.tar.gz >"$results/bundle-files.txt"
grep -qx 'packages/app/dist/index.html' "$results/bundle-files.txt" \
  || portal_die "The backend bundle has no frontend (packages/app/dist/index.html): app-backend would serve nothing"

assemble_dependencies() {
  mkdir -p "$app_dir/.yarn"
  cp -r .yarn/releases "$app_dir/.yarn/releases"
  cp .yarnrc.yml backstage.json yarn.lock package.json "$app_dir/"
  tar xzf packages/backend/dist/skeleton.tar.gz -C "$app_dir"
  # As in the image: the copied release (.yarnrc.yml's yarnPath) and lockfile, no install scripts.
  (cd "$app_dir" && YARN_ENABLE_SCRIPTS=false YARN_ENABLE_TELEMETRY=false yarn workspaces focus --all --production)
}
timed install_s install assemble_dependencies

assemble_app() {
  tar xzf packages/backend/dist/bundle.tar.gz -C "$app_dir"
  cp app-config.production.yaml catalog-info.yaml "$app_dir/"
  cp -r catalog templates "$app_dir/"
}
timed unpack_s unpack assemble_app
app_size="$(du -sh "$app_dir" | cut -f1)"
node_modules_size="$(du -sh "$app_dir/node_modules" | cut -f1)"

# 2. What production runs on: PostgreSQL, Redis, GitHub (fake) and the backend from the assembled directory.
if [ -z "${PORTAL_TEST_PG_URL:-}" ]; then
  PORTAL_TEST_PG_PORT="${PORTAL_TEST_PG_PORT:-54349}" portal_start_test_postgres \
    || portal_die "PostgreSQL is missing: run scripts/system-deps.sh"
fi
# The production file names the server by host, port, user and password.
while IFS='=' read -r key value; do
  export "$key=$value"
done < <(node -e '
  const u = new URL(process.argv[1]);
  console.log(`POSTGRES_HOST=${u.hostname}`);
  console.log(`POSTGRES_PORT=${u.port || 5432}`);
  console.log(`POSTGRES_USER=${decodeURIComponent(u.username) || "postgres"}`);
  console.log(`POSTGRES_PASSWORD=${decodeURIComponent(u.password) || "unused-with-trust-auth"}`);
' "$PORTAL_TEST_PG_URL")

redis_port="$(free_port)"
redis-server --port "$redis_port" --bind 127.0.0.1 --save '' --appendonly no >"$results/redis.log" 2>&1 &
pids+=($!)

export AUTH_GITHUB_CLIENT_ID="production-test-client"
AUTH_GITHUB_CLIENT_SECRET="$(node -p 'require("crypto").randomBytes(20).toString("hex")')"
export AUTH_GITHUB_CLIENT_SECRET
github_port="$(free_port)"
FAKE_GITHUB_PORT="$github_port" node "$here/fakeGitHub.mjs" >"$results/fake-github.log" 2>&1 &
pids+=($!)

backend_port="$(free_port)"
run_id="$(node -p 'Date.now().toString(36)')"
export PRODUCTION_TEST_PORT="$backend_port"
export PRODUCTION_TEST_DB_PREFIX="prodtest_${run_id}_"
export PRODUCTION_TEST_GITHUB_URL="http://127.0.0.1:$github_port"
export PORTAL_BASE_URL="http://127.0.0.1:$backend_port"
export REDIS_URL="redis://127.0.0.1:$redis_port"
export GITHUB_TOKEN="unused-by-the-smoke-test"
# The simulated organization's accounts (app-config.production.yaml lists the accounts through these).
export AWS_SHARED_ACCOUNT_ID=111111111111 AWS_DEV_ACCOUNT_ID=222222222222 AWS_PROD_ACCOUNT_ID=333333333333
export AWS_PORTAL_EXTERNAL_ID="unused-in-simulated-mode"
# The image's environment (Dockerfile ENV).
export NODE_ENV=production NODE_OPTIONS="--no-node-snapshot" FORCE_COLOR=0

export PRODUCTION_APP_DIR="$app_dir"
export PRODUCTION_TEST_CONFIG="$here/app-config.test.yaml"
export PRODUCTION_BACKEND_LOG="$results/backend.log"
export PRODUCTION_GITHUB_URL="$PRODUCTION_TEST_GITHUB_URL"

portal_log "Backend on $PORTAL_BASE_URL (app $app_dir), PostgreSQL $POSTGRES_HOST:$POSTGRES_PORT, Redis $REDIS_URL, fake GitHub $PRODUCTION_TEST_GITHUB_URL"
start=$SECONDS
(cd "$app_dir" && exec node packages/backend --config app-config.production.yaml --config "$PRODUCTION_TEST_CONFIG") \
  >"$PRODUCTION_BACKEND_LOG" 2>&1 &
backend_pid=$!
ready=
while [ $((SECONDS - start)) -lt 300 ]; do
  if ! kill -0 "$backend_pid" 2>/dev/null; then
    tail -n 40 "$PRODUCTION_BACKEND_LOG" >&2
    portal_die "The production backend exited during start-up (log: test-results/production/backend.log)"
  fi
  if curl -sf -o /dev/null "$PORTAL_BASE_URL/.backstage/health/v1/readiness"; then ready=1; break; fi
  sleep 0.5
done
[ -n "$ready" ] || portal_die "The production backend was not ready within 300 s (log: test-results/production/backend.log)"
ready_s=$((SECONDS - start))
# The tests judge start-up by the log lines written until readiness.
PRODUCTION_BACKEND_LOG_LINES_AT_READY="$(wc -l <"$PRODUCTION_BACKEND_LOG")"
export PRODUCTION_BACKEND_LOG_LINES_AT_READY

# 3 and 4. The browser checks and the guard's refusals.
export PLAYWRIGHT_URL="$PORTAL_BASE_URL"
node node_modules/.bin/playwright test --config "$here/playwright.config.ts" "$@"
status=$?
shutdown_s=
stop_backend

node -e '
  const fs = require("fs");
  const [file, ...figures] = process.argv.slice(1);
  const [build, install, unpack, ready, shutdown, appSize, nodeModulesSize] = figures;
  const metrics = {
    buildBackendSeconds: +build, productionInstallSeconds: +install, unpackSeconds: +unpack,
    startToReadinessSeconds: +ready, sigtermToExitSeconds: Number.isNaN(+shutdown) ? shutdown : +shutdown, appDirSize: appSize, nodeModulesSize,
  };
  fs.writeFileSync(file, JSON.stringify(metrics, null, 2) + "\n");
' "$results/metrics.json" "$build_s" "$install_s" "$unpack_s" "$ready_s" "$shutdown_s" "$app_size" "$node_modules_size"
portal_log "Build: yarn build:backend ${build_s} s; production install ${install_s} s; unpack ${unpack_s} s; start to readiness ${ready_s} s; SIGTERM to exit ${shutdown_s} s; app directory ${app_size} (node_modules ${node_modules_size})"
node -e '
  try {
    const { stats } = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
    console.log(`Production smoke test: ${stats.expected + stats.flaky} passed, ${stats.unexpected} failed${stats.skipped ? `, ${stats.skipped} skipped` : ""}`);
  } catch {
    console.log("Production smoke test: no report");
  }
' "$results/results.json"
exit "$status"
