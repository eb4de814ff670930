#include "collect/redis/redis_url.h"

#include <charconv>

namespace cerniq::collect::redis {
namespace {

bool ParseInt(std::string_view s, int min, int max, int& out) {
  int v = 0;
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || ptr != s.data() + s.size() || v < min || v > max) return false;
  out = v;
  return true;
}

std::string PercentDecode(std::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size()) {
      int v = 0;
      auto [ptr, ec] = std::from_chars(s.data() + i + 1, s.data() + i + 3, v, 16);
      if (ec == std::errc() && ptr == s.data() + i + 3) {
        out += static_cast<char>(v);
        i += 2;
        continue;
      }
    }
    out += s[i];
  }
  return out;
}

// [[user]:password@] at the start of `s`, removed from it.
void TakeUserinfo(std::string_view& s, RedisAddress& a) {
  size_t at = s.rfind('@');
  if (at == std::string_view::npos) return;
  std::string_view userinfo = s.substr(0, at);
  s = s.substr(at + 1);
  size_t colon = userinfo.find(':');
  if (colon == std::string_view::npos) {
    // redis://secret@host is how some clients pass a bare password.
    a.password = PercentDecode(userinfo);
  } else {
    a.username = PercentDecode(userinfo.substr(0, colon));
    a.password = PercentDecode(userinfo.substr(colon + 1));
  }
}

bool ParseDb(std::string_view db, RedisAddress& a, std::string& error) {
  if (db.empty() || ParseInt(db, 0, 1 << 20, a.db)) return true;
  error = "invalid database number \"" + std::string(db) + "\"";
  return false;
}

std::optional<RedisAddress> ParseUnixUrl(std::string_view s, std::string& error) {
  RedisAddress a;
  if (size_t q = s.find('?'); q != std::string_view::npos) {
    std::string_view query = s.substr(q + 1);
    s = s.substr(0, q);
    if (!query.starts_with("db=") || !ParseInt(query.substr(3), 0, 1 << 20, a.db)) {
      error = "invalid query in unix URL (only ?db=N is supported)";
      return std::nullopt;
    }
  }
  if (s.empty() || s[0] != '/') {
    error = "unix URL needs an absolute socket path: unix:///path/to/redis.sock";
    return std::nullopt;
  }
  a.socket_path = std::string(s);
  return a;
}

// host1[:port],host2[:port]/<master>[/db] after redis+sentinel://[userinfo@] (or rediss+).
std::optional<RedisAddress> ParseSentinelUrl(std::string_view s, std::string& error) {
  RedisAddress a;
  TakeUserinfo(s, a);
  size_t slash = s.find('/');
  std::string_view hosts = s.substr(0, slash);
  std::string_view path = slash == std::string_view::npos ? "" : s.substr(slash + 1);
  while (!hosts.empty()) {
    size_t comma = hosts.find(',');
    auto hp = ParseHostPort(hosts.substr(0, comma), 26379, error);
    if (!hp) return std::nullopt;
    a.sentinels.push_back(std::move(*hp));
    hosts = comma == std::string_view::npos ? "" : hosts.substr(comma + 1);
  }
  if (a.sentinels.empty()) {
    error = "redis+sentinel URL names no Sentinel: redis+sentinel://host:26379,.../<master>/<db>";
    return std::nullopt;
  }
  size_t db_slash = path.find('/');
  a.master_name = std::string(path.substr(0, db_slash));
  if (a.master_name.empty()) {
    error = "redis+sentinel URL names no master: redis+sentinel://host:26379,.../<master>/<db>";
    return std::nullopt;
  }
  if (db_slash != std::string_view::npos && !ParseDb(path.substr(db_slash + 1), a, error)) {
    return std::nullopt;
  }
  return a;
}

}  // namespace

std::string RedisAddress::Display() const {
  if (!socket_path.empty()) return "unix://" + socket_path;
  std::string at = host + ":" + std::to_string(port);
  if (!via_sentinel()) return at;
  std::string asked;
  for (const HostPort& s : sentinels) {
    asked += (asked.empty() ? "" : ",") + s.host + ":" + std::to_string(s.port);
  }
  return "master " + master_name + (host.empty() ? "" : " at " + at) + " (sentinels " + asked + ")";
}

std::optional<HostPort> ParseHostPort(std::string_view text, int default_port, std::string& error) {
  HostPort hp{std::string(text), default_port};
  if (text.starts_with("[")) {
    error = "IPv6 addresses are not supported";
    return std::nullopt;
  }
  if (size_t colon = text.rfind(':'); colon != std::string_view::npos) {
    if (!ParseInt(text.substr(colon + 1), 1, 65535, hp.port)) {
      error = "invalid port \"" + std::string(text.substr(colon + 1)) + "\"";
      return std::nullopt;
    }
    hp.host = std::string(text.substr(0, colon));
  }
  if (hp.host.empty()) {
    error = "no host in \"" + std::string(text) + "\"";
    return std::nullopt;
  }
  return hp;
}

std::optional<RedisAddress> ParseRedisUrl(const std::string& url, std::string& error) {
  std::string_view s = url;
  if (s.starts_with("unix://")) return ParseUnixUrl(s.substr(7), error);
  if (s.starts_with("redis+sentinel://")) return ParseSentinelUrl(s.substr(17), error);
  if (s.starts_with("rediss+sentinel://")) {
    auto a = ParseSentinelUrl(s.substr(18), error);
    if (a) a->tls = true;
    return a;
  }
  RedisAddress a;
  if (s.starts_with("rediss://")) {
    a.tls = true;
    s.remove_prefix(9);
  } else if (s.starts_with("redis://")) {
    s.remove_prefix(8);
  } else {
    error =
        "Redis URL must start with redis://, rediss://, redis+sentinel://, rediss+sentinel:// or "
        "unix://";
    return std::nullopt;
  }
  TakeUserinfo(s, a);
  std::string_view hostport = s;
  if (size_t slash = s.find('/'); slash != std::string_view::npos) {
    hostport = s.substr(0, slash);
    if (!ParseDb(s.substr(slash + 1), a, error)) return std::nullopt;
  }
  auto hp = ParseHostPort(hostport, 6379, error);
  if (!hp) {
    if (hostport.empty()) error = "Redis URL has no host";
    return std::nullopt;
  }
  a.host = std::move(hp->host);
  a.port = hp->port;
  return a;
}

}  // namespace cerniq::collect::redis
