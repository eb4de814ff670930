#include "gotemplate/lex.h"

#include <gtest/gtest.h>

namespace cerniq::gotemplate {
namespace {

TEST(Lex, TextActionsAndTrimMarkers) {
  const std::vector<Token> tokens = Lex("a {{- .x | f 1 -}} b");
  std::vector<TokenType> types;
  for (const Token& t : tokens) types.push_back(t.type);
  EXPECT_EQ(types,
            (std::vector<TokenType>{TokenType::kText, TokenType::kLeftDelim, TokenType::kField,
                                    TokenType::kSpace, TokenType::kPipe, TokenType::kSpace,
                                    TokenType::kIdentifier, TokenType::kSpace, TokenType::kNumber,
                                    TokenType::kRightDelim, TokenType::kText, TokenType::kEOF}));
  EXPECT_EQ(tokens[0].val, "a");  // "{{-" trims the space before it
  EXPECT_EQ(tokens[2].val, ".x");
  EXPECT_EQ(tokens[10].val, "b");
}

TEST(Lex, ErrorsAndTokenNames) {
  EXPECT_EQ(Lex("{{ 1x }}").back().val, "bad number syntax: \"1x\"");
  EXPECT_EQ(Lex("{{ \"abc").back().val, "unterminated quoted string");
  EXPECT_EQ(Lex("{{").back().val, "unclosed action");
  // Go's item.String(): keywords in angle brackets, long values cut after 10 runes.
  EXPECT_EQ((Token{TokenType::kEnd, 0, "end", 1}).String(), "<end>");
  EXPECT_EQ((Token{TokenType::kText, 0, "abcdefghijkl", 1}).String(), "\"abcdefghij\"...");
}

}  // namespace
}  // namespace cerniq::gotemplate
