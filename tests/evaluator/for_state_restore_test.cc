// Restored `for` state as Prometheus 2.42's RestoreForState: RestoredAlert's cases one by one,
// then through the manager (export at a stop, import after a downtime, on a fake clock).
#include "evaluator/for_state_restore.h"

#include <gtest/gtest.h>

#include "evaluator/eval_timestamp.h"
#include "evaluator/manager.h"
#include "test_support.h"

namespace cerniq::evaluator {
namespace {

constexpr int64_t kMin = 60'000;
constexpr int64_t kT0 = 1'700'000'000'000;  // whole seconds, as ALERTS_FOR_STATE keeps them

rules::Alert Pending(int64_t active_at_ms) {
  rules::Alert a;
  a.labels = promql::LabelsFromMap({{"alertname", "A"}});
  a.active_at_ms = active_at_ms;
  return a;
}

TEST(RestoredAlert, DowntimeDoesNotCountAsPending) {
  // for: 1h, pending 20m when stopped, down 30m: 40m left, at least the grace period.
  auto a = RestoredAlert(Pending(kT0), 60 * kMin, kT0 + 20 * kMin, kT0 + 50 * kMin, {});
  ASSERT_TRUE(a);
  EXPECT_EQ(a->active_at_ms, kT0 + 30 * kMin);
  EXPECT_EQ(a->state, rules::AlertState::kPending);
}

TEST(RestoredAlert, LessThanTheGracePeriodLeftFiresOneGracePeriodAfterTheRestart) {
  // for: 15m, pending 10m when stopped (5m left < 10m grace), restarted 2m later.
  const int64_t now = kT0 + 12 * kMin;
  auto a = RestoredAlert(Pending(kT0), 15 * kMin, kT0 + 10 * kMin, now, {});
  ASSERT_TRUE(a);
  EXPECT_EQ(a->active_at_ms + 15 * kMin, now + 10 * kMin);
}

TEST(RestoredAlert, OutageLongerThanTheToleranceRestoresNothing) {
  const int64_t down = kT0 + 10 * kMin;
  EXPECT_FALSE(RestoredAlert(Pending(kT0), 60 * kMin, down, down + 60 * kMin + 1, {}));
  EXPECT_TRUE(RestoredAlert(Pending(kT0), 60 * kMin, down, down + 60 * kMin, {}));
  ForRestoreSettings tight;
  tight.outage_tolerance_ms = 5 * kMin;
  EXPECT_FALSE(RestoredAlert(Pending(kT0), 60 * kMin, down, down + 6 * kMin, tight));
}

TEST(RestoredAlert, ForShorterThanTheGracePeriodIsNotRestored) {
  EXPECT_FALSE(RestoredAlert(Pending(kT0), 5 * kMin, kT0 + kMin, kT0 + 2 * kMin, {}));
  ForRestoreSettings no_grace;
  no_grace.grace_period_ms = 0;
  EXPECT_TRUE(RestoredAlert(Pending(kT0), 5 * kMin, kT0 + kMin, kT0 + 2 * kMin, no_grace));
}

TEST(RestoredAlert, FiringResolvedAndUnknownDowntimeAsSaved) {
  rules::Alert firing = Pending(kT0 + 123);
  firing.state = rules::AlertState::kFiring;
  firing.fired_at_ms = kT0 + 60 * kMin;
  auto a = RestoredAlert(firing, 60 * kMin, kT0 + 70 * kMin, kT0 + 80 * kMin, {});
  ASSERT_TRUE(a);
  EXPECT_EQ(a->active_at_ms, kT0 + 123);
  EXPECT_EQ(a->fired_at_ms, kT0 + 60 * kMin);
  rules::Alert resolved = firing;
  resolved.state = rules::AlertState::kInactive;
  resolved.resolved_at_ms = kT0 + 75 * kMin;
  EXPECT_TRUE(RestoredAlert(resolved, 5 * kMin, kT0 + 75 * kMin, kT0 + 80 * kMin, {}));
  auto unknown = RestoredAlert(Pending(kT0), 60 * kMin, 0, kT0 + 500 * kMin, {});
  ASSERT_TRUE(unknown);
  EXPECT_EQ(unknown->active_at_ms, kT0);
  // Pending past its `for` when stopped: fires at the next evaluation (activeAt in seconds).
  auto due = RestoredAlert(Pending(kT0 + 400), 15 * kMin, kT0 + 16 * kMin, kT0 + 17 * kMin, {});
  ASSERT_TRUE(due);
  EXPECT_EQ(due->active_at_ms, kT0);
}

// The manager: an exporter stopped with a pending `for: 15m` alert and started again.
class ForRestoreTest : public ::testing::Test {
 protected:
  ForRestoreTest() : clock_(kT0 * 1'000'000) {
    file_ = dir_.Write("r.yaml", R"(groups:
  - name: g
    interval: 10s
    rules:
      - alert: Down
        expr: up == 0
        for: 15m
)");
  }
  std::unique_ptr<Manager> Start() {
    ManagerOptions o;
    o.storage = &storage_;
    o.clock = &clock_;
    auto m = std::make_unique<Manager>(o);
    EXPECT_TRUE(m->Reload({file_}).ok());
    return m;
  }
  // Feeds up=0 and evaluates at every slot until `until_ms`.
  void RunUntil(Manager& m, int64_t until_ms) {
    for (int i = 0; i < 100'000 && NsToMs(*m.NextDueNs()) <= until_ms; ++i) {
      clock_.SetNs(*m.NextDueNs());
      storage_.Append(promql::LabelsFromMap({{"__name__", "up"}, {"job", "x"}}),
                      NsToMs(clock_.NowNs()), 0);
      m.RunDue();
    }
  }
  static AlertStatus TheAlert(const Manager& m) {
    const auto& alerts = m.Status()->groups.at(0).rules.at(0).alerts;
    EXPECT_EQ(alerts.size(), 1u);
    return alerts.empty() ? AlertStatus{} : alerts[0];
  }

