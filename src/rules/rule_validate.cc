// rulefmt.RuleGroups.Validate and RuleNode.Validate of Prometheus 2.42.
#include <set>

#include "promql/labels.h"
#include "promql/parser.h"
#include "rules/alert_template.h"
#include "rules/go_format.h"
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

// model.LabelValue.IsValid: valid UTF-8.
bool IsValidUtf8(const std::string& s) {
  for (std::size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    std::size_t n = c < 0x80             ? 1
                    : (c & 0xE0) == 0xC0 ? 2
                    : (c & 0xF0) == 0xE0 ? 3
                    : (c & 0xF8) == 0xF0 ? 4
                                         : 0;
    if (n == 0 || i + n > s.size()) return false;
    char32_t cp = n == 1 ? c : n == 2 ? (c & 0x1F) : n == 3 ? (c & 0x0F) : (c & 0x07);
    for (std::size_t k = 1; k < n; ++k) {
      const auto b = static_cast<unsigned char>(s[i + k]);
      if ((b & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (b & 0x3F);
    }
    static constexpr char32_t kMin[] = {0, 0, 0x80, 0x800, 0x10000};
    if (cp < kMin[n] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
    i += n;
  }
  return true;
}

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
    if (!IsValidUtf8(value)) out.push_back({"invalid label value: " + value, {}, {}});
  }
  for (const auto& [name, value] : r.annotations) {
    if (!IsValidLabelName(name)) out.push_back({"invalid annotation name: " + name, {}, {}});
  }
  // rulefmt's testTemplateParsing: only alerting rules' templates are parsed.
  if (r.IsAlerting()) {
    for (const auto& [name, text] : r.labels) {
      if (auto err = CheckAlertTemplate(r.alert, text)) {
        out.push_back({"label " + GoQuote(name) + ": " + *err, {}, {}});
      }
    }
    for (const auto& [name, text] : r.annotations) {
      if (auto err = CheckAlertTemplate(r.alert, text)) {
        out.push_back({"annotation " + GoQuote(name) + ": " + *err, {}, {}});
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
        line += "group " + GoQuote(g.name) + ", rule " + std::to_string(i + 1) + ", " +
                GoQuote(rule.Name()) + ": " + p.message;
        errors.push_back(std::move(line));
      }
    }
  }
  return errors;
}

}  // namespace cerniq::rules
