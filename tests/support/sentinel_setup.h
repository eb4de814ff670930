#pragma once
// A Sentinel-managed Redis on loopback for integration tests: one master, one replica and three
// redis-sentinel processes (quorum 2, down-after 1 s, failover-timeout 5 s), each in a temporary
// directory removed on destruction. Every wait is bounded.

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "support/redis_server.h"
#include "support/subprocess.h"

namespace cerniq::testing {

class SentinelSetup {
 public:
  static constexpr const char* kMaster = "mymaster";
  SentinelSetup();
  ~SentinelSetup();

  // Before Start(): everything TLS only — master, replica (replicating over TLS) and Sentinels
  // (`tls-port`, talking to each other and to the servers over TLS) — with these files.
  void UseTls(RedisServer::Tls tls) { tls_ = std::move(tls); }

  // Starts everything and waits until the replica is in sync and every Sentinel knows the
  // replica and the two other Sentinels. False (with `error`) when that did not happen in time.
  bool Start(std::string& error);

  // redis+sentinel://127.0.0.1:<s1>,127.0.0.1:<s2>,127.0.0.1:<s3>/mymaster/<db> (rediss+ with TLS)
  std::string url(int db) const;
  std::vector<int> sentinel_ports() const { return sentinel_ports_; }
  // The master's port according to Sentinel `i`; 0 when it does not answer.
  int MasterPortSeenBy(size_t i) const;
  // The Redis server (first master or first replica) listening on `port`.
  RedisServer& ServerOnPort(int port);
  // redis-cli against Sentinel `i`.
  std::string SentinelCli(size_t i, const std::vector<std::string>& args) const;

 private:
  std::unique_ptr<RedisServer> MakeServer(std::vector<std::string> args,
                                          const std::string& name) const;
  std::string SentinelConf(size_t i, int master_port) const;

  std::string dir_;
  std::optional<RedisServer::Tls> tls_;
  std::unique_ptr<RedisServer> master_, replica_;
  std::vector<int> sentinel_ports_;
  std::vector<std::unique_ptr<Subprocess>> sentinels_;
};

}  // namespace cerniq::testing
