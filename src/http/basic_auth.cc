#include "http/basic_auth.h"

#include <openssl/evp.h>

#include <random>

#include "http/bcrypt.h"

namespace cerniq::http {
namespace {

// bcrypt of "fakepassword", cost 10: exporter-toolkit's hash for unknown users.
constexpr const char* kDummyHash = "$2y$10$QOauhQNbBCuQDKes6eFzPeMqBSjb7Mr5DUmpZ/VcEd00UAV/LDeSi";

std::optional<std::string> Base64Decode(std::string_view text) {
  if (text.size() % 4 != 0) return std::nullopt;
  std::string out(text.size() / 4 * 3, '\0');
  int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                          reinterpret_cast<const unsigned char*>(text.data()),
                          static_cast<int>(text.size()));
  if (n < 0) return std::nullopt;
  // EVP_DecodeBlock counts padding as zero bytes.
  size_t padding = 0;
  for (size_t i = text.size(); i > 0 && text[i - 1] == '=' && padding < 2; --i) ++padding;
  out.resize(static_cast<size_t>(n) - padding);
  return out;
}

std::string Hex(std::string_view bytes) {
  static const char digits[] = "0123456789abcdef";
  std::string out;
  for (unsigned char c : bytes) {
    out += digits[c >> 4];
    out += digits[c & 15];
  }
  return out;
}

}  // namespace

std::optional<Credentials> ParseBasicAuth(std::string_view authorization) {
  constexpr std::string_view scheme = "basic ";
  if (authorization.size() < scheme.size()) return std::nullopt;
  for (size_t i = 0; i < scheme.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(authorization[i])) != scheme[i])
      return std::nullopt;
  }
  auto decoded = Base64Decode(authorization.substr(scheme.size()));
  if (!decoded) return std::nullopt;
  size_t colon = decoded->find(':');
  if (colon == std::string::npos) return std::nullopt;
  return Credentials{decoded->substr(0, colon), decoded->substr(colon + 1)};
}

std::optional<BasicAuth::Lookup> BasicAuth::Find(const std::map<std::string, std::string>& users,
                                                 std::string_view authorization) {
  auto credentials = ParseBasicAuth(authorization);
  if (!credentials) return std::nullopt;
  auto user = users.find(credentials->user);
  bool known = user != users.end();
  std::string hash = known ? user->second : kDummyHash;
  std::string key = Hex(credentials->user) + ":" + Hex(hash) + ":" + Hex(credentials->password);
  return Lookup{std::move(key), std::move(hash), known};
}

bool BasicAuth::Cheap(const std::map<std::string, std::string>& users,
                      std::string_view authorization) const {
  auto lookup = Find(users, authorization);
  if (!lookup) return true;
  std::lock_guard<std::mutex> lock(cache_mutex_);
  return cache_.count(lookup->key) > 0;
}

bool BasicAuth::Allowed(const std::map<std::string, std::string>& users,
                        std::string_view authorization) {
  auto lookup = Find(users, authorization);
  if (!lookup) return false;
  {
    std::lock_guard<std::mutex> lock(cache_mutex_);
    if (auto hit = cache_.find(lookup->key); hit != cache_.end())
      return hit->second && lookup->known;
  }
  auto credentials = ParseBasicAuth(authorization);
  bool ok;
  {
    std::lock_guard<std::mutex> lock(bcrypt_mutex_);
    ok = BcryptMatches(lookup->hash, credentials->password) && lookup->known;
  }
  Remember(lookup->key, ok);
  return ok;
}

void BasicAuth::Remember(const std::string& key, bool ok) {
  std::lock_guard<std::mutex> lock(cache_mutex_);
  if (cache_.size() >= kCacheSize) {
    // Drop about a tenth at random, as exporter-toolkit does, so this is rare.
    static thread_local std::minstd_rand random{std::random_device{}()};
    for (size_t dropped = 0; dropped <= cache_.size() / 10 && !cache_.empty(); ++dropped) {
      auto victim = cache_.begin();
      std::advance(victim, random() % cache_.size());
      cache_.erase(victim);
    }
  }
  cache_[key] = ok;
}

std::size_t BasicAuth::cached() const {
  std::lock_guard<std::mutex> lock(cache_mutex_);
  return cache_.size();
}

}  // namespace cerniq::http
