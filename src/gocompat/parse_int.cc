#include "gocompat/parse_int.h"

#include <limits>

namespace cerniq::gocompat {
namespace {

int DigitValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  const char lower = static_cast<char>(c | 0x20);
  if (lower >= 'a' && lower <= 'z') return lower - 'a' + 10;
  return -1;
}

// Strips a 0x / 0o / 0b prefix from s; a leading 0 (kept as a digit) means octal.
int TakeBase(std::string_view& s) {
  if (s.size() < 2 || s[0] != '0') return 10;
  const char p = static_cast<char>(s[1] | 0x20);
  if (p != 'x' && p != 'o' && p != 'b') return 8;
  s.remove_prefix(2);
  return p == 'x' ? 16 : p == 'o' ? 8 : 2;
}

}  // namespace

std::optional<std::uint64_t> ParseUint(std::string_view s) {
  if (s.empty()) return std::nullopt;
  const std::string_view whole = s;
  const int base = TakeBase(s);
  if (s.empty()) return std::nullopt;  // "0x" has no digits
  bool underscores = false;
  std::uint64_t v = 0;
  for (char c : s) {
    if (c == '_') {
      underscores = true;
      continue;
    }
    const int d = DigitValue(c);
    if (d < 0 || d >= base) return std::nullopt;
    const auto ud = static_cast<std::uint64_t>(d);
    if (v > (std::numeric_limits<std::uint64_t>::max() - ud) / static_cast<std::uint64_t>(base)) {
      return std::nullopt;
    }
    v = v * static_cast<std::uint64_t>(base) + ud;
  }
  if (underscores && !UnderscoreOK(whole)) return std::nullopt;
  return v;
}

std::optional<std::int64_t> ParseInt(std::string_view s) {
  if (s.empty()) return std::nullopt;
  const bool negative = s[0] == '-';
  if (s[0] == '+' || s[0] == '-') s.remove_prefix(1);
  auto u = ParseUint(s);
  if (!u) return std::nullopt;
  constexpr auto kCutoff = std::uint64_t{1} << 63;
  if (negative) {
    if (*u > kCutoff) return std::nullopt;
    return static_cast<std::int64_t>(std::uint64_t{0} - *u);
  }
  if (*u >= kCutoff) return std::nullopt;
  return static_cast<std::int64_t>(*u);
}

bool UnderscoreOK(std::string_view s) {
  char saw = '^';  // '^' start, '0' digit or base prefix, '_' underscore, '!' anything else
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

}  // namespace cerniq::gocompat
