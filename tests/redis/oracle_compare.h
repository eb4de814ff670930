#pragma once
// Compares one BullMQ collection with BullMQ's own view of the same queues (the "ORACLE" line of
// tests/bullmq/scenario.cjs), as gtest expectations.

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include <prometheus/metric_family.h>

namespace cerniq::testing {

// Every count gauge, the paused flag, the worker count and the metrics counters of each queue
// under prefix `bull` equal getJobCounts(), isPaused(), getWorkersCount() and getMetrics().
// Returns the total of waiting jobs.
long long ExpectGaugesMatchOracle(const std::vector<prometheus::MetricFamily>& families,
                                  const nlohmann::json& oracle,
                                  const std::vector<std::string>& queues,
                                  const std::string& context);

}  // namespace cerniq::testing
