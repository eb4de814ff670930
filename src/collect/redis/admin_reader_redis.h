#pragma once
// collect::AdminReader over Redis (one server, Sentinel or Cluster): the on-request reads of the
// admin diagnosis endpoints, on a connection of their own (never a collector's), one request at a
// time, each wait bounded by the connection's timeouts. Read-only commands: CLIENT LIST, ZREVRANGE,
// HMGET.

#include <memory>
#include <mutex>
#include <string_view>

#include "collect/admin_reader.h"
#include "collect/redis/redis_client.h"

namespace cerniq::collect::redis {

// At most this many workers are returned (a CLIENT LIST can hold thousands of connections).
inline constexpr std::size_t kMaxWorkersListed = 1000;

class RedisAdminReader : public AdminReader {
 public:
  explicit RedisAdminReader(std::unique_ptr<RedisClient> client);
  bool Workers(const std::string& prefix, const std::string& queue, std::vector<ClientEntry>& out,
               std::string& error) override;
  bool FailedJobs(const std::string& prefix, const std::string& queue, int limit,
                  std::vector<FailedJob>& out, std::string& error) override;

 private:
  std::mutex mutex_;  // one request on the connection at a time
  std::unique_ptr<RedisClient> connection_;
};

// BullMQ's parseClientList with getWorkers()' matcher: the entries named
// `<prefix>:<base64(queue)>` or starting with `<prefix>:<base64(queue)>:w:`, at most `max`.
std::vector<ClientEntry> WorkerEntries(std::string_view client_list, std::string_view prefix,
                                       std::string_view queue, std::size_t max);

// The job-hash fields read per failed job, in HMGET order.
const std::vector<std::string>& FailedJobFields();
// One job from its HMGET reply; nullopt when the hash is gone (every field nil).
std::optional<FailedJob> ParseFailedJob(const std::string& id, const Reply& hmget);
// The first line of the latest trace of BullMQ's `stacktrace` field (a JSON array of strings).
std::string LatestStackFirstLine(std::string_view stacktrace_json);

}  // namespace cerniq::collect::redis
