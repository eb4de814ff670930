#include "dashboard/dashboard_check.h"

#include <nlohmann/json.hpp>

#include <regex>

#include "promql/parser.h"
#include "rules/linter.h"

namespace cerniq::dashboard {
namespace {

using nlohmann::json;

constexpr int kMaxSchemaVersion = 39;

bool UsesDatasourceVariable(const json& ds) {
  if (!ds.is_object() || !ds.contains("uid") || !ds["uid"].is_string()) return false;
  const std::string uid = ds["uid"];
  return uid == "${datasource}" || uid == "$datasource";
}

std::string Describe(const json& v) { return v.is_null() ? "none" : v.dump(); }

// 1-based line:col of byte `offset` in `text`.
std::string LineCol(const std::string& text, std::size_t offset) {
  int line = 1, col = 1;
  for (std::size_t i = 0; i < offset && i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++line, col = 1;
    } else {
      ++col;
    }
  }
  return std::to_string(line) + ":" + std::to_string(col);
}

// Byte offset of 1-based line/col in `text`.
std::size_t OffsetOf(const std::string& text, int line, int col) {
  std::size_t off = 0;
  for (int l = 1; l < line && off < text.size(); ++off) {
    if (text[off] == '\n') ++l;
  }
  return std::min(text.size(), off + static_cast<std::size_t>(std::max(col - 1, 0)));
}

class DashboardChecker {
 public:
  explicit DashboardChecker(const DashboardCheckOptions& options) : options_(options) {}

  DashboardReport Run(const std::string& text) {
    json d;
    try {
      d = json::parse(text);
    } catch (const json::parse_error& e) {
      Add("", "", "dashboard/json", std::string("not valid JSON: ") + e.what());
      return report_;
    }
    if (!d.is_object()) {
      Add("", "", "dashboard/json", "the top level is not a JSON object");
      return report_;
    }
    CheckTopLevel(d);
    CheckVariables(d);
    if (d.contains("panels") && d["panels"].is_array()) WalkPanels(d["panels"], "panels");
    return report_;
  }

 private:
  void Add(std::string where, std::string subject, std::string check, std::string message,
           std::string fix = "") {
    report_.findings.push_back({std::move(where), std::move(subject), std::move(check),
                                std::move(message), std::move(fix)});
  }

  void CheckTopLevel(const json& d) {
    for (const char* key : {"uid", "title", "schemaVersion", "panels", "templating"}) {
      if (!d.contains(key)) Add(key, "", "dashboard/structure", std::string("missing ") + key);
    }
    if (d.contains("__inputs")) {
      Add("__inputs", "", "dashboard/structure",
          "__inputs is present: file provisioning and the Grafana sidecar never resolve ${DS_*}",
          "drop __inputs and use a datasource variable with uid ${datasource}");
    }
    if (d.contains("id") && !d["id"].is_null()) {
      Add("id", "", "dashboard/structure", "a top-level id must be omitted or null");
    }
    if (d.contains("uid") && d["uid"].is_string() && d["uid"].get<std::string>().size() > 40) {
      Add("uid", "", "dashboard/structure", "uid is longer than 40 characters");
    }
    if (d.contains("schemaVersion")) {
      const json& sv = d["schemaVersion"];
      if (!sv.is_number_integer()) {
        Add("schemaVersion", "", "dashboard/structure", "schemaVersion is not an integer");
      } else if (sv.get<long long>() > kMaxSchemaVersion) {
        Add("schemaVersion", "", "dashboard/structure",
            "schemaVersion " + sv.dump() + " is above 39: Grafana 10/11 never migrates down",
            "set schemaVersion to 39");
      }
    }
  }

