// Range-evaluation shortcuts. Prometheus evaluates aggregations and operators step by step,
// gathering one sample per series at each step; with thousands of series that walk is bound by
// cache misses. These paths walk series by series instead, and visit the samples of each step in
// the same (series) order, so floating-point results are bit-identical to the step-wise path.
#include <cmath>
#include <unordered_map>

#include "promql/evaluator.h"

namespace cerniq::promql::internal {
namespace {

const char* const kTooMany =
    "query processing would load too many samples into memory in query execution";

struct Acc {
  double value = 0;
  double mean = 0;
  double count = 0;
  bool set = false;
};

const NumberLiteral* ConstantScalar(const Expr& e) {
  const Expr& u = UnwrapParens(e);
  return u.kind == NodeKind::kNumber ? static_cast<const NumberLiteral*>(&u) : nullptr;
}

}  // namespace

std::optional<Matrix> Evaluator::FastAggregate(const AggregateExpr& agg,
                                               const std::vector<std::string>& grouping) {
  switch (agg.op) {
    case Tok::kSum:
    case Tok::kAvg:
    case Tok::kCount:
    case Tok::kMin:
    case Tok::kMax:
    case Tok::kGroup:
    case Tok::kStddev:
    case Tok::kStdvar:
      break;
    default:
      return std::nullopt;
  }
  if (start_ == end_) return std::nullopt;  // instant queries keep the step-wise path
  const int64_t original_samples = current_samples;
  Matrix in = Eval(*agg.expr);
  const size_t steps = NumSteps(start_, end_, interval_);

  // Groups in order of first appearance; a series' group is fixed by its labels.
  struct Group {
    Labels labels;
    std::vector<Acc> acc;
  };
  std::vector<Group> groups;
  std::unordered_map<uint64_t, size_t> index;
  std::vector<uint32_t> inputs_at(steps, 0);
  std::vector<std::string> drop = grouping;
  drop.push_back(std::string(kMetricName));
  for (const auto& s : in) {
    uint64_t key = GroupingKey(s.metric, grouping, agg.without);
    auto [it, inserted] = index.try_emplace(key, groups.size());
    if (inserted) {
      Labels l = agg.without ? s.metric.Drop(drop)
                             : (grouping.empty() ? Labels{} : s.metric.Keep(grouping));
      groups.push_back({std::move(l), std::vector<Acc>(steps)});
    }
    auto& acc = groups[it->second].acc;
    for (const auto& p : s.points) {
      const size_t k = NumSteps(start_, p.t, interval_) - 1;
      ++inputs_at[k];
      Acc& a = acc[k];
      const double v = p.v;
      if (!a.set) {
        a.set = true;
        a.value = v;
        a.mean = v;
        a.count = 1;
        if (agg.op == Tok::kStddev || agg.op == Tok::kStdvar) a.value = 0;
        if (agg.op == Tok::kGroup) a.value = 1;
        continue;
      }
      switch (agg.op) {
        case Tok::kSum:
          a.value += v;
          break;
        case Tok::kAvg:
          a.count++;
          if (std::isinf(a.mean)) {
            if (std::isinf(v) && (a.mean > 0) == (v > 0)) break;
            if (!std::isinf(v) && !std::isnan(v)) break;
          }
          a.mean += v / a.count - a.mean / a.count;
          break;
        case Tok::kMax:
          if (a.value < v || std::isnan(a.value)) a.value = v;
          break;
        case Tok::kMin:
          if (a.value > v || std::isnan(a.value)) a.value = v;
          break;
        case Tok::kCount:
          a.count++;
          break;
        case Tok::kStddev:
        case Tok::kStdvar: {
          a.count++;
          double delta = v - a.mean;
          a.mean += delta / a.count;
          a.value += delta * (v - a.mean);
          break;
        }
        default:
          break;
      }
    }
  }
  // Replay Prometheus's per-step sample accounting: the inputs of a step plus every output so far.
  std::vector<uint32_t> outputs_at(steps, 0);
  for (const auto& g : groups)
    for (size_t k = 0; k < steps; ++k) outputs_at[k] += g.acc[k].set;
  int64_t held = original_samples;
  for (size_t k = 0; k < steps; ++k) {
    if (held + inputs_at[k] > opts_.max_samples) Fail(kTooMany);
    held += outputs_at[k];
    if (held + inputs_at[k] > opts_.max_samples) Fail(kTooMany);
  }
  if (in.size() > 0) CheckCancel();

  Matrix out;
  out.reserve(groups.size());
  for (auto& g : groups) {
    Series s{std::move(g.labels), {}};
    for (size_t k = 0; k < steps; ++k) {
      const Acc& a = g.acc[k];
      if (!a.set) continue;
      double v = a.value;
      switch (agg.op) {
        case Tok::kAvg:
          v = a.mean;
          break;
        case Tok::kCount:
          v = a.count;
          break;
        case Tok::kStdvar:
          v = a.value / a.count;
          break;
        case Tok::kStddev:
          v = std::sqrt(a.value / a.count);
          break;
        default:
          break;
      }
      s.points.push_back({Add(start_, static_cast<int64_t>(k) * interval_), v});
    }
    out.push_back(std::move(s));
  }
  current_samples = original_samples + (held - original_samples);
  return out;
}

std::optional<Matrix> Evaluator::FastVectorScalar(const BinaryExpr& bin) {
  if (start_ == end_) return std::nullopt;
  const bool swap = bin.lhs->Type() == ValueType::kScalar;
  const NumberLiteral* lit = ConstantScalar(swap ? *bin.lhs : *bin.rhs);
  if (!lit) return std::nullopt;
  const Tok op = bin.op;
  const bool drop_name = bin.return_bool || op == Tok::kAdd || op == Tok::kSub || op == Tok::kMul ||
                         op == Tok::kDiv || op == Tok::kPow || op == Tok::kMod;
  const int64_t original_samples = current_samples;
  Matrix m = Eval(swap ? *bin.rhs : *bin.lhs);
  if (drop_name) {
    // Dropping the name may merge series; the step-wise path decides what that means.
    std::unordered_map<uint64_t, int> seen;
    for (const auto& s : m)
      if (seen[DropMetricName(s.metric).Hash()]++) return std::nullopt;
  }
  const double scalar = lit->val;
  int64_t total = 0;
  Matrix out;
  out.reserve(m.size());
  for (auto& s : m) {
    Series r{drop_name ? DropMetricName(s.metric) : std::move(s.metric), {}};
    r.points.reserve(s.points.size());
    for (const auto& p : s.points) {
      if (auto v = VectorScalarElem(op, p.v, scalar, swap, bin.return_bool))
        r.points.push_back({p.t, *v});
    }
    total += static_cast<int64_t>(r.points.size());
    if (!r.points.empty()) out.push_back(std::move(r));
  }
  current_samples = original_samples + total;
  if (current_samples > opts_.max_samples) Fail(kTooMany);
  return out;
}

}  // namespace cerniq::promql::internal
