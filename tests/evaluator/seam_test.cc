// One evaluation code path: the live manager (fake clock; over the in-memory test storage and
// over the exporter's compressed history) and `cerniqtool test rules`'s runner see the same
// samples of rules/etapa5-alerts.yaml's inputs and must give the same alert timeline. The live
// timeline becomes a promtool unit-test file (ALERTS and ALERTS_FOR_STATE at every evaluation:
// state and activeAt; firing alerts with their annotations), which the runner must pass.
#include <map>
#include <set>
#include <sstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "evaluator/eval_timestamp.h"
#include "evaluator/history_rule_storage.h"
#include "evaluator/manager.h"
#include "gocompat/duration.h"
#include "promql/parser.h"
#include "rules/unit_test_runner.h"
#include "test_support.h"

namespace cerniq::evaluator {
namespace {

constexpr int64_t kMinuteMs = 60'000;
constexpr int kMinutes = 40;
constexpr int64_t kBaseMs = 1'699'999'980'000;  // a whole minute

struct InputSeries {
  std::string series;
  std::vector<double> values;  // one per minute
};

std::vector<double> Steps(std::initializer_list<std::pair<int, double>> runs) {
  std::vector<double> out;
  for (auto [n, v] : runs) out.insert(out.end(), n, v);
  out.resize(kMinutes, out.back());
  return out;
}

std::vector<InputSeries> Inputs() {
  const std::string at = R"(instance="e:9755",prefix="bull",)";
  return {
      {"bullmq_queue_waiting{" + at + R"(queue="churn"})", Steps({{3, 10}, {15, 120}, {1, 20}})},
      {"bullmq_workers_active{" + at + R"(queue="sentiment"})", Steps({{2, 2}, {9, 0}, {1, 1}})},
      {"bullmq_queue_failed{" + at + R"(queue="lifecycle"})", Steps({{3, 0}, {3, 4}, {1, 0}})},
      {R"(cerniq_up{instance="e:9755",source="redis"})", Steps({{1, 1}, {12, 0}, {1, 1}})},
      // The exporter is scraped throughout, so CerniqExporterAbsent stays quiet.
      {R"(up{instance="e:9755",job="cerniq-exporter"})", Steps({{1, 1}})},
  };
}

// Pending and firing alerts of every group after the evaluation of minute k, with activeAt
// made relative to the group's first evaluation (the runner evaluates at 0, 1m, 2m, ...).
struct TimelineEntry {
  std::string name;
  promql::Labels labels;
  promql::Labels annotations;
  bool firing;
  int64_t active_at_ms;
  bool operator==(const TimelineEntry&) const = default;
};
using Timeline = std::vector<std::vector<TimelineEntry>>;

// `storage` is MemoryRuleStorage or HistoryRuleStorage: both take the input samples by Append.
template <typename Storage>
Timeline RunLive(const std::string& rule_file, Storage& storage) {
  FakeClock clock(kBaseMs * 1'000'000);
  ManagerOptions options;
  options.storage = &storage;
  options.clock = &clock;
  options.default_interval_ms = kMinuteMs;
  Manager manager(options);
  EXPECT_TRUE(manager.Reload({rule_file}).ok());
  std::vector<std::pair<promql::Labels, std::vector<double>>> inputs;
  for (const auto& in : Inputs()) inputs.push_back({promql::ParseMetric(in.series), in.values});

  Timeline timeline(kMinutes);
  std::map<std::string, int64_t> first_eval;  // by group
  int fed = 0;
  for (int iteration = 0; iteration < 10 * kMinutes; ++iteration) {
    const int64_t now_ns = *manager.NextDueNs();
    clock.SetNs(now_ns);
    for (; fed < kMinutes && kBaseMs + fed * kMinuteMs <= NsToMs(now_ns); ++fed) {
      for (const auto& [labels, values] : inputs) {
        storage.Append(labels, kBaseMs + fed * kMinuteMs, values[fed]);
      }
    }
    manager.RunDue();
    auto status = manager.Status();
    for (const auto& g : status->groups) {
      if (!g.last_eval_timestamp_ms || g.last_evaluation_ns != now_ns) continue;
      const int64_t ts = *g.last_eval_timestamp_ms;
      const int64_t first = first_eval.emplace(g.name, ts).first->second;
      const int64_t k = (ts - first) / kMinuteMs;
      if (k >= kMinutes) return timeline;
      for (const auto& r : g.rules) {
        for (const auto& a : r.alerts) {
          timeline[k].push_back({r.name, a.labels, a.annotations,
                                 a.state == rules::AlertState::kFiring, a.active_at_ms - first});
        }
      }
    }
  }
  ADD_FAILURE() << "the live evaluator did not reach minute " << kMinutes;
  return timeline;
}

std::string SeriesText(std::string_view name, const promql::Labels& labels) {
  return std::string(name) + labels.String();
}

std::map<std::string, std::string> ToMap(const promql::Labels& labels, bool drop_alertname) {
  std::map<std::string, std::string> m;
  for (const auto& l : labels) {
    if (!(drop_alertname && l.name == "alertname")) m[l.name] = l.value;
  }
  return m;
}

// The promtool unit-test file (JSON is YAML) that expects the live timeline.
std::string UnitTestFileFor(const std::string& rule_file, const Timeline& timeline) {
  nlohmann::json group = {{"interval", "1m"}, {"input_series", nlohmann::json::array()}};
  for (const auto& in : Inputs()) {
    std::ostringstream values;
    for (double v : in.values) values << v << ' ';
    group["input_series"].push_back({{"series", in.series}, {"values", values.str()}});
  }
  std::set<std::string> alertnames;
  for (const auto& minute : timeline) {
    for (const auto& e : minute) alertnames.insert(e.name);
  }
  for (int k = 0; k < kMinutes; ++k) {
    const std::string at = gocompat::FormatDuration(k * kMinuteMs);
    nlohmann::json alerts = nlohmann::json::array(), for_state = nlohmann::json::array();
    std::map<std::string, nlohmann::json> firing;
    for (const auto& e : timeline[k]) {
      auto with_state = promql::LabelsBuilder(e.labels)
                            .Set("alertstate", e.firing ? "firing" : "pending")
                            .Build();
      alerts.push_back({{"labels", SeriesText("ALERTS", with_state)}, {"value", 1}});
      for_state.push_back({{"labels", SeriesText("ALERTS_FOR_STATE", e.labels)},
                           {"value", static_cast<double>(e.active_at_ms) / 1000}});
      if (e.firing) {
        firing[e.name].push_back({{"exp_labels", ToMap(e.labels, true)},
                                  {"exp_annotations", ToMap(e.annotations, false)}});
      }
    }
    group["promql_expr_test"].push_back(
        {{"expr", "ALERTS"}, {"eval_time", at}, {"exp_samples", alerts}});
    group["promql_expr_test"].push_back(
        {{"expr", "ALERTS_FOR_STATE"}, {"eval_time", at}, {"exp_samples", for_state}});
    for (const auto& name : alertnames) {
      group["alert_rule_test"].push_back(
          {{"eval_time", at},
           {"alertname", name},
           {"exp_alerts", firing.count(name) ? firing[name] : nlohmann::json::array()}});
    }
  }
  nlohmann::json file = {{"rule_files", {rule_file}},
                         {"evaluation_interval", "1m"},
                         {"tests", nlohmann::json::array({group})}};
  return file.dump(1);
}

TEST(SeamTest, LiveEvaluatorAndTestRunnerAgreeOnAlertTimelines) {
  const std::string rule_file = std::string(CERNIQ_SOURCE_DIR) + "/rules/etapa5-alerts.yaml";
  MemoryRuleStorage storage;
  Timeline timeline = RunLive(rule_file, storage);

  // The sequence exercises pending, firing, resolution, and an alert that never fires.
  std::set<std::string> fired, pending_only;
  for (const auto& minute : timeline) {
    for (const auto& e : minute) (e.firing ? fired : pending_only).insert(e.name);
  }
  for (const auto& n : fired) pending_only.erase(n);
  EXPECT_TRUE(fired.count("HighChurnQueueBacklog"));
  EXPECT_TRUE(fired.count("SentimentWorkerDown"));
  EXPECT_TRUE(fired.count("CerniqSourceDown"));
  EXPECT_FALSE(pending_only.empty());
  EXPECT_TRUE(timeline.back().empty());

  testing::TempDir dir;
  const std::string test_file = dir.Write("seam_test.yaml", UnitTestFileFor(rule_file, timeline));
  std::ostringstream out, err;
  EXPECT_EQ(rules::RunRuleUnitTests({test_file}, out, err), 0) << out.str() << err.str();
}

// The exporter's history store behind the same manager: the same timeline, and the rule output
// (ALERTS, ALERTS_FOR_STATE) readable from the history afterwards.
TEST(SeamTest, HistoryStorageGivesTheSameTimelineAsTheTestStorage) {
  const std::string rule_file = std::string(CERNIQ_SOURCE_DIR) + "/rules/etapa5-alerts.yaml";
  MemoryRuleStorage memory;
  const Timeline expected = RunLive(rule_file, memory);
  tsdb::HistoryStore store;
  HistoryRuleStorage history(store);
  const Timeline timeline = RunLive(rule_file, history);
  ASSERT_EQ(timeline.size(), expected.size());
  size_t alerts = 0;
  for (size_t k = 0; k < timeline.size(); ++k) {
    EXPECT_EQ(timeline[k], expected[k]) << "minute " << k;
    alerts += timeline[k].size();
  }
  EXPECT_GT(alerts, 0u);
  const tsdb::HistoryStats stats = store.Stats();
  EXPECT_EQ(stats.rejected_out_of_order + stats.rejected_duplicate, 0u);
  // Rule output went into the history: the series the manager wrote are there.
  const promql::Matcher alerts_series(promql::MatchType::kEqual, "__name__", "ALERTS");
  auto q = store.Querier(0, std::numeric_limits<int64_t>::max());
  EXPECT_FALSE(q->Select({alerts_series}, 0, std::numeric_limits<int64_t>::max()).empty());
}

// Refused samples are errors for the rule (as Prometheus's appender), counted by the store.
TEST(HistoryRuleStorageTest, OutOfOrderAndDuplicateAreRefusedAndCounted) {
  tsdb::HistoryStore store;
  HistoryRuleStorage storage(store);
  const auto labels = promql::ParseMetric(R"(x{a="1"})");
  EXPECT_TRUE(storage.Append(labels, 10'000, 1));
  auto app = storage.Appender();
  EXPECT_EQ(app->Append(labels, 20'000, 2), std::nullopt);
  EXPECT_EQ(app->Append(labels, 15'000, 3), "out of order sample");
  EXPECT_EQ(app->Append(labels, 20'000, 4), "duplicate sample for timestamp");
  app->Commit();
  const auto stats = store.Stats();
  EXPECT_EQ(stats.samples_appended, 2u);
  EXPECT_EQ(stats.rejected_out_of_order, 1u);
  EXPECT_EQ(stats.rejected_duplicate, 1u);
  promql::Engine engine;
  auto q = storage.Querier(0, 20'000);
  auto v = std::get<promql::Vector>(engine.Instant(*q, "x", 20'000));
  ASSERT_EQ(v.size(), 1u);
  EXPECT_EQ(v[0].v, 2);
}

}  // namespace
}  // namespace cerniq::evaluator
