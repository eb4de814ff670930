"""Broken YAML for the differential test: valid rule files and unit-test files, mutated.

Each mutant is the mistake a person (or an editor) makes in a YAML file: a tab, a wrong indent,
an unclosed quote or bracket, a bad escape, a repeated or unknown anchor, a bad block scalar
header, a stray document marker, a BOM, a control character, invalid UTF-8, CRLF, or random bytes
deleted or inserted. Deterministic for a given seed.
"""
import random

RULE_FILES = [
    """groups:
  - name: availability
    interval: 30s
    rules:
      - record: job:up:sum
        expr: sum by (job) (up)
        labels:
          team: "platform"
      - alert: InstanceDown
        expr: up == 0
        for: 5m
        labels:
          severity: page
        annotations:
          summary: 'Instance {{ $labels.instance }} down'
          description: "{{ $labels.instance }} of job {{ $labels.job }}\\n has been down"
""",
    """# queue alerts
groups:
- name: queues
  rules:
  - alert: QueueBacklog
    expr: |
      sum by (queue) (bullmq_jobs{state="waiting"})
        > 100
    for: 10m
    labels: {severity: warning, team: jobs}
    annotations:
      summary: >
        Queue {{ $labels.queue }} has
        {{ $value }} waiting jobs.
      runbook: "https://example.com/runbook#backlog"
  - record: queue:failed:rate5m
    expr: rate(bullmq_jobs_failed_total[5m])
""",
    """groups:
  - name: anchors
    rules:
      - alert: HighLatency
        expr: histogram_quantile(0.99, rate(http_request_duration_seconds_bucket[5m])) > 0.5
        labels: &common
          severity: ticket
          team: api
        annotations:
          summary: "p99 latency is {{ $value | humanizeDuration }}"
      - alert: HighErrors
        expr: sum(rate(http_errors_total[5m])) / sum(rate(http_requests_total[5m])) > 0.05
        labels: *common
        annotations: {summary: 'error ratio {{ $value | humanizePercentage }}', note: "a, b"}
  - name: "second group"
    rules: [{record: "a:b", expr: "vector(1)"}, {record: c:d, expr: 'vector(2)'}]
""",
    """---
groups:
  - name: pg
    limit: 10
    rules:
      - alert: PostgresDown
        expr: pg_up{job="postgres"} == 0
        for: 1m
        labels:
          severity: critical
        annotations:
          summary: |-
            PostgreSQL {{ $labels.instance }} is down.
            Check the "pg" service.
          tags: [db, 'postgres', "sql"]
...
""",
]

TEST_FILES = [
    """rule_files:
  - rules.yml
evaluation_interval: 1m
tests:
  - interval: 1m
    input_series:
      - series: 'up{job="api", instance="a"}'
        values: '1 1 0 0 0 0 0 0'
      - series: "up{job='api', instance='b'}"
        values: "1+0x8"
    alert_rule_test:
      - eval_time: 6m
        alertname: InstanceDown
        exp_alerts:
          - exp_labels:
              severity: page
              instance: a
              job: api
            exp_annotations:
              summary: "Instance a down"
    promql_expr_test:
      - expr: sum(up)
        eval_time: 2m
        exp_samples:
          - labels: '{}'
            value: 1
""",
    """rule_files: [rules.yml]
evaluation_interval: 30s
group_eval_order: [availability]
tests:
- name: recording
  interval: 30s
  external_labels: {region: eu}
  input_series:
  - series: up{job="x"}
    values: 1 1 1
  promql_expr_test:
  - expr: job:up:sum
    eval_time: 1m
    exp_samples:
    - labels: 'job:up:sum{job="x"}'
      value: 1
  alert_rule_test:
  - eval_time: 1m
    alertname: InstanceDown
    exp_alerts: []
""",
]

RULES_FOR_TESTS = """groups:
  - name: availability
    rules:
      - record: job:up:sum
        expr: sum by (job) (up)
      - alert: InstanceDown
        expr: up == 0
        for: 5m
        labels:
          severity: page
        annotations:
          summary: 'Instance {{ $labels.instance }} down'
"""

NOISE = list(":-[]{}#&*!|>'\"%@`,? \t\n\\") + ["a", "0", "---", "...", "\t", "  "]
CONTROL = ["\x00", "\x01", "\x07", "\x08", "\x0b", "\x0c", "\x1b", "\x7f", "\x85", "\u2028", "\ufeff"]
BAD_UTF8 = [b"\xff", b"\xc3", b"\xe2\x82", b"\xed\xa0\x80", b"\xc0\xaf", b"\xf8\x88\x80\x80\x80"]


def _lines(text):
    return text.split("\n")


def insert_tab(rng, text):
    lines = _lines(text)
    i = rng.randrange(len(lines))
    line = lines[i]
    indent = len(line) - len(line.lstrip(" "))
    where = rng.choice(["start", "indent", "value", "replace"])
    if where == "start":
        lines[i] = "\t" + line
    elif where == "indent":
        lines[i] = line[:indent] + "\t" + line[indent:]
    elif where == "replace" and indent:
        lines[i] = "\t" + line[rng.randrange(1, indent + 1):]
    else:
        pos = rng.randrange(len(line) + 1)
        lines[i] = line[:pos] + "\t" + line[pos:]
    return "\n".join(lines)


