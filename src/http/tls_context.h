#pragma once
// OpenSSL 3 server contexts from tls_server_config, rebuilt when the config or the certificate,
// key or client-CA files change (cert-manager rotates them): each handshake costs three stat(2)
// calls, a change one rebuild; connections already open keep the context they started with.

#include <boost/asio/ssl/context.hpp>

#include <memory>
#include <mutex>

#include "http/web_config.h"
#include "http/web_config_source.h"

namespace cerniq::http {

// Throws std::runtime_error with exporter-toolkit's words ("failed to load X509KeyPair: ...").
std::shared_ptr<boost::asio::ssl::context> MakeTlsContext(const TlsServerConfig& tls);

class TlsContextCache {
 public:
  // The context for `web`, or nullptr when it configures no TLS (plain HTTP). Throws as
  // MakeTlsContext does.
  std::shared_ptr<boost::asio::ssl::context> For(const std::shared_ptr<const WebConfig>& web);
  // Whether the last config given to For had TLS: while the file is invalid, connections are
  // refused if it had (a handshake cannot succeed) and get a 500 over plain HTTP if not.
  bool LastHadTls();

 private:
  std::mutex mutex_;
  std::shared_ptr<const WebConfig> web_;
  FileStamp cert_, key_, client_ca_;
  std::shared_ptr<boost::asio::ssl::context> context_;
};

}  // namespace cerniq::http