  void CheckVariables(const json& d) {
    const json* list = nullptr;
    if (d.contains("templating") && d["templating"].is_object() &&
        d["templating"].contains("list") && d["templating"]["list"].is_array()) {
      list = &d["templating"]["list"];
    }
    bool has_datasource = false, has_queue = false;
    if (list) {
      for (const auto& v : *list) {
        if (!v.is_object() || !v.contains("name") || !v["name"].is_string()) continue;
        const std::string name = v["name"];
        variables_.insert(name);
        const std::string type = v.value("type", "");
        has_datasource |= name == "datasource" && type == "datasource";
        has_queue |= name == "queue";
      }
    }
    if (!has_datasource) {
      Add("templating.list", "", "dashboard/datasource",
          "no template variable \"datasource\" of type \"datasource\"",
          "add {\"name\": \"datasource\", \"type\": \"datasource\", \"query\": \"prometheus\"}");
    }
    if (!has_queue) {
      Add("templating.list", "", "dashboard/structure",
          "no template variable \"queue\" (panels filter with queue=~\"$queue\")");
    }
    if (!list) return;
    for (std::size_t i = 0; i < list->size(); ++i) {
      const json& v = (*list)[i];
      if (!v.is_object() || v.value("type", "") != "query") continue;
      const std::string where = "templating.list[" + std::to_string(i) + "]";
      const std::string label = "variable \"" + v.value("name", std::string("?")) + "\"";
      if (!UsesDatasourceVariable(v.value("datasource", json()))) {
        Add(where + ".datasource", label, "dashboard/datasource",
            "datasource " + Describe(v.value("datasource", json())) + " is not ${datasource}",
            "use {\"type\": \"prometheus\", \"uid\": \"${datasource}\"}");
      }
      CheckVariableQuery(v.value("query", json()), where + ".query", label);
    }
  }

  void CheckVariableQuery(const json& q, const std::string& where, const std::string& label) {
    std::string text;
    if (q.is_object() && q.contains("query") && q["query"].is_string()) text = q["query"];
    if (q.is_string()) text = q;
    static const std::regex kLabelValues(R"(^\s*label_values\(([\s\S]*),\s*\w+\s*\)\s*$)");
    static const std::regex kQueryResult(R"(^\s*query_result\(([\s\S]*)\)\s*$)");
    static const std::regex kNoPromql(
        R"(^\s*(label_values\(\s*\w+\s*\)|label_names\([\s\S]*\)|metrics\([\s\S]*\))\s*$)");
    std::smatch m;
    if (std::regex_match(text, m, kLabelValues) || std::regex_match(text, m, kQueryResult)) {
      CheckQuery(m[1].str(), where, label, text, static_cast<std::size_t>(m.position(1)));
    } else if (!text.empty() && !std::regex_match(text, kNoPromql)) {
      CheckQuery(text, where, label);
    }
  }

  void WalkPanels(const json& panels, const std::string& path) {
    for (std::size_t i = 0; i < panels.size(); ++i) {
      const json& p = panels[i];
      const std::string where = path + "[" + std::to_string(i) + "]";
      if (!p.is_object()) {
        Add(where, "", "dashboard/structure", "a panel is not a JSON object");
        continue;
      }
      ++report_.panels;
      const std::string title = "panel \"" + p.value("title", std::string()) + "\"";
      const std::string type = p.value("type", std::string());
      if (!p.contains("id") || !p["id"].is_number_integer()) {
        Add(where, title, "dashboard/structure", "the panel has no integer id");
      } else if (!panel_ids_.insert(p["id"].get<long long>()).second) {
        Add(where + ".id", title, "dashboard/structure",
            "panel id " + p["id"].dump() + " is used by another panel");
      }
      if (!p.contains("gridPos")) Add(where, title, "dashboard/structure", "no gridPos");
      if (type != "row" && type != "text" &&
          !UsesDatasourceVariable(p.value("datasource", json()))) {
        Add(where + ".datasource", title, "dashboard/datasource",
            "datasource " + Describe(p.value("datasource", json())) + " is not ${datasource}",
            "use {\"type\": \"prometheus\", \"uid\": \"${datasource}\"}");
      }
      if (p.contains("targets") && p["targets"].is_array())
        CheckTargets(p["targets"], where, title);
      if (p.contains("panels") && p["panels"].is_array())
        WalkPanels(p["panels"], where + ".panels");
    }
  }

  void CheckTargets(const json& targets, const std::string& panel_path, const std::string& title) {
    for (std::size_t j = 0; j < targets.size(); ++j) {
      const json& t = targets[j];
      if (!t.is_object()) continue;
      const std::string where = panel_path + ".targets[" + std::to_string(j) + "]";
      if (t.contains("datasource") && !UsesDatasourceVariable(t["datasource"])) {
        Add(where + ".datasource", title, "dashboard/datasource",
            "datasource " + Describe(t["datasource"]) + " is not ${datasource}",
            "use {\"type\": \"prometheus\", \"uid\": \"${datasource}\"}");
      }
      if (t.contains("expr") && t["expr"].is_string() && !t["expr"].get<std::string>().empty()) {
        CheckQuery(t["expr"], where + ".expr", title);
      }
    }
  }

