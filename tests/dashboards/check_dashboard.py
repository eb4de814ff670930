#!/usr/bin/env python3
"""What the Etapa 5 dashboard must show, beyond lint_dash.py's structure checks.

usage: check_dashboard.py DASHBOARD.json

- every query of runbook §4.2, verbatim in backquotes, is in a panel's description (the panel
  queries it scoped like every other query);
- the §1.2 queue table, workers, oldest waiting age, the churn heatmap (format heatmap on
  nurturing_client_churn_score_bucket), HITL breaches and overdue, cron freshness, referral
  conversion, NPS by category and exporter self-health are each queried by some panel;
- `job`, `instance` and `queue` query variables exist, and every panel filtered by queue uses
  =~"$queue";
- every vector selector of every query has job=~"$job" and instance=~"$instance"; every range
  is [$__rate_interval] ([$__range] in instant queries); histogram_quantile runs over
  sum by (le ...);
- panels do not overlap on the 24-column grid.
Exit 1 with one line per problem.
"""
import json
import re
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

SCOPE = ('job=~"$job"', 'instance=~"$instance"')
# Keywords followed by a label list, and other words that are not metric names.
LABEL_LISTS = {"by", "without", "on", "ignoring", "group_left", "group_right"}
KEYWORDS = {"and", "or", "unless", "bool", "offset"}
TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|\{[^}]*\}|\[[^\]]*\]|\d+(?:\.\d+)?(?:[eE][+-]?\d+)?'
                   r"|[A-Za-z_:][A-Za-z0-9_:]*|\S")


def selectors(expr):
    """(metric name, "{matchers}" or "") of every vector selector of a PromQL expression."""
    tokens = TOKEN.findall(expr)
    out, i = [], 0
    while i < len(tokens):
        tok, nxt = tokens[i], tokens[i + 1] if i + 1 < len(tokens) else ""
        if tok in LABEL_LISTS and nxt == "(":
            i = tokens.index(")", i) + 1
            continue
        if re.fullmatch(r"[A-Za-z_:][A-Za-z0-9_:]*", tok) and tok not in KEYWORDS \
                and nxt != "(" and nxt not in LABEL_LISTS:  # not a function, not `sum by (...)`
            out.append((tok, nxt if nxt.startswith("{") else ""))
            i += 2 if nxt.startswith("{") else 1
            continue
        if tok.startswith("{"):
            out.append(("", tok))
        i += 1
    return out


def query_problems(expr, instant):
    problems = []
    for name, matchers in selectors(expr):
        missing = [m for m in SCOPE if m not in matchers]
        if missing:
            problems.append(f"{name}{matchers} lacks {', '.join(missing)}")
    for window in re.findall(r"\[([^\]]*)\]", expr):
        if window != "$__rate_interval" and not (instant and window == "$__range"):
            problems.append(f"fixed window [{window}] (use [$__rate_interval])")
    for m in re.finditer(r"histogram_quantile\(", expr):
        if not re.match(r"\s*[0-9.]+\s*,\s*sum by \(le\b", expr[m.end():]):
            problems.append("histogram_quantile not over sum by (le)")
    return problems


def main(path):
    with open(path, encoding="utf-8") as f:
        d = json.load(f)
    problems = []
    panels = [p for p in d["panels"]]
    targets = [(p, t) for p in panels for t in p.get("targets", [])]
    exprs = [t["expr"] for _, t in targets]
    descriptions = " ".join(p.get("description", "") for p in panels)
    for q in RUNBOOK_4_2:
        if f"`{q}`" not in descriptions:
            problems.append(f"runbook §4.2 query missing from the panel descriptions: {q}")
    for p, t in targets:
        for problem in query_problems(t["expr"], t.get("instant", False)):
            problems.append(f'panel "{p["title"]}" {t["refId"]}: {problem}')
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
    for name in ("datasource", "job", "instance", "queue"):
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
