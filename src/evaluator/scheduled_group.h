#pragma once
// One rule group under the manager (rules.Group of Prometheus 2.42): the shared
// rules::RuleGroupEvaluator plus its slot in time, missed iterations, restoration, the state a
// reload carries over (CopyState), and its status.
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "evaluator/alert_sender.h"
#include "evaluator/alert_state.h"
#include "evaluator/for_state_restore.h"
#include "evaluator/rule_storage.h"
#include "evaluator/status.h"
#include "promql/engine.h"
#include "rules/rule_group.h"

namespace cerniq::evaluator {

// What every evaluation needs from the manager.
struct EvalEnvironment {
  const promql::Engine* engine = nullptr;
  RuleStorage* storage = nullptr;
  std::map<std::string, std::string> external_labels;
  std::string external_url;
  int64_t default_interval_ms = 0;  // step of subqueries written without one
  NotifyFunc notify;                // alerts to send after each evaluation; none when empty
  int64_t resend_delay_ms = 0;
};

class ScheduledGroup {
 public:
  // `restored`: whether alerting rules write ALERTS from the start (false only for the groups of
  // the first load, which wait two evaluations as Prometheus waits to restore `for` state).
  ScheduledGroup(std::string file, const rules::RuleGroup& group, int64_t default_interval_ms,
                 bool restored);

  const std::string& file() const { return file_; }
  const std::string& name() const { return model_.name; }
  std::string Key() const { return file_ + ";" + model_.name; }
  int64_t interval_ns() const { return interval_ms_ * 1'000'000; }

  // Group.Equals: same name, file, interval, limit and rules (as written).
  bool SameAs(const ScheduledGroup& other) const;
  // Group.CopyState: alert state and previous series of rules matched by name and labels,
  // last evaluation, counters; series of rules that disappeared are marked stale next time.
  void CopyState(ScheduledGroup& from);

  // First evaluation at the slot after `now_ns`.
  void Schedule(int64_t now_ns);
  int64_t next_due_ns() const { return next_due_ns_; }
  // Evaluates once if the slot has come, counting the slots missed since the last one.
  bool RunIfDue(int64_t now_ns, EvalEnvironment& env);

  // What the group wrote at its last evaluation (and still owes stale markers for).
  std::vector<promql::Labels> SeriesToMarkStale() const;

  GroupStatus Status() const;

  // The alerts each alerting rule tracks, keyed like CopyState matches rules (name + labels as
  // written), with the last evaluation; RestoreAlerts gives them back at `now_ms` to the rules
  // with the same key (checkpoints), `for` clocks adjusted as RestoreForState. Returns how many
  // alerts were restored.
  GroupAlertState TrackedAlerts() const;
  size_t RestoreAlerts(const GroupAlertState& saved, int64_t now_ms,
                       const ForRestoreSettings& settings);

 private:
  void Eval(int64_t ts_ms, EvalEnvironment& env);
  promql::Expr& Parsed(const std::string& expr);  // throws on a parse error
  // Marks the alerts of an evaluated alerting rule sent and adds them to `out`.
  void CollectAlerts(rules::RuleGroupEvaluator::RuleState& state, int64_t ts_ms,
                     const EvalEnvironment& env, std::vector<notifier::Alert>& out);
  std::variant<promql::Vector, std::string> Query(const std::string& expr, int64_t ts_ms,
                                                  EvalEnvironment& env);

  std::string file_;
  rules::RuleGroup model_;
  int64_t interval_ms_;
  uint64_t hash_;
  rules::RuleGroupEvaluator evaluator_;
  std::map<std::string, promql::ExprPtr> parsed_;  // by expression text
  std::map<std::string, std::string> printed_;     // rule expression -> as PromQL prints it
  std::vector<promql::Labels> stale_series_;       // from CopyState, written at next Eval
  bool should_restore_;
  int iterations_since_start_ = 0;
  bool evaluated_ = false;
  int64_t next_due_ns_ = 0;
  GroupStatus counters_;  // counters, last evaluation and duration (rules are filled by Status)
  // The checkpoint's state as restored, until the group's first evaluation: a restart before
  // that saves it again unchanged (as Prometheus, whose ALERTS_FOR_STATE gets no new sample),
  // instead of the adjusted clocks with no last evaluation, which the next restore would keep
  // without applying the outage tolerance.
  std::optional<GroupAlertState> unevaluated_restore_;
};

}  // namespace cerniq::evaluator
