#include "gocompat/regexp_errors.h"

#include <gtest/gtest.h>
#include <re2/re2.h>

namespace cerniq::gocompat {
namespace {

std::string ErrorOf(const std::string& pattern) {
  RE2::Options options;
  options.set_log_errors(false);
  RE2 re(pattern, options);
  return RegexpError(re);
}

TEST(RegexpError, GoWording) {
  EXPECT_EQ(ErrorOf("a{2,1}"), "invalid repeat count: `{2,1}`");
  EXPECT_EQ(ErrorOf("[a"), "missing closing ]: `[a`");
  EXPECT_EQ(ErrorOf("a)"), "unexpected ): `a)`");
  EXPECT_EQ(ErrorOf("(a"), "missing closing ): `(a`");
  EXPECT_EQ(ErrorOf("*"), "missing argument to repetition operator: `*`");
  EXPECT_EQ(ErrorOf("\\"), "trailing backslash at end of expression: ``");
}

TEST(RegexpError, NoCodeForValidPatterns) {
  RE2 re("a+");
  EXPECT_FALSE(RegexpErrorCode(re));
}

}  // namespace
}  // namespace cerniq::gocompat
