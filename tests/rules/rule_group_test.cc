// Rule evaluation: the alert state machine and recording rules over scripted query results, and
// whole groups over src/promql's engine reproducing promtool 2.42 golden scenarios.
#include "rules/rule_group.h"

#include <gtest/gtest.h>

#include <cmath>

#include "promql/engine.h"
#include "promql/parser.h"
#include "promql/storage.h"
#include "rules/rule_loader.h"

namespace cerniq::rules {
namespace {

constexpr int64_t kMinute = 60 * 1000;

Rule AlertRule(std::string name, int64_t for_ms, std::map<std::string, std::string> labels = {},
               std::map<std::string, std::string> annotations = {}, int64_t keep_ms = 0) {
  Rule r;
  r.alert = std::move(name);
  r.expr = "x";
  r.for_ms = for_ms;
  r.keep_firing_for_ms = keep_ms;
  r.labels = std::move(labels);
  r.annotations = std::move(annotations);
  return r;
}

// A query function whose result the test sets before each evaluation.
struct ScriptedQuery {
  promql::Vector next;
  std::optional<std::string> error;
  RuleEvalContext Context() {
    RuleEvalContext ctx;
    ctx.query = [this](const std::string&, int64_t) -> std::variant<promql::Vector, std::string> {
      if (error) return *error;
      return next;
    };
    return ctx;
  }
};

promql::Sample S(promql::Labels l, double v) { return {std::move(l), 0, v}; }

TEST(AlertingRule, PendingThenFiringAfterForThenResolved) {
  AlertingRule rule(AlertRule("A", 5 * kMinute, {{"severity", "page"}}));
  rule.SetRestored(true);
  ScriptedQuery q;
  auto ctx = q.Context();
  q.next = {S({{"__name__", "x"}, {"job", "j"}}, 3)};
  for (int m = 0; m < 5; ++m) {
    auto out = std::get<promql::Vector>(rule.Eval(m * kMinute, ctx, 0));
    ASSERT_EQ(rule.ActiveAlerts().size(), 1u);
    EXPECT_EQ(rule.ActiveAlerts()[0].state, AlertState::kPending) << m;
    ASSERT_EQ(out.size(), 2u);
    EXPECT_EQ(out[0].metric.String(),
              "{__name__=\"ALERTS\", alertname=\"A\", alertstate=\"pending\", job=\"j\", "
              "severity=\"page\"}");
    EXPECT_EQ(out[1].metric.String(),
              "{__name__=\"ALERTS_FOR_STATE\", alertname=\"A\", job=\"j\", severity=\"page\"}");
    EXPECT_EQ(out[1].v, 0);  // ActiveAt in seconds
  }
  // ts - activeAt >= for: fires at exactly 5m.
  auto out = std::get<promql::Vector>(rule.Eval(5 * kMinute, ctx, 0));
  EXPECT_EQ(rule.ActiveAlerts()[0].state, AlertState::kFiring);
  EXPECT_EQ(out[0].metric.Get("alertstate"), "firing");
  // Gone from the result: resolved, no longer active, no series.
  q.next.clear();
  out = std::get<promql::Vector>(rule.Eval(6 * kMinute, ctx, 0));
  EXPECT_TRUE(out.empty());
  EXPECT_TRUE(rule.ActiveAlerts().empty());
  // Back again: a new pending alert with a new ActiveAt.
  q.next = {S({{"job", "j"}}, 1)};
  out = std::get<promql::Vector>(rule.Eval(7 * kMinute, ctx, 0));
  ASSERT_EQ(rule.ActiveAlerts().size(), 1u);
  EXPECT_EQ(rule.ActiveAlerts()[0].state, AlertState::kPending);
  EXPECT_EQ(out[1].v, 420);
}

TEST(AlertingRule, PendingAlertIsDroppedWhenTheResultGoes) {
  AlertingRule rule(AlertRule("A", 10 * kMinute));
  ScriptedQuery q;
  auto ctx = q.Context();
  q.next = {S({{"a", "1"}}, 1)};
  rule.Eval(0, ctx, 0);
  q.next.clear();
  rule.Eval(kMinute, ctx, 0);
  q.next = {S({{"a", "1"}}, 1)};
  rule.Eval(2 * kMinute, ctx, 0);
  EXPECT_EQ(rule.ActiveAlerts().at(0).active_at_ms, 2 * kMinute);
}

TEST(AlertingRule, KeepFiringFor) {
  AlertingRule rule(AlertRule("A", 0, {}, {}, 2 * kMinute));
  rule.SetRestored(true);
  ScriptedQuery q;
  auto ctx = q.Context();
  q.next = {S({{"a", "1"}}, 1)};
  rule.Eval(0, ctx, 0);  // for: 0 fires at the first evaluation
  EXPECT_EQ(rule.ActiveAlerts().at(0).state, AlertState::kFiring);
  q.next.clear();
  for (int m = 1; m <= 2; ++m) {
    auto out = std::get<promql::Vector>(rule.Eval(m * kMinute, ctx, 0));
    ASSERT_EQ(rule.ActiveAlerts().size(), 1u) << m;  // kept firing while ts - since < 2m
    EXPECT_EQ(out.size(), 2u);
  }
  rule.Eval(3 * kMinute, ctx, 0);
  EXPECT_TRUE(rule.ActiveAlerts().empty());
}

TEST(AlertingRule, TemplatedLabelsAndAnnotations) {
  AlertingRule rule(
      AlertRule("A", 0, {{"sev", "{{ if gt $value 10.0 }}high{{ end }}"}},
                {{"summary", "{{ $labels.job }} at {{ $value | humanize }}"}, {"empty", ""}}));
  rule.SetRestored(true);
  ScriptedQuery q;
  auto ctx = q.Context();
  q.next = {S({{"__name__", "x"}, {"job", "j1"}}, 1234567), S({{"job", "j2"}}, 5)};
  auto out = std::get<promql::Vector>(rule.Eval(0, ctx, 0));
  auto alerts = rule.ActiveAlerts();
  ASSERT_EQ(alerts.size(), 2u);
  EXPECT_EQ(alerts[0].labels.String(), "{alertname=\"A\", job=\"j1\", sev=\"high\"}");
  EXPECT_EQ(alerts[0].annotations.String(), "{empty=\"\", summary=\"j1 at 1.235M\"}");
  // An empty expansion removes the label from the alert, but ALERTS keeps the raw rule label.
  EXPECT_EQ(alerts[1].labels.String(), "{alertname=\"A\", job=\"j2\"}");
  bool found = false;
  for (const auto& s : out) {
    if (s.metric.Get("job") == "j2" && s.metric.Get("__name__") == "ALERTS") {
      EXPECT_EQ(s.metric.Get("sev"), "{{ if gt $value 10.0 }}high{{ end }}");
      found = true;
    }
  }
  EXPECT_TRUE(found);
}

TEST(AlertingRule, Errors) {
  AlertingRule rule(AlertRule("A", 0, {{"job", "same"}}));
  ScriptedQuery q;
  auto ctx = q.Context();
  q.next = {S({{"job", "a"}}, 1), S({{"job", "b"}}, 1)};
  EXPECT_EQ(std::get<std::string>(rule.Eval(0, ctx, 0)),
            "vector contains metrics with the same labelset after applying alert labels");
  AlertingRule limited(AlertRule("B", 0));
  EXPECT_EQ(std::get<std::string>(limited.Eval(0, ctx, 1)), "exceeded limit of 1 with 2 alerts");
  EXPECT_TRUE(limited.ActiveAlerts().empty());
  q.error = "query failed";
  EXPECT_EQ(std::get<std::string>(limited.Eval(0, ctx, 0)), "query failed");
}

TEST(AlertingRule, NotRestoredWritesNoSeries) {
  AlertingRule rule(AlertRule("A", 0));
  ScriptedQuery q;
  auto ctx = q.Context();
  q.next = {S({{"a", "1"}}, 1)};
  EXPECT_TRUE(std::get<promql::Vector>(rule.Eval(0, ctx, 0)).empty());
  EXPECT_EQ(rule.ActiveAlerts().size(), 1u);
}

TEST(RecordingRule, RenamesAppliesLabelsAndChecks) {
  Rule r;
  r.record = "job:x:sum";
  r.expr = "x";
  r.labels = {{"team", "t"}, {"drop", ""}};
  RecordingRule rule(r);
  ScriptedQuery q;
  auto ctx = q.Context();
  q.next = {S({{"__name__", "x"}, {"job", "a"}, {"drop", "me"}}, 2)};
  auto out = std::get<promql::Vector>(rule.Eval(0, ctx, 0));
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].metric.String(), "{__name__=\"job:x:sum\", job=\"a\", team=\"t\"}");
  q.next = {S({{"__name__", "x"}, {"job", "a"}}, 1), S({{"__name__", "y"}, {"job", "a"}}, 1)};
  EXPECT_EQ(std::get<std::string>(rule.Eval(0, ctx, 0)),
            "vector contains metrics with the same labelset after applying rule labels");
  q.next = {S({{"job", "a"}}, 1), S({{"job", "b"}}, 1)};
  EXPECT_EQ(std::get<std::string>(rule.Eval(0, ctx, 1)), "exceeded limit of 1 with 2 series");
}

