#pragma once
// The exporter's side evaluator (src/evaluator) over the history: loads --rules.file, reloads
// on SIGHUP and POST /-/reload (a bad file keeps the old rules), keeps the history's retention
// what the rules need, and shows its state to /api/v1/rules, /api/v1/alerts and /metrics.
#include <mutex>
#include <string>
#include <vector>

#include <prometheus/metric_family.h>

#include "api/rules_state.h"
#include "evaluator/manager.h"
#include "options.h"
#include "tsdb/history_store.h"

namespace cerniq::exporter {

class LocalRules {
 public:
  // `notify` gets each evaluation's alerts for Alertmanager (empty: nothing is sent).
  LocalRules(const Options& options, evaluator::RuleStorage& storage, tsdb::HistoryStore& store,
             evaluator::NotifyFunc notify = {});

  // Loads the rule files again; "" on success, else the errors ("<file>: <line>:<col>: ...",
  // one per line), which are also logged. The retention rules follow the loaded rules.
  std::string Reload();
  // Gives a checkpoint's alert state to the loaded rules (logged).
  void ImportAlertState(const std::string& blob);
  std::string ExportAlertState() const { return manager_.ExportAlertState(); }
  void Start() { manager_.Start(); }
  void Stop() { manager_.Stop(); }

  std::vector<api::RuleGroupState> ApiState() const;
  std::vector<prometheus::MetricFamily> Metrics() const;

 private:
  const Options& options_;
  tsdb::HistoryStore& store_;
  evaluator::Manager manager_;
  std::mutex reload_mutex_;  // SIGHUP and /-/reload may race
};

// The evaluator's status as /api/v1/rules and /api/v1/alerts show it.
std::vector<api::RuleGroupState> ToApiState(const evaluator::RulesStatus& status);

}  // namespace cerniq::exporter
