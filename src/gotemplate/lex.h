#pragma once
// The lexer of Go 1.19's text/template: "{{" "}}" delimiters, "{{-" / "-}}" trim markers,
// comments, and the tokens inside actions. Go lexes lazily, driven by the parser, but its lexer
// never depends on parser state, so lexing the whole text up front yields the same tokens.
#include <string>
#include <string_view>
#include <vector>

namespace cerniq::gotemplate {

enum class TokenType {
  kError,
  kBool,
  kChar,
  kCharConstant,
  kComplex,
  kAssign,
  kDeclare,
  kEOF,
  kField,
  kIdentifier,
  kLeftDelim,
  kLeftParen,
  kNumber,
  kPipe,
  kRawString,
  kRightDelim,
  kRightParen,
  kSpace,
  kString,
  kText,
  kVariable,
  // Keywords (Go orders them after itemKeyword; String() prints them as "<word>").
  kKeyword,
  kBlock,
  kBreak,
  kContinue,
  kDot,
  kDefine,
  kElse,
  kEnd,
  kIf,
  kNil,
  kRange,
  kTemplate,
  kWith,
};

struct Token {
  TokenType type = TokenType::kEOF;
  int pos = 0;
  std::string val;
  int line = 1;

  // Go's item.String(): how a token appears in "unexpected ..." messages.
  std::string String() const;
};

// All tokens of `text`, ending with kEOF or kError.
std::vector<Token> Lex(std::string_view text);

}  // namespace cerniq::gotemplate
