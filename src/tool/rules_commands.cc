// `check rules`, `test rules` and `lint rules`: promtool 2.42's rule commands from src/rules.
// Command-line errors keep kingpin's "promtool: error: ..." wording (the golden files expect it).
#include "rules/check_rules_command.h"
#include "rules/linter.h"
#include "rules/unit_test_runner.h"
#include "tool/command.h"

namespace cerniq::tool {
namespace {

int CheckRules(const std::vector<std::string>& args, CommandIO& io) {
  return rules::RunCheckRulesCommand(args, io.out, io.err);
}

int TestRules(const std::vector<std::string>& args, CommandIO& io) {
  return rules::RunTestRulesCommand(args, io.out, io.err);
}

int LintRules(const std::vector<std::string>& args, CommandIO& io) {
  return rules::RunLintRulesCommand(args, io.out, io.err);
}

}  // namespace

void AddRulesCommands(std::vector<Command>& commands) {
  commands.push_back({{"check", "rules"},
                      "[--lint=duplicate-rules|none] [--lint-fatal] RULE-FILE...",
                      "Check rule files as promtool 2.42 does.",
                      CheckRules});
  commands.push_back(
      {{"test", "rules"}, "TEST-FILE...", "Run rule unit tests as promtool 2.42 does.", TestRules});
  commands.push_back({{"lint", "rules"},
                      "[--format=text|json] [--scrape-interval=15s] RULE-FILE...",
                      "Lint rule files against the exporter's metric catalogue.",
                      LintRules});
}

}  // namespace cerniq::tool
