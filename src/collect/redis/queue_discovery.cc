#include "collect/redis/queue_discovery.h"

#include <algorithm>

#include "log/limits.h"

namespace cerniq::collect::redis {
namespace {

constexpr int kMaxScanCalls = 100000;  // bounds one discovery run whatever the keyspace size

// Every `<prefix>:*:meta` key on one master; false when the scan failed (a connection failure
// is left for the count pass to report).
bool Scan(RedisClient& redis, size_t master, const std::string& pattern, const std::string& prefix,
          std::vector<std::string>& candidates, std::string& error) {
  std::string cursor = "0";
  for (int calls = 0; calls < kMaxScanCalls; ++calls) {
    auto r = redis.OnMaster(
        master, {"SCAN", cursor, "MATCH", pattern, "COUNT", "1000", "TYPE", "hash"}, error);
    if (!r) return false;
    if (r->IsError() || r->type != Reply::Type::kArray || r->elements.size() != 2) {
      log::Warn("queue discovery failed", {{"prefix", prefix}, {"err", r->str}});
      return false;
    }
    for (const Reply& key : r->elements[1].elements) {
      if (QueueFromMetaKey(key.str, prefix)) candidates.push_back(key.str);
    }
    cursor = r->elements[0].str;
    if (cursor == "0") break;
  }
  return true;
}

}  // namespace

std::optional<std::string> QueueFromMetaKey(std::string_view key, std::string_view prefix) {
  if (!key.ends_with(":meta") || !key.starts_with(prefix) || key.size() <= prefix.size() + 6) {
    return std::nullopt;
  }
  if (key[prefix.size()] != ':') return std::nullopt;
  std::string_view queue = key.substr(prefix.size() + 1, key.size() - prefix.size() - 6);
  // Queue names cannot contain ':'; a longer match belongs to another prefix or is a job id.
  if (queue.empty() || queue.find(':') != std::string_view::npos) return std::nullopt;
  return std::string(queue);
}

std::string GlobEscape(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c == '*' || c == '?' || c == '[' || c == ']' || c == '\\') out += '\\';
    out += c;
  }
  return out;
}

QueueDiscovery::QueueDiscovery(const config::BullmqConfig& config) : config_(config) {}

void QueueDiscovery::RunIfDue(RedisClient& redis) {
  auto now = std::chrono::steady_clock::now();
  if (now < next_discovery_) return;
  bool any = false;
  for (const auto& p : config_.prefixes) any = any || p.discover;
  if (!any) return;

  std::set<std::pair<std::string, std::string>> found;
  std::string error;
  for (const auto& p : config_.prefixes) {
    if (!p.discover) continue;
    std::vector<std::string> candidates;
    std::string pattern = GlobEscape(p.prefix) + ":*:meta";
    for (size_t master = 0; master < redis.MasterCount(); ++master) {
      if (!Scan(redis, master, pattern, p.prefix, candidates, error)) return;
    }
    // A 3-part custom job id can end in "meta": keep only hashes with BullMQ's meta fields.
    std::vector<Command> confirm;
    for (const auto& key : candidates)
      confirm.push_back({"HMGET", key, "opts.maxLenEvents", "version"});
    if (confirm.empty()) continue;
    auto replies = redis.Pipeline(confirm, error);
    if (!replies) return;
    for (size_t i = 0; i < candidates.size(); ++i) {
      const Reply& r = (*replies)[i];
      bool is_meta = r.type == Reply::Type::kArray &&
                     std::any_of(r.elements.begin(), r.elements.end(),
                                 [](const Reply& e) { return e.type == Reply::Type::kString; });
      if (!is_meta) continue;
      if (found.size() >= static_cast<size_t>(config_.discovery_max_queues)) {
        log::LimitReached(log::limit::kQueuesDiscovered,
                          {{"max_queues", std::to_string(config_.discovery_max_queues)}});
        break;
      }
      found.emplace(p.prefix, *QueueFromMetaKey(candidates[i], p.prefix));
    }
  }
  queues_ = std::move(found);
  next_discovery_ = now + config_.discovery_interval;
}

}  // namespace cerniq::collect::redis
