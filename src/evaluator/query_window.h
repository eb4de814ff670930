#pragma once
// The time range a rule query reads, so the storage hands out only the chunks it needs
// (Prometheus's Engine.FindMinMaxTime): lookback or range before each selector, shifted by
// offsets and enclosing subqueries. `@` modifiers make the range unbounded.
#include <cstdint>
#include <optional>
#include <vector>

#include "promql/ast.h"

namespace cerniq::evaluator {

struct TimeWindow {
  int64_t mint_ms;
  int64_t maxt_ms;
};

// How far around the evaluation time one selector reads: its range or the lookback, its offset
// and those of enclosing subqueries. `before_ms` is nullopt under `@`, start() or end().
struct SelectorReach {
  const promql::VectorSelector* selector;
  std::optional<int64_t> before_ms;
  int64_t after_ms = 0;
};
std::vector<SelectorReach> SelectorReaches(promql::Expr& expr, int64_t lookback_ms,
                                           int64_t default_step_ms);

// `default_step_ms` is the step of subqueries written without one.
TimeWindow QueryWindow(promql::Expr& expr, int64_t ts_ms, int64_t lookback_ms,
                       int64_t default_step_ms);

}  // namespace cerniq::evaluator
