#include "gocompat/parse_int.h"

#include <gtest/gtest.h>

namespace cerniq::gocompat {
namespace {

TEST(ParseInt, PrefixesLikeStrconv) {
  EXPECT_EQ(ParseInt("0x1F"), 31);
  EXPECT_EQ(ParseInt("010"), 8);
  EXPECT_EQ(ParseInt("0o17"), 15);
  EXPECT_EQ(ParseInt("0b101"), 5);
  EXPECT_EQ(ParseInt("0"), 0);
  EXPECT_EQ(ParseInt("-7"), -7);
  EXPECT_EQ(ParseInt("+7"), 7);
  EXPECT_EQ(ParseInt("1_000"), 1000);
  EXPECT_EQ(ParseInt("-9223372036854775808"), INT64_MIN);
  EXPECT_FALSE(ParseInt("9223372036854775808"));
  EXPECT_FALSE(ParseInt("99999999999999999999"));
  EXPECT_FALSE(ParseInt("1.5"));
  EXPECT_FALSE(ParseInt("08"));
  EXPECT_FALSE(ParseInt("0x"));
  EXPECT_FALSE(ParseInt("0o"));
  EXPECT_FALSE(ParseInt("_1"));
  EXPECT_FALSE(ParseInt("1__0"));
  EXPECT_FALSE(ParseInt(""));
  EXPECT_FALSE(ParseInt("-"));
}

TEST(ParseUint, WholeRange) {
  EXPECT_EQ(ParseUint("18446744073709551615"), UINT64_MAX);
  EXPECT_EQ(ParseUint("0x_FF"), 255u);
  EXPECT_FALSE(ParseUint("18446744073709551616"));
  EXPECT_FALSE(ParseUint("-1"));
}

TEST(UnderscoreOK, GoNumberSyntax) {
  EXPECT_TRUE(UnderscoreOK("1_000"));
  EXPECT_TRUE(UnderscoreOK("0x_1F"));
  EXPECT_TRUE(UnderscoreOK("1_0.5"));
  EXPECT_FALSE(UnderscoreOK("_1"));
  EXPECT_FALSE(UnderscoreOK("1_"));
  EXPECT_FALSE(UnderscoreOK("1__0"));
  EXPECT_FALSE(UnderscoreOK("1_.5"));
}

}  // namespace
}  // namespace cerniq::gocompat
