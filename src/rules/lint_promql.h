#pragma once
// pint's promql/regexp and promql/counter checks (internal to the rule linter).
#include <set>
#include <string>
#include <vector>

#include "promql/ast.h"
#include "rules/lint_context.h"

namespace cerniq::rules {

// One problem of a regexp matcher: `=~"foo"` (no regexp needed), `=~".*"` (matches every value),
// `!~".*"` (matches nothing), `=~"^foo$"` (Prometheus anchors regexps itself).
struct RegexpProblem {
  Severity severity = Severity::kWarning;
  std::string message;
  std::string fix;
};
// `selector` is the metric name with the selector's other matchers, for the wildcard advice.
std::vector<RegexpProblem> RegexpMatcherProblems(const promql::Matcher& matcher,
                                                 const std::string& selector_without);

// promql/regexp over every selector of the rule's expression.
void CheckRegexps(const promql::Expr& root, const RuleLintContext& ctx);

// promql/counter: a counter (catalogue type, or an unknown name ending in _total) read without
// a function that is safe on counters (rate, irate, increase, resets, changes, absent, ...), a
// count()/group() aggregation, or as the right-hand side of `unless`.
void CheckCounters(const promql::Expr& root, const RuleLintContext& ctx,
                   const std::set<std::string>& recorded);

}  // namespace cerniq::rules
