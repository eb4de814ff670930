// Binary operators between scalars and vectors, with vector matching, as Prometheus 2.42.
#include <cmath>
#include <unordered_map>
#include <unordered_set>

#include "promql/evaluator.h"

namespace cerniq::promql::internal {
namespace {

bool DropsMetricName(Tok op) {
  switch (op) {
    case Tok::kAdd:
    case Tok::kSub:
    case Tok::kDiv:
    case Tok::kMul:
    case Tok::kPow:
    case Tok::kMod:
      return true;
    default:
      return false;
  }
}

// The value and whether the sample is kept (comparisons filter).
std::pair<double, bool> ElemBinop(Tok op, double l, double r) {
  switch (op) {
    case Tok::kAdd:
      return {l + r, true};
    case Tok::kSub:
      return {l - r, true};
    case Tok::kMul:
      return {l * r, true};
    case Tok::kDiv:
      return {l / r, true};
    case Tok::kPow:
      return {std::pow(l, r), true};
    case Tok::kMod:
      return {std::fmod(l, r), true};
    case Tok::kEqlc:
      return {l, l == r};
    case Tok::kNeq:
      return {l, l != r};
    case Tok::kGtr:
      return {l, l > r};
    case Tok::kLss:
      return {l, l < r};
    case Tok::kGte:
      return {l, l >= r};
    case Tok::kLte:
      return {l, l <= r};
    case Tok::kAtan2:
      return {std::atan2(l, r), true};
    default:
      Fail("operator \"" + std::string(TokText(op)) +
           "\" not allowed for operations between Vectors");
  }
}

Labels ResultMetric(const Labels& lhs, const Labels& rhs, Tok op, const VectorMatching& m) {
  LabelsBuilder b(lhs);
  if (DropsMetricName(op)) b.Del(kMetricName);
  if (m.card == Card::kOneToOne) {
    if (m.on) {
      Labels kept = b.Build().Keep(m.matching_labels);
      b = LabelsBuilder(kept);
    } else {
      for (const auto& n : m.matching_labels) b.Del(n);
    }
  }
  for (const auto& n : m.include) {
    // Labels named in group_x come from the "one" side.
    std::string_view v = rhs.Get(n);
    if (!v.empty())
      b.Set(n, v);
    else
      b.Del(n);
  }
  return b.Build();
}

Labels MatchedLabels(const Labels& l, const VectorMatching& m) {
  if (m.on) return l.Keep(m.matching_labels);
  std::vector<std::string> drop = m.matching_labels;
  drop.push_back(std::string(kMetricName));
  return l.Drop(drop);
}

}  // namespace

double ScalarBinop(Tok op, double l, double r) {
  switch (op) {
    case Tok::kEqlc:
      return l == r ? 1 : 0;
    case Tok::kNeq:
      return l != r ? 1 : 0;
    case Tok::kGtr:
      return l > r ? 1 : 0;
    case Tok::kLss:
      return l < r ? 1 : 0;
    case Tok::kGte:
      return l >= r ? 1 : 0;
    case Tok::kLte:
      return l <= r ? 1 : 0;
    default:
      return ElemBinop(op, l, r).first;
  }
}

uint64_t MatchSignature(const Labels& l, const VectorMatching& m) {
  return m.on ? l.HashFor(m.matching_labels) : l.HashWithout(m.matching_labels);
}

std::optional<double> VectorScalarElem(Tok op, double v, double scalar, bool swap,
                                       bool return_bool) {
  double lv = v, rv = scalar;
  if (swap) std::swap(lv, rv);
  auto [value, keep] = ElemBinop(op, lv, rv);
  // A comparison keeps the vector's value even when the vector is on the right.
  if (IsComparison(op) && swap) value = rv;
  if (return_bool) return keep ? 1.0 : 0.0;
  if (!keep) return std::nullopt;
  return value;
}

Vector BinaryVectorScalar(Tok op, const Vector& lhs, double scalar, bool swap, bool return_bool) {
  Vector out;
  out.reserve(lhs.size());
  const bool drop = DropsMetricName(op) || return_bool;
  for (const auto& s : lhs) {
    if (auto v = VectorScalarElem(op, s.v, scalar, swap, return_bool))
      out.push_back({drop ? DropMetricName(s.metric) : s.metric, s.t, *v});
  }
  return out;
}

Vector BinaryVectorVector(const BinaryExpr& bin, const Vector& lhs_in, const Vector& rhs_in,
                          const std::vector<uint64_t>& lsig_in,
                          const std::vector<uint64_t>& rsig_in) {
  const VectorMatching& m = *bin.matching;
  const Tok op = bin.op;
  Vector out;
  if (op == Tok::kLand || op == Tok::kLunless) {
    if (lhs_in.empty() || rhs_in.empty()) {
      if (op == Tok::kLunless) out = lhs_in;
      return out;
    }
    std::unordered_set<uint64_t> right(rsig_in.begin(), rsig_in.end());
    for (size_t i = 0; i < lhs_in.size(); ++i) {
      bool found = right.count(lsig_in[i]) > 0;
      if (found == (op == Tok::kLand)) out.push_back(lhs_in[i]);
    }
    return out;
  }
  if (op == Tok::kLor) {
    if (lhs_in.empty()) return rhs_in;
    if (rhs_in.empty()) return lhs_in;
    std::unordered_set<uint64_t> left(lsig_in.begin(), lsig_in.end());
    out = lhs_in;
    for (size_t j = 0; j < rhs_in.size(); ++j)
      if (!left.count(rsig_in[j])) out.push_back(rhs_in[j]);
    return out;
  }

  if (lhs_in.empty() || rhs_in.empty()) return out;
  // One-to-many is many-to-one with the sides swapped.
  const bool swapped = m.card == Card::kOneToMany;
  const Vector& lhs = swapped ? rhs_in : lhs_in;
  const Vector& rhs = swapped ? lhs_in : rhs_in;
  const auto& lsig = swapped ? rsig_in : lsig_in;
  const auto& rsig = swapped ? lsig_in : rsig_in;

  std::unordered_map<uint64_t, size_t> right;
  right.reserve(rhs.size());
  for (size_t i = 0; i < rhs.size(); ++i) {
    auto [it, inserted] = right.try_emplace(rsig[i], i);
    if (!inserted) {
      const Sample& dup = rhs[it->second];
      Fail("found duplicate series for the match group " +
           MatchedLabels(rhs[i].metric, m).String() + " on the " + (swapped ? "left" : "right") +
           " hand-side of the operation: [" + rhs[i].metric.String() + ", " + dup.metric.String() +
           "];many-to-many matching not allowed: matching labels must be unique on one side");
    }
  }
  std::unordered_map<uint64_t, std::unordered_set<uint64_t>> matched;
  for (size_t i = 0; i < lhs.size(); ++i) {
    auto r = right.find(lsig[i]);
    if (r == right.end()) continue;
    const Sample& ls = lhs[i];
    const Sample& rs = rhs[r->second];
    double vl = ls.v, vr = rs.v;
    if (swapped) std::swap(vl, vr);
    auto [value, keep] = ElemBinop(op, vl, vr);
    if (bin.return_bool) {
      value = keep ? 1 : 0;
    } else if (!keep) {
      continue;
    }
    Labels metric = ResultMetric(ls.metric, rs.metric, op, m);
    if (bin.return_bool) metric = DropMetricName(metric);
    auto [mit, first] = matched.try_emplace(lsig[i]);
    if (m.card == Card::kOneToOne) {
      if (!first)
        Fail(
            "multiple matches for labels: many-to-one matching must be explicit "
            "(group_left/group_right)");
    } else if (!mit->second.insert(metric.Hash()).second) {
      Fail(
          "multiple matches for matching labels in grouping: result would contain duplicate "
          "series");
    }
    out.push_back({std::move(metric), ls.t, value});
  }
  return out;
}

}  // namespace cerniq::promql::internal
