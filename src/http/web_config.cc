#include "http/web_config.h"

#include <filesystem>
#include <fstream>
#include <sstream>

#include "config/strict_yaml.h"
#include "http/bcrypt.h"

namespace cerniq::http {
namespace {

using config::ConfigError;
using config::MapReader;

struct NamePair {
  const char* go;
  const char* openssl;
};

// Go's tls.CipherSuites(), the list exporter-toolkit looks names up in.
constexpr NamePair kCiphers[] = {
    {"TLS_RSA_WITH_AES_128_CBC_SHA", "AES128-SHA"},
    {"TLS_RSA_WITH_AES_256_CBC_SHA", "AES256-SHA"},
    {"TLS_RSA_WITH_AES_128_GCM_SHA256", "AES128-GCM-SHA256"},
    {"TLS_RSA_WITH_AES_256_GCM_SHA384", "AES256-GCM-SHA384"},
    {"TLS_AES_128_GCM_SHA256", "TLS_AES_128_GCM_SHA256"},
    {"TLS_AES_256_GCM_SHA384", "TLS_AES_256_GCM_SHA384"},
    {"TLS_CHACHA20_POLY1305_SHA256", "TLS_CHACHA20_POLY1305_SHA256"},
    {"TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA", "ECDHE-ECDSA-AES128-SHA"},
    {"TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA", "ECDHE-ECDSA-AES256-SHA"},
    {"TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA", "ECDHE-RSA-AES128-SHA"},
    {"TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA", "ECDHE-RSA-AES256-SHA"},
    {"TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", "ECDHE-ECDSA-AES128-GCM-SHA256"},
    {"TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384", "ECDHE-ECDSA-AES256-GCM-SHA384"},
    {"TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", "ECDHE-RSA-AES128-GCM-SHA256"},
    {"TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384", "ECDHE-RSA-AES256-GCM-SHA384"},
    {"TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256", "ECDHE-ECDSA-CHACHA20-POLY1305"},
    {"TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256", "ECDHE-RSA-CHACHA20-POLY1305"},
};

constexpr NamePair kCurves[] = {
    {"CurveP256", "P-256"}, {"CurveP384", "P-384"}, {"CurveP521", "P-521"}, {"X25519", "X25519"}};

template <size_t N>
std::string Lookup(const NamePair (&table)[N], const std::string& go_name) {
  for (const auto& pair : table) {
    if (go_name == pair.go) return pair.openssl;
  }
  return "";
}

// exporter-toolkit's extraHTTPHeaders: the headers a config may set, with their allowed values
// (none listed: any value).
const std::map<std::string, std::vector<std::string>>& AllowedHeaders() {
  static const std::map<std::string, std::vector<std::string>> headers = {
      {"Strict-Transport-Security", {}},
      {"X-Content-Type-Options", {"nosniff"}},
      {"X-Frame-Options", {"deny", "sameorigin"}},
      {"X-XSS-Protection", {}},
      {"Content-Security-Policy", {}},
  };
  return headers;
}

std::string GoQuote(const std::string& s) { return "\"" + s + "\""; }

void ValidateHeaders(const std::string& file, const std::map<std::string, std::string>& headers) {
  for (const auto& [name, value] : headers) {
    auto allowed = AllowedHeaders().find(name);
    if (allowed == AllowedHeaders().end())
      throw ConfigError(file, "HTTP header " + GoQuote(name) + " can not be configured");
    const auto& values = allowed->second;
    if (values.empty() || std::find(values.begin(), values.end(), value) != values.end()) continue;
    std::string list;
    for (const auto& v : values) list += (list.empty() ? "" : " ") + GoQuote(v);
    throw ConfigError(file, "invalid value for " + name + ". Expected one of: [" + list +
                                "], but got: " + GoQuote(value));
  }
}

int TlsVersion(MapReader& reader, std::string_view key, int fallback) {
  static const std::map<std::string, int> versions = {
      {"TLS10", 0x0301}, {"TLS11", 0x0302}, {"TLS12", 0x0303}, {"TLS13", 0x0304}};
  YAML::Node node = reader.Node(key);
  if (!node || node.IsNull()) return fallback;
  auto it = versions.find(node.Scalar());
  if (!node.IsScalar() || it == versions.end())
    reader.FailAt(node, "unknown TLS version: " + node.Scalar());
  return it->second;
}

template <size_t N>
std::vector<std::string> Names(MapReader& reader, std::string_view key, const NamePair (&table)[N],
                               const std::string& what) {
  std::vector<std::string> out;
  YAML::Node list = reader.Node(key);
  if (!list || list.IsNull()) return out;
  if (!list.IsSequence()) reader.FailAt(list, std::string(key) + " must be a list");
  for (const auto& item : list) {
    std::string name = item.IsScalar() ? Lookup(table, item.Scalar()) : "";
    if (name.empty()) reader.FailAt(item, "unknown " + what + ": " + item.Scalar());
    out.push_back(name);
  }
  return out;
}

std::map<std::string, std::string> StringMap(MapReader& parent, std::string_view key,
                                             const std::string& what) {
  std::map<std::string, std::string> out;
  YAML::Node node = parent.Node(key);
  MapReader reader(node, parent.file(), what);  // checks it is a mapping without repeated keys
  if (!node || node.IsNull()) return out;
  for (auto it = node.begin(); it != node.end(); ++it) {
    out[it->first.Scalar()] = reader.String(it->first.Scalar(), "");
  }
  reader.Finish();
  return out;
}

std::string JoinDir(const std::string& dir, const std::string& path) {
  if (path.empty() || path.front() == '/') return path;
  return (std::filesystem::path(dir) / path).string();
}

TlsServerConfig ReadTls(MapReader& parent, const std::string& dir) {
  TlsServerConfig tls;
  MapReader reader(parent.Node("tls_server_config"), parent.file(), "tls_server_config");
  tls.cert_file = JoinDir(dir, reader.String("cert_file", ""));
  tls.key_file = JoinDir(dir, reader.String("key_file", ""));
  tls.client_auth_type = reader.String("client_auth_type", "");
  tls.client_ca_file = JoinDir(dir, reader.String("client_ca_file", ""));
  tls.cipher_suites = Names(reader, "cipher_suites", kCiphers, "cipher");
  tls.curves = Names(reader, "curve_preferences", kCurves, "curve");
  tls.min_version = TlsVersion(reader, "min_version", tls.min_version);
  tls.max_version = TlsVersion(reader, "max_version", tls.max_version);
  tls.prefer_server_cipher_suites =
      reader.Bool("prefer_server_cipher_suites", tls.prefer_server_cipher_suites);
  reader.Finish();
  return tls;
}

// ConfigToTLSConfig's checks that do not open files.
void ValidateTls(const std::string& file, const TlsServerConfig& tls) {
  if (!tls.Enabled()) return;
  if (tls.cert_file.empty()) throw ConfigError(file, "missing cert_file");
  if (tls.key_file.empty()) throw ConfigError(file, "missing key_file");
  static const std::vector<std::string> kinds = {"",
                                                 "NoClientCert",
                                                 "RequestClientCert",
                                                 "RequireAnyClientCert",
                                                 "RequireClientCert",
                                                 "VerifyClientCertIfGiven",
                                                 "RequireAndVerifyClientCert"};
  if (std::find(kinds.begin(), kinds.end(), tls.client_auth_type) == kinds.end())
    throw ConfigError(file, "Invalid ClientAuth: " + tls.client_auth_type);
  bool no_client_cert = tls.client_auth_type.empty() || tls.client_auth_type == "NoClientCert";
  if (!tls.client_ca_file.empty() && no_client_cert)
    throw ConfigError(file, "Client CA's have been configured without a Client Auth Policy");
}

}  // namespace

std::string OpenSslCipherName(const std::string& go_name) { return Lookup(kCiphers, go_name); }
std::string OpenSslGroupName(const std::string& go_name) { return Lookup(kCurves, go_name); }

std::string ReadWebConfigFile(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw ConfigError(path, "cannot read the web config file");
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

WebConfig LoadWebConfig(const std::string& path) {
  return ParseWebConfig(ReadWebConfigFile(path), path);
}

WebConfig ParseWebConfig(const std::string& text, const std::string& path) {
  YAML::Node root = config::ParseYaml(text, path);
  MapReader reader(root, path, "web config");
  WebConfig web;
  web.tls = ReadTls(reader, std::filesystem::path(path).parent_path().string());
  {
    MapReader http(reader.Node("http_server_config"), path, "http_server_config");
    web.http2 = http.Bool("http2", true);
    web.headers = StringMap(http, "headers", "http_server_config.headers");
    http.Finish();
  }
  web.users = StringMap(reader, "basic_auth_users", "basic_auth_users");
  reader.Finish();
  ValidateHeaders(path, web.headers);
  for (const auto& [user, hash] : web.users) {
    if (auto error = BcryptHashError(hash)) throw ConfigError(path, *error);
  }
  ValidateTls(path, web.tls);
  return web;
}

}  // namespace cerniq::http
