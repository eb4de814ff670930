#include "promql/parser.h"

#include <cmath>
#include <cstdio>
#include <limits>

#include "gocompat/duration.h"
#include "gocompat/parse_float.h"
#include "gocompat/parse_int.h"
#include "gocompat/quote.h"
#include "promql/function_defs.h"
#include "promql/value.h"

namespace cerniq::promql {
namespace {

// Binary operator precedence, from generated_parser.y (higher binds tighter).
int Precedence(Tok t) {
  switch (t) {
    case Tok::kLor:
      return 1;
    case Tok::kLand:
    case Tok::kLunless:
      return 2;
    case Tok::kEqlc:
    case Tok::kNeq:
    case Tok::kLte:
    case Tok::kLss:
    case Tok::kGte:
    case Tok::kGtr:
      return 3;
    case Tok::kAdd:
    case Tok::kSub:
      return 4;
    case Tok::kMul:
    case Tok::kDiv:
    case Tok::kMod:
    case Tok::kAtan2:
      return 5;
    case Tok::kPow:
      return 6;
    default:
      return 0;
  }
}
constexpr int kUnaryPrecedence = 5;  // unary_expr has %prec MUL

bool IsMetricIdentifierTok(Tok t) {
  switch (t) {
    case Tok::kAvg:
    case Tok::kBottomk:
    case Tok::kBy:
    case Tok::kCount:
    case Tok::kCountValues:
    case Tok::kGroup:
    case Tok::kIdentifier:
    case Tok::kLand:
    case Tok::kLor:
    case Tok::kLunless:
    case Tok::kMax:
    case Tok::kMetricIdentifier:
    case Tok::kMin:
    case Tok::kOffset:
    case Tok::kQuantile:
    case Tok::kStddev:
    case Tok::kStdvar:
    case Tok::kSum:
    case Tok::kTopk:
    case Tok::kWithout:
    case Tok::kStart:
    case Tok::kEnd:
      return true;
    default:
      return false;
  }
}

bool CanStartExpr(Tok t) {
  switch (t) {
    case Tok::kNumber:
    case Tok::kString:
    case Tok::kLeftParen:
    case Tok::kLeftBrace:
    case Tok::kAdd:
    case Tok::kSub:
      return true;
    default:
      return IsMetricIdentifierTok(t) || IsAggregator(t);
  }
}

bool IsMaybeLabelTok(Tok t) {
  if (IsAggregator(t) || IsKeyword(t)) return true;
  switch (t) {
    case Tok::kIdentifier:
    case Tok::kLand:
    case Tok::kLor:
    case Tok::kLunless:
    case Tok::kMetricIdentifier:
    case Tok::kStart:
    case Tok::kEnd:
    case Tok::kAtan2:
      return true;
    default:
      return false;
  }
}

class Parser {
 public:
  Parser(std::string_view input, bool series_desc) : in_(input), toks_(Lex(input, series_desc)) {
    // The grammar never sees comments.
    std::erase_if(toks_, [](const Token& t) { return t.type == Tok::kComment; });
  }

  ExprPtr ParseExpression() {
    if (Peek().type == Tok::kEOF) Fail({0, 0}, "no expression found in input");
    ExprPtr e = ParseBinary(0);
    if (Peek().type != Tok::kEOF) Unexpected("", "");
    CheckTypes(in_, *e);
    return e;
  }

  SeriesDescription ParseSeries() {
    SeriesDescription out;
    out.labels = ParseMetricPart();
    // series_values: (SPACE series_item?)*
    for (;;) {
      const Token& t = Peek();
      if (t.type == Tok::kEOF) break;
      if (t.type != Tok::kSpace) Unexpected("series values", "");
      Advance();
      if (Peek().type == Tok::kEOF || Peek().type == Tok::kSpace) continue;
      ParseSeriesItem(out.values);
    }
    return out;
  }

