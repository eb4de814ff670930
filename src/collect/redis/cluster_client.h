#pragma once
// A Redis Cluster seen as one RedisClient: the slot map comes from CLUSTER SLOTS (asked of any
// known node), every command goes to the master of its key's slot, the commands for one node
// travel in one pipelined round trip, and MOVED (slot map updated, re-read at the next call) and
// ASK (ASKING + the command, once) redirections are followed within the call, a few hops at most.
// A node that fails makes the map stale: the call re-reads the map and retries once, so a
// promoted replica is used as soon as the cluster says so.

#include <array>
#include <chrono>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "collect/redis/connection.h"
#include "collect/redis/redis_client.h"

namespace cerniq::collect::redis {

class ClusterClient : public RedisClient {
 public:
  // `seed`: any node of the cluster (its credentials and TLS apply to every node; db must be 0).
  ClusterClient(RedisAddress seed, std::chrono::milliseconds connect_timeout,
                std::chrono::milliseconds read_timeout, std::shared_ptr<const TlsContext> tls = {});

  using RedisClient::Pipeline;
  std::optional<std::vector<Reply>> Pipeline(const std::vector<Command>& commands,
                                             std::string& error,
                                             const std::vector<std::string>& route_keys) override;
  std::vector<int> ServersOf(const std::vector<std::string>& keys) override;
  size_t MasterCount() override;
  std::optional<Reply> OnMaster(size_t i, const Command& command, std::string& error) override;
  std::uint64_t round_trips() const override;

  // Masters of the current slot map, "host:port" (for tests).
  std::vector<std::string> Masters() const;

 private:
  bool EnsureSlots(std::string& error);
  bool RefreshSlots(std::string& error);
  Connection& Node(const std::string& host_port);
  int MasterIndex(const std::string& host_port);
  // One pass over the pending commands: a pipeline per node; redirected ones stay pending.
  bool SendRound(const std::vector<Command>& commands, std::vector<size_t>& pending,
                 std::vector<std::string>& target, std::vector<bool>& asking,
                 std::vector<std::optional<Reply>>& replies, std::string& error);

  RedisAddress seed_;
  std::chrono::milliseconds connect_timeout_, read_timeout_;
  std::shared_ptr<const TlsContext> tls_;
  std::map<std::string, std::unique_ptr<Connection>> nodes_;  // by "host:port"
  std::vector<std::string> masters_;                          // of the slot map
  std::array<int, 16384> slot_master_{};                      // index into masters_, -1: none
  bool slots_stale_ = true;
};

}  // namespace cerniq::collect::redis
