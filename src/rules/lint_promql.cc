#include "rules/lint_promql.h"

#include <cctype>
#include <cstring>
#include <functional>
#include <optional>

#include "catalog/catalog.h"
#include "promql/function_defs.h"
#include "promql/lexer.h"
#include "promql/matcher.h"

namespace cerniq::rules {
namespace {

using promql::Expr;
using promql::MatchType;
using promql::NodeKind;

constexpr const char* kRegexp = "promql/regexp";
constexpr const char* kCounter = "promql/counter";

bool IsMeta(char c) { return c != '\0' && std::strchr(".[]{}()*+?^$|", c) != nullptr; }

// The string a regexp matches when it is a plain literal (`foo`, `foo\.bar`); nullopt when it
// uses any regexp syntax. Escapes of letters and digits (\d, \pL, \x41) count as syntax.
std::optional<std::string> LiteralValue(std::string_view re) {
  std::string out;
  for (std::size_t i = 0; i < re.size(); ++i) {
    const char c = re[i];
    if (c == '\\') {
      if (i + 1 >= re.size()) return std::nullopt;
      const auto d = static_cast<unsigned char>(re[++i]);
      if (std::isalnum(d) || d >= 0x80) return std::nullopt;
      out += static_cast<char>(d);
    } else if (IsMeta(c)) {
      return std::nullopt;
    } else {
      out += c;
    }
  }
  return out;
}

// True when `|` splits the regexp at its top level, where `^`/`$` anchor one branch only.
bool HasTopLevelAlternation(std::string_view re) {
  int depth = 0;
  bool in_class = false;
  for (std::size_t i = 0; i < re.size(); ++i) {
    const char c = re[i];
    if (c == '\\') {
      ++i;
    } else if (in_class) {
      in_class = c != ']';
    } else if (c == '[') {
      in_class = true;
    } else if (c == '(') {
      ++depth;
    } else if (c == ')') {
      --depth;
    } else if (c == '|' && depth == 0) {
      return true;
    }
  }
  return false;
}

// A trailing `$` that is not escaped (an even number of backslashes before it).
bool EndsWithAnchor(std::string_view re) {
  if (re.empty() || re.back() != '$') return false;
  std::size_t slashes = 0;
  for (std::size_t i = re.size() - 1; i > 0 && re[i - 1] == '\\'; --i) ++slashes;
  return slashes % 2 == 0;
}

std::string Quoted(const std::string& name, std::string_view op, const std::string& value) {
  return promql::Matcher(op == "=" ? MatchType::kEqual : MatchType::kNotEqual, name, value)
      .String();
}

std::string RegexpMatcher(const std::string& name, MatchType type, const std::string& value) {
  return promql::Matcher(type, name, value).String();
}

// The metric name and the selector's other matchers, as a selector.
std::string SelectorWithout(const promql::VectorSelector& vs, const promql::Matcher& skip) {
  std::string inner;
  for (const auto& m : vs.matchers) {
    if (&m == &skip || (m.name() == "__name__" && !vs.name.empty())) continue;
    inner += (inner.empty() ? "" : ", ") + m.String();
  }
  if (inner.empty()) return vs.name.empty() ? "{}" : vs.name;
  return vs.name + "{" + inner + "}";
}

// Where the matcher `name=~`/`name!~` starts inside the selector's text.
int MatcherOffset(const std::string& expr, const promql::VectorSelector& vs,
                  const promql::Matcher& m) {
  const auto end = std::min<std::size_t>(static_cast<std::size_t>(vs.pos.end), expr.size());
  for (auto at = expr.find(m.name(), static_cast<std::size_t>(vs.pos.start));
       at != std::string::npos && at < end; at = expr.find(m.name(), at + 1)) {
    std::size_t k = at + m.name().size();
    while (k < end && (expr[k] == ' ' || expr[k] == '\t' || expr[k] == '\n')) ++k;
    if (k + 1 < end && (expr[k] == '=' || expr[k] == '!') && expr[k + 1] == '~') {
      return static_cast<int>(at);
    }
  }
  return vs.pos.start;
}

void WalkSelectors(const Expr& e, const std::function<void(const promql::VectorSelector&)>& f) {
  switch (e.kind) {
    case NodeKind::kVectorSelector:
      f(static_cast<const promql::VectorSelector&>(e));
      return;
    case NodeKind::kMatrixSelector:
      f(static_cast<const promql::MatrixSelector&>(e).selector());
      return;
    case NodeKind::kSubquery:
      WalkSelectors(*static_cast<const promql::SubqueryExpr&>(e).expr, f);
      return;
    case NodeKind::kCall:
      for (const auto& a : static_cast<const promql::Call&>(e).args) WalkSelectors(*a, f);
      return;
    case NodeKind::kAggregate: {
      const auto& a = static_cast<const promql::AggregateExpr&>(e);
      if (a.param) WalkSelectors(*a.param, f);
      WalkSelectors(*a.expr, f);
      return;
    }
    case NodeKind::kBinary: {
      const auto& b = static_cast<const promql::BinaryExpr&>(e);
      WalkSelectors(*b.lhs, f);
      WalkSelectors(*b.rhs, f);
      return;
    }
    case NodeKind::kUnary:
      WalkSelectors(*static_cast<const promql::UnaryExpr&>(e).expr, f);
      return;
    case NodeKind::kParen:
      WalkSelectors(*static_cast<const promql::ParenExpr&>(e).expr, f);
      return;
    default:
      return;
  }
}

// pint's list: functions whose result does not depend on a counter's absolute value.
bool IsCounterSafeFunction(std::string_view name) {
  static const std::set<std::string_view> kSafe = {
      "absent", "absent_over_time", "present_over_time", "changes",
      "resets", "count_over_time",  "increase",          "irate",
      "rate",   "timestamp"};
  return kSafe.count(name) > 0;
}

class CounterWalker {
 public:
  CounterWalker(const RuleLintContext& ctx, const std::set<std::string>& recorded)
      : ctx_(ctx), recorded_(recorded) {}

