// `check dashboards [--rules=RULE-FILE]... [--scrape-interval=15s] FILE...`: for each file
// "Checking FILE", then "  SUCCESS: N panels, M queries" on stdout, or "  FAILED:" and one line
// per finding on stderr ("FILE: JSON-PATH[:line:col]: panel "TITLE": CHECK: message (fix: ...)");
// a blank line ends each file; exit 1 when any dashboard has findings.
#include <fstream>
#include <ostream>
#include <sstream>

#include "dashboard/dashboard_check.h"
#include "rules/go_duration.h"
#include "rules/rule_loader.h"
#include "tool/command.h"
#include "tool/kingpin.h"

namespace cerniq::tool {
namespace {

using dashboard::DashboardFinding;
using dashboard::DashboardReport;

int UsageError(CommandIO& io, const std::string& message) {
  return tool::UsageError(io.err, "cerniqtool", message);
}

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
  dashboard::DashboardCheckOptions options;
  std::vector<std::string> files;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a == "--") continue;
    if (a.rfind("--", 0) != 0) {
      files.push_back(a);
      continue;
    }
    const auto eq = a.find('=');
    const std::string name = a.substr(2, eq == std::string::npos ? std::string::npos : eq - 2);
    if (name != "rules" && name != "scrape-interval") {
      return UsageError(io, "unknown long flag '--" + name + "'");
    }
    std::string value;
    if (eq != std::string::npos) {
      value = a.substr(eq + 1);
    } else if (i + 1 < args.size()) {
      value = args[++i];
    } else {
      return UsageError(io, "expected argument for flag '--" + name + "'");
    }
    if (name == "rules") {
      if (!AddRecordedNames(value, options.recorded, io)) return 1;
    } else {
      auto d = rules::ParsePromDuration(value);
      if (auto* e = std::get_if<std::string>(&d)) return UsageError(io, *e);
      options.scrape_interval_ms = std::get<rules::DurationMs>(d);
    }
  }
  if (files.empty()) return UsageError(io, "required argument 'dashboard-files' not provided");
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
