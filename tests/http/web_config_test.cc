#include "http/web_config.h"

#include <crypt.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "config/strict_yaml.h"
#include "http/basic_auth.h"
#include "http/bcrypt.h"
#include "http/web_config_source.h"

namespace cerniq::http {
namespace {

using ::testing::HasSubstr;

std::string Hash(const std::string& password, int cost) {
  char salt[64];
  EXPECT_TRUE(crypt_gensalt_rn("$2y$", cost, nullptr, 0, salt, sizeof salt));
  crypt_data data{};
  return crypt_r(password.c_str(), salt, &data);
}

class WebConfigTest : public ::testing::Test {
 protected:
  std::string Write(const std::string& text) {
    std::ofstream(path_) << text;
    return path_;
  }
  std::string ErrorOf(const std::string& text) {
    try {
      LoadWebConfig(Write(text));
    } catch (const config::ConfigError& e) {
      return e.what();
    }
    return "";
  }
  std::filesystem::path dir_ =
      std::filesystem::temp_directory_path() / ("cerniq-web-" + std::to_string(getpid()));
  std::string path_ = (std::filesystem::create_directories(dir_), dir_ / "web.yml").string();
};

TEST_F(WebConfigTest, ReadsEveryKey) {
  std::string hash = Hash("secret", 4);
  WebConfig web = LoadWebConfig(Write(R"(tls_server_config:
  cert_file: tls/server.crt
  key_file: /abs/server.key
  client_auth_type: RequireAndVerifyClientCert
  client_ca_file: ca.crt
  min_version: TLS13
  max_version: TLS13
  cipher_suites: [TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, TLS_AES_128_GCM_SHA256]
  curve_preferences: [X25519, CurveP256]
  prefer_server_cipher_suites: false
http_server_config:
  http2: false
  headers:
    X-Frame-Options: deny
    Strict-Transport-Security: max-age=31536000
basic_auth_users:
  alice: )" + hash + "\n"));
  EXPECT_EQ(web.tls.cert_file, (dir_ / "tls/server.crt").string());
  EXPECT_EQ(web.tls.key_file, "/abs/server.key");
  EXPECT_EQ(web.tls.client_ca_file, (dir_ / "ca.crt").string());
  EXPECT_EQ(web.tls.min_version, 0x0304);
  EXPECT_THAT(web.tls.cipher_suites,
              ::testing::ElementsAre("ECDHE-RSA-AES128-GCM-SHA256", "TLS_AES_128_GCM_SHA256"));
  EXPECT_THAT(web.tls.curves, ::testing::ElementsAre("X25519", "P-256"));
  EXPECT_FALSE(web.tls.prefer_server_cipher_suites);
  EXPECT_FALSE(web.http2);
  EXPECT_EQ(web.headers.at("X-Frame-Options"), "deny");
  EXPECT_EQ(web.users.at("alice"), hash);
  EXPECT_FALSE(LoadWebConfig(Write("{}\n")).tls.Enabled());
  EXPECT_TRUE(LoadWebConfig(Write("")).users.empty());
}

TEST_F(WebConfigTest, YamlErrorsNameFileLineColumn) {
  // exporter-toolkit's texts (yaml.v2 UnmarshalStrict's), at the first offending node.
  EXPECT_THAT(ErrorOf("tls_server_config:\n  cert_fil: x\n"),
              HasSubstr("web.yml:2:3: yaml: unmarshal errors:\n"
                        "  line 2: field cert_fil not found in type web.TLSConfig"));
  EXPECT_THAT(
      ErrorOf("basic_auth_users:\n  a: x\n  a: y\n"),
      HasSubstr("web.yml:3:3: yaml: unmarshal errors:\n  line 3: key \"a\" already set in map"));
  EXPECT_THAT(ErrorOf("http_server_config:\n  http2: maybe\n"),
              HasSubstr("web.yml:2:10: yaml: unmarshal errors:\n"
                        "  line 2: cannot unmarshal !!str `maybe` into bool"));
  EXPECT_THAT(ErrorOf("tls_server_config:\n  cert_file: a: b\n"),
              HasSubstr("web.yml: yaml: line 2: mapping values are not allowed in this context"));
  EXPECT_THAT(ErrorOf("tls_server_config:\n  min_version: TLS9\n"),
              HasSubstr("web.yml:2:16: unknown TLS version: TLS9"));
  EXPECT_THAT(ErrorOf("tls_server_config:\n  cipher_suites: [RC4]\n"),
              HasSubstr("unknown cipher: RC4"));
  EXPECT_THAT(ErrorOf("tls_server_config:\n  curve_preferences: [P-256]\n"),
              HasSubstr("unknown curve: P-256"));
}

TEST_F(WebConfigTest, ExporterToolkitValidation) {
  EXPECT_THAT(ErrorOf("http_server_config:\n  headers:\n    X-Foo: 1\n"),
              HasSubstr("HTTP header \"X-Foo\" can not be configured"));
  EXPECT_THAT(ErrorOf("http_server_config:\n  headers:\n    X-Frame-Options: allow\n"),
              HasSubstr("invalid value for X-Frame-Options. Expected one of: [\"deny\" "
                        "\"sameorigin\"], but got: \"allow\""));
  EXPECT_THAT(ErrorOf("basic_auth_users:\n  u: plain\n"),
              HasSubstr("crypto/bcrypt: hashedSecret too short to be a bcrypted password"));
  EXPECT_THAT(ErrorOf("tls_server_config:\n  cert_file: x\n"), HasSubstr("missing key_file"));
  EXPECT_THAT(ErrorOf("tls_server_config:\n  key_file: x\n"), HasSubstr("missing cert_file"));
  EXPECT_THAT(
      ErrorOf("tls_server_config:\n  cert_file: x\n  key_file: y\n  client_auth_type: No\n"),
      HasSubstr("Invalid ClientAuth: No"));
  EXPECT_THAT(ErrorOf("tls_server_config:\n  cert_file: x\n  key_file: y\n  client_ca_file: z\n"),
              HasSubstr("Client CA's have been configured without a Client Auth Policy"));
}

TEST(Bcrypt, HashErrorsAsGo) {
  EXPECT_FALSE(BcryptHashError(Hash("x", 4)));
  std::string good = Hash("x", 4);
  EXPECT_EQ(*BcryptHashError("#" + good.substr(1)),
            "crypto/bcrypt: bcrypt hashes must start with '$', but hashedSecret started with '#'");
  EXPECT_EQ(*BcryptHashError("$3" + good.substr(2)),
            "crypto/bcrypt: bcrypt algorithm version '3' requested is newer than current version "
            "'2'");
  EXPECT_EQ(*BcryptHashError("$2y$03" + good.substr(6)),
            "crypto/bcrypt: cost 3 is outside allowed range (4,31)");
  EXPECT_TRUE(BcryptMatches(good, "x"));
  EXPECT_FALSE(BcryptMatches(good, "y"));
  EXPECT_TRUE(BcryptMatches("$2b$" + good.substr(4), "x"));
}

TEST(BasicAuth, ParsesTheHeaderAsGo) {
  auto c = ParseBasicAuth("Basic YWxpY2U6czNjcjp0");  // alice:s3cr:t
  ASSERT_TRUE(c);
  EXPECT_EQ(c->user, "alice");
  EXPECT_EQ(c->password, "s3cr:t");
  EXPECT_TRUE(ParseBasicAuth("basic YTpi"));
  EXPECT_FALSE(ParseBasicAuth("Bearer YTpi"));
  EXPECT_FALSE(ParseBasicAuth("Basic !!!!"));
  EXPECT_FALSE(ParseBasicAuth("Basic YWI="));  // "ab": no colon
}

std::string Header(const std::string& user, const std::string& password) {
  static const char* digits = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string in = user + ":" + password, out;
  for (size_t i = 0; i < in.size(); i += 3) {
    unsigned v = static_cast<unsigned char>(in[i]) << 16;
    if (i + 1 < in.size()) v |= static_cast<unsigned char>(in[i + 1]) << 8;
    if (i + 2 < in.size()) v |= static_cast<unsigned char>(in[i + 2]);
    out += digits[(v >> 18) & 63];
    out += digits[(v >> 12) & 63];
    out += i + 1 < in.size() ? digits[(v >> 6) & 63] : '=';
    out += i + 2 < in.size() ? digits[v & 63] : '=';
  }
  return "Basic " + out;
}

TEST(BasicAuth, ChecksAndCaches) {
  std::map<std::string, std::string> users = {{"alice", Hash("right", 4)}};
  BasicAuth auth;
  EXPECT_TRUE(auth.Allowed(users, Header("alice", "right")));
  EXPECT_TRUE(auth.Allowed(users, Header("alice", "right")));
  EXPECT_FALSE(auth.Allowed(users, Header("alice", "wrong")));
  EXPECT_FALSE(auth.Allowed(users, Header("bob", "right")));
  EXPECT_FALSE(auth.Allowed(users, ""));
  EXPECT_EQ(auth.cached(), 3u);
  for (int i = 0; i < 150; ++i) auth.Allowed(users, Header("u" + std::to_string(i), "p"));
  EXPECT_LE(auth.cached(), BasicAuth::kCacheSize);
}

// An unknown user costs a bcrypt of the dummy hash (cost 10), as a known user's wrong password
// costs one of theirs: the time does not tell them apart.
TEST(BasicAuth, WrongUserAndWrongPasswordTakeTheSameTime) {
  std::map<std::string, std::string> users = {{"alice", Hash("right", 10)}};
  BasicAuth auth;
  auto time = [&](const std::string& user, int i) {
    auto start = std::chrono::steady_clock::now();
    EXPECT_FALSE(auth.Allowed(users, Header(user, "wrong" + std::to_string(i))));
    return std::chrono::steady_clock::now() - start;
  };
  std::vector<std::chrono::nanoseconds> unknown, wrong;
  for (int i = 0; i < 3; ++i) {
    unknown.push_back(time("mallory", i));
    wrong.push_back(time("alice", i));
  }
  std::sort(unknown.begin(), unknown.end());
  std::sort(wrong.begin(), wrong.end());
  double ratio = static_cast<double>(unknown[1].count()) / static_cast<double>(wrong[1].count());
  EXPECT_GT(ratio, 0.5);
  EXPECT_LT(ratio, 2.0);
  EXPECT_GT(unknown[1], std::chrono::milliseconds(5));  // a real bcrypt ran
}

TEST_F(WebConfigTest, SourceReloadsWhenTheFileChanges) {
  WebConfigSource source(Write("{}\n"));
  std::string error;
  EXPECT_TRUE(source.Current(error)->users.empty());
  std::string hash = Hash("x", 4);
  Write("basic_auth_users:\n  alice: " + hash + "\n");
  EXPECT_EQ(source.Current(error)->users.at("alice"), hash);
  Write("basic_auth_users: [\n");
  EXPECT_EQ(source.Current(error), nullptr);
  EXPECT_THAT(error, HasSubstr("web.yml"));
  Write("{}\n");
  EXPECT_NE(source.Current(error), nullptr);
  EXPECT_THROW(WebConfigSource(Write("nope: 1\n")), config::ConfigError);
}

}  // namespace
}  // namespace cerniq::http
