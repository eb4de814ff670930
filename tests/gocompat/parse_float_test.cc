#include "gocompat/parse_float.h"

#include <gtest/gtest.h>

#include <cmath>

namespace cerniq::gocompat {
namespace {

// Checked against go1.19's strconv.ParseFloat(s, 64).
TEST(ParseFloat, AcceptsGoSyntax) {
  EXPECT_EQ(ParseFloat("1.5e3"), 1500);
  EXPECT_EQ(ParseFloat(".5"), 0.5);
  EXPECT_EQ(ParseFloat("5."), 5);
  EXPECT_EQ(ParseFloat("-2"), -2);
  EXPECT_EQ(ParseFloat("+Inf"), INFINITY);
  EXPECT_EQ(ParseFloat("-inf"), -INFINITY);
  EXPECT_EQ(ParseFloat("Infinity"), INFINITY);
  EXPECT_TRUE(std::isnan(*ParseFloat("NaN")));
  EXPECT_EQ(ParseFloat("0x1.8p1"), 3);
  EXPECT_EQ(ParseFloat("0x_1p0"), 1);
  EXPECT_EQ(ParseFloat("1_000"), 1000);
  EXPECT_EQ(ParseFloat("1_0.5"), 10.5);
  EXPECT_EQ(ParseFloat("1e-400"), 0);  // underflow is no error in Go
  EXPECT_EQ(ParseFloat("5e-324"), 5e-324);
}

TEST(ParseFloat, RejectsWhatGoRejects) {
  EXPECT_FALSE(ParseFloat("0x1F"));   // a hexadecimal mantissa needs a 'p' exponent
  EXPECT_FALSE(ParseFloat("1e400"));  // out of range
  EXPECT_FALSE(ParseFloat("1.2.3"));
  EXPECT_FALSE(ParseFloat(""));
  EXPECT_FALSE(ParseFloat("abc"));
  EXPECT_FALSE(ParseFloat("+-1"));
  EXPECT_FALSE(ParseFloat("1__0"));
  EXPECT_FALSE(ParseFloat(" 1"));
  EXPECT_FALSE(ParseFloat("+NaN"));
}

}  // namespace
}  // namespace cerniq::gocompat