  Labels ParseMetricOnly() {
    Labels l = ParseMetricPart();
    while (Peek().type == Tok::kSpace) Advance();
    if (Peek().type != Tok::kEOF) Unexpected("", "");
    return l;
  }

 private:
  // ---- token access ----
  const Token& Peek(size_t ahead = 0) const {
    size_t i = std::min(pos_ + ahead, toks_.size() - 1);
    return toks_[i];
  }
  const Token& Advance() {
    const Token& t = toks_[std::min(pos_, toks_.size() - 1)];
    if (t.type == Tok::kError) LexerError(t);
    if (pos_ < toks_.size() - 1) ++pos_;
    switch (t.type) {
      case Tok::kRightBrace:
      case Tok::kRightParen:
      case Tok::kRightBracket:
      case Tok::kDuration:
      case Tok::kNumber:
        last_closing_ = t.end();
        break;
      default:
        break;
    }
    return t;
  }
  [[noreturn]] void LexerError(const Token& t) {
    Fail({t.pos, static_cast<int>(in_.size())}, t.val);
  }
  [[noreturn]] void Fail(PosRange r, std::string msg) { throw ParseError(in_, r, std::move(msg)); }

  // "unexpected <item> in <context>, expected <expected>", about the current token.
  [[noreturn]] void Unexpected(std::string_view context, std::string_view expected) {
    const Token& t = Peek();
    if (t.type == Tok::kError) LexerError(t);
    std::string msg = "unexpected " + Describe(t);
    if (!context.empty()) msg += " in " + std::string(context);
    if (!expected.empty()) msg += ", expected " + std::string(expected);
    Fail({t.pos, t.end()}, msg);
  }

  // Context of the innermost enclosing construct with an error production in the Go grammar;
  // a syntax error anywhere inside it is reported with that construct's wording.
  [[noreturn]] void UnexpectedHere() {
    if (!contexts_.empty()) Unexpected(contexts_.back(), "");
    Unexpected("", "");
  }
  struct ContextGuard {
    ContextGuard(Parser* p, std::string_view c) : p(p) { p->contexts_.push_back(c); }
    ~ContextGuard() { p->contexts_.pop_back(); }
    Parser* p;
  };

  // ---- expressions ----
  // Deeply nested input would exhaust the stack of the recursive parser, evaluator and printer;
  // Prometheus has no such limit, but no real query comes near it.
  static constexpr int kMaxDepth = 1000;
  struct DepthGuard {
    explicit DepthGuard(Parser* p) : p(p) {
      if (++p->depth_ > kMaxDepth) {
        const Token& t = p->Peek();
        p->Fail({t.pos, t.end()}, "expression nested too deeply (more than 1000 levels)");
      }
    }
    ~DepthGuard() { --p->depth_; }
    Parser* p;
  };
  void SetHeight(Expr& e, std::initializer_list<const Expr*> children) {
    int h = 0;
    for (const Expr* c : children)
      if (c) h = std::max(h, c->height);
    e.height = h + 1;
    if (e.height > kMaxDepth)
      Fail(e.Range(), "expression nested too deeply (more than 1000 levels)");
  }

  ExprPtr ParseBinary(int min_prec) {
    DepthGuard guard(this);
    ExprPtr lhs = ParseUnary();
    for (;;) {
      Tok op = Peek().type;
      int prec = Precedence(op);
      if (prec == 0 || prec < min_prec) break;
      Advance();
      auto bin = std::make_unique<BinaryExpr>();
      bin->op = op;
      ParseBinModifiers(*bin);
      // '^' is right-associative; the others are left-associative.
      int next_min = op == Tok::kPow ? prec : prec + 1;
      bin->lhs = std::move(lhs);
      bin->rhs = ParseBinary(next_min);
      SetHeight(*bin, {bin->lhs.get(), bin->rhs.get()});
      lhs = std::move(bin);
    }
    return lhs;
  }

