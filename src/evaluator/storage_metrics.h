#pragma once
// The history's own metrics (cerniq_storage_*, catalogue: src/catalog), from one HistoryStats
// and the checkpoint counters the exporter keeps.
#include <cstdint>
#include <vector>

#include <prometheus/metric_family.h>

#include "tsdb/history_store.h"

namespace cerniq::evaluator {

struct StorageMetricsInput {
  tsdb::HistoryStats stats;
  int64_t retention_ms = 0;
  int64_t checkpoint_last_success_ms = 0;  // 0: none yet
  uint64_t checkpoint_failures = 0;
};

std::vector<prometheus::MetricFamily> StorageMetrics(const StorageMetricsInput& in);

}  // namespace cerniq::evaluator
