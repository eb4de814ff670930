#include "evaluator/query_window.h"

#include <limits>

#include <gtest/gtest.h>

#include "promql/parser.h"

namespace cerniq::evaluator {
namespace {

TimeWindow Window(const std::string& expr, int64_t ts = 10'000'000) {
  auto parsed = promql::ParseExpr(expr);
  return QueryWindow(*parsed, ts, 300'000, 60'000);
}

TEST(QueryWindow, InstantSelectorsReachBackTheLookback) {
  auto w = Window("up == 0");
  EXPECT_EQ(w.mint_ms, 10'000'000 - 300'000);
  EXPECT_EQ(w.maxt_ms, 10'000'000);
}

TEST(QueryWindow, RangesOffsetsAndSubqueriesAddUp) {
  EXPECT_EQ(Window("rate(x[1h])").mint_ms, 10'000'000 - 3'600'000);
  EXPECT_EQ(Window("rate(x[5m] offset 1m)").mint_ms, 10'000'000 - 360'000);
  EXPECT_EQ(Window("x offset -1m").maxt_ms, 10'060'000);
  // max_over_time(rate(x[5m])[10m:1m]): 10m + one 1m step + 5m.
  EXPECT_EQ(Window("max_over_time(rate(x[5m])[10m:1m])").mint_ms, 10'000'000 - 960'000);
  EXPECT_EQ(Window("vector(1)").mint_ms, 10'000'000);
}

TEST(QueryWindow, AtModifierIsUnbounded) {
  auto w = Window("x @ 100");
  EXPECT_EQ(w.mint_ms, std::numeric_limits<int64_t>::min());
  EXPECT_EQ(w.maxt_ms, std::numeric_limits<int64_t>::max());
}

}  // namespace
}  // namespace cerniq::evaluator
