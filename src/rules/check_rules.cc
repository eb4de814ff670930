#include "rules/check_rules.h"

#include <algorithm>

#include "rules/rule_loader.h"

namespace cerniq::rules {
namespace {

struct LintSettings {
  bool all = false;
  bool duplicate_rules = false;
  bool fatal = false;
};

LintSettings ParseLint(const CheckRulesOptions& options, std::ostream& out) {
  LintSettings ls;
  ls.fatal = options.lint_fatal;
  // strings.Split semantics: "a,,b" has an empty item, "" is one empty item.
  std::size_t begin = 0;
  while (true) {
    const std::size_t comma = options.lint.find(',', begin);
    const std::string item = options.lint.substr(begin, comma - begin);
    if (item == "all") {
      ls.all = true;
    } else if (item == "duplicate-rules") {
      ls.duplicate_rules = true;
    } else if (item != "none") {
      out << "WARNING: unknown lint option " << item << "\n";
    }
    if (comma == std::string::npos) break;
    begin = comma + 1;
  }
  return ls;
}

// labels.Compare: by name then value, pairwise; the shorter set sorts first on a tie.
int CompareLabels(const std::map<std::string, std::string>& a,
                  const std::map<std::string, std::string>& b) {
  auto ia = a.begin();
  auto ib = b.begin();
  for (; ia != a.end() && ib != b.end(); ++ia, ++ib) {
    if (int c = ia->first.compare(ib->first); c != 0) return c;
    if (int c = ia->second.compare(ib->second); c != 0) return c;
  }
  if (ia == a.end() && ib == b.end()) return 0;
  return ia == a.end() ? -1 : 1;
}

int CompareRules(const DuplicateRule& a, const DuplicateRule& b) {
  if (int c = a.metric.compare(b.metric); c != 0) return c;
  return CompareLabels(a.labels, b.labels);
}

}  // namespace

std::vector<DuplicateRule> FindDuplicateRules(const RuleFile& file) {
  std::vector<DuplicateRule> rules;
  for (const auto& g : file.groups) {
    for (const auto& r : g.rules) rules.push_back({r.Name(), r.labels});
  }
  std::vector<DuplicateRule> dups;
  if (rules.size() < 2) return dups;
  std::sort(rules.begin(), rules.end(),
            [](const auto& a, const auto& b) { return CompareRules(a, b) < 0; });
  for (std::size_t i = 1; i < rules.size(); ++i) {
    if (CompareRules(rules[i - 1], rules[i]) != 0) continue;
    if (dups.empty() || CompareRules(rules[i - 1], dups.back()) != 0) dups.push_back(rules[i]);
  }
  return dups;
}

std::string DuplicateRulesMessage(const std::vector<DuplicateRule>& dups) {
  std::string msg = "lint error " + std::to_string(dups.size()) + " duplicate rule(s) found.\n";
  for (const auto& d : dups) {
    msg += "Metric: " + d.metric + "\nLabel(s):\n";
    for (const auto& [name, value] : d.labels) msg += "\t" + name + ": " + value + "\n";
  }
  return msg + "Might cause inconsistency while recording expressions";
}

int CheckRules(const std::vector<std::string>& files, const CheckRulesOptions& options,
               std::ostream& out, std::ostream& err) {
  const LintSettings lint = ParseLint(options, out);
  bool failed = false;
  bool has_errors = false;
  for (const auto& path : files) {
    out << "Checking " << path << "\n" << std::flush;
    RuleFileResult result = LoadRuleFile(path);
    std::vector<std::string> errors = result.errors;
    bool lint_only = false;
    if (errors.empty() && (lint.all || lint.duplicate_rules)) {
      if (auto dups = FindDuplicateRules(*result.file); !dups.empty()) {
        errors.push_back(DuplicateRulesMessage(dups));
        lint_only = true;
      }
    }
    if (!errors.empty()) {
      err << "  FAILED:\n";
      for (const auto& e : errors) err << e << "\n";
      err << std::flush;
      failed = true;
      has_errors = has_errors || !lint_only;
    } else {
      out << "  SUCCESS: " << result.file->RuleCount() << " rules found\n";
    }
    out << "\n" << std::flush;
  }
  if (failed && has_errors) return kCheckFailure;
  if (failed && lint.fatal) return kCheckLintFailure;
  return kCheckSuccess;
}

}  // namespace cerniq::rules
