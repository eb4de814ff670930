// Binary operators, vector matching and aggregations.
#include <gtest/gtest.h>

#include <cmath>

#include "promql_test_util.h"

namespace cerniq::promql::testing {
namespace {

MemoryStorage Jobs() {
  return Load(
      "load 1m\n"
      "  req{job=\"a\", inst=\"1\"} 10\n"
      "  req{job=\"a\", inst=\"2\"} 20\n"
      "  req{job=\"b\", inst=\"1\"} 30\n"
      "  lim{job=\"a\"} 100\n"
      "  lim{job=\"b\"} 0\n"
      "  one{job=\"a\", inst=\"1\"} 1\n");
}

TEST(Operators, ArithmeticDropsNameComparisonKeepsIt) {
  auto s = Jobs();
  EXPECT_EQ(Vec(s, "req{inst=\"2\"} * 2", 0),
            (std::map<std::string, double>{{"{inst=\"2\", job=\"a\"}", 40}}));
  EXPECT_EQ(Vec(s, "req{inst=\"2\"} > 5", 0),
            (std::map<std::string, double>{{"{__name__=\"req\", inst=\"2\", job=\"a\"}", 20}}));
  EXPECT_EQ(FirstValue(s, "5 < req{inst=\"2\"}", 0), 20);  // keeps the vector's value
  EXPECT_EQ(Vec(s, "req{inst=\"2\"} > bool 50", 0),
            (std::map<std::string, double>{{"{inst=\"2\", job=\"a\"}", 0}}));
  EXPECT_TRUE(Vec(s, "req > 100", 0).empty());
  EXPECT_EQ(FirstValue(s, "req{inst=\"2\"} % 7", 0), 6);
  EXPECT_EQ(FirstValue(s, "req{inst=\"2\"} ^ 2", 0), 400);
  EXPECT_NEAR(FirstValue(s, "req{inst=\"2\"} atan2 20", 0), M_PI / 4, 1e-12);
}

TEST(Operators, DivisionByZeroAndNaN) {
  auto s = Jobs();
  EXPECT_EQ(Vec(s, "req{job=\"b\"} / on(job) lim", 0),
            (std::map<std::string, double>{{"{job=\"b\"}", INFINITY}}));
  EXPECT_TRUE(std::isnan(ScalarOf(s, "0 / 0", 0)));
  EXPECT_EQ(ScalarOf(s, "-1 / 0", 0), -INFINITY);
  EXPECT_EQ(ScalarOf(s, "NaN == bool NaN", 0), 0);  // NaN never equals NaN
}

TEST(Operators, OneToOneMatching) {
  auto s = Jobs();
  EXPECT_EQ(Vec(s, "req / one", 0),
            (std::map<std::string, double>{{"{inst=\"1\", job=\"a\"}", 10}}));
  EXPECT_EQ(Vec(s, "req{inst=\"1\"} + on(job) lim", 0),
            (std::map<std::string, double>{{"{job=\"a\"}", 110}, {"{job=\"b\"}", 30}}));
  EXPECT_EQ(Vec(s, "req{inst=\"1\"} + ignoring(inst) lim", 0),
            (std::map<std::string, double>{{"{job=\"a\"}", 110}, {"{job=\"b\"}", 30}}));
}

TEST(Operators, ManyToOneNeedsGroupModifier) {
  auto s = Jobs();
  EXPECT_EQ(ErrorOf(s, "req + on(job) lim", 0),
            "multiple matches for labels: many-to-one matching must be explicit "
            "(group_left/group_right)");
  EXPECT_EQ(Vec(s, "req / on(job) group_left lim", 0),
            (std::map<std::string, double>{{"{inst=\"1\", job=\"a\"}", 0.1},
                                           {"{inst=\"2\", job=\"a\"}", 0.2},
                                           {"{inst=\"1\", job=\"b\"}", INFINITY}}));
  EXPECT_EQ(Vec(s, "lim * on(job) group_right req{inst=\"2\"}", 0),
            (std::map<std::string, double>{{"{inst=\"2\", job=\"a\"}", 2000}}));
  EXPECT_EQ(ErrorOf(s, "lim + on(job) group_right req", 0), "");
  EXPECT_EQ(
      ErrorOf(s, "req + on(job) group_left req", 0)
          .find("found duplicate series for the match group {job=\"a\"} on the right hand-side "
                "of the operation: ["),
      0u);
}

TEST(Operators, GroupLeftCopiesLabelsFromTheOneSide) {
  auto s = Load("load 1m\n  m{job=\"a\", x=\"1\"} 2\n  info{job=\"a\", version=\"v1\"} 1\n");
  EXPECT_EQ(Vec(s, "m * on(job) group_left(version) info", 0),
            (std::map<std::string, double>{{"{job=\"a\", version=\"v1\", x=\"1\"}", 2}}));
}

TEST(Operators, SetOperators) {
  auto s = Jobs();
  EXPECT_EQ(Vec(s, "req and one", 0).size(), 1u);
  EXPECT_EQ(Vec(s, "req unless one", 0).size(), 2u);
  EXPECT_EQ(Vec(s, "req and on(job) lim", 0).size(), 3u);
  EXPECT_EQ(Vec(s, "one or lim", 0).size(), 3u);
  EXPECT_EQ(Vec(s, "req or one", 0).size(), 3u);  // one matches req{job=a,inst=1}
  EXPECT_EQ(Vec(s, "nope or lim", 0).size(), 2u);
  EXPECT_TRUE(Vec(s, "nope and lim", 0).empty());
}

TEST(Aggregations, BasicByAndWithout) {
  auto s = Jobs();
  EXPECT_EQ(Vec(s, "sum by (job) (req)", 0),
            (std::map<std::string, double>{{"{job=\"a\"}", 30}, {"{job=\"b\"}", 30}}));
  EXPECT_EQ(Vec(s, "sum without (inst) (req)", 0),
            (std::map<std::string, double>{{"{job=\"a\"}", 30}, {"{job=\"b\"}", 30}}));
  EXPECT_EQ(Vec(s, "avg(req)", 0), (std::map<std::string, double>{{"{}", 20}}));
  EXPECT_EQ(Vec(s, "count(req)", 0), (std::map<std::string, double>{{"{}", 3}}));
  EXPECT_EQ(Vec(s, "min(req)", 0), (std::map<std::string, double>{{"{}", 10}}));
  EXPECT_EQ(Vec(s, "max by (inst) (req)", 0),
            (std::map<std::string, double>{{"{inst=\"1\"}", 30}, {"{inst=\"2\"}", 20}}));
  EXPECT_EQ(Vec(s, "group by (job) (req)", 0),
            (std::map<std::string, double>{{"{job=\"a\"}", 1}, {"{job=\"b\"}", 1}}));
  EXPECT_NEAR(Vec(s, "stddev(req)", 0)["{}"], std::sqrt(200.0 / 3), 1e-12);
  EXPECT_NEAR(Vec(s, "stdvar(req)", 0)["{}"], 200.0 / 3, 1e-12);
  EXPECT_EQ(Vec(s, "quantile(0.5, req)", 0)["{}"], 20);
  EXPECT_EQ(Vec(s, "quantile(1.5, req)", 0)["{}"], INFINITY);
  EXPECT_EQ(Vec(s, "sum by (__name__) (req)", 0),
            (std::map<std::string, double>{{"{__name__=\"req\"}", 60}}));
}

TEST(Aggregations, TopkBottomkKeepLabelsAndOrder) {
  auto s = Jobs();
  auto v = std::get<Vector>(Query(s, "topk(2, req)", 0));
  ASSERT_EQ(v.size(), 2u);
  EXPECT_EQ(v[0].v, 30);
  EXPECT_EQ(v[1].v, 20);
  EXPECT_EQ(v[0].metric.String(), "{__name__=\"req\", inst=\"1\", job=\"b\"}");
  auto b = std::get<Vector>(Query(s, "bottomk(1, req)", 0));
  ASSERT_EQ(b.size(), 1u);
  EXPECT_EQ(b[0].v, 10);
  EXPECT_TRUE(Vec(s, "topk(0, req)", 0).empty());
  EXPECT_EQ(Vec(s, "topk by (job) (1, req)", 0).size(), 2u);
}

TEST(Aggregations, CountValuesAddsTheValueLabel) {
  auto s = Load("load 1m\n  v{a=\"1\"} 1.5\n  v{a=\"2\"} 1.5\n  v{a=\"3\"} 2\n");
  EXPECT_EQ(Vec(s, "count_values(\"value\", v)", 0),
            (std::map<std::string, double>{{"{value=\"1.5\"}", 2}, {"{value=\"2\"}", 1}}));
  EXPECT_EQ(ErrorOf(s, "count_values(\"1bad\", v)", 0), "invalid label name \"1bad\"");
}

TEST(Aggregations, AvgHandlesInfinitiesAndHugeValues) {
  auto s = Load(
      "load 1m\n  a{i=\"1\"} Inf\n  a{i=\"2\"} 1\n  b{i=\"1\"} Inf\n  b{i=\"2\"} -Inf\n"
      "  c{i=\"1\"} 1e308\n  c{i=\"2\"} 1e308\n");
  EXPECT_EQ(Vec(s, "avg(a)", 0)["{}"], INFINITY);
  EXPECT_TRUE(std::isnan(Vec(s, "avg(b)", 0)["{}"]));
  EXPECT_EQ(Vec(s, "avg(c)", 0)["{}"], 1e308);  // no overflow in the running mean
  EXPECT_EQ(Vec(s, "sum(c)", 0)["{}"], INFINITY);
}

}  // namespace
}  // namespace cerniq::promql::testing
