#!/usr/bin/env python3
"""Assertions of the end-to-end test (tests/e2e/run.sh), through the HTTP APIs of a real
Prometheus, a real Alertmanager and cerniq_exporter. Every wait is bounded.

usage: e2e_checks.py PHASE --prom URL --am URL --exporter URL [--dashboard FILE]
  baseline       rules evaluated; the driven alerts are quiet (neither pending nor firing)
  driven         the expected alerts fire with their annotations; the §1.2 queue alerts match
                 the exporter's own /api/admin/queues/etapa5 thresholds; others stay quiet
  dashboard      every rule is healthy; every dashboard query and recorded series has data
  alertmanager   the firing alerts reached Alertmanager (/api/v2/alerts)
  exporter-down  (after the exporter was stopped) CerniqExporterDown fires
Exit 1 with the reasons on failure.
"""
import argparse
import datetime
import json
import re
import sys
import time
import urllib.parse
import urllib.request

# Alerts the test drives, and label subsets that must be firing after the drive.
DRIVEN = [
    ("HighChurnQueueBacklog", {"queue": "churn", "severity": "warning"}),
    ("SentimentWorkerDown", {"queue": "sentiment", "severity": "critical"}),
    ("ChurnRiskCritical", {"severity": "warning"}),
    ("HITLSLABreaches", {"approval_type": "escalation", "severity": "warning"}),
    ("GraphBuildFailed", {"severity": "warning"}),
    ("LLMRateLimitNearlyExhausted", {"severity": "warning"}),
]
# Firing from the demo state and the test's probe setup (no drive needed).
STANDING = [
    ("ServiceHealthProbeFailing", {"service": "llm", "severity": "critical"}),
    ("CronJobStale", {"job_name": "e5_weekly_maintenance"}),
    ("HITLTasksOverdue", {}),
    ("QueueWaitingHigh", {"queue": "churn"}),
]
# Must never fire while everything runs.
NEVER = [
    ("ServiceHealthProbeFailing", {"service": "api"}),
    ("CronJobStale", {"job_name": "e5_churn_recalculation"}),
    ("CerniqSourceDown", {}),
    ("CerniqCollectorFailing", {}),
    ("CerniqExporterDown", {}),
    ("CerniqExporterAbsent", {}),
    ("HITLSLABreaches", {"approval_type": "content_review"}),
]
PARTITION = ("NurturingActionsNextPartitionMissing", {})


def get(url, timeout=5):
    with urllib.request.urlopen(url, timeout=timeout) as r:
        return json.load(r)


def prom_query(prom, expr):
    body = get(f"{prom}/api/v1/query?" + urllib.parse.urlencode({"query": expr}))
    if body.get("status") != "success":
        raise RuntimeError(f"query {expr!r}: {body}")
    return body["data"]


def prom_alerts(prom):
    return get(f"{prom}/api/v1/alerts")["data"]["alerts"]


def matching(alerts, name, labels, state=None):
    return [a for a in alerts if a["labels"].get("alertname") == name
            and all(a["labels"].get(k) == v for k, v in labels.items())
            and (state is None or a["state"] == state)]


