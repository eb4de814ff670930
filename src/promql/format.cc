#include "promql/format.h"

#include <charconv>
#include <cmath>
#include <cstdlib>
#include <limits>

namespace cerniq::promql {
namespace {

std::string ToChars(double v, std::chars_format f) {
  char buf[64];
  auto r = std::to_chars(buf, buf + sizeof buf, v, f);
  return std::string(buf, r.ptr);
}

bool EqualFoldAscii(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) !=
        std::tolower(static_cast<unsigned char>(b[i])))
      return false;
  }
  return true;
}

int HexVal(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

std::string FormatFloat(double v, char fmt) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "+Inf" : "-Inf";
  if (fmt == 'f') return ToChars(v, std::chars_format::fixed);
  std::string sci = ToChars(v, std::chars_format::scientific);
  if (fmt == 'e' || fmt == 'E') {
    if (fmt == 'E') {
      for (char& c : sci)
        if (c == 'e') c = 'E';
    }
    return sci;
  }
  // Go's 'g' with shortest digits switches to the exponent form when exp < -4 || exp >= 6.
  int exp = std::atoi(sci.c_str() + sci.find('e') + 1);
  if (exp < -4 || exp >= 6) return sci;
  return ToChars(v, std::chars_format::fixed);
}

std::string FormatDuration(int64_t ms) {
  if (ms == 0) return "0s";
  std::string out;
  bool neg = ms < 0;
  uint64_t u = neg ? uint64_t(0) - uint64_t(ms) : uint64_t(ms);
  // Years and weeks only when they divide exactly, as model.Duration prints "90d", not "12w6d".
  struct Unit {
    const char* name;
    uint64_t ms;
    bool exact;
  };
  static constexpr Unit kUnits[] = {{"y", 365ull * 24 * 3600 * 1000, true},
                                    {"w", 7ull * 24 * 3600 * 1000, true},
                                    {"d", 24ull * 3600 * 1000, false},
                                    {"h", 3600ull * 1000, false},
                                    {"m", 60ull * 1000, false},
                                    {"s", 1000, false},
                                    {"ms", 1, false}};
  for (const auto& unit : kUnits) {
    if (unit.exact && u % unit.ms != 0) continue;
    uint64_t n = u / unit.ms;
    if (n == 0) continue;
    u -= n * unit.ms;
    out += std::to_string(n) + unit.name;
  }
  return neg ? "-" + out : out;
}

std::optional<int64_t> ParseDuration(std::string_view s) {
  if (s == "0") return 0;
  if (s.empty()) return std::nullopt;
  struct Unit {
    std::string_view name;
    int64_t ms;
  };
  static constexpr Unit kUnits[] = {{"y", 365ll * 24 * 3600 * 1000},
                                    {"w", 7ll * 24 * 3600 * 1000},
                                    {"d", 24ll * 3600 * 1000},
                                    {"h", 3600ll * 1000},
                                    {"m", 60ll * 1000},
                                    {"s", 1000},
                                    {"ms", 1}};
  size_t pos = 0;
  size_t next_unit = 0;
  int64_t total = 0;
  while (pos < s.size()) {
    size_t start = pos;
    while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') ++pos;
    if (pos == start) return std::nullopt;
    int64_t n = 0;
    auto r = std::from_chars(s.data() + start, s.data() + pos, n);
    if (r.ec != std::errc()) return std::nullopt;
    size_t ustart = pos;
    while (pos < s.size() && !(s[pos] >= '0' && s[pos] <= '9')) ++pos;
    std::string_view unit = s.substr(ustart, pos - ustart);
    size_t i = next_unit;
    while (i < std::size(kUnits) && kUnits[i].name != unit) ++i;
    if (i == std::size(kUnits)) return std::nullopt;
    next_unit = i + 1;
    if (n > std::numeric_limits<int64_t>::max() / kUnits[i].ms) return std::nullopt;
    int64_t add = n * kUnits[i].ms;
    if (total > std::numeric_limits<int64_t>::max() - add) return std::nullopt;
    total += add;
  }
  return total;
}

