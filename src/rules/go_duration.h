#pragma once
// Prometheus model.Duration (github.com/prometheus/common/model, as vendored by 2.42):
// "1y2w3d4h5m6s7ms" units, each at most once and in that order, or a bare "0".
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "rules/rule_file.h"

namespace cerniq::rules {

// The parsed duration, or Prometheus's error text (promql::ParseDuration has no error texts;
// promql::FormatDuration prints durations) ("not a valid duration string: \"5 minutes\"",
// "empty duration string", "duration out of range").
std::variant<DurationMs, std::string> ParsePromDuration(std::string_view text);

}  // namespace cerniq::rules
