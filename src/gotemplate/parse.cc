#include "gotemplate/parse.h"

#include <cerrno>
#include <cmath>
#include <cstdlib>

#include "gotemplate/go_compat.h"
#include "gotemplate/lex.h"

namespace cerniq::gotemplate {
namespace {

struct ParseError {
  std::string message;
};

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// strconv.UnquoteChar: one (possibly escaped) character of a quoted literal.
bool UnquoteChar(std::string_view s, std::size_t& i, char quote, std::string& out) {
  if (s[i] != '\\') {
    if (s[i] == quote && (quote == '\'' || quote == '"')) return false;
    out += s[i++];
    return true;
  }
  if (++i >= s.size()) return false;
  const char c = s[i++];
  switch (c) {
    case 'a':
      out += '\a';
      return true;
    case 'b':
      out += '\b';
      return true;
    case 'f':
      out += '\f';
      return true;
    case 'n':
      out += '\n';
      return true;
    case 'r':
      out += '\r';
      return true;
    case 't':
      out += '\t';
      return true;
    case 'v':
      out += '\v';
      return true;
    case '\\':
      out += '\\';
      return true;
    case '\'':
    case '"':
      if (c != quote) return false;
      out += c;
      return true;
    case 'x':
    case 'u':
    case 'U': {
      const std::size_t n = c == 'x' ? 2 : c == 'u' ? 4 : 8;
      if (i + n > s.size()) return false;
      char32_t v = 0;
      for (std::size_t k = 0; k < n; ++k) {
        const int h = HexValue(s[i + k]);
        if (h < 0) return false;
        v = v * 16 + static_cast<char32_t>(h);
      }
      i += n;
      if (c == 'x') {
        out += static_cast<char>(v);
        return true;
      }
      if (v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF)) return false;
      AppendUtf8(out, v);
      return true;
    }
    default:
      if (c >= '0' && c <= '7') {
        if (i + 2 > s.size()) return false;
        int v = c - '0';
        for (int k = 0; k < 2; ++k) {
          const char d = s[i + k];
          if (d < '0' || d > '7') return false;
          v = v * 8 + (d - '0');
        }
        if (v > 255) return false;
        i += 2;
        out += static_cast<char>(v);
        return true;
      }
      return false;
  }
}

std::optional<std::uint64_t> ParseUnsigned(std::string_view s) {
  // strconv.ParseUint(s, 0, 64): base prefixes, and underscores as Go number syntax allows.
  if (s.empty()) return std::nullopt;
  if (s.find('_') != std::string_view::npos && !GoUnderscoreOK(s)) return std::nullopt;
  int base = 10;
  if (s[0] == '0') {
    const char p = s.size() >= 3 ? static_cast<char>(s[1] | 0x20) : '\0';
    base = p == 'b' ? 2 : p == 'o' ? 8 : p == 'x' ? 16 : 8;
    s = s.substr(base == 8 && p != 'o' ? 1 : 2);
  }
  std::uint64_t v = 0;
  for (char c : s) {
    if (c == '_') continue;
    const int d = HexValue(c);
    if (d < 0 || d >= base) return std::nullopt;
    const auto ud = static_cast<std::uint64_t>(d);
    if (v > (UINT64_MAX - ud) / static_cast<std::uint64_t>(base)) return std::nullopt;
    v = v * static_cast<std::uint64_t>(base) + ud;
  }
  return v;
}

// strconv.ParseFloat for the decimal forms the lexer lets through.
std::optional<double> ParseFloat(const std::string& text) {
  if (text.empty() || !GoUnderscoreOK(text)) return std::nullopt;
  std::string s;
  for (char c : text) {
    if (c != '_') s += c;
  }
  errno = 0;
  char* end = nullptr;
  const double v = std::strtod(s.c_str(), &end);
  if (end != s.c_str() + s.size()) return std::nullopt;
  if (errno == ERANGE && std::isinf(v)) return std::nullopt;
  return v;
}

class Parser {
 public:
  Parser(TemplateSet& set, const std::vector<Token>& tokens, std::size_t& lex_index,
         const std::function<bool(std::string_view)>& has_function)
      : set_(set), tokens_(tokens), lex_index_(lex_index), has_function_(has_function) {}

