#!/usr/bin/env python3
"""Writes the `test rules` benchmark into a directory: bench_rules.yml (the runbook's five alerts
of rules/etapa5-alerts.yaml, with annotations that only use labels, plus ten recording rules) and
bench_test.yml (1,000 input series over 24 h at 1 m, every alert checked at 24h with the alerts
this data must fire). Deterministic (fixed seed); usage: gen_bench.py OUT_DIR."""
import os
import random
import sys

MINUTES = 24 * 60  # samples 0m .. 24h
QUEUES = ["lifecycle", "churn", "sentiment", "geospatial", "graph", "referral", "winback",
          "association", "feedback", "content", "alerts", "compliance", "hitl"]
APPROVALS = ["pricing", "content", "discount", "escalation"]

ALERTS = [
    ("HighChurnQueueBacklog", 'bullmq_queue_waiting{queue="churn"} > 100', "10m"),
    ("SentimentWorkerDown", 'bullmq_workers_active{queue="sentiment"} == 0', "5m"),
    ("HITLSLABreaches", "rate(hitl_sla_breached_total[1h]) > 0.1", "30m"),
    ("ChurnRiskCritical", "nurturing_client_churn_score_count - ignoring(le) "
     'nurturing_client_churn_score_bucket{le="80"} > 10', "1h"),
    ("GraphBuildFailed", "increase(graph_build_failures_total[24h]) > 0", None),
]
RECORDING = [
    ("cerniq:queue_waiting:sum", "sum by (queue) (bullmq_queue_waiting)"),
    ("cerniq:queue_waiting:max", "max by (queue) (bullmq_queue_waiting)"),
    ("cerniq:workers_active:sum", "sum by (queue) (bullmq_workers_active)"),
    ("cerniq:queues_without_workers:count", "count by (queue) (bullmq_workers_active == 0)"),
    ("cerniq:queue_waiting:deriv10m", "sum by (queue) (deriv(bullmq_queue_waiting[10m]))"),
    ("cerniq:hitl_sla_breached:rate5m",
     "sum by (approval_type) (rate(hitl_sla_breached_total[5m]))"),
    ("cerniq:hitl_sla_breached:rate1h", "sum(rate(hitl_sla_breached_total[1h]))"),
    ("cerniq:churn_clients_above_80:sum", "sum(nurturing_client_churn_score_count) - "
     'sum(nurturing_client_churn_score_bucket{le="80"})'),
    ("cerniq:churn_score:p95",
     "histogram_quantile(0.95, sum by (le) (nurturing_client_churn_score_bucket))"),
    ("cerniq:llm_rate_limit_remaining:min", "min(llm_rate_limit_remaining)"),
]


def segments(parts):
    """Series notation from (start, step, count) runs that together cover 0m..24h."""
    assert sum(n for _, _, n in parts) + len(parts) == MINUTES + 1, parts
    return " ".join(f"{a}{'+' if d >= 0 else '-'}{abs(d)}x{n}" for a, d, n in parts)