std::optional<double> ParseGoFloat(std::string_view s) {
  if (s.empty()) return std::nullopt;
  std::string_view body = s;
  bool neg = false;
  if (body[0] == '+' || body[0] == '-') {
    neg = body[0] == '-';
    body.remove_prefix(1);
  }
  if (EqualFoldAscii(body, "inf") || EqualFoldAscii(body, "infinity"))
    return neg ? -std::numeric_limits<double>::infinity() : std::numeric_limits<double>::infinity();
  if (EqualFoldAscii(body, "nan")) return std::numeric_limits<double>::quiet_NaN();
  if (body.empty()) return std::nullopt;
  // Go accepts '_' separators only with a base prefix; PromQL literals never carry them.
  for (char c : body)
    if (c == '_') return std::nullopt;
  double v = 0;
  if (body.size() > 2 && body[0] == '0' && (body[1] == 'x' || body[1] == 'X')) {
    // Hex floats: Go requires a 'p' exponent for a fraction; an integer hex is fine.
    std::string_view hex = body.substr(2);
    auto r = std::from_chars(hex.data(), hex.data() + hex.size(), v, std::chars_format::hex);
    if (r.ec == std::errc::result_out_of_range) {
      v = std::numeric_limits<double>::infinity();
    } else if (r.ec != std::errc() || r.ptr != hex.data() + hex.size()) {
      return std::nullopt;
    }
    if (hex.find('.') != std::string_view::npos &&
        hex.find_first_of("pP") == std::string_view::npos)
      return std::nullopt;
  } else {
    if (body[0] == '+' || body[0] == '-') return std::nullopt;
    auto r = std::from_chars(body.data(), body.data() + body.size(), v);
    if (r.ec == std::errc::result_out_of_range) {
      // Go returns ±Inf for overflow and 0 for underflow, with an error for both; treat
      // overflow as an error and underflow as 0 only when the mantissa is tiny.
      return std::nullopt;
    }
    if (r.ec != std::errc() || r.ptr != body.data() + body.size()) return std::nullopt;
  }
  return neg ? -v : v;
}

// Decodes one UTF-8 rune at s[pos]; invalid bytes decode as U+FFFD of width 1, like Go.
char32_t DecodeRune(std::string_view s, size_t pos, int* width) {
  auto b = [&](size_t i) { return static_cast<unsigned char>(s[i]); };
  unsigned char c = b(pos);
  *width = 1;
  if (c < 0x80) return c;
  int n = 0;
  char32_t r = 0;
  char32_t min = 0;
  if ((c & 0xE0) == 0xC0)
    n = 1, r = c & 0x1F, min = 0x80;
  else if ((c & 0xF0) == 0xE0)
    n = 2, r = c & 0x0F, min = 0x800;
  else if ((c & 0xF8) == 0xF0)
    n = 3, r = c & 0x07, min = 0x10000;
  else
    return 0xFFFD;
  for (int i = 1; i <= n; ++i) {
    if (pos + i >= s.size() || (b(pos + i) & 0xC0) != 0x80) return 0xFFFD;
    r = (r << 6) | (b(pos + i) & 0x3F);
  }
  if (r < min || r > 0x10FFFF || (r >= 0xD800 && r < 0xE000)) return 0xFFFD;
  *width = n + 1;
  return r;
}

