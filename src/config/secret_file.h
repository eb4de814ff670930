#pragma once
// Secret files (`password_file` of the Redis and PostgreSQL sections, Docker/Kubernetes secrets):
// the one place they are read, so both sources treat their content the same way.

#include <string>

namespace cerniq::config {

// Reads the whole file at path into secret, without the trailing newlines (\n, \r) that `echo`
// and editors add: they are not part of the password. On failure returns false and sets reason
// to the system's explanation ("No such file or directory"); the caller names the file.
bool ReadSecretFile(const std::string& path, std::string& secret, std::string& reason);

}  // namespace cerniq::config
