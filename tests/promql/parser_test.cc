#include "promql/parser.h"

#include <gtest/gtest.h>

#include <cmath>

#include "promql/lexer.h"
#include "promql/value.h"

namespace cerniq::promql {
namespace {

std::string Printed(const std::string& expr) { return ParseExpr(expr)->String(); }

std::string ErrorOf(const std::string& expr) {
  try {
    ParseExpr(expr);
  } catch (const ParseError& e) {
    return e.what();
  }
  return "";
}

TEST(Lexer, TokensAndPositions) {
  auto toks = Lex("sum by (a) (rate(x{b=~\"c\"}[5m])) > 0.5");
  std::vector<Tok> types;
  for (const auto& t : toks) types.push_back(t.type);
  EXPECT_EQ(types, (std::vector<Tok>{
                       Tok::kSum,          Tok::kBy,         Tok::kLeftParen,   Tok::kIdentifier,
                       Tok::kRightParen,   Tok::kLeftParen,  Tok::kIdentifier,  Tok::kLeftParen,
                       Tok::kIdentifier,   Tok::kLeftBrace,  Tok::kIdentifier,  Tok::kEqlRegex,
                       Tok::kString,       Tok::kRightBrace, Tok::kLeftBracket, Tok::kDuration,
                       Tok::kRightBracket, Tok::kRightParen, Tok::kRightParen,  Tok::kGtr,
                       Tok::kNumber,       Tok::kEOF}));
  EXPECT_EQ(toks[15].val, "5m");
  EXPECT_EQ(toks[15].pos, 27);
}

TEST(Lexer, DescribesItemsLikePrometheus) {
  EXPECT_EQ(Describe({Tok::kIdentifier, 0, "foo"}), "identifier \"foo\"");
  EXPECT_EQ(Describe({Tok::kRightParen, 0, ")"}), "\")\"");
  EXPECT_EQ(Describe({Tok::kBy, 0, "by"}), "<by>");
  EXPECT_EQ(Describe({Tok::kAdd, 0, "+"}), "<op:+>");
  EXPECT_EQ(Describe({Tok::kSum, 0, "sum"}), "<aggr:sum>");
  EXPECT_EQ(Describe({Tok::kEOF, 0, ""}), "end of input");
  EXPECT_EQ(Describe({Tok::kString, 0, "\"abcdefghijkl\""}), "string \"\\\"abcdefghi\"...");
}

TEST(Parser, OperatorPrecedenceAndAssociativity) {
  EXPECT_EQ(Printed("1 + 2 * 3"), "1 + 2 * 3");
  auto e = ParseExpr("a - b - c");
  auto& top = static_cast<BinaryExpr&>(*e);
  EXPECT_EQ(top.rhs->String(), "c");  // left-associative
  auto p = ParseExpr("a ^ b ^ c");
  EXPECT_EQ(static_cast<BinaryExpr&>(*p).lhs->String(), "a");  // right-associative
  auto o = ParseExpr("a or b and c unless d");
  EXPECT_EQ(static_cast<BinaryExpr&>(*o).op, Tok::kLor);
  auto u = ParseExpr("-a ^ 2");
  EXPECT_EQ(u->kind, NodeKind::kUnary);  // -(a^2)
  auto m = ParseExpr("-a * 2");
  EXPECT_EQ(m->kind, NodeKind::kBinary);                // (-a)*2
  EXPECT_EQ(ParseExpr("-1")->kind, NodeKind::kNumber);  // folded into the literal
}

TEST(Parser, NodesKeepPositions) {
  auto e = ParseExpr("sum(rate(x[5m])) by (job) > 1");
  auto& bin = static_cast<BinaryExpr&>(*e);
  EXPECT_EQ(bin.lhs->Range().start, 0);
  EXPECT_EQ(bin.lhs->Range().end, 25);
  auto& agg = static_cast<AggregateExpr&>(*bin.lhs);
  EXPECT_EQ(agg.expr->Range().start, 4);
  EXPECT_EQ(agg.expr->Range().end, 15);
  auto& call = static_cast<Call&>(*agg.expr);
  EXPECT_EQ(call.args[0]->Range().start, 9);
  EXPECT_EQ(call.args[0]->Range().end, 14);
}

TEST(Parser, SelectorsModifiersAndSubqueries) {
  auto e = ParseExpr("x{a=\"b\", c!~\"d.*\"}[5m] offset -1h @ 100.5");
  auto& ms = static_cast<MatrixSelector&>(*e);
  EXPECT_EQ(ms.range_ms, 300000);
  EXPECT_EQ(ms.selector().mod.original_offset_ms, -3600000);
  EXPECT_EQ(ms.selector().mod.at_ms, 100500);
  EXPECT_EQ(ms.selector().matchers.size(), 3u);  // a, c and __name__
  auto s = ParseExpr("rate(x[5m])[30m:] @ end()");
  auto& sq = static_cast<SubqueryExpr&>(*s);
  EXPECT_EQ(sq.step_ms, 0);
  EXPECT_EQ(sq.mod.start_or_end, Tok::kEnd);
}

TEST(Parser, KeywordsAsMetricAndLabelNames) {
  EXPECT_EQ(Printed("sum"), "sum");
  EXPECT_EQ(Printed("offset"), "offset");
  EXPECT_EQ(Printed("sum by (on, by, sum) (x)"), "sum by (on, by, sum) (x)");
  EXPECT_EQ(Printed("x:y:z"), "x:y:z");
}

TEST(Printer, MatchesPrometheusFormatting) {
  EXPECT_EQ(Printed("sum(x) by (b, a)"), "sum by (b, a) (x)");
  EXPECT_EQ(Printed("sum without(a)(x)"), "sum without (a) (x)");
  EXPECT_EQ(Printed("topk(3, x)"), "topk(3, x)");
  EXPECT_EQ(Printed("x{b=\"2\",a=~\"1\"}"), "x{a=~\"1\",b=\"2\"}");
  EXPECT_EQ(Printed("{__name__=\"x\"}"), "{__name__=\"x\"}");
  EXPECT_EQ(Printed("x offset 5m @ 10"), "x @ 10.000 offset 5m");
  EXPECT_EQ(Printed("x[90m] offset -1d"), "x[1h30m] offset -1d");
  EXPECT_EQ(Printed("x[5m:1m] @ start()"), "x[5m:1m] @ start()");
  EXPECT_EQ(Printed("a + on(b) group_left(c) d"), "a + on (b) group_left (c) d");
  EXPECT_EQ(Printed("a > bool ignoring(b) d"), "a > bool ignoring (b) d");
  EXPECT_EQ(Printed("a and b"), "a and b");
  EXPECT_EQ(Printed("1e6"), "1e+06");
  EXPECT_EQ(Printed("0x10"), "16");
  EXPECT_EQ(Printed("-(x)"), "-(x)");
  EXPECT_EQ(Printed("\"a\\nb\""), "\"a\\nb\"");
  EXPECT_EQ(Printed("'single'"), "\"single\"");
  EXPECT_EQ(Printed("label_join(x, \"d\", \",\", \"a\", \"b\")"),
            "label_join(x, \"d\", \",\", \"a\", \"b\")");
}

TEST(Printer, StringsWithAnyBytesRoundTrip) {
  // Found by the fuzzer: an octal escape producing invalid UTF-8 must be printed escaped.
  auto e = ParseExpr("count_values(\"a\\333\\000\", x)");
  EXPECT_EQ(e->String(), "count_values(\"a\\xdb\\x00\", x)");
  EXPECT_EQ(ParseExpr(e->String())->String(), e->String());
}

TEST(Printer, OutputParsesBackToTheSameText) {
  for (const char* e : {"sum by (job) (rate(x{a=~\"b|c\"}[5m] offset 1m)) / on (job) group_left y",
                        "histogram_quantile(0.9, sum by (le) (rate(h_bucket[5m])))",
                        "max_over_time(deriv(rate(x[1m])[5m:30s])[10m:] @ 1000)",
                        "-x ^ 2 unless bottomk(1, x) or count_values(\"v\", x)"}) {
    std::string once = Printed(e);
    EXPECT_EQ(Printed(once), once) << e;
  }
}

TEST(ParseErrors, ReadLikePromtool) {
  EXPECT_EQ(ErrorOf("sum(rate(x[5m]))) "), "1:18: parse error: unexpected right parenthesis ')'");
  EXPECT_EQ(ErrorOf("rate(x[1x])"), "1:8: parse error: bad duration syntax: \"1\"");
  EXPECT_EQ(ErrorOf("sum(x{a=\"b\"}[5m)"),
            "1:16: parse error: unexpected \")\" in subquery or range, expected \":\" or \"]\"");
  EXPECT_EQ(ErrorOf("x +"), "1:4: parse error: unexpected end of input");
  EXPECT_EQ(ErrorOf("x{"), "1:3: parse error: unexpected end of input inside braces");
  EXPECT_EQ(ErrorOf("x{a=\"b\" c=\"d\"}"),
            "1:9: parse error: unexpected identifier \"c\" in label matching, expected \",\" or "
            "\"}\"");
  EXPECT_EQ(ErrorOf("sum by (a b) (x)"),
            "1:11: parse error: unexpected identifier \"b\" in grouping opts, expected \",\" or "
            "\")\"");
  EXPECT_EQ(ErrorOf("foo(x)"), "1:1: parse error: unknown function with name \"foo\"");
  EXPECT_EQ(ErrorOf("rate(x)"),
            "1:6: parse error: expected type range vector in call to function \"rate\", got "
            "instant vector");
  EXPECT_EQ(ErrorOf("round(x, 1, 2)"),
            "1:1: parse error: expected at most 2 argument(s) in call to \"round\", got 3");
  EXPECT_EQ(ErrorOf("{}"),
            "1:1: parse error: vector selector must contain at least one non-empty matcher");
  EXPECT_EQ(ErrorOf("1 == 1"),
            "1:3: parse error: comparisons between scalars must use BOOL modifier");
  EXPECT_EQ(ErrorOf("x offset 5m offset 1m"),
            "1:1: parse error: offset may not be set multiple times");
  EXPECT_EQ(ErrorOf("sum(x) offset 5m"),
            "1:1: parse error: offset modifier must be preceded by an instant vector selector "
            "or range vector selector or a subquery");
  EXPECT_EQ(ErrorOf("x[5m] + 1"),
            "1:1: parse error: binary expression must contain only scalar and instant vector "
            "types");
  EXPECT_EQ(ErrorOf("x and on(a) group_left y"),
            "1:1: parse error: no grouping allowed for \"and\" operation");
  EXPECT_EQ(ErrorOf("x{a=~\"(\"}"),
            "1:3: parse error: error parsing regexp: missing closing ): `^(?:()$`");
  EXPECT_EQ(ErrorOf(""), "1:1: parse error: no expression found in input");
  // Go-grammar quirks: the args-comma reduction reports first; "@" prints its item number.
  EXPECT_EQ(ErrorOf("f(x, * 2)"),
            "1:4: parse error: trailing commas not allowed in function call args");
  EXPECT_EQ(ErrorOf("x @ @ 1"),
            "1:5: parse error: unexpected \"<Item 57385>\" <op:@> in @, expected timestamp");
  EXPECT_EQ(ErrorOf("x{a!"),
            "1:4: parse error: unexpected character after '!' inside braces: '\xEF\xBF\xBD'");
  EXPECT_EQ(ErrorOf("topk(1, x, y))"), "1:15: parse error: unexpected right parenthesis ')'");
}

TEST(ParseErrors, DeepNestingIsAnErrorNotAStackOverflow) {
  const std::string deep = "nested too deeply";
  EXPECT_NE(ErrorOf(std::string(100000, '(') + "1" + std::string(100000, ')')).find(deep),
            std::string::npos);
  std::string chain = "1";
  for (int i = 0; i < 200000; ++i) chain += "+1";
  EXPECT_NE(ErrorOf(chain).find(deep), std::string::npos);
  EXPECT_NE(ErrorOf(std::string(100000, '-') + "1").find(deep), std::string::npos);
  std::string subqueries = "x";
  for (int i = 0; i < 5000; ++i) subqueries += "[5m:]";
  EXPECT_NE(ErrorOf(subqueries).find(deep), std::string::npos);
  std::string ok = "1";
  for (int i = 0; i < 900; ++i) ok += "+1";
  EXPECT_EQ(ErrorOf(ok), "");
}

TEST(ParseErrors, CarryLineAndColumnSeparately) {
  try {
    ParseExpr("sum(x)\n  + foo(");
    FAIL();
  } catch (const ParseError& e) {
    EXPECT_EQ(e.line(), 2);
    EXPECT_EQ(e.col(), 9);
    EXPECT_EQ(e.message(), "unclosed left parenthesis");
  }
}

TEST(SeriesNotation, ExpandsLikeTheGoGrammar) {
  auto d = ParseSeriesDesc("x{a=\"b\"} 1+2x3 _ 5 -2-1x2 _x2 stale Inf");
  EXPECT_EQ(d.labels.String(), "{__name__=\"x\", a=\"b\"}");
  std::vector<std::string> got;
  for (const auto& v : d.values)
    got.push_back(v.omitted             ? "_"
                  : IsStaleNaN(v.value) ? "stale"
                  : std::isinf(v.value) ? "inf"
                                        : std::to_string(static_cast<int>(v.value)));
  EXPECT_EQ(got, (std::vector<std::string>{"1", "3", "5", "7", "_", "5", "-2", "-3", "-4", "_", "_",
                                           "stale", "inf"}));
}

TEST(SeriesNotation, RejectsMalformedValues) {
  EXPECT_THROW(ParseSeriesDesc("x 1+"), ParseError);
  // No hex in series values: "0x10" is 0 repeated (10+1 times).
  EXPECT_EQ(ParseSeriesDesc("x 0x10").values.size(), 11u);
  EXPECT_THROW(ParseSeriesDesc("x foo"), ParseError);
  EXPECT_THROW(ParseSeriesDesc("x{a=1} 1"), ParseError);
  EXPECT_THROW(ParseSeriesDesc("x 1x99999999999"), ParseError);  // bounded expansion
  try {
    ParseSeriesDesc("x 1 foo");
  } catch (const ParseError& e) {
    EXPECT_EQ(std::string(e.what()),
              "1:5: parse error: unexpected identifier \"foo\" in series values, expected "
              "number or \"stale\"");
  }
}

}  // namespace
}  // namespace cerniq::promql
