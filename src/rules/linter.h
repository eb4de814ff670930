#pragma once
// `cerniqtool lint rules`: checks beyond promtool, in the spirit of Cloudflare's pint, against
// the exporter's own metric catalogue (src/catalog): selectors of metrics the exporter does not
// expose, rate()/increase() on gauges or over short windows, histogram misuse, alerts without
// `for` on gauges, templates using labels the expression drops, comparisons that cannot hold.
#include <cstdint>
#include <string>
#include <vector>

#include "rules/rule_file.h"

namespace cerniq::rules {

struct LintFinding {
  std::string file;
  int line = 0;
  int column = 0;
  std::string check;    // e.g. "promql/series"
  std::string message;  // one sentence
  std::string fix;      // empty when there is no mechanical fix
};

struct LintOptions {
  // The scrape interval rules run against; rate windows under 4x this are flagged.
  int64_t scrape_interval_ms = 15 * 1000;
};

// Lints one loaded rule file; `source` is the file's text (to place findings inside `expr`).
std::vector<LintFinding> LintRuleFile(const std::string& path, const std::string& source,
                                      const RuleFile& file, const LintOptions& options);

// "file:line:col: check: message (fix: ...)" per finding.
std::string FormatFindingsText(const std::vector<LintFinding>& findings);
// A JSON array of {file, line, column, check, message, fix}.
std::string FormatFindingsJson(const std::vector<LintFinding>& findings);

// Reads, loads and lints the rule file at `path` (which exists). A file that fails to load has
// promtool's load errors (without the "<path>: " prefix) and no findings.
struct LintFileResult {
  std::vector<std::string> load_errors;
  std::vector<LintFinding> findings;
};
LintFileResult LintRuleFileAt(const std::string& path, const LintOptions& options);

}  // namespace cerniq::rules