  void ParseBinModifiers(BinaryExpr& bin) {
    bin.matching = VectorMatching{};
    if (Peek().type == Tok::kBool) {
      Advance();
      bin.return_bool = true;
    }
    Tok t = Peek().type;
    if (t != Tok::kOn && t != Tok::kIgnoring) return;
    Advance();
    bin.matching->on = t == Tok::kOn;
    bin.matching->matching_labels = ParseGroupingLabels();
    t = Peek().type;
    if (t == Tok::kGroupLeft || t == Tok::kGroupRight) {
      Advance();
      bin.matching->card = t == Tok::kGroupLeft ? Card::kManyToOne : Card::kOneToMany;
      // The label list is optional, but what follows must then start the right-hand side.
      if (Peek().type == Tok::kLeftParen || !CanStartExpr(Peek().type))
        bin.matching->include = ParseGroupingLabels();
    }
  }

  std::vector<std::string> ParseGroupingLabels() {
    std::vector<std::string> labels;
    if (Peek().type != Tok::kLeftParen) Unexpected("grouping opts", "\"(\"");
    Advance();
    if (Peek().type == Tok::kRightParen) {
      Advance();
      return labels;
    }
    for (;;) {
      const Token& t = Peek();
      if (!IsMaybeLabelTok(t.type) || !IsValidLabelName(t.val))
        Unexpected("grouping opts", "label");
      labels.push_back(Advance().val);
      if (Peek().type == Tok::kComma) {
        Advance();
        if (Peek().type == Tok::kRightParen) {
          Advance();
          return labels;
        }
        continue;
      }
      if (Peek().type == Tok::kRightParen) {
        Advance();
        return labels;
      }
      Unexpected("grouping opts", "\",\" or \")\"");
    }
  }

  ExprPtr ParseUnary() {
    Tok t = Peek().type;
    if (t == Tok::kAdd || t == Tok::kSub) {
      int start = Advance().pos;
      ExprPtr operand = ParseBinary(kUnaryPrecedence + 1);
      if (operand->kind == NodeKind::kNumber) {
        auto& nl = static_cast<NumberLiteral&>(*operand);
        if (t == Tok::kSub) nl.val = -nl.val;
        nl.pos.start = start;
        return operand;
      }
      auto u = std::make_unique<UnaryExpr>();
      u->op = t;
      u->expr = std::move(operand);
      u->start_pos = start;
      SetHeight(*u, {u->expr.get()});
      return u;
    }
    return ParsePostfix(ParsePrimary());
  }

  // Range/subquery brackets, offset and @ bind tighter than any operator.
  ExprPtr ParsePostfix(ExprPtr e) {
    for (;;) {
      switch (Peek().type) {
        case Tok::kLeftBracket:
          e = ParseBracket(std::move(e));
          break;
        case Tok::kOffset:
          ParseOffset(*e);
          break;
        case Tok::kAt:
          ParseAt(*e);
          break;
        default:
          return e;
      }
    }
  }

  ExprPtr ParseBracket(ExprPtr e) {
    const Token& open = Advance();
    int open_pos = open.pos;
    if (Peek().type != Tok::kDuration) Unexpected("subquery selector", "duration");
    int64_t range = ParseDurationTok(Advance());
    if (Peek().type == Tok::kRightBracket) {
      int close_end = Advance().end();
      std::string err;
      if (e->kind != NodeKind::kVectorSelector) {
        err = "ranges only allowed for vector selectors";
      } else if (static_cast<VectorSelector&>(*e).mod.original_offset_ms != 0) {
        err = "no offset modifiers allowed before range";
      } else if (static_cast<VectorSelector&>(*e).mod.at_ms ||
                 static_cast<VectorSelector&>(*e).mod.start_or_end != Tok::kEOF) {
        err = "no @ modifiers allowed before range";
      }
      if (!err.empty()) Fail({open_pos, close_end}, err);
      auto m = std::make_unique<MatrixSelector>();
      m->vs = std::move(e);
      m->range_ms = range;
      m->end_pos = last_closing_;
      SetHeight(*m, {m->vs.get()});
      return m;
    }
    if (Peek().type != Tok::kColon) Unexpected("subquery or range", "\":\" or \"]\"");
    Advance();
    int64_t step = 0;
    if (Peek().type == Tok::kDuration) {
      step = ParseDurationTok(Advance());
      if (Peek().type != Tok::kRightBracket) Unexpected("subquery selector", "\"]\"");
    } else if (Peek().type != Tok::kRightBracket) {
      Unexpected("subquery selector", "duration or \"]\"");
    }
    const Token& close = Advance();
    auto s = std::make_unique<SubqueryExpr>();
    s->expr = std::move(e);
    s->range_ms = range;
    s->step_ms = step;
    s->end_pos = close.pos + 1;
    SetHeight(*s, {s->expr.get()});
    return s;
  }

