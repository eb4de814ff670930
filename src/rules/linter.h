#pragma once
// `cerniqtool lint rules`: checks beyond promtool, with Cloudflare pint's check names and meaning
// where they apply offline, against the exporter's own metric catalogue (src/catalog):
//   promql/series, promql/rate, promql/histogram, promql/impossible, promql/regexp,
//   promql/counter, alerts/annotation, alerts/comparison, alerts/template,
//   alerts/gauge-without-for, rule/duplicate.
// `# cerniqtool disable <check>` comments switch a check off for one rule (on the comment lines
// right above the rule or inside it), `# cerniqtool file/disable <check>` (anywhere) or
// `# cerniqtool disable <check>` in the file's leading comment block for the whole file.
#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "rules/rule_file.h"

namespace cerniq::rules {

// pint's severities, lowest first.
enum class Severity { kInfo, kWarning, kBug };
std::string_view SeverityName(Severity s);  // "info", "warning", "bug"
std::optional<Severity> ParseSeverity(std::string_view name);

// Every check name the linter reports (what disable comments may name).
const std::vector<std::string_view>& LintCheckNames();

struct LintFinding {
  std::string file;
  int line = 0;
  int column = 0;
  std::string check;    // e.g. "promql/series"
  std::string message;  // one sentence
  std::string fix;      // empty when there is no mechanical fix
  Severity severity = Severity::kWarning;
};

struct LintOptions {
  // The scrape interval rules run against; rate windows under 4x this are flagged.
  int64_t scrape_interval_ms = 15 * 1000;
  // Annotations every alert must have (alerts/annotation); `runbook_url`, when set, must also be
  // an absolute http(s) URL.
  std::vector<std::string> required_annotations = {"summary", "runbook_url"};
  // Checks switched off everywhere (as pint's `checks { disabled = [...] }`).
  std::set<std::string> disabled_checks;
};

// One loaded rule file; `source` is its text (to place findings and read disable comments).
struct LintInput {
  const std::string& path;
  const std::string& source;
  const RuleFile& file;
};

// Lints rule files together (rule/duplicate looks across them); findings come sorted by file
// (in the given order), line and column, without those a disable comment switches off.
std::vector<LintFinding> LintRuleFiles(const std::vector<LintInput>& files,
                                       const LintOptions& options);
// The same for one file.
std::vector<LintFinding> LintRuleFile(const std::string& path, const std::string& source,
                                      const RuleFile& file, const LintOptions& options);

// "file:line:col: severity: check: message (fix: ...)" per finding.
std::string FormatFindingsText(const std::vector<LintFinding>& findings);
// A JSON array of {file, line, column, severity, check, message, fix}.
std::string FormatFindingsJson(const std::vector<LintFinding>& findings);

// Reads, loads and lints the rule files at `paths` (which exist). A file that fails to load has
// promtool's load errors (without the "<path>: " prefix) in `load_errors[path]` and no findings.
struct LintFilesResult {
  std::vector<std::pair<std::string, std::vector<std::string>>> load_errors;  // in file order
  std::vector<LintFinding> findings;
};
LintFilesResult LintRuleFilesAt(const std::vector<std::string>& paths, const LintOptions& options);

}  // namespace cerniq::rules
