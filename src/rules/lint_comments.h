#pragma once
// `# cerniqtool disable <check>` comments of a rule file (internal to the rule linter), as pint's
// `# pint disable` / `# pint file/disable`:
// - `# cerniqtool file/disable <check>` anywhere, or `# cerniqtool disable <check>` in the
//   file's leading comment block (before any YAML), switches the check off for the whole file;
// - `# cerniqtool disable <check>` on the comment lines right above a rule, or on any line of the
//   rule (an end-of-line comment too), switches it off for that rule.
// One check per comment; `<check>(...)` is accepted and disables the whole check.
#include <set>
#include <string>
#include <vector>

#include "rules/linter.h"

namespace cerniq::rules {

class DisableComments {
 public:
  DisableComments(const std::vector<std::string>& lines, const RuleFile& file);

  // Whether `check` is off for a finding on `line` (1-based).
  bool Disabled(int line, const std::string& check) const;
  // Comments naming a check that does not exist (check "cerniqtool/comment").
  std::vector<LintFinding> Problems(const std::string& path) const;

 private:
  struct Span {
    int first = 0;  // the first comment line above the rule, or its own first line
    int last = 0;   // its last non-blank, non-comment line
    std::set<std::string> disabled;
  };
  struct Comment {
    int line = 0;
    int column = 0;
    bool file_wide = false;
    std::string check;
  };

  std::vector<Comment> comments_;
  std::set<std::string> file_disabled_;
  std::vector<Span> spans_;
};

}  // namespace cerniq::rules
