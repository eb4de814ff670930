#pragma once
// The OpenSSL 3 client context of a `rediss://` connection: trust store (a CA file or the
// system's), optional client certificate, and whether the server's certificate is verified.
// Built once per connection; every reconnect opens a new session from it.

#include <memory>
#include <string>

#include "config/config.h"

struct ssl_ctx_st;

namespace cerniq::collect::redis {

class TlsContext {
 public:
  // Throws std::runtime_error naming the file that could not be loaded.
  explicit TlsContext(const config::RedisTlsConfig& config);
  ~TlsContext();
  TlsContext(const TlsContext&) = delete;
  TlsContext& operator=(const TlsContext&) = delete;

  ssl_ctx_st* get() const { return ctx_; }
  bool verify() const { return verify_; }
  // The name checked against the server's certificate (and sent as SNI when not an IP).
  std::string ServerName(const std::string& host) const {
    return server_name_.empty() ? host : server_name_;
  }

 private:
  ssl_ctx_st* ctx_ = nullptr;
  bool verify_ = true;
  std::string server_name_;
};

// The text of OpenSSL's error queue (emptied), or `fallback` when it is empty.
std::string TakeOpensslError(const std::string& fallback);

}  // namespace cerniq::collect::redis
