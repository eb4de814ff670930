// Aggregation operators (sum, avg, topk, quantile, count_values, ...), as Prometheus 2.42.
#include <algorithm>
#include <cmath>
#include <limits>
#include <unordered_map>

#include "gocompat/float_format.h"
#include "gocompat/quote.h"
#include "gocompat/sort.h"
#include "promql/evaluator.h"

namespace cerniq::promql::internal {
namespace {

// Go's container/heap over a slice with a "less" function, so that topk/bottomk keep the same
// elements as Prometheus when values tie.
template <typename Less>
struct GoHeap {
  std::vector<Sample>& h;
  Less less;
  void Up(size_t j) {
    while (j > 0) {
      size_t i = (j - 1) / 2;
      if (i == j || !less(h[j], h[i])) break;
      std::swap(h[i], h[j]);
      j = i;
    }
  }
  bool Down(size_t i0, size_t n) {
    size_t i = i0;
    for (;;) {
      size_t j1 = 2 * i + 1;
      if (j1 >= n) break;
      size_t j = j1;
      if (size_t j2 = j1 + 1; j2 < n && less(h[j2], h[j1])) j = j2;
      if (!less(h[j], h[i])) break;
      std::swap(h[i], h[j]);
      i = j;
    }
    return i > i0;
  }
  void Push(Sample s) {
    h.push_back(std::move(s));
    Up(h.size() - 1);
  }
  void Pop() {
    size_t n = h.size() - 1;
    std::swap(h[0], h[n]);
    Down(0, n);
    h.pop_back();
  }
};

// vectorByValueHeap: NaN is the smallest.
bool ValueLess(const Sample& a, const Sample& b) { return std::isnan(a.v) || a.v < b.v; }
// vectorByReverseValueHeap: NaN is the "smallest" of the reversed order too.
bool ReverseValueLess(const Sample& a, const Sample& b) { return std::isnan(a.v) || a.v > b.v; }

// Offers s to a heap holding the k "best" samples, where the heap's top is the worst kept one
// (Prometheus's topk/bottomk loop, so that ties and NaN behave the same).
template <typename Less>
void KeepK(std::vector<Sample>& h, const Sample& s, int64_t k, Less less) {
  const bool full = static_cast<int64_t>(h.size()) == k;
  if (full && !less(h[0], s) && !std::isnan(h[0].v)) return;
  if (full) {
    if (k == 1) {
      h[0] = s;
      return;
    }
    GoHeap<Less>{h, less}.Pop();
  }
  GoHeap<Less>{h, less}.Push(s);
}

template <typename Less>
void GoSortReverse(std::vector<Sample>& v, Less less) {
  gocompat::Sort(v, [&](const Sample& a, const Sample& b) { return less(b, a); });
}

struct Group {
  Labels labels;
  Moments m;
  std::vector<Sample> heap;    // topk, bottomk
  std::vector<double> values;  // quantile
};

// topk/bottomk's k: Prometheus's convertibleToInt64 check (maxInt64 there is
// 9223372036854774784, the largest float64 below 2^63; minInt64 is exactly -2^63), then int64(f).
int64_t TopkLimit(double param) {
  if (!(param <= 9223372036854774784.0 && param >= -9223372036854775808.0))
    Fail("Scalar value " + gocompat::FormatFloat(param, 'g') + " overflows int64");
  return static_cast<int64_t>(param);
}

// The group a series starts: its output labels and the state after its first sample.
Group StartGroup(Tok op, const Sample& s, const Labels& metric,
                 const std::vector<std::string>& grouping, bool without) {
  Group g;
  if (without) {
    std::vector<std::string> drop = grouping;
    drop.push_back(std::string(kMetricName));
    g.labels = metric.Drop(drop);
  } else if (!grouping.empty()) {
    g.labels = metric.Keep(grouping);
  }
  g.m = StartMoments(op, s.v);
  if (op == Tok::kTopk || op == Tok::kBottomk) g.heap.push_back(s);
  if (op == Tok::kQuantile) g.values.push_back(s.v);
  return g;
}

// Adds a further sample of the group.
void Accumulate(Tok op, Group& g, const Sample& s, int64_t k) {
  switch (op) {
    case Tok::kTopk:
      KeepK(g.heap, s, k, ValueLess);
      break;
    case Tok::kBottomk:
      KeepK(g.heap, s, k, ReverseValueLess);
      break;
    case Tok::kQuantile:
      g.values.push_back(s.v);
      break;
    default:
      AddMoments(op, g.m, s.v);
      break;
  }
}

// Appends the group's result: one sample, or the kept samples of topk/bottomk.
void EmitGroup(Tok op, Group& g, double param, int64_t ts, Vector& out) {
  if (op == Tok::kTopk || op == Tok::kBottomk) {
    if (g.heap.size() > 1) {
      if (op == Tok::kTopk)
        GoSortReverse(g.heap, ValueLess);
      else
        GoSortReverse(g.heap, ReverseValueLess);
    }
    for (auto& s : g.heap) out.push_back({s.metric, s.t, s.v});
    return;
  }
  double value =
      op == Tok::kQuantile ? Quantile(param, std::move(g.values)) : FinishMoments(op, g.m);
  out.push_back({g.labels, ts, value});
}

}  // namespace

uint64_t GroupingKey(const Labels& l, const std::vector<std::string>& grouping, bool without) {
  if (without) return l.HashWithout(grouping);
  if (grouping.empty()) return 0;
  return l.HashFor(grouping);
}

Vector Aggregate(Evaluator&, const AggregateExpr& agg, const std::vector<std::string>& grouping_in,
                 double param, const std::string* string_param, const Vector& vec,
                 const std::vector<uint64_t>& keys) {
  const Tok op = agg.op;
  const bool without = agg.without;
  std::vector<std::string> grouping = grouping_in;
  int64_t k = 0;
  if (op == Tok::kTopk || op == Tok::kBottomk) {
    k = TopkLimit(param);
    if (k < 1) return {};
  }
  std::string value_label;
  bool recompute_key = false;
  if (op == Tok::kCountValues) {
    value_label = *string_param;
    if (!IsValidLabelName(value_label)) Fail("invalid label name " + gocompat::Quote(value_label));
    if (!without) {
      grouping.push_back(value_label);
      std::sort(grouping.begin(), grouping.end());
    }
    recompute_key = true;
  }

  std::vector<Group> groups;
  std::unordered_map<uint64_t, size_t> index;
  for (size_t si = 0; si < vec.size(); ++si) {
    const Sample& s = vec[si];
    Labels metric = s.metric;
    if (op == Tok::kCountValues)
      metric = LabelsBuilder(metric).Set(value_label, gocompat::FormatFloat(s.v, 'f')).Build();
    uint64_t key = recompute_key ? GroupingKey(metric, grouping, without) : keys[si];
    auto [it, inserted] = index.try_emplace(key, groups.size());
    if (inserted)
      groups.push_back(StartGroup(op, s, metric, grouping, without));
    else
      Accumulate(op, groups[it->second], s, k);
  }

  Vector out;
  out.reserve(groups.size());
  const int64_t ts = vec.empty() ? 0 : vec[0].t;
  for (auto& g : groups) EmitGroup(op, g, param, ts, out);
  return out;
}

}  // namespace cerniq::promql::internal
