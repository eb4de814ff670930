#include "evaluator/self_metrics.h"

#include "collect/families.h"

namespace cerniq::evaluator {
namespace {

double Seconds(int64_t ns) { return static_cast<double>(ns) / 1e9; }

// One family with a sample per group, labelled rule_group="<file>;<name>".
template <typename Value>
prometheus::MetricFamily PerGroup(std::string_view name, const RulesStatus& status, Value value) {
  auto family = collect::MakeFamily(name);
  for (const auto& g : status.groups) {
    collect::AddSample(family, {{"rule_group", g.Key()}}, value(g));
  }
  return family;
}

}  // namespace

std::vector<prometheus::MetricFamily> SelfMetrics(const RulesStatus& status) {
  std::vector<prometheus::MetricFamily> out;
  out.push_back(PerGroup("cerniq_rule_group_last_duration_seconds", status,
                         [](const GroupStatus& g) { return g.last_duration_seconds; }));
  out.push_back(PerGroup("cerniq_rule_group_last_evaluation_timestamp_seconds", status,
                         [](const GroupStatus& g) {
                           return g.last_evaluation_ns ? Seconds(*g.last_evaluation_ns) : 0.0;
                         }));
  out.push_back(PerGroup("cerniq_rule_group_interval_seconds", status, [](const GroupStatus& g) {
    return static_cast<double>(g.interval_ms) / 1000;
  }));
  out.push_back(PerGroup("cerniq_rule_group_rules", status,
                         [](const GroupStatus& g) { return static_cast<double>(g.rules.size()); }));
  out.push_back(PerGroup("cerniq_rule_group_iterations_total", status, [](const GroupStatus& g) {
    return static_cast<double>(g.iterations_total);
  }));
  out.push_back(PerGroup(
      "cerniq_rule_group_iterations_missed_total", status,
      [](const GroupStatus& g) { return static_cast<double>(g.iterations_missed_total); }));
  out.push_back(PerGroup("cerniq_rule_evaluations_total", status, [](const GroupStatus& g) {
    return static_cast<double>(g.evaluations_total);
  }));
  out.push_back(PerGroup("cerniq_rule_evaluation_failures_total", status, [](const GroupStatus& g) {
    return static_cast<double>(g.evaluation_failures_total);
  }));
  auto alerts = collect::MakeFamily("cerniq_alerts");
  double pending = 0, firing = 0;
  for (const auto& a : status.ActiveAlerts()) {
    (a.state == rules::AlertState::kFiring ? firing : pending) += 1;
  }
  collect::AddSample(alerts, {{"state", "pending"}}, pending);
  collect::AddSample(alerts, {{"state", "firing"}}, firing);
  out.push_back(std::move(alerts));
  auto ok = collect::MakeFamily("cerniq_rules_config_last_reload_successful");
  collect::AddSample(ok, {}, status.reload.last_successful ? 1 : 0);
  out.push_back(std::move(ok));
  auto when = collect::MakeFamily("cerniq_rules_config_last_reload_success_timestamp_seconds");
  collect::AddSample(when, {}, Seconds(status.reload.last_success_ns));
  out.push_back(std::move(when));
  return out;
}

}  // namespace cerniq::evaluator
