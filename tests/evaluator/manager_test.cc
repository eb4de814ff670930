#include "evaluator/manager.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "evaluator/eval_timestamp.h"
#include "evaluator/self_metrics.h"
#include "test_support.h"

namespace cerniq::evaluator {
namespace {

using ::testing::HasSubstr;
using testing::QueryAt;
using testing::TempDir;

constexpr int64_t kStartNs = 1'700'000'000'000'000'000;
constexpr int64_t kIntervalMs = 10'000;

const char* kRules = R"(groups:
  - name: g
    interval: 10s
    rules:
      - record: job:up:sum
        expr: sum(up)
      - alert: Down
        expr: job:up:sum == 0
        for: 30s
        labels:
          severity: page
        annotations:
          summary: "{{ $value }} up"
)";

class ManagerTest : public ::testing::Test {
 protected:
  ManagerTest() : clock_(kStartNs), manager_(Options()) {}
  ManagerOptions Options() {
    ManagerOptions o;
    o.storage = &storage_;
    o.clock = &clock_;
    o.default_interval_ms = kIntervalMs;
    return o;
  }
  // Feeds up=v at the current time, then runs every due group.
  void Step(double up) {
    storage_.Append(promql::LabelsFromMap({{"__name__", "up"}, {"job", "x"}}),
                    NsToMs(clock_.NowNs()), up);
    manager_.RunDue();
  }
  // Moves the clock to the next slot of any group.
  void ToNextSlot() { clock_.SetNs(*manager_.NextDueNs()); }
  const GroupStatus& Group(size_t i = 0) { return (status_ = manager_.Status())->groups.at(i); }

