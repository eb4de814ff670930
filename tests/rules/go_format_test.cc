#include "rules/go_format.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "rules/go_duration.h"

namespace cerniq::rules {
namespace {

TEST(GoFormat, FloatVerbV) {
  // Measured with Go's %v (promtool annotations "{{ $value }}").
  EXPECT_EQ(GoFloatString(100000), "100000");
  EXPECT_EQ(GoFloatString(999999), "999999");
  EXPECT_EQ(GoFloatString(1234567), "1.234567e+06");
  EXPECT_EQ(GoFloatString(1e6), "1e+06");
  EXPECT_EQ(GoFloatString(123456789), "1.23456789e+08");
  EXPECT_EQ(GoFloatString(12345.678), "12345.678");
  EXPECT_EQ(GoFloatString(0.0001), "0.0001");
  EXPECT_EQ(GoFloatString(0.00001), "1e-05");
  EXPECT_EQ(GoFloatString(0.000123), "0.000123");
  EXPECT_EQ(GoFloatString(1e20), "1e+20");
  EXPECT_EQ(GoFloatString(1e21), "1e+21");
  EXPECT_EQ(GoFloatString(1e-7), "1e-07");
  EXPECT_EQ(GoFloatString(1e-300), "1e-300");
  EXPECT_EQ(GoFloatString(0.1), "0.1");
  EXPECT_EQ(GoFloatString(-1234.5678), "-1234.5678");
  EXPECT_EQ(GoFloatString(0), "0");
  EXPECT_EQ(GoFloatString(-0.0), "-0");
  EXPECT_EQ(GoFloatString(std::nan("")), "NaN");
  EXPECT_EQ(GoFloatString(INFINITY), "+Inf");
  EXPECT_EQ(GoFloatString(-INFINITY), "-Inf");
  EXPECT_EQ(GoFloatString(5e-324), "5e-324");
  EXPECT_EQ(GoFloatString(std::numeric_limits<double>::max()), "1.7976931348623157e+308");
}

TEST(GoFormat, FloatOtherFormats) {
  EXPECT_EQ(GoFormatFloat(150, 'E', -1), "1.5E+02");
  EXPECT_EQ(GoFormatFloat(50, 'E', -1), "5E+01");
  EXPECT_EQ(GoFormatFloat(0.13333333333333333, 'E', -1), "1.3333333333333333E-01");
  EXPECT_EQ(GoFormatFloat(0, 'E', -1), "0E+00");
  EXPECT_EQ(GoFormatFloat(-1234.5678, 'f', 2), "-1234.57");
  EXPECT_EQ(GoFormatFloat(1e21, 'f', 2), "1000000000000000000000.00");
  EXPECT_EQ(GoFormatFloat(1e21, 'f', -1), "1000000000000000000000");
  EXPECT_EQ(GoFormatFloat(1000000, 'g', 4), "1e+06");
  EXPECT_EQ(GoFormatFloat(3.6005, 'g', 4), "3.6");
  EXPECT_EQ(GoFormatFloat(123.456, 'e', 3), "1.235e+02");
}

TEST(GoFormat, Quote) {
  EXPECT_EQ(GoQuote("a\"b\\c\n\t"), "\"a\\\"b\\\\c\\n\\t\"");
  EXPECT_EQ(GoQuote("\u00e9\u4e16"), "\"\u00e9\u4e16\"");
  EXPECT_EQ(GoQuote(std::string("\x01\x7f\xff", 3)), "\"\\x01\\x7f\\xff\"");
  EXPECT_EQ(GoQuote("\u200b"), "\"\\u200b\"");
  EXPECT_EQ(GoQuotePrefix("abcdefghijklmnop", 10), "\"abcdefghij\"");
}

TEST(PromDuration, ParseAndFormat) {
  EXPECT_EQ(std::get<DurationMs>(ParsePromDuration("0")), 0);
  EXPECT_EQ(std::get<DurationMs>(ParsePromDuration("1h30m")), 5400000);
  EXPECT_EQ(std::get<DurationMs>(ParsePromDuration("5ms")), 5);
  EXPECT_EQ(std::get<DurationMs>(ParsePromDuration("1y2w3d4h5m6s7ms")),
            ((((365LL + 14 + 3) * 24 + 4) * 60 + 5) * 60 + 6) * 1000 + 7);
  EXPECT_EQ(std::get<std::string>(ParsePromDuration("5 minutes")),
            "not a valid duration string: \"5 minutes\"");
  EXPECT_EQ(std::get<std::string>(ParsePromDuration("1m1h")),
            "not a valid duration string: \"1m1h\"");
  EXPECT_EQ(std::get<std::string>(ParsePromDuration("")), "empty duration string");
  EXPECT_EQ(std::get<std::string>(ParsePromDuration("300y")), "duration out of range");
}

}  // namespace
}  // namespace cerniq::rules
