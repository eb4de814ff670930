#include "gotemplate/lex.h"

#include <cstdio>
#include <map>

#include "gotemplate/go_compat.h"

namespace cerniq::gotemplate {
namespace {

constexpr std::string_view kLeftDelim = "{{";
constexpr std::string_view kRightDelim = "}}";
constexpr std::string_view kLeftComment = "/*";
constexpr std::string_view kRightComment = "*/";
constexpr int kTrimMarkerLen = 2;  // "-" plus the space before or after it
constexpr int kEof = -1;

bool IsSpace(int r) { return r == ' ' || r == '\t' || r == '\r' || r == '\n'; }

// unicode.IsLetter / IsDigit for ASCII; non-ASCII runes count as letters.
bool IsAlphaNumeric(int r) {
  return r == '_' || (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z') || (r >= '0' && r <= '9') ||
         r >= 0x80;
}

bool HasLeftTrimMarker(std::string_view s) { return s.size() >= 2 && s[0] == '-' && IsSpace(s[1]); }
bool HasRightTrimMarker(std::string_view s) {
  return s.size() >= 2 && IsSpace(s[0]) && s[1] == '-';
}

bool StartsWith(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

const std::map<std::string_view, TokenType>& Keywords() {
  static const std::map<std::string_view, TokenType> k = {
      {".", TokenType::kDot},
      {"block", TokenType::kBlock},
      {"break", TokenType::kBreak},
      {"continue", TokenType::kContinue},
      {"define", TokenType::kDefine},
      {"else", TokenType::kElse},
      {"end", TokenType::kEnd},
      {"if", TokenType::kIf},
      {"range", TokenType::kRange},
      {"nil", TokenType::kNil},
      {"template", TokenType::kTemplate},
      {"with", TokenType::kWith},
  };
  return k;
}

// Go's "%#U" of a rune: U+0041 'A'.
std::string RuneDescription(int r, std::string_view utf8) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "U+%04X", static_cast<unsigned>(r));
  std::string out = buf;
  if (r >= 0x20 && r != 0x7F && !(r >= 0x80 && r < 0xA0)) out += " '" + std::string(utf8) + "'";
  return out;
}

enum class State {
  kText,
  kLeftDelim,
  kComment,
  kRightDelim,
  kInsideAction,
  kSpace,
  kIdentifier,
  kField,
  kVariable,
  kChar,
  kNumber,
  kQuote,
  kRawQuote,
  kDone,
};

class Lexer {
 public:
  explicit Lexer(std::string_view in) : in_(in) {}

  std::vector<Token> Run() {
    State s = State::kText;
    while (s != State::kDone) s = Step(s);
    return std::move(tokens_);
  }

 private:
  State Step(State s) {
    switch (s) {
      case State::kText:
        return LexText();
      case State::kLeftDelim:
        return LexLeftDelim();
      case State::kComment:
        return LexComment();
      case State::kRightDelim:
        return LexRightDelim();
      case State::kInsideAction:
        return LexInsideAction();
      case State::kSpace:
        return LexSpace();
      case State::kIdentifier:
        return LexIdentifier();
      case State::kField:
        return LexFieldOrVariable(TokenType::kField);
      case State::kVariable:
        return LexVariable();
      case State::kChar:
        return LexQuoted('\'', "unterminated character constant", TokenType::kCharConstant);
      case State::kNumber:
        return LexNumber();
      case State::kQuote:
        return LexQuoted('"', "unterminated quoted string", TokenType::kString);
      case State::kRawQuote:
        return LexRawQuote();
      case State::kDone:
        break;
    }
    return State::kDone;
  }

  std::string_view Rest(int from) const { return in_.substr(static_cast<std::size_t>(from)); }