  TempDir dir_;
  FakeClock clock_;
  MemoryRuleStorage storage_;
  Manager manager_;
  std::shared_ptr<const RulesStatus> status_;
};

TEST_F(ManagerTest, EvaluatesAtAlignedSlotsAndRecordsForLaterRules) {
  const std::string file = dir_.Write("r.yaml", kRules);
  ASSERT_TRUE(manager_.Reload({file}).ok());
  EXPECT_EQ(Group().rules.at(0).health, "unknown");
  Step(1);  // not due yet
  EXPECT_FALSE(Group().last_eval_timestamp_ms);

  const int64_t slot = EvalTimestampNs(GroupHash(file, "g"), kIntervalMs * 1'000'000, kStartNs);
  EXPECT_EQ(*manager_.NextDueNs(), slot + kIntervalMs * 1'000'000);
  ToNextSlot();
  Step(1);
  EXPECT_EQ(*Group().last_eval_timestamp_ms, NsToMs(slot) + kIntervalMs);
  EXPECT_EQ(Group().rules.at(0).health, "ok");
  EXPECT_EQ(Group().iterations_total, 1u);
  auto v = QueryAt(storage_, "job:up:sum", NsToMs(clock_.NowNs()));
  ASSERT_EQ(v.size(), 1u);
  EXPECT_EQ(v[0].v, 1);
}

TEST_F(ManagerTest, AlertGoesPendingThenFiringAndCountsMissedSlots) {
  ASSERT_TRUE(manager_.Reload({dir_.Write("r.yaml", kRules)}).ok());
  ToNextSlot();
  Step(0);
  const auto& alerts = Group().rules.at(1).alerts;
  ASSERT_EQ(alerts.size(), 1u);
  EXPECT_EQ(alerts[0].state, rules::AlertState::kPending);
  const int64_t active_at = alerts[0].active_at_ms;
  EXPECT_EQ(active_at, *Group().last_eval_timestamp_ms);

  // 35 s later: the slots at +10 s and +20 s are missed, +30 s evaluates and fires.
  clock_.AdvanceMs(35'000);
  Step(0);
  EXPECT_EQ(Group().iterations_missed_total, 2u);
  EXPECT_EQ(Group().iterations_total, 4u);
  EXPECT_EQ(*Group().last_eval_timestamp_ms, active_at + 30'000);
  ASSERT_EQ(Group().rules.at(1).alerts.size(), 1u);
  EXPECT_EQ(Group().rules.at(1).alerts[0].state, rules::AlertState::kFiring);
  EXPECT_EQ(Group().rules.at(1).alerts[0].active_at_ms, active_at);
  EXPECT_EQ(Group().rules.at(1).alerts[0].annotations.Get("summary"), "0 up");
}

TEST_F(ManagerTest, BadFileIsRefusedAndOldRulesKeepRunning) {
  const std::string file = dir_.Write("r.yaml", kRules);
  ASSERT_TRUE(manager_.Reload({file}).ok());
  dir_.Write("r.yaml", "groups:\n  - name: g\n    rules:\n      - record: x\n        expr: sum(\n");
  ReloadResult r = manager_.Reload({file});
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(r.errors.at(0), HasSubstr(file + ": 5:15:"));
  EXPECT_FALSE(manager_.Status()->reload.last_successful);
  EXPECT_EQ(manager_.Status()->reload.last_errors, r.errors);
  ASSERT_EQ(Group().rules.size(), 2u);
  ToNextSlot();
  Step(1);
  EXPECT_EQ(Group().rules.at(0).health, "ok");
}

TEST_F(ManagerTest, MissingPlainFileIsAnErrorButAnEmptyGlobIsNot) {
  EXPECT_FALSE(manager_.Reload({dir_.path() + "/missing.yaml"}).ok());
  EXPECT_TRUE(manager_.Reload({dir_.path() + "/*.nothing"}).ok());
  EXPECT_TRUE(manager_.Status()->groups.empty());
}

TEST_F(ManagerTest, ReloadKeepsAlertStateOfUnchangedRules) {
  const std::string file = dir_.Write("r.yaml", kRules);
  ASSERT_TRUE(manager_.Reload({file}).ok());
  ToNextSlot();
  Step(0);
  const int64_t active_at = Group().rules.at(1).alerts.at(0).active_at_ms;

  // The group changes (a rule added, the interval kept): the alert keeps its `for` clock.
  dir_.Write("r.yaml", std::string(kRules) + "      - record: other\n        expr: vector(1)\n");
  ASSERT_TRUE(manager_.Reload({file}).ok());
  EXPECT_EQ(Group().rules.at(1).alerts.at(0).active_at_ms, active_at);
  for (int i = 0; i < 3; ++i) {
    ToNextSlot();
    Step(0);
  }
  ASSERT_EQ(Group().rules.at(1).alerts.size(), 1u);
  EXPECT_EQ(Group().rules.at(1).alerts[0].active_at_ms, active_at);
  EXPECT_EQ(Group().rules.at(1).alerts[0].state, rules::AlertState::kFiring);
  EXPECT_EQ(Group().rules.size(), 3u);
  EXPECT_EQ(Group().iterations_total, 4u);  // counters survive the reload
}

TEST_F(ManagerTest, RemovedGroupGetsStaleMarkersTwoIntervalsLater) {
  const std::string file = dir_.Write("r.yaml", kRules);
  ASSERT_TRUE(manager_.Reload({file}).ok());
  ToNextSlot();
  Step(1);
  clock_.AdvanceMs(1000);
  dir_.Write("r.yaml", "groups: []\n");
  ASSERT_TRUE(manager_.Reload({file}).ok());
  const int64_t removed_ms = NsToMs(clock_.NowNs());
  EXPECT_EQ(QueryAt(storage_, "job:up:sum", removed_ms).size(), 1u);
  clock_.AdvanceMs(2 * kIntervalMs);
  manager_.RunDue();
  EXPECT_TRUE(QueryAt(storage_, "job:up:sum", removed_ms).empty());
  EXPECT_FALSE(manager_.NextDueNs());
}

TEST_F(ManagerTest, SelfMetricsDescribeGroupsAlertsAndReloads) {
  const std::string file = dir_.Write("r.yaml", kRules);
  ASSERT_TRUE(manager_.Reload({file}).ok());
  ToNextSlot();
  Step(0);
  auto families = SelfMetrics(*manager_.Status());
  std::map<std::string, const prometheus::MetricFamily*> by_name;
  for (const auto& f : families) by_name[f.name] = &f;
  ASSERT_TRUE(by_name.count("cerniq_rule_group_rules"));
  const auto& rules = *by_name["cerniq_rule_group_rules"];
  ASSERT_EQ(rules.metric.size(), 1u);
  EXPECT_EQ(rules.metric[0].label.at(0).value, file + ";g");
  EXPECT_EQ(rules.metric[0].gauge.value, 2);
  const auto& alerts = *by_name["cerniq_alerts"];
  EXPECT_EQ(alerts.metric.at(0).label.at(0).value, "pending");
  EXPECT_EQ(alerts.metric.at(0).gauge.value, 1);
  EXPECT_EQ(by_name["cerniq_rules_config_last_reload_successful"]->metric.at(0).gauge.value, 1);
  EXPECT_EQ(by_name["cerniq_rule_evaluation_failures_total"]->metric.at(0).counter.value, 0);
  EXPECT_EQ(by_name["cerniq_rule_group_iterations_total"]->metric.at(0).counter.value, 1);
}

TEST_F(ManagerTest, FailedQueriesAreCountedAndShownAsErr) {
  const std::string file = dir_.Write("r.yaml", R"(groups:
  - name: g
    rules:
      - record: x
        expr: up * on() up
)");
  ASSERT_TRUE(manager_.Reload({file}).ok());
  storage_.Append(promql::LabelsFromMap({{"__name__", "up"}, {"job", "y"}}), NsToMs(clock_.NowNs()),
                  1);
  ToNextSlot();
  Step(1);
  EXPECT_EQ(Group().rules.at(0).health, "err");
  EXPECT_FALSE(Group().rules.at(0).last_error.empty());
  EXPECT_EQ(Group().evaluation_failures_total, 1u);
}

TEST_F(ManagerTest, SchedulerThreadEvaluatesOnTheSystemClock) {
  MemoryRuleStorage storage;
  ManagerOptions o;
  o.storage = &storage;
  Manager live(o);
  const std::string file = dir_.Write("fast.yaml", R"(groups:
  - name: fast
    interval: 100ms
    rules:
      - record: one
        expr: vector(1)
)");
  ASSERT_TRUE(live.Reload({file}).ok());
  live.Start();
  for (int i = 0; i < 300 && live.Status()->groups.at(0).iterations_total < 2; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  live.Stop();
  EXPECT_GE(live.Status()->groups.at(0).iterations_total, 2u);
}

}  // namespace
}  // namespace cerniq::evaluator

namespace cerniq::evaluator {
namespace {

// A restart: the alert state goes out with ExportAlertState and into a fresh manager over the
// same history; the pending alert keeps its activeAt and fires when its `for` ends (restarted at
// once; a `for` of 30s is restored only without a grace period: for_state_restore_test.cc).
TEST_F(ManagerTest, AlertStateSurvivesExportAndImportIntoANewManager) {
  const std::string file = dir_.Write("r.yaml", kRules);
  ASSERT_TRUE(manager_.Reload({file}).ok());
  ToNextSlot();
  Step(0);
  ASSERT_EQ(Group().rules.at(1).alerts.size(), 1u);
  const int64_t active_at = Group().rules.at(1).alerts[0].active_at_ms;
  const std::string blob = manager_.ExportAlertState();

  ManagerOptions no_grace = Options();
  no_grace.for_restore.grace_period_ms = 0;
  Manager restarted(no_grace);
  ASSERT_TRUE(restarted.Reload({file}).ok());
  std::string error;
  EXPECT_EQ(restarted.ImportAlertState(blob, &error), 1) << error;
  auto restored = restarted.Status()->groups.at(0).rules.at(1).alerts;
  ASSERT_EQ(restored.size(), 1u);
  EXPECT_EQ(restored[0].active_at_ms, active_at);
  EXPECT_EQ(restored[0].state, rules::AlertState::kPending);
  EXPECT_EQ(restored[0].annotations.Get("summary"), "0 up");

  clock_.AdvanceMs(30'000);
  storage_.Append(promql::LabelsFromMap({{"__name__", "up"}, {"job", "x"}}), NsToMs(clock_.NowNs()),
                  0);
  restarted.RunDue();
  auto after = restarted.Status()->groups.at(0).rules.at(1).alerts;
  ASSERT_EQ(after.size(), 1u);
  EXPECT_EQ(after[0].active_at_ms, active_at);
  EXPECT_EQ(after[0].state, rules::AlertState::kFiring);

  // An empty blob restores nothing; a foreign one is an error and restores nothing.
  EXPECT_EQ(restarted.ImportAlertState("", &error), 0);
  EXPECT_EQ(restarted.ImportAlertState("{\"version\":7}", &error), -1);
  EXPECT_THAT(error, HasSubstr("version 7"));
  EXPECT_EQ(restarted.ImportAlertState("garbage", &error), -1);
}

}  // namespace
}  // namespace cerniq::evaluator
