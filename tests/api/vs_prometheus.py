#!/usr/bin/env python3
"""/api/v1 of cerniq against a real Prometheus 2.42 holding the same samples.

usage: vs_prometheus.py API_REPLAY DASHBOARD.json RULES_DIR

api_replay writes a few hours of samples for the catalogue's metrics as OpenMetrics;
`promtool tsdb create-blocks-from openmetrics` loads them into a Prometheus started on
loopback, and api_replay answers the same requests from a MemoryStorage. Every dashboard query
(Grafana variables substituted) and every rule expression is asked instant (two times) and range,
plus series / labels / label values and error cases. Status and JSON must be equal after parsing,
with lists in the order Prometheus returns them. Exit 77 without prometheus or promtool.
"""
import glob
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request

START = 1767225600  # api_replay's first sample
END = START + 4 * 3600 - 15
DEADLINE = time.monotonic() + 100


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def dashboard_exprs(path):
    with open(path, encoding="utf-8") as f:
        dash = json.load(f)
    for p in dash["panels"]:
        for t in p.get("targets", []):
            expr = re.sub(r"\$__rate_interval|\$__interval", "1m", t["expr"])
            yield re.sub(r"\$\{?(job|queue)\}?", ".*", expr)


def rule_exprs(rules_dir):
    import yaml
    for path in sorted(glob.glob(os.path.join(rules_dir, "*.yaml"))):
        with open(path, encoding="utf-8") as f:
            for g in (yaml.safe_load(f) or {}).get("groups", []):
                for r in g["rules"]:
                    yield str(r["expr"])


def requests(dashboard, rules_dir):
    exprs = list(dict.fromkeys(list(dashboard_exprs(dashboard)) + list(rule_exprs(rules_dir))))
    out = []
    for e in exprs:
        for t in (START + 7200.123, END, END + 200):
            out.append(("/query", {"query": e, "time": t}))
        out.append(("/query_range", {"query": e, "start": START + 1800, "end": END, "step": 60}))
        out.append(("/query_range", {"query": e, "start": START + 3600, "end": START + 5400.5, "step": "15s"}))
    rng = {"start": START, "end": END}
    out += [
        ("/labels", {}), ("/labels", rng),
        ("/labels", {"match[]": 'bullmq_queue_waiting{queue="churn"}'}),
        ("/label/__name__/values", {}), ("/label/__name__/values", rng),
        ("/label/queue/values", {}),
        ("/label/queue/values", {"match[]": 'bullmq_queue_waiting{job=~".*"}', **rng}),
        ("/label/job/values", {"match[]": "cerniq_exporter_build_info", **rng}),
        ("/label/1bad/values", {}),
        ("/series", {"match[]": "cerniq_exporter_build_info", **rng}),
        ("/series", {"match[]": 'bullmq_queue_waiting{job=~".*"}'}),
        ("/series", {"match[]": ['{__name__=~"bullmq_queue_(active|paused)",queue="churn"}', "up"]}),
        ("/series", {"match[]": '{job=~".*"}'}), ("/series", {}),
        ("/query", {"query": "sum(", "time": START}),
        ("/query", {"query": "up", "time": "yesterday"}),
        ("/query", {"query": "up", "time": "2026-01-01T02:00:00.5Z"}),
        ("/query", {"query": "up[5m]", "time": START + 600}),
        ("/query", {"query": '"a string"', "time": START + 600.5}),
        ("/query", {"query": "1/3", "time": START + 600.25}),
        ("/query", {"query": "sum(up) by (job) / 0", "time": START + 600}),
        ("/query", {"query": "label_replace(up, \"x\", \"<&>\", \"\", \"\")", "time": START + 600}),
        ("/query", {"query": "rate(up)", "time": START}),
        ("/query_range", {"query": "up", "start": START + 100, "end": START, "step": 15}),
        ("/query_range", {"query": "up", "start": START, "end": END, "step": 0}),
        ("/query_range", {"query": "up", "start": START, "end": END, "step": 1}),
        ("/query_range", {"query": "up", "start": START, "end": END, "step": "x"}),
        ("/query_range", {"query": "up[5m]", "start": START, "end": END, "step": 60}),
        ("/query_range", {"query": "sum(", "start": START, "end": END, "step": 60}),
        ("/query_range", {"query": "vector(1)", "start": START, "end": START + 120, "step": 0.5}),
        ("/query_range", {"query": "1e-7 * up", "start": START, "end": START + 60, "step": "30s"}),
        ("/rules", {"type": "bad"}),
    ]
    return out


