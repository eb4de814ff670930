#include "gocompat/query_escape.h"

#include <gtest/gtest.h>

namespace cerniq::gocompat {
namespace {

// Expected values as Go 1.19's url.QueryEscape prints them.
TEST(QueryEscape, KeepsUnreservedEscapesTheRestAndSpaceIsPlus) {
  EXPECT_EQ(QueryEscape("rate(x[5m])"), "rate%28x%5B5m%5D%29");
  EXPECT_EQ(QueryEscape("a b+c&d=e/f?g#h"), "a+b%2Bc%26d%3De%2Ff%3Fg%23h");
  EXPECT_EQ(QueryEscape("AZaz09-_.~"), "AZaz09-_.~");
  EXPECT_EQ(QueryEscape("\xC3\xA9\x01\xFF"), "%C3%A9%01%FF");
  EXPECT_EQ(QueryEscape(""), "");
}

}  // namespace
}  // namespace cerniq::gocompat
