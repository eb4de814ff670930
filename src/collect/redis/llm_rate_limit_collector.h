#pragma once
// The runbook's §3.2 signal: the remaining LLM API requests, kept by the app in a Redis key.
// An absent key gives no series (not 0), so an alert cannot fire on missing data.

#include <memory>
#include <string>

#include "collect/collector.h"
#include "collect/redis/redis_client.h"

namespace cerniq::collect::redis {

class LlmRateLimitCollector : public collect::Collector {
 public:
  LlmRateLimitCollector(std::unique_ptr<RedisClient> connection, std::string key);
  std::string Name() const override { return "llm_rate_limit"; }
  std::string Source() const override { return "redis"; }
  collect::CollectResult Collect() override;

 private:
  std::unique_ptr<RedisClient> connection_;
  std::string key_;
};

}  // namespace cerniq::collect::redis