def shift_indent(rng, text):
    lines = _lines(text)
    i = rng.randrange(len(lines))
    delta = rng.choice([-3, -2, -1, 1, 2, 3, 4])
    line = lines[i]
    if delta > 0:
        lines[i] = " " * delta + line
    else:
        indent = len(line) - len(line.lstrip(" "))
        lines[i] = line[min(-delta, indent):]
    return "\n".join(lines)


def _delete_one(rng, text, chars):
    spots = [i for i, c in enumerate(text) if c in chars]
    if not spots:
        return text
    i = rng.choice(spots)
    return text[:i] + text[i + 1:]


def unclose_quote(rng, text):
    return _delete_one(rng, text, "\"'")


def unclose_flow(rng, text):
    return _delete_one(rng, text, "]}" if rng.random() < 0.7 else "[{")


def bad_escape(rng, text):
    spots = [i for i, c in enumerate(text) if c == '"']
    if not spots:
        return text
    i = rng.choice(spots) + 1
    esc = rng.choice(["\\q", "\\x4", "\\xZZ", "\\u12G4", "\\U0011000", "\\", "\\'", "\\ ", "\\0"])
    return text[:i] + esc + text[i:]


def anchors(rng, text):
    lines = _lines(text)
    i = rng.randrange(len(lines))
    line = lines[i]
    if ": " in line or line.rstrip().endswith(":"):
        key, sep, value = line.partition(":")
        kind = rng.choice(["&a ", "&a ", "*a", "*nope", "&", "*", "&a &b ", "!!str ", "!<x ", "! "])
        lines[i] = key + sep + " " + kind + value.lstrip()
    if rng.random() < 0.5:
        j = rng.randrange(len(lines))
        key, sep, value = lines[j].partition(": ")
        if sep:
            lines[j] = key + sep + "&a " + value
    return "\n".join(lines)


def block_scalar(rng, text):
    headers = ["|0", "|+-", "|x", ">10", "|1", "|2", "|-+", "| #c", "|#c", ">!", "|+", ">-", "|10"]
    lines = _lines(text)
    cands = [i for i, l in enumerate(lines) if ": " in l]
    if not cands:
        return text
    i = rng.choice(cands)
    key, _, value = lines[i].partition(": ")
    indent = len(key) - len(key.lstrip(" ")) + rng.choice([0, 1, 2, 4])
    lines[i] = key + ": " + rng.choice(headers)
    lines.insert(i + 1, " " * indent + value)
    if rng.random() < 0.3:
        lines.insert(i + 2, " " * (indent + rng.choice([-1, 1, 3])) + "more text")
    return "\n".join(lines)


def doc_marker(rng, text):
    lines = _lines(text)
    i = rng.randrange(len(lines) + 1)
    marker = rng.choice(["---", "...", "--- x", "... x", " ---", "---\n---", "%YAML 1.1", "%YAML 1.2",
                         "%TAG ! tag:x,2000:", "%FOO bar", "--- |", "---\t"])
    lines.insert(i, marker)
    return "\n".join(lines)


def bom(rng, text):
    where = rng.choice([0, 0, None])
    if where is None:
        where = rng.randrange(len(text) + 1)
    return text[:where] + "\ufeff" + text[where:]


def control_char(rng, text):
    i = rng.randrange(len(text) + 1)
    return text[:i] + rng.choice(CONTROL) + text[i:]


def random_edit(rng, text):
    for _ in range(rng.randint(1, 3)):
        i = rng.randrange(len(text) + 1)
        if rng.random() < 0.5 and text:
            text = text[:i] + text[i + rng.randint(1, 3):]
        else:
            text = text[:i] + rng.choice(NOISE) + text[i:]
    return text


def crlf(rng, text):
    text = text.replace("\n", "\r\n") if rng.random() < 0.7 else text.replace("\n", "\r")
    return MUTATIONS[rng.randrange(len(MUTATIONS) - 1)](rng, text)


def long_file(rng, text):
    """More than one 512-byte read of go-yaml, with the mistake late or early."""
    text = text + "\n".join("# padding comment line %d ................................" % i
                            for i in range(rng.randint(5, 30))) + "\n"
    return MUTATIONS[rng.randrange(len(MUTATIONS) - 2)](rng, text)


MUTATIONS = [insert_tab, shift_indent, unclose_quote, unclose_flow, bad_escape, anchors,
             block_scalar, doc_marker, bom, control_char, random_edit, long_file, crlf]


def mutate(rng, text):
    for _ in range(1 if rng.random() < 0.75 else 2):
        text = rng.choice(MUTATIONS)(rng, text)
    data = text.encode("utf-8")
    if rng.random() < 0.05:
        i = rng.randrange(len(data) + 1)
        data = data[:i] + rng.choice(BAD_UTF8) + data[i:]
    return data


def generate(seed, count):
    """Yields (name, kind, bytes); kind is "rules" or "tests"; the same seed gives the same files."""
    rng = random.Random(seed)
    for n in range(count):
        kind = "tests" if n % 3 == 2 else "rules"
        base = rng.choice(TEST_FILES if kind == "tests" else RULE_FILES)
        yield "%s_%04d.yml" % (kind, n), kind, mutate(rng, base)
