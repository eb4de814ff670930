// Token kinds, their texts, and how parse errors describe them (Item.desc() in Go).
#include <cstdio>

#include "promql/format.h"
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

std::string QuoteRune(char32_t r) {
  std::string out = "'";
  if (r == '\'') {
    out += "\\'";
  } else if (auto e = GoEscape(r); !e.empty()) {
    out += e;
  } else if (r == kEofRune) {
    out += "\xEF\xBF\xBD";  // Go's %q of the lexer's eof rune (-1): U+FFFD
  } else if (r < 0x20 || r == 0x7f) {
    char buf[8];
    snprintf(buf, sizeof buf, "\\x%02x", static_cast<unsigned>(r));
    out += buf;
  } else {
    AppendUtf8(out, r);
  }
  return out + "'";
}

namespace {

// Go's %q of a string, limited to max_runes runes when max_runes > 0 (for %.10q).
std::string QuoteLimited(std::string_view s, size_t max_runes) {
  std::string cut;
  size_t runes = 0;
  for (size_t i = 0; i < s.size();) {
    if (max_runes > 0 && runes == max_runes) break;
    int w = 1;
    DecodeRune(s, i, &w);
    cut.append(s.substr(i, w));
    i += w;
    ++runes;
  }
  return GoQuote(cut);
}

}  // namespace

std::string Describe(const Token& t) {
  if (t.type == Tok::kEOF) return "end of input";
  if (t.type == Tok::kError) return t.val;
  // Item.String(): identifiers quoted, keywords <kw>, operators <op:x>, aggregators <aggr:x>.
  std::string item;
  if (t.type == Tok::kIdentifier || t.type == Tok::kMetricIdentifier) {
    item = QuoteLimited(t.val, 0);
  } else if (IsKeyword(t.type)) {
    item = "<" + t.val + ">";
  } else if (IsOperator(t.type)) {
    item = "<op:" + t.val + ">";
  } else if (IsAggregator(t.type)) {
    item = "<aggr:" + t.val + ">";
  } else if (t.val.size() > 10) {
    item = QuoteLimited(t.val, 10) + "...";
  } else {
    item = QuoteLimited(t.val, 0);
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
