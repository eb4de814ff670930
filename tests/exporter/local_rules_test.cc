// The evaluator's status as /api/v1/rules and /api/v1/alerts show it.
#include "local_rules.h"

#include <gtest/gtest.h>

#include "api/rules_state.h"

namespace cerniq::exporter {
namespace {

TEST(ToApiState, RuleStateIsItsHighestAlertAndTheQueryIsPrintedAsPrometheusDoes) {
  evaluator::RulesStatus status;
  evaluator::GroupStatus g;
  g.name = "queues";
  g.file = "rules/a.yaml";
  g.interval_ms = 15'000;
  g.last_evaluation_ns = 1'700'000'000'123'000'000;
  g.last_duration_seconds = 0.25;
  evaluator::RuleStatus r;
  r.type = evaluator::RuleStatus::Type::kAlerting;
  r.name = "Backlog";
  r.query = "bullmq_queue_waiting  >=  100";
  r.for_ms = 600'000;
  r.labels = {{"severity", "warning"}};
  for (auto [queue, state] : {std::pair{"churn", rules::AlertState::kPending},
                              std::pair{"graph", rules::AlertState::kFiring}}) {
    evaluator::AlertStatus a;
    a.labels = promql::LabelsFromMap({{"alertname", "Backlog"}, {"queue", queue}});
    a.state = state;
    a.active_at_ms = 1'700'000'000'000;
    a.value = 120;
    r.alerts.push_back(a);
  }
  g.rules.push_back(r);
  evaluator::RuleStatus rec;
  rec.name = "job:x:sum";
  rec.query = "sum(x)";
  g.rules.push_back(rec);
  status.groups.push_back(g);

  const auto groups = ToApiState(status);
  ASSERT_EQ(groups.size(), 1u);
  EXPECT_EQ(groups[0].interval_s, 15);
  const auto& alerting = groups[0].rules.at(0);
  EXPECT_TRUE(alerting.alerting);
  EXPECT_EQ(alerting.state, "firing");
  EXPECT_EQ(alerting.query, "bullmq_queue_waiting >= 100");
  EXPECT_EQ(alerting.duration_s, 600);
  ASSERT_EQ(alerting.alerts.size(), 2u);
  EXPECT_EQ(alerting.alerts[0].state, "pending");
  EXPECT_EQ(alerting.alerts[0].active_at_ns, 1'700'000'000'000'000'000);
  EXPECT_FALSE(groups[0].rules.at(1).alerting);
  // The JSON as /api/v1/alerts writes it.
  const std::string alerts = api::AlertsJson(groups);
  EXPECT_NE(alerts.find(R"("state":"firing")"), std::string::npos) << alerts;
  EXPECT_NE(alerts.find(R"("activeAt":"2023-11-14T22:13:20Z")"), std::string::npos) << alerts;
}

}  // namespace
}  // namespace cerniq::exporter
