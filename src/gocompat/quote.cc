#include "gocompat/quote.h"

#include "gocompat/unicode.h"
#include "gocompat/utf8.h"

namespace cerniq::gocompat {
namespace {

constexpr char kLowerHex[] = "0123456789abcdef";

void AppendHex(std::string& out, char32_t v, int digits) {
  for (int shift = (digits - 1) * 4; shift >= 0; shift -= 4) out += kLowerHex[(v >> shift) & 0xF];
}

// The C escape Go keeps short, or nullptr.
const char* ShortEscape(char32_t r) {
  switch (r) {
    case '\a':
      return "\\a";
    case '\b':
      return "\\b";
    case '\f':
      return "\\f";
    case '\n':
      return "\\n";
    case '\r':
      return "\\r";
    case '\t':
      return "\\t";
    case '\v':
      return "\\v";
    default:
      return nullptr;
  }
}

// strconv.appendEscapedRune.
void AppendEscapedRune(std::string& out, char32_t r, char quote) {
  if (r == static_cast<char32_t>(quote) || r == '\\') {
    out += '\\';
    AppendUtf8(out, r);
  } else if (IsPrint(r)) {
    AppendUtf8(out, r);
  } else if (const char* e = ShortEscape(r)) {
    out += e;
  } else if (r < ' ' || r == 0x7F) {
    out += "\\x";
    AppendHex(out, r, 2);
  } else if (!ValidRune(r) || r < 0x10000) {
    out += "\\u";
    AppendHex(out, ValidRune(r) ? r : kRuneError, 4);
  } else {
    out += "\\U";
    AppendHex(out, r, 8);
  }
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::optional<char32_t> ReadHex(std::string_view s, std::size_t& pos, std::size_t digits) {
  if (pos + digits > s.size()) return std::nullopt;
  char32_t v = 0;
  for (std::size_t k = 0; k < digits; ++k) {
    const int h = HexValue(s[pos + k]);
    if (h < 0) return std::nullopt;
    v = v << 4 | static_cast<char32_t>(h);
  }
  pos += digits;
  return v;
}

std::optional<char32_t> ReadOctal(char first, std::string_view s, std::size_t& pos) {
  if (pos + 2 > s.size()) return std::nullopt;
  char32_t v = static_cast<char32_t>(first - '0');
  for (std::size_t k = 0; k < 2; ++k) {
    const char d = s[pos + k];
    if (d < '0' || d > '7') return std::nullopt;
    v = v << 3 | static_cast<char32_t>(d - '0');
  }
  pos += 2;
  if (v > 255) return std::nullopt;
  return v;
}

std::optional<char32_t> SimpleEscape(char c, char quote) {
  switch (c) {
    case 'a':
      return '\a';
    case 'b':
      return '\b';
    case 'f':
      return '\f';
    case 'n':
      return '\n';
    case 'r':
      return '\r';
    case 't':
      return '\t';
    case 'v':
      return '\v';
    case '\\':
      return '\\';
    case '\'':
    case '"':
      if (c != quote) return std::nullopt;
      return static_cast<char32_t>(c);
    default:
      return std::nullopt;
  }
}

std::optional<UnquotedChar> UnquoteEscape(std::string_view s, std::size_t& pos, char quote) {
  if (pos >= s.size()) return std::nullopt;
  const char c = s[pos++];
  if (c == 'x') {
    auto v = ReadHex(s, pos, 2);
    if (!v) return std::nullopt;
    return UnquotedChar{*v, false};
  }
  if (c == 'u' || c == 'U') {
    auto v = ReadHex(s, pos, c == 'u' ? 4 : 8);
    if (!v || !ValidRune(*v)) return std::nullopt;
    return UnquotedChar{*v, true};
  }
  if (c >= '0' && c <= '7') {
    auto v = ReadOctal(c, s, pos);
    if (!v) return std::nullopt;
    return UnquotedChar{*v, false};
  }
  auto v = SimpleEscape(c, quote);
  if (!v) return std::nullopt;
  return UnquotedChar{*v, false};
}

std::string UnquoteRaw(std::string_view body) {
  std::string out;
  for (char c : body) {
    if (c != '\r') out += c;  // Go drops carriage returns from raw strings
  }
  return out;
}

}  // namespace

std::string Quote(std::string_view s) { return QuotePrefix(s, s.size()); }

std::string QuotePrefix(std::string_view s, std::size_t max_runes) {
  std::string out = "\"";
  std::size_t runes = 0;
  for (std::size_t i = 0; i < s.size() && runes < max_runes; ++runes) {
    int width = 1;
    const char32_t r = DecodeRune(s, i, &width);
    if (r == kRuneError && width == 1) {
      out += "\\x";
      AppendHex(out, static_cast<unsigned char>(s[i]), 2);
    } else {
      AppendEscapedRune(out, r, '"');
    }
    i += static_cast<std::size_t>(width);
  }
  return out + '"';
}

std::string QuoteRune(char32_t r) {
  std::string out = "'";
  AppendEscapedRune(out, ValidRune(r) ? r : kRuneError, '\'');
  return out + '\'';
}

std::optional<UnquotedChar> UnquoteChar(std::string_view s, std::size_t& pos, char quote) {
  if (pos >= s.size()) return std::nullopt;
  const auto c = static_cast<unsigned char>(s[pos]);
  if (c == static_cast<unsigned char>(quote) && (quote == '\'' || quote == '"')) {
    return std::nullopt;
  }
  if (c >= 0x80) {
    int width = 1;
    const char32_t r = DecodeRune(s, pos, &width);
    pos += static_cast<std::size_t>(width);
    return UnquotedChar{r, true};
  }
  ++pos;
  if (c != '\\') return UnquotedChar{c, false};
  return UnquoteEscape(s, pos, quote);
}

std::optional<std::string> Unquote(std::string_view quoted, SingleQuoted single) {
  if (quoted.size() < 2) return std::nullopt;
  const char quote = quoted.front();
  if (quote != quoted.back()) return std::nullopt;
  const std::string_view body = quoted.substr(1, quoted.size() - 2);
  if (quote == '`') {
    if (body.find('`') != std::string_view::npos) return std::nullopt;
    return UnquoteRaw(body);
  }
  if (quote != '"' && quote != '\'') return std::nullopt;
  if (body.find('\n') != std::string_view::npos) return std::nullopt;
  std::string out;
  for (std::size_t pos = 0; pos < body.size();) {
    auto c = UnquoteChar(body, pos, quote);
    if (!c) return std::nullopt;
    if (c->value < 0x80 || !c->multibyte) {
      out += static_cast<char>(c->value);
    } else {
      AppendUtf8(out, c->value);
    }
    if (quote == '\'' && single == SingleQuoted::kOneRune && pos != body.size()) {
      return std::nullopt;
    }
  }
  return out;
}

}  // namespace cerniq::gocompat
