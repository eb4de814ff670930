#include "evaluator/scheduled_group.h"

#include <chrono>

#include "evaluator/eval_timestamp.h"
#include "evaluator/query_window.h"
#include "promql/parser.h"

namespace cerniq::evaluator {
namespace {

// Template `query` calls may build any number of distinct expressions: bound the cache.
constexpr size_t kMaxParsedExpressions = 512;

// Counts rule batches that reached Commit: rules whose query failed skip it.
class CountingAppender : public rules::SampleAppender {
 public:
  explicit CountingAppender(rules::SampleAppender& inner) : inner_(inner) {}
  std::optional<std::string> Append(const promql::Labels& l, int64_t t, double v) override {
    return inner_.Append(l, t, v);
  }
  void Commit() override {
    inner_.Commit();
    ++commits;
  }
  size_t commits = 0;

 private:
  rules::SampleAppender& inner_;
};

bool SameRule(const rules::Rule& a, const rules::Rule& b) {
  return a.record == b.record && a.alert == b.alert && a.expr == b.expr && a.for_ms == b.for_ms &&
         a.keep_firing_for_ms == b.keep_firing_for_ms && a.labels == b.labels &&
         a.annotations == b.annotations;
}

// nameAndLabels of manager.go: how CopyState matches a rule with its predecessor.
std::string NameAndLabels(const rules::Rule& r) {
  return r.Name() + promql::LabelsFromMap(r.labels).String();
}

std::string Health(bool evaluated, const std::optional<std::string>& error) {
  if (!evaluated) return "unknown";
  return error ? "err" : "ok";
}

}  // namespace

ScheduledGroup::ScheduledGroup(std::string file, const rules::RuleGroup& group,
                               int64_t default_interval_ms, bool restored)
    : file_(std::move(file)),
      model_(group),
      interval_ms_(group.interval_ms > 0 ? group.interval_ms : default_interval_ms),
      hash_(GroupHash(file_, group.name)),
      evaluator_(group, restored),
      should_restore_(!restored) {
  counters_.name = model_.name;
  counters_.file = file_;
}

bool ScheduledGroup::SameAs(const ScheduledGroup& other) const {
  if (model_.name != other.model_.name || file_ != other.file_ ||
      interval_ms_ != other.interval_ms_ || model_.limit != other.model_.limit ||
      model_.rules.size() != other.model_.rules.size()) {
    return false;
  }
  for (size_t i = 0; i < model_.rules.size(); ++i) {
    if (!SameRule(model_.rules[i], other.model_.rules[i])) return false;
  }
  return true;
}

void ScheduledGroup::CopyState(ScheduledGroup& from) {
  counters_.last_evaluation_ns = from.counters_.last_evaluation_ns;
  counters_.last_eval_timestamp_ms = from.counters_.last_eval_timestamp_ms;
  unevaluated_restore_ = from.unevaluated_restore_;
  counters_.last_duration_seconds = from.counters_.last_duration_seconds;
  counters_.iterations_total = from.counters_.iterations_total;
  counters_.iterations_missed_total = from.counters_.iterations_missed_total;
  counters_.evaluations_total = from.counters_.evaluations_total;
  counters_.evaluation_failures_total = from.counters_.evaluation_failures_total;

  std::map<std::string, std::vector<size_t>> by_key;
  for (size_t i = 0; i < from.model_.rules.size(); ++i) {
    by_key[NameAndLabels(from.model_.rules[i])].push_back(i);
  }
  auto& to_rules = evaluator_.rules();
  auto& from_rules = from.evaluator_.rules();
  for (size_t i = 0; i < model_.rules.size(); ++i) {
    auto& candidates = by_key[NameAndLabels(model_.rules[i])];
    if (candidates.empty()) continue;
    const size_t fi = candidates.front();
    candidates.erase(candidates.begin());
    to_rules[i].previous_series = from_rules[fi].previous_series;
    auto* to_alert = to_rules[i].alerting();
    auto* from_alert = from_rules[fi].alerting();
    if (to_alert && from_alert) to_alert->CopyStateFrom(*from_alert);
  }
  stale_series_ = from.stale_series_;
  for (auto& [key, unmatched] : by_key) {
    for (size_t fi : unmatched) {
      for (const auto& [labels, unused] : from_rules[fi].previous_series) {
        stale_series_.push_back(labels);
      }
    }
  }
}

GroupAlertState ScheduledGroup::TrackedAlerts() const {
  if (unevaluated_restore_) return *unevaluated_restore_;
  GroupAlertState out;
  out.last_eval_ms = counters_.last_eval_timestamp_ms.value_or(0);
  const auto& states = evaluator_.rules();
  for (size_t i = 0; i < states.size(); ++i) {
    const auto* rule = states[i].alerting();
    if (!rule || rule->tracked_alerts().empty()) continue;
    auto& list = out.rules[NameAndLabels(model_.rules[i])];
    for (const auto& [labels, alert] : rule->tracked_alerts()) list.push_back(alert);
  }
  return out;
}

size_t ScheduledGroup::RestoreAlerts(const GroupAlertState& saved, int64_t now_ms,
                                     const ForRestoreSettings& settings) {
  size_t restored = 0;
  auto& states = evaluator_.rules();
  for (size_t i = 0; i < states.size(); ++i) {
    auto* rule = states[i].alerting();
    auto it = saved.rules.find(NameAndLabels(model_.rules[i]));
    if (!rule || it == saved.rules.end()) continue;
    for (const auto& alert : it->second) {
      auto adjusted =
          RestoredAlert(alert, model_.rules[i].for_ms, saved.last_eval_ms, now_ms, settings);
      if (!adjusted) continue;
      rule->RestoreAlert(*adjusted);
      ++restored;
    }
  }
  if (saved.last_eval_ms != 0) unevaluated_restore_ = saved;
  return restored;
}

void ScheduledGroup::Schedule(int64_t now_ns) {
  next_due_ns_ = EvalTimestampNs(hash_, interval_ns(), now_ns) + interval_ns();
}

bool ScheduledGroup::RunIfDue(int64_t now_ns, EvalEnvironment& env) {
  if (now_ns < next_due_ns_) return false;
  const int64_t previous_slot = next_due_ns_ - interval_ns();
  const int64_t missed = (now_ns - previous_slot) / interval_ns() - 1;
  const int64_t ts_ns = previous_slot + (missed + 1) * interval_ns();
  counters_.iterations_total += static_cast<uint64_t>(missed + 1);
  counters_.iterations_missed_total += static_cast<uint64_t>(missed);

  const auto start = std::chrono::steady_clock::now();
  Eval(NsToMs(ts_ns), env);
  counters_.last_duration_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  counters_.last_evaluation_ns = now_ns;
  counters_.last_eval_timestamp_ms = NsToMs(ts_ns);
  unevaluated_restore_.reset();
  next_due_ns_ = ts_ns + interval_ns();

  // Prometheus restores `for` state after the second evaluation of a freshly started group;
  // from then on alerting rules write ALERTS and ALERTS_FOR_STATE.
  if (should_restore_ && ++iterations_since_start_ >= 2) {
    for (auto& r : evaluator_.rules()) {
      if (auto* a = r.alerting()) a->SetRestored(true);
    }
    should_restore_ = false;
  }
  return true;
}

void ScheduledGroup::Eval(int64_t ts_ms, EvalEnvironment& env) {
  rules::RuleEvalContext ctx;
  ctx.query = [&](const std::string& expr, int64_t t) { return Query(expr, t, env); };
  ctx.external_labels = env.external_labels;
  ctx.external_url = env.external_url;
  ctx.manager_external_url = env.external_url;
  auto appender = env.storage->Appender();
  CountingAppender counting(*appender);
  std::vector<notifier::Alert> to_send;
  rules::RuleGroupEvaluator::RuleCallback on_evaluated;
  if (env.notify) {
    on_evaluated = [&](rules::RuleGroupEvaluator::RuleState& state, int64_t t) {
      CollectAlerts(state, t, env, to_send);
    };
  }
  evaluator_.Eval(ts_ms, ctx, counting, on_evaluated);
  // One call per evaluation where Prometheus calls the notifier per rule: the queue and its
  // batches of 64 make no difference to what Alertmanager receives.
  if (!to_send.empty()) env.notify(std::move(to_send));
  evaluated_ = true;
  const size_t rules = evaluator_.rules().size();
  counters_.evaluations_total += rules;
  counters_.evaluation_failures_total += rules - counting.commits;
  if (!stale_series_.empty()) {
    for (const auto& labels : stale_series_) appender->Append(labels, ts_ms, promql::StaleNaN());
    appender->Commit();
    stale_series_.clear();
  }
}

promql::Expr& ScheduledGroup::Parsed(const std::string& expr) {
  auto it = parsed_.find(expr);
  if (it == parsed_.end()) {
    if (parsed_.size() >= kMaxParsedExpressions) parsed_.clear();
    it = parsed_.emplace(expr, promql::ParseExpr(expr)).first;
  }
  return *it->second;
}

void ScheduledGroup::CollectAlerts(rules::RuleGroupEvaluator::RuleState& state, int64_t ts_ms,
                                   const EvalEnvironment& env, std::vector<notifier::Alert>& out) {
  rules::AlertingRule* rule = state.alerting();
  if (!rule) return;
  auto printed = printed_.find(rule->expr());
  if (printed == printed_.end()) {
    // The rule's query just ran, so its expression parses.
    printed = printed_.emplace(rule->expr(), Parsed(rule->expr()).String()).first;
  }
  CollectAlertsToSend(*rule, printed->second, ts_ms,
                      {env.resend_delay_ms, interval_ms_, env.external_url}, out);
}

std::variant<promql::Vector, std::string> ScheduledGroup::Query(const std::string& expr,
                                                                int64_t ts_ms,
                                                                EvalEnvironment& env) {
  try {
    promql::Expr& parsed = Parsed(expr);
    const TimeWindow w = QueryWindow(parsed, ts_ms, env.engine->options().lookback_delta_ms,
                                     env.default_interval_ms);
    auto storage = env.storage->Querier(w.mint_ms, w.maxt_ms);
    return rules::RuleQueryResult(env.engine->Instant(*storage, parsed, ts_ms));
  } catch (const std::exception& e) {
    return std::string(e.what());
  }
}

std::vector<promql::Labels> ScheduledGroup::SeriesToMarkStale() const {
  std::vector<promql::Labels> out = stale_series_;
  for (const auto& r : evaluator_.rules()) {
    for (const auto& [labels, unused] : r.previous_series) out.push_back(labels);
  }
  return out;
}

GroupStatus ScheduledGroup::Status() const {
  GroupStatus g = counters_;
  g.interval_ms = interval_ms_;
  g.limit = model_.limit;
  const auto& states = evaluator_.rules();
  for (size_t i = 0; i < states.size(); ++i) {
    const rules::Rule& model = model_.rules[i];
    RuleStatus r;
    r.type = model.IsAlerting() ? RuleStatus::Type::kAlerting : RuleStatus::Type::kRecording;
    r.name = model.Name();
    r.query = model.expr;
    r.for_ms = model.for_ms;
    r.keep_firing_for_ms = model.keep_firing_for_ms;
    r.labels = model.labels;
    r.annotations = model.annotations;
    r.health = Health(evaluated_, states[i].last_error);
    r.last_error = states[i].last_error.value_or("");
    if (const auto* a = states[i].alerting()) {
      for (const auto& alert : a->ActiveAlerts()) {
        r.alerts.push_back({alert.labels, alert.annotations, alert.state, alert.active_at_ms,
                            alert.keep_firing_since_ms, alert.value});
      }
    }
    g.rules.push_back(std::move(r));
  }
  return g;
}

}  // namespace cerniq::evaluator
