#!/usr/bin/env python3
"""Writes a PromQL test file of random statements over a fixed data set, with the expected
results computed by cerniqtool. ../shared/tools/promql_oracle.py then checks every statement
against promtool 2.42, which makes this a differential test of the evaluator.

Usage: random_statements.py CERNIQTOOL OUT.test COUNT SEED

Scalar parameters are drawn from ordinary and special values alike (NaN, +-Inf, 0, negative,
above 1). topk/bottomk only get a k that keeps no choice among tied values (k at least the
number of series, or one that makes them empty or fail): with ties promtool's choice depends on
Go map order."""
import os, random, sys
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from statements import Writer  # noqa: E402
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

# Special floats for scalar parameters, next to ordinary ones.
SPECIAL = ['NaN', 'Inf', '-Inf', '0', '-0.5', '-1', '1', '1.5', '2', '1e308']

def param(*ordinary):
    return random.choice(list(ordinary) + SPECIAL)

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
        return f'quantile({param("0.5", "0.9", "0", "1")}, {vec(d+1)})'
    if r < 0.86:
        return f'histogram_quantile({param("0.5", "0.9", "0.99")}, rate(h_bucket[{rng()}]))'
    if r < 0.87:
        return f'clamp({vec(d+1)}, {param("-1", "0", "2")}, {param("3", "50")})'
    if r < 0.9:
        return random.choice([
            f'round({vec(d+1)}, {param("0.3", "5", "1")})',
            f'clamp_min({vec(d+1)}, {param("3")})', f'clamp_max({vec(d+1)}, {param("3")})',
            f'quantile_over_time({param("0.25", "0.5", "0.99")}, c[{rng()}])',
            f'predict_linear(g[{rng()}], {param("60", "-30", "600")})',
            f'holt_winters(c[{rng()}], {param("0.1", "0.5", "0.9")}, {param("0.2", "0.7")})',
            f'{random.choice(["topk", "bottomk"])}({random.choice(["NaN", "Inf", "-Inf", "0", "-1", "0.5", "100", "1e19", "9223372036854775807"])}, {vec(d+1)})',
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

writer = Writer(tool, DATA)
count = 0
while count < n:
    e = vec()
    if writer.add(random.choice([0, 30, 300, 600, 1200, 1800, 2390]), e):
        count += 1
writer.write(out_path)
