#include "evaluator/retention.h"

#include "evaluator/query_window.h"
#include "promql/parser.h"

namespace cerniq::evaluator {

std::vector<tsdb::RetentionRule> RetentionRules(const RulesStatus& status, int64_t lookback_ms,
                                                int64_t default_step_ms) {
  std::vector<tsdb::RetentionRule> out;
  for (const auto& group : status.groups) {
    for (const auto& rule : group.rules) {
      promql::ExprPtr expr;
      try {
        expr = promql::ParseExpr(rule.query);
      } catch (const std::exception&) {
        continue;  // the loader parsed it already; nothing to keep for a rule that cannot run
      }
      const int64_t hold = rule.for_ms + rule.keep_firing_for_ms + lookback_ms;
      for (const auto& reach : SelectorReaches(*expr, lookback_ms, default_step_ms)) {
        if (!reach.before_ms) continue;
        out.push_back(
            {reach.selector->matchers, std::chrono::milliseconds(*reach.before_ms + hold)});
      }
    }
  }
  return out;
}

}  // namespace cerniq::evaluator