  // Decodes the rune at pos_ (invalid UTF-8 counts as one byte, like Go's RuneError).
  int Next() {
    if (pos_ >= static_cast<int>(in_.size())) {
      width_ = 0;
      return kEof;
    }
    const auto b = static_cast<unsigned char>(in_[pos_]);
    int n = b < 0x80             ? 1
            : (b & 0xE0) == 0xC0 ? 2
            : (b & 0xF0) == 0xE0 ? 3
            : (b & 0xF8) == 0xF0 ? 4
                                 : 1;
    if (pos_ + n > static_cast<int>(in_.size())) n = 1;
    int r = n == 1 ? b : n == 2 ? (b & 0x1F) : n == 3 ? (b & 0x0F) : (b & 0x07);
    for (int k = 1; k < n; ++k) r = (r << 6) | (static_cast<unsigned char>(in_[pos_ + k]) & 0x3F);
    if (n == 1 && b >= 0x80) r = 0xFFFD;
    width_ = n;
    pos_ += n;
    return r;
  }
  int Peek() {
    const int r = Next();
    Backup();
    return r;
  }
  void Backup() { pos_ -= width_; }
  bool Accept(std::string_view valid) {
    const int r = Next();
    if (r != kEof && r < 0x80 && valid.find(static_cast<char>(r)) != std::string_view::npos) {
      return true;
    }
    Backup();
    return false;
  }
  void AcceptRun(std::string_view valid) {
    while (Accept(valid)) {
    }
  }

  // 1 + the newlines before `pos`; tokens start at increasing positions, so count incrementally.
  int LineAt(int pos) {
    for (; counted_ < pos; ++counted_) line_ += in_[counted_] == '\n';
    return line_;
  }
  void Emit(TokenType t) {
    tokens_.push_back({t, start_, std::string(in_.substr(start_, pos_ - start_)), LineAt(start_)});
    start_ = pos_;
  }
  void Ignore() { start_ = pos_; }
  State Errorf(std::string msg) {
    tokens_.push_back({TokenType::kError, start_, std::move(msg), LineAt(start_)});
    return State::kDone;
  }

  // Whether pos_ is at a right delimiter, possibly preceded by a trim marker.
  bool AtRightDelim(bool& trim) const {
    if (HasRightTrimMarker(Rest(pos_)) && StartsWith(Rest(pos_ + kTrimMarkerLen), kRightDelim)) {
      trim = true;
      return true;
    }
    trim = false;
    return StartsWith(Rest(pos_), kRightDelim);
  }

  State LexText() {
    const auto x = Rest(pos_).find(kLeftDelim);
    if (x == std::string_view::npos) {
      pos_ = static_cast<int>(in_.size());
      if (pos_ > start_) Emit(TokenType::kText);
      Emit(TokenType::kEOF);
      return State::kDone;
    }
    pos_ += static_cast<int>(x);
    int trim = 0;
    if (HasLeftTrimMarker(Rest(pos_ + static_cast<int>(kLeftDelim.size())))) {
      const auto text = in_.substr(start_, pos_ - start_);
      const auto kept = text.find_last_not_of(" \t\r\n");
      trim = static_cast<int>(text.size() - (kept == std::string_view::npos ? 0 : kept + 1));
    }
    pos_ -= trim;
    if (pos_ > start_) Emit(TokenType::kText);
    pos_ += trim;
    Ignore();
    return State::kLeftDelim;
  }

  State LexLeftDelim() {
    pos_ += static_cast<int>(kLeftDelim.size());
    const bool trim = HasLeftTrimMarker(Rest(pos_));
    const int after_marker = trim ? kTrimMarkerLen : 0;
    if (StartsWith(Rest(pos_ + after_marker), kLeftComment)) {
      pos_ += after_marker;
      Ignore();
      return State::kComment;
    }
    Emit(TokenType::kLeftDelim);
    pos_ += after_marker;
    Ignore();
    paren_depth_ = 0;
    return State::kInsideAction;
  }

  State LexComment() {
    pos_ += static_cast<int>(kLeftComment.size());
    const auto x = Rest(pos_).find(kRightComment);
    if (x == std::string_view::npos) return Errorf("unclosed comment");
    pos_ += static_cast<int>(x + kRightComment.size());
    bool trim = false;
    if (!AtRightDelim(trim)) return Errorf("comment ends before closing delimiter");
    if (trim) pos_ += kTrimMarkerLen;
    pos_ += static_cast<int>(kRightDelim.size());
    if (trim) SkipLeadingSpace();
    Ignore();
    return State::kText;
  }

