#!/usr/bin/env python3
"""The real cerniq_exporter's /api/v1 against a real Prometheus 2.42 holding the same samples.

usage: exporter_vs_prometheus.py EXPORTER DASHBOARD.json RULES_DIR BULLMQ_DIR FIXTURES_DIR

A loopback redis-server gets real BullMQ state (tests/bullmq/scenario.cjs with the real
`bullmq` package, workers running) and the LLM rate-limit key; a database of its own on the
test PostgreSQL (CERNIQ_TEST_PG_PORT) gets the reference schema and demo data
(FIXTURES_DIR/load-demo.sh) and is dropped at the end. The exporter runs with both, a service
probe of its own /health, the rules of RULES_DIR (every group at 2s) plus one alert that fires
at once, and a 1s BullMQ interval, so its history holds collected series (BullMQ, the LLM key,
every PostgreSQL collector, the probe), recording-rule output and ALERTS. After ~30 s every raw
sample of the history is read back through the exporter's own API (`{__name__=~".+"}[1h]`), backfilled into a real Prometheus with `promtool tsdb
create-blocks-from openmetrics`, and every dashboard query and rule expression is asked to
both, instant at several times and as a range: status and JSON must be equal (the comparison
of tests/api/vs_prometheus.py). Series that vanished during the run (whose stale markers a
backfill cannot carry) bound the compared times. Every dashboard query must have data (empty
on both sides would prove nothing). Exit 77 without prometheus, promtool, redis-server, node,
psql or CERNIQ_TEST_PG_PORT.
"""
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "api"))
import vs_prometheus as vp  # noqa: E402  (dashboard_exprs, rule_exprs, sort_result, ...)

DEADLINE = time.monotonic() + 170
QUEUES = ("lifecycle,churn,sentiment,geospatial,graph,referral,winback,association,feedback,"
          "content,alerts,compliance,hitl")
# The runbook's alerts all wait `for` 5m or more, longer than the run: this one gives the
# dashboard's firing-alerts panel data.
FIRING_RULE = """groups:
  - name: vs-prometheus-firing
    interval: 2s
    rules:
      - alert: VsPrometheusFiring
        expr: vector(1)
        labels: {severity: info, queue: none}
"""


def psql(port, db, sql):
    subprocess.run(["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-h", "127.0.0.1", "-p", str(port),
                    "-U", "postgres", "-d", db, "-c", sql], check=True, timeout=60,
                   stdout=subprocess.DEVNULL)


def exporter_config(port, pg_interval):
    """BullMQ every second, a probe of the exporter's own /health, every PostgreSQL collector at
    `pg_interval`."""
    names = ("churn", "clients", "cron", "graph", "hitl", "nps", "partitions", "referrals",
             "spatial", "worker_errors")
    return ("bullmq:\n  interval: 1s\n  timeout: 900ms\n"
            "probes:\n  interval: 1s\n  timeout: 900ms\n  services:\n"
            f"    - service: self\n      url: http://127.0.0.1:{port}/health\n"
            "      expect: {status: healthy}\n"
            "postgres:\n  collectors:\n" + "".join(
                f"    {n}:\n      interval: {pg_interval}\n" for n in names))


def wait_until(what, check, seconds):
    end = min(time.monotonic() + seconds, DEADLINE)
    while time.monotonic() < end:
        try:
            if check():
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"timed out waiting for {what}")


def get_json(port, path, params):
    status, body = vp.prometheus_answer(port, path, vp.encode(params))
    return status, json.loads(body)


def om_labels(metric):
    name = metric.get("__name__", "")
    escaped = []
    for k, v in sorted(metric.items()):
        if k == "__name__":
            continue
        v = v.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
        escaped.append(f'{k}="{v}"')
    return name + ("{" + ",".join(escaped) + "}" if escaped else "")


def write_openmetrics(matrix, path):
    """The history's raw samples as OpenMetrics (one family per name, samples in time order)."""
    by_name = {}
    for s in matrix:
        by_name.setdefault(s["metric"].get("__name__", ""), []).append(s)
    with open(path, "w", encoding="utf-8") as f:
        for name in sorted(by_name):
            for s in by_name[name]:
                labels = om_labels(s["metric"])
                for t, v in s["values"]:
                    f.write(f"{labels} {v} {t}\n")
        f.write("# EOF\n")


