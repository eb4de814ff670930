#pragma once
// Compares one BullMQ collection with BullMQ's own view of the same queues (the "ORACLE" line of
// tests/bullmq/scenario.cjs), as gtest expectations.

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include <prometheus/metric_family.h>

#include "collect/redis/bullmq_collector.h"
#include "support/subprocess.h"

namespace cerniq::testing {

// Every count gauge, the paused flag, the worker count and the metrics counters of each queue
// under `prefix` equal getJobCounts(), isPaused(), getWorkersCount() and getMetrics().
// Returns the total of waiting jobs.
long long ExpectGaugesMatchOracle(const std::vector<prometheus::MetricFamily>& families,
                                  const nlohmann::json& oracle,
                                  const std::vector<std::string>& queues,
                                  const std::string& context, const std::string& prefix = "bull");

// Collects and asks the scenario's BullMQ ("ORACLE") until both agree, for at most `bound`
// (BullMQ's own connections move after a failover or a resharding at their own pace); the last try
// reports its differences as test failures.
void ExpectMatchWithin(collect::redis::BullmqCollector& collector, Subprocess& scenario,
                       const std::vector<std::string>& queues, std::chrono::milliseconds bound,
                       const std::string& context, const std::string& prefix = "bull");

}  // namespace cerniq::testing
