#include "gocompat/time.h"

#include <gtest/gtest.h>

#include <string>
#include <variant>

namespace cerniq::gocompat {
namespace {

TEST(GoTime, ParsesUnixSecondsAndRfc3339) {
  EXPECT_EQ(FormatTime(*ParseTime("1672531200.5")), "1672531200.5");
  EXPECT_EQ(FormatTime(*ParseTime("2023-01-01T00:00:00Z")), "1672531200");
  EXPECT_EQ(FormatTime(*ParseTime("2023-01-01T01:00:00.25+01:00")), "1672531200.25");
  EXPECT_FALSE(ParseTime("yesterday"));
  EXPECT_FALSE(ParseTime("2023-02-30T00:00:00Z"));
}

TEST(GoTime, ParsesDurationsAsGo) {
  EXPECT_EQ(std::get<int64_t>(ParseGoDuration("1m30s")), 90'000'000'000);
  EXPECT_EQ(std::get<int64_t>(ParseGoDuration("1.5s")), 1'500'000'000);
  EXPECT_EQ(std::get<std::string>(ParseGoDuration("x")), "time: invalid duration \"x\"");
  EXPECT_EQ(std::get<std::string>(ParseGoDuration("1d")),
            "time: unknown unit \"d\" in duration \"1d\"");
  EXPECT_EQ(std::get<std::string>(ParseGoDuration("1")), "time: missing unit in duration \"1\"");
  EXPECT_EQ(FormatSeconds(90'000'000'000), "90");
}

}  // namespace
}  // namespace cerniq::gocompat
