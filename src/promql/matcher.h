#pragma once
// Label matchers (=, !=, =~, !~). Regexes are RE2, fully anchored like Prometheus's.
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace re2 {
class RE2;
}

namespace cerniq::promql {

enum class MatchType { kEqual, kNotEqual, kRegexMatch, kRegexNoMatch };

class Matcher {
 public:
  // Throws std::invalid_argument("error parsing regexp: ...") for a bad regex.
  Matcher(MatchType type, std::string name, std::string value);

  MatchType type() const { return type_; }
  const std::string& name() const { return name_; }
  const std::string& value() const { return value_; }
  bool Matches(std::string_view v) const;
  std::string String() const;  // name="value" with Go quoting

 private:
  MatchType type_;
  std::string name_;
  std::string value_;
  std::shared_ptr<const re2::RE2> re_;
};

// Compiles an anchored RE2 regex or throws std::invalid_argument with Go-like text.
std::shared_ptr<const re2::RE2> CompileAnchored(std::string_view pattern);
bool FullMatch(const re2::RE2& re, std::string_view s);

}  // namespace cerniq::promql
