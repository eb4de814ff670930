#include "evaluator/snapshot_feed.h"

#include <map>

#include <gtest/gtest.h>

#include "collect/families.h"
#include "promql/value.h"

namespace cerniq::evaluator {
namespace {

TEST(SnapshotFeed, FeedsSeriesLikeAScrapeAndMarksVanishedOnesStale) {
  auto waiting = collect::MakeFamily("bullmq_queue_waiting");
  collect::AddSample(waiting, {{"prefix", "bull"}, {"queue", "churn"}}, 7);
  auto churn = collect::MakeFamily("nurturing_client_churn_score");
  collect::AddHistogram(churn, {}, {{80, 3}, {100, 5}}, 5, 321);
  std::map<std::string, std::pair<int64_t, double>> got;
  auto sink = [&](const promql::Labels& l, int64_t t, double v) { got[l.String()] = {t, v}; };
  SnapshotFeed feed;
  feed.Feed({waiting, churn}, 1000, sink);
  EXPECT_EQ(got.at(R"({__name__="bullmq_queue_waiting", prefix="bull", queue="churn"})").second, 7);
  EXPECT_EQ(got.at(R"({__name__="nurturing_client_churn_score_bucket", le="80"})").second, 3);
  EXPECT_EQ(got.at(R"({__name__="nurturing_client_churn_score_count"})").second, 5);
  EXPECT_EQ(got.at(R"({__name__="nurturing_client_churn_score_sum"})").second, 321);

  got.clear();
  feed.Feed({churn}, 2000, sink);
  const auto stale = got.at(R"({__name__="bullmq_queue_waiting", prefix="bull", queue="churn"})");
  EXPECT_EQ(stale.first, 2000);
  EXPECT_TRUE(promql::IsStaleNaN(stale.second));
}

}  // namespace
}  // namespace cerniq::evaluator
