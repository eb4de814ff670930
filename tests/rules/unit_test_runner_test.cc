// The unit-test runner of `test rules` on small files; expected texts from promtool 2.42.
#include "rules/unit_test_runner.h"

#include <gtest/gtest.h>

namespace cerniq::rules {
namespace {

TEST(GoDurationString, Formats) {
  EXPECT_EQ(GoDurationString(0), "0s");
  EXPECT_EQ(GoDurationString(500), "500ms");
  EXPECT_EQ(GoDurationString(1500), "1.5s");
  EXPECT_EQ(GoDurationString(60000), "1m0s");
  EXPECT_EQ(GoDurationString(90000), "1m30s");
  EXPECT_EQ(GoDurationString(3600000), "1h0m0s");
  EXPECT_EQ(GoDurationString(86400000 + 1), "24h0m0.001s");
}

}  // namespace
}  // namespace cerniq::rules
