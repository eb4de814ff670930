#pragma once
// The live rule manager (rules.Manager of Prometheus 2.42): loads rule files, evaluates each
// group at its aligned slots through the same rules::RuleGroupEvaluator as `cerniqtool test
// rules`, reloads keeping the state of unchanged rules, and publishes status snapshots.
//
//   MemoryRuleStorage storage;                       // or the exporter's history store
//   Manager manager({.storage = &storage});
//   auto result = manager.Reload({"rules/*.yaml"});  // errors: "<file>: 12:3: ..."
//   manager.Start();                                 // or RunDue() after moving a FakeClock
//   auto status = manager.Status();                  // groups, rules, alerts, reload state
#include <condition_variable>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "evaluator/clock.h"
#include "evaluator/rule_storage.h"
#include "evaluator/scheduled_group.h"
#include "evaluator/status.h"
#include "notifier/send_policy.h"
#include "promql/engine.h"

namespace cerniq::evaluator {

struct ManagerOptions {
  RuleStorage* storage = nullptr;                      // required; outlives the manager
  const Clock* clock = nullptr;                        // the system clock when null
  int64_t default_interval_ms = 15'000;                // --rules.evaluation-interval
  std::map<std::string, std::string> external_labels;  // $externalLabels in templates
  std::string external_url;                            // $externalURL, externalURL
  promql::EngineOptions engine;
  // Alertmanager: called from the evaluating thread after each group evaluation with the alerts
  // Prometheus 2.42 would send (firing and resolved, resend delay, endsAt); must only queue.
  NotifyFunc notify;
  int64_t resend_delay_ms = notifier::kDefaultResendDelayMs;  // --rules.alert.resend-delay
  ForRestoreSettings for_restore;  // how ImportAlertState adjusts `for` clocks
};

struct ReloadResult {
  std::vector<std::string> errors;  // the loader's lines, "<file>: <line>:<col>: ..."
  bool ok() const { return errors.empty(); }
};

class Manager {
 public:
  explicit Manager(ManagerOptions options);
  ~Manager();  // stops the scheduler
  Manager(const Manager&) = delete;
  Manager& operator=(const Manager&) = delete;

  // Loads every file the patterns match (globs; a plain path must exist). Any error leaves the
  // running rules untouched. Unchanged groups keep running as they are; changed ones take over
  // the alert state of their rules; removed ones get stale markers two intervals later.
  ReloadResult Reload(const std::vector<std::string>& patterns);

  // Evaluates every group whose slot has come; tests call it after moving a FakeClock.
  void RunDue();
  // The earliest slot of any group or pending stale marking, if any.
  std::optional<int64_t> NextDueNs() const;

  // A scheduler thread that sleeps until the next slot and runs RunDue (bounded waits).
  void Start();
  void Stop();

  std::shared_ptr<const RulesStatus> Status() const;

  // The alert state of every alerting rule (labels, annotations, state, activeAt, firedAt,
  // resolvedAt, keep_firing_since, value) as an opaque blob for the history checkpoint, and
  // its restoration into the loaded groups matched by (file, name) and rule (name + labels), so
  // `for` clocks survive a restart, adjusted for the downtime (until now on the clock) as
  // Prometheus's RestoreForState (`for_state_restore.h`). An empty blob restores nothing.
  // Returns the number of alerts restored, or -1 with `error` for a blob that does not decode
  // (nothing restored).
  std::string ExportAlertState() const;
  long ImportAlertState(const std::string& blob, std::string* error);

 private:
  struct PendingStale {
    int64_t due_ns;
    int64_t ts_ms;
    std::vector<promql::Labels> series;
  };
  void RunDueLocked(int64_t now_ns);
  void PublishLocked();
  void SchedulerLoop();

  ManagerOptions options_;
  SystemClock system_clock_;
  const Clock& clock_;
  promql::Engine engine_;
  EvalEnvironment env_;

  mutable std::mutex mutex_;  // groups, pending stale markings, reload state
  std::vector<std::unique_ptr<ScheduledGroup>> groups_;
  std::vector<PendingStale> pending_stale_;
  ReloadStatus reload_;
  bool loaded_once_ = false;

  mutable std::mutex status_mutex_;
  std::shared_ptr<const RulesStatus> status_;

  std::condition_variable wake_;
  bool stopping_ = false;
  uint64_t reloads_ = 0;  // wakes the scheduler when the groups change
  std::thread scheduler_;
};

}  // namespace cerniq::evaluator
