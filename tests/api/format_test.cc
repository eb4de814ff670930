#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "api/go_json.h"
#include "api/params.h"

namespace cerniq::api {
namespace {

std::string Value(double v) {
  std::string out;
  AppendSampleValue(out, v);
  return out;
}

std::string Timestamp(int64_t ms) {
  std::string out;
  AppendTimestamp(out, ms);
  return out;
}

TEST(GoJson, SampleValuesAsJsonutil) {
  EXPECT_EQ(Value(1), "\"1\"");
  EXPECT_EQ(Value(0.1), "\"0.1\"");
  EXPECT_EQ(Value(-2.5), "\"-2.5\"");
  EXPECT_EQ(Value(1e-7), "\"1e-07\"");
  EXPECT_EQ(Value(1e21), "\"1e+21\"");
  EXPECT_EQ(Value(123456789012345678.0), "\"123456789012345680\"");
  EXPECT_EQ(Value(std::numeric_limits<double>::infinity()), "\"+Inf\"");
  EXPECT_EQ(Value(-std::numeric_limits<double>::infinity()), "\"-Inf\"");
  EXPECT_EQ(Value(std::nan("")), "\"NaN\"");
}

TEST(GoJson, TimestampsAsJsonutil) {
  EXPECT_EQ(Timestamp(1435781451781), "1435781451.781");
  EXPECT_EQ(Timestamp(1435781451780), "1435781451.780");
  EXPECT_EQ(Timestamp(1000), "1");
  EXPECT_EQ(Timestamp(5), "0.005");
  EXPECT_EQ(Timestamp(-1500), "-1.500");
}

TEST(GoJson, FloatsAsEncodingJson) {
  EXPECT_EQ(JsonFloat(15), "15");
  EXPECT_EQ(JsonFloat(1435781451.78), "1435781451.78");
  EXPECT_EQ(JsonFloat(1e-7), "1e-7");
  EXPECT_EQ(JsonFloat(0.000123), "0.000123");
  EXPECT_EQ(JsonFloat(1e21), "1e+21");
}

TEST(GoJson, StringsHtmlSafe) {
  EXPECT_EQ(JsonString("a\"b\\c\n\t<>&\x01"), R"("a\"b\\c\n\t\u003c\u003e\u0026\u0001")");
  EXPECT_EQ(JsonString("\xff"), R"("\ufffd")");
  EXPECT_EQ(JsonString("\xe2\x80\xa8 é"), "\"\\u2028 é\"");
}

TEST(GoJson, Times) {
  EXPECT_EQ(JsonTime(std::nullopt), "\"0001-01-01T00:00:00Z\"");
  EXPECT_EQ(JsonTime(1435781451781000000), "\"2015-07-01T20:10:51.781Z\"");
  EXPECT_EQ(JsonTime(1435781451000000000), "\"2015-07-01T20:10:51Z\"");
}

TEST(Params, TimeAsFloatOrRfc3339) {
  std::string err;
  EXPECT_EQ(ParseTime("1435781451.781", &err), 1435781451781);
  EXPECT_EQ(ParseTime("1435781451", &err), 1435781451000);
  EXPECT_EQ(ParseTime("1435781451.7816", &err), 1435781451782);
  EXPECT_EQ(ParseTime("-1.5", &err), -1500);
  EXPECT_EQ(ParseTime("2015-07-01T20:10:51.781Z", &err), 1435781451781);
  EXPECT_EQ(ParseTime("2015-07-01T22:10:51+02:00", &err), 1435781451000);
  EXPECT_FALSE(ParseTime("2015-07-01 20:10:51", &err));
  EXPECT_EQ(err, "cannot parse \"2015-07-01 20:10:51\" to a valid timestamp");
  EXPECT_FALSE(ParseTime("2015-02-30T00:00:00Z", &err));
}

TEST(Params, DurationAsSecondsOrPrometheusDuration) {
  std::string err;
  EXPECT_EQ(ParseDuration("15", &err), 15'000'000'000);
  EXPECT_EQ(ParseDuration("0.5", &err), 500'000'000);
  EXPECT_EQ(ParseDuration("1m30s", &err), 90'000'000'000);
  EXPECT_FALSE(ParseDuration("1e20", &err));
  EXPECT_EQ(err, "cannot parse \"1e20\" to a valid duration. It overflows int64");
  EXPECT_FALSE(ParseDuration("abc", &err));
  EXPECT_EQ(err, "cannot parse \"abc\" to a valid duration");
}

TEST(Params, FormBodyBeforeQuery) {
  Form form("POST", "query=b&x=1", "query=a%2Bb+c&match[]=up&match%5B%5D=x",
            "application/x-www-form-urlencoded; charset=utf-8");
  EXPECT_EQ(form.Value("query"), "a+b c");
  EXPECT_EQ(form.Values("query").size(), 2u);
  EXPECT_EQ(form.Values("match[]"), (std::vector<std::string>{"up", "x"}));
  EXPECT_EQ(Form("POST", "", "query=a", "text/plain").Value("query"), "");
  EXPECT_EQ(Form("GET", "a=%zz&b=1", "", "").Value("b"), "1");
}

}  // namespace
}  // namespace cerniq::api