def gauge(rng, low, high, tail=None, tail_len=0):
    """A gauge wandering in [low, high]; `tail` holds it at that value for the last tail_len+1."""
    parts, left = [], MINUTES + 1 - (tail_len + 1 if tail is not None else 0)
    while left > 0:
        n = min(left, rng.randint(60, 300))
        a, b = rng.randint(low, high), rng.randint(low, high)
        parts.append((a, round((b - a) / max(n - 1, 1), 4), n - 1))
        left -= n
    if tail is not None:
        parts.append((tail, 0, tail_len))
    return segments(parts)


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    rng = random.Random(42)
    series, expected = [], {name: [] for name, _, _ in ALERTS}

    def add(name, labels, values):
        body = ", ".join(f'{k}="{v}"' for k, v in labels.items())
        series.append((f"{name}{{{body}}}", values))

    for q in QUEUES:  # 13 x 30 waiting gauges; five churn ones above 100 for the last hour
        for i in range(30):
            labels = {"job": "cerniq", "instance": f"exporter-{i}", "queue": q}
            if q == "churn" and i < 5:
                add("bullmq_queue_waiting", labels, gauge(rng, 0, 90, tail=150 + i, tail_len=60))
                expected["HighChurnQueueBacklog"].append(labels)
            else:
                add("bullmq_queue_waiting", labels, gauge(rng, 0, 90))
    for q in QUEUES:  # 13 x 29 worker gauges; four sentiment ones at 0 for the last 30 minutes
        for i in range(29):
            labels = {"job": "cerniq", "instance": f"exporter-{i}", "queue": q}
            if q == "sentiment" and i < 4:
                add("bullmq_workers_active", labels, gauge(rng, 1, 8, tail=0, tail_len=30))
                expected["SentimentWorkerDown"].append(labels)
            else:
                add("bullmq_workers_active", labels, gauge(rng, 1, 8))
    for i in range(100):  # SLA breach counters: 12/min (0.2/s) fires, 3/min (0.05/s) does not
        labels = {"job": "cerniq", "instance": f"exporter-{i // 4}",
                  "approval_type": APPROVALS[i % 4] + str(i // 4)}
        fast = i % 10 == 0
        add("hitl_sla_breached_total", labels, segments([(0, 12 if fast else 3, MINUTES)]))
        if fast:
            expected["HITLSLABreaches"].append(labels)
    for i in range(10):  # churn histograms: 10 buckets + _count per instance
        base = {"job": "cerniq", "instance": f"exporter-{i}"}
        total = 1000 + 10 * i
        above_80 = 50 if i < 3 else 5
        for k, le in enumerate(["10", "20", "30", "40", "50", "60", "70", "80", "90", "+Inf"]):
            count = total - above_80 if le == "80" else min(total, (k + 1) * total // 8)
            if le in ("90", "+Inf"):
                count = total
            add("nurturing_client_churn_score_bucket", {**base, "le": le},
                segments([(count, 0, MINUTES)]))
        add("nurturing_client_churn_score_count", base, segments([(total, 0, MINUTES)]))
        if i < 3:
            expected["ChurnRiskCritical"].append(base)
    for i in range(5):  # graph build failures: two instances fail during the day
        labels = {"job": "cerniq", "instance": f"exporter-{i}"}
        if i < 2:
            add("graph_build_failures_total", labels,
                segments([(0, 0, 599), (1 + i, 0, 840)]))
            expected["GraphBuildFailed"].append(labels)
        else:
            add("graph_build_failures_total", labels, segments([(0, 0, MINUTES)]))
    for i in range(1000 - len(series)):
        add("llm_rate_limit_remaining", {"job": "cerniq", "instance": f"exporter-{i}"},
            gauge(rng, 100, 5000))
    assert len(series) == 1000

    with open(os.path.join(out, "bench_rules.yml"), "w") as f:
        f.write("groups:\n  - name: etapa5-nurturing\n    rules:\n")
        for name, expr, for_ in ALERTS:
            f.write(f"      - alert: {name}\n        expr: '{expr}'\n")
            if for_:
                f.write(f"        for: {for_}\n")
            f.write("        labels:\n          severity: warning\n")
            f.write("        annotations:\n")
            f.write(f'          summary: "{name} on {{{{ $labels.instance }}}}"\n')
        f.write("  - name: etapa5-recording\n    rules:\n")
        for record, expr in RECORDING:
            f.write(f"      - record: {record}\n        expr: '{expr}'\n")

    with open(os.path.join(out, "bench_test.yml"), "w") as f:
        f.write("rule_files:\n  - bench_rules.yml\nevaluation_interval: 1m\ntests:\n")
        f.write("  - interval: 1m\n    input_series:\n")
        for s, values in series:
            f.write(f"      - series: '{s}'\n        values: '{values}'\n")
        f.write("    alert_rule_test:\n")
        for name, _, _ in ALERTS:
            f.write(f"      - eval_time: 24h\n        alertname: {name}\n        exp_alerts:\n")
            for labels in expected[name]:
                lab = ", ".join(f'{k}: "{v}"' for k, v in {**labels, "severity": "warning"}.items())
                f.write(f"          - exp_labels: {{{lab}}}\n")
                f.write("            exp_annotations:\n")
                f.write(f'              summary: "{name} on {labels["instance"]}"\n')


if __name__ == "__main__":
    main()
