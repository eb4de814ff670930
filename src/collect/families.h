#pragma once
// Builds prometheus-cpp families from catalogue definitions, so name, help and type come from one
// place.

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <prometheus/metric_family.h>

namespace cerniq::collect {

using LabelPairs = std::vector<std::pair<std::string, std::string>>;

// An empty family for a catalogue metric; throws std::logic_error for an unknown name.
prometheus::MetricFamily MakeFamily(std::string_view catalog_name);

// Appends one gauge/counter sample (chosen by the family's type).
void AddSample(prometheus::MetricFamily& family, const LabelPairs& labels, double value);

struct HistogramBucket {
  double upper_bound;
  std::uint64_t cumulative_count;
};
void AddHistogram(prometheus::MetricFamily& family, const LabelPairs& labels,
                  std::vector<HistogramBucket> buckets, std::uint64_t count, double sum);

}  // namespace cerniq::collect