  int64_t ParseDurationTok(const Token& t) {
    auto parsed = gocompat::ParseDuration(t.val);
    if (auto* error = std::get_if<std::string>(&parsed)) Fail({t.pos, t.end()}, *error);
    const int64_t d = std::get<int64_t>(parsed);
    if (d == 0) Fail({t.pos, t.end()}, "duration must be greater than 0");
    return d;
  }

  // The modifiers of e (a selector or subquery), or nullptr with `err` set.
  TimeModifiers* ModifiersOf(Expr& e, int** end_pos, const char* what) {
    switch (e.kind) {
      case NodeKind::kVectorSelector: {
        auto& vs = static_cast<VectorSelector&>(e);
        *end_pos = &vs.pos.end;
        return &vs.mod;
      }
      case NodeKind::kMatrixSelector: {
        auto& ms = static_cast<MatrixSelector&>(e);
        *end_pos = &ms.end_pos;
        return &ms.selector().mod;
      }
      case NodeKind::kSubquery: {
        auto& sq = static_cast<SubqueryExpr&>(e);
        *end_pos = &sq.end_pos;
        return &sq.mod;
      }
      default:
        Fail(e.Range(), std::string(what) +
                            " modifier must be preceded by an instant vector selector or range "
                            "vector selector or a subquery");
    }
  }

  void ParseOffset(Expr& e) {
    Advance();
    bool neg = false;
    if (Peek().type == Tok::kSub) {
      Advance();
      neg = true;
    }
    if (Peek().type != Tok::kDuration) Unexpected("offset", "duration");
    int64_t d = ParseDurationTok(Advance());
    int* end_pos = nullptr;
    TimeModifiers* mod = ModifiersOf(e, &end_pos, "offset");
    if (mod->original_offset_ms != 0) Fail(e.Range(), "offset may not be set multiple times");
    mod->original_offset_ms = neg ? -d : d;
    *end_pos = last_closing_;
  }

  void ParseAt(Expr& e) {
    Advance();
    Tok t = Peek().type;
    if (t == Tok::kStart || t == Tok::kEnd) {
      Advance();
      if (Peek().type != Tok::kLeftParen) Unexpected("@", "timestamp");
      Advance();
      if (Peek().type != Tok::kRightParen) Unexpected("@", "timestamp");
      Advance();
      int* end_pos = nullptr;
      TimeModifiers* mod = ModifiersOf(e, &end_pos, "@");
      if (mod->at_ms || mod->start_or_end != Tok::kEOF)
        Fail(e.Range(), "@ <timestamp> may not be set multiple times");
      mod->start_or_end = t;
      *end_pos = last_closing_;
      return;
    }
    double sign = 1;
    if (t == Tok::kAdd || t == Tok::kSub) {
      if (Peek(1).type != Tok::kNumber) {
        Advance();
        Unexpected("@", "timestamp");
      }
      sign = t == Tok::kSub ? -1 : 1;
      Advance();
    } else if (t != Tok::kNumber) {
      Unexpected("@", "timestamp");
    }
    double ts = sign * ParseNumber(Advance());
    if (std::isinf(ts) || std::isnan(ts) ||
        ts >= static_cast<double>(std::numeric_limits<int64_t>::max()) ||
        ts <= static_cast<double>(std::numeric_limits<int64_t>::min())) {
      Fail(e.Range(), "timestamp out of bounds for @ modifier: " + GoPercentF(ts));
    }
    int* end_pos = nullptr;
    TimeModifiers* mod = ModifiersOf(e, &end_pos, "@");
    if (mod->at_ms || mod->start_or_end != Tok::kEOF)
      Fail(e.Range(), "@ <timestamp> may not be set multiple times");
    // Go converts out-of-range floats to the minimum int64 instead of failing.
    double ms = std::round(ts * 1000.0);
    mod->at_ms = (ms >= 9.2233720368547758e18 || ms < -9.2233720368547758e18)
                     ? std::numeric_limits<int64_t>::min()
                     : static_cast<int64_t>(ms);
    *end_pos = last_closing_;
  }

