#!/usr/bin/env python3
"""What the Etapa 5 dashboard must show, beyond lint_dash.py's structure checks.

usage: check_dashboard.py DASHBOARD.json

- every query of runbook §4.2, verbatim, is a panel target;
- the §1.2 queue table, workers, oldest waiting age, the churn heatmap (format heatmap on
  nurturing_client_churn_score_bucket), HITL breaches and overdue, cron freshness, referral
  conversion, NPS by category and exporter self-health are each queried by some panel;
- `queue` and `job` query variables exist, and every panel filtered by queue uses =~"$queue";
- panels do not overlap on the 24-column grid.
Exit 1 with one line per problem.
"""
import json
import sys

RUNBOOK_4_2 = [
    'sum(bullmq_queue_waiting{queue=~"lifecycle|churn|sentiment|referral"}) by (queue)',
    'sum(rate(bullmq_jobs_completed_total{queue=~".*"}[5m])) by (queue)',
    'histogram_quantile(0.95, nurturing_client_churn_score_bucket)',
    'avg(hitl_task_resolution_time_seconds) by (task_type)',
    'sum(referral_status{status="CONVERTED"}) / sum(referral_status) * 100',
    'avg(nps_score) by (nps_category)',
]
MUST_QUERY = {
    "queue table waiting/active/failed": ["bullmq_queue_waiting", "bullmq_queue_active", "bullmq_queue_failed"],
    "workers per queue": ["bullmq_workers_active"],
    "oldest waiting age": ["bullmq_queue_oldest_waiting_age_seconds"],
    "HITL breaches and overdue": ["hitl_sla_breached_total", "hitl_tasks_overdue"],
    "cron freshness": ["cerniq_cron_job_last_run_timestamp_seconds"],
    "referrals": ["referral_status"],
    "NPS": ["nps_score"],
    "exporter self-health": ["up{", "cerniq_up", "cerniq_scrape_collector_success"],
    "service probes": ["cerniq_service_up"],
    "partition": ["cerniq_nurturing_actions_next_partition_exists"],
    "LLM rate limit": ["llm_rate_limit_remaining"],
}


def main(path):
    with open(path, encoding="utf-8") as f:
        d = json.load(f)
    problems = []
    panels = [p for p in d["panels"]]
    targets = [(p, t) for p in panels for t in p.get("targets", [])]
    exprs = [t["expr"] for _, t in targets]
    for q in RUNBOOK_4_2:
        if q not in exprs:
            problems.append(f"runbook §4.2 query missing: {q}")
    for what, needles in MUST_QUERY.items():
        for n in needles:
            if not any(n in e for e in exprs):
                problems.append(f"{what}: no query uses {n}")
    if not any(p["type"] == "heatmap" and t.get("format") == "heatmap"
               and "nurturing_client_churn_score_bucket" in t["expr"] for p, t in targets):
        problems.append("no churn heatmap (heatmap panel, format heatmap, on the buckets)")
    if not any(p["type"] == "table" and "bullmq_queue_waiting" in t["expr"] for p, t in targets):
        problems.append("no §1.2 queue table")
    variables = {v["name"]: v for v in d["templating"]["list"]}
    for name in ("datasource", "job", "queue"):
        if name not in variables:
            problems.append(f"template variable {name} missing")
    if variables.get("queue", {}).get("type") != "query":
        problems.append("queue is not a query variable")
    for p, t in targets:
        if "$queue" in t["expr"] and '=~"$queue"' not in t["expr"]:
            problems.append(f'panel "{p["title"]}": use queue=~"$queue" (multi-value variable)')
    cells = {}
    for p in panels:
        g = p["gridPos"]
        if g["x"] + g["w"] > 24:
            problems.append(f'panel "{p["title"]}" is wider than the grid')
        for x in range(g["x"], g["x"] + g["w"]):
            for y in range(g["y"], g["y"] + g["h"]):
                if (x, y) in cells:
                    problems.append(f'panels "{cells[(x, y)]}" and "{p["title"]}" overlap at x={x} y={y}')
                    break
                cells[(x, y)] = p["title"]
            else:
                continue
            break
    for p in problems:
        print(p)
    print(f"{path}: {len(panels)} panels, {len(exprs)} queries, {len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    sys.exit(main(sys.argv[1]))