  // Tree.parse: the top level, where {{define}} may appear.
  NodePtr ParseTop() {
    auto root = NewNode(NodeKind::kList, Peek().pos);
    while (Peek().type != TokenType::kEOF) {
      if (Peek().type == TokenType::kLeftDelim) {
        Token delim = Next();
        if (NextNonSpace().type == TokenType::kDefine) {
          Parser sub(set_, tokens_, lex_index_, has_function_);
          sub.ParseDefinition();
          continue;
        }
        Backup2(delim);
      }
      NodePtr n = TextOrAction();
      if (n->kind == NodeKind::kEnd || n->kind == NodeKind::kElse) {
        Errorf("unexpected " + n->String());
      }
      root->nodes.push_back(std::move(n));
    }
    return root;
  }

 private:
  [[noreturn]] void Errorf(const std::string& msg) {
    throw ParseError{"template: " + set_.name + ":" + std::to_string(token_[0].line) + ": " + msg};
  }

  NodePtr NewNode(NodeKind kind, int pos) { return std::make_unique<Node>(kind, pos); }

  Token LexNext() {
    const Token& t = tokens_[std::min(lex_index_, tokens_.size() - 1)];
    if (lex_index_ < tokens_.size()) ++lex_index_;
    return t;
  }
  Token Next() {
    if (peek_count_ > 0) {
      --peek_count_;
    } else {
      token_[0] = LexNext();
    }
    return token_[peek_count_];
  }
  void Backup() { ++peek_count_; }
  void Backup2(const Token& t1) {
    token_[1] = t1;
    peek_count_ = 2;
  }
  void Backup3(const Token& t2, const Token& t1) {
    token_[1] = t1;
    token_[2] = t2;
    peek_count_ = 3;
  }
  Token Peek() {
    if (peek_count_ > 0) return token_[peek_count_ - 1];
    peek_count_ = 1;
    token_[0] = LexNext();
    return token_[0];
  }
  Token NextNonSpace() {
    Token t;
    do {
      t = Next();
    } while (t.type == TokenType::kSpace);
    return t;
  }
  Token PeekNonSpace() {
    Token t = NextNonSpace();
    Backup();
    return t;
  }
  Token Expect(TokenType expected, const std::string& context) {
    Token t = NextNonSpace();
    if (t.type != expected) Unexpected(t, context);
    return t;
  }
  [[noreturn]] void Unexpected(const Token& t, const std::string& context) {
    if (t.type == TokenType::kError) {
      std::string extra;
      if (action_line_ != 0 && action_line_ != t.line) {
        extra = " in action started at " + set_.name + ":" + std::to_string(action_line_);
        if (t.val.size() >= 7 && t.val.compare(t.val.size() - 7, 7, " action") == 0) {
          extra = extra.substr(10);  // avoid "action in action"
        }
      }
      Errorf(t.String() + extra);
    }
    Errorf("unexpected " + t.String() + " in " + context);
  }

  void ParseDefinition() {
    const std::string context = "define clause";
    Token name = NextNonSpace();
    if (name.type != TokenType::kString && name.type != TokenType::kRawString) {
      Unexpected(name, context);
    }
    auto unquoted = GoUnquote(name.val);
    if (!unquoted) Errorf("invalid syntax");
    Expect(TokenType::kRightDelim, context);
    auto [list, end] = ItemList();
    if (end->kind != NodeKind::kEnd) Errorf("unexpected " + end->String() + " in " + context);
    AddTree(*unquoted, std::move(list));
  }

 public:
  void AddTreePublic(const std::string& name, NodePtr root) { AddTree(name, std::move(root)); }

 private:
  void AddTree(const std::string& name, NodePtr root) {
    auto it = set_.trees.find(name);
    if (it != set_.trees.end() && it->second && !IsEmptyTree(*it->second) && !IsEmptyTree(*root)) {
      throw ParseError{"template: multiple definition of template " + GoQuote(name)};
    }
    if (it == set_.trees.end() || IsEmptyTree(*it->second)) set_.trees[name] = std::move(root);
  }