  static std::string GoPercentF(double v) {
    if (std::isnan(v)) return "NaN";
    if (std::isinf(v)) return v > 0 ? "+Inf" : "-Inf";
    char buf[512];
    snprintf(buf, sizeof buf, "%f", v);
    return buf;
  }

  double ParseNumber(const Token& t) {
    if (auto i = gocompat::ParseInt(t.val)) return static_cast<double>(*i);
    if (auto f = gocompat::ParseFloat(t.val)) return *f;
    Fail({t.pos, t.end()}, "error parsing number: strconv.ParseFloat: parsing " +
                               gocompat::Quote(t.val) + ": invalid syntax");
  }

  ExprPtr ParsePrimary() {
    const Token& t = Peek();
    switch (t.type) {
      case Tok::kNumber: {
        const Token& n = Advance();
        auto nl = std::make_unique<NumberLiteral>();
        nl->val = ParseNumber(n);
        nl->pos = {n.pos, n.end()};
        return nl;
      }
      case Tok::kString: {
        const Token& s = Advance();
        auto sl = std::make_unique<StringLiteral>();
        sl->val = Unquote(s);
        sl->pos = {s.pos, s.end()};
        return sl;
      }
      case Tok::kLeftParen: {
        int start = Advance().pos;
        auto p = std::make_unique<ParenExpr>();
        p->expr = ParseBinary(0);
        if (Peek().type != Tok::kRightParen) UnexpectedHere();
        p->pos = {start, Advance().end()};
        SetHeight(*p, {p->expr.get()});
        return p;
      }
      case Tok::kLeftBrace: {
        auto vs = std::make_unique<VectorSelector>();
        ParseLabelMatchers(*vs);
        return vs;
      }
      default:
        break;
    }
    if (IsAggregator(t.type)) {
      Tok next = Peek(1).type;
      if (next == Tok::kLeftParen || next == Tok::kBy || next == Tok::kWithout)
        return ParseAggregate();
    }
    if (t.type == Tok::kIdentifier && Peek(1).type == Tok::kLeftParen) return ParseCall();
    if (IsMetricIdentifierTok(t.type)) {
      const Token& name = Advance();
      auto vs = std::make_unique<VectorSelector>();
      vs->name = name.val;
      vs->pos = {name.pos, name.end()};
      if (Peek().type == Tok::kLeftBrace) {
        ParseLabelMatchers(*vs);
        vs->pos.start = name.pos;
      }
      vs->matchers.emplace_back(MatchType::kEqual, std::string(kMetricName), vs->name);
      return vs;
    }
    UnexpectedHere();
  }

