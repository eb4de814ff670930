#!/usr/bin/env python3
"""Checks the exporter's status page as a real browser renders it against the exporter's own
JSON endpoints: per-queue waiting/active/failed/workers/paused/health against
/api/admin/queues/etapa5, alerts (name, state, labels, annotations) against /api/v1/alerts.
The page is loaded by Debian's chromium (--headless --dump-dom); the JSON is read before and
after, and a page is only judged when both reads agree (the state did not move meanwhile).
Also checks that hostile label values and annotations (see status_page.sh) show as text and
never as markup, and takes a screenshot.

usage: status_page_check.py EXPORTER_URL SCREENSHOT_PNG
Exit 0 pass, 1 fail.
"""
import json
import os
import subprocess
import sys
import tempfile
import time
import urllib.request
from html.parser import HTMLParser

ATTEMPTS = 6
HOSTILE_LABEL = "<script>alert('label')</script>\"&"
HOSTILE_SUMMARY_START = "<img src=x onerror=alert(1)> \"quoted\" & 'single'"


def get_json(url):
    with urllib.request.urlopen(url, timeout=10) as r:
        return json.load(r)


def chromium(args, url):
    with tempfile.TemporaryDirectory(prefix="cerniq-chromium-") as profile:
        cmd = ["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
               "--disable-dev-shm-usage", f"--user-data-dir={profile}"] + args + [url]
        r = subprocess.run(cmd, capture_output=True, text=True, timeout=90)
        if r.returncode != 0:
            raise RuntimeError(f"chromium exited {r.returncode}: {r.stderr[-2000:]}")
        return r.stdout


