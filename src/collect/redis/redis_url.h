#pragma once
// Parses the exporter's Redis address: `redis://[[user]:password@]host[:port][/db]`,
// `rediss://...` (the same over TLS) or `unix:///path/to/socket[?db=N]`.

#include <optional>
#include <string>

namespace cerniq::collect::redis {

struct RedisAddress {
  std::string host;  // empty for a unix socket
  int port = 6379;
  std::string socket_path;
  std::string username;  // ACL user; empty = default
  std::string password;
  int db = 0;
  bool tls = false;  // rediss://

  // host:port or the socket path; never the password (safe for logs).
  std::string Display() const;
};

// Returns nullopt and sets `error` for an invalid URL.
std::optional<RedisAddress> ParseRedisUrl(const std::string& url, std::string& error);

}  // namespace cerniq::collect::redis