  void ParseLabelMatchers(VectorSelector& vs) {
    ContextGuard ctx(this, "label matching");
    int start = Advance().pos;  // '{'
    auto finish = [&] { vs.pos = {start, Advance().end()}; };
    if (Peek().type == Tok::kRightBrace) return finish();
    for (;;) {
      const Token& name = Peek();
      if (name.type != Tok::kIdentifier) Unexpected("label matching", "identifier or \"}\"");
      Advance();
      Tok op = Peek().type;
      MatchType mt;
      switch (op) {
        case Tok::kEql:
          mt = MatchType::kEqual;
          break;
        case Tok::kNeq:
          mt = MatchType::kNotEqual;
          break;
        case Tok::kEqlRegex:
          mt = MatchType::kRegexMatch;
          break;
        case Tok::kNeqRegex:
          mt = MatchType::kRegexNoMatch;
          break;
        default:
          Unexpected("label matching", "label matching operator");
      }
      Advance();
      if (Peek().type != Tok::kString) Unexpected("label matching", "string");
      const Token& value = Advance();
      std::string v = Unquote(value);
      try {
        vs.matchers.emplace_back(mt, name.val, v);
      } catch (const std::invalid_argument& e) {
        Fail({name.pos, value.end()}, e.what());
      }
      if (Peek().type == Tok::kComma) {
        Advance();
        if (Peek().type == Tok::kRightBrace) return finish();
        continue;
      }
      if (Peek().type == Tok::kRightBrace) return finish();
      Unexpected("label matching", "\",\" or \"}\"");
    }
  }

  std::string Unquote(const Token& t) {
    // Prometheus's strutil.Unquote: single quotes hold strings too.
    auto out = gocompat::Unquote(t.val, gocompat::SingleQuoted::kAnyLength);
    if (!out) {
      Fail({t.pos, t.end()},
           "error unquoting string " + gocompat::Quote(t.val) + ": invalid syntax");
    }
    return *out;
  }

  std::vector<ExprPtr> ParseCallBody(bool* trailing_comma_pos_set, int* trailing_comma_pos) {
    Advance();  // '('
    std::vector<ExprPtr> args;
    if (Peek().type == Tok::kRightParen) {
      Advance();
      return args;
    }
    for (;;) {
      args.push_back(ParseBinary(0));
      if (Peek().type == Tok::kComma) {
        const Token& comma = Advance();
        if (Peek().type == Tok::kError) LexerError(Peek());
        if (Peek().type == Tok::kRightParen) {
          *trailing_comma_pos_set = true;
          *trailing_comma_pos = comma.pos;
          Advance();
          return args;
        }
        // The Go grammar reduces "args ," before it looks at what follows: anything that cannot
        // start an expression reports the comma.
        if (!CanStartExpr(Peek().type))
          Fail({comma.pos, comma.pos + 1}, "trailing commas not allowed in function call args");
        continue;
      }
      if (Peek().type == Tok::kRightParen) {
        Advance();
        return args;
      }
      UnexpectedHere();
    }
  }

  ExprPtr ParseCall() {
    const Token& name = Advance();
    bool trailing = false;
    int comma_pos = 0;
    auto args = ParseCallBody(&trailing, &comma_pos);
    if (trailing)
      Fail({comma_pos, comma_pos + 1}, "trailing commas not allowed in function call args");
    const FunctionDef* fn = LookupFunction(name.val);
    if (!fn)
      Fail({name.pos, name.end()}, "unknown function with name " + gocompat::Quote(name.val));
    auto call = std::make_unique<Call>();
    call->func = fn;
    call->args = std::move(args);
    call->pos = {name.pos, last_closing_};
    const Expr* tallest = nullptr;
    for (const auto& a : call->args)
      if (!tallest || a->height > tallest->height) tallest = a.get();
    SetHeight(*call, {tallest});
    return call;
  }

