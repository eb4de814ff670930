#pragma once
// What the collectors need of Redis, whether one server (Connection, also through Sentinel) or
// a Redis Cluster (ClusterClient): pipelined reads routed by key, and the few keyless commands
// (CLIENT LIST, SCAN) sent to a chosen server.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "collect/redis/reply.h"

namespace cerniq::collect::redis {

class RedisClient {
 public:
  virtual ~RedisClient() = default;

  // One reply per command, in order, each command sent to the server that holds its key
  // (argv[1]). `route_keys` (empty, or one entry per command) names the key whose server gets a
  // keyless command such as CLIENT LIST; on a single server every command goes to it. Returns
  // nullopt (and sets error) when a server could not be read; per-command server errors come
  // back as Reply::Type::kError.
  virtual std::optional<std::vector<Reply>> Pipeline(
      const std::vector<Command>& commands, std::string& error,
      const std::vector<std::string>& route_keys) = 0;
  std::optional<std::vector<Reply>> Pipeline(const std::vector<Command>& commands,
                                             std::string& error) {
    return Pipeline(commands, error, {});
  }

  // Which server holds each key, as small numbers: equal numbers, same server (all 0 on one
  // server). Valid until the next call.
  virtual std::vector<int> ServersOf(const std::vector<std::string>& keys) = 0;

  // Masters known now (1 on a single server), and one keyless command (SCAN) on master `i`.
  virtual size_t MasterCount() = 0;
  virtual std::optional<Reply> OnMaster(size_t i, const Command& command, std::string& error) = 0;

  // Round trips made so far, to every server.
  virtual std::uint64_t round_trips() const = 0;
};

}  // namespace cerniq::collect::redis
