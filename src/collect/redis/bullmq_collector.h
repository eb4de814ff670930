#pragma once
// The BullMQ collector: queue counts, paused flag, oldest waiting age, workers and counters for
// every configured (and optionally discovered) queue. A pass is one pipelined round trip in a
// steady state, at most three when list tails change, whatever the number of queues (on a Redis
// Cluster: one round trip per node holding queue keys). Worker counts come from CLIENT LIST on the
// server that holds each queue's marker key, the key BullMQ's Workers block on.

#include <array>
#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "collect/collector.h"
#include "collect/redis/queue_discovery.h"
#include "collect/redis/queue_reads.h"
#include "collect/redis/redis_client.h"
#include "collect/redis/tail_reads.h"
#include "config/config.h"

namespace cerniq::collect::redis {

class BullmqCollector : public collect::Collector {
 public:
  BullmqCollector(std::unique_ptr<RedisClient> connection, config::BullmqConfig config);

  std::string Name() const override { return "bullmq"; }
  std::string Source() const override { return "redis"; }
  collect::CollectResult Collect() override;

  // Round trips of the last pass (for benchmarks and tests).
  std::uint64_t last_pass_round_trips() const { return last_pass_round_trips_; }

 private:
  std::vector<QueueRef> QueuesToRead() const;
  struct TailMemory {
    bool had_jobs[2] = {false, false};       // wait, paused
    std::map<std::string, double> ready_ms;  // tail job id -> timestamp + delay
  };
  const TailMemory* Remembered(const QueueRef& q) const;
  void Remember(const std::vector<QueueRef>& queues,
                const std::vector<std::array<ListTail, 2>>& tails,
                std::vector<std::map<std::string, double>> ready_ms);
  bool ReadMissingTails(const std::vector<QueueRef>& queues,
                        std::vector<std::array<ListTail, 2>>& tails, std::string& error);
  // Ready time of each tail job: remembered from an earlier pass, else one HMGET round trip.
  bool ReadReadyTimes(const std::vector<QueueRef>& queues,
                      const std::vector<std::array<ListTail, 2>>& tails,
                      std::vector<std::map<std::string, double>>& ready_ms, std::string& error);
  // Worker counts per queue, from the CLIENT LIST reply of the server holding the queue
  // (`client_lists[server[i]]`); nullopt when a server refused it.
  std::optional<std::vector<int>> CountQueueWorkers(
      const std::vector<QueueRef>& queues, const std::vector<int>& server,
      const std::map<int, const Reply*>& client_lists);

  std::unique_ptr<RedisClient> connection_;
  config::BullmqConfig config_;
  QueueDiscovery discovery_;  // after config_: it keeps a reference to it
  bool client_list_refused_logged_ = false;
  // What the last pass saw of each queue's lists, so this pass reads only what can have changed.
  std::map<std::pair<std::string, std::string>, TailMemory> tail_memory_;
  std::uint64_t last_pass_round_trips_ = 0;
};

}  // namespace cerniq::collect::redis