  // Parses and lints one query; findings point into the query as written in the JSON: `expr`
  // starts at byte `base` of `written` (a variable's label_values(...) around it), if given.
  void CheckQuery(const std::string& expr, const std::string& where, const std::string& title,
                  const std::string& written = "", std::size_t base = 0) {
    const std::string& json_text = written.empty() ? expr : written;
    ++report_.queries;
    static const std::regex kUnknownVar(R"(\$\{?(\w+))");
    std::vector<int> origin;
    const std::string checked = SubstituteGrafanaVariables(expr, variables_, &origin);
    for (std::sregex_iterator it(checked.begin(), checked.end(), kUnknownVar), end; it != end;
         ++it) {
      const auto at = static_cast<std::size_t>(origin[static_cast<std::size_t>(it->position())]);
      Add(where + ":" + LineCol(json_text, base + at), title, "dashboard/variable",
          "$" + (*it)[1].str() + " is not a template variable of this dashboard");
    }
    try {
      promql::ParseExpr(checked);
    } catch (const promql::ParseError& e) {
      Add(where, title, "promql/parse", e.what() + std::string(" in: ") + checked);
      return;
    }
    for (const auto& f : LintQuery(checked)) {
      const std::size_t at = OffsetOf(checked, f.line, f.column);
      const auto orig = at < origin.size() ? static_cast<std::size_t>(origin[at]) : expr.size();
      Add(where + ":" + LineCol(json_text, base + orig), title, f.check, f.message, f.fix);
    }
  }

  // The linter of `lint rules` on the query as a recording rule. The recorded names are added as
  // rules without an expression: the linter knows them as series and skips them.
  std::vector<rules::LintFinding> LintQuery(const std::string& expr) const {
    rules::RuleGroup group;
    group.name = "dashboard";
    rules::Rule query;
    query.record = "dashboard:query";
    query.expr = expr;
    query.expr_pos = {1, 1};
    group.rules.push_back(query);
    for (const auto& name : options_.recorded) {
      rules::Rule known;
      known.record = name;
      group.rules.push_back(known);
    }
    rules::RuleFile file;
    file.groups.push_back(std::move(group));
    rules::LintOptions lint;
    lint.scrape_interval_ms = options_.scrape_interval_ms;
    // Template variables become `=~".*"` here, and the recorded names stand alone: the regexp
    // and duplicate checks would only see those stand-ins.
    lint.disabled_checks = {"promql/regexp", "rule/duplicate"};
    return rules::LintRuleFile("", expr, file, lint);
  }

  const DashboardCheckOptions& options_;
  DashboardReport report_;
  std::set<std::string> variables_;
  std::set<long long> panel_ids_;
};

}  // namespace

std::string SubstituteGrafanaVariables(const std::string& expr, const std::set<std::string>& vars,
                                       std::vector<int>* origin) {
  static const std::regex kVar(R"(\$\{(\w+)(?::\w+)?\}|\$(\w+))");
  std::string out;
  origin->clear();
  auto copy = [&](std::size_t from, std::size_t to) {
    for (std::size_t i = from; i < to; ++i) {
      out += expr[i];
      origin->push_back(static_cast<int>(i));
    }
  };
  std::size_t done = 0;
  for (std::sregex_iterator it(expr.begin(), expr.end(), kVar), end; it != end; ++it) {
    const auto at = static_cast<std::size_t>(it->position());
    const std::string name = (*it)[1].matched ? (*it)[1].str() : (*it)[2].str();
    std::string replacement;
    if (name == "__rate_interval" || name == "__interval" || name == "__range") {
      replacement = "5m";
    } else if (vars.count(name)) {
      replacement = ".*";
    } else {
      continue;  // left as written: the caller reports it
    }
    copy(done, at);
    for (char c : replacement) {
      out += c;
      origin->push_back(static_cast<int>(at));
    }
    done = at + static_cast<std::size_t>(it->length());
  }
  copy(done, expr.size());
  origin->push_back(static_cast<int>(expr.size()));  // one past the end
  return out;
}

DashboardReport CheckDashboard(const std::string& json_text, const DashboardCheckOptions& options) {
  return DashboardChecker(options).Run(json_text);
}

}  // namespace cerniq::dashboard
