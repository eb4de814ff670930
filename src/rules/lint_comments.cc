#include "rules/lint_comments.h"

#include <algorithm>
#include <regex>

namespace cerniq::rules {
namespace {

bool IsBlankOrComment(const std::string& line) {
  const auto at = line.find_first_not_of(" \t\r");
  return at == std::string::npos || line[at] == '#';
}

}  // namespace

DisableComments::DisableComments(const std::vector<std::string>& lines, const RuleFile& file) {
  static const std::regex kComment(
      R"((?:^|\s)#\s*cerniqtool\s+(file/disable|disable)\s+([^\s(]+)(?:\([^)]*\))?)");
  std::size_t header_end = 0;  // the leading comment block is lines [0, header_end)
  while (header_end < lines.size() && IsBlankOrComment(lines[header_end])) ++header_end;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    std::smatch m;
    if (!std::regex_search(lines[i], m, kComment)) continue;
    const bool file_wide = m[1] == "file/disable" || i < header_end;
    const auto hash = lines[i].find('#', static_cast<std::size_t>(m.position(0)));
    comments_.push_back({static_cast<int>(i) + 1, static_cast<int>(hash) + 1, file_wide, m[2]});
    if (file_wide) file_disabled_.insert(m[2]);
  }

  // Rule spans: from the comment block above a rule to its last line of YAML. A rule ends where
  // the next rule or group starts; comments trailing it belong to what follows.
  std::vector<int> starts, group_starts;
  for (const auto& g : file.groups) {
    group_starts.push_back(g.position.line);
    for (const auto& r : g.rules) starts.push_back(r.position.line);
  }
  const int line_count = static_cast<int>(lines.size());
  auto is_blank = [&](int line) { return IsBlankOrComment(lines[line - 1]); };
  for (std::size_t k = 0; k < starts.size(); ++k) {
    const int start = starts[k];
    if (start <= 0 || start > line_count) continue;
    int end = k + 1 < starts.size() ? starts[k + 1] - 1 : line_count;
    for (int g : group_starts) {
      if (g > start && g - 1 < end) end = g - 1;
    }
    end = std::min(end, line_count);
    while (end > start && is_blank(end)) --end;
    int first = start;
    while (first > 1 && is_blank(first - 1)) --first;
    Span span{first, end, {}};
    for (const auto& c : comments_) {
      if (!c.file_wide && c.line >= first && c.line <= end) span.disabled.insert(c.check);
    }
    spans_.push_back(std::move(span));
  }
}

bool DisableComments::Disabled(int line, const std::string& check) const {
  if (file_disabled_.count(check)) return true;
  return std::any_of(spans_.begin(), spans_.end(), [&](const Span& s) {
    return line >= s.first && line <= s.last && s.disabled.count(check);
  });
}

std::vector<LintFinding> DisableComments::Problems(const std::string& path) const {
  std::vector<LintFinding> out;
  const auto& known = LintCheckNames();
  for (const auto& c : comments_) {
    if (std::find(known.begin(), known.end(), c.check) != known.end()) continue;
    std::string names;
    for (auto n : known) names += (names.empty() ? "" : ", ") + std::string(n);
    out.push_back({path, c.line, c.column, "cerniqtool/comment",
                   "`" + c.check +
                       "` is not a check of cerniqtool lint rules, so this comment "
                       "disables nothing.",
                   "use one of " + names, Severity::kWarning});
  }
  return out;
}

}  // namespace cerniq::rules
