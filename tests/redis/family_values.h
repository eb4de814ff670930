#pragma once
// Reading metric values out of collector families, for assertions.

#include <optional>
#include <string>
#include <vector>

#include <prometheus/metric_family.h>

namespace cerniq::testing {

// Value of the sample of `family` whose labels include all of `labels`; nullopt when absent.
std::optional<double> ValueOf(const std::vector<prometheus::MetricFamily>& families,
                              const std::string& family,
                              const std::vector<std::pair<std::string, std::string>>& labels);

// Number of samples of a family whose labels include `labels`.
size_t CountOf(const std::vector<prometheus::MetricFamily>& families, const std::string& family,
               const std::vector<std::pair<std::string, std::string>>& labels);

}  // namespace cerniq::testing
