#pragma once
// `promtool check rules` of Prometheus 2.42 (cmd/promtool/main.go CheckRules), without the
// command-line parsing: the caller (cerniqtool) checks that the files exist, as kingpin does.
#include <ostream>
#include <string>
#include <vector>

#include "rules/rule_file.h"

namespace cerniq::rules {

struct CheckRulesOptions {
  std::string lint = "duplicate-rules";  // --lint: comma-separated all, duplicate-rules, none
  bool lint_fatal = false;               // --lint-fatal
};

// Exit codes of promtool.
inline constexpr int kCheckSuccess = 0;
inline constexpr int kCheckFailure = 1;
inline constexpr int kCheckLintFailure = 3;

// Rules sharing a metric (alert or record name) and label set, the duplicate-rules lint.
struct DuplicateRule {
  std::string metric;
  std::map<std::string, std::string> labels;
};
std::vector<DuplicateRule> FindDuplicateRules(const RuleFile& file);

// promtool's lint message for `dups` (non-empty), "lint error 1 duplicate rule(s) found.\n...".
std::string DuplicateRulesMessage(const std::vector<DuplicateRule>& dups);

// Checks each file, writing promtool's stdout and stderr text to `out` and `err` in the order
// promtool writes them; returns the exit code.
int CheckRules(const std::vector<std::string>& files, const CheckRulesOptions& options,
               std::ostream& out, std::ostream& err);

}  // namespace cerniq::rules
