#pragma once
// `check dashboards`: Grafana dashboard JSON against the project's conventions
// (../shared/reference/deployment-conventions.md §5) and every panel query parsed with the
// PromQL parser and linted with the checks of `lint rules` (src/rules/linter.h).
#include <set>
#include <string>
#include <vector>

namespace cerniq::dashboard {

struct DashboardFinding {
  std::string where;    // JSON path, e.g. panels[3].targets[0].expr
  std::string subject;  // `panel "TITLE"` or `variable "NAME"`; empty for the dashboard itself
  std::string check;  // dashboard/structure, dashboard/datasource, promql/parse, promql/series ...
  std::string message;
  std::string fix;
};

struct DashboardReport {
  std::vector<DashboardFinding> findings;
  int panels = 0;
  int queries = 0;
};

struct DashboardCheckOptions {
  // Names recorded by the project's recording rules: dashboards may select them.
  std::set<std::string> recorded;
  long long scrape_interval_ms = 15 * 1000;
};

DashboardReport CheckDashboard(const std::string& json_text, const DashboardCheckOptions& options);

// Grafana's variables made parseable, as lint_dash.py does: $__rate_interval, $__interval and
// $__range (also ${...}) become 5m, a template variable $var / ${var} / ${var:fmt} becomes .*.
// `origin[i]` is the offset in `expr` that produced byte i of the result.
std::string SubstituteGrafanaVariables(const std::string& expr, const std::set<std::string>& vars,
                                       std::vector<int>* origin);

}  // namespace cerniq::dashboard
