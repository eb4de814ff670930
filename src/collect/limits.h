#pragma once
// Bounds on what one collector pass may publish, applied by the runner to every pass so a
// runaway source (a million queues, a label holding a document) cannot exhaust memory or make
// /metrics unreadable. What is dropped is counted in cerniq_limit_reached_total.

#include <cstddef>
#include <string_view>
#include <vector>

#include <prometheus/metric_family.h>

namespace cerniq::collect {

struct CollectLimits {
  // Series one pass may publish (a histogram counts its buckets, _sum and _count); the first
  // ones in the collector's order are kept. --collector.max-series; 0 = no limit.
  std::size_t max_series = 20000;
  // Bytes of one label value; a sample with a longer value is dropped (truncating could make
  // two series identical). --collector.max-label-value-length; 0 = no limit.
  std::size_t max_label_value_length = 2048;
};

// Drops the samples that exceed `limits` from `families` and reports it with log::LimitReached
// (once per pass and limit).
void ApplyLimits(std::string_view collector, const CollectLimits& limits,
                 std::vector<prometheus::MetricFamily>& families);

}  // namespace cerniq::collect
