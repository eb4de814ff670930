#include "rules/recording_rule.h"

#include <algorithm>

namespace cerniq::rules {

RecordingRule::RecordingRule(const Rule& rule)
    : name_(rule.record), expr_(rule.expr), labels_(promql::LabelsFromMap(rule.labels)) {}

std::variant<promql::Vector, std::string> RecordingRule::Eval(int64_t ts_ms,
                                                              const RuleEvalContext& ctx,
                                                              int64_t limit) const {
  auto result = ctx.query(expr_, ts_ms);
  if (auto* e = std::get_if<std::string>(&result)) return *e;
  promql::Vector vec = std::move(std::get<promql::Vector>(result));
  for (auto& s : vec) {
    promql::LabelsBuilder b(s.metric);
    b.Set(promql::kMetricName, name_);
    for (const auto& l : labels_) b.Set(l.name, l.value);  // an empty value removes the label
    s.metric = b.Build();
  }
  std::vector<promql::Labels> sorted;
  for (const auto& s : vec) sorted.push_back(s.metric);
  std::sort(sorted.begin(), sorted.end());
  if (std::adjacent_find(sorted.begin(), sorted.end()) != sorted.end()) {
    return std::string("vector contains metrics with the same labelset after applying rule labels");
  }
  if (limit > 0 && static_cast<int64_t>(vec.size()) > limit) {
    return "exceeded limit of " + std::to_string(limit) + " with " + std::to_string(vec.size()) +
           " series";
  }
  return vec;
}

}  // namespace cerniq::rules
