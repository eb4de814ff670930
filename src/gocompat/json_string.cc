#include "gocompat/json_string.h"

#include "gocompat/utf8.h"

namespace cerniq::gocompat {
namespace {

void AppendHex4(std::string& out, unsigned v) {
  static constexpr char kHex[] = "0123456789abcdef";
  out += "\\u";
  for (int shift = 12; shift >= 0; shift -= 4) out += kHex[(v >> shift) & 15];
}

void AppendAscii(std::string& out, unsigned char c) {
  if (c == '"' || c == '\\') {
    out += '\\';
    out += static_cast<char>(c);
  } else if (c == '\n') {
    out += "\\n";
  } else if (c == '\r') {
    out += "\\r";
  } else if (c == '\t') {
    out += "\\t";
  } else if (c < 0x20 || c == '<' || c == '>' || c == '&') {
    AppendHex4(out, c);
  } else {
    out += static_cast<char>(c);
  }
}

}  // namespace

void AppendJsonString(std::string& out, std::string_view s) {
  out += '"';
  for (size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      AppendAscii(out, c);
      ++i;
      continue;
    }
    int width = 1;
    const char32_t r = DecodeRune(s, i, &width);
    if (r == 0xFFFD && width == 1) {
      out += "\\ufffd";
    } else if (r == 0x2028 || r == 0x2029) {
      AppendHex4(out, static_cast<unsigned>(r));
    } else {
      out.append(s.substr(i, static_cast<size_t>(width)));
    }
    i += static_cast<size_t>(width);
  }
  out += '"';
}

std::string JsonString(std::string_view s) {
  std::string out;
  AppendJsonString(out, s);
  return out;
}

}  // namespace cerniq::gocompat
