#pragma once
// A recording rule (rules/recording.go of Prometheus 2.42): the query result renamed to the
// record name, with the rule's labels applied.
#include <string>
#include <variant>

#include "rules/rule_eval.h"
#include "rules/rule_file.h"

namespace cerniq::rules {

class RecordingRule {
 public:
  explicit RecordingRule(const Rule& rule);

  const std::string& name() const { return name_; }
  const std::string& expr() const { return expr_; }

  // The samples to record at ts, or an error ("vector contains metrics with the same labelset
  // after applying rule labels", "exceeded limit of 10 with 11 series", the query's error).
  std::variant<promql::Vector, std::string> Eval(int64_t ts_ms, const RuleEvalContext& ctx,
                                                 int64_t limit) const;

 private:
  std::string name_;
  std::string expr_;
  promql::Labels labels_;
};

}  // namespace cerniq::rules