// A sink that records what the group writes.
struct RecordingAppender : SampleAppender {
  std::vector<promql::Sample> samples;
  int commits = 0;
  std::optional<std::string> Append(const promql::Labels& l, int64_t t, double v) override {
    samples.push_back({l, t, v});
    return std::nullopt;
  }
  void Commit() override { ++commits; }
};

TEST(RuleGroupEvaluator, StaleMarkersAndErrors) {
  RuleGroup g;
  g.name = "g";
  Rule rec;
  rec.record = "r";
  rec.expr = "x";
  g.rules = {rec};
  RuleGroupEvaluator group(g, true);
  ScriptedQuery q;
  auto ctx = q.Context();
  RecordingAppender app;
  q.next = {S({{"a", "1"}}, 1), S({{"a", "2"}}, 2)};
  group.Eval(0, ctx, app);
  EXPECT_EQ(app.samples.size(), 2u);
  q.next = {S({{"a", "1"}}, 1)};
  group.Eval(kMinute, ctx, app);
  ASSERT_EQ(app.samples.size(), 4u);
  EXPECT_EQ(app.samples[3].metric.Get("a"), "2");
  EXPECT_TRUE(promql::IsStaleNaN(app.samples[3].v));
  EXPECT_EQ(app.commits, 2);
  q.error = "boom";
  group.Eval(2 * kMinute, ctx, app);
  EXPECT_EQ(group.rules()[0].last_error, "boom");
  EXPECT_EQ(app.samples.size(), 4u);  // a failed rule writes nothing
}

