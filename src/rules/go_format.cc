#include "rules/go_format.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "promql/format.h"

namespace cerniq::rules {
namespace {

// Decodes one UTF-8 rune at s[i]; returns its length, or 0 for an invalid byte (Go's RuneError
// with width 1).
std::size_t DecodeRune(std::string_view s, std::size_t i, char32_t& out) {
  const auto b0 = static_cast<unsigned char>(s[i]);
  if (b0 < 0x80) {
    out = b0;
    return 1;
  }
  std::size_t n = 0;
  char32_t cp = 0;
  char32_t min = 0;
  if ((b0 & 0xE0) == 0xC0) {
    n = 2, cp = b0 & 0x1F, min = 0x80;
  } else if ((b0 & 0xF0) == 0xE0) {
    n = 3, cp = b0 & 0x0F, min = 0x800;
  } else if ((b0 & 0xF8) == 0xF0) {
    n = 4, cp = b0 & 0x07, min = 0x10000;
  } else {
    return 0;
  }
  if (i + n > s.size()) return 0;
  for (std::size_t k = 1; k < n; ++k) {
    const auto b = static_cast<unsigned char>(s[i + k]);
    if ((b & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (b & 0x3F);
  }
  if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
  out = cp;
  return n;
}

// An approximation of unicode.IsPrint for non-ASCII runes: everything but C1 controls, the soft
// hyphen, line/paragraph separators, format characters in common use and non-characters.
bool IsPrintRune(char32_t r) {
  if (r < 0x20 || r == 0x7F) return false;
  if (r < 0x7F) return true;
  if (r < 0xA0 || r == 0xAD) return false;
  if (r >= 0x2028 && r <= 0x202E) return false;
  if (r >= 0x200B && r <= 0x200F) return false;
  if (r >= 0x2060 && r <= 0x206F) return false;
  if (r == 0xFEFF || (r & 0xFFFE) == 0xFFFE) return false;
  if (r >= 0xE000 && r <= 0xF8FF) return false;
  return true;
}

void AppendHex(std::string& out, unsigned v, int digits) {
  static const char* kHex = "0123456789abcdef";
  for (int shift = (digits - 1) * 4; shift >= 0; shift -= 4) out += kHex[(v >> shift) & 0xF];
}

void AppendUtf8(std::string& out, std::string_view s, std::size_t i, std::size_t n) {
  out.append(s.substr(i, n));
}

std::string QuoteRunes(std::string_view s, std::size_t max_runes) {
  std::string out = "\"";
  std::size_t runes = 0;
  for (std::size_t i = 0; i < s.size() && runes < max_runes; ++runes) {
    char32_t r = 0;
    std::size_t n = DecodeRune(s, i, r);
    if (n == 0) {
      out += "\\x";
      AppendHex(out, static_cast<unsigned char>(s[i]), 2);
      ++i;
      continue;
    }
    switch (r) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\a':
        out += "\\a";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\f':
        out += "\\f";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\v':
        out += "\\v";
        break;
      default:
        if (IsPrintRune(r)) {
          AppendUtf8(out, s, i, n);
        } else if (r < ' ' || r == 0x7F) {
          out += "\\x";
          AppendHex(out, r, 2);
        } else if (r < 0x10000) {
          out += "\\u";
          AppendHex(out, r, 4);
        } else {
          out += "\\U";
          AppendHex(out, r, 8);
        }
    }
    i += n;
  }
  out += '"';
  return out;
}

std::string WithPrecision(double v, char fmt, int prec) {
  char spec[16];
  std::snprintf(spec, sizeof spec, "%%.%d%c", prec, fmt);
  int n = std::snprintf(nullptr, 0, spec, v);
  std::string out(static_cast<std::size_t>(n), '\0');
  std::snprintf(out.data(), out.size() + 1, spec, v);
  return out;
}

}  // namespace

std::string GoQuote(std::string_view s) { return QuoteRunes(s, std::string::npos); }

std::string GoQuotePrefix(std::string_view s, std::size_t max_runes) {
  return QuoteRunes(s, max_runes);
}

std::string GoFormatFloat(double v, char fmt, int prec) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "+Inf" : "-Inf";
  // C's printf rounds correctly like Go for an explicit precision, and its %g then matches Go's;
  // only the shortest mode differs, which src/promql implements.
  if (prec >= 0) return WithPrecision(v, fmt, prec);
  if (fmt == 'G') {
    std::string out = promql::FormatFloat(v, 'g');
    for (char& c : out) c = c == 'e' ? 'E' : c;
    return out;
  }
  return promql::FormatFloat(v, fmt);
}

bool GoUnderscoreOK(std::string_view s) {
  char saw = '^';
  std::size_t i = 0;
  if (!s.empty() && (s[0] == '-' || s[0] == '+')) s.remove_prefix(1);
  bool hex = false;
  if (s.size() >= 2 && s[0] == '0') {
    const char p = static_cast<char>(s[1] | 0x20);
    if (p == 'b' || p == 'o' || p == 'x') {
      i = 2;
      saw = '0';
      hex = p == 'x';
    }
  }
  for (; i < s.size(); ++i) {
    const char c = s[i];
    const char lower = static_cast<char>(c | 0x20);
    if ((c >= '0' && c <= '9') || (hex && lower >= 'a' && lower <= 'f')) {
      saw = '0';
      continue;
    }
    if (c == '_') {
      if (saw != '0') return false;
      saw = '_';
      continue;
    }
    if (saw == '_') return false;
    saw = '!';
  }
  return saw != '_';
}

}  // namespace cerniq::rules
