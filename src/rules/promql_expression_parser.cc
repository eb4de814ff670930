#include "rules/promql_expression_parser.h"

#include "promql/parser.h"

namespace cerniq::rules {

ExpressionParser PromqlExpressionParser() {
  return [](std::string_view expr) -> std::optional<std::string> {
    try {
      promql::ParseExpr(expr);
      return std::nullopt;
    } catch (const promql::ParseError& e) {
      return std::string(e.what());
    }
  };
}

}  // namespace cerniq::rules
