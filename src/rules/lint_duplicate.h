#pragma once
// pint's rule/duplicate across every linted file (internal to the rule linter): two recording
// rules writing the same series (same name and labels), or two alerting rules with the same
// name, labels and query. Each later copy is reported, pointing at the first.
#include <vector>

#include "rules/linter.h"

namespace cerniq::rules {

std::vector<LintFinding> FindDuplicateRules(const std::vector<LintInput>& files);

}  // namespace cerniq::rules
