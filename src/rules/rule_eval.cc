#include "rules/rule_eval.h"

#include <utility>

namespace cerniq::rules {

std::variant<promql::Vector, std::string> RuleQueryResult(promql::Value value) {
  if (auto* vec = std::get_if<promql::Vector>(&value)) return std::move(*vec);
  if (auto* s = std::get_if<promql::Scalar>(&value)) return promql::Vector{{{}, s->t, s->v}};
  return std::string("rule result is not a vector or scalar");
}

}  // namespace cerniq::rules
