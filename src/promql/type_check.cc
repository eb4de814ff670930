// The type checks PromQL applies after parsing (checkAST in Prometheus's parser), with the same
// messages and positions.
#include "promql/function_defs.h"
#include "promql/labels.h"
#include "promql/parser.h"

namespace cerniq::promql {
namespace {

class TypeChecker {
 public:
  explicit TypeChecker(std::string_view input) : in_(input) {}
  ValueType Check(Expr& e);

 private:
  void CheckAggregate(AggregateExpr& a);
  void CheckBinary(BinaryExpr& b);
  void CheckCall(Call& c);
  void CheckVectorSelector(const VectorSelector& vs);
  [[noreturn]] void Fail(PosRange r, std::string msg) { throw ParseError(in_, r, std::move(msg)); }
  void ExpectType(Expr& e, ValueType want, const std::string& context) {
    ValueType t = Check(e);
    if (t != want) {
      Fail(e.Range(), "expected type " + std::string(DocumentedType(want)) + " in " + context +
                          ", got " + std::string(DocumentedType(t)));
    }
  }
  PosRange OpRange(const BinaryExpr& b) const {
    auto is_space = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; };
    PosRange r;
    r.start = b.lhs->Range().end;
    while (r.start < static_cast<int>(in_.size()) && is_space(in_[r.start])) ++r.start;
    r.end = b.rhs->Range().start - 1;
    while (r.end > 0 && is_space(in_[r.end])) --r.end;
    return r;
  }

  std::string_view in_;
};

ValueType TypeChecker::Check(Expr& e) {
  switch (e.kind) {
    case NodeKind::kAggregate:
      CheckAggregate(static_cast<AggregateExpr&>(e));
      break;
    case NodeKind::kBinary:
      CheckBinary(static_cast<BinaryExpr&>(e));
      break;
    case NodeKind::kCall:
      CheckCall(static_cast<Call&>(e));
      break;
    case NodeKind::kParen:
      Check(*static_cast<ParenExpr&>(e).expr);
      break;
    case NodeKind::kUnary: {
      ValueType t = Check(*static_cast<UnaryExpr&>(e).expr);
      if (t != ValueType::kScalar && t != ValueType::kVector)
        Fail(e.Range(),
             "unary expression only allowed on expressions of type scalar or instant "
             "vector, got \"" +
                 std::string(DocumentedType(t)) + "\"");
      break;
    }
    case NodeKind::kSubquery: {
      ValueType t = Check(*static_cast<SubqueryExpr&>(e).expr);
      if (t != ValueType::kVector)
        Fail(e.Range(), "subquery is only allowed on instant vector, got " +
                            std::string(ValueTypeName(t)) + " instead");
      break;
    }
    case NodeKind::kMatrixSelector:
      Check(*static_cast<MatrixSelector&>(e).vs);
      break;
    case NodeKind::kVectorSelector:
      CheckVectorSelector(static_cast<VectorSelector&>(e));
      break;
    default:
      break;
  }
  return e.Type();
}

void TypeChecker::CheckAggregate(AggregateExpr& a) {
  ExpectType(*a.expr, ValueType::kVector, "aggregation expression");
  if (a.op == Tok::kTopk || a.op == Tok::kBottomk || a.op == Tok::kQuantile)
    ExpectType(*a.param, ValueType::kScalar, "aggregation parameter");
  if (a.op == Tok::kCountValues) ExpectType(*a.param, ValueType::kString, "aggregation parameter");
}

void TypeChecker::CheckBinary(BinaryExpr& b) {
  ValueType lt = Check(*b.lhs);
  ValueType rt = Check(*b.rhs);
  if (b.return_bool && !IsComparison(b.op))
    Fail(OpRange(b), "bool modifier can only be used on comparison operators");
  if (IsComparison(b.op) && !b.return_bool && lt == ValueType::kScalar && rt == ValueType::kScalar)
    Fail(OpRange(b), "comparisons between scalars must use BOOL modifier");
  if (IsSetOperator(b.op) && b.matching && b.matching->card == Card::kOneToOne)
    b.matching->card = Card::kManyToMany;
  if (b.matching && b.matching->on) {
    for (const auto& l1 : b.matching->matching_labels)
      for (const auto& l2 : b.matching->include)
        if (l1 == l2)
          Fail(OpRange(b),
               "label " + GoQuote(l1) + " must not occur in ON and GROUP clause at once");
  }
  if (lt != ValueType::kScalar && lt != ValueType::kVector)
    Fail(b.lhs->Range(), "binary expression must contain only scalar and instant vector types");
  if (rt != ValueType::kScalar && rt != ValueType::kVector)
    Fail(b.rhs->Range(), "binary expression must contain only scalar and instant vector types");
  if ((lt != ValueType::kVector || rt != ValueType::kVector) && b.matching) {
    if (!b.matching->matching_labels.empty())
      Fail(b.Range(), "vector matching only allowed between instant vectors");
    b.matching.reset();
  } else if (IsSetOperator(b.op)) {
    if (b.matching->card == Card::kOneToMany || b.matching->card == Card::kManyToOne)
      Fail(b.Range(), "no grouping allowed for \"" + std::string(TokText(b.op)) + "\" operation");
    if (b.matching->card != Card::kManyToMany)
      Fail(b.Range(), "set operations must always be many-to-many");
  }
  if ((lt == ValueType::kScalar || rt == ValueType::kScalar) && IsSetOperator(b.op))
    Fail(b.Range(), "set operator \"" + std::string(TokText(b.op)) +
                        "\" not allowed in binary scalar expression");
}

void TypeChecker::CheckCall(Call& c) {
  const FunctionDef& f = *c.func;
  int nargs = static_cast<int>(f.arg_types.size());
  int got = static_cast<int>(c.args.size());
  std::string qname = "\"" + f.name + "\"";
  if (f.variadic == 0) {
    if (nargs != got)
      Fail(c.Range(), "expected " + std::to_string(nargs) + " argument(s) in call to " + qname +
                          ", got " + std::to_string(got));
  } else {
    int na = nargs - 1;
    if (na > got) {
      Fail(c.Range(), "expected at least " + std::to_string(na) + " argument(s) in call to " +
                          qname + ", got " + std::to_string(got));
    } else if (f.variadic > 0 && na + f.variadic < got) {
      Fail(c.Range(), "expected at most " + std::to_string(na + f.variadic) +
                          " argument(s) in call to " + qname + ", got " + std::to_string(got));
    }
  }
  for (int i = 0; i < got; ++i) {
    int ti = i;
    if (i >= nargs) {
      if (f.variadic == 0) break;
      ti = nargs - 1;
    }
    ExpectType(*c.args[i], f.arg_types[ti], "call to function " + qname);
  }
}

void TypeChecker::CheckVectorSelector(const VectorSelector& vs) {
  if (!vs.name.empty()) {
    for (size_t i = 0; i + 1 < vs.matchers.size(); ++i) {
      if (vs.matchers[i].name() == kMetricName)
        Fail(vs.Range(), "metric name must not be set twice: " + GoQuote(vs.name) + " or " +
                             GoQuote(vs.matchers[i].value()));
    }
    return;
  }
  bool not_empty = false;
  for (const auto& m : vs.matchers) not_empty = not_empty || !m.Matches("");
  if (!not_empty) Fail(vs.Range(), "vector selector must contain at least one non-empty matcher");
}

}  // namespace

void CheckTypes(std::string_view input, Expr& e) { TypeChecker(input).Check(e); }

}  // namespace cerniq::promql
