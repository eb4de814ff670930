#include "collect/redis/llm_rate_limit_collector.h"

#include "catalog/catalog.h"
#include "collect/families.h"

namespace cerniq::collect::redis {

LlmRateLimitCollector::LlmRateLimitCollector(std::unique_ptr<RedisClient> connection,
                                             std::string key)
    : connection_(std::move(connection)), key_(std::move(key)) {}

collect::CollectResult LlmRateLimitCollector::Collect() {
  collect::CollectResult result;
  auto replies = connection_->Pipeline({{"GET", key_}}, result.error);
  if (!replies) return result;
  result.source_reached = true;
  const Reply& r = (*replies)[0];
  if (r.IsError()) {
    result.error = "key " + key_ + ": " + r.str;
    return result;
  }
  if (r.type != Reply::Type::kNil) {
    auto value = r.AsDouble();
    if (!value) {
      result.error = "key " + key_ + " does not hold a number: \"" + r.str.substr(0, 64) + "\"";
      return result;
    }
    auto family = collect::MakeFamily(catalog::names::kLlmRateLimitRemaining);
    collect::AddSample(family, {}, *value);
    result.families.push_back(std::move(family));
  }
  result.success = true;
  return result;
}

}  // namespace cerniq::collect::redis