  void Walk(const Expr& e, bool safe) {
    switch (e.kind) {
      case NodeKind::kVectorSelector:
        if (!safe) Check(static_cast<const promql::VectorSelector&>(e));
        return;
      case NodeKind::kMatrixSelector:
        if (!safe) Check(static_cast<const promql::MatrixSelector&>(e).selector());
        return;
      case NodeKind::kSubquery:
        Walk(*static_cast<const promql::SubqueryExpr&>(e).expr, safe);
        return;
      case NodeKind::kCall: {
        const auto& c = static_cast<const promql::Call&>(e);
        const bool s = safe || (c.func && IsCounterSafeFunction(c.func->name));
        for (const auto& a : c.args) Walk(*a, s);
        return;
      }
      case NodeKind::kAggregate: {
        const auto& a = static_cast<const promql::AggregateExpr&>(e);
        if (a.param) Walk(*a.param, safe);
        Walk(*a.expr, safe || a.op == promql::Tok::kCount || a.op == promql::Tok::kGroup);
        return;
      }
      case NodeKind::kBinary: {
        const auto& b = static_cast<const promql::BinaryExpr&>(e);
        Walk(*b.lhs, safe);
        Walk(*b.rhs, safe || b.op == promql::Tok::kLunless);
        return;
      }
      case NodeKind::kUnary:
        Walk(*static_cast<const promql::UnaryExpr&>(e).expr, safe);
        return;
      case NodeKind::kParen:
        Walk(*static_cast<const promql::ParenExpr&>(e).expr, safe);
        return;
      default:
        return;
    }
  }

 private:
  void Check(const promql::VectorSelector& vs) {
    if (vs.name.empty() || recorded_.count(vs.name) || !done_.insert(vs.name).second) return;
    std::string why;
    if (const catalog::Metric* m = catalog::Find(vs.name)) {
      if (m->type != catalog::Type::kCounter) return;
      why = "is a counter in cerniq_exporter's metric catalogue";
    } else if (vs.name.size() > 6 && vs.name.ends_with("_total")) {
      why = "is named like a counter (_total)";
    } else {
      return;
    }
    ctx_.Report(vs.pos.start, Severity::kWarning, kCounter,
                "`" + vs.name + "` " + why +
                    ", it can be dangerous to use its value directly: it only grows, and starts "
                    "again from 0 when its process restarts.",
                "use rate(" + vs.name + "[5m]) or increase(" + vs.name + "[1h])");
  }

  const RuleLintContext& ctx_;
  const std::set<std::string>& recorded_;
  std::set<std::string> done_;
};

}  // namespace

std::vector<RegexpProblem> RegexpMatcherProblems(const promql::Matcher& m,
                                                 const std::string& selector_without) {
  std::vector<RegexpProblem> out;
  if (m.type() != MatchType::kRegexMatch && m.type() != MatchType::kRegexNoMatch) return out;
  const bool negative = m.type() == MatchType::kRegexNoMatch;
  std::string body = m.value();
  if (!HasTopLevelAlternation(body)) {
    const bool begin = !body.empty() && body.front() == '^';
    const bool end = EndsWithAnchor(body);
    if (begin) body.erase(0, 1);
    if (end && !body.empty()) body.pop_back();
    if (begin || end) {
      out.push_back({Severity::kWarning,
                     "Prometheus regexp matchers are automatically fully anchored, so `" +
                         m.String() + "` is matched as `^(?:" + m.value() +
                         ")$`: remove the regexp anchors `^` and/or `$`.",
                     "use " + RegexpMatcher(m.name(), m.type(), body)});
    }
  }
  if (auto literal = LiteralValue(body)) {
    const std::string plain = Quoted(m.name(), negative ? "!=" : "=", *literal);
    out.push_back({Severity::kWarning,
                   "Unnecessary regexp match on static string `" + m.String() + "`, use `" + plain +
                       "` instead.",
                   "use " + plain});
  } else if (body == ".*" && !negative) {
    out.push_back({Severity::kWarning,
                   "Unnecessary wildcard regexp `" + m.String() +
                       "`: it matches every value, a missing label included, so it filters "
                       "nothing.",
                   "use `" + selector_without + "` to match on all `" + m.name() + "` values"});
  } else if (body == ".*") {
    out.push_back({Severity::kBug,
                   "`" + m.String() +
                       "` matches no series at all: every value, the empty one of a missing "
                       "label included, matches `.*`.",
                   "use " + Quoted(m.name(), "=", "") + " for series without `" + m.name() +
                       "`, or remove the matcher"});
  }
  return out;
}

void CheckRegexps(const Expr& root, const RuleLintContext& ctx) {
  std::set<std::string> done;  // one report per selector text, as pint
  WalkSelectors(root, [&](const promql::VectorSelector& vs) {
    if (!done.insert(vs.String()).second) return;
    for (const auto& m : vs.matchers) {
      for (auto& p : RegexpMatcherProblems(m, SelectorWithout(vs, m))) {
        ctx.Report(MatcherOffset(ctx.rule().expr, vs, m), p.severity, kRegexp, std::move(p.message),
                   std::move(p.fix));
      }
    }
  });
}

void CheckCounters(const Expr& root, const RuleLintContext& ctx,
                   const std::set<std::string>& recorded) {
  CounterWalker(ctx, recorded).Walk(root, false);
}

}  // namespace cerniq::rules
