#include "gocompat/regexp_errors.h"

#include <re2/re2.h>

namespace cerniq::gocompat {

std::optional<std::string> RegexpErrorCode(const re2::RE2& re) {
  switch (re.error_code()) {
    case RE2::ErrorBadEscape:
      return "invalid escape sequence";
    case RE2::ErrorBadCharClass:
      return "invalid character class";
    case RE2::ErrorBadCharRange:
      return "invalid character class range";
    case RE2::ErrorMissingBracket:
      return "missing closing ]";
    case RE2::ErrorMissingParen:
      // A "missing )" whose fragment has no '(' is Go's unexpected ')'.
      if (re.error_arg().find('(') == std::string::npos) return "unexpected )";
      return "missing closing )";
    case RE2::ErrorUnexpectedParen:
      return "unexpected )";
    case RE2::ErrorTrailingBackslash:
      return "trailing backslash at end of expression";
    case RE2::ErrorRepeatArgument:
      return "missing argument to repetition operator";
    case RE2::ErrorRepeatSize:
      return "invalid repeat count";
    case RE2::ErrorRepeatOp:
      return "invalid nested repetition operator";
    case RE2::ErrorBadPerlOp:
      return "invalid or unsupported Perl syntax";
    case RE2::ErrorBadUTF8:
      return "invalid UTF-8";
    case RE2::ErrorBadNamedCapture:
      return "invalid named capture";
    case RE2::ErrorPatternTooLarge:
      return "expression too large";
    default:
      return std::nullopt;
  }
}

std::string RegexpError(const re2::RE2& re) {
  auto code = RegexpErrorCode(re);
  if (!code) return re.error();
  return *code + ": `" + re.error_arg() + "`";
}

}  // namespace cerniq::gocompat
