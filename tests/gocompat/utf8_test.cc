#include "gocompat/utf8.h"

#include <gtest/gtest.h>

#include <string>

namespace cerniq::gocompat {
namespace {

struct Decoded {
  char32_t rune;
  int width;
};

Decoded Decode(std::string_view s) {
  int width = 0;
  const char32_t r = DecodeRune(s, 0, &width);
  return {r, width};
}

TEST(Utf8, DecodesValidRunes) {
  EXPECT_EQ(Decode("a").rune, U'a');
  EXPECT_EQ(Decode("\xc3\xa9").rune, U'\u00e9');
  EXPECT_EQ(Decode("\xc3\xa9").width, 2);
  EXPECT_EQ(Decode("\xe4\xb8\x96").rune, U'\u4e16');
  EXPECT_EQ(Decode("\xf0\x9f\x98\x80").rune, U'\U0001f600');
  EXPECT_EQ(Decode("\xf4\x8f\xbf\xbf").width, 4);  // U+10FFFF
  EXPECT_EQ(Decode("\xef\xbf\xbd").width, 3);      // a real U+FFFD is three bytes wide
}

TEST(Utf8, InvalidBytesAreRuneErrorOfWidthOne) {
  for (const char* s : {"\xff", "\x80", "\xc3", "\xc3}", "\xe4\xb8", "\xc0\x80", "\xe0\x80\x80",
                        "\xed\xa0\x80", "\xf4\x90\x80\x80", "\xf8\x88\x80\x80\x80"}) {
    const Decoded d = Decode(s);
    EXPECT_EQ(d.rune, kRuneError) << s;
    EXPECT_EQ(d.width, 1) << s;
  }
}

TEST(Utf8, EncodesAndReplacesInvalidRunes) {
  std::string out;
  AppendUtf8(out, U'\u00e9');
  AppendUtf8(out, U'\U0001f600');
  EXPECT_EQ(out, "\xc3\xa9\xf0\x9f\x98\x80");
  out.clear();
  AppendUtf8(out, 0xD800);
  AppendUtf8(out, 0x110000);
  EXPECT_EQ(out, "\xef\xbf\xbd\xef\xbf\xbd");
}

TEST(Utf8, RoundTripsEveryRune) {
  for (char32_t r = 0; r <= kMaxRune; ++r) {
    if (!ValidRune(r)) continue;
    std::string s;
    AppendUtf8(s, r);
    const Decoded d = Decode(s);
    ASSERT_EQ(d.rune, r);
    ASSERT_EQ(d.width, static_cast<int>(s.size()));
  }
}

TEST(Utf8, ValidStringAndCounts) {
  EXPECT_TRUE(ValidString("h\xc3\xa9llo"));
  EXPECT_FALSE(ValidString("a\xc3"));
  EXPECT_FALSE(ValidString("\xed\xa0\x80"));
  EXPECT_EQ(RuneCount("h\xc3\xa9\xff"), 3u);
  EXPECT_EQ(RunePrefixBytes("h\xc3\xa9llo", 2), 3u);
  EXPECT_EQ(RunePrefixBytes("ab", 5), 2u);
}

}  // namespace
}  // namespace cerniq::gocompat
