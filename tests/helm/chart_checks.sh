#!/usr/bin/env bash
# Offline CI checks of helm/cerniq-exporter (shared/tools/README.md §4 recipe, per scenario).
# Usage: chart_checks.sh STEP WORK_DIR [EXPORTER_BINARY]
#   minihelm    build shared/tools/minihelm into WORK_DIR/../bin/minihelm (the other steps use it)
#   links       files/rules and files/dashboards are symlinks to rules/ and dashboards/ only
#   scenarios   every ci/*-values.yaml, with and without monitoring.coreos.com/v1: minihelm,
#               expected objects, container hardening and no plain-text credentials, yamllint,
#               validate-k8s.mjs, no unknown fields (strict_fields.py), promtool check rules, the
#               runbook base URL and the exporter's job filled in, rules equal to rules/*.yaml and
#               rules/tests passing against them (promtool test rules), dashboards equal to
#               dashboards/*.json + lint_dash.py, and the rendered exporter config accepted by
#               the exporter (EXPORTER_BINARY)
#   fixture     fixture rules/dashboard: Prometheus templating survives, disabledRules,
#               additionalRuleLabels, extra rules through tpl (promtool test rules), no
#               PrometheusRule without rules, a broken rule file named; misspelled fields
#               caught by strict_fields.py; NOTES.txt renders (and warns when a monitoring object
#               was requested without its API); serviceMonitor/podMonitor.apiVersion
#   schema      values.yaml and every scenario (merged) valid against values.schema.json;
#               bad types/enums rejected
#   required    missing required values make minihelm exit 1 with a clear message
#   lint        yamllint of Chart.yaml, values.yaml, ci/*.yaml; Chart.yaml fields
# Env CERNIQ_SHARED_DIR (else CERNIQ_SHARED_DIR_DEFAULT, set by CMake): the shared/ directory
# (tools read in place); exit 77 (skip) if absent.
set -euo pipefail
step="$1" work="$2" exporter="${3:-}"
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
chart="$root/helm/cerniq-exporter"
shared="${CERNIQ_SHARED_DIR:-${CERNIQ_SHARED_DIR_DEFAULT:-}}"
tools="$shared/tools"
node_dir="$here/node"
minihelm="$(dirname "$work")/bin/minihelm"
api=(--api-versions monitoring.coreos.com/v1)
yamllint_cfg='{extends: relaxed, rules: {line-length: disable, indentation: {spaces: consistent, indent-sequences: whatever}}}'

fail() { echo "FAIL: $*" >&2; exit 1; }
need_shared() {
  if [[ -z "$shared" || ! -f "$tools/minihelm/main.go" ]]; then
    echo "SKIPPED: shared tools not found at '$tools' (set CERNIQ_SHARED_DIR)"
    exit 77
  fi
}
need_minihelm() {
  [[ -x "$minihelm" ]] || fail "$minihelm missing: the helm_minihelm_build test builds it"
}
need_node() {
  [[ -d "$node_dir/node_modules/kubernetes-models" && -x "$node_dir/node_modules/.bin/ajv" ]] ||
    fail "npm modules missing in tests/helm/node: run scripts/install-deps.sh"
}
need_promtool() { command -v promtool >/dev/null || fail "promtool missing: run scripts/install-deps.sh"; }
validate() { K8S_MODELS_DIR="$node_dir" node "$tools/validate-k8s.mjs" "$@"; }
strict() { python3 "$here/strict_fields.py" "$node_dir/node_modules" "$@"; }
lint_yaml() { yamllint -f parsable -d "$yamllint_cfg" "$@"; }
ajv() { "$node_dir/node_modules/.bin/ajv" validate -s "$chart/values.schema.json" --strict=false --all-errors --errors=text "$@"; }
# kind:name of every rendered object, sorted, one line.
objects() { python3 - "$1" <<'EOF'
import sys, yaml
docs = [d for d in yaml.safe_load_all(open(sys.argv[1])) if d]
print(" ".join(sorted(f"{d['kind']}:{d['metadata']['name']}" for d in docs)))
EOF
}
# The source files the chart links to (tracked or not: the working tree is what renders).
have_rules() { compgen -G "$chart/files/rules/*.yaml" >/dev/null; }
have_dashboards() { compgen -G "$chart/files/dashboards/*.json" >/dev/null; }
# The files the chart mounts, made under DIR/mounted (a throwaway self-signed certificate).
make_redis_files() {
  local m="$1/mounted"
  mkdir -p "$m/secrets" "$m/redis-tls"
  printf 'pw' > "$m/secrets/redis-password"
  printf 'pw' > "$m/secrets/sentinel-password"
  openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=ci -keyout "$m/redis-tls/tls.key" \
    -out "$m/redis-tls/tls.crt" 2>/dev/null
  cp "$m/redis-tls/tls.crt" "$m/redis-tls/ca.crt"
}

mkdir -p "$work"
case "$step" in
minihelm)
  need_shared
  command -v go >/dev/null || fail "go missing: run scripts/install-deps.sh"
  mkdir -p "$(dirname "$minihelm")"
  GO111MODULE=off GOPATH=/usr/share/gocode GOCACHE="$(dirname "$work")/gocache" \
    go build -o "$minihelm.tmp" "$tools/minihelm/main.go"
  mv "$minihelm.tmp" "$minihelm"
  echo "built $minihelm"
  ;;

