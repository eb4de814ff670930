#include "collect/limits.h"

#include <cmath>

#include <gtest/gtest.h>

#include "collect/families.h"
#include "log/limits.h"

namespace cerniq::collect {
namespace {

std::uint64_t LimitCount(std::string_view limit) {
  for (const auto& [name, count] : log::LimitCounts()) {
    if (name == limit) return count;
  }
  return 0;
}

std::vector<prometheus::MetricFamily> Families() {
  auto gauge = MakeFamily("bullmq_queue_waiting");
  for (int i = 0; i < 4; ++i) AddSample(gauge, {{"queue", "q" + std::to_string(i)}}, i);
  auto histogram = MakeFamily("nurturing_client_churn_score");
  AddHistogram(histogram, {}, {{50, 1}, {100, 2}, {INFINITY, 2}}, 2, 120);
  return {gauge, histogram};
}

TEST(CollectLimits, NoneReachedChangesNothing) {
  auto families = Families();
  auto before = LimitCount(log::limit::kSeriesPerCollector);
  ApplyLimits("bullmq", CollectLimits{}, families);
  EXPECT_EQ(families[0].metric.size(), 4u);
  EXPECT_EQ(families[1].metric.size(), 1u);
  EXPECT_EQ(LimitCount(log::limit::kSeriesPerCollector), before);
}

TEST(CollectLimits, SeriesKeepsTheFirstAndCountsAHistogramAsAllItsSeries) {
  auto families = Families();
  size_t histogram_series = families[1].metric[0].histogram.bucket.size() + 2;
  auto before = LimitCount(log::limit::kSeriesPerCollector);
  // Room for the 4 gauges and one series less than the histogram needs: it is dropped whole.
  ApplyLimits("bullmq", CollectLimits{4 + histogram_series - 1, 0}, families);
  EXPECT_EQ(families[0].metric.size(), 4u);
  EXPECT_TRUE(families[1].metric.empty());
  EXPECT_EQ(LimitCount(log::limit::kSeriesPerCollector), before + 1) << "one per pass";

  families = Families();
  ApplyLimits("bullmq", CollectLimits{4 + histogram_series, 0}, families);
  EXPECT_EQ(families[1].metric.size(), 1u);
  EXPECT_EQ(LimitCount(log::limit::kSeriesPerCollector), before + 1);
}

TEST(CollectLimits, LongLabelValueDropsTheSampleNotTruncates) {
  auto families = Families();
  AddSample(families[0], {{"queue", std::string(33, 'a')}}, 1);
  AddSample(families[0], {{"queue", std::string(32, 'b')}}, 2);
  auto before = LimitCount(log::limit::kLabelValueLength);
  ApplyLimits("bullmq", CollectLimits{0, 32}, families);
  ASSERT_EQ(families[0].metric.size(), 5u);
  EXPECT_EQ(families[0].metric.back().label[0].value, std::string(32, 'b'));
  EXPECT_EQ(LimitCount(log::limit::kLabelValueLength), before + 1);
}

}  // namespace
}  // namespace cerniq::collect
