#pragma once
// A rule group evaluated like rules.Group.Eval of Prometheus 2.42: rules in file order, each
// rule's output appended and committed before the next rule runs (so later rules see it), stale
// markers for series a rule stopped producing, and a last error per rule.
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "rules/alerting_rule.h"
#include "rules/recording_rule.h"
#include "rules/rule_eval.h"
#include "rules/rule_file.h"

namespace cerniq::rules {

class RuleGroupEvaluator {
 public:
  struct RuleState {
    std::variant<AlertingRule, RecordingRule> rule;
    std::optional<std::string> last_error;
    std::map<promql::Labels, int> previous_series;  // what the last evaluation wrote

    const std::string& name() const;
    AlertingRule* alerting() { return std::get_if<AlertingRule>(&rule); }
    const AlertingRule* alerting() const { return std::get_if<AlertingRule>(&rule); }
  };

  // `restored` marks alerting rules restored (promtool test rules does so for all of them).
  RuleGroupEvaluator(const RuleGroup& group, bool restored);

  const std::string& name() const { return name_; }
  int64_t interval_ms() const { return interval_ms_; }
  std::vector<RuleState>& rules() { return rules_; }
  const std::vector<RuleState>& rules() const { return rules_; }

  // `on_evaluated`, when set, runs for each rule whose query succeeded, before its samples are
  // appended: where Prometheus's Group.Eval calls AlertingRule.sendAlerts.
  using RuleCallback = std::function<void(RuleState&, int64_t ts_ms)>;
  void Eval(int64_t ts_ms, const RuleEvalContext& ctx, SampleAppender& appender,
            const RuleCallback& on_evaluated = {});

 private:
  std::string name_;
  int64_t interval_ms_ = 0;
  int64_t limit_ = 0;
  std::vector<RuleState> rules_;
};

}  // namespace cerniq::rules
