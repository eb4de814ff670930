#pragma once
// pint's alerts/annotation and alerts/comparison checks (internal to the rule linter).
#include <string_view>

#include "promql/ast.h"
#include "rules/lint_context.h"

namespace cerniq::rules {

// alerts/annotation: every annotation of LintOptions::required_annotations is set and not
// empty; `runbook_url` is an absolute http(s) URL (a {{ template }} may follow its host).
void CheckAnnotations(const RuleLintContext& ctx);
bool IsAbsoluteHttpUrl(std::string_view url);

// alerts/comparison: an alert's query must filter its result (a comparison, `and`, `unless`, or
// absent()/absent_over_time()); otherwise every series it selects fires, whatever its value.
void CheckAlertCondition(const promql::Expr& root, const RuleLintContext& ctx);

}  // namespace cerniq::rules
