#include "gocompat/float_format.h"

#include <gtest/gtest.h>

#include <charconv>
#include <cmath>
#include <limits>
#include <random>
#include <string>

namespace cerniq::gocompat {
namespace {

TEST(FormatFloat, ShortestLikeGoVerbV) {
  // Measured with Go's %v (promtool annotations "{{ $value }}").
  EXPECT_EQ(FloatString(100000), "100000");
  EXPECT_EQ(FloatString(999999), "999999");
  EXPECT_EQ(FloatString(1234567), "1.234567e+06");
  EXPECT_EQ(FloatString(1e6), "1e+06");
  EXPECT_EQ(FloatString(123456789), "1.23456789e+08");
  EXPECT_EQ(FloatString(12345.678), "12345.678");
  EXPECT_EQ(FloatString(0.0001), "0.0001");
  EXPECT_EQ(FloatString(0.00001), "1e-05");
  EXPECT_EQ(FloatString(0.000123), "0.000123");
  EXPECT_EQ(FloatString(1e20), "1e+20");
  EXPECT_EQ(FloatString(1e21), "1e+21");
  EXPECT_EQ(FloatString(1e-7), "1e-07");
  EXPECT_EQ(FloatString(1e-300), "1e-300");
  EXPECT_EQ(FloatString(0.1 + 0.2), "0.30000000000000004");
  EXPECT_EQ(FloatString(-1234.5678), "-1234.5678");
  EXPECT_EQ(FloatString(0), "0");
  EXPECT_EQ(FloatString(-0.0), "-0");
  EXPECT_EQ(FloatString(std::nan("")), "NaN");
  EXPECT_EQ(FloatString(INFINITY), "+Inf");
  EXPECT_EQ(FloatString(-INFINITY), "-Inf");
  EXPECT_EQ(FloatString(5e-324), "5e-324");
  EXPECT_EQ(FloatString(std::numeric_limits<double>::max()), "1.7976931348623157e+308");
}

TEST(FormatFloat, ShortestOtherVerbs) {
  EXPECT_EQ(FormatFloat(1e21, 'f'), "1000000000000000000000");
  EXPECT_EQ(FormatFloat(0.000001, 'f'), "0.000001");
  EXPECT_EQ(FormatFloat(150, 'E'), "1.5E+02");
  EXPECT_EQ(FormatFloat(50, 'E'), "5E+01");
  EXPECT_EQ(FormatFloat(0, 'E'), "0E+00");
  EXPECT_EQ(FormatFloat(1.0 / 3, 'E'), "3.333333333333333E-01");
  EXPECT_EQ(FormatFloat(1234567, 'G'), "1.234567E+06");
}

// Integers below 2^53 take a faster path in 'f': the same text as the shortest digits of the
// general path (std::to_chars fixed), around the edges and at random, and -0 keeps its sign.
TEST(FormatFloat, IntegersInFixedEqualShortestDigits) {
  auto general = [](double v) {
    char buf[400];
    return std::string(buf, std::to_chars(buf, buf + sizeof buf, v, std::chars_format::fixed).ptr);
  };
  EXPECT_EQ(FormatFloat(-0.0, 'f'), "-0");
  EXPECT_EQ(FormatFloat(0.0, 'f'), "0");
  EXPECT_EQ(FormatFloat(0x1p53, 'f'), "9007199254740992");
  EXPECT_EQ(FormatFloat(0x1p53 - 1, 'f'), "9007199254740991");
  EXPECT_EQ(FormatFloat(-0x1p53 + 1, 'f'), "-9007199254740991");
  EXPECT_EQ(FormatFloat(1e20, 'f'), "100000000000000000000");
  EXPECT_EQ(FormatFloat(1796146980, 'f'), "1796146980");
  std::mt19937_64 rng(3);
  for (int i = 0; i < 100000; ++i) {
    const int bits = static_cast<int>(rng() % 56);
    double v = static_cast<double>(rng() >> (64 - std::max(bits, 1)));
    if (rng() & 1) v = -v;
    ASSERT_EQ(FormatFloat(v, 'f'), general(v)) << v;
    std::string appended = "x";
    AppendFloat(appended, v, 'f');
    ASSERT_EQ(appended, "x" + general(v));
  }
}

TEST(FormatFloat, WithPrecision) {
  EXPECT_EQ(FormatFloat(-1234.5678, 'f', 2), "-1234.57");
  EXPECT_EQ(FormatFloat(1e21, 'f', 2), "1000000000000000000000.00");
  EXPECT_EQ(FormatFloat(1000000, 'g', 4), "1e+06");
  EXPECT_EQ(FormatFloat(3.6005, 'g', 4), "3.6");
  EXPECT_EQ(FormatFloat(123.456, 'e', 3), "1.235e+02");
  EXPECT_EQ(FormatFloat(NAN, 'f', 2), "NaN");
}

}  // namespace
}  // namespace cerniq::gocompat
