#include "rules/lint_duplicate.h"

#include <map>
#include <tuple>

#include "promql/parser.h"

namespace cerniq::rules {
namespace {

// The query as the parser prints it, so spacing and line breaks do not hide a copy.
std::string CanonicalQuery(const std::string& expr) {
  try {
    return promql::ParseExpr(expr)->String();
  } catch (const std::exception&) {
    return expr;
  }
}

struct FirstSeen {
  std::string path;
  int line = 0;
  std::string query;
};

}  // namespace

std::vector<LintFinding> FindDuplicateRules(const std::vector<LintInput>& files) {
  using Key = std::tuple<bool, std::string, std::map<std::string, std::string>, std::string>;
  std::map<Key, FirstSeen> seen;
  std::vector<LintFinding> out;
  for (const auto& f : files) {
    for (const auto& g : f.file.groups) {
      for (const auto& r : g.rules) {
        const bool alerting = r.IsAlerting();
        const std::string query = CanonicalQuery(r.expr);
        // Alerts with the same name and labels but another query are distinct rules; recording
        // rules are not: they would write the same series.
        Key key{alerting, r.Name(), r.labels, alerting ? query : ""};
        const Position at = alerting ? r.alert_pos : r.record_pos;
        auto [it, fresh] = seen.try_emplace(key, FirstSeen{f.path, at.line, query});
        if (fresh) continue;
        const std::string where = it->second.path + ":" + std::to_string(it->second.line);
        std::string message;
        if (alerting) {
          message = "Duplicated rule, identical rule found in the `" + r.alert + "` alert at `" +
                    where + "`.";
        } else if (query == it->second.query) {
          message = "Duplicated rule, identical rule found at " + where + ".";
        } else {
          message = "Recording rule `" + r.record + "` with the same labels is also defined at " +
                    where +
                    " with another query: both write the same series and Prometheus drops "
                    "one of the samples.";
        }
        out.push_back({f.path, at.line, at.column, "rule/duplicate", message,
                       "remove one of them, or give them different labels", Severity::kBug});
      }
    }
  }
  return out;
}

}  // namespace cerniq::rules
