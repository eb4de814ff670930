#include "promql/matcher.h"

#include <re2/re2.h>

#include <stdexcept>

#include "promql/labels.h"

namespace cerniq::promql {

std::optional<std::string> GoRegexpErrorCode(const re2::RE2& re) {
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

namespace {

// Go's regexp/syntax error text, "<code>: `<fragment>`": both libraries come from the same
// design, so the fragments agree.
std::string GoRegexpError(const re2::RE2& re) {
  auto code = GoRegexpErrorCode(re);
  if (!code) return re.error();
  return *code + ": `" + re.error_arg() + "`";
}

// RE2 accepts \C (any byte); Go's regexp/syntax rejects it. True if `pattern` uses it outside
// a \Q...\E literal.
bool HasAnyByteEscape(std::string_view pattern) {
  for (size_t i = 0; i + 1 < pattern.size(); ++i) {
    if (pattern[i] != '\\') continue;
    if (pattern[i + 1] == 'C') return true;
    if (pattern[i + 1] == 'Q') {
      size_t end = pattern.find("\\E", i + 2);
      if (end == std::string_view::npos) return false;
      i = end;
    }
    ++i;  // skip the escaped character
  }
  return false;
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
  if (HasAnyByteEscape(pattern))
    throw std::invalid_argument("error parsing regexp: invalid escape sequence: `\\C`");
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
