#include "promql/format.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

namespace cerniq::promql {
namespace {

TEST(FormatFloat, ShortestRoundTripLikeGo) {
  EXPECT_EQ(FormatFloat(100000), "100000");
  EXPECT_EQ(FormatFloat(999999), "999999");
  EXPECT_EQ(FormatFloat(1234567), "1.234567e+06");
  EXPECT_EQ(FormatFloat(1e6), "1e+06");
  EXPECT_EQ(FormatFloat(12345.678), "12345.678");
  EXPECT_EQ(FormatFloat(0.0001), "0.0001");
  EXPECT_EQ(FormatFloat(0.00001), "1e-05");
  EXPECT_EQ(FormatFloat(1e20), "1e+20");
  EXPECT_EQ(FormatFloat(0.1 + 0.2), "0.30000000000000004");
  EXPECT_EQ(FormatFloat(-0.5), "-0.5");
  EXPECT_EQ(FormatFloat(std::nan("")), "NaN");
  EXPECT_EQ(FormatFloat(INFINITY), "+Inf");
  EXPECT_EQ(FormatFloat(-INFINITY), "-Inf");
}

TEST(FormatFloat, FixedAndExponentVariants) {
  EXPECT_EQ(FormatFloat(1e21, 'f'), "1000000000000000000000");
  EXPECT_EQ(FormatFloat(0.000001, 'f'), "0.000001");
  EXPECT_EQ(FormatFloat(150, 'E'), "1.5E+02");
  EXPECT_EQ(FormatFloat(50, 'E'), "5E+01");
  EXPECT_EQ(FormatFloat(1.0 / 3, 'E'), "3.333333333333333E-01");
}

TEST(Duration, FormatsLikeModelDuration) {
  EXPECT_EQ(FormatDuration(0), "0s");
  EXPECT_EQ(FormatDuration(90 * 1000), "1m30s");
  EXPECT_EQ(FormatDuration(3600 * 1000), "1h");
  EXPECT_EQ(FormatDuration(86400 * 1000), "1d");
  EXPECT_EQ(FormatDuration(90ll * 86400 * 1000), "90d");  // weeks only when exact
  EXPECT_EQ(FormatDuration(14ll * 86400 * 1000), "2w");
  EXPECT_EQ(FormatDuration(365ll * 86400 * 1000), "1y");
  EXPECT_EQ(FormatDuration(1500), "1s500ms");
}

TEST(Duration, ParsesUnitsInOrderOnly) {
  EXPECT_EQ(ParseDuration("5m"), 300000);
  EXPECT_EQ(ParseDuration("1h30m"), 5400000);
  EXPECT_EQ(ParseDuration("1y2w3d4h5m6s7ms"),
            ((((365ll + 14 + 3) * 24 + 4) * 60 + 5) * 60 + 6) * 1000 + 7);
  EXPECT_EQ(ParseDuration("0"), 0);
  EXPECT_FALSE(ParseDuration(""));
  EXPECT_FALSE(ParseDuration("1"));
  EXPECT_FALSE(ParseDuration("1s1m"));
  EXPECT_FALSE(ParseDuration("1m1m"));
  EXPECT_FALSE(ParseDuration("5 minutes"));
  EXPECT_FALSE(ParseDuration("99999999999999999999y"));
}

TEST(ParseGoFloat, AcceptsGoSyntax) {
  EXPECT_EQ(ParseGoFloat("1.5e3"), 1500);
  EXPECT_EQ(ParseGoFloat(".5"), 0.5);
  EXPECT_EQ(ParseGoFloat("-2"), -2);
  EXPECT_EQ(ParseGoFloat("+Inf"), INFINITY);
  EXPECT_EQ(ParseGoFloat("-inf"), -INFINITY);
  EXPECT_TRUE(std::isnan(*ParseGoFloat("NaN")));
  EXPECT_EQ(ParseGoFloat("0x1F"), 31);
  EXPECT_FALSE(ParseGoFloat("1.2.3"));
  EXPECT_FALSE(ParseGoFloat(""));
  EXPECT_FALSE(ParseGoFloat("abc"));
}

TEST(ParseGoInt, PrefixesLikeStrconv) {
  EXPECT_EQ(ParseGoInt("0x1F"), 31);
  EXPECT_EQ(ParseGoInt("010"), 8);
  EXPECT_EQ(ParseGoInt("0b101"), 5);
  EXPECT_EQ(ParseGoInt("-7"), -7);
  EXPECT_FALSE(ParseGoInt("1.5"));
  EXPECT_FALSE(ParseGoInt("99999999999999999999"));
}

}  // namespace
}  // namespace cerniq::promql

#include "promql/go_math.h"

namespace cerniq::promql {
namespace {

TEST(GoMath, LogsGiveGoBits) {
  // Values promtool 2.42 printed; glibc's correctly rounded logs differ in the last bit.
  EXPECT_EQ(GoLog2(3), 1.5849625007211563);
  EXPECT_EQ(GoLog10(11.0 / 7), 0.1962946451439682);
  EXPECT_EQ(GoLog2(8), 3);
  EXPECT_EQ(GoLog10(100), 2);
  EXPECT_EQ(GoLog(1), 0);
  EXPECT_EQ(GoLog(0), -INFINITY);
  EXPECT_TRUE(std::isnan(GoLog(-1)));
  EXPECT_EQ(GoLog(INFINITY), INFINITY);
}

}  // namespace
}  // namespace cerniq::promql
