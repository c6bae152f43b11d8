#!/usr/bin/env bash
# The portal as the end-to-end tests see it: the embedded default with a fresh SQLite directory.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$PORTAL_ROOT"
data_dir="${PORTAL_E2E_DATA_DIR:?}"
rm -rf "$data_dir" && mkdir -p "$data_dir/sqlite"
export APP_CONFIG_backend_database_connection_directory="$data_dir/sqlite"
export APP_CONFIG_awsEnvironments_simulation_stateFile="$data_dir/aws-simulation.sqlite"
export APP_CONFIG_localGit_repositoriesDir="$data_dir/repositories"
# Playwright waits for the frontend (3000); the test waits for the backend's readiness.
exec yarn start
