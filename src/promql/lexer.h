#pragma once
// PromQL lexer, following the states of Prometheus 2.42's promql/parser/lex.go so that token
// boundaries and lexer error messages are the same.
#include <string>
#include <string_view>
#include <vector>

namespace cerniq::promql {

enum class Tok {
  kEOF,
  kError,
  kComment,
  kIdentifier,
  kMetricIdentifier,
  kLeftParen,
  kRightParen,
  kLeftBrace,
  kRightBrace,
  kLeftBracket,
  kRightBracket,
  kComma,
  kEql,  // '=' inside braces
  kColon,
  kSemicolon,
  kBlank,
  kTimes,
  kSpace,
  kString,
  kNumber,
  kDuration,
  // Operators.
  kAdd,
  kDiv,
  kEqlc,
  kEqlRegex,
  kGte,
  kGtr,
  kLand,
  kLor,
  kLss,
  kLte,
  kLunless,
  kMod,
  kMul,
  kNeq,
  kNeqRegex,
  kPow,
  kSub,
  kAt,
  kAtan2,
  // Aggregators.
  kAvg,
  kBottomk,
  kCount,
  kCountValues,
  kGroup,
  kMax,
  kMin,
  kQuantile,
  kStddev,
  kStdvar,
  kSum,
  kTopk,
  // Keywords.
  kBool,
  kBy,
  kGroupLeft,
  kGroupRight,
  kIgnoring,
  kOffset,
  kOn,
  kWithout,
  // Preprocessors.
  kStart,
  kEnd,
};

bool IsOperator(Tok t);
bool IsAggregator(Tok t);
bool IsKeyword(Tok t);
bool IsComparison(Tok t);
bool IsSetOperator(Tok t);
// The operator or keyword text ("+", "and", "sum"), as ItemType.String() prints it.
std::string_view TokText(Tok t);

// The rune the lexer sees past the end of its input (Go's eof = -1).
inline constexpr char32_t kEofRune = 0xFFFFFFFF;

struct Token {
  Tok type;
  int pos;          // byte offset of the first character
  std::string val;  // source text (the message for kError)
  int end() const { return pos + static_cast<int>(val.size()); }
};

// Description used in "unexpected ..." parse errors (Item.desc() in Go).
std::string Describe(const Token& t);

// Lexes all of input. The last token is kEOF or kError. series_desc selects the series-notation
// mode used by test files (`foo{a="b"} 1+2x3 _ stale`).
std::vector<Token> Lex(std::string_view input, bool series_desc = false);

}  // namespace cerniq::promql