  ExprPtr ParseAggregate() {
    ContextGuard ctx(this, "aggregation");
    const Token& op = Advance();
    auto agg = std::make_unique<AggregateExpr>();
    agg->op = op.type;
    auto modifier = [&] {
      agg->without = Peek().type == Tok::kWithout;
      Advance();
      agg->grouping = ParseGroupingLabels();
    };
    bool has_modifier = false;
    if (Peek().type == Tok::kBy || Peek().type == Tok::kWithout) {
      modifier();
      has_modifier = true;
    }
    if (Peek().type != Tok::kLeftParen) Unexpected("aggregation", "");
    bool trailing = false;
    int comma_pos = 0;
    auto args = ParseCallBody(&trailing, &comma_pos);
    if (trailing)
      Fail({comma_pos, comma_pos + 1}, "trailing commas not allowed in function call args");
    int end = last_closing_;
    // Without a leading modifier the Go grammar reads one more token (a trailing by/without?)
    // before it checks the arguments, so a lexer error there comes first.
    if (!has_modifier && Peek().type == Tok::kError) LexerError(Peek());
    if (!has_modifier && (Peek().type == Tok::kBy || Peek().type == Tok::kWithout)) {
      modifier();
      end = last_closing_;
    }
    agg->pos = {op.pos, end};
    if (args.empty()) Fail(agg->pos, "no arguments for aggregate expression provided");
    size_t want = 1;
    if (op.type == Tok::kTopk || op.type == Tok::kBottomk || op.type == Tok::kQuantile ||
        op.type == Tok::kCountValues) {
      want = 2;
    }
    if (args.size() != want) {
      Fail(agg->pos, "wrong number of arguments for aggregate expression provided, expected " +
                         std::to_string(want) + ", got " + std::to_string(args.size()));
    }
    if (want == 2) agg->param = std::move(args[0]);
    agg->expr = std::move(args[want - 1]);
    SetHeight(*agg, {agg->expr.get(), agg->param.get()});
    return agg;
  }

  // ---- series descriptions ----
  Labels ParseMetricPart() {
    std::vector<Label> labels;
    const Token& t = Peek();
    if (IsMetricIdentifierTok(t.type)) {
      labels.push_back({std::string(kMetricName), Advance().val});
    } else if (t.type != Tok::kLeftBrace) {
      Unexpected("", "");
    }
    if (Peek().type == Tok::kLeftBrace) {
      Advance();
      if (Peek().type == Tok::kRightBrace) {
        Advance();
      } else {
        for (;;) {
          if (Peek().type != Tok::kIdentifier) Unexpected("label set", "identifier or \"}\"");
          std::string name = Advance().val;
          if (Peek().type != Tok::kEql) Unexpected("label set", "\"=\"");
          Advance();
          if (Peek().type != Tok::kString) Unexpected("label set", "string");
          labels.push_back({name, Unquote(Advance())});
          if (Peek().type == Tok::kComma) {
            Advance();
            if (Peek().type == Tok::kRightBrace) {
              Advance();
              break;
            }
            continue;
          }
          if (Peek().type == Tok::kRightBrace) {
            Advance();
            break;
          }
          Unexpected("label set", "\",\" or \"}\"");
        }
      }
    }
    return Labels(std::move(labels));
  }

  double ParseSeriesValue() {
    const Token& t = Peek();
    if (t.type == Tok::kIdentifier) {
      if (t.val != "stale") Unexpected("series values", "number or \"stale\"");
      Advance();
      return StaleNaN();
    }
    if (t.type == Tok::kNumber) return ParseNumber(Advance());
    if (t.type == Tok::kAdd || t.type == Tok::kSub) {
      Advance();
      if (Peek().type != Tok::kNumber) Unexpected("series values", "");
      double v = ParseNumber(Advance());
      return t.type == Tok::kSub ? -v : v;
    }
    Unexpected("series values", "");
  }

