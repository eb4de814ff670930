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

// The families of a text exposition (what /metrics serves), so that a scrape of the exporter
// binary is checked by the same helpers as a collector's result. Counters and gauges by their
// # TYPE line; any other sample lands in an untyped family named as the sample. Lines that are
// not samples (comments, blanks) are skipped; a sample that cannot be parsed is dropped.
std::vector<prometheus::MetricFamily> FamiliesFromText(const std::string& text);

}  // namespace cerniq::testing
