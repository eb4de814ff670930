#include "evaluator/query_window.h"

#include <algorithm>
#include <limits>

namespace cerniq::evaluator {
namespace {

// What the enclosing subqueries add before and after the evaluation time; false for `@`.
bool SubqueryReach(const std::vector<promql::Expr*>& path, int64_t default_step_ms,
                   int64_t& before_ms, int64_t& after_ms) {
  for (const promql::Expr* e : path) {
    if (e->kind != promql::NodeKind::kSubquery) continue;
    const auto& sq = static_cast<const promql::SubqueryExpr&>(*e);
    if (sq.mod.at_ms || sq.mod.start_or_end != promql::Tok::kEOF) return false;
    // The first step of a subquery is aligned down to a multiple of the step: one more step.
    const int64_t step = sq.step_ms > 0 ? sq.step_ms : default_step_ms;
    before_ms += sq.range_ms + step + sq.mod.original_offset_ms;
    after_ms -= sq.mod.original_offset_ms;
  }
  return true;
}

}  // namespace

std::vector<SelectorReach> SelectorReaches(promql::Expr& expr, int64_t lookback_ms,
                                           int64_t default_step_ms) {
  std::vector<SelectorReach> out;
  promql::Inspect(expr, [&](promql::Expr& e, const std::vector<promql::Expr*>& path) {
    if (e.kind != promql::NodeKind::kVectorSelector) return;
    const auto& vs = static_cast<const promql::VectorSelector&>(e);
    SelectorReach reach{&vs, std::nullopt, 0};
    int64_t before = 0, after = 0;
    if (!vs.mod.at_ms && vs.mod.start_or_end == promql::Tok::kEOF &&
        SubqueryReach(path, default_step_ms, before, after)) {
      const bool in_range = !path.empty() && path.back()->kind == promql::NodeKind::kMatrixSelector;
      before += in_range ? static_cast<const promql::MatrixSelector&>(*path.back()).range_ms
                         : lookback_ms;
      reach.before_ms = before + vs.mod.original_offset_ms;
      reach.after_ms = after - vs.mod.original_offset_ms;
    }
    out.push_back(reach);
  });
  return out;
}

TimeWindow QueryWindow(promql::Expr& expr, int64_t ts_ms, int64_t lookback_ms,
                       int64_t default_step_ms) {
  constexpr TimeWindow kUnbounded{std::numeric_limits<int64_t>::min(),
                                  std::numeric_limits<int64_t>::max()};
  TimeWindow w{ts_ms, ts_ms};
  for (const auto& reach : SelectorReaches(expr, lookback_ms, default_step_ms)) {
    if (!reach.before_ms) return kUnbounded;
    w.mint_ms = std::min(w.mint_ms, ts_ms - *reach.before_ms);
    w.maxt_ms = std::max(w.maxt_ms, ts_ms + std::max<int64_t>(reach.after_ms, 0));
  }
  return w;
}

}  // namespace cerniq::evaluator