void AppendUtf8(std::string& out, char32_t r) {
  if (r < 0x80) {
    out += static_cast<char>(r);
  } else if (r < 0x800) {
    out += static_cast<char>(0xC0 | (r >> 6));
    out += static_cast<char>(0x80 | (r & 0x3F));
  } else if (r < 0x10000) {
    out += static_cast<char>(0xE0 | (r >> 12));
    out += static_cast<char>(0x80 | ((r >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (r & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (r >> 18));
    out += static_cast<char>(0x80 | ((r >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((r >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (r & 0x3F));
  }
}

std::optional<int64_t> ParseGoInt(std::string_view s) {
  if (s.empty()) return std::nullopt;
  bool neg = false;
  if (s[0] == '+' || s[0] == '-') {
    neg = s[0] == '-';
    s.remove_prefix(1);
  }
  int base = 10;
  if (s.size() > 1 && s[0] == '0') {
    char p = static_cast<char>(std::tolower(static_cast<unsigned char>(s[1])));
    if (p == 'x')
      base = 16, s.remove_prefix(2);
    else if (p == 'o')
      base = 8, s.remove_prefix(2);
    else if (p == 'b')
      base = 2, s.remove_prefix(2);
    else
      base = 8, s.remove_prefix(1);
  }
  if (s.empty()) return std::nullopt;
  uint64_t u = 0;
  auto r = std::from_chars(s.data(), s.data() + s.size(), u, base);
  if (r.ec != std::errc() || r.ptr != s.data() + s.size()) return std::nullopt;
  if (neg) {
    if (u > uint64_t(1) << 63) return std::nullopt;
    return static_cast<int64_t>(uint64_t(0) - u);
  }
  if (u > uint64_t(std::numeric_limits<int64_t>::max())) return std::nullopt;
  return static_cast<int64_t>(u);
}

bool UnquoteGo(std::string_view s, std::string* out) {
  out->clear();
  if (s.size() < 2) return false;
  char q = s.front();
  if (q != s.back() || (q != '"' && q != '\'' && q != '`')) return false;
  std::string_view body = s.substr(1, s.size() - 2);
  if (q == '`') {
    if (body.find('`') != std::string_view::npos) return false;
    for (char c : body)
      if (c != '\r') *out += c;  // Go drops carriage returns from raw strings
    return true;
  }
  for (size_t i = 0; i < body.size();) {
    char c = body[i];
    if (c == q || c == '\n') return false;
    if (c != '\\') {
      *out += c;
      ++i;
      continue;
    }
    if (++i >= body.size()) return false;
    char e = body[i++];
    switch (e) {
      case 'a':
        *out += '\a';
        break;
      case 'b':
        *out += '\b';
        break;
      case 'f':
        *out += '\f';
        break;
      case 'n':
        *out += '\n';
        break;
      case 'r':
        *out += '\r';
        break;
      case 't':
        *out += '\t';
        break;
      case 'v':
        *out += '\v';
        break;
      case '\\':
        *out += '\\';
        break;
      case '\'':
      case '"':
        if (e != q) return false;
        *out += e;
        break;
      case 'x':
      case 'u':
      case 'U': {
        int n = e == 'x' ? 2 : e == 'u' ? 4 : 8;
        if (i + n > body.size()) return false;
        uint32_t v = 0;
        for (int k = 0; k < n; ++k) {
          int h = HexVal(body[i + k]);
          if (h < 0) return false;
          v = v * 16 + static_cast<uint32_t>(h);
        }
        i += n;
        if (e == 'x') {
          *out += static_cast<char>(v);
        } else {
          if (v > 0x10FFFF || (v >= 0xD800 && v < 0xE000)) return false;
          AppendUtf8(*out, v);
        }
        break;
      }
      default:
        if (e >= '0' && e <= '7') {
          if (i + 2 > body.size()) return false;
          uint32_t v = static_cast<uint32_t>(e - '0');
          for (int k = 0; k < 2; ++k) {
            char d = body[i + k];
            if (d < '0' || d > '7') return false;
            v = v * 8 + static_cast<uint32_t>(d - '0');
          }
          if (v > 255) return false;
          i += 2;
          *out += static_cast<char>(v);
          break;
        }
        return false;
    }
  }
  return true;
}

}  // namespace cerniq::promql
