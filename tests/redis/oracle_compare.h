#pragma once
// Compares one BullMQ collection with BullMQ's own view of the same queues (the "ORACLE" line of
// tests/bullmq/scenario.cjs), as gtest expectations.

#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
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

// The same for any source of families, such as a scrape of the exporter binary: the source
// returns nullopt (with a reason) when it could not produce them. `adjust_oracle`, when given,
// edits each oracle line before the comparison (see WorkersInClientList).
using FamiliesSource =
    std::function<std::optional<std::vector<prometheus::MetricFamily>>(std::string& error)>;
void ExpectMatchWithin(const FamiliesSource& families, Subprocess& scenario,
                       const std::vector<std::string>& queues, std::chrono::milliseconds bound,
                       const std::string& context, const std::string& prefix = "bull",
                       const std::function<void(nlohmann::json&)>& adjust_oracle = {});

// The worker connections of `queue` in one server's CLIENT LIST text, matched as BullMQ's
// getWorkers() matches names. On a Redis Cluster BullMQ names a Worker's connection with a
// CLIENT SETNAME that ioredis sends to any node, and getWorkersCount takes the node with most;
// the exporter counts on the master holding the queue's keys, so that master's CLIENT LIST is
// the oracle for workers there.
int WorkersInClientList(const std::string& client_list, const std::string& prefix,
                        const std::string& queue);

}  // namespace cerniq::testing
