#include "catalog/runbook.h"

#include <array>

namespace cerniq::catalog {
namespace {

// clang-format off
constexpr std::array<QueueThreshold, 13> kThresholds = {{
    {"lifecycle", 100, 1}, {"churn", 50, 5},      {"sentiment", 200, 10}, {"geospatial", 20, 1},
    {"graph", 5, 1},       {"referral", 50, 5},   {"winback", 30, 3},     {"association", 10, 1},
    {"feedback", 100, 5},  {"content", 200, 10},  {"alerts", 10, 1},      {"compliance", 20, 1},
    {"hitl", 50, 1},
}};
// clang-format on

}  // namespace

std::span<const QueueThreshold> Etapa5Thresholds() { return kThresholds; }

std::optional<QueueThreshold> ThresholdFor(std::string_view queue) {
  for (const auto& t : kThresholds) {
    if (t.queue == queue) return t;
  }
  return std::nullopt;
}

}  // namespace cerniq::catalog
