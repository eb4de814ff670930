// churn (collect/postgres/subsystems/churn.cc): the histogram against counts in SQL, at
// the bucket edges too, with other bounds, other score types and no rows.

#include <algorithm>
#include <cmath>
#include <string>

#include <gtest/gtest.h>

#include "catalog/catalog.h"
#include "collect/postgres/churn_collector.h"
#include "collector_fixture.h"
#include "config/postgres_config.h"

namespace cerniq {
namespace {

using collect::CollectResult;
using testing::FindSample;
using testing::PostgresCollectorsTest;
namespace n = catalog::names;

TEST_F(PostgresCollectorsTest, ChurnHistogramMatchesSqlIncludingBucketEdges) {
  CollectResult r = Collect("churn");
  ASSERT_TRUE(r.success) << r.error;
  const auto* h = FindSample(r.families, std::string(n::kChurnScore));
  ASSERT_NE(h, nullptr);
  const auto& buckets = h->histogram.bucket;
  const auto& bounds = config::DefaultChurnBuckets();
  ASSERT_EQ(buckets.size(), bounds.size() + 1);
  EXPECT_TRUE(std::find(bounds.begin(), bounds.end(), 80.0) != bounds.end());

  double scored = sql().Number("SELECT count(churn_score) FROM gold_nurturing_state");
  double total = sql().Number("SELECT count(*) FROM gold_nurturing_state");
  ASSERT_LT(scored, total) << "fixture has clients without a score";
  EXPECT_EQ(h->histogram.sample_count, scored);
  EXPECT_DOUBLE_EQ(h->histogram.sample_sum,
                   sql().Number("SELECT sum(churn_score) FROM gold_nurturing_state"));
  for (size_t i = 0; i < bounds.size(); ++i) {
    std::string b = collect::postgres::FormatBound(bounds[i]);
    // `le` is inclusive: a score equal to the bound is in the bucket.
    ASSERT_GE(sql().Number("SELECT count(*) FROM gold_nurturing_state WHERE churn_score = " + b), 1)
        << "fixture has a score exactly on " << b;
    double below_or_on = sql().Number(
        "SELECT count(*) FROM gold_nurturing_state WHERE churn_score IS NOT NULL AND NOT "
        "(churn_score > " +
        b + ")");
    EXPECT_EQ(buckets[i].upper_bound, bounds[i]);
    EXPECT_EQ(buckets[i].cumulative_count, below_or_on) << "le=" << b;
  }
  EXPECT_TRUE(std::isinf(buckets.back().upper_bound));
  EXPECT_EQ(buckets.back().cumulative_count, scored);
}

TEST_F(PostgresCollectorsTest, ChurnBucketsAreConfigurable) {
  auto c = Config();
  c.collectors["churn"].buckets = {0, 12.5, 80, 99.99};
  CollectResult r = Collect("churn", c);
  ASSERT_TRUE(r.success) << r.error;
  const auto* h = FindSample(r.families, std::string(n::kChurnScore));
  ASSERT_NE(h, nullptr);
  ASSERT_EQ(h->histogram.bucket.size(), 5u);
  std::vector<std::string> bounds = {"0", "12.5", "80", "99.99"};
  for (size_t i = 0; i < bounds.size(); ++i) {
    EXPECT_EQ(h->histogram.bucket[i].cumulative_count,
              sql().Number("SELECT count(*) FILTER (WHERE churn_score - " + bounds[i] +
                           " <= 0) FROM gold_nurturing_state"))
        << bounds[i];
  }
}

TEST_F(PostgresCollectorsTest, ChurnScoresOfOtherTypesAndNoRows) {
  // An install whose score is a float or an integer column, and one with no scored client yet.
  for (const std::string& source :
       {std::string("SELECT churn_score::float8 AS score FROM gold_nurturing_state"),
        std::string("SELECT round(churn_score)::int AS score FROM gold_nurturing_state;  "),
        std::string("SELECT churn_score AS score FROM gold_nurturing_state WHERE false -- none")}) {
    auto c = Config();
    c.collectors["churn"].queries["query"] = source;
    CollectResult r = Collect("churn", c);
    ASSERT_TRUE(r.success) << source << ": " << r.error;
    const auto* h = FindSample(r.families, std::string(n::kChurnScore));
    ASSERT_NE(h, nullptr);
    std::string trimmed = source.substr(0, source.find(';'));
    auto expected = sql().Rows("SELECT count(*), coalesce(sum(score), 0)" +
                               std::string(", count(*) FILTER (WHERE score <= 80) FROM (") +
                               trimmed + "\n) AS s WHERE score IS NOT NULL");
    ASSERT_EQ(expected.size(), 1u);
    EXPECT_EQ(h->histogram.sample_count, std::stoull(expected[0][0])) << source;
    EXPECT_NEAR(h->histogram.sample_sum, std::stod(expected[0][1]), 1e-6) << source;
    EXPECT_EQ(h->histogram.bucket[7].upper_bound, 80);
    EXPECT_EQ(h->histogram.bucket[7].cumulative_count, std::stoull(expected[0][2])) << source;
  }
}

}  // namespace
}  // namespace cerniq