def main():
    exporter, dashboard, rules_dir, bullmq_dir, fixtures = map(os.path.abspath, sys.argv[1:6])
    for tool in ("prometheus", "promtool", "redis-server", "node", "psql"):
        if not shutil.which(tool):
            print(f"skip: {tool} not installed")
            return 77
    pg_port = os.environ.get("CERNIQ_TEST_PG_PORT")
    if not pg_port:
        print("skip: CERNIQ_TEST_PG_PORT not set (tests/run.sh sets it; or source "
              "scripts/services.sh and start_postgres): half of the dashboard reads PostgreSQL")
        return 77
    work = tempfile.mkdtemp(prefix="exporter-vs-prom-")
    procs = []
    db = f"cerniq_vsprom_{os.getpid()}"
    db_created = False

    def spawn(args, name, **kw):
        log = open(f"{work}/{name}.log", "w")
        p = subprocess.Popen(args, stdout=kw.pop("stdout", log), stderr=log, **kw)
        procs.append(p)
        return p

    try:
        redis_port = vp.free_port()
        spawn(["redis-server", "--port", str(redis_port), "--bind", "127.0.0.1", "--save", "",
               "--appendonly", "no", "--dir", work], "redis")
        wait_until("redis", lambda: subprocess.run(
            ["redis-cli", "-p", str(redis_port), "ping"], capture_output=True).stdout == b"PONG\n", 10)
        redis_url = f"redis://127.0.0.1:{redis_port}/0"
        subprocess.run(["redis-cli", "-p", str(redis_port), "SET", "anthropic:rate_limit:remaining",
                        "842"], check=True, capture_output=True, timeout=10)
        psql(pg_port, "postgres", f"CREATE DATABASE {db}")
        db_created = True
        subprocess.run([os.path.join(fixtures, "load-demo.sh"), "127.0.0.1", pg_port, db, "1000"],
                       check=True, timeout=90)
        scenario = spawn(["node", os.path.join(os.path.dirname(os.path.abspath(__file__)), "..",
                                               "bullmq", "scenario.cjs"),
                          os.path.join(bullmq_dir, "v6"), redis_url, "bull", QUEUES],
                         "scenario", stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        if not os.path.isdir(os.path.join(bullmq_dir, "v6", "node_modules", "bullmq")):
            print(f"skip: bullmq not installed in {bullmq_dir}/v6 (scripts/install-deps.sh)")
            return 77

        def scenario_ready():
            if scenario.poll() is not None:
                raise RuntimeError("the BullMQ scenario exited")
            return scenario.stdout.readline().startswith("READY")
        wait_until("the BullMQ scenario", scenario_ready, 90)

        port = vp.free_port()
        with open(f"{work}/config.yml", "w") as f:
            f.write(exporter_config(port, "5s"))
        with open(f"{work}/firing.yaml", "w") as f:
            f.write(FIRING_RULE)
        spawn([exporter, f"--web.listen-address=127.0.0.1:{port}", f"--redis.url={redis_url}",
               f"--postgres.dsn=host=127.0.0.1 port={pg_port} user=postgres dbname={db}",
               f"--config.file={work}/config.yml", f"--rules.file={rules_dir}/*.yaml",
               f"--rules.file={work}/firing.yaml",
               "--rules.evaluation-interval=2s"], "exporter")
        wait_until("the exporter", lambda: urllib.request.urlopen(
            f"http://127.0.0.1:{port}/-/ready", timeout=1).status == 200, 20)
        time.sleep(30)

        status, raw = get_json(port, "/query", {"query": '{__name__=~".+"}[1h]'})
        assert status == 200, raw
        matrix = raw["data"]["result"]
        last = max(float(v[0]) for s in matrix for v in s["values"])
        first = min(float(v[0]) for s in matrix for v in s["values"])
        # A series that stopped (e.g. ALERTS moving from pending to firing) has a stale marker
        # in the history that the backfill cannot carry: compare only before it stopped.
        vanished = [float(s["values"][-1][0]) for s in matrix if float(s["values"][-1][0]) < last - 5]
        end = min(vanished) if vanished else last
        write_openmetrics(matrix, f"{work}/data.om")
        subprocess.run(["promtool", "tsdb", "create-blocks-from", "openmetrics", f"{work}/data.om",
                        f"{work}/tsdb"], check=True, timeout=60, stdout=subprocess.DEVNULL)
        with open(f"{work}/prometheus.yml", "w") as f:
            f.write("global:\n  scrape_interval: 1h\n")
        prom = vp.free_port()
        spawn(["prometheus", f"--config.file={work}/prometheus.yml",
               f"--storage.tsdb.path={work}/tsdb", "--storage.tsdb.retention.time=100y",
               f"--web.listen-address=127.0.0.1:{prom}"], "prometheus")
        wait_until("prometheus", lambda: urllib.request.urlopen(
            f"http://127.0.0.1:{prom}/-/ready", timeout=1).status == 200, 30)

        # Grafana's $instance and $__range too (vp.dashboard_exprs substitutes $job and $queue).
        dash = [re.sub(r"\$__range", "1m", re.sub(r"\$\{?instance\}?", ".*", e))
                for e in vp.dashboard_exprs(dashboard)]
        exprs = list(dict.fromkeys(dash + list(vp.rule_exprs(rules_dir))))
        times = [round(first + (end - first) * k / 3, 3) for k in (1, 2, 3)]
        reqs = []
        for e in exprs:
            reqs += [("/query", {"query": e, "time": t}) for t in times]
            reqs.append(("/query_range", {"query": e, "start": round(first, 3), "end": round(end, 3),
                                          "step": "2s"}))
        reqs += [("/series", {"match[]": "bullmq_queue_waiting", "start": first, "end": end}),
                 ("/label/queue/values", {"start": first, "end": end}),
                 ("/query", {"query": "ALERTS", "time": times[-1]})]
        same, differ, with_data, dash_with_data = 0, [], 0, set()
        for path, params in reqs:
            if time.monotonic() > DEADLINE:
                differ.append(("deadline", "", ""))
                break
            ours = get_json(port, path, params)
            theirs = get_json(prom, path, params)
            data = theirs[1].get("data")
            has_data = bool(data.get("result") if isinstance(data, dict) else data)
            with_data += has_data
            if has_data and params.get("query") in dash:
                dash_with_data.add(params["query"])
            if vp.sort_result(ours) == vp.sort_result(theirs):
                same += 1
            else:
                differ.append((f"{path} {params}", json.dumps(theirs)[:400], json.dumps(ours)[:400]))
        for what, theirs, mine in differ[:15]:
            print(f"DIFF {what}\n  prometheus: {theirs}\n  cerniq:     {mine}")
        print(f"{len(matrix)} series, {sum(len(s['values']) for s in matrix)} samples over "
              f"{end - first:.1f}s; {len(reqs)} requests: {same} identical, {len(differ)} "
              f"different ({with_data} with non-empty data)")
        # Empty on both sides would prove nothing: every panel must have data (BullMQ, the LLM
        # key, every PostgreSQL collector, the probe, firing alerts, self metrics).
        print(f"{len(dash_with_data)} of {len(set(dash))} dashboard queries with data")
        empty = [e for e in dict.fromkeys(dash) if e not in dash_with_data]
        for e in empty:
            print(f"EMPTY: {e}")
        if empty:
            print("dashboard queries without data: the comparison proves too little")
            return 1
        return 0 if not differ else 1
    except Exception:
        for name in ("scenario", "exporter", "prometheus"):
            if os.path.exists(f"{work}/{name}.log"):
                with open(f"{work}/{name}.log", encoding="utf-8", errors="replace") as f:
                    print(f"--- {name}.log (tail)\n" + "".join(f.readlines()[-15:]))
        raise
    finally:
        for p in reversed(procs):
            if p.stdin:
                try:
                    p.stdin.close()
                except OSError:
                    pass
            vp.stop(p, 15)
        if db_created:
            psql(pg_port, "postgres", f"DROP DATABASE IF EXISTS {db} WITH (FORCE)")
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
