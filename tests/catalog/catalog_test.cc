#include "catalog/catalog.h"

#include <regex>
#include <set>

#include <gtest/gtest.h>

#include "catalog/runbook.h"

namespace cerniq::catalog {
namespace {

TEST(Catalog, NamesAreValidUniqueAndCountersEndInTotal) {
  std::set<std::string_view> seen;
  std::regex name("[a-zA-Z_:][a-zA-Z0-9_:]*");
  for (const Metric& m : All()) {
    EXPECT_TRUE(seen.insert(m.name).second) << m.name;
    EXPECT_TRUE(std::regex_match(std::string(m.name), name)) << m.name;
    EXPECT_EQ(m.type == Type::kCounter, m.name.ends_with("_total")) << m.name;
    EXPECT_FALSE(m.help.empty()) << m.name;
    EXPECT_EQ(m.help.find('\n'), std::string_view::npos) << m.name;
  }
}

TEST(Catalog, FindsHistogramSeries) {
  ASSERT_NE(Find("nurturing_client_churn_score_bucket"), nullptr);
  EXPECT_EQ(Find("nurturing_client_churn_score_count")->name, "nurturing_client_churn_score");
  EXPECT_EQ(Find("nurturing_client_churn_score_total"), nullptr);
  EXPECT_EQ(Find("bullmq_queue_waiting_bucket"), nullptr);
  EXPECT_EQ(Find("bullmq_queue_waiting")->type, Type::kGauge);
}

TEST(Catalog, HasEveryMetricTheRunbookRulesUse) {
  for (auto name : {"bullmq_queue_waiting", "bullmq_workers_active", "hitl_sla_breached_total",
                    "graph_build_failures_total", "bullmq_jobs_completed_total",
                    "hitl_task_resolution_time_seconds", "referral_status", "nps_score"}) {
    EXPECT_NE(Find(name), nullptr) << name;
  }
  // The runbook's ChurnRiskCritical selects one series per client: not exposed (DESIGN).
  EXPECT_EQ(Find("nurturing_client_churn_score")->type, Type::kHistogram);
}

TEST(Catalog, SelfObservationAsSresKnowIt) {
  // client_golang's process collector: names and help texts, word for word.
  EXPECT_EQ(Find("process_cpu_seconds_total")->help,
            "Total user and system CPU time spent in seconds.");
  EXPECT_EQ(Find("process_resident_memory_bytes")->help, "Resident memory size in bytes.");
  EXPECT_EQ(Find("process_start_time_seconds")->help,
            "Start time of the process since unix epoch in seconds.");
  for (auto name : {"process_open_fds", "process_max_fds", "process_virtual_memory_bytes",
                    "process_virtual_memory_max_bytes", "process_threads"}) {
    ASSERT_NE(Find(name), nullptr) << name;
    EXPECT_EQ(Find(name)->type, Type::kGauge) << name;
  }
  for (auto name : {"cerniq_collector_passes_total", "cerniq_collector_failures_total"}) {
    EXPECT_EQ(Find(name)->labels, std::vector<std::string_view>{"collector"}) << name;
  }
  EXPECT_EQ(Find("cerniq_limit_reached_total")->labels, std::vector<std::string_view>{"limit"});
  EXPECT_EQ(Find("cerniq_exporter_build_info")->labels,
            (std::vector<std::string_view>{"version", "revision", "branch", "compiler"}));
}

TEST(Runbook, ThresholdsOfSection12) {
  EXPECT_EQ(Etapa5Thresholds().size(), 13u);
  EXPECT_EQ(ThresholdFor("churn")->waiting_below, 50);
  EXPECT_EQ(ThresholdFor("churn")->failed_below, 5);
  EXPECT_EQ(ThresholdFor("graph")->failed_below, 1);
  EXPECT_FALSE(ThresholdFor("nope"));
}

}  // namespace
}  // namespace cerniq::catalog
