#pragma once
// The PromQL parser of src/promql as the rule loader's ExpressionParser.
#include "rules/expression_parser.h"

namespace cerniq::rules {

// Parses with promql::ParseExpr; errors read as Prometheus prints them
// ("1:38: parse error: unexpected end of input").
ExpressionParser PromqlExpressionParser();

}  // namespace cerniq::rules