  uint64_t ParseRepetition() {
    if (Peek().type != Tok::kNumber) Unexpected("series values", "");
    const Token& t = Advance();
    uint64_t n = 0;
    for (char c : t.val) {
      if (c < '0' || c > '9' || n > (std::numeric_limits<uint64_t>::max() - 9) / 10) {
        Fail({t.pos, t.end()}, "invalid repetition in series values: strconv.ParseUint: parsing " +
                                   gocompat::Quote(t.val) + ": invalid syntax");
      }
      n = n * 10 + static_cast<uint64_t>(c - '0');
    }
    // Bound expansions: a test file describing billions of samples is a mistake, not data.
    if (n > kMaxRepetition) {
      Fail({t.pos, t.end()}, "invalid repetition in series values: " + t.val + " is too large");
    }
    return n;
  }

  void ParseSeriesItem(std::vector<SequenceValue>& out) {
    if (Peek().type == Tok::kBlank) {
      Advance();
      if (Peek().type == Tok::kTimes) {
        Advance();
        uint64_t n = ParseRepetition();
        CheckTotal(out.size(), n);
        for (uint64_t i = 0; i < n; ++i) out.push_back({0, true});
      } else {
        out.push_back({0, true});
      }
      return;
    }
    double v = ParseSeriesValue();
    Tok next = Peek().type;
    if (next == Tok::kTimes) {
      Advance();
      uint64_t n = ParseRepetition();
      CheckTotal(out.size(), n + 1);
      for (uint64_t i = 0; i <= n; ++i) out.push_back({v, false});
      return;
    }
    if (next == Tok::kAdd || next == Tok::kSub) {
      Advance();
      if (Peek().type != Tok::kNumber) Unexpected("series values", "");
      double step = ParseNumber(Advance());
      if (next == Tok::kSub) step = -step;
      if (Peek().type != Tok::kTimes) Unexpected("series values", "");
      Advance();
      uint64_t n = ParseRepetition();
      CheckTotal(out.size(), n + 1);
      out.push_back({v, false});
      for (uint64_t i = 1; i <= n; ++i) {
        v += step;
        out.push_back({v, false});
      }
      return;
    }
    out.push_back({v, false});
  }

  void CheckTotal(size_t have, uint64_t add) {
    if (have + add > kMaxRepetition) {
      const Token& t = toks_[pos_ > 0 ? pos_ - 1 : 0];
      Fail({t.pos, t.end()}, "invalid repetition in series values: too many values");
    }
  }

  static constexpr uint64_t kMaxRepetition = 10'000'000;

  std::string_view in_;
  std::vector<Token> toks_;
  size_t pos_ = 0;
  int last_closing_ = 0;
  std::vector<std::string_view> contexts_;
  int depth_ = 0;
};

}  // namespace

ParseError::ParseError(std::string_view query, PosRange range, std::string message)
    : std::runtime_error(Format(query, range, message, nullptr, nullptr)),
      range_(range),
      message_(std::move(message)) {
  Format(query, range, message_, &line_, &col_);
}

std::string ParseError::Format(std::string_view query, PosRange range, const std::string& message,
                               int* line, int* col) {
  int pos = range.start;
  int scratch_line = 0, scratch_col = 0;
  if (!line) line = &scratch_line;
  if (!col) col = &scratch_col;
  std::string where;
  if (pos < 0 || pos > static_cast<int>(query.size())) {
    where = "invalid position:";
    *line = *col = 0;
  } else {
    int last_break = -1;
    *line = 1;
    for (int i = 0; i < pos; ++i) {
      if (query[i] == '\n') {
        last_break = i;
        ++*line;
      }
    }
    *col = pos - last_break;
    where = std::to_string(*line) + ":" + std::to_string(*col) + ":";
  }
  return where + " parse error: " + message;
}

ExprPtr ParseExpr(std::string_view input) { return Parser(input, false).ParseExpression(); }

SeriesDescription ParseSeriesDesc(std::string_view input) {
  return Parser(input, true).ParseSeries();
}

// promql.ParseMetric lexes as an expression (lexStatements), not as series notation.
Labels ParseMetric(std::string_view input) { return Parser(input, false).ParseMetricOnly(); }

}  // namespace cerniq::promql
