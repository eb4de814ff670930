#pragma once
// A Redis connection that survives its backend: every wait is bounded by the connect or read
// timeout, a broken connection is dropped and re-made on the next call (with backoff), and
// AUTH/SELECT are replayed after every reconnect. The bytes go through a Transport (plain TCP,
// unix socket or TLS alike); replies are parsed by hiredis' I/O-free RESP reader.
// Through Sentinel (FollowSentinels), every call first asks where the master is, and every batch
// is led by ROLE, so a failover is followed on the next call and a demoted master never answers.

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "collect/redis/redis_client.h"
#include "collect/redis/redis_url.h"
#include "collect/redis/sentinel.h"
#include "collect/redis/tls_context.h"
#include "collect/redis/transport.h"

struct redisReader;

namespace cerniq::collect::redis {

class Connection : public RedisClient {
 public:
  // `tls` is required for a rediss:// address and must be null otherwise.
  Connection(RedisAddress address, std::chrono::milliseconds connect_timeout,
             std::chrono::milliseconds read_timeout, std::shared_ptr<const TlsContext> tls = {});
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // Writes every command, then reads every reply: one round trip for the whole batch.
  // Returns nullopt (and sets error) when the connection failed; per-command server errors
  // come back as Reply::Type::kError with the connection still usable.
  // `route_keys` is moot on one server.
  using RedisClient::Pipeline;
  std::optional<std::vector<Reply>> Pipeline(const std::vector<Command>& commands,
                                             std::string& error,
                                             const std::vector<std::string>& route_keys) override;
  std::vector<int> ServersOf(const std::vector<std::string>& keys) override {
    return std::vector<int>(keys.size(), 0);
  }
  size_t MasterCount() override { return 1; }
  std::optional<Reply> OnMaster(size_t i, const Command& command, std::string& error) override;

  // Sentinel mode: `address` (credentials, db, master name) is completed by asking `sentinels`
  // before each call; a call whose master moved or fails is retried once on the new master.
  void FollowSentinels(std::unique_ptr<SentinelResolver> sentinels);

  // Round trips made so far to the server (pipelines, plus AUTH/SELECT on connect; the
  // Sentinels' own round trips are not counted).
  std::uint64_t round_trips() const override { return round_trips_; }
  const RedisAddress& address() const { return address_; }

 private:
  bool EnsureConnected(std::string& error);
  // Sends `lead` (when given) and the batch, and parses one reply per command; false
  // (connection dropped) on I/O errors.
  bool RoundTrip(const std::vector<Command>& commands, std::vector<Reply>& replies,
                 std::string& error, const Command* lead = nullptr);
  std::optional<std::vector<Reply>> PipelineOnce(const std::vector<Command>& commands,
                                                 std::string& error, const Command* lead);
  std::optional<std::vector<Reply>> PipelineToMaster(const std::vector<Command>& commands,
                                                     std::string& error);
  // Asks the Sentinels where the master is; moves there if it changed. False when no Sentinel
  // answered and there is no verified connection to keep using.
  bool FollowMaster(std::string& error);
  void Drop();

  RedisAddress address_;
  std::chrono::milliseconds connect_timeout_;
  std::chrono::milliseconds read_timeout_;
  std::shared_ptr<const TlsContext> tls_;
  std::unique_ptr<SentinelResolver> sentinels_;
  std::unique_ptr<Transport> transport_;
  redisReader* reader_ = nullptr;
  std::uint64_t round_trips_ = 0;
  std::chrono::steady_clock::time_point next_attempt_{};
  std::chrono::milliseconds backoff_{0};
};

}  // namespace cerniq::collect::redis
