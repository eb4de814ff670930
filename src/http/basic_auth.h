#pragma once
// HTTP basic auth against bcrypt hashes, as exporter-toolkit's webHandler does it: an unknown
// user is checked against a dummy hash (the time taken does not tell a wrong user from a wrong
// password), one bcrypt at a time, and results are cached by (user, hash, password) so 200
// scrapers with the right password do not cost 200 bcrypt runs a second.

#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

namespace cerniq::http {

struct Credentials {
  std::string user;
  std::string password;
};

// Go's Request.BasicAuth: "Basic <base64(user:password)>", the scheme case-insensitive.
std::optional<Credentials> ParseBasicAuth(std::string_view authorization);

class BasicAuth {
 public:
  static constexpr std::size_t kCacheSize = 100;  // exporter-toolkit's cacheSize

  // Whether the Authorization header names a user of `users` with the right password.
  bool Allowed(const std::map<std::string, std::string>& users, std::string_view authorization);

  // Whether Allowed would answer from the cache (or without bcrypt at all).
  bool Cheap(const std::map<std::string, std::string>& users, std::string_view authorization) const;

  std::size_t cached() const;

 private:
  void Remember(const std::string& key, bool ok);
  // The cache key and whether the user is known; nullopt without credentials.
  struct Lookup {
    std::string key;
    std::string hash;
    bool known;
  };
  static std::optional<Lookup> Find(const std::map<std::string, std::string>& users,
                                    std::string_view authorization);

  mutable std::mutex cache_mutex_;
  std::unordered_map<std::string, bool> cache_;
  std::mutex bcrypt_mutex_;  // bcrypt is CPU-heavy: one run at a time
};

}  // namespace cerniq::http
