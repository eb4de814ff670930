#include "local_rules.h"

#include "evaluator/retention.h"
#include "evaluator/self_metrics.h"
#include "log/log.h"
#include "promql/parser.h"

namespace cerniq::exporter {
namespace {

evaluator::ManagerOptions MakeManagerOptions(const Options& options,
                                             evaluator::RuleStorage& storage,
                                             evaluator::NotifyFunc notify) {
  evaluator::ManagerOptions o;
  o.notify = std::move(notify);
  o.resend_delay_ms = options.resend_delay_ms;
  o.storage = &storage;
  o.default_interval_ms = options.rules_evaluation_interval.count();
  o.external_labels = {options.external_labels.begin(), options.external_labels.end()};
  o.external_url = options.external_url;  // generatorURL and $externalURL, as Prometheus's
  o.for_restore.outage_tolerance_ms = options.for_outage_tolerance.count();
  o.for_restore.grace_period_ms = options.for_grace_period.count();
  // Prometheus's rule manager queries through the same engine as the API.
  o.engine.lookback_delta_ms = options.query_lookback_delta.count();
  o.engine.max_samples = options.query_max_samples;
  o.engine.timeout = options.query_timeout;
  return o;
}

// The expression as Prometheus prints it in /api/v1/rules (the loader parsed it already).
std::string Printed(const std::string& query) {
  try {
    return promql::ParseExpr(query)->String();
  } catch (const std::exception&) {
    return query;
  }
}

api::RuleState ToApiRule(const evaluator::RuleStatus& r, const evaluator::GroupStatus& g) {
  api::RuleState out;
  out.alerting = r.type == evaluator::RuleStatus::Type::kAlerting;
  out.name = r.name;
  out.query = Printed(r.query);
  out.duration_s = static_cast<double>(r.for_ms) / 1000;
  out.keep_firing_for_s = static_cast<double>(r.keep_firing_for_ms) / 1000;
  out.labels = promql::LabelsFromMap(r.labels);
  out.annotations = promql::LabelsFromMap(r.annotations);
  out.health = r.health;
  out.last_error = r.last_error;
  out.evaluation_time_s = g.last_duration_seconds;
  out.last_evaluation_ns = g.last_evaluation_ns;
  for (const auto& a : r.alerts) {
    api::AlertState alert;
    alert.labels = a.labels;
    alert.annotations = a.annotations;
    alert.state = rules::AlertStateName(a.state);
    alert.active_at_ns = a.active_at_ms * 1'000'000;
    if (a.keep_firing_since_ms) alert.keep_firing_since_ns = *a.keep_firing_since_ms * 1'000'000;
    alert.value = a.value;
    if (a.state == rules::AlertState::kFiring) {
      out.state = "firing";
    } else if (out.state != "firing") {
      out.state = "pending";
    }
    out.alerts.push_back(std::move(alert));
  }
  return out;
}

}  // namespace

std::vector<api::RuleGroupState> ToApiState(const evaluator::RulesStatus& status) {
  std::vector<api::RuleGroupState> out;
  for (const auto& g : status.groups) {
    api::RuleGroupState group;
    group.name = g.name;
    group.file = g.file;
    group.interval_s = static_cast<double>(g.interval_ms) / 1000;
    group.limit = static_cast<int>(g.limit);
    group.evaluation_time_s = g.last_duration_seconds;
    group.last_evaluation_ns = g.last_evaluation_ns;
    for (const auto& r : g.rules) group.rules.push_back(ToApiRule(r, g));
    out.push_back(std::move(group));
  }
  return out;
}

LocalRules::LocalRules(const Options& options, evaluator::RuleStorage& storage,
                       tsdb::HistoryStore& store, evaluator::NotifyFunc notify)
    : options_(options),
      store_(store),
      manager_(MakeManagerOptions(options, storage, std::move(notify))) {}

std::string LocalRules::Reload() {
  std::lock_guard lock(reload_mutex_);
  const auto result = manager_.Reload(options_.rule_files);
  std::string errors;
  for (const auto& e : result.errors) {
    log::Error("error loading rules", {{"err", e}});
    errors += (errors.empty() ? "" : "\n") + e;
  }
  if (!result.ok()) return errors;
  const auto status = manager_.Status();
  store_.SetRetentionRules(evaluator::RetentionRules(*status, options_.query_lookback_delta.count(),
                                                     options_.rules_evaluation_interval.count()));
  log::Info("rules loaded", {{"groups", std::to_string(status->groups.size())}});
  return "";
}

void LocalRules::ImportAlertState(const std::string& blob) {
  if (blob.empty()) return;
  std::string error;
  const long restored = manager_.ImportAlertState(blob, &error);
  if (restored < 0) {
    log::Error("alert state in the checkpoint not restored", {{"err", error}});
  } else {
    log::Info("alert state restored", {{"alerts", std::to_string(restored)}});
  }
}

std::vector<api::RuleGroupState> LocalRules::ApiState() const {
  return ToApiState(*manager_.Status());
}

std::vector<prometheus::MetricFamily> LocalRules::Metrics() const {
  return evaluator::SelfMetrics(*manager_.Status());
}

}  // namespace cerniq::exporter
