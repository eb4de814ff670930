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

// One group's accumulator at one step.
struct Acc {
  Moments m;
  bool set = false;
};

// Groups in order of first appearance, with one accumulator per step; a series' group is fixed
// by its labels.
struct StepGroups {
  struct Group {
    Labels labels;
    std::vector<Acc> acc;
  };
  std::vector<Group> groups;
  std::vector<uint32_t> inputs_at;  // input samples per step
};

const NumberLiteral* ConstantScalar(const Expr& e) {
  const Expr& u = UnwrapParens(e);
  return u.kind == NodeKind::kNumber ? static_cast<const NumberLiteral*>(&u) : nullptr;
}

bool HasFastAggregate(Tok op) {
  switch (op) {
    case Tok::kSum:
    case Tok::kAvg:
    case Tok::kCount:
    case Tok::kMin:
    case Tok::kMax:
    case Tok::kGroup:
    case Tok::kStddev:
    case Tok::kStdvar:
      return true;
    default:
      return false;
  }
}

// Feeds every series of `in`, sample by sample, into its group's accumulator of that step.
StepGroups AccumulateSeries(const AggregateExpr& agg, const std::vector<std::string>& grouping,
                            const Matrix& in, int64_t start, int64_t interval, size_t steps) {
  StepGroups sg;
  sg.inputs_at.assign(steps, 0);
  std::unordered_map<uint64_t, size_t> index;
  std::vector<std::string> drop = grouping;
  drop.push_back(std::string(kMetricName));
  for (const auto& s : in) {
    uint64_t key = GroupingKey(s.metric, grouping, agg.without);
    auto [it, inserted] = index.try_emplace(key, sg.groups.size());
    if (inserted) {
      Labels l = agg.without ? s.metric.Drop(drop)
                             : (grouping.empty() ? Labels{} : s.metric.Keep(grouping));
      sg.groups.push_back({std::move(l), std::vector<Acc>(steps)});
    }
    auto& acc = sg.groups[it->second].acc;
    for (const auto& p : s.points) {
      const size_t k = NumSteps(start, p.t, interval) - 1;
      ++sg.inputs_at[k];
      Acc& a = acc[k];
      if (a.set) {
        AddMoments(agg.op, a.m, p.v);
      } else {
        a.set = true;
        a.m = StartMoments(agg.op, p.v);
      }
    }
  }
  return sg;
}

// Replays Prometheus's per-step sample accounting (the inputs of a step plus every output so
// far) and fails where it would; returns the samples held at the end.
int64_t ReplaySampleAccounting(const StepGroups& sg, int64_t held, int64_t max_samples) {
  const size_t steps = sg.inputs_at.size();
  std::vector<uint32_t> outputs_at(steps, 0);
  for (const auto& g : sg.groups)
    for (size_t k = 0; k < steps; ++k) outputs_at[k] += g.acc[k].set;
  for (size_t k = 0; k < steps; ++k) {
    if (held + sg.inputs_at[k] > max_samples) Fail(kTooMany);
    held += outputs_at[k];
    if (held + sg.inputs_at[k] > max_samples) Fail(kTooMany);
  }
  return held;
}

Matrix GroupsToMatrix(Tok op, StepGroups& sg, int64_t start, int64_t interval) {
  Matrix out;
  out.reserve(sg.groups.size());
  for (auto& g : sg.groups) {
    Series s{std::move(g.labels), {}};
    for (size_t k = 0; k < g.acc.size(); ++k) {
      if (!g.acc[k].set) continue;
      s.points.push_back(
          {Add(start, static_cast<int64_t>(k) * interval), FinishMoments(op, g.acc[k].m)});
    }
    out.push_back(std::move(s));
  }
  return out;
}

}  // namespace

std::optional<Matrix> Evaluator::FastAggregate(const AggregateExpr& agg,
                                               const std::vector<std::string>& grouping) {
  if (!HasFastAggregate(agg.op)) return std::nullopt;
  if (start_ == end_) return std::nullopt;  // instant queries keep the step-wise path
  const int64_t original_samples = current_samples;
  Matrix in = Eval(*agg.expr);
  const size_t steps = NumSteps(start_, end_, interval_);
  StepGroups sg = AccumulateSeries(agg, grouping, in, start_, interval_, steps);
  const int64_t held = ReplaySampleAccounting(sg, original_samples, opts_.max_samples);
  if (in.size() > 0) CheckCancel();
  Matrix out = GroupsToMatrix(agg.op, sg, start_, interval_);
  current_samples = held;
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
