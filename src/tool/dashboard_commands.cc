// `check dashboards [--rules=RULE-FILE]... [--scrape-interval=15s] FILE...`: for each file
// "Checking FILE", then "  SUCCESS: N panels, M queries" on stdout, or "  FAILED:" and one line
// per finding on stderr ("FILE: JSON-PATH[:line:col]: panel "TITLE": CHECK: message (fix: ...)");
// a blank line ends each file; exit 1 when any dashboard has findings.
#include <fstream>
#include <optional>
#include <ostream>
#include <sstream>

#include "dashboard/dashboard_check.h"
#include "gocompat/duration.h"
#include "rules/rule_loader.h"
#include "tool/command.h"
#include "tool/kingpin.h"

namespace cerniq::tool {
namespace {

using dashboard::DashboardFinding;
using dashboard::DashboardReport;

std::string FormatFinding(const std::string& file, const DashboardFinding& f) {
  std::string line = file + ": " + (f.where.empty() ? "(top level)" : f.where) + ": ";
  if (!f.subject.empty()) line += f.subject + ": ";
  line += f.check + ": " + f.message;
  if (!f.fix.empty()) line += " (fix: " + f.fix + ")";
  return line;
}

// The names a rule file records, so dashboards may select them.
bool AddRecordedNames(const std::string& path, std::set<std::string>& names, CommandIO& io) {
  rules::RuleFileResult loaded = rules::LoadRuleFile(path);
  if (!loaded.ok()) {
    for (const auto& e : loaded.errors) io.err << e << "\n";
    return false;
  }
  for (const auto& g : loaded.file->groups) {
    for (const auto& r : g.rules) {
      if (!r.record.empty()) names.insert(r.record);
    }
  }
  return true;
}

int CheckDashboards(const std::vector<std::string>& args, CommandIO& io) {
  auto duration = [](const std::string& value) -> std::optional<std::string> {
    auto d = gocompat::ParseDuration(value);
    if (auto* e = std::get_if<std::string>(&d)) return *e;
    return std::nullopt;
  };
  const std::vector<FlagSpec> flags = {{"rules", 0, false, /*repeatable=*/true, nullptr},
                                       {"scrape-interval", 0, false, false, duration}};
  const ArgSpec files_arg{"dashboard-files", true, nullptr, /*repeatable=*/true};
  auto cl = ParseCommandLine(args, flags, {files_arg}, io.err, "cerniqtool");
  if (!cl) return 1;
  dashboard::DashboardCheckOptions options;
  for (const auto& rules : cl->flags["rules"]) {
    if (!AddRecordedNames(rules, options.recorded, io)) return 1;
  }
  if (auto& interval = cl->flags["scrape-interval"]; !interval.empty())
    options.scrape_interval_ms = std::get<std::int64_t>(gocompat::ParseDuration(interval.back()));
  const std::vector<std::string>& files = cl->arg_lists["dashboard-files"];
  bool failed = false;
  for (const auto& file : files) {
    io.out << "Checking " << file << "\n";
    std::ifstream in(file, std::ios::binary);
    DashboardReport report;
    if (!in) {
      report.findings.push_back({"", "", "dashboard/file", "cannot read the file", ""});
    } else {
      std::ostringstream text;
      text << in.rdbuf();
      report = dashboard::CheckDashboard(text.str(), options);
    }
    if (report.findings.empty()) {
      io.out << "  SUCCESS: " << report.panels << " panels, " << report.queries << " queries\n";
    } else {
      failed = true;
      io.out.flush();
      io.err << "  FAILED:\n";
      for (const auto& f : report.findings) io.err << FormatFinding(file, f) << "\n";
      io.err.flush();
    }
    io.out << "\n";
  }
  return failed ? 1 : 0;
}

}  // namespace

void AddDashboardCommands(std::vector<Command>& commands) {
  commands.push_back(
      {{"check", "dashboards"},
       "[--rules=RULE-FILE]... [--scrape-interval=15s] DASHBOARD-FILE...",
       "Check Grafana dashboards: structure, datasource variable, every query parsed and linted.",
       CheckDashboards});
}

}  // namespace cerniq::tool
