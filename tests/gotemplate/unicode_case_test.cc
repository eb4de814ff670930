#include "gotemplate/unicode_case.h"

#include <gtest/gtest.h>

namespace cerniq::gotemplate {
namespace {

TEST(UnicodeCase, UpperLowerTitle) {
  EXPECT_EQ(GoTitle("hello wORLD-foo_bar"), "Hello WORLD-Foo_bar");
  EXPECT_EQ(GoToLower("\u00c0B"), "\u00e0b");
  EXPECT_EQ(GoToUpper("\u03b1\u03b2\u03b3 \u043f\u0440\u0438"),
            "\u0391\u0392\u0393 \u041f\u0420\u0418");
  EXPECT_EQ(GoToUpper("abc\xff"), "ABC\xff");
}

}  // namespace
}  // namespace cerniq::gotemplate
