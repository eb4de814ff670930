#pragma once
// Where a Sentinel-managed master is: the Sentinels are asked in turn
// (`SENTINEL get-master-addr-by-name`), starting with the last one that answered, each over a
// kept connection whose waits are bounded by the connect and read timeouts.

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "collect/redis/redis_url.h"
#include "collect/redis/tls_context.h"

namespace cerniq::collect::redis {

class Connection;

class SentinelResolver {
 public:
  // `password` is the Sentinels' own (requirepass of sentinel.conf); empty for none. With `tls`
  // (rediss+sentinel://) the Sentinels are reached over TLS too, verified as the master is.
  SentinelResolver(std::vector<HostPort> sentinels, std::string master_name, std::string password,
                   std::chrono::milliseconds connect_timeout,
                   std::chrono::milliseconds read_timeout,
                   std::shared_ptr<const TlsContext> tls = {});
  ~SentinelResolver();

  // The master's address as the first Sentinel that knows it says; nullopt with every Sentinel's
  // reason in `error` when none does.
  std::optional<HostPort> Ask(std::string& error);

  const std::string& master_name() const { return master_name_; }

 private:
  std::string master_name_;
  std::vector<std::unique_ptr<Connection>> sentinels_;
  size_t preferred_ = 0;  // the last one that answered
};

}  // namespace cerniq::collect::redis
