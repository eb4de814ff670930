#include "promql/matcher.h"

#include <re2/re2.h>

#include <stdexcept>

#include "promql/labels.h"

namespace cerniq::promql {

namespace {

// Go's regexp/syntax error text for an RE2 error, "<code>: `<fragment>`": both libraries come
// from the same design, so the fragments agree.
std::string GoRegexpError(const re2::RE2& re) {
  const char* code = nullptr;
  switch (re.error_code()) {
    case RE2::ErrorBadEscape:
      code = "invalid escape sequence";
      break;
    case RE2::ErrorBadCharClass:
      code = "invalid character class";
      break;
    case RE2::ErrorBadCharRange:
      code = "invalid character class range";
      break;
    case RE2::ErrorMissingBracket:
      code = "missing closing ]";
      break;
    case RE2::ErrorMissingParen:
      code = "missing closing )";
      break;
    case RE2::ErrorUnexpectedParen:
      code = "unexpected )";
      break;
    case RE2::ErrorTrailingBackslash:
      code = "trailing backslash at end of expression";
      break;
    case RE2::ErrorRepeatArgument:
      code = "missing argument to repetition operator";
      break;
    case RE2::ErrorRepeatSize:
      code = "invalid repeat count";
      break;
    case RE2::ErrorRepeatOp:
      code = "invalid nested repetition operator";
      break;
    case RE2::ErrorBadPerlOp:
      code = "invalid or unsupported Perl syntax";
      break;
    case RE2::ErrorBadUTF8:
      code = "invalid UTF-8";
      break;
    case RE2::ErrorBadNamedCapture:
      code = "invalid named capture";
      break;
    case RE2::ErrorPatternTooLarge:
      code = "expression too large";
      break;
    default:
      return re.error();
  }
  return std::string(code) + ": `" + re.error_arg() + "`";
}

}  // namespace

std::shared_ptr<const re2::RE2> CompileAnchored(std::string_view pattern) {
  RE2::Options opts;
  opts.set_log_errors(false);
  // Go's regexp (and so Prometheus) treats '.' as not matching '\n' and uses Perl classes.
  auto re = std::make_shared<const re2::RE2>("^(?:" + std::string(pattern) + ")$", opts);
  if (!re->ok()) {
    throw std::invalid_argument("error parsing regexp: " + GoRegexpError(*re));
  }
  return re;
}

bool FullMatch(const re2::RE2& re, std::string_view s) {
  return RE2::FullMatch(re2::StringPiece(s.data(), s.size()), re);
}

Matcher::Matcher(MatchType type, std::string name, std::string value)
    : type_(type), name_(std::move(name)), value_(std::move(value)) {
  if (type_ == MatchType::kRegexMatch || type_ == MatchType::kRegexNoMatch) {
    re_ = CompileAnchored(value_);
  }
}

bool Matcher::Matches(std::string_view v) const {
  switch (type_) {
    case MatchType::kEqual:
      return v == value_;
    case MatchType::kNotEqual:
      return v != value_;
    case MatchType::kRegexMatch:
      return FullMatch(*re_, v);
    case MatchType::kRegexNoMatch:
      return !FullMatch(*re_, v);
  }
  return false;
}

std::string Matcher::String() const {
  static constexpr const char* kOps[] = {"=", "!=", "=~", "!~"};
  return name_ + kOps[static_cast<int>(type_)] + GoQuote(value_);
}

}  // namespace cerniq::promql
