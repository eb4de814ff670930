#include "gocompat/duration.h"

#include <gtest/gtest.h>

namespace cerniq::gocompat {
namespace {

std::int64_t Ms(std::string_view s) { return std::get<std::int64_t>(ParseDuration(s)); }
std::string Error(std::string_view s) { return std::get<std::string>(ParseDuration(s)); }

TEST(ParseDuration, LikeModelParseDuration) {
  EXPECT_EQ(Ms("0"), 0);
  EXPECT_EQ(Ms("5m"), 300000);
  EXPECT_EQ(Ms("1h30m"), 5400000);
  EXPECT_EQ(Ms("5ms"), 5);
  EXPECT_EQ(Ms("1m5ms"), 60005);
  EXPECT_EQ(Ms("1y2w3d4h5m6s7ms"), ((((365LL + 14 + 3) * 24 + 4) * 60 + 5) * 60 + 6) * 1000 + 7);
  EXPECT_EQ(Error(""), "empty duration string");
  EXPECT_EQ(Error("5 minutes"), "not a valid duration string: \"5 minutes\"");
  EXPECT_EQ(Error("1m1h"), "not a valid duration string: \"1m1h\"");
  EXPECT_EQ(Error("1m1m"), "not a valid duration string: \"1m1m\"");
  EXPECT_EQ(Error("1"), "not a valid duration string: \"1\"");
  EXPECT_EQ(Error("1.5s"), "not a valid duration string: \"1.5s\"");
  EXPECT_EQ(Error("-1s"), "not a valid duration string: \"-1s\"");
  EXPECT_EQ(Error("300y"), "duration out of range");
  EXPECT_EQ(Error("99999999999999999999y"), "duration out of range");  // Atoi saturates
  EXPECT_EQ(Error("200y200y"), "not a valid duration string: \"200y200y\"");
}

TEST(FormatDuration, LikeModelDuration) {
  EXPECT_EQ(FormatDuration(0), "0s");
  EXPECT_EQ(FormatDuration(90 * 1000), "1m30s");
  EXPECT_EQ(FormatDuration(3600 * 1000), "1h");
  EXPECT_EQ(FormatDuration(86400 * 1000), "1d");
  EXPECT_EQ(FormatDuration(90LL * 86400 * 1000), "90d");  // weeks only when exact
  EXPECT_EQ(FormatDuration(14LL * 86400 * 1000), "2w");
  EXPECT_EQ(FormatDuration(365LL * 86400 * 1000), "1y");
  EXPECT_EQ(FormatDuration(1500), "1s500ms");
  EXPECT_EQ(FormatDuration(-1500), "-1s500ms");
}

TEST(FormatTimeDuration, LikeTimeDurationString) {
  EXPECT_EQ(FormatTimeDuration(0), "0s");
  EXPECT_EQ(FormatTimeDuration(500), "500ms");
  EXPECT_EQ(FormatTimeDuration(1500), "1.5s");
  EXPECT_EQ(FormatTimeDuration(60000), "1m0s");
  EXPECT_EQ(FormatTimeDuration(90000), "1m30s");
  EXPECT_EQ(FormatTimeDuration(3600000), "1h0m0s");
  EXPECT_EQ(FormatTimeDuration(86400000 + 1), "24h0m0.001s");
  EXPECT_EQ(FormatTimeDuration(-1500), "-1.5s");
}

}  // namespace
}  // namespace cerniq::gocompat
