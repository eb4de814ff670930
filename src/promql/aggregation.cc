// Aggregation operators (sum, avg, topk, quantile, count_values, ...), as Prometheus 2.42.
#include <algorithm>
#include <cmath>
#include <limits>
#include <unordered_map>

#include "gocompat/float_format.h"
#include "gocompat/quote.h"
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
  auto rev = [&](const Sample& a, const Sample& b) { return less(b, a); };
  if (v.size() <= 12) {
    for (size_t i = 1; i < v.size(); ++i)
      for (size_t j = i; j > 0 && rev(v[j], v[j - 1]); --j) std::swap(v[j], v[j - 1]);
    return;
  }
  std::stable_sort(v.begin(), v.end(), rev);
}

struct Group {
  Labels labels;
  double value = 0;
  double mean = 0;
  double count = 0;
  std::vector<Sample> heap;
  std::vector<double> values;
};

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
    if (std::isnan(param) || param >= 9.2233720368547758e18 || param <= -9.2233720368547758e18)
      Fail("Scalar value " + gocompat::FormatFloat(param, 'g') + " overflows int64");
    k = static_cast<int64_t>(param);
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
    if (inserted) {
      Group g;
      if (without) {
        std::vector<std::string> drop = grouping;
        drop.push_back(std::string(kMetricName));
        g.labels = metric.Drop(drop);
      } else if (!grouping.empty()) {
        g.labels = metric.Keep(grouping);
      }
      g.value = s.v;
      g.mean = s.v;
      g.count = 1;
      switch (op) {
        case Tok::kStdvar:
        case Tok::kStddev:
          g.value = 0;
          break;
        case Tok::kTopk:
        case Tok::kBottomk:
          g.heap.push_back(s);
          break;
        case Tok::kQuantile:
          g.values.push_back(s.v);
          break;
        case Tok::kGroup:
          g.value = 1;
          break;
        default:
          break;
      }
      groups.push_back(std::move(g));
      continue;
    }
    Group& g = groups[it->second];
    switch (op) {
      case Tok::kSum:
        g.value += s.v;
        break;
      case Tok::kAvg:
        g.count++;
        if (std::isinf(g.mean)) {
          if (std::isinf(s.v) && (g.mean > 0) == (s.v > 0)) break;
          if (!std::isinf(s.v) && !std::isnan(s.v)) break;
        }
        // Divide both terms by the count to avoid overflow.
        g.mean += s.v / g.count - g.mean / g.count;
        break;
      case Tok::kMax:
        if (g.value < s.v || std::isnan(g.value)) g.value = s.v;
        break;
      case Tok::kMin:
        if (g.value > s.v || std::isnan(g.value)) g.value = s.v;
        break;
      case Tok::kCount:
      case Tok::kCountValues:
        g.count++;
        break;
      case Tok::kStdvar:
      case Tok::kStddev: {
        g.count++;
        double delta = s.v - g.mean;
        g.mean += delta / g.count;
        g.value += delta * (s.v - g.mean);
        break;
      }
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
        break;
    }
  }

  Vector out;
  out.reserve(groups.size());
  const int64_t ts = vec.empty() ? 0 : vec[0].t;
  for (auto& g : groups) {
    switch (op) {
      case Tok::kAvg:
        g.value = g.mean;
        break;
      case Tok::kCount:
      case Tok::kCountValues:
        g.value = g.count;
        break;
      case Tok::kStdvar:
        g.value = g.value / g.count;
        break;
      case Tok::kStddev:
        g.value = std::sqrt(g.value / g.count);
        break;
      case Tok::kTopk:
      case Tok::kBottomk:
        if (g.heap.size() > 1) {
          if (op == Tok::kTopk)
            GoSortReverse(g.heap, ValueLess);
          else
            GoSortReverse(g.heap, ReverseValueLess);
        }
        for (auto& s : g.heap) out.push_back({s.metric, s.t, s.v});
        continue;
      case Tok::kQuantile:
        g.value = Quantile(param, std::move(g.values));
        break;
      default:
        break;
    }
    out.push_back({g.labels, ts, g.value});
  }
  return out;
}

}  // namespace cerniq::promql::internal