  static bool IsEmptyTree(const Node& n) {
    for (const auto& c : n.nodes) {
      if (c->kind != NodeKind::kText) return false;
      if (c->text.find_first_not_of(" \t\r\n") != std::string::npos) return false;
    }
    return true;
  }

  std::pair<NodePtr, NodePtr> ItemList() {
    auto list = NewNode(NodeKind::kList, PeekNonSpace().pos);
    while (PeekNonSpace().type != TokenType::kEOF) {
      NodePtr n = TextOrAction();
      if (n->kind == NodeKind::kEnd || n->kind == NodeKind::kElse)
        return {std::move(list), std::move(n)};
      list->nodes.push_back(std::move(n));
    }
    Errorf("unexpected EOF");
  }

  NodePtr TextOrAction() {
    Token t = NextNonSpace();
    switch (t.type) {
      case TokenType::kText: {
        auto n = NewNode(NodeKind::kText, t.pos);
        n->text = t.val;
        return n;
      }
      case TokenType::kLeftDelim: {
        action_line_ = t.line;
        NodePtr n = Action();
        action_line_ = 0;
        return n;
      }
      default:
        Unexpected(t, "input");
    }
  }

  NodePtr Action() {
    Token t = NextNonSpace();
    switch (t.type) {
      case TokenType::kBlock:
        return BlockControl();
      case TokenType::kBreak:
        return LoopControl(t, NodeKind::kBreak, "break");
      case TokenType::kContinue:
        return LoopControl(t, NodeKind::kContinue, "continue");
      case TokenType::kElse:
        return ElseControl();
      case TokenType::kEnd:
        return NewNode(NodeKind::kEnd, Expect(TokenType::kRightDelim, "end").pos);
      case TokenType::kIf:
        return Control(NodeKind::kIf, true, "if");
      case TokenType::kRange:
        return Control(NodeKind::kRange, false, "range");
      case TokenType::kTemplate:
        return TemplateControl();
      case TokenType::kWith:
        return Control(NodeKind::kWith, false, "with");
      default:
        break;
    }
    Backup();
    Token p = Peek();
    auto n = NewNode(NodeKind::kAction, p.pos);
    n->line = p.line;
    n->pipe = Pipeline("command", TokenType::kRightDelim);
    return n;
  }

  NodePtr LoopControl(const Token& t, NodeKind kind, const std::string& word) {
    Token close = NextNonSpace();
    if (close.type != TokenType::kRightDelim) Unexpected(close, "{{" + word + "}}");
    if (range_depth_ == 0) Errorf("{{" + word + "}} outside {{range}}");
    auto n = NewNode(kind, t.pos);
    n->line = t.line;
    return n;
  }

  NodePtr ElseControl() {
    Token peek = PeekNonSpace();
    if (peek.type == TokenType::kIf) {
      // "{{else if ...": treated as {{else}}{{if ...}}, the "if" left pending.
      auto n = NewNode(NodeKind::kElse, peek.pos);
      n->line = peek.line;
      return n;
    }
    Token t = Expect(TokenType::kRightDelim, "else");
    auto n = NewNode(NodeKind::kElse, t.pos);
    n->line = t.line;
    return n;
  }

  NodePtr Control(NodeKind kind, bool allow_else_if, const std::string& context) {
    const std::size_t vars_mark = vars_.size();
    NodePtr pipe = Pipeline(context, TokenType::kRightDelim);
    if (kind == NodeKind::kRange) ++range_depth_;
    auto [list, next] = ItemList();
    if (kind == NodeKind::kRange) --range_depth_;
    NodePtr else_list;
    if (next->kind == NodeKind::kElse) {
      if (allow_else_if && Peek().type == TokenType::kIf) {
        Next();  // consume "if"; the nested if's {{end}} also ends this one
        else_list = NewNode(NodeKind::kList, next->pos);
        else_list->nodes.push_back(Control(NodeKind::kIf, true, "if"));
      } else {
        auto [elist, enext] = ItemList();
        if (enext->kind != NodeKind::kEnd) Errorf("expected end; found " + enext->String());
        else_list = std::move(elist);
      }
    }
    vars_.resize(vars_mark);
    auto n = NewNode(kind, pipe->pos);
    n->line = pipe->line;
    n->pipe = std::move(pipe);
    n->list = std::move(list);
    n->else_list = std::move(else_list);
    return n;
  }

