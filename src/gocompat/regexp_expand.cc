#include "gocompat/regexp_expand.h"

#include <cctype>

namespace cerniq::gocompat {
namespace {

bool IsNameByte(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_' ||
         static_cast<unsigned char>(c) >= 0x80;
}

// The group number a name stands for: decimal without a leading zero, else a named group; -1
// when there is none.
int GroupNumber(const re2::RE2& re, const std::string& name) {
  int num = 0;
  for (char c : name) {
    if (c < '0' || c > '9' || num >= 100000000) {
      num = -1;
      break;
    }
    num = num * 10 + (c - '0');
  }
  if (name.size() > 1 && name[0] == '0') num = -1;
  if (num >= 0) return num;
  const auto& named = re.NamedCapturingGroups();
  auto it = named.find(name);
  return it == named.end() ? -1 : it->second;
}

}  // namespace

void RegexpExpand(std::string& dst, std::string_view tmpl, const re2::RE2& re,
                  const std::vector<re2::StringPiece>& groups) {
  while (!tmpl.empty()) {
    const std::size_t dollar = tmpl.find('$');
    if (dollar == std::string_view::npos) break;
    dst.append(tmpl.substr(0, dollar));
    tmpl.remove_prefix(dollar + 1);
    if (!tmpl.empty() && tmpl[0] == '$') {
      dst += '$';
      tmpl.remove_prefix(1);
      continue;
    }
    const bool brace = !tmpl.empty() && tmpl[0] == '{';
    std::string_view s = brace ? tmpl.substr(1) : tmpl;
    std::size_t i = 0;
    while (i < s.size() && IsNameByte(s[i])) ++i;
    if (i == 0 || (brace && (i >= s.size() || s[i] != '}'))) {
      dst += '$';  // malformed: keep the dollar as text
      continue;
    }
    const int num = GroupNumber(re, std::string(s.substr(0, i)));
    tmpl = s.substr(i + (brace ? 1 : 0));
    if (num >= 0 && static_cast<std::size_t>(num) < groups.size() &&
        groups[num].data() != nullptr) {
      dst.append(groups[num].data(), groups[num].size());
    }
  }
  dst.append(tmpl);
}

}  // namespace cerniq::gocompat
