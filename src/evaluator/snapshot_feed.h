#pragma once
// Turns each published exposition (what /metrics serves) into samples for the rule history, as
// a scrape would: one sample per series at the feed time, histograms as _bucket{le}, _sum and
// _count, and a stale marker for every series that disappeared since the previous feed.
#include <cstdint>
#include <functional>
#include <set>
#include <vector>

#include <prometheus/metric_family.h>

#include "promql/labels.h"

namespace cerniq::evaluator {

class SnapshotFeed {
 public:
  using Sink = std::function<void(const promql::Labels&, int64_t t_ms, double v)>;
  void Feed(const std::vector<prometheus::MetricFamily>& families, int64_t t_ms, const Sink& sink);

 private:
  std::set<promql::Labels> previous_;
};

}  // namespace cerniq::evaluator