def wait_for(what, check, seconds):
    """Polls check() (returns a list of problems) until it returns none, for at most seconds."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            problems = check()
        except (OSError, ValueError, RuntimeError) as e:
            problems = [f"{type(e).__name__}: {e}"]
        if not problems:
            print(f"ok: {what}")
            return []
        if time.monotonic() > deadline:
            return [f"{what}: not within {seconds}s:"] + [f"  {p}" for p in problems]
        time.sleep(0.5)


def partition_should_fire():
    return datetime.datetime.now(datetime.timezone.utc).day >= 20


def baseline(a):
    def ready():
        out = []
        if not prom_query(a.prom, 'up{job="cerniq-exporter"} == 1')["result"]:
            out.append("exporter not scraped yet")
        # The standing alerts fire from the demo state: rules are loaded and evaluated.
        alerts = prom_alerts(a.prom)
        for name, labels in STANDING:
            if not matching(alerts, name, labels, "firing"):
                out.append(f"{name}{labels} not firing yet")
        # The HITL counter needs a few samples before the drive, or its rate is empty.
        got = prom_query(a.prom, 'count_over_time(hitl_sla_breached_total{approval_type="escalation"}[1m])')
        if not got["result"] or float(got["result"][0]["value"][1]) < 3:
            out.append("fewer than 3 samples of hitl_sla_breached_total yet")
        return out
    problems = wait_for("Prometheus scrapes the exporter and evaluates the rules", ready, 60)
    if problems:
        return problems
    alerts = prom_alerts(a.prom)
    for name, labels in DRIVEN + NEVER:
        for al in matching(alerts, name, labels):
            problems.append(f"before the drive, {name} is {al['state']}: {al['labels']}")
    if not problems:
        print(f"ok: {len(DRIVEN)} driven alerts quiet before the drive")
    return problems


def annotations_ok(alerts):
    out = []
    for al in alerts:
        if al["state"] != "firing":
            continue
        ann = al.get("annotations", {})
        name = al["labels"]["alertname"]
        for key in ("summary", "description", "runbook", "runbook_url"):
            if not ann.get(key):
                out.append(f"{name}: annotation {key} empty")
        if "<error expanding template" in json.dumps(ann):
            out.append(f"{name}: template error: {ann}")
        if not re.search(r"§\d", ann.get("runbook", "")):
            out.append(f"{name}: runbook annotation names no section: {ann.get('runbook')!r}")
    return out


def driven(a):
    problems = []

    def fired():
        alerts = prom_alerts(a.prom)
        out = [f"{n}{l} not firing" for n, l in DRIVEN + STANDING if not matching(alerts, n, l, "firing")]
        name, labels = PARTITION
        if partition_should_fire() and not matching(alerts, name, labels, "firing"):
            out.append(f"{name} not firing on day {datetime.datetime.now(datetime.timezone.utc).day}")
        return out
    problems += wait_for("every driven and standing alert fires in Prometheus", fired, 60)
    alerts = prom_alerts(a.prom)
    for name, labels in NEVER:
        for al in matching(alerts, name, labels):
            problems.append(f"{name} is {al['state']}, should not be: {al['labels']}")
    name, labels = PARTITION
    if not partition_should_fire() and matching(alerts, name, labels):
        problems.append(f"{name} active before the 20th")
    problems += annotations_ok(alerts)

    # Rendered values: the description carries the exporter's own numbers.
    waiting = prom_query(a.prom, 'bullmq_queue_waiting{queue="churn"}')["result"]
    backlog = matching(alerts, "HighChurnQueueBacklog", {"queue": "churn"}, "firing")
    if waiting and backlog:
        want = f'{waiting[0]["value"][1]} jobs waiting in BullMQ queue bull:churn'
        if not backlog[0]["annotations"]["description"].startswith(want):
            problems.append(f"HighChurnQueueBacklog description {backlog[0]['annotations']['description']!r}, want {want!r}…")
    churn = matching(alerts, "ChurnRiskCritical", {}, "firing")
    if churn and not churn[0]["annotations"]["description"].startswith("20 clients have a churn score above 80"):
        problems.append(f"ChurnRiskCritical description: {churn[0]['annotations']['description']!r} (20 clients raised)")

    # §1.2: the queue alerts that fire are exactly the queues over the thresholds the exporter
    # itself reports on /api/admin/queues/etapa5 (an independent implementation of the table).
    def queue_sets():
        queues = get(f"{a.exporter}/api/admin/queues/etapa5")["queues"]
        alerts = prom_alerts(a.prom)
        out = []
        for alert, field, limit in (("QueueWaitingHigh", "waiting", "waiting_below"),
                                    ("QueueFailedJobs", "failed", "failed_below")):
            want = sorted(q["name"] for q in queues if q[field] >= q["thresholds"][limit])
            got = sorted(al["labels"]["queue"] for al in alerts
                         if al["labels"]["alertname"] == alert and al["state"] == "firing")
            if want != got:
                out.append(f"{alert}: firing for {got}, thresholds say {want}")
        return out
    problems += wait_for("§1.2 queue alerts match the exporter's threshold view", queue_sets, 20)
    firing = sorted({al["labels"]["alertname"] for al in prom_alerts(a.prom) if al["state"] == "firing"})
    print(f"firing in Prometheus: {', '.join(firing)}")
    return problems


def shipped_rule_count():
    import glob
    import os
    import yaml
    root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "rules")
    count = 0
    for path in glob.glob(os.path.join(root, "*.yaml")):
        with open(path, encoding="utf-8") as f:
            count += sum(len(g["rules"]) for g in (yaml.safe_load(f) or {}).get("groups", []))
    return count


def dashboard_exprs(path):
    with open(path, encoding="utf-8") as f:
        dash = json.load(f)
    for p in dash["panels"]:
        for t in p.get("targets", []):
            expr = re.sub(r"\$__rate_interval|\$__interval|\$__range", "1m", t["expr"])
            expr = re.sub(r"\$\{?(job|instance|queue)\}?", ".*", expr)
            yield f'panel {p["id"]} "{p["title"]}" {t["refId"]}', expr


def dashboard(a):
    exprs = list(dashboard_exprs(a.dashboard))
    # The recording rules as Prometheus evaluated them, and every rule's health.
    groups = get(f"{a.prom}/api/v1/rules")["data"]["groups"]
    rules = [r for g in groups for r in g["rules"]]
    exprs += [(f'recording rule {r["name"]}', r["name"]) for r in rules if r["type"] == "recording"]
    unhealthy = [f'rule {r["name"]}: health {r.get("health")} {r.get("lastError", "")}'
                 for r in rules if r.get("health") != "ok"]
    want = shipped_rule_count()
    if len(rules) != want or unhealthy:
        return [f"Prometheus loaded {len(rules)} rules, rules/ has {want}"] + unhealthy
    print(f"ok: Prometheus evaluates {len(rules)} rules, all healthy")

    def all_data():
        out = []
        for where, expr in exprs:
            if not prom_query(a.prom, expr)["result"]:
                out.append(f"{where}: no data for {expr}")
        return out
    problems = wait_for(f"all {len(exprs)} dashboard queries and recorded series return data", all_data, 20)
    return problems


def alertmanager(a):
    expect = DRIVEN + STANDING + ([PARTITION] if partition_should_fire() else [])

    def arrived():
        got = get(f"{a.am}/api/v2/alerts?active=true")
        out = []
        for name, labels in expect:
            hits = [al for al in got if al["labels"].get("alertname") == name
                    and all(al["labels"].get(k) == v for k, v in labels.items())]
            if not hits:
                out.append(f"{name}{labels} not in Alertmanager")
            elif not hits[0].get("annotations", {}).get("runbook"):
                out.append(f"{name}: no runbook annotation in Alertmanager")
        return out
    problems = wait_for(f"{len(expect)} alerts arrived in Alertmanager", arrived, 30)
    if not problems:
        got = get(f"{a.am}/api/v2/alerts?active=true")
        print(f"Alertmanager holds {len(got)} active alerts")
    return problems


def exporter_down(a):
    def fired():
        alerts = prom_alerts(a.prom)
        return [] if matching(alerts, "CerniqExporterDown", {"job": "cerniq-exporter"}, "firing") \
            else ["CerniqExporterDown not firing"]
    return wait_for("CerniqExporterDown fires once the exporter is stopped", fired, 20)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("phase", choices=["baseline", "driven", "dashboard", "alertmanager", "exporter-down"])
    ap.add_argument("--prom", required=True)
    ap.add_argument("--am", required=True)
    ap.add_argument("--exporter", required=True)
    ap.add_argument("--dashboard")
    a = ap.parse_args()
    problems = {"baseline": baseline, "driven": driven, "dashboard": dashboard,
                "alertmanager": alertmanager, "exporter-down": exporter_down}[a.phase](a)
    for p in problems:
        print("FAIL:", p)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