  testing::TempDir dir_;
  std::string file_;
  FakeClock clock_;
  MemoryRuleStorage storage_;
};

TEST_F(ForRestoreTest, ShortRemainingForGetsTheGracePeriod) {
  auto before = Start();
  RunUntil(*before, kT0 + 10 * kMin);  // pending 10 minutes: 5 left
  const int64_t active_at = TheAlert(*before).active_at_ms;
  const std::string blob = before->ExportAlertState();
  before.reset();

  clock_.AdvanceMs(2 * kMin);
  const int64_t restart = NsToMs(clock_.NowNs());
  auto after = Start();
  std::string error;
  ASSERT_EQ(after->ImportAlertState(blob, &error), 1) << error;
  EXPECT_EQ(TheAlert(*after).active_at_ms, restart + 10 * kMin - 15 * kMin);
  EXPECT_GT(TheAlert(*after).active_at_ms, active_at);  // the 2 minutes down did not count
  RunUntil(*after, restart + 10 * kMin - 1);
  EXPECT_EQ(TheAlert(*after).state, rules::AlertState::kPending);  // 5m left became 10m
  RunUntil(*after, restart + 10 * kMin + 10'000);
  EXPECT_EQ(TheAlert(*after).state, rules::AlertState::kFiring);
}

TEST_F(ForRestoreTest, DowntimeBeyondTheToleranceRestartsTheForClock) {
  auto before = Start();
  RunUntil(*before, kT0 + 10 * kMin);
  const std::string blob = before->ExportAlertState();
  before.reset();

  clock_.AdvanceMs(61 * kMin);  // --rules.alert.for-outage-tolerance is 1h
  const int64_t restart = NsToMs(clock_.NowNs());
  auto after = Start();
  std::string error;
  ASSERT_EQ(after->ImportAlertState(blob, &error), 0) << error;
  EXPECT_TRUE(after->Status()->groups.at(0).rules.at(0).alerts.empty());
  RunUntil(*after, restart + 10'000);  // the first evaluation after the restart
  const int64_t first_eval = *after->Status()->groups.at(0).last_eval_timestamp_ms;
  EXPECT_EQ(TheAlert(*after).active_at_ms, first_eval);
  RunUntil(*after, first_eval + 15 * kMin - 1);
  EXPECT_EQ(TheAlert(*after).state, rules::AlertState::kPending);
  RunUntil(*after, first_eval + 15 * kMin);
  EXPECT_EQ(TheAlert(*after).state, rules::AlertState::kFiring);
}

// Restarted and stopped again before the group's first evaluation: the checkpoint keeps the
// state as it was restored (the last evaluation before the first stop), so a later restart
// past the tolerance still restarts the `for` clock.
TEST_F(ForRestoreTest, AStopBeforeTheFirstEvaluationSavesTheRestoredStateUnchanged) {
  auto before = Start();
  RunUntil(*before, kT0 + 10 * kMin);
  const std::string blob = before->ExportAlertState();
  before.reset();

  clock_.AdvanceMs(1000);
  auto brief = Start();
  std::string error;
  ASSERT_EQ(brief->ImportAlertState(blob, &error), 1) << error;
  const std::string again = brief->ExportAlertState();  // no evaluation in between
  brief.reset();
  EXPECT_EQ(again, blob);

  clock_.AdvanceMs(61 * kMin);
  auto after = Start();
  ASSERT_EQ(after->ImportAlertState(again, &error), 0) << error;
}

}  // namespace
}  // namespace cerniq::evaluator
