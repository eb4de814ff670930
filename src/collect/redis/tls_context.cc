#include "collect/redis/tls_context.h"

#include <openssl/err.h>
#include <openssl/ssl.h>

#include <stdexcept>

namespace cerniq::collect::redis {

std::string TakeOpensslError(const std::string& fallback) {
  std::string out;
  while (unsigned long code = ERR_get_error()) {
    char buf[256];
    ERR_error_string_n(code, buf, sizeof buf);
    if (!out.empty()) out += "; ";
    out += buf;
  }
  return out.empty() ? fallback : out;
}

TlsContext::TlsContext(const config::RedisTlsConfig& config)
    : verify_(!config.insecure_skip_verify), server_name_(config.server_name) {
  ctx_ = SSL_CTX_new(TLS_client_method());
  if (ctx_ == nullptr) throw std::runtime_error(TakeOpensslError("cannot create a TLS context"));
  auto fail = [&](const std::string& what) {
    std::string why = TakeOpensslError("unknown error");
    SSL_CTX_free(ctx_);
    ctx_ = nullptr;
    throw std::runtime_error(what + ": " + why);
  };
  SSL_CTX_set_min_proto_version(ctx_, TLS1_2_VERSION);
  // The transport writes from a non-blocking socket and retries with the same buffer.
  SSL_CTX_set_mode(ctx_, SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
  if (!config.ca_file.empty()) {
    if (SSL_CTX_load_verify_locations(ctx_, config.ca_file.c_str(), nullptr) != 1) {
      fail("redis.tls.ca_file " + config.ca_file);
    }
  } else if (SSL_CTX_set_default_verify_paths(ctx_) != 1) {
    fail("the system's CA certificates");
  }
  if (!config.cert_file.empty()) {
    if (SSL_CTX_use_certificate_chain_file(ctx_, config.cert_file.c_str()) != 1) {
      fail("redis.tls.cert_file " + config.cert_file);
    }
    if (SSL_CTX_use_PrivateKey_file(ctx_, config.key_file.c_str(), SSL_FILETYPE_PEM) != 1) {
      fail("redis.tls.key_file " + config.key_file);
    }
    if (SSL_CTX_check_private_key(ctx_) != 1) fail("redis.tls.key_file does not match cert_file");
  }
  SSL_CTX_set_verify(ctx_, verify_ ? SSL_VERIFY_PEER : SSL_VERIFY_NONE, nullptr);
}

TlsContext::~TlsContext() { SSL_CTX_free(ctx_); }

}  // namespace cerniq::collect::redis