  std::string TemplateName(const Token& t, const std::string& context) {
    if (t.type != TokenType::kString && t.type != TokenType::kRawString) Unexpected(t, context);
    auto s = GoUnquote(t.val);
    if (!s) Errorf("invalid syntax");
    return *s;
  }

  NodePtr TemplateControl() {
    const std::string context = "template clause";
    Token t = NextNonSpace();
    std::string name = TemplateName(t, context);
    NodePtr pipe;
    if (NextNonSpace().type != TokenType::kRightDelim) {
      Backup();
      pipe = Pipeline(context, TokenType::kRightDelim);
    }
    auto n = NewNode(NodeKind::kTemplate, t.pos);
    n->line = t.line;
    n->text = name;
    n->pipe = std::move(pipe);
    return n;
  }

  NodePtr BlockControl() {
    const std::string context = "block clause";
    Token t = NextNonSpace();
    std::string name = TemplateName(t, context);
    NodePtr pipe = Pipeline(context, TokenType::kRightDelim);
    Parser block(set_, tokens_, lex_index_, has_function_);
    auto [list, end] = block.ItemList();
    if (end->kind != NodeKind::kEnd) Errorf("unexpected " + end->String() + " in " + context);
    block.AddTree(name, std::move(list));
    auto n = NewNode(NodeKind::kTemplate, t.pos);
    n->line = t.line;
    n->text = name;
    n->pipe = std::move(pipe);
    return n;
  }

  NodePtr NewVariable(const Token& t) {
    auto v = NewNode(NodeKind::kVariable, t.pos);
    std::size_t begin = 0;
    while (true) {
      const auto dot = t.val.find('.', begin);
      v->idents.push_back(t.val.substr(begin, dot - begin));
      if (dot == std::string::npos) break;
      begin = dot + 1;
    }
    return v;
  }

  NodePtr Pipeline(const std::string& context, TokenType end) {
    Token first = PeekNonSpace();
    auto pipe = NewNode(NodeKind::kPipe, first.pos);
    pipe->line = first.line;
  decls:
    if (Token v = PeekNonSpace(); v.type == TokenType::kVariable) {
      Next();
      // Three-token lookahead: in "$x foo" the variable is an argument, not a declaration.
      Token after_variable = Peek();
      Token next = PeekNonSpace();
      if (next.type == TokenType::kAssign || next.type == TokenType::kDeclare) {
        pipe->is_assign = next.type == TokenType::kAssign;
        NextNonSpace();
        pipe->decls.push_back(NewVariable(v));
        vars_.push_back(v.val);
      } else if (next.type == TokenType::kChar && next.val == ",") {
        NextNonSpace();
        pipe->decls.push_back(NewVariable(v));
        vars_.push_back(v.val);
        if (context == "range" && pipe->decls.size() < 2) {
          const TokenType t = PeekNonSpace().type;
          if (t == TokenType::kVariable || t == TokenType::kRightDelim ||
              t == TokenType::kRightParen) {
            goto decls;
          }
          Errorf("range can only initialize variables");
        }
        Errorf("too many declarations in " + context);
      } else if (after_variable.type == TokenType::kSpace) {
        Backup3(v, after_variable);
      } else {
        Backup2(v);
      }
    }
    while (true) {
      Token t = NextNonSpace();
      if (t.type == end) {
        CheckPipeline(*pipe, context);
        return pipe;
      }
      switch (t.type) {
        case TokenType::kBool:
        case TokenType::kCharConstant:
        case TokenType::kComplex:
        case TokenType::kDot:
        case TokenType::kField:
        case TokenType::kIdentifier:
        case TokenType::kNumber:
        case TokenType::kNil:
        case TokenType::kRawString:
        case TokenType::kString:
        case TokenType::kVariable:
        case TokenType::kLeftParen:
          Backup();
          pipe->nodes.push_back(Command());
          break;
        default:
          Unexpected(t, context);
      }
    }
  }

