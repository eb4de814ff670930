#include "promql/matcher.h"

#include <re2/re2.h>

#include <stdexcept>

#include "gocompat/quote.h"
#include "gocompat/regexp_errors.h"
#include "promql/labels.h"

namespace cerniq::promql {

std::shared_ptr<const re2::RE2> CompileAnchored(std::string_view pattern) {
  RE2::Options opts;
  opts.set_log_errors(false);
  // Go's regexp (and so Prometheus) treats '.' as not matching '\n' and uses Perl classes.
  auto re = std::make_shared<const re2::RE2>("^(?:" + std::string(pattern) + ")$", opts);
  if (!re->ok()) {
    throw std::invalid_argument("error parsing regexp: " + gocompat::RegexpError(*re));
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
  return name_ + kOps[static_cast<int>(type_)] + gocompat::Quote(value_);
}

}  // namespace cerniq::promql
