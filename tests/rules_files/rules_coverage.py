#!/usr/bin/env python3
"""Every alert of the rule files is tested and documented.

usage: rules_coverage.py RULES_DIR [RUNBOOK.md]

- each alerting rule has labels.severity (warning|critical) and non-empty summary, description
  and runbook annotations, the runbook naming a section (§N);
- each alerting rule has a runbook_url: the placeholder base the Helm chart replaces
  (RUNBOOK_BASE), etapa5-runbook.md, and the anchor of the section its runbook annotation names
  first, as Markdown renderers (GitHub, GitLab) make it from the runbook's heading (RUNBOOK.md,
  when given; without it the anchor must start with the section's number);
- each alert name has, in RULES_DIR/tests/*.yaml, a test where it fires (exp_alerts with
  exp_annotations) and a test where it must not (empty exp_alerts);
- for alerts with a `for`, a not-firing test at an earlier eval_time than a firing one;
- each queue-threshold rule (label queue) is covered for its queue;
- each recording rule is checked by a promql_expr_test.
Exit 1 with one line per gap.
"""
import glob
import os
import re
import sys

import yaml

RUNBOOK_BASE = "https://runbooks.example.com/cerniq/etapa5-runbook.md#"


def heading_anchors(runbook):
    """Section number -> anchor of the runbook's "### N.M Title" headings (GitHub's slugs)."""
    anchors = {}
    with open(runbook, encoding="utf-8") as f:
        for line in f:
            m = re.match(r"^#{2,4} (\d+\.\d+) ", line)
            if m:
                title = line.lstrip("#").strip().lower()
                anchors[m.group(1)] = re.sub(r"[^\w\- ]", "", title).replace(" ", "-")
    return anchors


def runbook_url_problem(ann, anchors):
    url = str(ann.get("runbook_url", ""))
    section = re.search(r"§(\d+\.\d+)", str(ann.get("runbook", "")))
    if not url:
        return "annotation runbook_url missing"
    if not url.startswith(RUNBOOK_BASE):
        return f"runbook_url {url} does not start with {RUNBOOK_BASE} (the chart replaces that base)"
    if not section:
        return None  # reported with the runbook annotation
    anchor = url[len(RUNBOOK_BASE):]
    want = anchors.get(section.group(1)) if anchors else None
    if want is not None and anchor != want:
        return f"runbook_url anchor #{anchor}, the runbook's §{section.group(1)} is #{want}"
    if want is None and not anchor.startswith(section.group(1).replace(".", "") + "-"):
        return f"runbook_url anchor #{anchor} is not §{section.group(1)}'s"
    return None


def duration(text):
    units = {"ms": 0.001, "s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800, "y": 31536000}
    return sum(int(n) * units[u] for n, u in re.findall(r"(\d+)(ms|s|m|h|d|w|y)", str(text)))


def main(rules_dir, runbook=None):
    anchors = heading_anchors(runbook) if runbook else {}
    alerts, records = {}, set()
    for path in sorted(glob.glob(os.path.join(rules_dir, "*.yaml"))):
        with open(path, encoding="utf-8") as f:
            for g in (yaml.safe_load(f) or {}).get("groups", []):
                for r in g["rules"]:
                    if "record" in r:
                        records.add(r["record"])
                    else:
                        alerts.setdefault(r["alert"], []).append(r)
    problems = []
    for name, rules in alerts.items():
        for r in rules:
            if r.get("labels", {}).get("severity") not in ("warning", "critical"):
                problems.append(f"{name}: severity label missing or not warning|critical")
            ann = r.get("annotations", {})
            for key in ("summary", "description", "runbook"):
                if not str(ann.get(key, "")).strip():
                    problems.append(f"{name}: annotation {key} missing")
            if not re.search(r"§\d", str(ann.get("runbook", ""))):
                problems.append(f"{name}: runbook annotation names no section")
            url_problem = runbook_url_problem(ann, anchors)
            if url_problem:
                problems.append(f"{name}: {url_problem}")
    fired, quiet, fired_queues, exprs = {}, {}, {}, set()
    for path in sorted(glob.glob(os.path.join(rules_dir, "tests", "*.yaml"))):
        with open(path, encoding="utf-8") as f:
            doc = yaml.safe_load(f)
        for t in doc.get("tests", []):
            for a in t.get("alert_rule_test", []) or []:
                at = duration(a["eval_time"])
                if a.get("exp_alerts"):
                    fired.setdefault(a["alertname"], []).append(at)
                    for e in a["exp_alerts"]:
                        if not e.get("exp_annotations"):
                            problems.append(f"{path}: {a['alertname']} at {a['eval_time']}: no exp_annotations")
                        q = (e.get("exp_labels") or {}).get("queue")
                        if q:
                            fired_queues.setdefault(a["alertname"], set()).add(q)
                else:
                    quiet.setdefault(a["alertname"], []).append(at)
            for p in t.get("promql_expr_test", []) or []:
                exprs.add(p["expr"].strip())
    for name, rules in alerts.items():
        if name not in fired:
            problems.append(f"{name}: no test where it fires")
            continue
        if name not in quiet:
            problems.append(f"{name}: no test where it must not fire")
        if any(duration(r.get("for", 0)) > 0 for r in rules) and \
                not any(q < f for q in quiet.get(name, []) for f in fired[name]):
            problems.append(f"{name}: no test that it stays quiet before its `for`")
        queues = {r["labels"]["queue"] for r in rules if "queue" in r.get("labels", {})}
        for q in sorted(queues - fired_queues.get(name, set())):
            problems.append(f"{name}: queue {q} never tested firing")
    for rec in sorted(records - exprs):
        problems.append(f"recording rule {rec}: no promql_expr_test")
    for p in problems:
        print(p)
    print(f"{len(alerts)} alert names, {sum(map(len, alerts.values()))} alerting rules, "
          f"{len(records)} recording rules, {len(problems)} gaps")
    return 1 if problems else 0


if __name__ == "__main__":
    if len(sys.argv) not in (2, 3):
        sys.exit(__doc__)
    sys.exit(main(*sys.argv[1:]))
