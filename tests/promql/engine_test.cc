// Selectors, lookback, staleness, modifiers, subqueries, range queries and engine limits.
#include <gtest/gtest.h>

#include <atomic>
#include <cmath>
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

TEST(Engine, RangeQueriesAgreeBitForBitWithInstantQueries) {
  // Range evaluation walks aggregations and scalar operators series by series; every step must
  // still equal the step-wise instant evaluation exactly, NaN, Inf, gaps and staleness included.
  auto s = Load(
      "load 30s\n"
      "  x{job=\"a\", i=\"1\"} 0.1+0.7x20 NaN 3 _ _ 1e300 1e300 -Inf 4 stale 5 6\n"
      "  x{job=\"a\", i=\"2\"} 5 _ 7 Inf 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18\n"
      "  x{job=\"b\", i=\"1\"} 1.1 2.3 -3.3 4.7x25\n"
      "  y{job=\"b\", i=\"3\"} 0+0.3x30\n");
  Engine engine(TestRunnerEngineOptions());
  for (const char* q :
       {"sum(x)", "avg by (job) (x)", "count without (i) (x)", "min(x)",
        "max by (i) ({job=~\".+\"})", "group(x)", "stddev(x)", "stdvar by (job) (x)",
        "sum(rate(x[2m]))", "avg(x > 2)", "x > 2", "2 < x", "x * 3", "10 - x", "x >= bool 4",
        "-x + 1", "sum by (job) (x) / 2", "x + 1 > 3",
        // windows of 16+ steps: the range evaluation's counted decreases (resets, a negative
        // first value, Inf, NaN) must give what the instant evaluation's full scan gives
        "increase(x[10m])", "rate(y[10m])", "rate(x[8m] offset 1m)", "delta({job=\"b\"}[12m])",
        "increase(y[9m] @ 300)"}) {
    auto expr = ParseExpr(q);
    Matrix range = engine.Range(s, *expr, 0, 15 * kMin, 30000);
    std::map<std::string, std::map<int64_t, double>> got;
    for (const auto& series : range)
      for (const auto& p : series.points) got[series.metric.String()][p.t] = p.v;
    size_t points = 0;
    for (int64_t t = 0; t <= 15 * kMin; t += 30000) {
      Vector at_t = std::get<Vector>(engine.Instant(s, *expr, t));
      for (const auto& smp : at_t) {
        ++points;
        auto it = got[smp.metric.String()].find(t);
        ASSERT_NE(it, got[smp.metric.String()].end()) << q << " at " << t;
        if (std::isnan(smp.v)) {
          EXPECT_TRUE(std::isnan(it->second)) << q << " at " << t;
        } else {
          EXPECT_EQ(it->second, smp.v) << q << " at " << t << " " << smp.metric.String();
        }
      }
    }
    size_t range_points = 0;
    for (const auto& series : range) range_points += series.points.size();
    EXPECT_EQ(range_points, points) << q;
  }
}

TEST(Engine, ExtremeTimesWrapLikeGoInsteadOfOverflowing) {
  // Found by the parser fuzzer: @ timestamps beyond int64 milliseconds and huge offsets.
  auto s = Load("load 1m\n  x 1 2\n");
  EXPECT_TRUE(Vec(s, "x @ 3074457345618258602", 0).empty());
  EXPECT_TRUE(Vec(s, "x @ -3074457345618258602 offset 290y", 0).empty());
  // Like promtool 2.42: durations past time.Duration's ~292 years do not parse.
  EXPECT_THROW(ParseExpr("x offset 290000y"), ParseError);
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
