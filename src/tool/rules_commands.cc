// `check rules`, `test rules` and `lint rules`: promtool 2.42's rule commands from src/rules.
// Command-line errors keep kingpin's "promtool: error: ..." wording (the golden files expect it).
#include "tool/rules_commands.h"

#include <algorithm>
#include <filesystem>
#include <optional>

#include "gocompat/duration.h"
#include "rules/check_rules.h"
#include "rules/linter.h"
#include "rules/unit_test_runner.h"
#include "tool/command.h"
#include "tool/kingpin.h"

namespace cerniq::tool {
namespace {

int CheckRules(const std::vector<std::string>& args, CommandIO& io) {
  return RunCheckRulesCommand(args, io.out, io.err);
}

int TestRules(const std::vector<std::string>& args, CommandIO& io) {
  return RunTestRulesCommand(args, io.out, io.err);
}

int LintRules(const std::vector<std::string>& args, CommandIO& io) {
  return RunLintRulesCommand(args, io.out, io.err);
}

// A flag's value: after "=" in `arg`, else the next argument (consumed); nullopt when missing.
std::optional<std::string> FlagValue(const std::vector<std::string>& args, std::size_t& i) {
  const auto eq = args[i].find('=');
  if (eq != std::string::npos) return args[i].substr(eq + 1);
  if (i + 1 < args.size()) return args[++i];
  return std::nullopt;
}

// "--name=value" → "name".
std::string LongFlagName(const std::string& arg) {
  const auto eq = arg.find('=');
  return arg.substr(2, eq == std::string::npos ? std::string::npos : eq - 2);
}

}  // namespace

int RunCheckRulesCommand(const std::vector<std::string>& args, std::ostream& out, std::ostream& err,
                         const std::string& program) {
  rules::CheckRulesOptions options;
  std::vector<std::string> files;
  bool flags_done = false;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (flags_done || a.size() < 2 || a[0] != '-') {
      files.push_back(a);
      continue;
    }
    if (a == "--") {
      flags_done = true;
      continue;
    }
    if (a[1] != '-') return UsageError(err, program, "unknown short flag '" + a.substr(0, 2) + "'");
    const std::string name = LongFlagName(a);
    if (name == "lint") {
      auto value = FlagValue(args, i);
      if (!value) return UsageError(err, program, "expected argument for flag '--lint'");
      options.lint = *value;
    } else if (name == "lint-fatal" || name == "no-lint-fatal") {
      options.lint_fatal = name == "lint-fatal";
      // kingpin hands the "value" of a boolean flag on to the positional arguments.
      if (const auto eq = a.find('='); eq != std::string::npos) files.push_back(a.substr(eq + 1));
    } else {
      return UsageError(err, program, "unknown long flag '--" + name + "'");
    }
  }
  if (files.empty()) return UsageError(err, program, "required argument 'rule-files' not provided");
  if (!CheckExistingFiles(files, err, program)) return 1;
  return rules::CheckRules(files, options, out, err);
}

int RunTestRulesCommand(const std::vector<std::string>& args, std::ostream& out, std::ostream& err,
                        const std::string& program) {
  std::vector<std::string> files;
  bool flags_done = false;
  for (const auto& a : args) {
    if (flags_done || a.size() < 2 || a[0] != '-') {
      files.push_back(a);
    } else if (a == "--") {
      flags_done = true;
    } else if (a[1] != '-') {
      return UsageError(err, program, "unknown short flag '" + a.substr(0, 2) + "'");
    } else {
      return UsageError(err, program, "unknown long flag '" + a.substr(0, a.find('=')) + "'");
    }
  }
  if (files.empty()) {
    return UsageError(err, program, "required argument 'test-rule-file' not provided");
  }
  if (!CheckExistingFiles(files, err, program)) return 1;
  return rules::RunRuleUnitTests(files, out, err);
}

int RunLintRulesCommand(const std::vector<std::string>& args, std::ostream& out, std::ostream& err,
                        const std::string& program) {
  std::string format = "text";
  rules::Severity fail_on = rules::Severity::kInfo;  // any finding fails
  rules::LintOptions options;
  std::vector<std::string> files;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a.rfind("--", 0) != 0 || a.size() == 2) {
      if (a != "--") files.push_back(a);
      continue;
    }
    const std::string name = LongFlagName(a);
    if (name != "format" && name != "scrape-interval" && name != "fail-on") {
      return UsageError(err, program, "unknown long flag '--" + name + "'");
    }
    auto value = FlagValue(args, i);
    if (!value) return UsageError(err, program, "expected argument for flag '--" + name + "'");
    if (name == "format") {
      if (*value != "text" && *value != "json") {
        return UsageError(err, program,
                          "enum value must be one of text,json, got '" + *value + "'");
      }
      format = *value;
    } else if (name == "fail-on") {
      auto severity = rules::ParseSeverity(*value);
      if (!severity) {
        return UsageError(err, program,
                          "enum value must be one of bug,warning,info, got '" + *value + "'");
      }
      fail_on = *severity;
    } else {
      auto d = gocompat::ParseDuration(*value);
      if (auto* e = std::get_if<std::string>(&d)) return UsageError(err, program, *e);
      options.scrape_interval_ms = std::get<rules::DurationMs>(d);
    }
  }
  if (files.empty()) return UsageError(err, program, "required argument 'rule-files' not provided");
  for (const auto& f : files) {
    std::error_code ec;
    if (!std::filesystem::exists(f, ec)) {
      return UsageError(err, program, "path '" + f + "' does not exist");
    }
  }
  rules::LintFilesResult result = rules::LintRuleFilesAt(files, options);
  for (const auto& [path, errors] : result.load_errors) {
    for (const auto& e : errors) err << path << ": " << e << "\n";
  }
  out << (format == "json" ? rules::FormatFindingsJson(result.findings)
                           : rules::FormatFindingsText(result.findings));
  const bool failing = std::any_of(result.findings.begin(), result.findings.end(),
                                   [&](const auto& f) { return f.severity >= fail_on; });
  return !result.load_errors.empty() || failing ? 1 : 0;
}

void AddRulesCommands(std::vector<Command>& commands) {
  commands.push_back({{"check", "rules"},
                      "[--lint=duplicate-rules|none] [--lint-fatal] RULE-FILE...",
                      "Check rule files as promtool 2.42 does.",
                      CheckRules});
  commands.push_back(
      {{"test", "rules"}, "TEST-FILE...", "Run rule unit tests as promtool 2.42 does.", TestRules});
  commands.push_back(
      {{"lint", "rules"},
       "[--format=text|json] [--scrape-interval=15s] [--fail-on=bug|warning|info] RULE-FILE...",
       "Lint rule files (pint's checks) against the exporter's metric catalogue.",
       LintRules});
}

}  // namespace cerniq::tool