class StatusDom(HTMLParser):
    """Collects the queue rows, alert rows and script elements of the dumped DOM."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.queues = {}      # (prefix, name) -> {field: text}
        self.alerts = []      # {name, state, labels: {}, annotations: {}}
        self.scripts = 0
        self.elements_with_handlers = 0
        self.text = []
        self._row = None      # ("queue", key) or ("alert", dict)
        self._field = None
        self._cell_depth = 0
        self._capture = None  # "chip", "dt", "dd"
        self._buf = ""
        self._last_dt = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "script":
            self.scripts += 1
        if any(name.startswith("on") for name, _ in attrs):
            self.elements_with_handlers += 1
        if tag == "tr" and "data-queue" in a:
            key = (a["data-prefix"], a["data-queue"])
            self.queues[key] = {}
            self._row = ("queue", key)
        elif tag == "tr" and "data-alert" in a:
            alert = {"name": a["data-alert"], "state": a["data-state"], "labels": {},
                     "annotations": {}}
            self.alerts.append(alert)
            self._row = ("alert", alert)
        elif tag == "td" and self._row and self._row[0] == "queue" and "data-field" in a:
            self._field, self._buf = a["data-field"], ""
        elif self._row and self._row[0] == "alert" and tag == "span" and "chip" in a.get("class", ""):
            self._capture, self._buf = "chip", ""
        elif self._row and self._row[0] == "alert" and tag in ("dt", "dd"):
            self._capture, self._buf = tag, ""

    def handle_endtag(self, tag):
        if tag == "tr":
            self._row = None
        elif tag == "td" and self._field:
            self.queues[self._row[1]][self._field] = self._buf.strip()
            self._field = None
        elif self._capture == "chip" and tag == "span":
            name, _, value = self._buf.partition("=")
            self._row[1]["labels"][name] = value
            self._capture = None
        elif self._capture == "dt" and tag == "dt":
            self._last_dt = self._buf
            self._capture = None
        elif self._capture == "dd" and tag == "dd":
            self._row[1]["annotations"][self._last_dt] = self._buf
            self._capture = None

    def handle_data(self, data):
        self.text.append(data)
        if self._field or self._capture:
            self._buf += data


def expected_queue_cells(q):
    """What the page must show for one entry of /api/admin/queues/etapa5."""
    if not q.get("available"):
        return {"waiting": "—", "active": "—", "failed": "—", "status": "no data"}
    cells = {f: str(q[f]) for f in ("waiting", "active", "failed")}
    cells["workers"] = str(q["workers"]) if "workers" in q else "—"
    cells["paused"] = "paused" if q["paused"] else "no"
    if "healthy" in q:
        cells["status"] = "healthy" if q["healthy"] else "attention"
    else:
        cells["status"] = "no threshold"
    return cells


def alert_key(name, state, labels):
    return (name, state, tuple(sorted(labels.items())))


def compare(dom, queues, alerts):
    problems = []
    api_keys = {(q["prefix"], q["name"]) for q in queues["queues"]}
    if set(dom.queues) != api_keys:
        problems.append(f"queue rows {sorted(dom.queues)} != API queues {sorted(api_keys)}")
    for q in queues["queues"]:
        row = dom.queues.get((q["prefix"], q["name"]), {})
        for field, want in expected_queue_cells(q).items():
            if row.get(field) != want:
                problems.append(f"queue {q['name']}: {field} shows {row.get(field)!r}, API {want!r}")
    want = {}
    for a in alerts["data"]["alerts"]:
        labels = dict(a["labels"])
        name = labels.pop("alertname")
        want[alert_key(name, a["state"], labels)] = a["annotations"]
    got = {alert_key(a["name"], a["state"], a["labels"]): a["annotations"] for a in dom.alerts}
    for key in sorted(set(want) - set(got)):
        problems.append(f"alert missing on the page: {key}")
    for key in sorted(set(got) - set(want)):
        problems.append(f"alert on the page but not in /api/v1/alerts: {key}")
    for key in sorted(set(want) & set(got)):
        if want[key] != got[key]:
            problems.append(f"alert {key}: annotations {got[key]} != API {want[key]}")
    return problems


def check_hostile(dom):
    problems = []
    if dom.scripts:
        problems.append(f"{dom.scripts} <script> element(s) in the DOM: a value was not escaped")
    if dom.elements_with_handlers:
        problems.append(f"{dom.elements_with_handlers} element(s) with on* handlers in the DOM")
    hostile = [a for a in dom.alerts if a["name"] == "HostileValues"]
    if not hostile:
        problems.append("the HostileValues alert is not on the page")
    for a in hostile:
        if a["labels"].get("note") != HOSTILE_LABEL:
            problems.append(f"hostile label shows as {a['labels'].get('note')!r}")
        if not a["annotations"].get("summary", "").startswith(HOSTILE_SUMMARY_START):
            problems.append(f"hostile summary shows as {a['annotations'].get('summary')!r}")
    return problems


def shown(state):
    """The part of the JSON the page shows (not oldest_waiting_age_seconds, activeAt, value)."""
    queues, alerts = state
    return ([(q["prefix"], q["name"], expected_queue_cells(q)) for q in queues["queues"]],
            sorted(json.dumps([a["labels"], a["state"], a["annotations"]], sort_keys=True)
                   for a in alerts["data"]["alerts"]))


def main():
    exporter, screenshot = sys.argv[1], sys.argv[2]
    page_url = exporter + "/"
    for attempt in range(1, ATTEMPTS + 1):
        before = (get_json(exporter + "/api/admin/queues/etapa5"),
                  get_json(exporter + "/api/v1/alerts"))
        dom_text = chromium(["--dump-dom"], page_url)
        after = (get_json(exporter + "/api/admin/queues/etapa5"),
                 get_json(exporter + "/api/v1/alerts"))
        if shown(before) != shown(after):
            print(f"attempt {attempt}: the state moved while the page loaded; again")
            time.sleep(1)
            continue
        dom = StatusDom()
        dom.feed(dom_text)
        problems = compare(dom, *after) + check_hostile(dom)
        firing = sum(a["state"] == "firing" for a in dom.alerts)
        pending = sum(a["state"] == "pending" for a in dom.alerts)
        if firing == 0 or pending == 0:
            problems.append(f"expected firing and pending alerts, page shows {firing} firing, "
                            f"{pending} pending")
        if problems:
            print("FAIL: the status page differs from the exporter's JSON:")
            for p in problems:
                print("  " + p)
            return 1
        print(f"page matches the JSON: {len(dom.queues)} queues, {firing} firing and {pending} "
              f"pending alerts, hostile values shown as text")
        break
    else:
        print(f"FAIL: the state never held still over {ATTEMPTS} page loads")
        return 1
    os.makedirs(os.path.dirname(os.path.abspath(screenshot)), exist_ok=True)
    chromium([f"--screenshot={os.path.abspath(screenshot)}", "--window-size=1400,2400",
              "--hide-scrollbars"], page_url)
    if not os.path.getsize(screenshot) > 10000:
        print(f"FAIL: screenshot {screenshot} is empty or tiny")
        return 1
    print(f"screenshot: {os.path.abspath(screenshot)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
