#pragma once
// client_golang v1.14's promlint, which `promtool check metrics` (2.42) runs: metric names,
// types, help and reserved labels checked family by family, problems sorted by metric then text.
#include <string>
#include <string_view>
#include <vector>

#include "expfmt/text_parser.h"

namespace cerniq::expfmt {

struct LintProblem {
  std::string metric;
  std::string text;
};

// Lints a text exposition; throws ParseError when it does not parse.
std::vector<LintProblem> LintText(std::string_view exposition);

// The problems of one family, in promlint's order of checks.
std::vector<LintProblem> LintFamily(const MetricFamily& mf);

}  // namespace cerniq::expfmt
