#pragma once
// Loads a Prometheus 2.42 rule file the way rulefmt.ParseFile does: a strict YAML decode, a
// second non-strict decode for node positions, then validation. Errors are promtool's exact
// lines (without the "<file>: " prefix that LoadRuleFile adds).
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "rules/rule_file.h"

namespace cerniq::rules {

struct RuleFileResult {
  std::optional<RuleFile> file;  // set when the YAML decoded, even if validation failed
  std::vector<std::string> errors;

  bool ok() const { return errors.empty(); }
};

// Decodes and validates `content`; each `expr` goes through promql::ParseExpr.
RuleFileResult ParseRuleFile(std::string_view content);

// Reads `path` and parses it; every error is prefixed "<path>: " as promtool prints it.
RuleFileResult LoadRuleFile(const std::string& path);

// The checks of rulefmt's RuleGroups.Validate, in its order: group names, then each rule's
// record/alert, expr, recording-rule fields, label and annotation names, templates.
std::vector<std::string> ValidateRuleFile(const RuleFile& file);

}  // namespace cerniq::rules
