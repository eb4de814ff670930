// rulefmt.RuleGroups.Validate and RuleNode.Validate of Prometheus 2.42.
#include <set>

#include "gocompat/quote.h"
#include "gocompat/utf8.h"
#include "promql/labels.h"
#include "promql/parser.h"
#include "rules/alert_template.h"
#include "rules/rule_loader.h"

namespace cerniq::rules {
namespace {

bool IsLetterOrUnderscore(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}
bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// model.IsValidMetricName: ^[a-zA-Z_:][a-zA-Z0-9_:]*$
bool IsValidMetricName(const std::string& s) {
  if (s.empty()) return false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    if (!(IsLetterOrUnderscore(c) || c == ':' || (i > 0 && IsDigit(c)))) return false;
  }
  return true;
}

using promql::IsValidLabelName;  // model.LabelName.IsValid

// parser.ParseExpr's error exactly as Prometheus prints it ("1:38: parse error: unexpected end
// of input"), or nullopt when `expr` parses.
std::optional<std::string> ExpressionError(const std::string& expr) {
  try {
    promql::ParseExpr(expr);
    return std::nullopt;
  } catch (const promql::ParseError& e) {
    return std::string(e.what());
  }
}

// An error of one rule, before the group/rule prefix is added.
struct RuleProblem {
  std::string message;
  std::optional<Position> node;
  std::optional<Position> node_alt;
};

std::vector<RuleProblem> ValidateRule(const Rule& r) {
  std::vector<RuleProblem> out;
  if (!r.record.empty() && !r.alert.empty()) {
    out.push_back({"only one of 'record' and 'alert' must be set", r.record_pos, r.alert_pos});
  }
  if (r.record.empty() && r.alert.empty()) {
    // 2.42 points at the alert node only when record is "0", which cannot be empty: always record.
    out.push_back({"one of 'record' or 'alert' must be set", r.record_pos, std::nullopt});
  }
  if (r.expr.empty()) {
    out.push_back({"field 'expr' must be set in rule", r.expr_pos, std::nullopt});
  } else if (auto err = ExpressionError(r.expr)) {
    out.push_back({"could not parse expression: " + *err, r.expr_pos, std::nullopt});
  }
  if (!r.record.empty()) {
    if (!r.annotations.empty()) {
      out.push_back({"invalid field 'annotations' in recording rule", r.record_pos, {}});
    }
    if (r.for_ms != 0) out.push_back({"invalid field 'for' in recording rule", r.record_pos, {}});
    if (r.keep_firing_for_ms != 0) {
      out.push_back({"invalid field 'keep_firing_for' in recording rule", r.record_pos, {}});
    }
    if (!IsValidMetricName(r.record)) {
      out.push_back({"invalid recording rule name: " + r.record, r.record_pos, {}});
    }
  }
  // Go iterates these maps in random order; we use name order, one of the orders promtool prints.
  for (const auto& [name, value] : r.labels) {
    if (!IsValidLabelName(name) || name == "__name__") {
      out.push_back({"invalid label name: " + name, {}, {}});
    }
    if (!gocompat::ValidString(value)) out.push_back({"invalid label value: " + value, {}, {}});
  }
  for (const auto& [name, value] : r.annotations) {
    if (!IsValidLabelName(name)) out.push_back({"invalid annotation name: " + name, {}, {}});
  }
  // rulefmt's testTemplateParsing: only alerting rules' templates are parsed.
  if (r.IsAlerting()) {
    for (const auto& [name, text] : r.labels) {
      if (auto err = CheckAlertTemplate(r.alert, text)) {
        out.push_back({"label " + gocompat::Quote(name) + ": " + *err, {}, {}});
      }
    }
    for (const auto& [name, text] : r.annotations) {
      if (auto err = CheckAlertTemplate(r.alert, text)) {
        out.push_back({"annotation " + gocompat::Quote(name) + ": " + *err, {}, {}});
      }
    }
  }
  return out;
}

std::string PositionPrefix(const Position& p) {
  return std::to_string(p.line) + ":" + std::to_string(p.column) + ": ";
}

}  // namespace

std::vector<std::string> ValidateRuleFile(const RuleFile& file) {
  std::vector<std::string> errors;
  std::set<std::string> seen;
  for (const auto& g : file.groups) {
    if (g.name.empty())
      errors.push_back(PositionPrefix(g.position) + "Groupname must not be empty");
    if (seen.count(g.name)) {
      errors.push_back(PositionPrefix(g.position) + "groupname: \"" + g.name +
                       "\" is repeated in the same file");
    }
    seen.insert(g.name);
    for (std::size_t i = 0; i < g.rules.size(); ++i) {
      const Rule& rule = g.rules[i];
      for (const auto& p : ValidateRule(rule)) {
        std::string line;
        if (p.node) line += PositionPrefix(*p.node);
        if (p.node && p.node_alt) line += PositionPrefix(*p.node_alt);
        line += "group " + gocompat::Quote(g.name) + ", rule " + std::to_string(i + 1) + ", " +
                gocompat::Quote(rule.Name()) + ": " + p.message;
        errors.push_back(std::move(line));
      }
    }
  }
  return errors;
}

}  // namespace cerniq::rules