  void SkipLeadingSpace() {
    while (pos_ < static_cast<int>(in_.size()) && IsSpace(in_[pos_])) ++pos_;
  }

  State LexRightDelim() {
    bool trim = false;
    AtRightDelim(trim);
    if (trim) {
      pos_ += kTrimMarkerLen;
      Ignore();
    }
    pos_ += static_cast<int>(kRightDelim.size());
    Emit(TokenType::kRightDelim);
    if (trim) {
      SkipLeadingSpace();
      Ignore();
    }
    return State::kText;
  }

  State LexInsideAction() {
    bool trim = false;
    if (AtRightDelim(trim)) {
      if (paren_depth_ == 0) return State::kRightDelim;
      return Errorf("unclosed left paren");
    }
    const int before = pos_;
    const int r = Next();
    if (r == kEof) return Errorf("unclosed action");
    if (IsSpace(r)) {
      Backup();  // keep the space in case it starts " -}}"
      return State::kSpace;
    }
    switch (r) {
      case '=':
        Emit(TokenType::kAssign);
        return State::kInsideAction;
      case ':':
        if (Next() != '=') return Errorf("expected :=");
        Emit(TokenType::kDeclare);
        return State::kInsideAction;
      case '|':
        Emit(TokenType::kPipe);
        return State::kInsideAction;
      case '"':
        return State::kQuote;
      case '`':
        return State::kRawQuote;
      case '$':
        return State::kVariable;
      case '\'':
        return State::kChar;
      case '(':
        Emit(TokenType::kLeftParen);
        ++paren_depth_;
        return State::kInsideAction;
      case ')':
        Emit(TokenType::kRightParen);
        --paren_depth_;
        if (paren_depth_ < 0) return Errorf("unexpected right paren " + RuneDescription(r, ")"));
        return State::kInsideAction;
      default:
        break;
    }
    if (r == '.') {
      // ".field" unless a digit follows ('.' can start a number).
      if (pos_ < static_cast<int>(in_.size()) && (in_[pos_] < '0' || in_[pos_] > '9')) {
        return State::kField;
      }
    }
    if (r == '.' || r == '+' || r == '-' || (r >= '0' && r <= '9')) {
      Backup();
      return State::kNumber;
    }
    if (IsAlphaNumeric(r)) {
      Backup();
      return State::kIdentifier;
    }
    if (r < 0x80 && r > 0x20 && r != 0x7F) {
      Emit(TokenType::kChar);
      return State::kInsideAction;
    }
    return Errorf("unrecognized character in action: " +
                  RuneDescription(r, in_.substr(before, pos_ - before)));
  }

  State LexSpace() {
    int spaces = 0;
    while (IsSpace(Peek())) {
      Next();
      ++spaces;
    }
    // A trim-marked right delimiter starts with a space: leave it for LexRightDelim.
    if (HasRightTrimMarker(Rest(pos_ - 1)) &&
        StartsWith(Rest(pos_ - 1 + kTrimMarkerLen), kRightDelim)) {
      --pos_;
      if (spaces == 1) return State::kRightDelim;
    }
    Emit(TokenType::kSpace);
    return State::kInsideAction;
  }

  bool AtTerminator() {
    const int r = Peek();
    if (IsSpace(r)) return true;
    switch (r) {
      case kEof:
      case '.':
      case ',':
      case '|':
      case ':':
      case ')':
      case '(':
        return true;
      default:
        break;
    }
    return r == kRightDelim[0];
  }

