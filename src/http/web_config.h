#pragma once
// `--web.config.file` in exporter-toolkit's format (the version promtool 2.42 knows, v0.8.2):
// tls_server_config, http_server_config, basic_auth_users. Read strictly (unknown or repeated
// keys are errors with file:line:col) and validated with exporter-toolkit's words.

#include <map>
#include <string>
#include <vector>

namespace cerniq::http {

struct TlsServerConfig {
  std::string cert_file;  // relative paths are joined with the config file's folder
  std::string key_file;
  std::string client_auth_type;  // "", NoClientCert, RequestClientCert, RequireAnyClientCert
                                 // (alias RequireClientCert), VerifyClientCertIfGiven,
                                 // RequireAndVerifyClientCert
  std::string client_ca_file;
  std::vector<std::string> cipher_suites;  // OpenSSL names, from Go's
  std::vector<std::string> curves;         // OpenSSL group names, from Go's
  int min_version = 0x0303;                // TLS 1.2 (OpenSSL's TLS1_2_VERSION)
  int max_version = 0x0304;                // TLS 1.3
  bool prefer_server_cipher_suites = true;

  // exporter-toolkit's errNoTLSConfig: none of the four file/auth keys set means plain HTTP.
  bool Enabled() const {
    return !cert_file.empty() || !key_file.empty() || !client_auth_type.empty() ||
           !client_ca_file.empty();
  }
};

struct WebConfig {
  TlsServerConfig tls;
  bool http2 = true;  // accepted; this server speaks HTTP/1.1 only
  std::map<std::string, std::string> headers;
  std::map<std::string, std::string> users;  // name -> bcrypt hash
};

// Reads and validates the file: YAML errors throw config::ConfigError with file:line:col; a
// semantic error (no key_file, a bad bcrypt hash, a refused header) throws it without position
// and with exporter-toolkit's text. Certificates are not opened here (see tls_context.h).
WebConfig LoadWebConfig(const std::string& path);
// The same from the file's text (`path` names it in errors and anchors relative paths).
WebConfig ParseWebConfig(const std::string& text, const std::string& path);
// The file's text; throws config::ConfigError when it cannot be read.
std::string ReadWebConfigFile(const std::string& path);

// Go cipher suite / curve names -> OpenSSL's; "" when Go does not know the name.
std::string OpenSslCipherName(const std::string& go_name);
std::string OpenSslGroupName(const std::string& go_name);

}  // namespace cerniq::http
