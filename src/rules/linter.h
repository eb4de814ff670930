#pragma once
// `cerniqtool lint rules`: checks beyond promtool, in the spirit of Cloudflare's pint, against
// the exporter's own metric catalogue (src/catalog): selectors of metrics the exporter does not
// expose, rate()/increase() on gauges or over short windows, histogram misuse, alerts without
// `for` on gauges, templates using labels the expression drops, comparisons that cannot hold.
#include <cstdint>
#include <ostream>
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

// `lint rules [--format=text|json] [--scrape-interval=15s] FILE...`: files that fail to load
// print promtool's errors; exit 1 when anything was found or failed, else 0.
int RunLintRulesCommand(const std::vector<std::string>& args, std::ostream& out, std::ostream& err,
                        const std::string& program = "cerniqtool");

}  // namespace cerniq::rules
