#!/usr/bin/env bash
# System packages the test suite needs: Debian's Chromium for the end-to-end tests, PostgreSQL and Redis servers
# for the tests that run against them, Python with Flask for the Flask API template's generated tests, and git. Installs them with apt when missing and running as root; otherwise says how.
set -euo pipefail

missing=()
command -v chromium >/dev/null 2>&1 || [ -x "${CHROMIUM_PATH:-/usr/bin/chromium}" ] || missing+=(chromium)
compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null || missing+=(postgresql)
command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
# The Flask API template's generated project is tested with Debian's Python and these libraries.
/usr/bin/python3 -c 'import flask, psycopg2, pytest, boto3' >/dev/null 2>&1 \
  || missing+=(python3 python3-flask python3-psycopg2 python3-pytest python3-boto3)
command -v git >/dev/null 2>&1 || missing+=(git)

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "[portal] Installing system packages: ${missing[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  # The Debian packages start their services; the tests start their own on loopback, so stop the system ones.
  if command -v service >/dev/null 2>&1; then
    service postgresql stop >/dev/null 2>&1 || true
    service redis-server stop >/dev/null 2>&1 || true
  fi
else
  echo "[portal] Missing system packages: ${missing[*]}." >&2
  echo "[portal] Install them, e.g. 'sudo apt-get install chromium postgresql redis-server'," >&2
  echo "[portal] or set CHROMIUM_PATH to a Chromium binary for the end-to-end tests." >&2
  exit 1
fi