  State LexIdentifier() {
    int r = 0;
    while (IsAlphaNumeric(r = Next())) {
    }
    const int bad_start = pos_ - width_;
    Backup();
    if (!AtTerminator()) {
      return Errorf("bad character " + RuneDescription(r, in_.substr(bad_start, width_)));
    }
    const auto word = in_.substr(start_, pos_ - start_);
    auto kw = Keywords().find(word);
    if (kw != Keywords().end()) {
      Emit(kw->second);
    } else if (word[0] == '.') {
      Emit(TokenType::kField);
    } else if (word == "true" || word == "false") {
      Emit(TokenType::kBool);
    } else {
      Emit(TokenType::kIdentifier);
    }
    return State::kInsideAction;
  }

  State LexVariable() {
    if (AtTerminator()) {  // a lone "$"
      Emit(TokenType::kVariable);
      return State::kInsideAction;
    }
    return LexFieldOrVariable(TokenType::kVariable);
  }

  State LexFieldOrVariable(TokenType type) {
    if (AtTerminator()) {
      Emit(type == TokenType::kVariable ? TokenType::kVariable : TokenType::kDot);
      return State::kInsideAction;
    }
    int r = 0;
    while (IsAlphaNumeric(r = Next())) {
    }
    const int bad_start = pos_ - width_;
    Backup();
    if (!AtTerminator()) {
      return Errorf("bad character " + RuneDescription(r, in_.substr(bad_start, width_)));
    }
    Emit(type);
    return State::kInsideAction;
  }

  State LexQuoted(char quote, const char* unterminated, TokenType type) {
    while (true) {
      int r = Next();
      if (r == '\\') {
        r = Next();
        if (r != kEof && r != '\n') continue;
        return Errorf(unterminated);
      }
      if (r == kEof || r == '\n') return Errorf(unterminated);
      if (r == quote) break;
    }
    Emit(type);
    return State::kInsideAction;
  }

  State LexRawQuote() {
    while (true) {
      const int r = Next();
      if (r == kEof) return Errorf("unterminated raw quoted string");
      if (r == '`') break;
    }
    Emit(TokenType::kRawString);
    return State::kInsideAction;
  }

  bool ScanNumber() {
    Accept("+-");
    std::string_view digits = "0123456789_";
    if (Accept("0")) {
      if (Accept("xX"))
        digits = "0123456789abcdefABCDEF_";
      else if (Accept("oO"))
        digits = "01234567_";
      else if (Accept("bB"))
        digits = "01_";
    }
    AcceptRun(digits);
    if (Accept(".")) AcceptRun(digits);
    if (digits.size() == 11 && Accept("eE")) {
      Accept("+-");
      AcceptRun("0123456789_");
    }
    if (digits.size() == 23 && Accept("pP")) {
      Accept("+-");
      AcceptRun("0123456789_");
    }
    Accept("i");
    if (IsAlphaNumeric(Peek())) {
      Next();
      return false;
    }
    return true;
  }

  State LexNumber() {
    if (!ScanNumber()) {
      return Errorf("bad number syntax: " + GoQuote(in_.substr(start_, pos_ - start_)));
    }
    const int sign = Peek();
    if (sign == '+' || sign == '-') {
      if (!ScanNumber() || in_[pos_ - 1] != 'i') {
        return Errorf("bad number syntax: " + GoQuote(in_.substr(start_, pos_ - start_)));
      }
      Emit(TokenType::kComplex);
    } else {
      Emit(TokenType::kNumber);
    }
    return State::kInsideAction;
  }

  std::string_view in_;
  int pos_ = 0;
  int start_ = 0;
  int width_ = 0;
  int paren_depth_ = 0;
  int counted_ = 0;
  int line_ = 1;
  std::vector<Token> tokens_;
};

}  // namespace

std::string Token::String() const {
  if (type == TokenType::kEOF) return "EOF";
  if (type == TokenType::kError) return val;
  if (type > TokenType::kKeyword) return "<" + val + ">";
  if (val.size() > 10) return GoQuotePrefix(val, 10) + "...";
  return GoQuote(val);
}

std::vector<Token> Lex(std::string_view text) { return Lexer(text).Run(); }

}  // namespace cerniq::gotemplate
