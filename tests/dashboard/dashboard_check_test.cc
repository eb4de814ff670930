// Dashboard checks on crafted dashboards; the findings are what `cerniqtool check dashboards`
// prints (see tests/tool/dashboards for the same checks through the binary).
#include "dashboard/dashboard_check.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

namespace cerniq::dashboard {
namespace {

using ::testing::ElementsAre;
using ::testing::Field;

constexpr const char* kDatasourceVariable =
    R"({"name": "datasource", "type": "datasource", "query": "prometheus"})";
constexpr const char* kQueueVariable = R"({"name": "queue", "type": "custom", "query": "a,b"})";

// A dashboard with the given template variables and one timeseries panel querying `expr`.
std::string Dashboard(const std::string& variables, const std::string& expr) {
  return R"({"uid": "t", "title": "T", "schemaVersion": 39,
  "templating": {"list": [)" +
         variables + R"(]},
  "panels": [{"id": 1, "type": "timeseries", "title": "P", "gridPos": {"h": 8, "w": 12, "x": 0, "y": 0},
    "datasource": {"type": "prometheus", "uid": "${datasource}"},
    "targets": [{"refId": "A", "expr": ")" +
         expr + R"("}]}]})";
}

std::string BothVariables() { return std::string(kDatasourceVariable) + ", " + kQueueVariable; }

TEST(DashboardCheck, GoodDashboardHasNoFindings) {
  const DashboardReport r = CheckDashboard(
      Dashboard(
          BothVariables(),
          R"(sum by (queue) (rate(bullmq_jobs_added_total{queue=~\"$queue\"}[$__rate_interval])))"),
      {});
  EXPECT_TRUE(r.findings.empty()) << r.findings[0].message;
  EXPECT_EQ(r.panels, 1);
  EXPECT_EQ(r.queries, 1);
}

TEST(DashboardCheck, MissingDatasourceVariable) {
  const DashboardReport r = CheckDashboard(Dashboard(kQueueVariable, "bullmq_queue_waiting"), {});
  ASSERT_EQ(r.findings.size(), 1u);
  const DashboardFinding& f = r.findings[0];
  EXPECT_EQ(f.where, "templating.list");
  EXPECT_EQ(f.subject, "");
  EXPECT_EQ(f.check, "dashboard/datasource");
  EXPECT_EQ(f.message, "no template variable \"datasource\" of type \"datasource\"");
  EXPECT_EQ(f.fix,
            "add {\"name\": \"datasource\", \"type\": \"datasource\", \"query\": \"prometheus\"}");
}

TEST(DashboardCheck, QueryThatDoesNotParse) {
  const DashboardReport r = CheckDashboard(Dashboard(BothVariables(), "sum(rate(x[5m])"), {});
  ASSERT_EQ(r.findings.size(), 1u);
  const DashboardFinding& f = r.findings[0];
  EXPECT_EQ(f.where, "panels[0].targets[0].expr");
  EXPECT_EQ(f.subject, "panel \"P\"");
  EXPECT_EQ(f.check, "promql/parse");
  EXPECT_EQ(f.message, "1:16: parse error: unclosed left parenthesis in: sum(rate(x[5m])");
}

TEST(DashboardCheck, UnknownMetricWithSuggestion) {
  const DashboardReport r = CheckDashboard(
      Dashboard(BothVariables(), R"(sum(bullmq_queue_waitin{queue=~\"$queue\"}))"), {});
  ASSERT_EQ(r.findings.size(), 1u);
  const DashboardFinding& f = r.findings[0];
  EXPECT_EQ(f.where, "panels[0].targets[0].expr:1:5");
  EXPECT_EQ(f.check, "promql/series");
  EXPECT_EQ(f.message,
            "`bullmq_queue_waitin` is not a metric cerniq_exporter exposes, so this selector "
            "matches nothing.");
  EXPECT_EQ(f.fix, "did you mean bullmq_queue_waiting?");
}

TEST(DashboardCheck, RecordedSeriesAreKnown) {
  const std::string d = Dashboard(BothVariables(), "queue:waiting:sum");
  EXPECT_THAT(CheckDashboard(d, {}).findings,
              ElementsAre(Field(&DashboardFinding::check, "promql/series")));
  DashboardCheckOptions options;
  options.recorded = {"queue:waiting:sum"};
  EXPECT_TRUE(CheckDashboard(d, options).findings.empty());
}

TEST(DashboardCheck, UnknownVariableAndNotJson) {
  const DashboardReport r = CheckDashboard(
      Dashboard(BothVariables(), R"(bullmq_queue_waiting{instance=~\"$inst\"})"), {});
  ASSERT_EQ(r.findings.size(), 1u);
  EXPECT_EQ(r.findings[0].where, "panels[0].targets[0].expr:1:33");
  EXPECT_EQ(r.findings[0].message, "$inst is not a template variable of this dashboard");
  EXPECT_THAT(CheckDashboard("[1", {}).findings,
              ElementsAre(Field(&DashboardFinding::check, "dashboard/json")));
}

TEST(SubstituteGrafanaVariables, IntervalsAndVariablesWithOrigins) {
  std::vector<int> origin;
  EXPECT_EQ(
      SubstituteGrafanaVariables("rate(x{q=~\"${q:csv}\"}[$__rate_interval])", {"q"}, &origin),
      "rate(x{q=~\".*\"}[5m])");
  ASSERT_EQ(origin.size(), std::string("rate(x{q=~\".*\"}[5m])").size() + 1);
  EXPECT_EQ(origin[11], 11);  // the first byte of ".*" comes from "${q:csv}"
  EXPECT_EQ(origin[16], 22);  // the "5" of 5m comes from "$__rate_interval"
  EXPECT_EQ(SubstituteGrafanaVariables("x{a=\"$unknown\"}", {}, &origin), "x{a=\"$unknown\"}");
}

}  // namespace
}  // namespace cerniq::dashboard
