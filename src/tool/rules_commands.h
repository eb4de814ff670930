#pragma once
// `check rules`, `test rules` and `lint rules`: the command lines of promtool 2.42's rule commands
// (kingpin flags and argument checks) in front of src/rules. `args` are the words after the
// command's name; command-line errors print "<program>: error: <message>, try --help" and
// return 1 (see kingpin.h).
#include <ostream>
#include <string>
#include <vector>

namespace cerniq::tool {

// `check rules [--lint=duplicate-rules|all|none] [--[no-]lint-fatal] FILE...` → rules::CheckRules.
int RunCheckRulesCommand(const std::vector<std::string>& args, std::ostream& out, std::ostream& err,
                         const std::string& program = "promtool");

// `test rules FILE...` → rules::RunRuleUnitTests.
int RunTestRulesCommand(const std::vector<std::string>& args, std::ostream& out, std::ostream& err,
                        const std::string& program = "promtool");

// `lint rules [--format=text|json] [--scrape-interval=15s] [--fail-on=bug|warning|info] FILE...`:
// files that fail to load print promtool's errors; exit 1 when a file failed to load or a
// finding is at or above the --fail-on severity (default info: any finding), else 0.
int RunLintRulesCommand(const std::vector<std::string>& args, std::ostream& out, std::ostream& err,
                        const std::string& program = "cerniqtool");

}  // namespace cerniq::tool
