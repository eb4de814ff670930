#!/usr/bin/env python3
"""Every metric a rule (or dashboard query) selects must be one the exporter exposes.

usage: rule_metrics.py --exporter BIN [--dashboard FILE.json]... RULE_FILE...
       rule_metrics.py --self-test --exporter BIN

The catalogue comes from `cerniq_exporter --print-metrics` (name, type, labels); a histogram
`x` also provides `x_bucket`, `x_sum` and `x_count`. Names recorded by the given rule files
(`record:`) count as known; `up` and `ALERTS`/`ALERTS_FOR_STATE` are Prometheus's own. The
selectors are found with a small PromQL scanner: strings, label matchers, ranges, label lists
of by/without/on/ignoring/group_left/group_right and function calls are skipped, and every other
identifier is a metric name. Exit 1 with one line per unknown metric.
"""
import argparse
import json
import re
import subprocess
import sys

import yaml

PROMETHEUS_OWN = {"up", "ALERTS", "ALERTS_FOR_STATE"}
KEYWORDS = {"by", "without", "on", "ignoring", "group_left", "group_right", "bool", "and", "or",
            "unless", "offset", "atan2", "inf", "nan", "start", "end"}
AGG_LABEL_LISTS = re.compile(r"\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)")


def catalogue(exporter):
    out = subprocess.run([exporter, "--print-metrics"], check=True, capture_output=True,
                         text=True).stdout
    names = set()
    for line in out.splitlines():
        parts = line.split()
        if len(parts) < 2:
            continue
        if parts[1] == "histogram":  # only its _bucket/_sum/_count series exist
            names.update(parts[0] + s for s in ("_bucket", "_sum", "_count"))
        else:
            names.add(parts[0])
    if len(names) < 10:
        sys.exit(f"{exporter} --print-metrics listed only {len(names)} metrics")
    return names


def selected_metrics(expr):
    """Metric names selected by a PromQL expression."""
    s = re.sub(r'"(?:[^"\\]|\\.)*"|\'(?:[^\'\\]|\\.)*\'|`[^`]*`', '""', expr)  # strings
    # {__name__="x"} selectors name their metric inside the braces.
    names = set(re.findall(r'__name__\s*=\s*"([^"]*)"', expr))
    s = re.sub(r"\{[^}]*\}", " ", s)          # label matchers
    s = re.sub(r"\[[^\]]*\]", " ", s)         # ranges and subqueries
    s = AGG_LABEL_LISTS.sub(" ", s)           # label lists
    s = re.sub(r"@\s*(start|end)\s*\(\s*\)", " ", s)
    for m in re.finditer(r"[A-Za-z_:][A-Za-z0-9_:]*", s):
        word = m.group(0)
        rest = s[m.end():].lstrip()
        if rest.startswith("("):              # function or aggregation
            continue
        if word.lower() in KEYWORDS or re.fullmatch(r"[0-9].*", word):
            continue
        before = s[:m.start()].rstrip()
        if re.search(r"[0-9.]$", before) and not before.endswith(" "):
            continue                          # the unit of a number such as 5m or 1e3
        names.add(word)
    return names


def rule_exprs(path):
    with open(path, encoding="utf-8") as f:
        doc = yaml.safe_load(f) or {}
    for group in doc.get("groups", []):
        for rule in group.get("rules", []):
            yield rule.get("alert") or rule.get("record"), rule["expr"], rule.get("record")


def dashboard_exprs(path):
    with open(path, encoding="utf-8") as f:
        dash = json.load(f)

    def panels(items):
        for p in items:
            yield p
            yield from panels(p.get("panels", []))
    for p in panels(dash.get("panels", [])):
        for t in p.get("targets", []):
            if t.get("expr"):
                expr = re.sub(r"\$__(rate_interval|interval|range)", "5m", t["expr"])
                expr = re.sub(r"\$\{?(\w+)\}?", ".*", expr)
                yield f'panel "{p.get("title")}" {t.get("refId")}', expr
    for v in dash.get("templating", {}).get("list", []):
        q = v.get("query")
        q = q.get("query") if isinstance(q, dict) else q
        m = re.match(r"\s*label_values\((.*),\s*\w+\)\s*$", q or "")
        if m:
            yield f'variable "{v.get("name")}"', re.sub(r"\$\{?(\w+)\}?", ".*", m.group(1))


def check(exporter, rule_files, dashboards):
    known = catalogue(exporter) | PROMETHEUS_OWN
    items = []
    for path in rule_files:
        for name, expr, record in rule_exprs(path):
            if record:
                known.add(record)
            items.append((f"{path}: {name}", expr))
    for path in dashboards:
        items += [(f"{path}: {where}", expr) for where, expr in dashboard_exprs(path)]
    problems, seen = [], 0
    for where, expr in items:
        names = selected_metrics(expr)
        if not names:
            problems.append(f"{where}: no metric found in {expr!r}")
        for name in sorted(names - known):
            problems.append(f"{where}: selects {name}, which cerniq_exporter does not expose")
        seen += len(names)
    return items, seen, problems


def self_test(exporter):
    cases = {
        'sum by (queue) (rate(bullmq_jobs_completed_total{queue=~"a|b"}[5m]))':
            {"bullmq_jobs_completed_total"},
        'nurturing_client_churn_score_count - ignoring(le) nurturing_client_churn_score_bucket{le="80"} > 10':
            {"nurturing_client_churn_score_count", "nurturing_client_churn_score_bucket"},
        'time() - x_seconds > 2 * 86400 and on() day_of_month() >= 20': {"x_seconds"},
        'a offset 5m / on(job) group_left(queue) b': {"a", "b"},
        'count(nurturing_client_churn_score > 80) > 10': {"nurturing_client_churn_score"},
    }
    bad = 0
    for expr, want in cases.items():
        got = selected_metrics(expr)
        if got != want:
            print(f"self-test: {expr!r}: got {sorted(got)}, want {sorted(want)}")
            bad += 1
    # The runbook's literal ChurnRiskCritical selects a name the exporter does not expose as
    # samples (the histogram has only _bucket/_sum/_count series): it must be reported.
    import os
    import tempfile
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "literal.yaml")
        with open(path, "w", encoding="utf-8") as f:
            f.write("groups:\n- name: g\n  rules:\n"
                    "  - alert: ChurnRiskCritical\n"
                    "    expr: count(nurturing_client_churn_score > 80) > 10\n"
                    "  - alert: Fine\n"
                    "    expr: nurturing_client_churn_score_count > 0 and up == 1\n")
        _, _, problems = check(exporter, [path], [])
    if len(problems) != 1 or "selects nurturing_client_churn_score," not in problems[0]:
        print(f"self-test: literal runbook rule: got {problems}")
        bad += 1
    print("self-test:", "FAILED" if bad else "ok")
    return 1 if bad else 0


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--exporter", required=True)
    ap.add_argument("--dashboard", action="append", default=[])
    ap.add_argument("--self-test", action="store_true")
    ap.add_argument("rule_files", nargs="*")
    args = ap.parse_args()
    if args.self_test:
        return self_test(args.exporter)
    if not args.rule_files:
        ap.error("no rule files")
    items, seen, problems = check(args.exporter, args.rule_files, args.dashboard)
    for p in problems:
        print(p)
    print(f"{len(items)} expressions, {seen} metric selections, {len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
