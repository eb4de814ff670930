#!/usr/bin/env python3
"""Writes a PromQL test file that calls every function and aggregation with a scalar (or string)
parameter with ordinary and special arguments: NaN, +-Inf, zero, negative, fractional and
out-of-range values, invalid label names and regular expressions. The expected results come from
cerniqtool; ../shared/tools/promql_oracle.py then checks each statement against promtool 2.42.

Not covered: a bucket with le="NaN". Go's result then depends on the order in which the buckets
reach sort.Sort, which in promtool follows Go map order (random).

Usage: special_params.py CERNIQTOOL OUT.test"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from statements import Writer  # noqa: E402

DATA = """load 30s
  c{job="a", i="1"} 0+7x40
  c{job="a", i="2"} 10+1x20 _x5 40+2x14
  c{job="b", i="1"} 1 2 3 stale 5+3x36
  g{job="a", i="1"} 1.5 -2 NaN 4 Inf 3 0.25+0.5x34
  g{job="b", i="3"} 100-1.5x30 _ -Inf 7 7 7 7 7 7 7 7
  h_bucket{job="a", le="0.1"} 0+1x40
  h_bucket{job="a", le="1"} 0+3x40
  h_bucket{job="a", le="10"} 0+4x40
  h_bucket{job="a", le="+Inf"} 0+5x40
  h_bucket{job="b", le="1"} 0+2x40
  h_bucket{job="b", le="+Inf"} 0+2x40
  h_bucket{job="noinf", le="1"} 0+2x40
  h_bucket{job="noinf", le="5"} 0+3x40
  h_bucket{job="one", le="+Inf"} 0+2x40
  h_bucket{job="zero", le="1"} 0x40
  h_bucket{job="zero", le="+Inf"} 0x40
  h_bucket{job="neg", le="-1"} 0+1x40
  h_bucket{job="neg", le="+Inf"} 0+2x40
  h_bucket{job="nancount", le="1"} NaN NaN NaN NaN NaN NaN NaN NaN NaN NaN NaN NaN
  h_bucket{job="nancount", le="2"} 0+1x40
  h_bucket{job="nancount", le="+Inf"} 0+2x40
  h_bucket{job="nonmono", le="1"} 0+5x40
  h_bucket{job="nonmono", le="2"} 0+3x40
  h_bucket{job="nonmono", le="+Inf"} 0+6x40
  h_bucket{job="badle", le="x"} 0+1x40
  h_bucket{job="dup", le="1"} 0+1x40
  h_bucket{job="dup", le="1.0"} 0+1x40
  h_bucket{job="dup", le="+Inf"} 0+4x40
"""

SPECIAL = ['NaN', 'Inf', '-Inf', '0', '-0', '-1', '-0.5', '0.5', '1', '1.5', '2', '1e308',
           '-1e308', '5e-324']
TIMES = [300, 1200]


def cases():
    for p in SPECIAL:
        yield f'histogram_quantile({p}, h_bucket)'
        yield f'histogram_quantile({p}, rate(h_bucket[5m]))'
        yield f'quantile({p}, c)'
        yield f'quantile by (job) ({p}, g)'
        yield f'quantile_over_time({p}, g[5m])'
        yield f'quantile_over_time({p}, c[2m])'
        yield f'round(g, {p})'
        yield f'round(c / 7, {p})'
        yield f'clamp_min(g, {p})'
        yield f'clamp_max(g, {p})'
        yield f'clamp(g, {p}, 3)'
        yield f'clamp(g, -3, {p})'
        yield f'clamp(g, {p}, {p})'
        yield f'predict_linear(g[5m], {p})'
        yield f'predict_linear(c[5m], {p})'
        yield f'holt_winters(c[5m], {p}, 0.5)'
        yield f'holt_winters(c[5m], 0.5, {p})'
        yield f'holt_winters(nonexistent[5m], {p}, {p})'
        yield f'topk({p}, c)'
        yield f'bottomk({p}, g)'
        yield f'topk({p}, nonexistent)'
        yield f'sort(quantile without (i) ({p}, c))'
    for k in ['100', '1e18', '9223372036854775807', '9223372036854775808', '1e19',
              '-9223372036854775808', '-1e19', '0.9999', '2.5']:
        yield f'topk({k}, c)'
        yield f'bottomk by (job) ({k}, g)'
    # Parameters that change from step to step or come from expressions.
    yield 'histogram_quantile(scalar(g{i="1"}), h_bucket)'
    yield 'quantile(scalar(g{i="1"}), c)'
    yield 'topk(scalar(g{i="1"}), c)'
    yield 'round(c, scalar(g{i="1"}))'
    yield 'histogram_quantile(0 / 0, h_bucket)'
    yield 'histogram_quantile(-(0 / 0), rate(h_bucket[5m]))'
    # String parameters: label names and regular expressions.
    for name in ['"v"', '"__name__"', '"job"', '""', '"1a"', '"a-b"', '"a b"', '"é"', '"_"']:
        yield f'count_values({name}, g)'
        yield f'label_replace(g, {name}, "x", "job", "(.*)")'
        yield f'label_join(g, {name}, "-", "job", "i")'
        yield f'label_join(g, "dst", "-", "job", {name})'
        yield f'label_replace(g, "dst", "$1", {name}, "(.*)")'
        yield f'label_join(nonexistent, {name}, "-", "job")'
    for regex in ['"("', '"[a"', '"a**"', '"a{1001}"', '"a{2}{3}"', '"\\\\C"', '"(?P<n>a)"',
                  '"(?<n>a)"', '"\\\\Z"', '"\\\\pN"', '"\\\\p{Greek}"', '"[[:word:]]"',
                  '"(?i)A"', '"(?U)a+"', '"x*"', '""', '".*"', '"\\\\Q.*\\\\E"', '"a|"',
                  '"(?:"', '"\\\\8"', '"[z-a]"', '"\\\\xZZ"']:
        yield f'label_replace(g, "dst", "[$1]", "job", {regex})'
        yield f'label_replace(nonexistent, "dst", "$1", "job", {regex})'
    # Date functions on out-of-range timestamps.
    for v in ['NaN', 'Inf', '-Inf', '-1', '1e18', '-1e18', '9.3e18', '253402300800']:
        for fn in ['minute', 'hour', 'day_of_week', 'day_of_month', 'day_of_year',
                   'days_in_month', 'month', 'year']:
            yield f'{fn}(vector({v}))'


def main():
    tool, out_path = sys.argv[1], sys.argv[2]
    writer = Writer(tool, DATA)
    n = 0
    for expr in cases():
        for t in TIMES:
            if not writer.add(t, expr):
                sys.exit(f'special_params.py: does not parse: {expr}')
            n += 1
    writer.write(out_path)
    print(f'{n} statements')


if __name__ == '__main__':
    main()
