#!/usr/bin/env python3
"""Writes a PromQL test file of random statements over a fixed data set, with the expected
results computed by cerniqtool. ../shared/tools/promql_oracle.py then checks every statement
against promtool 2.42, which makes this a differential test of the evaluator.

Usage: random_statements.py CERNIQTOOL OUT.test COUNT SEED

topk/bottomk are left out: with tied values promtool's choice depends on Go map order."""
import os, random, subprocess, sys, tempfile
tool, out_path, n, seed = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
random.seed(seed)
DATA = """load 30s
  c{job="a", i="1"} 0+7x40 3+5x40
  c{job="a", i="2"} 10+1x20 _x5 40+2x50
  c{job="b", i="1"} 1 2 3 stale 5+3x30 0+1x40
  g{job="a", i="1"} 1.5 -2 NaN 4 Inf 3 0.25+0.5x70
  g{job="b", i="3"} 100-1.5x60 _ -Inf 7 7 7 7 7 7 7 7 7 7 7
  g{job="b", i="4"} 0x80
  h_bucket{job="a", le="0.1"} 0+1x80
  h_bucket{job="a", le="1"} 0+3x80
  h_bucket{job="a", le="10"} 0+4x80
  h_bucket{job="a", le="+Inf"} 0+5x80
  h_bucket{job="b", le="1"} 0+2x80
  h_bucket{job="b", le="+Inf"} 0+2x80
"""
SEL = ['c', 'g', 'c{job="a"}', 'g{i=~"1|3"}', '{__name__=~"c|g"}', 'c offset 2m', 'g @ 600',
       'c{i!="2"}', 'nonexistent']
RANGE = ['1m', '2m', '5m', '10m']
RFUN = ['rate', 'increase', 'delta', 'irate', 'idelta', 'deriv', 'changes', 'resets',
        'avg_over_time', 'sum_over_time', 'min_over_time', 'max_over_time', 'count_over_time',
        'stddev_over_time', 'stdvar_over_time', 'last_over_time', 'present_over_time',
        'absent_over_time']
VFUN = ['abs', 'ceil', 'floor', 'exp', 'sqrt', 'ln', 'log2', 'log10', 'sgn', 'timestamp',
        'sort', 'sort_desc', 'absent', 'deg', 'rad', 'sinh', 'atan']
AGG = ['sum', 'avg', 'count', 'min', 'max', 'group', 'stddev', 'stdvar']
OPS = ['+', '-', '*', '/', '%', '^', '==', '!=', '>', '<', '>=', '<=', 'atan2']

def rng():
    return random.choice(RANGE)

def vec(d=0):
    r = random.random()
    if d > 2 or r < 0.25:
        return random.choice(SEL)
    if r < 0.45:
        sel = random.choice(['c', 'g', 'c{job="b"}'])
        if random.random() < 0.3:
            return f'{random.choice(RFUN)}(({vec(d+1)})[{rng()}:{random.choice(["", "30s", "1m"])}])'
        return f'{random.choice(RFUN)}({sel}[{rng()}])'
    if r < 0.55:
        return f'{random.choice(VFUN)}({vec(d+1)})'
    if r < 0.7:
        mod = random.choice(['', ' by (job)', ' without (i)', ' by (i, job)'])
        return f'{random.choice(AGG)}{mod} ({vec(d+1)})'
    if r < 0.82:
        return f'quantile({random.choice(["0.5", "0.9", "0", "1"])}, {vec(d+1)})'
    if r < 0.86:
        return f'histogram_quantile({random.choice(["0.5", "0.9", "0.99"])}, rate(h_bucket[{rng()}]))'
    if r < 0.87:
        return f'clamp({vec(d+1)}, {random.choice(["-1", "0", "2"])}, {random.choice(["3", "50"])})'
    if r < 0.9:
        return random.choice([
            f'round({vec(d+1)}, {random.choice(["0.3", "5", "1"])})',
            f'clamp_min({vec(d+1)}, 3)', f'clamp_max({vec(d+1)}, 3)',
            f'quantile_over_time({random.choice(["0.25", "0.5", "0.99"])}, c[{rng()}])',
            f'predict_linear(g[{rng()}], {random.choice(["60", "-30", "600"])})',
            f'holt_winters(c[{rng()}], 0.{random.randint(1, 9)}, 0.{random.randint(1, 9)})',
            f'label_replace({vec(d+1)}, "x", "$1-$2", "job", "(.)(.*)")',
            f'label_join({vec(d+1)}, "x", "/", "job", "i")',
            f'count_values("v", {vec(d+1)})',
            f'scalar({vec(d+1)}) * {vec(d+1)}',
            f'vector(time()) - {vec(d+1)}',
            f'sum_over_time(c[{rng()}] @ {random.choice(["300", "900"])} offset {random.choice(["1m", "-1m"])})',
            f'max_over_time(({vec(d+1)})[{rng()}:30s] offset 1m)',
            f'minute(timestamp({vec(d+1)}))',
        ])
    op = random.choice(OPS)
    boolm = ' bool' if op in ('==', '!=', '>', '<', '>=', '<=') and random.random() < 0.4 else ''
    if random.random() < 0.5:
        return f'{vec(d+1)} {op}{boolm} {random.choice(["2", "0.5", "-1", "0"])}'
    match = random.choice(['', ' on (job, i)', ' ignoring (i)', ' on (job) group_left',
                           ' ignoring (i) group_left'])
    return f'{vec(d+1)} {op}{boolm}{match} {vec(d+1)}'

lines = [DATA]
data_file = os.path.join(tempfile.mkdtemp(), 'data.test')
with open(data_file, 'w') as f:
    f.write(DATA)
count = 0
while count < n:
    e = vec()
    t = random.choice([0, 30, 300, 600, 1200, 1800, 2390])
    r = subprocess.run([tool, 'query', '--data', data_file, '--time', f'{t}s', e],
                       capture_output=True, text=True)
    if 'parse error' in r.stderr:
        continue
    count += 1
    if r.returncode != 0:
        lines.append(f'eval_fail instant at {t}s {e}\n')
        continue
    body = []
    for l in r.stdout.splitlines():
        if l.startswith('scalar: '):
            body.append(l[len('scalar: '):].split(' @[')[0])
        elif ' => ' in l:
            labels, rest = l.split(' => ')
            body.append(f'{labels} {rest.split(" @[")[0]}')
    lines.append(f'eval instant at {t}s {e}\n' + ''.join(f'  {b}\n' for b in body))
open(out_path, 'w').write('\n'.join(lines))
