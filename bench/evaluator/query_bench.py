#!/usr/bin/env python3
"""/api/v1/query_range of every query of the Grafana dashboard, ours vs Prometheus.

usage: query_bench.py DASHBOARD.json PROM_URL OURS_URL START END STEP RUNS JOB INSTANCE

Grafana's variables are expanded as a 24 h panel would send them: $__rate_interval and
$__interval -> 1m, $__range -> the whole range in seconds, $job / $instance -> the given
values, $queue -> .* (All). Each distinct query is first asked once of both servers and the
answers compared after JSON parsing (sample values are compared as printed); then it is
timed RUNS times on each server with curl (POST form, as Grafana sends it), alternating,
and the medians (and minimums, steadier on a loaded machine) are reported. Exit 1 when an answer differs.
"""
import json
import re
import statistics
import subprocess
import sys
import urllib.parse
import urllib.request


def dashboard_queries(path, job, instance, range_s):
    with open(path, encoding="utf-8") as f:
        dash = json.load(f)
    out = []
    for panel in dash["panels"]:
        for target in panel.get("targets", []):
            e = re.sub(r"\$__rate_interval|\$__interval", "1m", target["expr"])
            e = e.replace("$__range", f"{range_s}s")
            e = re.sub(r"\$\{?job\}?", job, e)
            e = re.sub(r"\$\{?instance\}?", instance, e)
            e = re.sub(r"\$\{?queue\}?", ".*", e)
            if e not in out:
                out.append(e)
    return out


def fetch(url, form):
    data = urllib.parse.urlencode(form).encode()
    with urllib.request.urlopen(f"{url}/api/v1/query_range", data=data, timeout=120) as r:
        return json.loads(r.read())


def curl_seconds(url, form):
    args = ["curl", "-s", "-o", "/dev/null", "-w", "%{time_total} %{http_code}", "--max-time", "120"]
    for k, v in form.items():
        args += ["--data-urlencode", f"{k}={v}"]
    out = subprocess.run(args + [f"{url}/api/v1/query_range"], capture_output=True, text=True,
                         check=True).stdout.split()
    if out[1] != "200":
        raise SystemExit(f"HTTP {out[1]} from {url} for {form['query']}")
    return float(out[0])


def main():
    dashboard, prom, ours, start, end, step, runs, job, instance = sys.argv[1:10]
    runs = int(runs)
    queries = dashboard_queries(dashboard, job, instance, int(float(end) - float(start)))
    print(f"{len(queries)} distinct queries, {start}..{end} step {step}s, median of {runs} (curl)")
    print(f"{'#':>2} {'prometheus ms':>13} {'ours ms':>8} {'ours/theirs':>11} {'(min)':>6} {'series':>6} {'points':>7}  query")
    differ, tp, to, tp_min, to_min = 0, 0.0, 0.0, 0.0, 0.0
    for i, q in enumerate(queries):
        form = {"query": q, "start": start, "end": end, "step": step}
        a, b = fetch(prom, form), fetch(ours, form)
        same = a == b
        if not same:
            differ += 1
            print(f"DIFF {q}\n  prometheus: {json.dumps(a)[:300]}\n  ours:       {json.dumps(b)[:300]}")
        theirs_t, ours_t = [], []
        for _ in range(runs):
            theirs_t.append(curl_seconds(prom, form))
            ours_t.append(curl_seconds(ours, form))
        mp, mo = statistics.median(theirs_t) * 1000, statistics.median(ours_t) * 1000
        tp, to = tp + mp, to + mo
        tp_min, to_min = tp_min + min(theirs_t) * 1000, to_min + min(ours_t) * 1000
        result = a.get("data", {}).get("result", [])
        points = sum(len(s.get("values", [])) for s in result)
        print(f"{i:2} {mp:13.2f} {mo:8.2f} {mo / mp:11.3f} {min(ours_t) / min(theirs_t):6.3f} {len(result):6} {points:7}  "
              f"{q[:90]}{'' if same else '  (DIFFERENT)'}")
    print(f"total of medians: prometheus {tp:.1f} ms, ours {to:.1f} ms, ours/theirs {to / tp:.3f} "
          f"(target <= 0.2); of minimums: {tp_min:.1f} / {to_min:.1f} ms, {to_min / tp_min:.3f}")
    print(f"{len(queries) - differ} of {len(queries)} answers identical")
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main())
