// The rule linter against the exporter's metric catalogue.
#include "rules/linter.h"

#include <gtest/gtest.h>

#include <sstream>

#include "golden.h"
#include "rules/rule_loader.h"

namespace cerniq::rules {
namespace {

// The older checks' tests leave alerts/annotation out (their alerts have no runbook_url).
LintOptions NoAnnotations() {
  LintOptions o;
  o.required_annotations.clear();
  return o;
}

std::vector<LintFinding> Lint(const std::string& yaml, LintOptions options = NoAnnotations()) {
  auto loaded = ParseRuleFile(yaml);
  EXPECT_TRUE(loaded.ok()) << (loaded.errors.empty() ? "" : loaded.errors[0]);
  if (!loaded.ok()) return {};
  return LintRuleFile("r.yml", yaml, *loaded.file, options);
}

// The runbook's alert YAML (../shared/seed/etapa5-runbook.md, section 4.1), read in place.
std::optional<std::string> RunbookAlerts() {
  const char* env = std::getenv("CERNIQ_SHARED_DIR");
  std::filesystem::path shared = env && *env ? env : CERNIQ_SHARED_DIR_DEFAULT;
  const auto path = shared / "seed" / "etapa5-runbook.md";
  if (!std::filesystem::exists(path)) return std::nullopt;
  const std::string text = testing::ReadText(path);
  const auto start = text.find("# alerts/etapa5-alerts.yaml");
  if (start == std::string::npos) return std::nullopt;
  const auto body = text.find('\n', start) + 1;
  return text.substr(body, text.find("```", body) - body);
}

TEST(Linter, RunbookChurnRiskCriticalSelectsAMetricNotExposed) {
  auto yaml = RunbookAlerts();
  if (!yaml) GTEST_SKIP() << "CERNIQ_SHARED_DIR/seed/etapa5-runbook.md not found";
  auto findings = Lint(*yaml);
  std::vector<LintFinding> series;
  for (const auto& f : findings) {
    if (f.check == "promql/series") series.push_back(f);
  }
  ASSERT_EQ(series.size(), 1u) << FormatFindingsText(findings);
  EXPECT_EQ(series[0].line, 25);    // counted from the first line of the YAML block
  EXPECT_EQ(series[0].column, 21);  // `nurturing_client_churn_score` inside count(...)
  EXPECT_NE(series[0].message.find("`nurturing_client_churn_score` is a histogram"),
            std::string::npos);
  EXPECT_NE(series[0].fix.find("nurturing_client_churn_score_bucket"), std::string::npos);
  // GraphBuildFailed has no `for` but reads a counter through increase(): not flagged.
  for (const auto& f : findings)
    EXPECT_NE(f.check, "alerts/gauge-without-for") << FormatFindingsText(findings);
}

TEST(Linter, UnknownMetricWithSuggestion) {
  auto f = Lint(
      "groups:\n  - name: g\n    rules:\n      - record: r\n        expr: "
      "sum(bullmq_queue_wating)\n");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(
      FormatFindingsText(f),
      "r.yml:5:19: bug: promql/series: `bullmq_queue_wating` is not a metric cerniq_exporter "
      "exposes, so this selector matches nothing. (fix: did you mean bullmq_queue_waiting?)\n");
}

TEST(Linter, RateOnGaugeAndShortWindow) {
  auto f = Lint(
      "groups:\n  - name: g\n    rules:\n      - record: r\n"
      "        expr: rate(bullmq_queue_waiting[30s])\n");
  ASSERT_EQ(f.size(), 2u) << FormatFindingsText(f);
  EXPECT_EQ(f[0].check, "promql/rate");
  EXPECT_NE(f[0].message.find("a gauge"), std::string::npos);
  EXPECT_EQ(f[0].fix, "use deriv() for gauges");
  EXPECT_NE(f[1].message.find("shorter than 4x the 15s scrape interval"), std::string::npos);
  EXPECT_EQ(f[1].fix, "use a window of at least 1m");
  // A counter over a long enough window is fine; a longer scrape interval flags it.
  const std::string ok =
      "groups:\n  - name: g\n    rules:\n      - record: r\n"
      "        expr: rate(bullmq_jobs_failed_total[5m])\n";
  EXPECT_TRUE(Lint(ok).empty());
  LintOptions slow = NoAnnotations();
  slow.scrape_interval_ms = 2 * 60 * 1000;
  EXPECT_EQ(Lint(ok, slow).size(), 1u);
}

TEST(Linter, HistogramAggregations) {
  auto f = Lint(
      "groups:\n  - name: g\n    rules:\n      - record: a\n"
      "        expr: count(nurturing_client_churn_score_bucket)\n      - record: b\n"
      "        expr: sum(nurturing_client_churn_score_bucket)\n      - record: c\n"
      "        expr: sum by (le) (nurturing_client_churn_score_bucket)\n      - record: d\n"
      "        expr: sum(nurturing_client_churn_score_bucket{le=\"80\"})\n");
  ASSERT_EQ(f.size(), 2u) << FormatFindingsText(f);
  EXPECT_EQ(f[0].fix, "use nurturing_client_churn_score_count");
  EXPECT_EQ(f[1].line, 7);
  EXPECT_NE(f[1].message.find("without le"), std::string::npos);
}

TEST(Linter, AlertWithoutForOnGaugeAndDroppedTemplateLabels) {
  auto f = Lint(R"(groups:
  - name: g
    rules:
      - alert: Backlog
        expr: sum by (queue) (bullmq_queue_waiting) > 100
        annotations:
          summary: "{{ $labels.queue }} on {{ $labels.instance }}"
)");
  ASSERT_EQ(f.size(), 2u) << FormatFindingsText(f);
  EXPECT_EQ(f[0].check, "alerts/gauge-without-for");
  EXPECT_EQ(f[1].check, "alerts/template");
  EXPECT_NE(f[1].message.find("$labels.instance"), std::string::npos);
  EXPECT_EQ(f[1].message.find("$labels.queue"), std::string::npos);
}

TEST(Linter, ImpossibleComparisons) {
  auto f = Lint(
      "groups:\n  - name: g\n    rules:\n      - alert: A\n        expr: bullmq_queue_paused > 1\n"
      "        for: 5m\n      - alert: B\n        expr: bullmq_jobs_failed_total < 0\n");
  std::erase_if(f, [](const LintFinding& x) { return x.check == "promql/counter"; });
  ASSERT_EQ(f.size(), 2u) << FormatFindingsText(f);
  EXPECT_EQ(f[0].check, "promql/impossible");
  EXPECT_NE(f[0].message.find("always 0 or 1"), std::string::npos);
  EXPECT_NE(f[1].message.find("never goes below 0"), std::string::npos);
}

TEST(Linter, BlockScalarPositionsAndJson) {
  auto f = Lint(
      "groups:\n  - name: g\n    rules:\n      - record: r\n        expr: |\n"
      "          sum(\n            nope_metric\n          )\n");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].line, 7);
  EXPECT_EQ(f[0].column, 13);
  const std::string json = FormatFindingsJson(f);
  EXPECT_NE(json.find("\"check\": \"promql/series\""), std::string::npos) << json;
  EXPECT_NE(json.find("\"line\": 7"), std::string::npos);
}

}  // namespace
}  // namespace cerniq::rules