// ---- over the real engine, as promtool test rules drives it ----

struct StorageAppender : SampleAppender {
  promql::MemoryStorage* storage;
  std::optional<std::string> Append(const promql::Labels& l, int64_t t, double v) override {
    if (!storage->Append(l, t, v)) return std::string("out of order sample");
    return std::nullopt;
  }
  void Commit() override {}
};

class EngineHarness {
 public:
  EngineHarness(const std::string& rules_yaml, std::vector<std::string> series, int64_t interval_ms)
      : engine_(promql::EngineOptions{}), interval_ms_(interval_ms) {
    auto parsed = ParseRuleFile(rules_yaml);
    EXPECT_TRUE(parsed.ok());
    for (const auto& g : parsed.file->groups) groups_.emplace_back(g, true);
    for (const auto& s : series) inputs_.push_back(promql::ParseSeriesDesc(s));
    ctx_.query = [this](const std::string& expr, int64_t ts) { return Query(expr, ts); };
  }

  std::variant<promql::Vector, std::string> Query(const std::string& expr, int64_t ts) {
    try {
      return RuleQueryResult(engine_.Instant(storage_, expr, ts));
    } catch (const std::exception& e) {
      return std::string(e.what());
    }
  }

  // Loads input samples up to ts and evaluates every group, each evaluation_interval, up to maxt.
  void RunUntil(int64_t maxt, int64_t eval_interval = kMinute) {
    loaded_.resize(inputs_.size(), 0);
    for (int64_t ts = next_ts_; ts <= maxt; ts += eval_interval) {
      for (std::size_t s = 0; s < inputs_.size(); ++s) {
        const auto& in = inputs_[s];
        for (; loaded_[s] < in.values.size(); ++loaded_[s]) {
          const int64_t t = static_cast<int64_t>(loaded_[s]) * interval_ms_;
          if (t > ts) break;
          if (!in.values[loaded_[s]].omitted)
            storage_.Append(in.labels, t, in.values[loaded_[s]].value);
        }
      }
      StorageAppender app;
      app.storage = &storage_;
      for (auto& g : groups_) g.Eval(ts, ctx_, app);
      next_ts_ = ts + eval_interval;
    }
  }

