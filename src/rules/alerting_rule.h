#pragma once
// An alerting rule with Prometheus 2.42's state machine (rules/alerting.go): pending -> firing
// after `for`, `keep_firing_for`, resolved alerts kept 15 minutes, templated labels and
// annotations, and the ALERTS / ALERTS_FOR_STATE series.
#include <map>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "rules/alert_template.h"
#include "rules/rule_eval.h"
#include "rules/rule_file.h"

namespace cerniq::rules {

enum class AlertState { kInactive, kPending, kFiring };
const char* AlertStateName(AlertState s);  // "inactive", "pending", "firing"

struct Alert {
  promql::Labels labels;
  promql::Labels annotations;
  AlertState state = AlertState::kPending;
  double value = 0;
  int64_t active_at_ms = 0;
  std::optional<int64_t> fired_at_ms;
  std::optional<int64_t> resolved_at_ms;
  std::optional<int64_t> keep_firing_since_ms;
  // Alertmanager send state (Alert.LastSentAt / ValidUntil): written by the live evaluator's
  // notifier hook, carried over by CopyStateFrom; 0 means never sent.
  int64_t last_sent_at_ms = 0;
  int64_t valid_until_ms = 0;
};

class AlertingRule {
 public:
  explicit AlertingRule(const Rule& rule);

  const std::string& name() const { return name_; }
  const std::string& expr() const { return expr_; }

  // Evaluates at ts: returns the ALERTS and ALERTS_FOR_STATE samples (when restored), or an
  // error ("vector contains metrics with the same labelset after applying alert labels",
  // "exceeded limit of 1 with 2 alerts", or the query's error).
  std::variant<promql::Vector, std::string> Eval(int64_t ts_ms, const RuleEvalContext& ctx,
                                                 int64_t limit);

  // Alerts not yet resolved (pending or firing), sorted by labels.
  std::vector<Alert> ActiveAlerts() const;

  // ForEachActiveAlert: every tracked alert, resolved ones within their 15 minutes of retention
  // included (what Prometheus considers for sending), in label order.
  template <typename F>
  void ForEachAlert(F&& f) {
    for (auto& [labels, alert] : active_) f(alert);
  }

  // Takes over the alerts `from` tracks (resolved ones too), as Group.CopyState does when a
  // reload replaces a group: `for` clocks and firing alerts survive.
  void CopyStateFrom(const AlertingRule& from) {
    for (const auto& [labels, alert] : from.active_) active_[labels] = alert;
  }

  // Every tracked alert (resolved ones kept for 15 minutes too), and putting one back: how the
  // exporter's checkpoint carries `for` clocks across a restart.
  const std::map<promql::Labels, Alert>& tracked_alerts() const { return active_; }
  void RestoreAlert(const Alert& alert) { active_[alert.labels] = alert; }

  // Prometheus writes the ALERTS series only once the rule's state was restored at startup;
  // promtool marks every rule restored.
  void SetRestored(bool restored) { restored_ = restored; }

 private:
  std::string ExpandTemplate(const std::string& text, const promql::Sample& sample,
                             const RuleEvalContext& ctx, const tmpl::FunctionTable& funcs);
  promql::Sample SeriesSample(const Alert& a, std::string_view metric, int64_t ts_ms,
                              double v) const;

  std::string name_;
  std::string expr_;
  int64_t hold_ms_ = 0;
  int64_t keep_firing_for_ms_ = 0;
  promql::Labels labels_;  // as written, before expansion
  promql::Labels annotations_;
  std::map<promql::Labels, Alert> active_;
  bool restored_ = false;
  AlertTemplateCache templates_;
};

}  // namespace cerniq::rules
