#include "log/limits.h"

#include <algorithm>
#include <thread>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace cerniq::log {
namespace {

std::uint64_t Count(std::string_view limit) {
  for (const auto& [name, count] : LimitCounts()) {
    if (name == limit) return count;
  }
  return ~std::uint64_t{0};
}

TEST(Limits, EveryKnownLimitIsListedAtZeroFromTheStart) {
  auto counts = LimitCounts();
  EXPECT_GE(counts.size(), 10u);
  EXPECT_EQ(Count(limit::kHistoryBytes), 0u);
  EXPECT_EQ(Count(limit::kHttpConnections), 0u);
  EXPECT_TRUE(std::is_sorted(counts.begin(), counts.end()));
}

TEST(Limits, LoggedOnceCountedEveryTime) {
  Configure(Level::kInfo, Format::kLogfmt);
  ::testing::internal::CaptureStderr();
  LimitReached(limit::kPostgresRows, {{"query", "q1"}});
  LimitReached(limit::kPostgresRows, {{"query", "q2"}});
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([] {
      for (int i = 0; i < 100; ++i) LimitReached(limit::kPostgresRows);
    });
  }
  for (auto& t : threads) t.join();
  std::string err = ::testing::internal::GetCapturedStderr();
  EXPECT_EQ(Count(limit::kPostgresRows), 402u);
  EXPECT_EQ(std::count(err.begin(), err.end(), '\n'), 1) << err;
  EXPECT_THAT(err, ::testing::HasSubstr("level=warn"));
  EXPECT_THAT(err, ::testing::HasSubstr("postgres_rows"));
  EXPECT_THAT(err, ::testing::HasSubstr("query=q1"));
}

TEST(Limits, AnUnknownNameIsCountedToo) {
  LimitReached("made_up_limit");
  EXPECT_EQ(Count("made_up_limit"), 1u);
}

}  // namespace
}  // namespace cerniq::log
