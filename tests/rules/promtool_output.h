#pragma once
// Reading promtool's `test rules` alert listings ("Annotations:{a="x", b="y"}").
#include <map>
#include <string>
#include <vector>

#include "gotemplate/parse.h"

namespace cerniq::rules::testing {

// Parses the `{name="quoted", ...}` label-set text that follows "Labels:" / "Annotations:".
inline std::map<std::string, std::string> ParseLabelSet(const std::string& text) {
  std::map<std::string, std::string> out;
  std::size_t i = text.find('{');
  if (i == std::string::npos) return out;
  ++i;
  while (i < text.size() && text[i] != '}') {
    const std::size_t eq = text.find('=', i);
    const std::string name = text.substr(i, eq - i);
    std::size_t j = eq + 2;  // after ="
    while (j < text.size() && text[j] != '"') j += text[j] == '\\' ? 2 : 1;
    auto value = gotemplate::GoUnquote(text.substr(eq + 1, j + 1 - (eq + 1)));
    out[name] = value ? *value : "<unparsable>";
    i = j + 1;
    if (text.compare(i, 2, ", ") == 0) i += 2;
  }
  return out;
}

// Every "Labels:" line paired with the "Annotations:" line after it.
struct ListedAlert {
  std::map<std::string, std::string> labels, annotations;
};
inline std::vector<ListedAlert> ParseListedAlerts(const std::string& output) {
  std::vector<ListedAlert> alerts;
  std::size_t pos = 0;
  while ((pos = output.find("Labels:{", pos)) != std::string::npos) {
    const std::size_t eol = output.find('\n', pos);
    ListedAlert a;
    a.labels = ParseLabelSet(output.substr(pos, eol - pos));
    const std::size_t ann = output.find("Annotations:{", eol);
    const std::size_t ann_end = output.find("\n", ann);
    a.annotations = ParseLabelSet(output.substr(ann, ann_end - ann));
    alerts.push_back(std::move(a));
    pos = ann_end;
  }
  return alerts;
}

}  // namespace cerniq::rules::testing
