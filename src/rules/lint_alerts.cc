#include "rules/lint_alerts.h"

#include <algorithm>
#include <cctype>

#include "promql/function_defs.h"
#include "promql/lexer.h"

namespace cerniq::rules {
namespace {

using promql::Expr;
using promql::NodeKind;

constexpr const char* kAnnotation = "alerts/annotation";
constexpr const char* kComparison = "alerts/comparison";

// What an alert query's result depends on, worst first (the order Best/Worst compare).
enum class Condition {
  kAlways,    // returns a result whatever the data (vector(1))
  kNone,      // returns every series it selects
  kBool,      // a `bool` comparison: every series, valued 0 or 1
  kAbsent,    // absent()/absent_over_time(): fires when the series are missing, by design
  kFiltered,  // a comparison (or and/unless) keeps only some series
};

bool Good(Condition c) { return c == Condition::kAbsent || c == Condition::kFiltered; }
Condition Best(Condition a, Condition b) { return std::max(a, b); }
Condition Worst(Condition a, Condition b) { return std::min(a, b); }

bool IsVectorLike(const Expr& e) {
  const auto t = e.Type();
  return t == promql::ValueType::kVector || t == promql::ValueType::kMatrix;
}

Condition ConditionOf(const Expr& e);

Condition BinaryCondition(const promql::BinaryExpr& b) {
  using promql::Tok;
  if (promql::IsComparison(b.op)) return b.return_bool ? Condition::kBool : Condition::kFiltered;
  if (b.op == Tok::kLunless) return Condition::kFiltered;
  const Condition l = ConditionOf(*b.lhs), r = ConditionOf(*b.rhs);
  if (b.op == Tok::kLor) return Worst(l, r);
  // `and` and arithmetic between vectors keep only series both sides have; with a scalar side
  // the result is the vector side's.
  if (!IsVectorLike(*b.lhs)) return r;
  if (!IsVectorLike(*b.rhs)) return l;
  return Best(l, r);
}

Condition ConditionOf(const Expr& e) {
  switch (e.kind) {
    case NodeKind::kParen:
      return ConditionOf(*static_cast<const promql::ParenExpr&>(e).expr);
    case NodeKind::kUnary:
      return ConditionOf(*static_cast<const promql::UnaryExpr&>(e).expr);
    case NodeKind::kSubquery:
      return ConditionOf(*static_cast<const promql::SubqueryExpr&>(e).expr);
    case NodeKind::kAggregate:
      return ConditionOf(*static_cast<const promql::AggregateExpr&>(e).expr);
    case NodeKind::kBinary:
      return BinaryCondition(static_cast<const promql::BinaryExpr&>(e));
    case NodeKind::kCall: {
      const auto& c = static_cast<const promql::Call&>(e);
      const std::string name = c.func ? c.func->name : "";
      if (name == "absent" || name == "absent_over_time") return Condition::kAbsent;
      std::optional<Condition> best;
      for (const auto& a : c.args) {
        if (IsVectorLike(*a)) best = best ? Best(*best, ConditionOf(*a)) : ConditionOf(*a);
      }
      return best.value_or(Condition::kAlways);  // vector(1), time(), ...
    }
    case NodeKind::kVectorSelector:
    case NodeKind::kMatrixSelector:
      return Condition::kNone;
    default:
      return Condition::kAlways;
  }
}

// The parts of a top-level `or`: each one alone can make the alert fire.
void OrParts(const Expr& e, std::vector<const Expr*>& parts) {
  const Expr* inner = &e;
  while (inner->kind == NodeKind::kParen)
    inner = static_cast<const promql::ParenExpr&>(*inner).expr.get();
  if (inner->kind == NodeKind::kBinary) {
    const auto& b = static_cast<const promql::BinaryExpr&>(*inner);
    if (b.op == promql::Tok::kLor) {
      OrParts(*b.lhs, parts);
      OrParts(*b.rhs, parts);
      return;
    }
  }
  parts.push_back(&e);
}

std::string ConditionMessage(Condition c, bool one_part) {
  switch (c) {
    case Condition::kAlways:
      return one_part ? "This query will always return a result and so this alert will always "
                        "fire."
                      : "If other parts of this query don't return anything then this part will "
                        "always return a result and so this alert will fire.";
    case Condition::kBool:
      return "Results of this query are using the `bool` modifier, which means it will always "
             "return a result and the alert will always fire.";
    default:
      return "This query doesn't have any condition and so this alert will always fire if it "
             "matches anything.";
  }
}

// The position of `key:` among the rule's lines, else the rule's name.
Position KeyPosition(const RuleLintContext& ctx, const std::string& key) {
  const auto& lines = ctx.lines();
  const auto first = static_cast<std::size_t>(std::max(ctx.rule().position.line - 1, 0));
  for (std::size_t i = first; i < lines.size() && i < first + 200; ++i) {
    const auto at = lines[i].find(key + ":");
    if (at != std::string::npos && (at == 0 || !std::isalnum(lines[i][at - 1]))) {
      return {static_cast<int>(i) + 1, static_cast<int>(at) + 1};
    }
  }
  return ctx.rule().alert_pos;
}

}  // namespace

bool IsAbsoluteHttpUrl(std::string_view url) {
  std::string lower(url.substr(0, 8));
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  std::size_t host = 0;
  if (lower.starts_with("https://")) {
    host = 8;
  } else if (lower.starts_with("http://")) {
    host = 7;
  } else {
    return false;
  }
  const auto host_end = url.find_first_of("/?#", host);
  const std::string_view authority = url.substr(host, host_end - host);
  if (authority.empty() || authority.find_first_of(" \t{}") != std::string_view::npos) {
    return false;
  }
  // Outside {{ templates }}, a URL has no blanks or control characters.
  for (std::size_t i = host; i < url.size(); ++i) {
    if (url.substr(i, 2) == "{{") {
      const auto close = url.find("}}", i + 2);
      if (close == std::string_view::npos) return false;
      i = close + 1;
    } else if (static_cast<unsigned char>(url[i]) <= ' ') {
      return false;
    }
  }
  return true;
}

void CheckAnnotations(const RuleLintContext& ctx) {
  const Rule& rule = ctx.rule();
  if (!rule.IsAlerting()) return;
  for (const auto& name : ctx.options().required_annotations) {
    auto it = rule.annotations.find(name);
    if (it == rule.annotations.end() || it->second.empty()) {
      ctx.ReportAt(rule.alert_pos, Severity::kWarning, kAnnotation,
                   "`" + name + "` annotation is required.",
                   "add annotations: {" + name + ": ...} to alert " + rule.alert);
    }
  }
  auto url = rule.annotations.find("runbook_url");
  if (url != rule.annotations.end() && !url->second.empty() && !IsAbsoluteHttpUrl(url->second)) {
    ctx.ReportAt(KeyPosition(ctx, "runbook_url"), Severity::kBug, kAnnotation,
                 "`runbook_url` annotation value must be an absolute http(s) URL, got `" +
                     url->second + "`.",
                 "use https://<host>/<runbook>#<section>");
  }
}

void CheckAlertCondition(const Expr& root, const RuleLintContext& ctx) {
  if (!ctx.rule().IsAlerting()) return;
  std::vector<const Expr*> parts;
  OrParts(root, parts);
  for (const Expr* part : parts) {
    const Condition c = ConditionOf(*part);
    if (Good(c)) continue;
    ctx.Report(part->Range().start, Severity::kWarning, kComparison,
               ConditionMessage(c, parts.size() == 1),
               c == Condition::kBool ? "drop the bool modifier" : "add a condition, e.g. `> 0`");
  }
}

}  // namespace cerniq::rules
