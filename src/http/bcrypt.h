#pragma once
// bcrypt hashes through libcrypt (libxcrypt understands $2a$, $2b$ and $2y$), with the errors of
// Go's golang.org/x/crypto/bcrypt that exporter-toolkit reports for a bad hash.

#include <optional>
#include <string>

namespace cerniq::http {

// Go's bcrypt.Cost(hash) error text, or nullopt for a well-formed hash.
std::optional<std::string> BcryptHashError(const std::string& hash);

// Whether `password` hashes to `hash`; the comparison does not stop at the first difference.
bool BcryptMatches(const std::string& hash, const std::string& password);

}  // namespace cerniq::http