  void CheckPipeline(const Node& pipe, const std::string& context) {
    if (pipe.nodes.empty()) Errorf("missing value for " + context);
    for (std::size_t i = 1; i < pipe.nodes.size(); ++i) {
      switch (pipe.nodes[i]->nodes[0]->kind) {
        case NodeKind::kBool:
        case NodeKind::kDot:
        case NodeKind::kNil:
        case NodeKind::kNumber:
        case NodeKind::kString:
          Errorf("non executable command in pipeline stage " + std::to_string(i + 1));
        default:
          break;
      }
    }
  }

  NodePtr Command() {
    auto cmd = NewNode(NodeKind::kCommand, PeekNonSpace().pos);
    while (true) {
      PeekNonSpace();  // skip leading spaces
      if (NodePtr operand = Operand()) cmd->nodes.push_back(std::move(operand));
      Token t = Next();
      if (t.type == TokenType::kSpace) continue;
      if (t.type == TokenType::kRightDelim || t.type == TokenType::kRightParen) {
        Backup();
      } else if (t.type != TokenType::kPipe) {
        Unexpected(t, "operand");
      }
      break;
    }
    if (cmd->nodes.empty()) Errorf("empty command");
    return cmd;
  }

  NodePtr Operand() {
    NodePtr node = Term();
    if (!node) return nullptr;
    if (Peek().type == TokenType::kField) {
      auto chain = NewNode(NodeKind::kChain, Peek().pos);
      while (Peek().type == TokenType::kField) {
        // Field tokens are ".a" or ".a.b"? The lexer emits one ".name" per token.
        chain->idents.push_back(Next().val.substr(1));
      }
      switch (node->kind) {
        case NodeKind::kField:
        case NodeKind::kVariable: {
          // Go folds the fields into the original node: .A.B, $x.A.B.
          auto folded = NewNode(node->kind, chain->pos);
          folded->idents = node->idents;
          for (auto& id : chain->idents) folded->idents.push_back(id);
          return folded;
        }
        case NodeKind::kBool:
        case NodeKind::kString:
        case NodeKind::kNumber:
        case NodeKind::kNil:
        case NodeKind::kDot:
          Errorf("unexpected . after term " + GoQuote(node->String()));
        default:
          chain->base = std::move(node);
          return chain;
      }
    }
    return node;
  }

  NodePtr Term() {
    Token t = NextNonSpace();
    switch (t.type) {
      case TokenType::kIdentifier: {
        if (!has_function_(t.val)) Errorf("function " + GoQuote(t.val) + " not defined");
        auto n = NewNode(NodeKind::kIdentifier, t.pos);
        n->text = t.val;
        return n;
      }
      case TokenType::kDot:
        return NewNode(NodeKind::kDot, t.pos);
      case TokenType::kNil:
        return NewNode(NodeKind::kNil, t.pos);
      case TokenType::kVariable: {
        NodePtr v = NewVariable(t);
        for (const auto& name : vars_) {
          if (name == v->idents[0]) return v;
        }
        Errorf("undefined variable " + GoQuote(v->idents[0]));
      }
      case TokenType::kField: {
        auto n = NewNode(NodeKind::kField, t.pos);
        n->idents.push_back(t.val.substr(1));
        return n;
      }
      case TokenType::kBool: {
        auto n = NewNode(NodeKind::kBool, t.pos);
        n->bool_value = t.val == "true";
        return n;
      }
      case TokenType::kCharConstant:
      case TokenType::kComplex:
      case TokenType::kNumber:
        return NewNumber(t);
      case TokenType::kLeftParen:
        return Pipeline("parenthesized pipeline", TokenType::kRightParen);
      case TokenType::kString:
      case TokenType::kRawString: {
        auto s = GoUnquote(t.val);
        if (!s) Errorf("invalid syntax");
        auto n = NewNode(NodeKind::kString, t.pos);
        n->text = t.val;
        n->str = *s;
        return n;
      }
      default:
        break;
    }
    Backup();
    return nullptr;
  }

