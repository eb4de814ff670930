#include "promql/lexer.h"

#include "gocompat/quote.h"
#include "gocompat/utf8.h"
#include "promql/labels.h"

#include <cctype>
#include <optional>
#include <unordered_map>

namespace cerniq::promql {
namespace {

const std::unordered_map<std::string, Tok>& KeyTable() {
  static const std::unordered_map<std::string, Tok> kKeys = {
      {"and", Tok::kLand},
      {"or", Tok::kLor},
      {"unless", Tok::kLunless},
      {"atan2", Tok::kAtan2},
      {"sum", Tok::kSum},
      {"avg", Tok::kAvg},
      {"count", Tok::kCount},
      {"min", Tok::kMin},
      {"max", Tok::kMax},
      {"group", Tok::kGroup},
      {"stddev", Tok::kStddev},
      {"stdvar", Tok::kStdvar},
      {"topk", Tok::kTopk},
      {"bottomk", Tok::kBottomk},
      {"count_values", Tok::kCountValues},
      {"quantile", Tok::kQuantile},
      {"offset", Tok::kOffset},
      {"by", Tok::kBy},
      {"without", Tok::kWithout},
      {"on", Tok::kOn},
      {"ignoring", Tok::kIgnoring},
      {"group_left", Tok::kGroupLeft},
      {"group_right", Tok::kGroupRight},
      {"bool", Tok::kBool},
      {"start", Tok::kStart},
      {"end", Tok::kEnd},
      {"inf", Tok::kNumber},
      {"nan", Tok::kNumber},
  };
  return kKeys;
}

// Tokens made of one character outside braces.
std::optional<Tok> SingleCharToken(char32_t r) {
  switch (r) {
    case ',':
      return Tok::kComma;
    case '*':
      return Tok::kMul;
    case '/':
      return Tok::kDiv;
    case '%':
      return Tok::kMod;
    case '+':
      return Tok::kAdd;
    case '-':
      return Tok::kSub;
    case '^':
      return Tok::kPow;
    case '@':
      return Tok::kAt;
    default:
      return std::nullopt;
  }
}

bool IsSpaceRune(char32_t r) { return r == ' ' || r == '\t' || r == '\n' || r == '\r'; }
bool IsDigitRune(char32_t r) { return r >= '0' && r <= '9'; }
bool IsAlphaRune(char32_t r) {
  return r == '_' || (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z');
}
bool IsAlnumRune(char32_t r) { return IsAlphaRune(r) || IsDigitRune(r); }

class Lexer {
 public:
  Lexer(std::string_view input, bool series_desc) : in_(input), series_desc_(series_desc) {}

  std::vector<Token> Run() {
    State st = State::kStatements;
    while (st != State::kDone) st = Step(st);
    return std::move(out_);
  }

 private:
  enum class State {
    kStatements,
    kInsideBraces,
    kValueSequence,
    kKeywordOrIdentifier,
    kIdentifier,
    kNumberOrDuration,
    kDuration,
    kString,
    kRawString,
    kSpace,
    kLineComment,
    kDone,
  };

  char32_t Next() {
    if (pos_ >= in_.size()) {
      width_ = 0;
      return kEofRune;
    }
    char32_t r = gocompat::DecodeRune(in_, pos_, &width_);
    pos_ += width_;
    return r;
  }
  void Backup() { pos_ -= width_; }
  char32_t Peek() {
    char32_t r = Next();
    Backup();
    return r;
  }
  bool Accept(std::string_view valid) {
    char32_t r = Next();
    if (r != kEofRune && r < 0x80 && valid.find(static_cast<char>(r)) != std::string_view::npos)
      return true;
    Backup();
    return false;
  }
  void AcceptRun(std::string_view valid) {
    while (Accept(valid)) {
    }
  }
  void Emit(Tok t) {
    out_.push_back({t, static_cast<int>(start_), std::string(in_.substr(start_, pos_ - start_))});
    start_ = pos_;
  }
  void Ignore() { start_ = pos_; }
  State Errorf(std::string msg) {
    out_.push_back({Tok::kError, static_cast<int>(start_), std::move(msg)});
    return State::kDone;
  }
  bool StartsWith(std::string_view p) const { return in_.substr(pos_).starts_with(p); }

  State Step(State st) {
    switch (st) {
      case State::kStatements:
        return Statements();
      case State::kInsideBraces:
        return InsideBraces();
      case State::kValueSequence:
        return ValueSequence();
      case State::kKeywordOrIdentifier:
        return KeywordOrIdentifier();
      case State::kIdentifier:
        return Identifier();
      case State::kNumberOrDuration:
        return NumberOrDuration();
      case State::kDuration:
        return Duration();
      case State::kString:
        return String();
      case State::kRawString:
        return RawString();
      case State::kSpace:
        return Space();
      case State::kLineComment:
        return LineComment();
      case State::kDone:
        return State::kDone;
    }
    return State::kDone;
  }

  State Statements() {
    if (brace_open_) return State::kInsideBraces;
    if (StartsWith("#")) return State::kLineComment;
    char32_t r = Next();
    if (r == kEofRune) {
      if (paren_depth_ != 0) return Errorf("unclosed left parenthesis");
      if (bracket_open_) return Errorf("unclosed left bracket");
      Emit(Tok::kEOF);
      return State::kDone;
    }
    if (auto single = SingleCharToken(r)) {
      Emit(*single);
      return State::kStatements;
    }
    switch (r) {
      case '=': {
        char32_t t = Peek();
        if (t == '=') {
          Next();
          Emit(Tok::kEqlc);
        } else if (t == '~') {
          return Errorf("unexpected character after '=': " + gocompat::QuoteRune(t));
        } else {
          Emit(Tok::kEql);
        }
        return State::kStatements;
      }
      case '!': {
        char32_t t = Next();
        if (t != '=') return Errorf("unexpected character after '!': " + gocompat::QuoteRune(t));
        Emit(Tok::kNeq);
        return State::kStatements;
      }
      case '<':
      case '>': {
        bool eq = Peek() == '=';
        if (eq) Next();
        Emit(r == '<' ? (eq ? Tok::kLte : Tok::kLss) : (eq ? Tok::kGte : Tok::kGtr));
        return State::kStatements;
      }
      case '"':
      case '\'':
        string_open_ = r;
        return State::kString;
      case '`':
        string_open_ = r;
        return State::kRawString;
      case '(':
        Emit(Tok::kLeftParen);
        ++paren_depth_;
        return State::kStatements;
      case ')':
        if (--paren_depth_ < 0) {
          // Prometheus overwrites the just-emitted ")" with this error, positioned after it.
          start_ = pos_;
          return Errorf("unexpected right parenthesis " + gocompat::QuoteRune(r));
        }
        Emit(Tok::kRightParen);
        return State::kStatements;
      case '{':
        Emit(Tok::kLeftBrace);
        brace_open_ = true;
        return State::kInsideBraces;
      case '[':
        if (bracket_open_) return Errorf("unexpected left bracket " + gocompat::QuoteRune(r));
        got_colon_ = false;
        Emit(Tok::kLeftBracket);
        while (IsSpaceRune(Peek())) Next();
        Ignore();
        bracket_open_ = true;
        return State::kDuration;
      case ']':
        if (!bracket_open_) return Errorf("unexpected right bracket " + gocompat::QuoteRune(r));
        Emit(Tok::kRightBracket);
        bracket_open_ = false;
        return State::kStatements;
      default:
        break;
    }
    if (IsSpaceRune(r)) return State::kSpace;
    if (IsDigitRune(r) || (r == '.' && IsDigitRune(Peek()))) {
      Backup();
      return State::kNumberOrDuration;
    }
    if (IsAlphaRune(r) || r == ':') {
      if (!bracket_open_) {
        Backup();
        return State::kKeywordOrIdentifier;
      }
      // Inside brackets only the subquery colon is valid; Prometheus emits any letter as one.
      if (got_colon_) return Errorf("unexpected colon " + gocompat::QuoteRune(r));
      Emit(Tok::kColon);
      got_colon_ = true;
      return State::kStatements;
    }
    return Errorf("unexpected character: " + gocompat::QuoteRune(r));
  }

  State InsideBraces() {
    if (StartsWith("#")) return State::kLineComment;
    char32_t r = Next();
    if (r == kEofRune) return Errorf("unexpected end of input inside braces");
    if (IsSpaceRune(r)) return State::kSpace;
    if (IsAlphaRune(r)) {
      Backup();
      return State::kIdentifier;
    }
    switch (r) {
      case ',':
        Emit(Tok::kComma);
        break;
      case '"':
      case '\'':
        string_open_ = r;
        return State::kString;
      case '`':
        string_open_ = r;
        return State::kRawString;
      case '=':
        if (Next() == '~') {
          Emit(Tok::kEqlRegex);
          break;
        }
        Backup();
        Emit(Tok::kEql);
        break;
      case '!': {
        char32_t nr = Next();
        if (nr == '~') {
          Emit(Tok::kNeqRegex);
        } else if (nr == '=') {
          Emit(Tok::kNeq);
        } else {
          return Errorf("unexpected character after '!' inside braces: " + gocompat::QuoteRune(nr));
        }
        break;
      }
      case '{':
        return Errorf("unexpected left brace " + gocompat::QuoteRune(r));
      case '}':
        Emit(Tok::kRightBrace);
        brace_open_ = false;
        return series_desc_ ? State::kValueSequence : State::kStatements;
      default:
        return Errorf("unexpected character inside braces: " + gocompat::QuoteRune(r));
    }
    return State::kInsideBraces;
  }

  State ValueSequence() {
    char32_t r = Next();
    if (r == kEofRune) return State::kStatements;
    if (IsSpaceRune(r)) {
      Emit(Tok::kSpace);
      while (IsSpaceRune(Peek())) Next();
      Ignore();
    } else if (r == '+') {
      Emit(Tok::kAdd);
    } else if (r == '-') {
      Emit(Tok::kSub);
    } else if (r == 'x') {
      Emit(Tok::kTimes);
    } else if (r == '_') {
      Emit(Tok::kBlank);
    } else if (IsDigitRune(r) || (r == '.' && IsDigitRune(Peek()))) {
      Backup();
      // lexNumber's result state is dropped by Prometheus here: the sequence state continues.
      if (!ScanNumber()) return Errorf("bad number syntax: \"" + Current() + "\"");
      Emit(Tok::kNumber);
    } else if (IsAlphaRune(r)) {
      Backup();
      return State::kKeywordOrIdentifier;
    } else {
      return Errorf("unexpected character in series sequence: " + gocompat::QuoteRune(r));
    }
    return State::kValueSequence;
  }

  std::string Current() const { return std::string(in_.substr(start_, pos_ - start_)); }

  State KeywordOrIdentifier() {
    for (;;) {
      char32_t r = Next();
      if (IsAlnumRune(r) || r == ':') continue;
      Backup();
      break;
    }
    std::string word = Current();
    std::string lower = word;
    for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    auto it = KeyTable().find(lower);
    if (it != KeyTable().end()) {
      Emit(it->second);
    } else if (word.find(':') == std::string::npos) {
      Emit(Tok::kIdentifier);
    } else {
      Emit(Tok::kMetricIdentifier);
    }
    if (series_desc_ && Peek() != '{') return State::kValueSequence;
    return State::kStatements;
  }

  State Identifier() {
    while (IsAlnumRune(Next())) {
    }
    Backup();
    Emit(Tok::kIdentifier);
    return State::kStatements;
  }

  bool ScanNumber() {
    std::string_view digits = "0123456789";
    if (!series_desc_ && Accept("0") && Accept("xX")) digits = "0123456789abcdefABCDEF";
    AcceptRun(digits);
    if (Accept(".")) AcceptRun(digits);
    if (Accept("eE")) {
      Accept("+-");
      AcceptRun("0123456789");
    }
    char32_t r = Peek();
    return (series_desc_ && r == 'x') || !IsAlnumRune(r);
  }

  bool AcceptRemainingDuration() {
    if (!Accept("smhdwy")) return false;
    Accept("s");  // "ms"; bad units such as "hs" are caught when the duration is parsed
    while (Accept("0123456789")) {
      while (Accept("0123456789")) {
      }
      if (!Accept("smhdw")) return false;
      Accept("s");
    }
    return !IsAlnumRune(Next());
  }

  State NumberOrDuration() {
    if (ScanNumber()) {
      Emit(Tok::kNumber);
      return State::kStatements;
    }
    if (AcceptRemainingDuration()) {
      Backup();
      Emit(Tok::kDuration);
      return State::kStatements;
    }
    return Errorf("bad number or duration syntax: \"" + Current() + "\"");
  }

  State Duration() {
    if (ScanNumber()) return Errorf("missing unit character in duration");
    if (!AcceptRemainingDuration()) return Errorf("bad duration syntax: \"" + Current() + "\"");
    Backup();
    Emit(Tok::kDuration);
    return State::kStatements;
  }

  State String() {
    for (;;) {
      char32_t r = Next();
      if (r == '\\') {
        if (!Escape()) return State::kDone;
        continue;
      }
      if (r == gocompat::kRuneError && width_ == 1) return Errorf("invalid UTF-8 rune");
      if (r == kEofRune || r == '\n') return Errorf("unterminated quoted string");
      if (r == string_open_) break;
    }
    Emit(Tok::kString);
    return State::kStatements;
  }

  // Validates an escape sequence; false after emitting an error.
  bool Escape() {
    char32_t ch = Next();
    int n = 0;
    uint32_t base = 0, max = 0;
    switch (ch) {
      case 'a':
      case 'b':
      case 'f':
      case 'n':
      case 'r':
      case 't':
      case 'v':
      case '\\':
        return true;
      case '0':
      case '1':
      case '2':
      case '3':
      case '4':
      case '5':
      case '6':
      case '7':
        n = 3, base = 8, max = 255;
        break;
      case 'x':
        ch = Next(), n = 2, base = 16, max = 255;
        break;
      case 'u':
        ch = Next(), n = 4, base = 16, max = 0x10FFFF;
        break;
      case 'U':
        ch = Next(), n = 8, base = 16, max = 0x10FFFF;
        break;
      default:
        if (ch == string_open_) return true;
        if (ch == kEofRune) {
          Errorf("escape sequence not terminated");
          return false;
        }
        Errorf("unknown escape sequence " + GoRuneU(ch));
        return false;
    }
    uint32_t x = 0;
    while (n > 0) {
      uint32_t d = 16;
      if (ch >= '0' && ch <= '9')
        d = ch - '0';
      else if (ch >= 'a' && ch <= 'f')
        d = ch - 'a' + 10;
      else if (ch >= 'A' && ch <= 'F')
        d = ch - 'A' + 10;
      if (d >= base) {
        if (ch == kEofRune) {
          Errorf("escape sequence not terminated");
          return false;
        }
        Errorf("illegal character " + GoRuneU(ch) + " in escape sequence");
        return false;
      }
      x = x * base + d;
      if (--n > 0) ch = Next();
    }
    if (x > max || (x >= 0xD800 && x < 0xE000)) {
      Errorf("escape sequence is an invalid Unicode code point");
      return false;
    }
    return true;
  }

  // Go's %#U: U+0041 'A'.
  static std::string GoRuneU(char32_t r) {
    char buf[16];
    snprintf(buf, sizeof buf, "U+%04X", static_cast<unsigned>(r));
    std::string out = buf;
    if (r >= 0x20 && r != 0x7f && r != kEofRune) {
      out += " '";
      gocompat::AppendUtf8(out, r);
      out += "'";
    }
    return out;
  }

  State RawString() {
    for (;;) {
      char32_t r = Next();
      if (r == gocompat::kRuneError && width_ == 1) return Errorf("invalid UTF-8 rune");
      if (r == kEofRune) return Errorf("unterminated raw string");
      if (r == string_open_) break;
    }
    Emit(Tok::kString);
    return State::kStatements;
  }

  State Space() {
    while (IsSpaceRune(Peek())) Next();
    Ignore();
    return State::kStatements;
  }

  State LineComment() {
    pos_ += 1;
    for (char32_t r = Next(); r != '\n' && r != '\r' && r != kEofRune;) r = Next();
    Backup();
    Emit(Tok::kComment);
    return State::kStatements;
  }

  std::string_view in_;
  bool series_desc_;
  size_t pos_ = 0;
  size_t start_ = 0;
  int width_ = 0;
  int paren_depth_ = 0;
  bool brace_open_ = false;
  bool bracket_open_ = false;
  bool got_colon_ = false;
  char32_t string_open_ = 0;
  std::vector<Token> out_;
};

}  // namespace

std::vector<Token> Lex(std::string_view input, bool series_desc) {
  return Lexer(input, series_desc).Run();
}

}  // namespace cerniq::promql
