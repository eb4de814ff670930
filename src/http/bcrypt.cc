#include "http/bcrypt.h"

#include <crypt.h>
#include <openssl/crypto.h>

#include <memory>

namespace cerniq::http {

std::optional<std::string> BcryptHashError(const std::string& hash) {
  const std::string prefix = "crypto/bcrypt: ";
  if (hash.size() < 59) return prefix + "hashedSecret too short to be a bcrypted password";
  if (hash[0] != '$')
    return prefix + "bcrypt hashes must start with '$', but hashedSecret started with '" + hash[0] +
           "'";
  if (hash[1] > '2')
    return prefix + "bcrypt algorithm version '" + hash[1] +
           "' requested is newer than current version '2'";
  size_t cost_at = hash[2] == '$' ? 3 : 4;
  std::string cost = hash.substr(cost_at, 2);
  if (cost.find_first_not_of("0123456789") != std::string::npos)
    return "strconv.Atoi: parsing \"" + cost + "\": invalid syntax";
  int value = std::stoi(cost);
  if (value < 4 || value > 31)
    return prefix + "cost " + std::to_string(value) + " is outside allowed range (4,31)";
  return std::nullopt;
}

bool BcryptMatches(const std::string& hash, const std::string& password) {
  auto data = std::make_unique<crypt_data>();  // ~32 KiB: not on an I/O thread's stack
  const char* out = crypt_r(password.c_str(), hash.c_str(), data.get());
  if (!out || out[0] == '*') return false;  // libxcrypt's failure tokens start with '*'
  std::string computed(out);
  return computed.size() == hash.size() &&
         CRYPTO_memcmp(computed.data(), hash.data(), hash.size()) == 0;
}

}  // namespace cerniq::http