  NodePtr NewNumber(const Token& t) {
    auto n = NewNode(NodeKind::kNumber, t.pos);
    n->text = t.val;
    NumberValue& num = n->number;
    const std::string& text = t.val;
    if (t.type == TokenType::kCharConstant) {
      std::string out;
      std::size_t i = 1;
      if (text.size() < 3 || !UnquoteChar(text, i, '\'', out) || text.substr(i) != "'") {
        Errorf("malformed character constant: " + text);
      }
      char32_t r = static_cast<unsigned char>(out[0]);
      if (out.size() > 1) {  // decode the UTF-8 we produced
        r = 0;
        const auto b0 = static_cast<unsigned char>(out[0]);
        r = out.size() == 2 ? (b0 & 0x1F) : out.size() == 3 ? (b0 & 0x0F) : (b0 & 0x07);
        for (std::size_t k = 1; k < out.size(); ++k) r = (r << 6) | (out[k] & 0x3F);
      }
      num.is_int = num.is_uint = num.is_float = true;
      num.int_value = r, num.uint_value = r, num.float_value = r;
      return n;
    }
    if (t.type == TokenType::kComplex || (!text.empty() && text.back() == 'i')) {
      Errorf("complex constants are not supported: " + text);
    }
    const bool neg = !text.empty() && text[0] == '-';
    const bool has_sign = !text.empty() && (text[0] == '-' || text[0] == '+');
    const std::string_view digits = std::string_view(text).substr(has_sign ? 1 : 0);
    if (auto u = ParseUnsigned(digits)) {
      if (!has_sign) num.is_uint = true, num.uint_value = *u;
      if (neg ? *u <= 9223372036854775808ULL : *u <= 9223372036854775807ULL) {
        num.is_int = true;
        num.int_value = neg ? static_cast<std::int64_t>(0 - *u) : static_cast<std::int64_t>(*u);
        if (num.int_value == 0) num.is_uint = true, num.uint_value = 0;
      }
    }
    if (num.is_int) {
      num.is_float = true, num.float_value = static_cast<double>(num.int_value);
    } else if (num.is_uint) {
      num.is_float = true, num.float_value = static_cast<double>(num.uint_value);
    } else if (auto f = ParseFloat(text)) {
      if (text.find_first_of(".eEpP") == std::string::npos)
        Errorf("integer overflow: " + GoQuote(text));
      num.is_float = true, num.float_value = *f;
      if (*f == std::trunc(*f) && std::fabs(*f) < 9.2e18) {
        num.is_int = true, num.int_value = static_cast<std::int64_t>(*f);
        if (*f >= 0) num.is_uint = true, num.uint_value = static_cast<std::uint64_t>(*f);
      }
    }
    if (!num.is_int && !num.is_uint && !num.is_float) {
      Errorf("illegal number syntax: " + GoQuote(text));
    }
    return n;
  }

  TemplateSet& set_;
  const std::vector<Token>& tokens_;
  std::size_t& lex_index_;
  const std::function<bool(std::string_view)>& has_function_;
  Token token_[3];
  int peek_count_ = 0;
  std::vector<std::string> vars_{"$"};
  int range_depth_ = 0;
  int action_line_ = 0;
};

}  // namespace

std::optional<std::string> GoUnquote(std::string_view q) {
  if (q.size() < 2 || q.front() != q.back()) return std::nullopt;
  const char quote = q.front();
  std::string_view body = q.substr(1, q.size() - 2);
  if (quote == '`') {
    if (body.find('`') != std::string_view::npos) return std::nullopt;
    std::string out;
    for (char c : body) {
      if (c != '\r') out += c;  // raw strings drop carriage returns
    }
    return out;
  }
  if (quote != '"') return std::nullopt;
  std::string out;
  for (std::size_t i = 0; i < body.size();) {
    if (body[i] == '\n') return std::nullopt;
    if (!UnquoteChar(body, i, '"', out)) return std::nullopt;
  }
  return out;
}

ParseResult ParseTemplate(std::string name, std::string text,
                          const std::function<bool(std::string_view)>& has_function) {
  TemplateSet set;
  set.name = name;
  set.text = text;
  const std::vector<Token> tokens = Lex(set.text);
  std::size_t lex_index = 0;
  try {
    Parser parser(set, tokens, lex_index, has_function);
    NodePtr root = parser.ParseTop();
    parser.AddTreePublic(name, std::move(root));
  } catch (const ParseError& e) {
    return {std::nullopt, e.message};
  }
  return {std::move(set), ""};
}

}  // namespace cerniq::gotemplate
