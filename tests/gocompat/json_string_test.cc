#include "gocompat/json_string.h"

#include <gtest/gtest.h>

namespace cerniq::gocompat {
namespace {

TEST(JsonString, EscapesAsGoEncodingJsonWithHtmlEscaping) {
  EXPECT_EQ(JsonString("a\"b\\c"), R"("a\"b\\c")");
  EXPECT_EQ(JsonString("x > 80 && y < 1"), R"("x \u003e 80 \u0026\u0026 y \u003c 1")");
  EXPECT_EQ(JsonString("l1\nl2\tt\r\b\f\x01"), R"("l1\nl2\tt\r\u0008\u000c\u0001")");
  EXPECT_EQ(JsonString("caf\xc3\xa9 \xe2\x80\xa8 \x7f"), "\"caf\xc3\xa9 \\u2028 \x7f\"");
  EXPECT_EQ(JsonString("bad\xff"), R"("bad\ufffd")");
}

}  // namespace
}  // namespace cerniq::gocompat
