#include "gocompat/quote.h"

#include <gtest/gtest.h>

#include <string>

namespace cerniq::gocompat {
namespace {

TEST(Quote, EscapesLikeStrconvQuote) {
  EXPECT_EQ(Quote("a\"b\\c\n\t"), "\"a\\\"b\\\\c\\n\\t\"");
  EXPECT_EQ(Quote(std::string("\0\x01\x7f", 3)), "\"\\x00\\x01\\x7f\"");
  EXPECT_EQ(Quote("\xdb\xff"), "\"\\xdb\\xff\"");  // invalid UTF-8: bytes escaped
  EXPECT_EQ(Quote("h\xc3\xa9\xe4\xb8\x96"), "\"h\xc3\xa9\xe4\xb8\x96\"");
  EXPECT_EQ(Quote("\xc2\x85\xc2\xa0"), "\"\\u0085\\u00a0\"");
  EXPECT_EQ(Quote("\u202a\ue000\u2060\ufff9"), "\"\\u202a\\ue000\\u2060\\ufff9\"");
  EXPECT_EQ(Quote("\xf3\xa0\x80\x81"), "\"\\U000e0001\"");  // a tag character
  EXPECT_EQ(Quote("'"), "\"'\"");
}

TEST(Quote, PrefixAndRune) {
  EXPECT_EQ(QuotePrefix("abcdefghijklmnop", 10), "\"abcdefghij\"");
  EXPECT_EQ(QuotePrefix("\xc3\xa9\xff"
                        "abc",
                        2),
            "\"\xc3\xa9\\xff\"");
  EXPECT_EQ(QuoteRune('a'), "'a'");
  EXPECT_EQ(QuoteRune('\''), "'\\''");
  EXPECT_EQ(QuoteRune('"'), "'\"'");
  EXPECT_EQ(QuoteRune('\n'), "'\\n'");
  EXPECT_EQ(QuoteRune(0x85), "'\\u0085'");
  EXPECT_EQ(QuoteRune(0xFFFFFFFF), "'\xef\xbf\xbd'");  // Go's %q of -1
}

TEST(Unquote, LikeStrconvUnquote) {
  EXPECT_EQ(Unquote("\"a\\tb\\x41\\101\\u00e9\\U0001f600\""), "a\tbAA\u00e9\U0001f600");
  EXPECT_EQ(Unquote("`a\\n\r`"), "a\\n");
  EXPECT_EQ(Unquote("'a'"), "a");
  EXPECT_EQ(Unquote("\"\xff\""), "\xef\xbf\xbd");  // Go turns invalid UTF-8 into U+FFFD
  EXPECT_EQ(Unquote("\"\\xff\""), "\xff");         // but \x escapes are bytes
  EXPECT_FALSE(Unquote("'ab'"));
  EXPECT_EQ(Unquote("'ab'", SingleQuoted::kAnyLength), "ab");
  EXPECT_FALSE(Unquote("\"a\nb\""));
  EXPECT_FALSE(Unquote("\"a\"b\""));
  EXPECT_FALSE(Unquote("\"\\'\""));
  EXPECT_FALSE(Unquote("\"\\ud800\""));
  EXPECT_FALSE(Unquote("\"\\400\""));
  EXPECT_FALSE(Unquote("\"\\q\""));
  EXPECT_FALSE(Unquote("\"a"));
  EXPECT_FALSE(Unquote("a"));
}

TEST(Unquote, OneCharacter) {
  std::size_t pos = 0;
  auto c = UnquoteChar("\xc3\xa9'", pos, '\'');
  ASSERT_TRUE(c);
  EXPECT_EQ(c->value, U'\u00e9');
  EXPECT_TRUE(c->multibyte);
  EXPECT_EQ(pos, 2u);
  pos = 0;
  c = UnquoteChar("\\x41", pos, '\'');
  ASSERT_TRUE(c);
  EXPECT_EQ(c->value, U'A');
  EXPECT_FALSE(c->multibyte);
  pos = 0;
  EXPECT_FALSE(UnquoteChar("'", pos, '\''));
}

}  // namespace
}  // namespace cerniq::gocompat
