#include "gocompat/html_escape.h"

namespace cerniq::gocompat {

void AppendHtmlEscaped(std::string& out, std::string_view s) {
  for (char c : s) {
    switch (c) {
      case '"':
        out += "&#34;";
        break;
      case '\'':
        out += "&#39;";
        break;
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '\0':
        out += "\xEF\xBF\xBD";
        break;
      default:
        out += c;
    }
  }
}

std::string HtmlEscapeString(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  AppendHtmlEscaped(out, s);
  return out;
}

}  // namespace cerniq::gocompat
