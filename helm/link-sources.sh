#!/usr/bin/env bash
# Links the chart's files/rules/ and files/dashboards/ to the repository's rules/*.yaml and
# dashboards/*.json: one symlink per file, so the chart ships exactly those files (Helm reads
# only files inside the chart; `helm package` follows the links and packs the content).
# Per-file links, not a directory link: minihelm (filepath.Walk) cannot walk a symlinked
# directory. Removes links whose target is gone. Idempotent.
# Usage: helm/link-sources.sh            tests/helm checks the links (helm_chart_sources_linked).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
chart="$root/helm/cerniq-exporter"
link_dir() { # SRC_DIR PATTERN DEST_DIR
  local src="$1" pattern="$2" dest="$chart/files/$1"
  mkdir -p "$dest"
  for l in "$dest"/*; do
    [[ -L "$l" && ! -e "$l" ]] && { rm -f "$l"; echo "removed dangling link ${l#"$root"/}"; }
  done
  for f in "$root/$src"/$pattern; do
    [[ -f "$f" ]] || continue
    local name; name="$(basename "$f")"
    local target="../../../../$src/$name"
    if [[ "$(readlink "$dest/$name" 2>/dev/null)" != "$target" ]]; then
      ln -sfn "$target" "$dest/$name"
      echo "linked helm/cerniq-exporter/files/$src/$name -> $target"
    fi
  done
}
link_dir rules '*.yaml'
link_dir dashboards '*.json'
