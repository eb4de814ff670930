#pragma once
// The `check rules` command line of promtool 2.42 (kingpin flags and argument checks) in front
// of CheckRules, for cerniqtool's dispatcher: register it under {"check", "rules"}.
#include <ostream>
#include <string>
#include <vector>

namespace cerniq::rules {

// `args` are the words after "check rules". Command-line errors print kingpin's
// "<program>: error: <message>, try --help" on `err` and return 1.
int RunCheckRulesCommand(const std::vector<std::string>& args, std::ostream& out, std::ostream& err,
                         const std::string& program = "promtool");

}  // namespace cerniq::rules