def encode(params):
    pairs = []
    for k, v in params.items():
        for item in v if isinstance(v, list) else [v]:
            pairs.append((k, str(item)))
    return urllib.parse.urlencode(pairs)


def prometheus_answer(port, path, query):
    url = f"http://127.0.0.1:{port}/api/v1{path}?{query}"
    try:
        with urllib.request.urlopen(url, timeout=30) as r:
            return r.status, r.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode()


def main():
    replay, dashboard, rules_dir = sys.argv[1:4]
    for tool in ("prometheus", "promtool"):
        if not shutil.which(tool):
            print(f"skip: {tool} not installed")
            return 77
    work = tempfile.mkdtemp(prefix="api-vs-prom-")
    proc = None
    try:
        subprocess.run([replay, "om", f"{work}/data.om"], check=True, timeout=60)
        subprocess.run(["promtool", "tsdb", "create-blocks-from", "openmetrics", f"{work}/data.om",
                        f"{work}/tsdb"], check=True, timeout=60, stdout=subprocess.DEVNULL)
        with open(f"{work}/prometheus.yml", "w") as f:
            f.write("global:\n  scrape_interval: 1h\n")
        port = free_port()
        log = open(f"{work}/prometheus.log", "w")
        proc = subprocess.Popen(
            ["prometheus", f"--config.file={work}/prometheus.yml", f"--storage.tsdb.path={work}/tsdb",
             "--storage.tsdb.retention.time=100y", f"--web.listen-address=127.0.0.1:{port}"],
            stdout=log, stderr=log)
        while time.monotonic() < DEADLINE:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/-/ready", timeout=1)
                break
            except (urllib.error.URLError, ConnectionError):
                time.sleep(0.2)
        reqs = requests(dashboard, rules_dir)
        lines = "".join(f"GET\t{path}\t{encode(params)}\n" for path, params in reqs)
        ours = subprocess.run([replay, "answer"], input=lines, capture_output=True, text=True,
                              check=True, timeout=60).stdout.splitlines()
        same, only_order, differ, with_data = 0, 0, [], 0
        for (path, params), line in zip(reqs, ours):
            if time.monotonic() > DEADLINE:
                differ.append(("deadline", "", ""))
                break
            status, body = line.split("\t", 1)
            pstatus, pbody = prometheus_answer(port, path, encode(params))
            a, b = (int(status), json.loads(body)), (pstatus, json.loads(pbody))
            result = b[1].get("data", {}).get("result") if isinstance(b[1].get("data"), dict) else b[1].get("data")
            with_data += bool(result)
            if a == b:
                same += 1
            elif sort_result(a) == sort_result(b):
                only_order += 1
                differ.append((f"{path} {params} (order only)", pbody[:400], body[:400]))
            else:
                differ.append((f"{path} {params}", f"{pstatus} {pbody[:400]}", f"{status} {body[:400]}"))
        for what, theirs, mine in differ[:15]:
            print(f"DIFF {what}\n  prometheus: {theirs}\n  cerniq:     {mine}")
        print(f"{len(reqs)} requests: {same} identical, {only_order} same but ordered differently, "
              f"{len(differ) - only_order} different ({with_data} with non-empty data)")
        return 0 if not differ else 1
    finally:
        if proc:
            stop(proc)
        shutil.rmtree(work, ignore_errors=True)


def stop(proc, timeout=10):
    """SIGTERM, then SIGKILL after `timeout` seconds."""
    proc.terminate()
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()


def sort_result(answer):
    status, body = answer
    data = body.get("data")
    if isinstance(data, dict) and isinstance(data.get("result"), list) and data.get("resultType") != "scalar" \
            and data.get("resultType") != "string":
        data = dict(data, result=sorted(data["result"], key=lambda x: json.dumps(x, sort_keys=True)))
        body = dict(body, data=data)
    return status, json.dumps(body, sort_keys=True)


if __name__ == "__main__":
    sys.exit(main())
