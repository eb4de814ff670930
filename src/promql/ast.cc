#include "promql/ast.h"

#include <algorithm>
#include <cstdio>

#include "gocompat/duration.h"
#include "gocompat/float_format.h"
#include "gocompat/quote.h"
#include "promql/function_defs.h"
#include "promql/labels.h"

namespace cerniq::promql {
namespace {

std::string Join(const std::vector<std::string>& v, std::string_view sep) {
  std::string out;
  for (size_t i = 0; i < v.size(); ++i) {
    if (i) out += sep;
    out += v[i];
  }
  return out;
}

}  // namespace

std::string_view DocumentedType(ValueType t) {
  switch (t) {
    case ValueType::kVector:
      return "instant vector";
    case ValueType::kMatrix:
      return "range vector";
    case ValueType::kScalar:
      return "scalar";
    case ValueType::kString:
      return "string";
    case ValueType::kNone:
      return "none";
  }
  return "none";
}

std::string_view ValueTypeName(ValueType t) {
  switch (t) {
    case ValueType::kVector:
      return "vector";
    case ValueType::kMatrix:
      return "matrix";
    case ValueType::kScalar:
      return "scalar";
    case ValueType::kString:
      return "string";
    case ValueType::kNone:
      return "none";
  }
  return "none";
}

std::string TimeModifiers::Suffix() const {
  std::string at;
  if (at_ms) {
    char buf[64];
    snprintf(buf, sizeof buf, " @ %.3f", static_cast<double>(*at_ms) / 1000.0);
    at = buf;
  } else if (start_or_end == Tok::kStart) {
    at = " @ start()";
  } else if (start_or_end == Tok::kEnd) {
    at = " @ end()";
  }
  std::string offset;
  if (original_offset_ms > 0) {
    offset = " offset " + gocompat::FormatDuration(original_offset_ms);
  } else if (original_offset_ms < 0) {
    offset = " offset -" + gocompat::FormatDuration(-original_offset_ms);
  }
  return at + offset;
}

std::string NumberLiteral::String() const { return gocompat::FormatFloat(val, 'g'); }

std::string StringLiteral::String() const { return gocompat::Quote(val); }

std::string VectorSelector::StringWithoutModifiers() const {
  std::vector<std::string> parts;
  for (const auto& m : matchers) {
    if (m.name() == kMetricName && m.type() == MatchType::kEqual && m.value() == name) continue;
    parts.push_back(m.String());
  }
  if (parts.empty()) return name;
  std::sort(parts.begin(), parts.end());
  return name + "{" + Join(parts, ",") + "}";
}

std::string VectorSelector::String() const { return StringWithoutModifiers() + mod.Suffix(); }

std::string MatrixSelector::String() const {
  const auto& s = selector();
  return s.StringWithoutModifiers() + "[" + gocompat::FormatDuration(range_ms) + "]" +
         s.mod.Suffix();
}

std::string SubqueryExpr::String() const {
  std::string step = step_ms != 0 ? gocompat::FormatDuration(step_ms) : "";
  return expr->String() + "[" + gocompat::FormatDuration(range_ms) + ":" + step + "]" +
         mod.Suffix();
}

ValueType Call::Type() const { return func ? func->return_type : ValueType::kNone; }

std::string Call::String() const {
  std::vector<std::string> parts;
  for (const auto& a : args) parts.push_back(a->String());
  return (func ? func->name : std::string("?")) + "(" + Join(parts, ", ") + ")";
}

std::string AggregateExpr::String() const {
  std::string s(TokText(op));
  if (without) {
    s += " without (" + Join(grouping, ", ") + ") ";
  } else if (!grouping.empty()) {
    s += " by (" + Join(grouping, ", ") + ") ";
  }
  s += "(";
  if (param) s += param->String() + ", ";
  s += expr->String() + ")";
  return s;
}

ValueType BinaryExpr::Type() const {
  if (lhs->Type() == ValueType::kScalar && rhs->Type() == ValueType::kScalar)
    return ValueType::kScalar;
  return ValueType::kVector;
}

std::string BinaryExpr::String() const {
  std::string out;
  if (matching && (!matching->matching_labels.empty() || matching->on)) {
    const auto& vm = *matching;
    out = std::string(" ") + (vm.on ? "on" : "ignoring") + " (" + Join(vm.matching_labels, ", ") +
          ")";
    if (vm.card == Card::kManyToOne || vm.card == Card::kOneToMany) {
      out += std::string(" group_") + (vm.card == Card::kManyToOne ? "left" : "right") + " (" +
             Join(vm.include, ", ") + ")";
    }
  }
  return lhs->String() + " " + std::string(TokText(op)) + (return_bool ? " bool" : "") + out + " " +
         rhs->String();
}

std::string UnaryExpr::String() const { return std::string(TokText(op)) + expr->String(); }

std::string ParenExpr::String() const { return "(" + expr->String() + ")"; }

namespace {

void InspectRec(Expr& e, std::vector<Expr*>& path,
                const std::function<void(Expr&, const std::vector<Expr*>&)>& fn) {
  fn(e, path);
  path.push_back(&e);
  switch (e.kind) {
    case NodeKind::kMatrixSelector:
      InspectRec(*static_cast<MatrixSelector&>(e).vs, path, fn);
      break;
    case NodeKind::kSubquery:
      InspectRec(*static_cast<SubqueryExpr&>(e).expr, path, fn);
      break;
    case NodeKind::kCall:
      for (auto& a : static_cast<Call&>(e).args) InspectRec(*a, path, fn);
      break;
    case NodeKind::kAggregate: {
      auto& a = static_cast<AggregateExpr&>(e);
      if (a.param) InspectRec(*a.param, path, fn);
      if (a.expr) InspectRec(*a.expr, path, fn);
      break;
    }
    case NodeKind::kBinary: {
      auto& b = static_cast<BinaryExpr&>(e);
      InspectRec(*b.lhs, path, fn);
      InspectRec(*b.rhs, path, fn);
      break;
    }
    case NodeKind::kUnary:
      InspectRec(*static_cast<UnaryExpr&>(e).expr, path, fn);
      break;
    case NodeKind::kParen:
      InspectRec(*static_cast<ParenExpr&>(e).expr, path, fn);
      break;
    default:
      break;
  }
  path.pop_back();
}

}  // namespace

void Inspect(Expr& e, const std::function<void(Expr&, const std::vector<Expr*>&)>& fn) {
  std::vector<Expr*> path;
  InspectRec(e, path, fn);
}

}  // namespace cerniq::promql
