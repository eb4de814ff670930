#pragma once
// `--web.config.file` in exporter-toolkit's format (the version promtool 2.42 knows, v0.8.2):
// tls_server_config, http_server_config, basic_auth_users. Read strictly (unknown or repeated
// keys are errors with file:line:col) and validated with exporter-toolkit's words.

#include <map>
#include <optional>
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

// Reads and validates the file as exporter-toolkit does: decoded with yaml.v2's UnmarshalStrict
// rules, then the headers, the bcrypt hashes and the TLS settings checked in its order. Every
// error throws config::ConfigError whose message() is exporter-toolkit's text, byte for byte
// ("yaml: unmarshal errors:\n  line 2: field cert_fil not found in type web.TLSConfig",
// "missing key_file"); YAML errors also carry the line and column of the first offending node.
// Certificates are opened only with `open_files` (the server loads them in tls_context.h).
WebConfig LoadWebConfig(const std::string& path, bool open_files = false);
// The same from the file's text (`path` names it in errors and anchors relative paths).
WebConfig ParseWebConfig(const std::string& text, const std::string& path, bool open_files = false);
// The file's text; throws config::ConfigError ("open F: no such file or directory").
std::string ReadWebConfigFile(const std::string& path);
// exporter-toolkit's web.Validate (promtool 2.42's `check web-config`): the file loaded with its
// certificate, key and client CA; nullopt when valid, else the error as Go prints it.
std::optional<std::string> ValidateWebConfigFile(const std::string& path);

// Go cipher suite / curve names -> OpenSSL's; "" when Go does not know the name.
std::string OpenSslCipherName(const std::string& go_name);
std::string OpenSslGroupName(const std::string& go_name);

}  // namespace cerniq::http
