#include "http/web_config.h"

#include <algorithm>

#include "config/strict_yaml.h"
#include "gocompat/filepath.h"
#include "goyaml/decode.h"
#include "goyaml/syntax.h"
#include "http/bcrypt.h"
#include "http/x509_key_pair.h"

namespace cerniq::http {
namespace {

using config::ConfigError;
using goyaml::DecodeList;
using goyaml::Decoder;
using goyaml::DecodeStruct;

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

// yaml.v2 custom unmarshalers of exporter-toolkit: the value is read as a Go string, then
// looked up; a name it does not know aborts the decode with its error.
template <size_t N>
void DecodeNames(Decoder& dec, const YAML::Node& node, const std::string& go_type,
                 const NamePair (&table)[N], const std::string& what,
                 std::vector<std::string>& out) {
  DecodeList(dec, node, go_type, out, [&](const YAML::Node& item, std::string& name) {
    std::string go_name;
    dec.String(item, go_name);
    name = Lookup(table, go_name);
    if (name.empty() && item.IsScalar()) dec.Abort(item, "unknown " + what + ": " + go_name);
  });
}

void DecodeTlsVersion(Decoder& dec, const YAML::Node& node, int& out) {
  static const std::map<std::string, int> versions = {
      {"TLS10", 0x0301}, {"TLS11", 0x0302}, {"TLS12", 0x0303}, {"TLS13", 0x0304}};
  if (node.IsNull() || !node.IsDefined()) return;  // yaml.v2 skips the unmarshaler for null
  std::string name;
  dec.String(node, name);
  if (!node.IsScalar()) return;
  auto it = versions.find(name);
  if (it == versions.end()) return dec.Abort(node, "unknown TLS version: " + name);
  out = it->second;
}

void DecodeTls(Decoder& dec, const YAML::Node& node, TlsServerConfig& tls) {
  if (node.IsDefined() && node.IsNull()) {  // yaml.v2 zeroes a struct given null
    tls.min_version = tls.max_version = 0;
    tls.prefer_server_cipher_suites = false;
  }
  auto str = [&dec](std::string& out) {
    return [&dec, field = &out](const YAML::Node& v) { dec.String(v, *field); };
  };
  DecodeStruct(
      dec, node, "web.TLSConfig",
      {{"cert_file", str(tls.cert_file)},
       {"key_file", str(tls.key_file)},
       {"client_auth_type", str(tls.client_auth_type)},
       {"client_ca_file", str(tls.client_ca_file)},
       {"cipher_suites",
        [&](const YAML::Node& v) {
          DecodeNames(dec, v, "[]web.Cipher", kCiphers, "cipher", tls.cipher_suites);
        }},
       {"curve_preferences",
        [&](const YAML::Node& v) {
          DecodeNames(dec, v, "[]web.Curve", kCurves, "curve", tls.curves);
        }},
       {"min_version", [&](const YAML::Node& v) { DecodeTlsVersion(dec, v, tls.min_version); }},
       {"max_version", [&](const YAML::Node& v) { DecodeTlsVersion(dec, v, tls.max_version); }},
       {"prefer_server_cipher_suites",
        [&](const YAML::Node& v) { dec.Bool(v, tls.prefer_server_cipher_suites); }}});
}

void DecodeWebConfig(Decoder& dec, const YAML::Node& root, WebConfig& web) {
  DecodeStruct(dec, root, "web.Config",
               {{"tls_server_config", [&](const YAML::Node& v) { DecodeTls(dec, v, web.tls); }},
                {"http_server_config",
                 [&](const YAML::Node& v) {
                   if (v.IsNull()) web.http2 = false;  // yaml.v2 zeroes a null struct
                   DecodeStruct(
                       dec, v, "web.HTTPConfig",
                       {{"http2", [&](const YAML::Node& b) { dec.Bool(b, web.http2); }},
                        {"headers", [&](const YAML::Node& m) { dec.StringMap(m, web.headers); }}});
                 }},
                {"basic_auth_users", [&](const YAML::Node& v) {
                   dec.StringMap(v, web.users, "map[string]config.Secret", "config.plain");
                 }}});
}

// yaml.v2's UnmarshalStrict of the file into exporter-toolkit's Config: Go's error text, at the
// first error's position.
WebConfig DecodeYaml(const std::string& text, const std::string& path) {
  // Syntax errors name their line in the text ("yaml: line 2: ..."), as go-yaml words them.
  if (auto e = goyaml::SyntaxError(text, goyaml::Version::kV2)) throw ConfigError(path, *e);
  YAML::Node root;
  try {
    root = YAML::Load(goyaml::NormalizeLineBreaks(text));
  } catch (const YAML::Exception& e) {
    throw ConfigError(path, goyaml::YamlCppSyntaxError(e));
  }
  Decoder dec(/*known_fields=*/true, goyaml::Version::kV2);
  WebConfig web;
  DecodeWebConfig(dec, root, web);
  if (auto error = dec.Error()) {
    goyaml::Position at = dec.FirstErrorPosition();
    throw ConfigError(path, at.line, at.column, *error);
  }
  return web;
}

// ConfigToTLSConfig's checks in its order; the files are opened (as Go's tls.LoadX509KeyPair
// and os.ReadFile do) only when `open_files`.
void ValidateTls(const std::string& file, const TlsServerConfig& tls, bool open_files) {
  if (!tls.Enabled()) return;
  if (tls.cert_file.empty()) throw ConfigError(file, "missing cert_file");
  if (tls.key_file.empty()) throw ConfigError(file, "missing key_file");
  if (open_files) {
    if (auto e = X509KeyPairError(tls.cert_file, tls.key_file))
      throw ConfigError(file, "failed to load X509KeyPair: " + *e);
    if (!tls.client_ca_file.empty()) {
      if (auto e = ReadFileError(tls.client_ca_file)) throw ConfigError(file, *e);
    }
  }
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
  std::string text;
  if (auto e = ReadFileError(path, &text)) throw ConfigError(path, *e);
  return text;
}

WebConfig LoadWebConfig(const std::string& path, bool open_files) {
  return ParseWebConfig(ReadWebConfigFile(path), path, open_files);
}

std::optional<std::string> ValidateWebConfigFile(const std::string& path) {
  try {
    LoadWebConfig(path, /*open_files=*/true);
  } catch (const ConfigError& e) {
    return e.message();
  }
  return std::nullopt;
}

WebConfig ParseWebConfig(const std::string& text, const std::string& path, bool open_files) {
  WebConfig web = DecodeYaml(text, path);
  const std::string dir = gocompat::DirPath(path);  // TLSConfig.SetDirectory
  for (auto* file : {&web.tls.cert_file, &web.tls.key_file, &web.tls.client_ca_file})
    *file = gocompat::JoinDir(dir, *file);
  ValidateHeaders(path, web.headers);
  for (const auto& [user, hash] : web.users) {
    if (auto error = BcryptHashError(hash)) throw ConfigError(path, *error);
  }
  ValidateTls(path, web.tls, open_files);
  return web;
}

}  // namespace cerniq::http
