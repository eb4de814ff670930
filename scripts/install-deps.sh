#!/usr/bin/env bash
# Installs every Debian package and npm module the build, the demo and the tests need.
# Idempotent: skips apt when everything is already there (a second run costs ~1 s).
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"

packages=(
  build-essential cmake pkg-config git clang libclang-rt-14-dev clang-format
  prometheus-cpp-dev libboost-dev libssl-dev zlib1g-dev libcrypt-dev libhiredis-dev libpq-dev libyaml-cpp-dev libyaml-dev
  libgtest-dev libgmock-dev libbenchmark-dev libre2-dev nlohmann-json3-dev libcli11-dev
  libcurl4-openssl-dev libxxhash-dev
  redis-server redis-sentinel postgresql postgresql-contrib
  prometheus prometheus-alertmanager prometheus-redis-exporter prometheus-sql-exporter prometheus-node-exporter
  nodejs npm curl jq wrk procps python3
  golang-go golang-github-masterminds-sprig-dev golang-k8s-sigs-yaml-dev yamllint
)

missing=()
for p in "${packages[@]}"; do
  # nodejs/npm may come from outside Debian on the project machines: accept a working binary.
  case "$p" in
    nodejs) command -v node >/dev/null && continue ;;
    npm) command -v npm >/dev/null && continue ;;
  esac
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "install-deps: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  # Package scripts must not start system services (we start our own on loopback).
  if [[ ! -e /usr/sbin/policy-rc.d ]]; then
    printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d
    trap 'rm -f /usr/sbin/policy-rc.d' EXIT
  fi
  apt-get update -q
  apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

# Real BullMQ, both supported major versions, each in its own folder (never committed).
for v in 5 6; do
  dir="$here/tests/bullmq/v$v"
  if [[ ! -d "$dir/node_modules/bullmq" ]]; then
    (cd "$dir" && npm install --no-audit --no-fund --loglevel=error)
  fi
done

# Chart checks (tests/helm: validate-k8s.mjs's schemas, yaml, ajv-cli) and dashboard checks
# (tests/dashboards: @grafana/schema, typescript), pinned in each node/package.json (never
# committed: node_modules/ is ignored, .npmrc has no lock).
for node_dir in "$here/tests/helm/node" "$here/tests/dashboards/node"; do
  if [[ -f "$node_dir/package.json" ]] && ! node -e '
    const p = require(process.argv[1] + "/package.json");
    for (const [n, v] of Object.entries(p.dependencies))
      if (require(process.argv[1] + "/node_modules/" + n + "/package.json").version !== v) process.exit(1);
  ' "$node_dir" 2>/dev/null; then
    (cd "$node_dir" && npm install --no-audit --no-fund --loglevel=error)
  fi
done