links)
  cd "$chart/files"
  for d in rules dashboards; do
    for f in "$d"/*; do
      [[ -e "$f" || -L "$f" ]] || continue
      [[ "$(basename "$f")" == .gitkeep ]] && continue
      [[ -L "$f" ]] || fail "helm/cerniq-exporter/files/$f is a copy, not a symlink: the one source is $d/ (helm/link-sources.sh)"
      [[ "$(readlink "$f")" == "../../../../$d/$(basename "$f")" ]] ||
        fail "files/$f links to $(readlink "$f"), not ../../../../$d/$(basename "$f")"
      [[ -e "$f" ]] || fail "files/$f is a dangling link (its source was removed): run helm/link-sources.sh"
    done
  done
  cd "$root"
  # Every committed source file is shipped by the chart.
  missing=0
  while IFS= read -r src; do
    [[ -n "$src" ]] || continue
    if [[ ! -L "$chart/files/$src" ]]; then
      echo "FAIL: $src has no link in helm/cerniq-exporter/files/ (run helm/link-sources.sh and commit)" >&2
      missing=1
    fi
  done < <(git -C "$root" ls-files -- 'rules/*.yaml' 'dashboards/*.json' | grep -E '^(rules/[^/]+\.yaml|dashboards/[^/]+\.json)$' || true)
  ((missing == 0)) || exit 1
  for src in "$root"/rules/*.yaml "$root"/dashboards/*.json; do
    [[ -f "$src" ]] || continue
    rel="${src#"$root"/}"
    [[ -L "$chart/files/$rel" ]] || echo "note: $rel (not committed yet) is not linked into the chart"
  done
  shopt -s nullglob
  linked=("$chart"/files/rules/*.yaml "$chart"/files/dashboards/*.json)
  echo "chart sources: ${linked[*]#"$chart/files/"}"
  ;;

scenarios)
  need_shared; need_minihelm; need_node; need_promtool
  [[ -x "$exporter" ]] || fail "exporter binary '$exporter' missing"
  have_rules || echo "note: no rule files linked yet: no PrometheusRule expected"
  have_dashboards || echo "note: no dashboard linked yet: no dashboard ConfigMap expected"
  n=0
  for values in "$chart"/ci/*-values.yaml; do
    name="$(basename "$values" -values.yaml)"
    expect="$(sed -n 's/^# expect: //p' "$values")"
    [[ -n "$expect" ]] || fail "$values has no '# expect:' line"
    for mode in operator plain; do
      out="$work/$name-$mode"
      rm -rf "$out" && mkdir -p "$out"
      args=(r1 "$chart" -n monitoring -f "$values")
      [[ $mode == operator ]] && args+=("${api[@]}")
      "$minihelm" "${args[@]}" > "$out/rendered.yaml" 2> "$out/minihelm.err" ||
        fail "$name ($mode): minihelm: $(cat "$out/minihelm.err")"
      # Expected objects: the '# expect:' line; without the operator API no ServiceMonitor or
      # PrometheusRule; without linked rule files / dashboards none of those either.
      want="$(tr ' ' '\n' <<<"$expect" | grep -v '^$' |
        { if [[ $mode == plain ]]; then grep -vE '^(ServiceMonitor|PodMonitor|PrometheusRule):'; else cat; fi; } |
        { if have_rules; then cat; else grep -v '^PrometheusRule:'; fi; } |
        { if have_dashboards; then cat; else grep -v -- '-dashboards$'; fi; } | sort | tr '\n' ' ')"
      got="$(objects "$out/rendered.yaml" | tr ' ' '\n' | sort | tr '\n' ' ')"
      [[ "$got" == "$want" ]] || fail "$name ($mode): objects
  got:  $got
  want: $want"
      lint_yaml "$out/rendered.yaml" || fail "$name ($mode): yamllint"
      # Hardening and credential handling of the exporter container.
      python3 - "$out/rendered.yaml" "$values" <<'EOF' || fail "$name ($mode): Deployment policy"
import sys, yaml
docs = [d for d in yaml.safe_load_all(open(sys.argv[1])) if d]
values = yaml.safe_load(open(sys.argv[2])) or {}
pod = next(d for d in docs if d["kind"] == "Deployment")["spec"]["template"]["spec"]
c = next(c for c in pod["containers"] if c["name"] == "exporter")
psc, sc = pod.get("securityContext", {}), c.get("securityContext", {})
problems = []
def want(cond, what):
    if not cond:
        problems.append(what)
want(psc.get("runAsNonRoot") is True, "pod runAsNonRoot")
want(psc.get("seccompProfile", {}).get("type") == "RuntimeDefault", "pod seccompProfile RuntimeDefault")
want(sc.get("readOnlyRootFilesystem") is True, "readOnlyRootFilesystem")
want(sc.get("allowPrivilegeEscalation") is False, "allowPrivilegeEscalation false")
want(sc.get("capabilities", {}).get("drop") == ["ALL"], "capabilities drop ALL")
want(pod.get("automountServiceAccountToken") is False, "no service-account token")
# The web config (--web.config.file): TLS makes the probes HTTPS; with basic auth the readiness
# probe uses /-/healthy (kubelet sends no credentials; /health and /-/healthy stay open).
web = values.get("webConfig") or {}
content = web.get("content") or {}
web_on = bool(content or web.get("existingSecret"))
tls = web_on and (web["tls"] if isinstance(web.get("tls"), bool) else bool(content.get("tls_server_config")))
auth = web_on and (web["basicAuth"] if isinstance(web.get("basicAuth"), bool) else bool(content.get("basic_auth_users")))
want(c["livenessProbe"]["httpGet"]["path"] == "/health", "liveness /health")
want(c["readinessProbe"]["httpGet"]["path"] == ("/-/healthy" if auth else "/-/ready"),
     "readiness /-/ready (/-/healthy with basic auth)")
for probe in ("livenessProbe", "readinessProbe"):
    want(c[probe]["httpGet"].get("scheme", "HTTP") == ("HTTPS" if tls else "HTTP"), f"{probe} scheme")
web_args = [a for a in c["args"] if a.startswith("--web.config.file=")]
want(len(web_args) == (1 if web_on else 0), "--web.config.file exactly when webConfig is set")
mounted = {m["mountPath"] for m in c.get("volumeMounts", [])}
for a in web_args:
    want(a.split("=", 1)[1].rsplit("/", 1)[0] in mounted, "web config file mounted")
for d in docs:
    if d["kind"] == "Secret" and d["metadata"]["name"].endswith("-web-config"):
        import base64
        users = (yaml.safe_load(base64.b64decode(d["data"]["web-config.yml"])) or {}).get("basic_auth_users") or {}
        want(all(str(h).startswith("$2") for h in users.values()), "web config holds bcrypt hashes only")
for d in docs:
    if d["kind"] in ("ServiceMonitor", "PodMonitor"):
        ep = (d["spec"].get("endpoints") or d["spec"].get("podMetricsEndpoints"))[0]
        want(ep["scheme"] == ("https" if tls else "http") or (d["kind"] == "ServiceMonitor" and (values.get("serviceMonitor") or {}).get("scheme")) or (d["kind"] == "PodMonitor" and (values.get("podMonitor") or {}).get("scheme")),
             f"{d['kind']} scheme follows the web config's TLS")
        want(not auth or "basicAuth" in ep, f"{d['kind']} basicAuth set when the exporter requires it")
port = c["ports"][0]["containerPort"]
want(f"--web.listen-address=:{port}" in c["args"], "listen address = containerPort")
env = {e["name"]: e for e in c.get("env", [])}
secrets = [values.get(s, {}).get(k) for s, k in (("redis", "password"), ("postgres", "password"), ("postgres", "dsn"))]
secrets.append(((values.get("redis") or {}).get("sentinel") or {}).get("password"))
for e in env.values():
    want(not any(s and s in str(e.get("value", "")) for s in secrets), f"env {e['name']} carries a credential in plain text")
if "CERNIQ_POSTGRES_DSN" in env:
    want("secretKeyRef" in env["CERNIQ_POSTGRES_DSN"].get("valueFrom", {}), "DSN through secretKeyRef")
mounts = {m["mountPath"] for m in c.get("volumeMounts", [])}
for var in ("CERNIQ_REDIS_PASSWORD_FILE", "CERNIQ_POSTGRES_PASSWORD_FILE"):
    if var in env and env[var]["value"].startswith("/etc/cerniq-exporter/secrets/"):
        want("/etc/cerniq-exporter/secrets" in mounts, f"{var} file mounted")
# Redis modes: the flags/config name files mounted read-only from the Secrets the values name.
redis = values.get("redis") or {}
mode, tls_v, sent_v = redis.get("mode", "standalone"), redis.get("tls") or {}, redis.get("sentinel") or {}
want(("--redis.cluster" in c["args"]) == (mode == "cluster"), "--redis.cluster exactly in mode cluster")
want(("CERNIQ_REDIS_URL" in env) == (mode != "sentinel"), "CERNIQ_REDIS_URL except in mode sentinel")
if "CERNIQ_REDIS_URL" in env:
    want(env["CERNIQ_REDIS_URL"]["value"].startswith("rediss://") == bool(tls_v.get("enabled")), "rediss:// exactly with redis.tls.enabled")
ro = {m["mountPath"]: m for m in c.get("volumeMounts", []) if m.get("readOnly") is True}
vols = {v["name"]: v for v in pod.get("volumes", [])}
def mounted_from(path, secret, key):
    d, f = path.rsplit("/", 1)
    m = ro.get(d)
    if not m:
        return False
    v = vols[m["name"]]
    srcs = [v["secret"] | {"name": v["secret"]["secretName"]}] if "secret" in v else [s["secret"] for s in v.get("projected", {}).get("sources", []) if "secret" in s]
    return any(s["name"] == secret and {"key": key, "path": f} in s.get("items", []) for s in srcs)
tls_args = {a.split("=", 1)[0]: a.split("=", 1)[1] for a in c["args"] if a.startswith("--redis.tls.") and "=" in a}
if tls_v.get("enabled") and tls_v.get("existingSecret"):
    for flag, key, default in (("ca-file", "caKey", "ca.crt"), ("cert-file", "certKey", "tls.crt"), ("key-file", "keyKey", "tls.key")):
        k = tls_v.get(key, default)
        if k:
            path = tls_args.get("--redis.tls." + flag, "")
            want(mounted_from(path, tls_v["existingSecret"], k), f"--redis.tls.{flag} names {tls_v['existingSecret']}[{k}] mounted read-only")
        else:
            want("--redis.tls." + flag not in tls_args, f"no --redis.tls.{flag} without {key}")
else:
    want(not any(a.endswith("-file") for a in tls_args), "no --redis.tls.*-file without redis.tls.existingSecret")
want(tls_args.get("--redis.tls.server-name", "") == (tls_v.get("serverName", "") if tls_v.get("enabled") else ""), "--redis.tls.server-name")
cm = next((d for d in docs if d["kind"] == "ConfigMap" and "config.yml" in d.get("data", {})), None)
cfg_redis = ((yaml.safe_load(cm["data"]["config.yml"]) or {}).get("redis") or {}) if cm else {}
sentinel = cfg_redis.get("sentinel")
if mode == "sentinel":
    want(sentinel and sentinel.get("addresses") == sent_v.get("addresses") and sentinel.get("master") == sent_v.get("masterName")
         and sentinel.get("db", 0) == sent_v.get("db", 0), "config redis.sentinel from redis.sentinel values")
    want(bool((sentinel or {}).get("tls")) == bool(tls_v.get("enabled")), "redis.sentinel.tls exactly with redis.tls.enabled")
    pf = (sentinel or {}).get("password_file")
    if sent_v.get("existingSecret"):
        want(pf and mounted_from(pf, sent_v["existingSecret"], sent_v.get("passwordKey", "sentinel-password")),
             "redis.sentinel.password_file names the Sentinel Secret mounted read-only")
    elif sent_v.get("password"):
        # The chart's own Secret (named as the Deployment) holds it under sentinel-password.
        import base64
        own = next(d for d in docs if d["kind"] == "Deployment")["metadata"]["name"]
        held = next((d for d in docs if d["kind"] == "Secret" and d["metadata"]["name"] == own), {}).get("data", {})
        want(base64.b64decode(held.get("sentinel-password", "")).decode() == str(sent_v["password"]),
             "the chart's Secret holds redis.sentinel.password as sentinel-password")
        want(pf and mounted_from(pf, own, "sentinel-password"),
             "redis.sentinel.password_file names the chart's Secret mounted read-only")
    else:
        want(not pf, "no redis.sentinel.password_file without a Sentinel password")
else:
    want(not sentinel, "no redis.sentinel in the config outside mode sentinel")
if redis.get("existingSecret"):
    pw = env.get("CERNIQ_REDIS_PASSWORD_FILE", {}).get("value", "")
    want(pw and mounted_from(pw, redis["existingSecret"], redis.get("existingSecretPasswordKey", "redis-password")),
         "CERNIQ_REDIS_PASSWORD_FILE names the Redis Secret mounted read-only, in every mode")
if problems:
    print("\n".join("  " + p for p in problems))
    sys.exit(1)
EOF
      validate --write-rules "$out/rules" --write-dashboards "$out/dashboards" "$out/rendered.yaml" \
        > "$out/validate.log" || { cat "$out/validate.log"; fail "$name ($mode): validate-k8s.mjs"; }
      strict "$out/rendered.yaml" > "$out/strict.log" || { cat "$out/strict.log"; fail "$name ($mode): unknown fields"; }
      if compgen -G "$out/rules/*.rules.yaml" >/dev/null; then
        promtool check rules "$out"/rules/*.rules.yaml > "$out/promtool.log" 2>&1 ||
          { cat "$out/promtool.log"; fail "$name ($mode): promtool check rules"; }
        # The two placeholders are filled in: every runbook_url starts with the scenario's
        # prometheusRule.runbookBaseUrl, and the exporter's job is the one the rendered
        # ServiceMonitor/PodMonitor produces (the Prometheus Operator's job labelling).
        python3 - "$out/rendered.yaml" "$values" "$chart/values.yaml" "$out"/rules/*.rules.yaml \
          "$out/rules-placeholders.yaml" <<'EOF' || fail "$name ($mode): runbook base URL or exporter job not filled in"
import sys, yaml
docs = [d for d in yaml.safe_load_all(open(sys.argv[1])) if d]
values, defaults = (yaml.safe_load(open(f)) or {} for f in sys.argv[2:4])
rules_file, out = sys.argv[4], sys.argv[5]
base = ((values.get("prometheusRule") or {}).get("runbookBaseUrl")
        or defaults["prometheusRule"]["runbookBaseUrl"]).rstrip("/") + "/"
kind = {d["kind"]: d for d in docs}
job = (values.get("prometheusRule") or {}).get("exporterJob") or "cerniq-exporter"
if "PodMonitor" in kind:
    pm = kind["PodMonitor"]
    labels = next(d for d in docs if d["kind"] == "Deployment")["spec"]["template"]["metadata"]["labels"]
    job = labels.get(pm["spec"].get("jobLabel", ""), f'{pm["metadata"]["namespace"]}/{pm["metadata"]["name"]}')
elif "ServiceMonitor" in kind:
    job = kind["Service"]["metadata"]["labels"].get(kind["ServiceMonitor"]["spec"].get("jobLabel", ""),
                                                     kind["Service"]["metadata"]["name"])
text = open(rules_file).read()
problems = []
groups = yaml.safe_load(text)["groups"]
alerts = {r["alert"]: r for g in groups for r in g["rules"] if "alert" in r}
want = {"CerniqExporterDown": f'up{{job="{job}"}} == 0', "CerniqExporterAbsent": f'absent(up{{job="{job}"}})'}
for name, expr in want.items():
    if name in alerts and alerts[name]["expr"] != expr:
        problems.append(f'{name}: expr {alerts[name]["expr"]!r}, want {expr!r}')
for name, r in alerts.items():
    url = r.get("annotations", {}).get("runbook_url", "")
    if url and not url.startswith(base + "etapa5-runbook.md#"):
        problems.append(f"{name}: runbook_url {url} does not start with {base}")
print("\n".join(problems) or f"exporter job {job}, runbook base {base}")
# Back to the rule files' placeholders, for the comparison with rules/ and rules/tests.
text = text.replace(f'job="{job}"', 'job="cerniq-exporter"').replace(base, "https://runbooks.example.com/cerniq/")
open(out, "w").write(text)
sys.exit(1 if problems else 0)
EOF
        # Unmodified scenarios ship exactly the groups of rules/*.yaml (same data, any key order).
        if ! grep -qE '^ *(disabledRules|additionalRuleLabels|rules):' <(sed -n '/^prometheusRule:/,/^[^ #]/p' "$values"); then
          python3 - "$out/rules-placeholders.yaml" "$chart"/files/rules/*.yaml <<'EOF' || fail "$name ($mode): PrometheusRule groups differ from rules/*.yaml"
import sys, yaml
rendered = yaml.safe_load(open(sys.argv[1]))["groups"]
source = [g for f in sys.argv[2:] for g in yaml.safe_load(open(f))["groups"]]
if rendered != source:
    names = lambda gs: [(g["name"], len(g.get("rules", []))) for g in gs]
    print("rendered:", names(rendered), "\nsource:  ", names(source))
    sys.exit(1)
EOF
          # The repository's rule unit tests pass against the rendered PrometheusRule spec.
          if compgen -G "$root/rules/tests/*.yaml" >/dev/null; then
            mkdir -p "$out/rules-tests"
            for t in "$root"/rules/tests/*.yaml; do
              python3 - "$t" "$out/rules-tests/$(basename "$t")" "$out/rules-placeholders.yaml" <<'EOF'
import sys, yaml
doc = yaml.safe_load(open(sys.argv[1]))
doc["rule_files"] = [sys.argv[3]]
yaml.safe_dump(doc, open(sys.argv[2], "w"), sort_keys=False, allow_unicode=True)
EOF
            done
            promtool test rules "$out"/rules-tests/*.yaml > "$out/promtool-test.log" 2>&1 ||
              { cat "$out/promtool-test.log"; fail "$name ($mode): rules/tests fail against the rendered PrometheusRule"; }
          fi
        fi
      fi
      if compgen -G "$out/dashboards/*.json" >/dev/null; then
        for d in "$out"/dashboards/*.json; do
          src="$chart/files/dashboards/$(basename "$d")"
          cmp -s "$d" "$src" || fail "$name ($mode): dashboard $(basename "$d") differs from dashboards/$(basename "$d")"
        done
        python3 "$tools/lint_dash.py" "$out"/dashboards/*.json > "$out/lint_dash.log" 2>&1 ||
          { cat "$out/lint_dash.log"; fail "$name ($mode): lint_dash.py"; }
      fi
      n=$((n + 1))
    done
    # The exporter accepts the rendered config and Redis flags (strict loader: unknown keys exit
    # 1; TLS and password files are read at start), with the mounted files made locally.
    make_redis_files "$out"
    python3 - "$out/rendered.yaml" "$out/config.yml" "$out" > "$out/redis-args" <<'EOF'
import sys, yaml
cms = [d for d in yaml.safe_load_all(open(sys.argv[1])) if d and d["kind"] == "ConfigMap"]
dep = next(d for d in yaml.safe_load_all(open(sys.argv[1])) if d and d["kind"] == "Deployment")
arg = next(a for a in dep["spec"]["template"]["spec"]["containers"][0]["args"] if a.startswith("--config.file="))
key = arg.rsplit("/", 1)[1]
cm_name = next(v["configMap"]["name"] for v in dep["spec"]["template"]["spec"]["volumes"] if v["name"] == "config")
cm = next(c for c in cms if c["metadata"]["name"] == cm_name)
out = sys.argv[3]
local = lambda t: t.replace("/etc/cerniq-exporter/", out + "/mounted/")
open(sys.argv[2], "w").write(local(cm["data"][key]))
c = dep["spec"]["template"]["spec"]["containers"][0]
env = {e["name"]: e.get("value", "") for e in c.get("env", [])}
for a in c["args"]:
    if a.startswith("--redis."):
        print(local(a))
if "CERNIQ_REDIS_URL" in env:  # an address nothing listens on, with the rendered scheme
    print("--redis.url=" + ("rediss" if env["CERNIQ_REDIS_URL"].startswith("rediss:") else "redis") + "://127.0.0.1:1/0")
EOF
    mapfile -t redis_args < "$out/redis-args"
    port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
    "$exporter" --config.file="$out/config.yml" --web.listen-address="127.0.0.1:$port" \
      "${redis_args[@]}" > "$out/exporter.log" 2>&1 &
    pid=$!
    ok=0
    for _ in $(seq 50); do
      kill -0 "$pid" 2>/dev/null || break
      if curl -fs "http://127.0.0.1:$port/health" >/dev/null 2>&1; then ok=1; break; fi
      sleep 0.1
    done
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    ((ok)) || { cat "$out/exporter.log"; fail "$name: the exporter does not start with the rendered config"; }
  done
  scen=("$chart"/ci/*-values.yaml)
  echo "$n renders of ${#scen[@]} scenarios passed"
  ;;

fixture)
  need_shared; need_minihelm; need_node; need_promtool
  copy="$work/chart"
  rm -rf "$work" && mkdir -p "$work"
  cp -rL "$chart" "$copy"
  rm -rf "$copy/files/rules" "$copy/files/dashboards"
  mkdir -p "$copy/files/rules" "$copy/files/dashboards"
  cp "$here/fixtures/rules/"*.yaml "$copy/files/rules/"
  cp "$shared/reference/grafana-dashboard-skeleton.json" "$copy/files/dashboards/skeleton.json"
  "$minihelm" r1 "$copy" -n monitoring -f "$here/fixtures/fixture-values.yaml" "${api[@]}" > "$work/rendered.yaml"
  lint_yaml "$work/rendered.yaml"
  validate --write-rules "$work/rules" --write-dashboards "$work/dashboards" "$work/rendered.yaml"
  strict "$work/rendered.yaml"
  # A misspelled field passes validate-k8s.mjs (its schemas allow extra properties); strict_fields.py names it.
  "$minihelm" r1 "$copy" -n monitoring -f "$here/fixtures/fixture-values.yaml" "${api[@]}" \
    --set securityContext.readOnlyRootFileSystem=true,serviceMonitor.tlsConfig.insecureSkipVerfy=true > "$work/typo.yaml"
  validate "$work/typo.yaml" > /dev/null || fail "validate-k8s.mjs now rejects unknown fields: strict_fields.py may go"
  if strict "$work/typo.yaml" > "$work/typo.log"; then fail "strict_fields.py missed misspelled fields"; fi
  grep -q 'securityContext.readOnlyRootFileSystem: unknown field' "$work/typo.log" || fail "typo not named: $(cat "$work/typo.log")"
  grep -q 'tlsConfig.insecureSkipVerfy: unknown field' "$work/typo.log" || fail "typo not named: $(cat "$work/typo.log")"
  promtool check rules "$work/rules/r1-cerniq-exporter.rules.yaml"
  ! grep -q FixtureDisabled "$work/rules/r1-cerniq-exporter.rules.yaml" || fail "disabledRules: FixtureDisabled still rendered"
  cp "$here/fixtures/fixture-rules_test.yaml" "$work/rules/"
  promtool test rules "$work/rules/fixture-rules_test.yaml"
  cmp "$work/dashboards/skeleton.json" "$shared/reference/grafana-dashboard-skeleton.json"
  python3 "$tools/lint_dash.py" "$work/dashboards/skeleton.json"
  grep -q 'grafana_dashboard: "1"' "$work/rendered.yaml" || fail "dashboard ConfigMap lacks grafana_dashboard: \"1\""
  # No rule file and no extra rule: no PrometheusRule at all (an empty groups list is invalid).
  rm -f "$copy/files/rules/"*.yaml
  "$minihelm" r1 "$copy" -n monitoring --set postgres.dsn=x "${api[@]}" > "$work/norules.yaml"
  ! grep -q '^kind: PrometheusRule' "$work/norules.yaml" || fail "PrometheusRule rendered with no rules"
  # A broken rule file fails the render with its path.
  printf 'groups: [\n' > "$copy/files/rules/broken.yaml"
  if "$minihelm" r1 "$copy" --set postgres.dsn=x "${api[@]}" > /dev/null 2> "$work/broken.err"; then
    fail "a broken rule file rendered"
  fi
  grep -q 'files/rules/broken.yaml' "$work/broken.err" || fail "broken rule file error lacks its path: $(cat "$work/broken.err")"
  # NOTES.txt (minihelm skips it, Helm prints it): rendered through tpl in a scratch template.
  rm -f "$copy/files/rules/broken.yaml"
  cp "$chart/templates/NOTES.txt" "$copy/files/NOTES.txt"
  printf '%s\n' 'apiVersion: v1' 'kind: ConfigMap' 'metadata: {name: notes}' 'data:' \
    '  NOTES.txt: {{ tpl (.Files.Get "files/NOTES.txt") . | quote }}' > "$copy/templates/zz-notes.yaml"
  notes() { # NAME EXPECTED-TEXT MINIHELM-ARGS...
    local name="$1" want="$2"
    shift 2
    "$minihelm" r1 "$copy" -n monitoring "$@" > "$work/notes-$name.yaml"
    python3 -c 'import sys, yaml; print([d for d in yaml.safe_load_all(open(sys.argv[1])) if d and d["metadata"]["name"] == "notes"][0]["data"]["NOTES.txt"])' \
      "$work/notes-$name.yaml" > "$work/NOTES-$name.txt"
    grep -qF "$want" "$work/NOTES-$name.txt" || { cat "$work/NOTES-$name.txt"; fail "NOTES.txt ($name) lacks '$want'"; }
  }
  notes operator 'ServiceMonitor: r1-cerniq-exporter (labels: {"release":"kube-prometheus-stack"})' \
    -f "$here/fixtures/fixture-values.yaml" --set serviceMonitor.labels.release=kube-prometheus-stack "${api[@]}"
  notes plain "WARNING: serviceMonitor.enabled=true, but this cluster does not serve monitoring.coreos.com/v1 (the Prometheus Operator's CRDs are missing): NO ServiceMonitor was created." --set postgres.dsn=x
  notes plain-rule "WARNING: prometheusRule.enabled=true, but this cluster does not serve monitoring.coreos.com/v1 (the Prometheus Operator's CRDs are missing): NO PrometheusRule was created." --set postgres.dsn=x
  notes podmonitor 'PodMonitor: r1-cerniq-exporter (labels: {"release":"kube-prometheus-stack"})' \
    --set postgres.dsn=x,serviceMonitor.enabled=false,podMonitor.enabled=true,podMonitor.labels.release=kube-prometheus-stack "${api[@]}"
  grep -qF 'CerniqExporterDown/CerniqExporterAbsent watch scrape job "monitoring/r1-cerniq-exporter"' "$work/NOTES-podmonitor.txt" ||
    fail "NOTES.txt (podmonitor) lacks the exporter job: $(cat "$work/NOTES-podmonitor.txt")"
  grep -qF 'runbook_url links point at the placeholder' "$work/NOTES-podmonitor.txt" || fail "NOTES.txt lacks the runbook placeholder note"
  notes podmonitor-plain "WARNING: podMonitor.enabled=true, but this cluster does not serve monitoring.coreos.com/v1 (the Prometheus Operator's CRDs are missing): NO PodMonitor was created." \
    --set postgres.dsn=x,serviceMonitor.enabled=false,podMonitor.enabled=true
  # serviceMonitor.apiVersion / podMonitor.apiVersion: rendered when the cluster serves that group
  # (e.g. Azure Monitor's azmonitoring.coreos.com/v1), not on monitoring.coreos.com/v1 alone.
  for m in serviceMonitor:ServiceMonitor podMonitor:PodMonitor; do
    key="${m%%:*}" kind="${m#*:}"
    sets="postgres.dsn=x,$key.apiVersion=azmonitoring.coreos.com/v1"
    [[ $key == podMonitor ]] && sets+=",serviceMonitor.enabled=false,podMonitor.enabled=true"
    "$minihelm" r1 "$copy" -n monitoring --set "$sets" --api-versions azmonitoring.coreos.com/v1 > "$work/az-$key.yaml"
    python3 -c 'import sys, yaml; sys.exit(0 if any(d and d["kind"] == sys.argv[2] and d["apiVersion"] == "azmonitoring.coreos.com/v1" for d in yaml.safe_load_all(open(sys.argv[1]))) else 1)' \
      "$work/az-$key.yaml" "$kind" || fail "$key.apiVersion: no $kind with apiVersion azmonitoring.coreos.com/v1"
    "$minihelm" r1 "$copy" -n monitoring --set "$sets" "${api[@]}" > "$work/az-$key-missing.yaml"
    ! grep -q "^kind: $kind" "$work/az-$key-missing.yaml" || fail "$key.apiVersion: $kind rendered without its API"
  done
  notes redis-only "PostgreSQL collectors are OFF" --set postgres.enabled=false
  # The Redis mode in use, without the URL's credentials.
  notes redis-standalone 'Redis mode: standalone, redis://redis-master:6379/0.' --set postgres.dsn=x
  notes redis-cluster 'Redis mode: cluster (--redis.cluster), seed node rediss://r:6379/0 over TLS.' \
    --set postgres.dsn=x,redis.mode=cluster,redis.url=rediss://app:pw0rd@r:6379/0,redis.tls.enabled=true
  ! grep -q pw0rd "$work/NOTES-redis-cluster.txt" || fail "NOTES.txt shows the Redis URL's password"
  printf '%s\n' 'redis: {mode: sentinel, tls: {enabled: true}, sentinel: {masterName: m, db: 2, password: p,' \
    '  addresses: ["s1:26379", "s2:26379"]}}' 'postgres: {dsn: x}' > "$work/sentinel-tls.yaml"
  notes redis-sentinel 'Redis mode: sentinel. Master "m" (db 2) as named by the Sentinels s1:26379, s2:26379; Sentinels and master over TLS.' \
    -f "$work/sentinel-tls.yaml"
  grep -qF "The Sentinels' password: Secret r1-cerniq-exporter, key sentinel-password" "$work/NOTES-redis-sentinel.txt" ||
    fail "NOTES.txt (sentinel) does not say where the Sentinels' password comes from: $(cat "$work/NOTES-redis-sentinel.txt")"
  cat "$work/NOTES-operator.txt"
  echo "fixture: escaping, filtering, labels, extra rules, dashboard delivery, NOTES.txt: ok"
  ;;

schema)
  need_node
  ajv -d "$chart/values.yaml"
  for values in "$chart"/ci/*-values.yaml; do
    node "$here/merge-values.mjs" "$chart/values.yaml" "$values" > "$work/$(basename "$values" .yaml).json"
    ajv -d "$work/$(basename "$values" .yaml).json"
  done
  # Bad types and values are rejected.
  i=0
  while IFS='|' read -r override why; do
    [[ -n "$override" ]] || continue
    i=$((i + 1))
    printf '%s\n' "$override" > "$work/bad-$i.yaml"
    node "$here/merge-values.mjs" "$chart/values.yaml" "$work/bad-$i.yaml" > "$work/bad-$i.json"
    if ajv -d "$work/bad-$i.json" > "$work/bad-$i.log" 2>&1; then
      fail "schema accepted $override ($why)"
    fi
    echo "rejected ($why): $(grep -v -e '^$' -e ' invalid$' "$work/bad-$i.log" | head -1)"
  done <<'EOF'
replicaCount: two|replicaCount is an integer
service: {port: "9755"}|service.port is an integer
config: {logLevel: verbose}|config.logLevel enum
config: {logFormat: text}|config.logFormat enum
redis: {url: "127.0.0.1:6379"}|redis.url needs a scheme
postgres: {enabled: "yes"}|postgres.enabled is a boolean
serviceMonitor: {interval: 30}|serviceMonitor.interval is a duration string
image: {pullPolicy: Sometimes}|image.pullPolicy enum
prometheusRule: {rules: [{expr: up == 0}]}|a rule needs alert or record
config: {file: {redis: {}, bogus: {}}}|unknown exporter config section
servicemonitor: {enabled: true}|unknown top-level key (typo)
podMonitor: {interval: 30}|podMonitor.interval is a duration string
podMonitor: {targetLabels: [a]}|podMonitor has podTargetLabels, not targetLabels
serviceMonitor: {apiVersion: v1}|serviceMonitor.apiVersion is group/version
prometheusRule: {runbookBaseUrl: runbooks/cerniq}|prometheusRule.runbookBaseUrl is an http(s) URL
prometheusRule: {exporterJob: 'a"b'}|prometheusRule.exporterJob cannot hold a double quote
redis: {mode: replica}|redis.mode enum
redis: {mode: sentinel, sentinel: {masterName: mymaster}}|sentinel without addresses
redis: {mode: sentinel, sentinel: {addresses: ["s:26379"]}}|sentinel without masterName
redis: {mode: sentinel, sentinel: {addresses: [sentinel-0], masterName: m}}|a Sentinel address needs its port
redis: {sentinel: {password: 5}}|redis.sentinel.password is a string
redis: {tls: {enabled: true}}|redis.tls.enabled needs a rediss:// url
redis: {url: "rediss://r:6379/0"}|a rediss:// url needs redis.tls.enabled
redis: {tls: {certKey: ""}}|redis.tls.certKey and keyKey go together
redis: {tls: {enabled: "yes"}}|redis.tls.enabled is a boolean
redis: {sentinel: {existingSecret: s, passwordKey: ""}}|redis.sentinel.existingSecret needs passwordKey
redis: {sentinel: {db: -1}}|redis.sentinel.db >= 0
EOF
  scen=("$chart"/ci/*-values.yaml)
  echo "schema: values.yaml and ${#scen[@]} scenarios valid; $i bad values rejected"
  ;;

required)
  need_shared; need_minihelm
  i=0
  while IFS='|' read -r sets message cluster; do  # cluster "operator": with monitoring.coreos.com/v1
    [[ -n "$sets" ]] || continue
    i=$((i + 1))
    args=(r1 "$chart")
    [[ "$sets" == - ]] || args+=(--set "$sets")
    [[ "$cluster" != operator ]] || args+=("${api[@]}")
    set +e
    "$minihelm" "${args[@]}" > /dev/null 2> "$work/req-$i.err"
    rc=$?
    set -e
    [[ $rc == 1 ]] || fail "--set $sets: minihelm exit $rc, want 1"
    grep -qF "$message" "$work/req-$i.err" || fail "--set $sets: want '$message', got: $(cat "$work/req-$i.err")"
    echo "exit 1 ($sets): $message"
  done <<'EOF'
-|postgres.dsn is required when postgres.enabled is true and postgres.existingSecret is empty
postgres.dsn=x,redis.url=|redis.url is required
postgres.enabled=false,redis.existingSecret=s,redis.existingSecretPasswordKey=|redis.existingSecretPasswordKey is required when redis.existingSecret is set
postgres.existingSecret=pg,postgres.existingSecretDsnKey=|postgres.existingSecretDsnKey is required when postgres.existingSecret is set
postgres.enabled=false,podMonitor.enabled=true|serviceMonitor.enabled and podMonitor.enabled are alternatives
postgres.enabled=false,serviceMonitor.enabled=false,podMonitor.enabled=true,podMonitor.jobLabel=team|prometheusRule.exporterJob is required: podMonitor.jobLabel "team" is not a pod label the chart sets|operator
postgres.enabled=false,serviceMonitor.jobLabel=team|prometheusRule.exporterJob is required: serviceMonitor.jobLabel "team" is not a Service label the chart sets|operator
postgres.enabled=false,redis.mode=sentinel,redis.sentinel.masterName=m|redis.sentinel.addresses is required when redis.mode is sentinel
postgres.enabled=false,redis.mode=replica|redis.mode "replica": one of standalone, sentinel, cluster
postgres.enabled=false,redis.tls.enabled=true|redis.tls.enabled needs a rediss:// redis.url
postgres.enabled=false,redis.url=rediss://r:6379/0|redis.url is rediss://: set redis.tls.enabled=true
postgres.enabled=false,redis.url=rediss://r:6379/0,redis.tls.enabled=true,redis.tls.existingSecret=t,redis.tls.keyKey=|redis.tls.certKey and redis.tls.keyKey go together
postgres.enabled=false,redis.mode=sentinel,redis.sentinel.masterName=m,redis.sentinel.addresses={s:26379},config.existingConfigMap=c|with config.existingConfigMap put redis.sentinel in that config yourself
EOF
  # Valid combinations of modes render.
  "$minihelm" r1 "$chart" --set postgres.enabled=false,redis.mode=sentinel,redis.sentinel.masterName=m,redis.sentinel.addresses={s:26379} > /dev/null ||
    fail "mode sentinel without a Sentinel password does not render"
  "$minihelm" r1 "$chart" --set postgres.enabled=false,redis.mode=sentinel,redis.sentinel.masterName=m,redis.sentinel.addresses={s:26379},redis.tls.enabled=true,redis.sentinel.password=p > /dev/null ||
    fail "mode sentinel over TLS with the Sentinel password in values does not render"
  "$minihelm" r1 "$chart" --set postgres.enabled=false > /dev/null || fail "postgres.enabled=false needs no DSN"
  echo "required: $i missing values rejected with their message"
  ;;

lint)
  lint_yaml "$chart/Chart.yaml" "$chart/values.yaml" "$chart"/ci/*.yaml "$here"/fixtures/*.yaml "$here"/fixtures/rules/*.yaml
  echo "yamllint: ok"
  # Chart.yaml as Helm and chart-testing expect it; appVersion = the CMake project version.
  python3 - "$chart" "$root/CMakeLists.txt" <<'EOF'
import os, re, sys, yaml
chart = yaml.safe_load(open(os.path.join(sys.argv[1], "Chart.yaml")))
project = re.search(r"project\(\s*\w+\s+VERSION\s+([0-9.]+)", open(sys.argv[2]).read()).group(1)
semver = r"(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?"
checks = {
    "apiVersion v2": chart.get("apiVersion") == "v2",
    "type application": chart.get("type") == "application",
    "name is the directory name": chart.get("name") == os.path.basename(os.path.normpath(sys.argv[1])),
    "version is SemVer": bool(re.fullmatch(semver, str(chart.get("version", "")))),
    "appVersion is a string": isinstance(chart.get("appVersion"), str),
    f"appVersion == CMake project version {project}": chart.get("appVersion") == project,
    "description, keywords, maintainers": all(chart.get(k) for k in ("description", "keywords", "maintainers")),
}
bad = [k for k, v in checks.items() if not v]
for k in checks:
    print(("FAIL " if k in bad else "ok   ") + "Chart.yaml: " + k)
sys.exit(1 if bad else 0)
EOF
  ;;

*) echo "unknown step $step" >&2; exit 2 ;;
esac
