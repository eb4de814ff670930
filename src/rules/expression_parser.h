#pragma once
// The seam between rule files and the PromQL parser (src/promql). Rule validation only needs to
// know whether an expression parses and, if not, Prometheus's message for it.
#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace cerniq::rules {

// Returns std::nullopt when `expr` parses, else the parser's error exactly as Prometheus 2.42
// prints it, e.g. "1:38: parse error: unexpected end of input". The loader prefixes it with
// "could not parse expression: ".
using ExpressionParser = std::function<std::optional<std::string>(std::string_view expr)>;

// Accepts every expression: for callers that only need the YAML model (and for tests).
inline ExpressionParser AcceptAllExpressions() {
  return [](std::string_view) -> std::optional<std::string> { return std::nullopt; };
}

}  // namespace cerniq::rules
