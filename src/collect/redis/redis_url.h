#pragma once
// Parses the exporter's Redis address: `redis://[[user]:password@]host[:port][/db]`,
// `rediss://...` (the same over TLS), `unix:///path/to/socket[?db=N]` or
// `redis+sentinel://[[user]:password@]host1[:port],host2[:port]/<master>[/db]` (the master is
// asked of those Sentinels; the credentials and db are the master's), or `rediss+sentinel://...`
// (Sentinels and master both over TLS).

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cerniq::collect::redis {

struct HostPort {
  std::string host;
  int port = 0;
  bool operator==(const HostPort&) const = default;
};

struct RedisAddress {
  std::string host;  // empty for a unix socket
  int port = 6379;
  std::string socket_path;
  std::string username;  // ACL user; empty = default
  std::string password;
  int db = 0;
  bool tls = false;  // rediss://, rediss+sentinel:// (then the Sentinels too)
  // Sentinel mode: the master's name and the Sentinels to ask; host/port are then filled in by
  // whoever resolved the master (empty until then).
  std::string master_name;
  std::vector<HostPort> sentinels;
  bool via_sentinel() const { return !master_name.empty(); }

  // host:port or the socket path (plus the master's name through Sentinel); never the password.
  std::string Display() const;
};

// `host[:port]` (IPv4 or a name) with `default_port` when the port is omitted.
std::optional<HostPort> ParseHostPort(std::string_view text, int default_port, std::string& error);

// Returns nullopt and sets `error` for an invalid URL.
std::optional<RedisAddress> ParseRedisUrl(const std::string& url, std::string& error);

}  // namespace cerniq::collect::redis
