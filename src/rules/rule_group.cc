#include "rules/rule_group.h"

namespace cerniq::rules {

const std::string& RuleGroupEvaluator::RuleState::name() const {
  return std::visit([](const auto& r) -> const std::string& { return r.name(); }, rule);
}

RuleGroupEvaluator::RuleGroupEvaluator(const RuleGroup& group, bool restored)
    : name_(group.name), interval_ms_(group.interval_ms), limit_(group.limit) {
  for (const auto& r : group.rules) {
    if (r.IsAlerting()) {
      AlertingRule rule(r);
      rule.SetRestored(restored);
      rules_.push_back({std::move(rule), std::nullopt, {}});
    } else {
      rules_.push_back({RecordingRule(r), std::nullopt, {}});
    }
  }
}

void RuleGroupEvaluator::Eval(int64_t ts_ms, const RuleEvalContext& ctx, SampleAppender& appender,
                              const RuleCallback& on_evaluated) {
  for (auto& state : rules_) {
    auto result = std::visit([&](auto& r) { return r.Eval(ts_ms, ctx, limit_); }, state.rule);
    if (auto* e = std::get_if<std::string>(&result)) {
      // A failed rule writes nothing, not even stale markers, and keeps its previous series.
      state.last_error = *e;
      continue;
    }
    state.last_error.reset();
    if (on_evaluated) on_evaluated(state, ts_ms);
    std::map<promql::Labels, int> returned;
    for (const auto& s : std::get<promql::Vector>(result)) {
      if (auto err = appender.Append(s.metric, s.t, s.v)) {
        state.last_error = *err;
      } else {
        returned.emplace(s.metric, 0);
      }
    }
    for (const auto& [lbs, unused] : state.previous_series) {
      if (!returned.count(lbs)) appender.Append(lbs, ts_ms, promql::StaleNaN());
    }
    appender.Commit();
    state.previous_series = std::move(returned);
  }
}

}  // namespace cerniq::rules
