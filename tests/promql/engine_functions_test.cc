// Functions at their edges: NaN, ±Inf, counter resets, one-sample ranges, empty input.
#include <gtest/gtest.h>

#include <cmath>

#include "promql/evaluator.h"
#include "promql/function_defs.h"
#include "promql_test_util.h"

namespace cerniq::promql::testing {
namespace {

TEST(Functions, EveryFunctionOfTheGrammarIsImplemented) {
  auto names = FunctionNames();
  EXPECT_EQ(names.size(), 70u);  // PromQL 2.42, native-histogram functions included
  for (const auto& n : names) {
    const internal::FunctionImpl* impl = nullptr;
    EXPECT_NO_THROW(impl = internal::LookupImpl(n)) << n;
    ASSERT_NE(impl, nullptr) << n;
    // Range functions take a matrix argument; all others take none.
    const FunctionDef* def = LookupFunction(n);
    bool takes_matrix = std::find(def->arg_types.begin(), def->arg_types.end(),
                                  ValueType::kMatrix) != def->arg_types.end();
    EXPECT_EQ(impl->range != nullptr, takes_matrix) << n;
  }
}

TEST(Rate, ExtrapolatesAndCapsAtCounterZero) {
  // 0+12x200 per minute: 0.2/s, but the extrapolation to the window start is capped where the
  // counter would cross zero (promtool semantics worked example).
  auto s = Load("load 1m\n  c 0+12x200\n");
  EXPECT_NEAR(One(s, "rate(c[1h])", 40 * kMin), 480.0 / 3600, 1e-12);
  EXPECT_NEAR(One(s, "rate(c[5m])", 100 * kMin), 0.2, 1e-12);
  EXPECT_NEAR(One(s, "increase(c[5m])", 100 * kMin), 60, 1e-9);
}

TEST(Rate, HandlesCounterResets) {
  auto s = Load("load 1m\n  c 10 20 5 15\n");
  // 10 -> 20 (+10), reset to 5 (+5), -> 15 (+10): 25 over 3m, extrapolated to the window.
  EXPECT_NEAR(One(s, "increase(c[3m])", 3 * kMin), 25 * (3.0 + 0) / 3, 1e-9);
  EXPECT_EQ(One(s, "resets(c[5m])", 3 * kMin), 1);
  EXPECT_EQ(One(s, "irate(c[5m])", 2 * kMin), 5.0 / 60);  // after a reset: last value / dt
  EXPECT_EQ(One(s, "idelta(c[5m])", 2 * kMin), -15);
  // delta does not treat resets specially.
  EXPECT_NEAR(One(s, "delta(c[3m])", 3 * kMin), 5, 1e-9);
}

TEST(Rate, NeedsTwoSamples) {
  auto s = Load("load 1m\n  c 5\n");
  EXPECT_TRUE(Vec(s, "rate(c[5m])", 0).empty());
  EXPECT_TRUE(Vec(s, "irate(c[5m])", 0).empty());
  EXPECT_TRUE(Vec(s, "deriv(c[5m])", 0).empty());
  EXPECT_TRUE(Vec(s, "holt_winters(c[5m], 0.5, 0.5)", 0).empty());
  EXPECT_EQ(One(s, "changes(c[5m])", 0), 0);
  EXPECT_EQ(One(s, "count_over_time(c[5m])", 0), 1);
}

TEST(OverTime, AggregatesWithNaNAndInf) {
  auto s = Load("load 1m\n  x 1 NaN 3\n  y 1 Inf 3\n  z Inf -Inf 1\n");
  EXPECT_TRUE(std::isnan(One(s, "sum_over_time(x[5m])", 2 * kMin)));
  EXPECT_EQ(One(s, "max_over_time(x[5m])", 2 * kMin), 3);  // NaN loses against numbers
  EXPECT_EQ(One(s, "min_over_time(x[5m])", 2 * kMin), 1);
  EXPECT_EQ(One(s, "avg_over_time(y[5m])", 2 * kMin), INFINITY);
  EXPECT_TRUE(std::isnan(One(s, "avg_over_time(z[5m])", 2 * kMin)));
  EXPECT_EQ(One(s, "last_over_time(x[5m])", 2 * kMin), 3);
  EXPECT_EQ(One(s, "present_over_time(x[5m])", 2 * kMin), 1);
  // Interpolating with weight 0 next to +Inf gives Inf*0 = NaN, as in Prometheus.
  EXPECT_TRUE(std::isnan(One(s, "quantile_over_time(0.5, y[5m])", 2 * kMin)));
  EXPECT_EQ(One(s, "quantile_over_time(0, y[5m])", 2 * kMin), 1);
  EXPECT_EQ(One(s, "quantile_over_time(2, y[5m])", 2 * kMin), INFINITY);
  EXPECT_EQ(One(s, "changes(x[5m])", 2 * kMin), 2);
  EXPECT_TRUE(std::isnan(One(s, "stddev_over_time(y[5m])", 2 * kMin)));
}

TEST(OverTime, StddevAndStdvar) {
  auto s = Load("load 1m\n  x 2 4 4 4 5 5 7 9\n");
  EXPECT_NEAR(One(s, "stddev_over_time(x[10m])", 7 * kMin), 2, 1e-12);
  EXPECT_NEAR(One(s, "stdvar_over_time(x[10m])", 7 * kMin), 4, 1e-12);
}

TEST(OverTime, LastOverTimeKeepsTheName) {
  auto s = Load("load 1m\n  x{a=\"b\"} 1 2\n");
  EXPECT_EQ(Vec(s, "last_over_time(x[5m])", kMin),
            (std::map<std::string, double>{{"{__name__=\"x\", a=\"b\"}", 2}}));
  EXPECT_EQ(Vec(s, "max_over_time(x[5m])", kMin),
            (std::map<std::string, double>{{"{a=\"b\"}", 2}}));
}

TEST(Absent, LabelsFromEqualityMatchers) {
  auto s = Load("load 1m\n  x{a=\"b\"} 1\n");
  EXPECT_TRUE(Vec(s, "absent(x)", 0).empty());
  EXPECT_EQ(Vec(s, "absent(nope{a=\"b\", c=~\"d\", e=\"f\", e=\"g\"})", 0),
            (std::map<std::string, double>{{"{a=\"b\"}", 1}}));
  EXPECT_EQ(Vec(s, "absent_over_time(nope{job=\"j\"}[5m])", 0),
            (std::map<std::string, double>{{"{job=\"j\"}", 1}}));
  EXPECT_TRUE(Vec(s, "absent_over_time(x[5m])", 0).empty());
}

TEST(HistogramQuantile, InterpolatesWithinBuckets) {
  auto s = Load(
      "load 1m\n"
      "  h_bucket{le=\"0.1\"} 10\n  h_bucket{le=\"0.5\"} 30\n  h_bucket{le=\"1\"} 40\n"
      "  h_bucket{le=\"+Inf\"} 40\n"
      "  g_bucket{le=\"1\"} 5\n");  // no +Inf bucket: NaN
  EXPECT_NEAR(One(s, "histogram_quantile(0.5, h_bucket)", 0), 0.1 + 0.4 * (10.0 / 20), 1e-12);
  EXPECT_EQ(One(s, "histogram_quantile(1, h_bucket)", 0), 1);
  EXPECT_EQ(One(s, "histogram_quantile(-1, h_bucket)", 0), -INFINITY);
  EXPECT_EQ(One(s, "histogram_quantile(2, h_bucket)", 0), INFINITY);
  EXPECT_TRUE(std::isnan(One(s, "histogram_quantile(0.5, g_bucket)", 0)));
  EXPECT_TRUE(Vec(s, "histogram_quantile(0.5, nope)", 0).empty());
}

TEST(HolidayAndDates, DateFunctionsUseUtc) {
  MemoryStorage s;
  // 2006-01-02T22:04:05Z, a Monday.
  EXPECT_EQ(One(s, "year(vector(1136239445))", 0), 2006);
  EXPECT_EQ(One(s, "month(vector(1136239445))", 0), 1);
  EXPECT_EQ(One(s, "day_of_month(vector(1136239445))", 0), 2);
  EXPECT_EQ(One(s, "day_of_week(vector(1136239445))", 0), 1);
  EXPECT_EQ(One(s, "day_of_year(vector(1136239445))", 0), 2);
  EXPECT_EQ(One(s, "hour(vector(1136239445))", 0), 22);
  EXPECT_EQ(One(s, "minute(vector(1136239445))", 0), 4);
  EXPECT_EQ(One(s, "days_in_month(vector(1454284800))", 0), 29);  // February 2016
  EXPECT_EQ(One(s, "year()", 0), 1970);
  EXPECT_EQ(One(s, "year(vector(-1))", 0), 1969);
}

TEST(LabelFunctions, ReplaceAndJoin) {
  auto s = Load("load 1m\n  x{src=\"a-b\", o=\"1\"} 1\n");
  // Go's expansion reads "$2_" as the (missing) group named "2_".
  EXPECT_EQ(
      Vec(s, "label_replace(x, \"dst\", \"$2_${1}x$$\", \"src\", \"(.*)-(.*)\")", 0),
      (std::map<std::string, double>{{"{__name__=\"x\", dst=\"ax$\", o=\"1\", src=\"a-b\"}", 1}}));
  EXPECT_EQ(FirstLabels(s, "label_replace(x, \"dst\", \"${2}_$1\", \"src\", \"(.*)-(.*)\")", 0),
            "{__name__=\"x\", dst=\"b_a\", o=\"1\", src=\"a-b\"}");
  // No match: unchanged. Empty result: the label is removed.
  EXPECT_EQ(FirstLabels(s, "label_replace(x, \"o\", \"z\", \"src\", \"nomatch\")", 0),
            "{__name__=\"x\", o=\"1\", src=\"a-b\"}");
  EXPECT_EQ(FirstLabels(s, "label_replace(x, \"o\", \"\", \"src\", \".*\")", 0),
            "{__name__=\"x\", src=\"a-b\"}");
  EXPECT_EQ(FirstLabels(s, "label_join(x, \"j\", \"/\", \"src\", \"o\", \"none\")", 0),
            "{__name__=\"x\", j=\"a-b/1/\", o=\"1\", src=\"a-b\"}");
  EXPECT_EQ(ErrorOf(s, "label_replace(x, \"d\", \"\", \"src\", \"(\")", 0),
            "invalid regular expression in label_replace(): (");
  EXPECT_EQ(ErrorOf(s, "label_replace(x, \"1d\", \"\", \"src\", \".*\")", 0),
            "invalid destination label name in label_replace(): 1d");
  EXPECT_EQ(ErrorOf(s, "label_join(x, \"d\", \",\", \"-\")", 0),
            "invalid source label name in label_join(): -");
}

TEST(MathFunctions, EdgesAndNameDropping) {
  auto s = Load("load 1m\n  x{a=\"n\"} NaN\n  x{a=\"p\"} Inf\n  x{a=\"m\"} -2.5\n");
  auto abs = Vec(s, "abs(x)", 0);
  ASSERT_EQ(abs.size(), 3u);
  EXPECT_TRUE(std::isnan(abs["{a=\"n\"}"]));
  EXPECT_EQ(abs["{a=\"p\"}"], INFINITY);
  EXPECT_EQ(One(s, "abs(x{a=\"m\"})", 0), 2.5);
  EXPECT_EQ(One(s, "ceil(x{a=\"m\"})", 0), -2);
  EXPECT_EQ(One(s, "floor(x{a=\"m\"})", 0), -3);
  EXPECT_EQ(One(s, "round(x{a=\"m\"})", 0), -2);  // ties round up
  EXPECT_EQ(One(s, "round(x{a=\"m\"}, 2)", 0), -2);
  EXPECT_EQ(One(s, "sgn(x{a=\"m\"})", 0), -1);
  EXPECT_TRUE(std::isnan(One(s, "sgn(x{a=\"n\"})", 0)));
  EXPECT_EQ(One(s, "clamp(x{a=\"p\"}, 0, 10)", 0), 10);
  EXPECT_TRUE(std::isnan(One(s, "clamp(x{a=\"n\"}, 0, 10)", 0)));  // Go's Max/Min keep NaN
  EXPECT_TRUE(Vec(s, "clamp(x, 10, 0)", 0).empty());
  EXPECT_EQ(One(s, "clamp_min(x{a=\"m\"}, 0)", 0), 0);
  EXPECT_EQ(One(s, "clamp_max(x{a=\"p\"}, 1)", 0), 1);
  EXPECT_TRUE(std::isnan(One(s, "ln(x{a=\"m\"})", 0)));
  EXPECT_EQ(One(s, "exp(x{a=\"p\"})", 0), INFINITY);
  EXPECT_NEAR(One(s, "deg(vector(pi()))", 0), 180, 1e-12);
  EXPECT_TRUE(std::isnan(ScalarOf(s, "scalar(x)", 0)));  // not exactly one series
  EXPECT_EQ(ScalarOf(s, "scalar(x{a=\"m\"})", 0), -2.5);
}

TEST(SortFunctions, OrderAndNaNLast) {
  auto s = Load("load 1m\n  x{a=\"1\"} 3\n  x{a=\"2\"} NaN\n  x{a=\"3\"} 1\n  x{a=\"4\"} 2\n");
  auto order = [&](const std::string& e) {
    std::string out;
    Vector v = std::get<Vector>(Query(s, e, 0));
    for (const auto& smp : v) out += smp.metric.Get("a");
    return out;
  };
  EXPECT_EQ(order("sort(x)"), "3412");
  EXPECT_EQ(order("sort_desc(x)"), "1432");
}

TEST(PredictAndDeriv, LinearFit) {
  auto s = Load("load 1m\n  x 0+60x10\n");  // slope 1/s
  EXPECT_NEAR(One(s, "deriv(x[5m])", 10 * kMin), 1, 1e-12);
  EXPECT_NEAR(One(s, "predict_linear(x[5m], 60)", 10 * kMin), 660, 1e-9);
  EXPECT_NEAR(One(s, "holt_winters(x[5m], 0.5, 0.5)", 10 * kMin), 600, 1e-9);
  EXPECT_EQ(ErrorOf(s, "holt_winters(x[5m], 1, 0.5)", 10 * kMin),
            "invalid smoothing factor. Expected: 0 < sf < 1, got: 1.000000");
}

TEST(Timestamp, ReportsSampleTime) {
  auto s = Load("load 1m\n  x 1 2\n");
  EXPECT_EQ(One(s, "timestamp(x)", 3 * kMin), 60);
  EXPECT_EQ(One(s, "timestamp(x @ 30)", 3 * kMin), 0);
  EXPECT_EQ(One(s, "timestamp(-x)", 3 * kMin), 180);  // not a selector: the step time
}

}  // namespace
}  // namespace cerniq::promql::testing
