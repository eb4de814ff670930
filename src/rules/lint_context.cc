#include "rules/lint_context.h"

#include <algorithm>
#include <sstream>

namespace cerniq::rules {

std::pair<int, int> ExprLocator::At(int offset) const {
  const std::string& expr = rule_.expr;
  const auto off = static_cast<std::size_t>(std::clamp(offset, 0, static_cast<int>(expr.size())));
  const std::size_t line_start = expr.rfind('\n', off == 0 ? 0 : off - 1);
  const std::size_t begin = line_start == std::string::npos || off == 0 ? 0 : line_start + 1;
  const std::size_t end = expr.find('\n', begin);
  const std::string expr_line =
      expr.substr(begin, end == std::string::npos ? std::string::npos : end - begin);
  const int first = std::max(rule_.expr_pos.line - 1, 0);
  for (std::size_t i = static_cast<std::size_t>(first);
       i < lines_.size() && i < static_cast<std::size_t>(first) + 200; ++i) {
    const auto col = lines_[i].find(expr_line);
    if (!expr_line.empty() && col != std::string::npos) {
      return {static_cast<int>(i) + 1, static_cast<int>(col + (off - begin)) + 1};
    }
  }
  return {rule_.expr_pos.line, rule_.expr_pos.column};
}

std::vector<std::string> SplitLines(const std::string& source) {
  std::vector<std::string> lines;
  std::istringstream in(source);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

}  // namespace cerniq::rules
