#include "gocompat/math.h"

#include <gtest/gtest.h>

#include <cmath>

namespace cerniq::gocompat {
namespace {

TEST(GoMath, LogsGiveGoBits) {
  // Values promtool 2.42 printed; glibc's correctly rounded logs differ in the last bit.
  EXPECT_EQ(Log2(3), 1.5849625007211563);
  EXPECT_EQ(Log10(11.0 / 7), 0.1962946451439682);
  EXPECT_EQ(Log2(8), 3);
  EXPECT_EQ(Log10(100), 2);
  EXPECT_EQ(Log(1), 0);
  EXPECT_EQ(Log(0), -INFINITY);
  EXPECT_TRUE(std::isnan(Log(-1)));
  EXPECT_EQ(Log(INFINITY), INFINITY);
}

TEST(GoMath, MaxAndMinAsGo) {
  EXPECT_EQ(Max(INFINITY, NAN), INFINITY);
  EXPECT_EQ(Min(-INFINITY, NAN), -INFINITY);
  EXPECT_TRUE(std::isnan(Max(1, NAN)));
  EXPECT_TRUE(std::isnan(Min(NAN, 1)));
  EXPECT_FALSE(std::signbit(Max(-0.0, 0.0)));
  EXPECT_TRUE(std::signbit(Min(0.0, -0.0)));
  EXPECT_EQ(Max(2, 3), 3);
  EXPECT_EQ(Min(2, 3), 2);
}

}  // namespace
}  // namespace cerniq::gocompat
