#include "gotemplate/unicode_case.h"

#include <vector>

#include "gotemplate/go_compat.h"

namespace cerniq::gotemplate {
namespace {

std::vector<char32_t> Decode(std::string_view s) {
  std::vector<char32_t> out;
  for (std::size_t i = 0; i < s.size();) {
    const auto b = static_cast<unsigned char>(s[i]);
    std::size_t n = b < 0x80             ? 1
                    : (b & 0xE0) == 0xC0 ? 2
                    : (b & 0xF0) == 0xE0 ? 3
                    : (b & 0xF8) == 0xF0 ? 4
                                         : 0;
    if (n == 0 || i + n > s.size()) {
      out.push_back(0x80000000u | b);  // an invalid byte, kept verbatim
      ++i;
      continue;
    }
    char32_t r = n == 1 ? b : n == 2 ? (b & 0x1F) : n == 3 ? (b & 0x0F) : (b & 0x07);
    for (std::size_t k = 1; k < n; ++k)
      r = (r << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
    out.push_back(r);
    i += n;
  }
  return out;
}

void Encode(char32_t r, std::string& out) {
  if (r & 0x80000000u) {
    out += static_cast<char>(r & 0xFF);  // a byte that was not valid UTF-8 goes back as it was
  } else {
    AppendUtf8(out, r);
  }
}

// Latin Extended-A pairs upper/lower as even/odd code points, except in 0x139-0x148 and
// 0x179-0x17E where the upper case is odd.
bool ExtAUpperIsOdd(char32_t r) { return (r >= 0x139 && r <= 0x148) || (r >= 0x179 && r <= 0x17E); }
bool InExtAPairs(char32_t r) {
  return (r >= 0x100 && r <= 0x12F) || (r >= 0x132 && r <= 0x137) || (r >= 0x139 && r <= 0x148) ||
         (r >= 0x14A && r <= 0x177) || (r >= 0x179 && r <= 0x17E);
}

char32_t Upper(char32_t r) {
  if (r >= 'a' && r <= 'z') return r - 32;
  if (r == 0xB5) return 0x39C;
  if ((r >= 0xE0 && r <= 0xFE && r != 0xF7)) return r - 32;
  if (r == 0xFF) return 0x178;
  if (InExtAPairs(r)) {
    const bool is_lower = ExtAUpperIsOdd(r) ? (r % 2 == 0) : (r % 2 == 1);
    return is_lower ? r - 1 : r;
  }
  if (r == 0x131) return 'I';
  if (r == 0x17F) return 'S';
  if (r >= 0x3B1 && r <= 0x3C9 && r != 0x3C2) return r - 32;
  if (r == 0x3C2) return 0x3A3;
  if (r >= 0x430 && r <= 0x44F) return r - 32;
  if (r >= 0x450 && r <= 0x45F) return r - 80;
  return r;
}

char32_t Lower(char32_t r) {
  if (r >= 'A' && r <= 'Z') return r + 32;
  if (r >= 0xC0 && r <= 0xDE && r != 0xD7) return r + 32;
  if (r == 0x178) return 0xFF;
  if (InExtAPairs(r)) {
    const bool is_upper = ExtAUpperIsOdd(r) ? (r % 2 == 1) : (r % 2 == 0);
    return is_upper ? r + 1 : r;
  }
  if (r == 0x130) return 0x69;
  if (r >= 0x391 && r <= 0x3A9 && r != 0x3A2) return r + 32;
  if (r >= 0x410 && r <= 0x42F) return r + 32;
  if (r >= 0x400 && r <= 0x40F) return r + 80;
  return r;
}

bool IsLetterOrDigit(char32_t r) {
  if (r < 0x80) {
    return (r >= '0' && r <= '9') || (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z');
  }
  return Upper(r) != r || Lower(r) != r || (r >= 0xAA && r != 0xD7 && r != 0xF7 && r < 0x2000);
}

// strings.Title's word boundaries.
bool IsSeparator(char32_t r) {
  if (r < 0x80) {
    return !((r >= '0' && r <= '9') || (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z') ||
             r == '_');
  }
  if (IsLetterOrDigit(r)) return false;
  return r == 0x85 || r == 0xA0 || r == 0x1680 || (r >= 0x2000 && r <= 0x200A) || r == 0x2028 ||
         r == 0x2029 || r == 0x202F || r == 0x205F || r == 0x3000;
}

template <typename F>
std::string Map(std::string_view s, F f) {
  std::string out;
  for (char32_t r : Decode(s)) Encode((r & 0x80000000u) ? r : f(r), out);
  return out;
}

}  // namespace

std::string GoToUpper(std::string_view s) { return Map(s, Upper); }
std::string GoToLower(std::string_view s) { return Map(s, Lower); }

std::string GoTitle(std::string_view s) {
  char32_t prev = ' ';
  return Map(s, [&prev](char32_t r) {
    const char32_t out = IsSeparator(prev) ? Upper(r) : r;
    prev = r;
    return out;
  });
}

}  // namespace cerniq::gotemplate
