#include "rules/alerting_rule.h"

#include <set>

#include "rules/alert_template.h"

namespace cerniq::rules {
namespace {

// Resolved alerts stay in the active map this long, to be re-sent to the Alertmanager.
constexpr int64_t kResolvedRetentionMs = 15 * 60 * 1000;

}  // namespace

const char* AlertStateName(AlertState s) {
  switch (s) {
    case AlertState::kInactive:
      return "inactive";
    case AlertState::kPending:
      return "pending";
    case AlertState::kFiring:
      return "firing";
  }
  return "";
}

AlertingRule::AlertingRule(const Rule& rule)
    : name_(rule.alert),
      expr_(rule.expr),
      hold_ms_(rule.for_ms),
      keep_firing_for_ms_(rule.keep_firing_for_ms),
      labels_(promql::LabelsFromMap(rule.labels)),
      annotations_(promql::LabelsFromMap(rule.annotations)),
      templates_(rule.alert) {}

std::string AlertingRule::ExpandTemplate(const std::string& text, const promql::Sample& sample,
                                         const RuleEvalContext& ctx,
                                         const tmpl::FunctionTable& funcs) {
  tmpl::AlertData data;
  for (const auto& l : sample.metric) data.labels[l.name] = l.value;
  data.external_labels = ctx.external_labels;
  data.external_url = ctx.external_url;
  data.value = sample.v;
  return templates_.Expand(text, data, funcs);
}

namespace {

// The template functions for one evaluation: `query` runs at the rule's evaluation time.
tmpl::FunctionTable TemplateFunctions(const RuleEvalContext& ctx, int64_t ts_ms) {
  tmpl::FunctionOptions options;
  options.external_url = ctx.manager_external_url;
  if (ctx.query) {
    options.query = [&ctx,
                     ts_ms](std::string_view q) -> std::variant<tmpl::SampleList, std::string> {
      auto r = ctx.query(std::string(q), ts_ms);
      if (auto* e = std::get_if<std::string>(&r)) return *e;
      tmpl::SampleList out;
      for (const auto& s : std::get<promql::Vector>(r)) {
        auto sample = std::make_shared<tmpl::Sample>();
        for (const auto& l : s.metric) sample->labels[l.name] = l.value;
        sample->value = s.v;
        out.push_back(std::move(sample));
      }
      return out;
    };
  }
  return tmpl::PrometheusFunctions(options);
}

}  // namespace

promql::Sample AlertingRule::SeriesSample(const Alert& a, std::string_view metric, int64_t ts_ms,
                                          double v) const {
  // Built on the rule's unexpanded labels, overwritten by the alert's.
  promql::LabelsBuilder b(labels_);
  for (const auto& l : a.labels) b.Set(l.name, l.value);
  b.Set(promql::kMetricName, metric);
  if (metric == "ALERTS") b.Set("alertstate", AlertStateName(a.state));
  return {b.Build(), ts_ms, v};
}

std::variant<promql::Vector, std::string> AlertingRule::Eval(int64_t ts_ms,
                                                             const RuleEvalContext& ctx,
                                                             int64_t limit) {
  auto result = ctx.query(expr_, ts_ms);
  if (auto* e = std::get_if<std::string>(&result)) return *e;

  std::map<promql::Labels, Alert> alerts;
  const auto& samples = std::get<promql::Vector>(result);
  const tmpl::FunctionTable funcs = samples.empty() || (labels_.empty() && annotations_.empty())
                                        ? tmpl::FunctionTable{}
                                        : TemplateFunctions(ctx, ts_ms);
  for (const auto& sample : samples) {
    promql::LabelsBuilder b(sample.metric);
    b.Del(promql::kMetricName);
    for (const auto& l : labels_) b.Set(l.name, ExpandTemplate(l.value, sample, ctx, funcs));
    b.Set("alertname", name_);
    std::vector<promql::Label> annotations;
    for (const auto& a : annotations_) {
      annotations.push_back({a.name, ExpandTemplate(a.value, sample, ctx, funcs)});
    }
    promql::Labels lbs = b.Build();
    if (alerts.count(lbs)) {
      return std::string(
          "vector contains metrics with the same labelset after applying alert labels");
    }
    Alert alert;
    alert.labels = lbs;
    alert.annotations = promql::Labels(std::move(annotations));
    alert.active_at_ms = ts_ms;
    alert.state = AlertState::kPending;
    alert.value = sample.v;
    alerts.emplace(std::move(lbs), std::move(alert));
  }

  for (auto& [lbs, a] : alerts) {
    auto it = active_.find(lbs);
    if (it != active_.end() && it->second.state != AlertState::kInactive) {
      it->second.value = a.value;
      it->second.annotations = a.annotations;
      continue;
    }
    active_[lbs] = std::move(a);
  }

  promql::Vector vec;
  int64_t num_active = 0;
  for (auto it = active_.begin(); it != active_.end();) {
    Alert& a = it->second;
    bool erase = false;
    if (!alerts.count(it->first)) {
      bool keep_firing = false;
      if (a.state == AlertState::kFiring && keep_firing_for_ms_ > 0) {
        if (!a.keep_firing_since_ms) a.keep_firing_since_ms = ts_ms;
        keep_firing = ts_ms - *a.keep_firing_since_ms < keep_firing_for_ms_;
      }
      if (a.state == AlertState::kPending ||
          (a.resolved_at_ms && ts_ms - *a.resolved_at_ms > kResolvedRetentionMs)) {
        erase = true;
      }
      if (a.state != AlertState::kInactive && !keep_firing) {
        a.state = AlertState::kInactive;
        a.resolved_at_ms = ts_ms;
      }
      if (!keep_firing) {
        it = erase ? active_.erase(it) : std::next(it);
        continue;
      }
    } else {
      a.keep_firing_since_ms.reset();
    }
    ++num_active;
    if (a.state == AlertState::kPending && ts_ms - a.active_at_ms >= hold_ms_) {
      a.state = AlertState::kFiring;
      a.fired_at_ms = ts_ms;
    }
    if (restored_) {
      vec.push_back(SeriesSample(a, "ALERTS", ts_ms, 1));
      // ALERTS_FOR_STATE holds ActiveAt in whole seconds (time.Unix()).
      const int64_t secs =
          a.active_at_ms >= 0 ? a.active_at_ms / 1000 : -((-a.active_at_ms + 999) / 1000);
      vec.push_back(SeriesSample(a, "ALERTS_FOR_STATE", ts_ms, static_cast<double>(secs)));
    }
    it = erase ? active_.erase(it) : std::next(it);
  }

  if (limit > 0 && num_active > limit) {
    active_.clear();
    return "exceeded limit of " + std::to_string(limit) + " with " + std::to_string(num_active) +
           " alerts";
  }
  return vec;
}

std::vector<Alert> AlertingRule::ActiveAlerts() const {
  std::vector<Alert> out;
  for (const auto& [lbs, a] : active_) {
    if (!a.resolved_at_ms) out.push_back(a);
  }
  return out;
}

}  // namespace cerniq::rules
