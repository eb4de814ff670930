#include "family_values.h"

namespace cerniq::testing {
namespace {

bool Matches(const prometheus::ClientMetric& m,
             const std::vector<std::pair<std::string, std::string>>& labels) {
  for (const auto& [name, value] : labels) {
    bool found = false;
    for (const auto& l : m.label) found = found || (l.name == name && l.value == value);
    if (!found) return false;
  }
  return true;
}

}  // namespace

std::optional<double> ValueOf(const std::vector<prometheus::MetricFamily>& families,
                              const std::string& family,
                              const std::vector<std::pair<std::string, std::string>>& labels) {
  for (const auto& f : families) {
    if (f.name != family) continue;
    for (const auto& m : f.metric) {
      if (!Matches(m, labels)) continue;
      return f.type == prometheus::MetricType::Counter ? m.counter.value : m.gauge.value;
    }
  }
  return std::nullopt;
}

size_t CountOf(const std::vector<prometheus::MetricFamily>& families, const std::string& family,
               const std::vector<std::pair<std::string, std::string>>& labels) {
  size_t n = 0;
  for (const auto& f : families) {
    if (f.name != family) continue;
    for (const auto& m : f.metric) n += Matches(m, labels) ? 1 : 0;
  }
  return n;
}

}  // namespace cerniq::testing