  std::vector<Alert> Firing(const std::string& name) {
    std::vector<Alert> out;
    for (auto& g : groups_) {
      for (auto& r : g.rules()) {
        if (auto* a = r.alerting(); a && a->name() == name) {
          for (auto& alert : a->ActiveAlerts()) {
            if (alert.state == AlertState::kFiring) out.push_back(alert);
          }
        }
      }
    }
    return out;
  }

 private:
  promql::Engine engine_;
  promql::MemoryStorage storage_;
  std::vector<RuleGroupEvaluator> groups_;
  std::vector<promql::SeriesDescription> inputs_;
  RuleEvalContext ctx_;
  int64_t interval_ms_;
  int64_t next_ts_ = 0;
  std::vector<std::size_t> loaded_;
};

// golden/promtool/test-for-multiple-eval-times: for: 5m over '2 2 0x7 1x5'.
TEST(RuleGroupOverEngine, ForMultipleEvalTimes) {
  EngineHarness h(R"(groups:
  - name: workers
    rules:
      - alert: WorkersDown
        expr: bullmq_workers_active == 0
        for: 5m
        labels:
          severity: critical
        annotations:
          summary: "No active workers on queue {{ $labels.queue }}"
)",
                  {"bullmq_workers_active{queue=\"sentiment\"} 2 2 0x7 1x5"}, kMinute);
  h.RunUntil(6 * kMinute);
  EXPECT_TRUE(h.Firing("WorkersDown").empty());  // pending since 2m
  h.RunUntil(7 * kMinute);
  auto firing = h.Firing("WorkersDown");
  ASSERT_EQ(firing.size(), 1u);
  EXPECT_EQ(firing[0].labels.String(),
            "{alertname=\"WorkersDown\", queue=\"sentiment\", severity=\"critical\"}");
  EXPECT_EQ(firing[0].annotations.String(), "{summary=\"No active workers on queue sentiment\"}");
  h.RunUntil(8 * kMinute);
  auto state = std::get<promql::Vector>(h.Query("ALERTS_FOR_STATE", 8 * kMinute));
  ASSERT_EQ(state.size(), 1u);
  EXPECT_EQ(state[0].v, 120);
  h.RunUntil(9 * kMinute);
  EXPECT_EQ(h.Firing("WorkersDown").size(), 1u);
  h.RunUntil(10 * kMinute);
  EXPECT_TRUE(h.Firing("WorkersDown").empty());
}

// golden/promtool/test-expr-without-expectations: rate over '0+12x200', for: 30m.
TEST(RuleGroupOverEngine, AlertsSeriesAtFortyMinutes) {
  EngineHarness h(R"(groups:
  - name: app-alerts
    rules:
      - alert: HITLSLABreaches
        expr: rate(hitl_sla_breached_total[1h]) > 0.1
        for: 30m
        labels:
          severity: warning
)",
                  {"hitl_sla_breached_total 0+12x200"}, kMinute);
  h.RunUntil(40 * kMinute);
  auto alerts = std::get<promql::Vector>(h.Query("ALERTS", 40 * kMinute));
  ASSERT_EQ(alerts.size(), 1u);
  EXPECT_EQ(alerts[0].metric.String(),
            "{__name__=\"ALERTS\", alertname=\"HITLSLABreaches\", alertstate=\"pending\", "
            "severity=\"warning\"}");
  auto for_state = std::get<promql::Vector>(h.Query("ALERTS_FOR_STATE", 40 * kMinute));
  ASSERT_EQ(for_state.size(), 1u);
  EXPECT_EQ(for_state[0].v, 1860);  // rate first exceeds 0.1 at 31m
  h.RunUntil(61 * kMinute);
  EXPECT_EQ(h.Firing("HITLSLABreaches").size(), 1u);
}

}  // namespace
}  // namespace cerniq::rules
