// Selectors, lookback, staleness, modifiers, subqueries, range queries and engine limits.
#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "promql_test_util.h"

namespace cerniq::promql::testing {
namespace {

TEST(Engine, LookbackIsFiveMinutesInclusive) {
  auto s = Load("load 1m\n  x 1 2\n");  // samples at 0 and 1m
  EXPECT_EQ(One(s, "x", 1 * kMin), 2);
  EXPECT_EQ(One(s, "x", 6 * kMin), 2);  // exactly 5m after the last sample: still visible
  EXPECT_TRUE(Vec(s, "x", 6 * kMin + 1).empty());
  EngineOptions o = TestRunnerEngineOptions();
  o.lookback_delta_ms = kMin;
  EXPECT_TRUE(std::get<Vector>(Query(s, "x", 3 * kMin, o)).empty());
}

TEST(Engine, StaleMarkerHidesSeriesUntilNextSample) {
  auto s = Load("load 1m\n  x 1 stale 3\n");
  EXPECT_EQ(One(s, "x", 0), 1);
  EXPECT_TRUE(Vec(s, "x", 1 * kMin).empty());
  EXPECT_TRUE(Vec(s, "x", 1 * kMin + 30000).empty());
  EXPECT_EQ(One(s, "x", 2 * kMin), 3);
  // Range selectors skip the marker itself.
  EXPECT_EQ(One(s, "count_over_time(x[5m])", 2 * kMin), 2);
}

TEST(Engine, OffsetAndAtModifiers) {
  auto s = Load("load 1m\n  x 0+1x10\n");
  EXPECT_EQ(One(s, "x offset 3m", 10 * kMin), 7);
  EXPECT_EQ(One(s, "x offset -3m", 5 * kMin), 8);
  EXPECT_EQ(One(s, "x @ 120", 10 * kMin), 2);
  EXPECT_EQ(One(s, "x @ 240 offset 1m", 0), 3);
  EXPECT_EQ(One(s, "x @ start()", 4 * kMin), 4);
  Engine engine(TestRunnerEngineOptions());
  Matrix m = engine.Range(s, *ParseExpr("x @ end()"), 0, 4 * kMin, kMin);
  ASSERT_EQ(m.size(), 1u);
  for (const auto& p : m[0].points) EXPECT_EQ(p.v, 4);
}

TEST(Engine, InstantQueryOfRangeSelectorReturnsMatrix) {
  auto s = Load("load 1m\n  x{a=\"b\"} 1 2 3\n");
  auto v = Query(s, "x[2m]", 2 * kMin);
  auto m = std::get<Matrix>(v);
  ASSERT_EQ(m.size(), 1u);
  ASSERT_EQ(m[0].points.size(), 3u);  // the range is closed at both ends
  EXPECT_EQ(m[0].points[0].t, 0);
  EXPECT_EQ(m[0].metric.String(), "{__name__=\"x\", a=\"b\"}");
}

TEST(Engine, SubqueryStepsAlignToMultiplesOfTheStep) {
  auto s = Load("load 10s\n  x 0+1x100\n");
  // [1m:20s] at 65s evaluates at 20s, 40s, 60s (not 5s, 25s, ...).
  auto m = std::get<Matrix>(Query(s, "x[1m:20s]", 65000));
  ASSERT_EQ(m.size(), 1u);
  std::vector<int64_t> ts;
  for (const auto& p : m[0].points) ts.push_back(p.t);
  EXPECT_EQ(ts, (std::vector<int64_t>{20000, 40000, 60000}));
  EXPECT_EQ(One(s, "sum_over_time(x[1m:20s])", 65000), 2 + 4 + 6);
}

TEST(Engine, RangeQueryIsSortedAndStepped) {
  auto s = Load("load 1m\n  x{a=\"2\"} 0+1x10\n  x{a=\"1\"} 0+2x10\n");
  Engine engine(TestRunnerEngineOptions());
  Matrix m = engine.Range(s, *ParseExpr("x * 10"), kMin, 3 * kMin, kMin);
  ASSERT_EQ(m.size(), 2u);
  EXPECT_EQ(m[0].metric.String(), "{a=\"1\"}");
  ASSERT_EQ(m[0].points.size(), 3u);
  EXPECT_EQ(m[0].points[2].t, 3 * kMin);
  EXPECT_EQ(m[0].points[2].v, 60);
  EXPECT_THROW(engine.Range(s, *ParseExpr("x[5m]"), 0, kMin, kMin), QueryError);
  EXPECT_THROW(engine.Range(s, *ParseExpr("x"), 0, kMin, 0), QueryError);
}

TEST(Engine, ScalarAndStringResults) {
  MemoryStorage s;
  EXPECT_EQ(ScalarOf(s, "1 + 2 * 3", 0), 7);
  EXPECT_EQ(ScalarOf(s, "2 ^ 3 ^ 2", 0), 512);
  EXPECT_EQ(ScalarOf(s, "time()", 90000), 90);
  EXPECT_EQ(std::get<String>(Query(s, "\"hello\"", 0)).v, "hello");
}

TEST(Engine, SampleLimitMatchesPrometheusMessage) {
  std::string data = "load 1s\n";
  for (int i = 0; i < 20; ++i) data += "  x{i=\"" + std::to_string(i) + "\"} 0+1x1000\n";
  auto s = Load(data);
  EXPECT_EQ(ErrorOf(s, "sum(x)", 500000), "");
  // Range functions hold one window at a time; a raw range selector holds everything.
  EXPECT_EQ(ErrorOf(s, "count_over_time(x[10m])", 1000000), "");
  EXPECT_EQ(ErrorOf(s, "x[10m]", 1000000),
            "query processing would load too many samples into memory in query execution");
}

TEST(Engine, TimeoutAndCancellation) {
  auto s = Load("load 1s\n  x 0+1x10\n");
  EngineOptions o;
  o.timeout = std::chrono::milliseconds(0);
  EXPECT_EQ(ErrorOf(s, "x", 0, o), "query timed out in expression evaluation");
  std::atomic<bool> cancel{true};
  Engine engine;
  try {
    engine.Instant(s, *ParseExpr("x"), 0, &cancel);
    FAIL() << "expected cancellation";
  } catch (const QueryError& e) {
    EXPECT_STREQ(e.what(), "query was canceled in expression evaluation");
  }
}

TEST(Engine, DuplicateLabelsetsAreAnError) {
  auto s = Load("load 1m\n  x{a=\"1\"} 1 2\n  y{a=\"1\"} 2 3\n");
  EXPECT_EQ(ErrorOf(s, "-{a=\"1\"}", 0), "vector cannot contain metrics with the same labelset");
  EXPECT_EQ(ErrorOf(s, "abs({a=\"1\"})", 0),
            "vector cannot contain metrics with the same labelset");
  EXPECT_EQ(ErrorOf(s, "rate({a=\"1\"}[5m])", kMin),
            "vector cannot contain metrics with the same labelset");
}

TEST(Engine, ExtremeTimesWrapLikeGoInsteadOfOverflowing) {
  // Found by the parser fuzzer: @ timestamps beyond int64 milliseconds and huge offsets.
  auto s = Load("load 1m\n  x 1 2\n");
  EXPECT_TRUE(Vec(s, "x @ 3074457345618258602", 0).empty());
  EXPECT_TRUE(Vec(s, "x @ -3074457345618258602 offset 290000y", 0).empty());
  EXPECT_TRUE(Vec(s, "rate(x[5m] @ 3074457345618258602)", 0).empty());
  EXPECT_EQ(ParseExpr("x @ 3074457345618258602")->String(), "x @ -9223372036854776.000");
}

TEST(Engine, EmptyStorageGivesEmptyVectors) {
  MemoryStorage s;
  EXPECT_TRUE(Vec(s, "x", 0).empty());
  EXPECT_TRUE(Vec(s, "sum(x)", 0).empty());
  EXPECT_TRUE(Vec(s, "rate(x[5m])", 0).empty());
  EXPECT_EQ(Vec(s, "count(x) or vector(0)", 0), (std::map<std::string, double>{{"{}", 0}}));
}

}  // namespace
}  // namespace cerniq::promql::testing
