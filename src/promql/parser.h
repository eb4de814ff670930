#pragma once
// PromQL parser with Prometheus 2.42's grammar, type checks and error messages.
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "promql/ast.h"
#include "promql/labels.h"

namespace cerniq::promql {

// A parse error: "1:38: parse error: unexpected end of input". line and col are 1-based (col
// counts bytes, as Go does); message is the part after "parse error: ".
class ParseError : public std::runtime_error {
 public:
  ParseError(std::string_view query, PosRange range, std::string message);
  int line() const { return line_; }
  int col() const { return col_; }
  PosRange range() const { return range_; }
  const std::string& message() const { return message_; }

 private:
  static std::string Format(std::string_view query, PosRange range, const std::string& message,
                            int* line, int* col);
  int line_ = 0;
  int col_ = 0;
  PosRange range_;
  std::string message_;
};

// Parses and type-checks an expression. Throws ParseError.
ExprPtr ParseExpr(std::string_view input);

// One item of a series description: a value, or an omitted slot (`_`).
struct SequenceValue {
  double value = 0;
  bool omitted = false;
};

struct SeriesDescription {
  Labels labels;
  std::vector<SequenceValue> values;
};

// Parses the series notation of test files: `name{a="b"} 1+2x3 _ stale`. Throws ParseError.
SeriesDescription ParseSeriesDesc(std::string_view input);

// Parses `name{a="b"}` (a metric with no values). Throws ParseError.
Labels ParseMetric(std::string_view input);

// The type checks of ParseExpr (Prometheus's checkAST), for an AST of input. Throws ParseError.
void CheckTypes(std::string_view input, Expr& e);

}  // namespace cerniq::promql
