#pragma once
// Immutable snapshots of the evaluator's state for the HTTP API, the status page and the self
// metrics: built after each evaluation and reload, read from any thread without locks.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "promql/labels.h"
#include "rules/alerting_rule.h"

namespace cerniq::evaluator {

struct AlertStatus {
  promql::Labels labels;
  promql::Labels annotations;
  rules::AlertState state = rules::AlertState::kPending;
  int64_t active_at_ms = 0;
  std::optional<int64_t> keep_firing_since_ms;
  double value = 0;
};

struct RuleStatus {
  enum class Type { kAlerting, kRecording };
  Type type = Type::kRecording;
  std::string name;   // alert name or recorded metric
  std::string query;  // the expression as written
  int64_t for_ms = 0;
  int64_t keep_firing_for_ms = 0;
  std::map<std::string, std::string> labels;
  std::map<std::string, std::string> annotations;
  std::string health = "unknown";  // "ok", "err" or "unknown" (not evaluated yet)
  std::string last_error;
  std::vector<AlertStatus> alerts;  // pending and firing, sorted by labels
};

struct GroupStatus {
  std::string name;
  std::string file;
  int64_t interval_ms = 0;
  int64_t limit = 0;
  std::vector<RuleStatus> rules;
  std::optional<int64_t> last_evaluation_ns;      // wall-clock start of the last evaluation
  std::optional<int64_t> last_eval_timestamp_ms;  // the aligned timestamp it evaluated at
  double last_duration_seconds = 0;
  // Counters since the group (by file and name) was first loaded; survive reloads.
  uint64_t iterations_total = 0;
  uint64_t iterations_missed_total = 0;
  uint64_t evaluations_total = 0;
  uint64_t evaluation_failures_total = 0;

  std::string Key() const { return file + ";" + name; }  // Prometheus's GroupKey
};

struct ReloadStatus {
  bool last_successful = true;
  int64_t last_success_ns = 0;  // 0: never
  std::vector<std::string> last_errors;
};

struct RulesStatus {
  std::vector<GroupStatus> groups;  // in file order, files in load order
  ReloadStatus reload;

  // Every pending or firing alert of every group, in group and rule order.
  std::vector<AlertStatus> ActiveAlerts() const;
};

}  // namespace cerniq::evaluator
