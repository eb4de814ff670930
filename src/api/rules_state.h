#pragma once
// What /api/v1/rules and /api/v1/alerts show: a plain snapshot the rule evaluator fills after
// each group evaluation, so this library needs nothing of the evaluator.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "promql/labels.h"

namespace cerniq::api {

struct AlertState {
  promql::Labels labels;
  promql::Labels annotations;
  std::string state = "pending";  // "pending" or "firing"
  int64_t active_at_ns = 0;       // unix nanoseconds
  std::optional<int64_t> keep_firing_since_ns;
  double value = 0;
};

struct RuleState {
  bool alerting = true;  // false: a recording rule
  std::string name;
  std::string query;             // the expression as Prometheus prints it (Expr::String())
  double duration_s = 0;         // `for`
  double keep_firing_for_s = 0;  // `keep_firing_for`
  promql::Labels labels;
  promql::Labels annotations;
  std::string state = "inactive";  // of an alerting rule: inactive, pending or firing
  std::vector<AlertState> alerts;
  std::string health = "unknown";  // "ok", "err" or "unknown"
  std::string last_error;
  double evaluation_time_s = 0;
  std::optional<int64_t> last_evaluation_ns;  // nullopt: never evaluated
};

struct RuleGroupState {
  std::string name;
  std::string file;
  double interval_s = 0;
  int limit = 0;
  double evaluation_time_s = 0;
  std::optional<int64_t> last_evaluation_ns;
  std::vector<RuleState> rules;
};

// /api/v1/alerts and /api/v1/rules `data` objects, as Prometheus 2.42 writes them.
std::string AlertsJson(const std::vector<RuleGroupState>& groups);
// type is "", "alert" or "record" (already checked).
std::string RulesJson(const std::vector<RuleGroupState>& groups, const std::string& type);

}  // namespace cerniq::api
