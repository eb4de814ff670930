// Token kinds, their texts, and how parse errors describe them (Item.desc() in Go).
#include <cstdio>

#include "gocompat/quote.h"
#include "promql/labels.h"
#include "promql/lexer.h"

namespace cerniq::promql {

bool IsOperator(Tok t) { return t >= Tok::kAdd && t <= Tok::kAtan2; }
bool IsAggregator(Tok t) { return t >= Tok::kAvg && t <= Tok::kTopk; }
bool IsKeyword(Tok t) { return t >= Tok::kBool && t <= Tok::kWithout; }
bool IsComparison(Tok t) {
  return t == Tok::kEqlc || t == Tok::kNeq || t == Tok::kLte || t == Tok::kLss || t == Tok::kGte ||
         t == Tok::kGtr;
}
bool IsSetOperator(Tok t) { return t == Tok::kLand || t == Tok::kLor || t == Tok::kLunless; }

std::string_view TokText(Tok t) {
  switch (t) {
    case Tok::kLeftParen:
      return "(";
    case Tok::kRightParen:
      return ")";
    case Tok::kLeftBrace:
      return "{";
    case Tok::kRightBrace:
      return "}";
    case Tok::kLeftBracket:
      return "[";
    case Tok::kRightBracket:
      return "]";
    case Tok::kComma:
      return ",";
    case Tok::kEql:
      return "=";
    case Tok::kColon:
      return ":";
    case Tok::kSemicolon:
      return ";";
    case Tok::kBlank:
      return "_";
    case Tok::kTimes:
      return "x";
    case Tok::kSpace:
      return "<space>";
    case Tok::kSub:
      return "-";
    case Tok::kAdd:
      return "+";
    case Tok::kMul:
      return "*";
    case Tok::kMod:
      return "%";
    case Tok::kDiv:
      return "/";
    case Tok::kEqlc:
      return "==";
    case Tok::kNeq:
      return "!=";
    case Tok::kLte:
      return "<=";
    case Tok::kLss:
      return "<";
    case Tok::kGte:
      return ">=";
    case Tok::kGtr:
      return ">";
    case Tok::kEqlRegex:
      return "=~";
    case Tok::kNeqRegex:
      return "!~";
    case Tok::kPow:
      return "^";
    case Tok::kAt:
      return "@";
    case Tok::kAtan2:
      return "atan2";
    case Tok::kLand:
      return "and";
    case Tok::kLor:
      return "or";
    case Tok::kLunless:
      return "unless";
    case Tok::kAvg:
      return "avg";
    case Tok::kBottomk:
      return "bottomk";
    case Tok::kCount:
      return "count";
    case Tok::kCountValues:
      return "count_values";
    case Tok::kGroup:
      return "group";
    case Tok::kMax:
      return "max";
    case Tok::kMin:
      return "min";
    case Tok::kQuantile:
      return "quantile";
    case Tok::kStddev:
      return "stddev";
    case Tok::kStdvar:
      return "stdvar";
    case Tok::kSum:
      return "sum";
    case Tok::kTopk:
      return "topk";
    case Tok::kBool:
      return "bool";
    case Tok::kBy:
      return "by";
    case Tok::kGroupLeft:
      return "group_left";
    case Tok::kGroupRight:
      return "group_right";
    case Tok::kIgnoring:
      return "ignoring";
    case Tok::kOffset:
      return "offset";
    case Tok::kOn:
      return "on";
    case Tok::kWithout:
      return "without";
    case Tok::kStart:
      return "start";
    case Tok::kEnd:
      return "end";
    default:
      return "";
  }
}

std::string Describe(const Token& t) {
  if (t.type == Tok::kEOF) return "end of input";
  if (t.type == Tok::kError) return t.val;
  // Item.String(): identifiers quoted, keywords <kw>, operators <op:x>, aggregators <aggr:x>.
  std::string item;
  if (t.type == Tok::kIdentifier || t.type == Tok::kMetricIdentifier) {
    item = gocompat::Quote(t.val);
  } else if (IsKeyword(t.type)) {
    item = "<" + t.val + ">";
  } else if (IsOperator(t.type)) {
    item = "<op:" + t.val + ">";
  } else if (IsAggregator(t.type)) {
    item = "<aggr:" + t.val + ">";
  } else if (t.val.size() > 10) {
    item = gocompat::QuotePrefix(t.val, 10) + "...";
  } else {
    item = gocompat::Quote(t.val);
  }
  // "@" has no entry in Prometheus's ItemTypeStr, so Go prints its kind as the raw item type
  // number the generated parser gave it.
  if (t.type == Tok::kAt) return "\"<Item 57385>\" " + item;
  // Tokens with a fixed text (operators, keywords, punctuation) print just the item; the rest
  // are prefixed by their kind.
  if (!TokText(t.type).empty() || t.type == Tok::kStart || t.type == Tok::kEnd) return item;
  switch (t.type) {
    case Tok::kIdentifier:
      return "identifier " + item;
    case Tok::kMetricIdentifier:
      return "metric identifier " + item;
    case Tok::kString:
      return "string " + item;
    case Tok::kNumber:
      return "number " + item;
    case Tok::kDuration:
      return "duration " + item;
    case Tok::kComment:
      return "comment " + item;
    default:
      return item;
  }
}

}  // namespace cerniq::promql
