#include "gocompat/utf8.h"

namespace cerniq::gocompat {

char32_t DecodeRune(std::string_view s, std::size_t pos, int* width) {
  auto byte = [&](std::size_t i) { return static_cast<unsigned char>(s[i]); };
  const unsigned char lead = byte(pos);
  *width = 1;
  if (lead < 0x80) return lead;
  int extra = 0;
  char32_t r = 0;
  char32_t min = 0;
  if ((lead & 0xE0) == 0xC0) {
    extra = 1, r = lead & 0x1F, min = 0x80;
  } else if ((lead & 0xF0) == 0xE0) {
    extra = 2, r = lead & 0x0F, min = 0x800;
  } else if ((lead & 0xF8) == 0xF0) {
    extra = 3, r = lead & 0x07, min = 0x10000;
  } else {
    return kRuneError;
  }
  for (int i = 1; i <= extra; ++i) {
    if (pos + i >= s.size() || (byte(pos + i) & 0xC0) != 0x80) return kRuneError;
    r = (r << 6) | (byte(pos + i) & 0x3F);
  }
  if (r < min || !ValidRune(r)) return kRuneError;
  *width = extra + 1;
  return r;
}

bool ValidRune(char32_t r) { return r <= kMaxRune && !(r >= 0xD800 && r <= 0xDFFF); }

void AppendUtf8(std::string& out, char32_t r) {
  if (!ValidRune(r)) r = kRuneError;
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

bool ValidString(std::string_view s) {
  for (std::size_t i = 0; i < s.size();) {
    int width = 1;
    if (DecodeRune(s, i, &width) == kRuneError && width == 1) return false;
    i += static_cast<std::size_t>(width);
  }
  return true;
}

std::size_t RuneCount(std::string_view s) {
  std::size_t n = 0;
  for (std::size_t i = 0; i < s.size(); ++n) {
    int width = 1;
    DecodeRune(s, i, &width);
    i += static_cast<std::size_t>(width);
  }
  return n;
}

std::size_t RunePrefixBytes(std::string_view s, std::size_t max_runes) {
  std::size_t i = 0;
  for (std::size_t n = 0; i < s.size() && n < max_runes; ++n) {
    int width = 1;
    DecodeRune(s, i, &width);
    i += static_cast<std::size_t>(width);
  }
  return i;
}

}  // namespace cerniq::gocompat
