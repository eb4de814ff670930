#include "http/tls_context.h"

#include <openssl/err.h>
#include <openssl/ssl.h>

#include <stdexcept>

namespace cerniq::http {
namespace ssl = boost::asio::ssl;

namespace {

std::string OpenSslError() {
  unsigned long code = ERR_get_error();
  ERR_clear_error();
  if (code == 0) return "unknown error";
  char text[256];
  ERR_error_string_n(code, text, sizeof text);
  return text;
}

std::string Join(const std::vector<std::string>& items, bool tls13) {
  std::string out;
  for (const auto& item : items) {
    if ((item.rfind("TLS_", 0) == 0) != tls13) continue;
    out += (out.empty() ? "" : ":") + item;
  }
  return out;
}

// Go's ClientAuthType on OpenSSL's verify modes. Request/RequireAny take any certificate.
void SetClientAuth(SSL_CTX* ctx, const TlsServerConfig& tls) {
  const std::string& kind = tls.client_auth_type;
  auto accept_any = [](int, X509_STORE_CTX*) { return 1; };
  if (kind == "RequestClientCert") {
    SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, accept_any);
  } else if (kind == "RequireAnyClientCert" || kind == "RequireClientCert") {
    SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT, accept_any);
  } else if (kind == "VerifyClientCertIfGiven") {
    SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, nullptr);
  } else if (kind == "RequireAndVerifyClientCert") {
    SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT, nullptr);
  } else {
    SSL_CTX_set_verify(ctx, SSL_VERIFY_NONE, nullptr);
  }
  if (tls.client_ca_file.empty()) return;
  if (SSL_CTX_load_verify_locations(ctx, tls.client_ca_file.c_str(), nullptr) != 1)
    throw std::runtime_error("open " + tls.client_ca_file + ": " + OpenSslError());
  SSL_CTX_set_client_CA_list(ctx, SSL_load_client_CA_file(tls.client_ca_file.c_str()));
}

// ALPN: "http/1.1" when the client offers it, as exporter-toolkit's server does with
// http2: false (Go then lists only http/1.1). With http2: true Go would also pick "h2"; Beast
// has no HTTP/2, so http/1.1 is chosen either way. A client offering neither gets no ALPN
// answer and goes on (Go falls back the same way when http/1.1 is among its protocols).
int SelectHttp11(SSL*, const unsigned char** out, unsigned char* out_len, const unsigned char* in,
                 unsigned int in_len, void*) {
  static const unsigned char kHttp11[] = {8, 'h', 't', 't', 'p', '/', '1', '.', '1'};
  unsigned char* selected = nullptr;
  if (SSL_select_next_proto(&selected, out_len, kHttp11, sizeof kHttp11, in, in_len) !=
      OPENSSL_NPN_NEGOTIATED)
    return SSL_TLSEXT_ERR_NOACK;
  *out = selected;
  return SSL_TLSEXT_ERR_OK;
}

}  // namespace

std::shared_ptr<ssl::context> MakeTlsContext(const TlsServerConfig& tls) {
  auto context = std::make_shared<ssl::context>(ssl::context::tls_server);
  SSL_CTX* ctx = context->native_handle();
  ERR_clear_error();
  if (SSL_CTX_use_certificate_chain_file(ctx, tls.cert_file.c_str()) != 1 ||
      SSL_CTX_use_PrivateKey_file(ctx, tls.key_file.c_str(), SSL_FILETYPE_PEM) != 1 ||
      SSL_CTX_check_private_key(ctx) != 1)
    throw std::runtime_error("failed to load X509KeyPair: " + OpenSslError());
  SSL_CTX_set_min_proto_version(ctx, tls.min_version);
  SSL_CTX_set_max_proto_version(ctx, tls.max_version);
  // Go applies cipher_suites to TLS 1.0-1.2 only; TLS 1.3's suites are not configurable there.
  std::string ciphers = Join(tls.cipher_suites, false);
  if (!ciphers.empty() && SSL_CTX_set_cipher_list(ctx, ciphers.c_str()) != 1)
    throw std::runtime_error("cipher_suites: " + OpenSslError());
  std::string groups;
  for (const auto& g : tls.curves) groups += (groups.empty() ? "" : ":") + g;
  if (!groups.empty() && SSL_CTX_set1_groups_list(ctx, groups.c_str()) != 1)
    throw std::runtime_error("curve_preferences: " + OpenSslError());
  long options = SSL_OP_NO_COMPRESSION | SSL_OP_NO_RENEGOTIATION;
  if (tls.prefer_server_cipher_suites) options |= SSL_OP_CIPHER_SERVER_PREFERENCE;
  SSL_CTX_set_options(ctx, options);
  SetClientAuth(ctx, tls);
  SSL_CTX_set_alpn_select_cb(ctx, SelectHttp11, nullptr);
  return context;
}

std::shared_ptr<ssl::context> TlsContextCache::For(const std::shared_ptr<const WebConfig>& web) {
  if (!web || !web->tls.Enabled()) {
    std::lock_guard<std::mutex> lock(mutex_);
    context_.reset();
    web_ = web;
    return nullptr;
  }
  FileStamp cert = FileStamp::Of(web->tls.cert_file);
  FileStamp key = FileStamp::Of(web->tls.key_file);
  FileStamp client_ca = FileStamp::Of(web->tls.client_ca_file);
  std::lock_guard<std::mutex> lock(mutex_);
  if (context_ && web == web_ && cert == cert_ && key == key_ && client_ca == client_ca_)
    return context_;
  context_ = MakeTlsContext(web->tls);  // throws: the next handshake tries again
  web_ = web;
  cert_ = cert;
  key_ = key;
  client_ca_ = client_ca;
  return context_;
}

bool TlsContextCache::LastHadTls() {
  std::lock_guard<std::mutex> lock(mutex_);
  return web_ && web_->tls.Enabled();
}

}  // namespace cerniq::http
