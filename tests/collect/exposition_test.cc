#include "collect/exposition.h"

#include <cmath>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "collect/families.h"

namespace cerniq::collect {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

std::shared_ptr<const CollectorState> State(const std::string& name, const std::string& source,
                                            bool success, std::vector<prometheus::MetricFamily> f) {
  auto s = std::make_shared<CollectorState>();
  s->name = name;
  s->source = source;
  s->finished_first_pass = true;
  s->success = success;
  s->source_reached = success;
  s->duration_seconds = 0.25;
  s->last_success_unix = success ? 1795935480.508 : 0;
  s->families = std::move(f);
  return s;
}

TEST(Exposition, MergesFamiliesOfSeveralCollectorsUnderOneHeader) {
  auto a = MakeFamily("worker_errors_total");
  AddSample(a, {{"queue", "churn"}}, 3);
  auto b = MakeFamily("worker_errors_total");
  AddSample(b, {{"queue", "graph"}}, 1);
  Snapshot snap;
  snap.collectors["a"] = State("a", "postgres", true, {a});
  snap.collectors["b"] = State("b", "postgres", true, {b});
  std::string text = RenderText(SnapshotFamilies(snap));
  size_t headers = 0;
  for (auto at = text.find("# TYPE worker_errors_total "); at != std::string::npos;
       at = text.find("# TYPE worker_errors_total ", at + 1)) {
    ++headers;
  }
  EXPECT_EQ(headers, 1u) << text;
  EXPECT_THAT(text, HasSubstr("# TYPE worker_errors_total counter\n"
                              "worker_errors_total{queue=\"churn\"} 3\n"
                              "worker_errors_total{queue=\"graph\"} 1\n"));
}

TEST(Exposition, SelfMetrics) {
  Snapshot snap;
  snap.collectors["bullmq"] = State("bullmq", "redis", true, {});
  snap.collectors["churn"] = State("churn", "postgres", false, {});
  std::string text = RenderText(SnapshotFamilies(snap));
  EXPECT_THAT(text, HasSubstr("cerniq_up{source=\"redis\"} 1\n"));
  EXPECT_THAT(text, HasSubstr("cerniq_up{source=\"postgres\"} 0\n"));
  EXPECT_THAT(text, HasSubstr("cerniq_scrape_collector_success{collector=\"bullmq\"} 1\n"));
  EXPECT_THAT(text, HasSubstr("cerniq_scrape_collector_success{collector=\"churn\"} 0\n"));
  EXPECT_THAT(text,
              HasSubstr("cerniq_scrape_collector_duration_seconds{collector=\"bullmq\"} 0.25\n"));
  // Full precision for timestamps: the milliseconds survive.
  EXPECT_THAT(text, HasSubstr("cerniq_scrape_collector_last_success_timestamp_seconds{collector="
                              "\"bullmq\"} 1795935480.508\n"));
  EXPECT_THAT(text, Not(HasSubstr("last_success_timestamp_seconds{collector=\"churn\"}")));
  EXPECT_THAT(text, HasSubstr("cerniq_exporter_build_info{version=\""));
}

TEST(Exposition, PassAndFailureCountersFromTheState) {
  Snapshot snap;
  auto state = std::make_shared<CollectorState>(*State("churn", "postgres", true, {}));
  state->passes = 7;
  state->failures = 2;
  snap.collectors["churn"] = state;
  auto pending = std::make_shared<CollectorState>();
  pending->name = "bullmq";
  pending->source = "redis";
  snap.collectors["bullmq"] = pending;
  std::string text = RenderText(SnapshotFamilies(snap));
  EXPECT_THAT(text, HasSubstr("# TYPE cerniq_collector_passes_total counter\n"));
  EXPECT_THAT(text, HasSubstr("cerniq_collector_passes_total{collector=\"churn\"} 7\n"));
  EXPECT_THAT(text, HasSubstr("cerniq_collector_failures_total{collector=\"churn\"} 2\n"));
  // Counters exist from registration, at 0, so rate() and increase() see the first failure.
  EXPECT_THAT(text, HasSubstr("cerniq_collector_passes_total{collector=\"bullmq\"} 0\n"));
  EXPECT_THAT(text, HasSubstr("cerniq_collector_failures_total{collector=\"bullmq\"} 0\n"));
}

TEST(Exposition, BuildInfoLimitsAndProcessMetrics) {
  std::string text = RenderText(SnapshotFamilies(Snapshot{}));
  EXPECT_THAT(text,
              ::testing::ContainsRegex(
                  "cerniq_exporter_build_info\\{version=\"[0-9]+\\.[0-9]+\\.[0-9]+\","
                  "revision=\"[^\"]+\",branch=\"[^\"]+\",compiler=\"(gcc|clang) [0-9.]+\"\\} 1\n"));
  for (const char* limit : {"queues_discovered", "series_per_collector", "label_value_length",
                            "postgres_rows", "http_connections", "http_request_body",
                            "query_samples", "query_timeout", "history_bytes"}) {
    EXPECT_THAT(text,
                HasSubstr("cerniq_limit_reached_total{limit=\"" + std::string(limit) + "\"}"));
  }
  for (const char* name :
       {"process_cpu_seconds_total", "process_open_fds", "process_max_fds",
        "process_virtual_memory_bytes", "process_virtual_memory_max_bytes",
        "process_resident_memory_bytes", "process_start_time_seconds", "process_threads"}) {
    EXPECT_THAT(text, HasSubstr("\n" + std::string(name) + " ")) << name;
  }
}

TEST(Exposition, CollectorsBeforeTheirFirstPassAreNotReadyAndDown) {
  Snapshot snap;
  auto pending = std::make_shared<CollectorState>();
  pending->name = "bullmq";
  pending->source = "redis";
  snap.collectors["bullmq"] = pending;
  EXPECT_FALSE(snap.Ready());
  EXPECT_FALSE(snap.SourcesUp().at("redis"));
  std::string text = RenderText(SnapshotFamilies(snap));
  EXPECT_THAT(text, HasSubstr("cerniq_up{source=\"redis\"} 0\n"));
  EXPECT_THAT(text, Not(HasSubstr("cerniq_scrape_collector_success{")));
}

TEST(Exposition, HistogramAndEscaping) {
  auto h = MakeFamily("nurturing_client_churn_score");
  AddHistogram(h, {}, {{50, 3}, {80, 7}, {INFINITY, 9}}, 9, 512.5);
  auto g = MakeFamily("nurturing_clients");
  AddSample(g, {{"state", "a\"b\\c\nd"}}, 1);
  Snapshot snap;
  snap.collectors["x"] = State("x", "postgres", true, {h, g});
  std::string text = RenderText(SnapshotFamilies(snap));
  EXPECT_THAT(text, HasSubstr("nurturing_client_churn_score_bucket{le=\"80\"} 7\n"));
  EXPECT_THAT(text, HasSubstr("nurturing_client_churn_score_bucket{le=\"+Inf\"} 9\n"));
  EXPECT_THAT(text, HasSubstr("nurturing_client_churn_score_count 9\n"));
  EXPECT_THAT(text, HasSubstr("nurturing_client_churn_score_sum 512.5\n"));
  EXPECT_THAT(text, HasSubstr("nurturing_clients{state=\"a\\\"b\\\\c\\nd\"} 1\n"));
}

TEST(Families, UnknownMetricIsAProgrammingError) {
  EXPECT_THROW(MakeFamily("not_in_catalogue"), std::logic_error);
  EXPECT_THROW(MakeFamily("nurturing_client_churn_score_bucket"), std::logic_error);
}

}  // namespace
}  // namespace cerniq::collect
