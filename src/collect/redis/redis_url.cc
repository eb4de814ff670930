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

}  // namespace

std::string RedisAddress::Display() const {
  if (!socket_path.empty()) return "unix://" + socket_path;
  return host + ":" + std::to_string(port);
}

std::optional<RedisAddress> ParseRedisUrl(const std::string& url, std::string& error) {
  RedisAddress a;
  std::string_view s = url;
  if (s.starts_with("unix://")) {
    s.remove_prefix(7);
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
  if (s.starts_with("rediss://")) {
    a.tls = true;
    s.remove_prefix(9);
  } else if (s.starts_with("redis://")) {
    s.remove_prefix(8);
  } else {
    error = "Redis URL must start with redis://, rediss:// or unix://";
    return std::nullopt;
  }
  if (size_t at = s.rfind('@'); at != std::string_view::npos) {
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
  std::string_view hostport = s;
  if (size_t slash = s.find('/'); slash != std::string_view::npos) {
    hostport = s.substr(0, slash);
    std::string_view db = s.substr(slash + 1);
    if (!db.empty() && !ParseInt(db, 0, 1 << 20, a.db)) {
      error = "invalid database number \"" + std::string(db) + "\"";
      return std::nullopt;
    }
  }
  if (hostport.starts_with("[")) {
    error = "IPv6 addresses are not supported";
    return std::nullopt;
  }
  if (size_t colon = hostport.rfind(':'); colon != std::string_view::npos) {
    if (!ParseInt(hostport.substr(colon + 1), 1, 65535, a.port)) {
      error = "invalid port \"" + std::string(hostport.substr(colon + 1)) + "\"";
      return std::nullopt;
    }
    hostport = hostport.substr(0, colon);
  }
  if (hostport.empty()) {
    error = "Redis URL has no host";
    return std::nullopt;
  }
  a.host = std::string(hostport);
  return a;
}

}  // namespace cerniq::collect::redis
