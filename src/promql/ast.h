#pragma once
// PromQL abstract syntax tree. Every node keeps its byte range in the source, as Prometheus's
// parser does, so errors and linters can point at it.
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "promql/lexer.h"
#include "promql/matcher.h"

namespace cerniq::promql {

enum class ValueType { kNone, kScalar, kVector, kMatrix, kString };
// "instant vector", "range vector", "scalar", "string", "none" (documentedType in Go).
std::string_view DocumentedType(ValueType t);
// "vector", "matrix", ... (ValueType's own String in Go).
std::string_view ValueTypeName(ValueType t);

struct PosRange {
  int start = 0;
  int end = 0;
};

struct FunctionDef;

enum class NodeKind {
  kNumber,
  kString,
  kVectorSelector,
  kMatrixSelector,
  kSubquery,
  kCall,
  kAggregate,
  kBinary,
  kUnary,
  kParen,
};

struct Expr {
  explicit Expr(NodeKind k) : kind(k) {}
  virtual ~Expr() = default;
  const NodeKind kind;
  int height = 1;  // levels of the subtree; the parser bounds it so recursion stays shallow
  virtual ValueType Type() const = 0;
  virtual PosRange Range() const = 0;
  virtual std::string String() const = 0;
};
using ExprPtr = std::unique_ptr<Expr>;

// Modifiers shared by selectors and subqueries: `offset` and `@`.
struct TimeModifiers {
  int64_t original_offset_ms = 0;
  std::optional<int64_t> at_ms;
  Tok start_or_end = Tok::kEOF;  // kStart or kEnd for `@ start()` / `@ end()`
  std::string Suffix() const;    // " @ 10.000 offset 5m" in Prometheus's order
};

struct NumberLiteral : Expr {
  NumberLiteral() : Expr(NodeKind::kNumber) {}
  double val = 0;
  PosRange pos;
  ValueType Type() const override { return ValueType::kScalar; }
  PosRange Range() const override { return pos; }
  std::string String() const override;
};

struct StringLiteral : Expr {
  StringLiteral() : Expr(NodeKind::kString) {}
  std::string val;
  PosRange pos;
  ValueType Type() const override { return ValueType::kString; }
  PosRange Range() const override { return pos; }
  std::string String() const override;
};

struct VectorSelector : Expr {
  VectorSelector() : Expr(NodeKind::kVectorSelector) {}
  std::string name;
  std::vector<Matcher> matchers;  // includes __name__="name" last when name is set
  TimeModifiers mod;
  PosRange pos;
  ValueType Type() const override { return ValueType::kVector; }
  PosRange Range() const override { return pos; }
  std::string String() const override;
  std::string StringWithoutModifiers() const;
};

struct MatrixSelector : Expr {
  MatrixSelector() : Expr(NodeKind::kMatrixSelector) {}
  ExprPtr vs;  // a VectorSelector once parsing succeeded
  int64_t range_ms = 0;
  int end_pos = 0;
  VectorSelector& selector() const { return static_cast<VectorSelector&>(*vs); }
  ValueType Type() const override { return ValueType::kMatrix; }
  PosRange Range() const override { return {vs->Range().start, end_pos}; }
  std::string String() const override;
};

struct SubqueryExpr : Expr {
  SubqueryExpr() : Expr(NodeKind::kSubquery) {}
  ExprPtr expr;
  int64_t range_ms = 0;
  int64_t step_ms = 0;  // 0: the engine's default step
  TimeModifiers mod;
  int end_pos = 0;
  ValueType Type() const override { return ValueType::kMatrix; }
  PosRange Range() const override { return {expr->Range().start, end_pos}; }
  std::string String() const override;
};

struct Call : Expr {
  Call() : Expr(NodeKind::kCall) {}
  const FunctionDef* func = nullptr;
  std::vector<ExprPtr> args;
  PosRange pos;
  ValueType Type() const override;
  PosRange Range() const override { return pos; }
  std::string String() const override;
};

struct AggregateExpr : Expr {
  AggregateExpr() : Expr(NodeKind::kAggregate) {}
  Tok op = Tok::kSum;
  ExprPtr expr;
  ExprPtr param;
  std::vector<std::string> grouping;
  bool without = false;
  PosRange pos;
  ValueType Type() const override { return ValueType::kVector; }
  PosRange Range() const override { return pos; }
  std::string String() const override;
};

enum class Card { kOneToOne, kManyToOne, kOneToMany, kManyToMany };

struct VectorMatching {
  Card card = Card::kOneToOne;
  std::vector<std::string> matching_labels;
  bool on = false;
  std::vector<std::string> include;
};

struct BinaryExpr : Expr {
  BinaryExpr() : Expr(NodeKind::kBinary) {}
  Tok op = Tok::kAdd;
  ExprPtr lhs, rhs;
  std::optional<VectorMatching> matching;
  bool return_bool = false;
  ValueType Type() const override;
  PosRange Range() const override { return {lhs->Range().start, rhs->Range().end}; }
  std::string String() const override;
};

struct UnaryExpr : Expr {
  UnaryExpr() : Expr(NodeKind::kUnary) {}
  Tok op = Tok::kSub;
  ExprPtr expr;
  int start_pos = 0;
  ValueType Type() const override { return expr->Type(); }
  PosRange Range() const override { return {start_pos, expr->Range().end}; }
  std::string String() const override;
};

struct ParenExpr : Expr {
  ParenExpr() : Expr(NodeKind::kParen) {}
  ExprPtr expr;
  PosRange pos;
  ValueType Type() const override { return expr->Type(); }
  PosRange Range() const override { return pos; }
  std::string String() const override;
};

// Visits e and its children depth-first; the callback gets the chain of ancestors.
void Inspect(Expr& e, const std::function<void(Expr&, const std::vector<Expr*>&)>& fn);

}  // namespace cerniq::promql
