#include "rules/check_rules_command.h"

#include <sys/stat.h>

#include "rules/check_rules.h"

namespace cerniq::rules {
namespace {

int UsageError(std::ostream& err, const std::string& program, const std::string& message) {
  err << program << ": error: " << message << ", try --help\n";
  return 1;
}

}  // namespace

int RunCheckRulesCommand(const std::vector<std::string>& args, std::ostream& out, std::ostream& err,
                         const std::string& program) {
  CheckRulesOptions options;
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
    const auto eq = a.find('=');
    const std::string name = a.substr(2, eq == std::string::npos ? std::string::npos : eq - 2);
    if (name == "lint") {
      if (eq != std::string::npos) {
        options.lint = a.substr(eq + 1);
      } else if (i + 1 < args.size()) {
        options.lint = args[++i];
      } else {
        return UsageError(err, program, "expected argument for flag '--lint'");
      }
    } else if (name == "lint-fatal" || name == "no-lint-fatal") {
      options.lint_fatal = name == "lint-fatal";
      // kingpin hands the "value" of a boolean flag on to the positional arguments.
      if (eq != std::string::npos) files.push_back(a.substr(eq + 1));
    } else {
      return UsageError(err, program, "unknown long flag '--" + name + "'");
    }
  }
  if (files.empty()) return UsageError(err, program, "required argument 'rule-files' not provided");
  for (const auto& f : files) {
    struct stat st {};
    if (stat(f.c_str(), &st) != 0)
      return UsageError(err, program, "path '" + f + "' does not exist");
    if (S_ISDIR(st.st_mode)) return UsageError(err, program, "'" + f + "' is a directory");
  }
  return CheckRules(files, options, out, err);
}

}  // namespace cerniq::rules
