#pragma once
// Optional discovery of BullMQ queues: `SCAN MATCH <prefix>:*:meta TYPE hash` for each prefix
// with `discover: true`, every hit confirmed by the meta fields BullMQ always writes (a 3-part
// custom job id can end in "meta" too). Runs on its own interval, not on every pass; on a Redis
// Cluster the SCAN runs on every master.

#include <chrono>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>

#include "collect/redis/redis_client.h"
#include "config/config.h"

namespace cerniq::collect::redis {

class QueueDiscovery {
 public:
  explicit QueueDiscovery(const config::BullmqConfig& config);
  // Scans when the discovery interval has passed; keeps the previous result on failure.
  void RunIfDue(RedisClient& redis);
  // (prefix, queue) found by the last successful run.
  const std::set<std::pair<std::string, std::string>>& queues() const { return queues_; }

 private:
  const config::BullmqConfig& config_;
  std::set<std::pair<std::string, std::string>> queues_;
  std::chrono::steady_clock::time_point next_discovery_{};
};

// `<prefix>:<queue>:meta` -> queue, when the key belongs to exactly that prefix.
std::optional<std::string> QueueFromMetaKey(std::string_view key, std::string_view prefix);

// Escapes glob characters of a prefix for SCAN MATCH.
std::string GlobEscape(std::string_view s);

}  // namespace cerniq::collect::redis
