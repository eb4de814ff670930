// The server with --web.config.file on loopback: basic auth, headers, reload on change, and TLS
// with a test CA made by the `openssl` command (client certificates, versions, rotation).
#include <crypt.h>
#include <curl/curl.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <thread>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "http/server.h"
#include "support/wait.h"

namespace cerniq::http {
namespace {

using namespace std::chrono_literals;
using ::testing::HasSubstr;
namespace fs = std::filesystem;

// bcrypt (cost 4) of "right".
constexpr const char* kHash = "$2y$04$I.N33qp1.uEYF/zRUUfzheZC990UIg0YOp4EqXV85.i7GszIkW12y";

struct Fetch {
  long status = 0;
  std::string headers;
  std::string body;
  std::string error;
};

struct FetchOptions {
  std::string user_password;  // "user:password" or ""
  std::string ca_file, cert_file, key_file;
};

FetchOptions Auth(std::string user_password) {
  FetchOptions o;
  o.user_password = std::move(user_password);
  return o;
}

size_t Append(char* data, size_t size, size_t n, void* out) {
  static_cast<std::string*>(out)->append(data, size * n);
  return size * n;
}

Fetch Get(const std::string& url, const FetchOptions& o = {}) {
  Fetch f;
  CURL* curl = curl_easy_init();
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, 5000L);
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, Append);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &f.body);
  curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, Append);
  curl_easy_setopt(curl, CURLOPT_HEADERDATA, &f.headers);
  curl_easy_setopt(curl, CURLOPT_FORBID_REUSE, 1L);
  if (!o.user_password.empty()) curl_easy_setopt(curl, CURLOPT_USERPWD, o.user_password.c_str());
  if (!o.ca_file.empty()) curl_easy_setopt(curl, CURLOPT_CAINFO, o.ca_file.c_str());
  if (!o.cert_file.empty()) curl_easy_setopt(curl, CURLOPT_SSLCERT, o.cert_file.c_str());
  if (!o.key_file.empty()) curl_easy_setopt(curl, CURLOPT_SSLKEY, o.key_file.c_str());
  CURLcode rc = curl_easy_perform(curl);
  if (rc == CURLE_OK) {
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &f.status);
  } else {
    f.error = curl_easy_strerror(rc);
  }
  curl_easy_cleanup(curl);
  return f;
}

class WebServerTest : public ::testing::Test {
 protected:
  WebServerTest() : router_(RouteContext{}, store_) { fs::create_directories(dir_); }
  ~WebServerTest() override { fs::remove_all(dir_); }

  void WriteConfig(const std::string& text) {
    // Write then rename, as Kubernetes and editors do: readers never see half a file.
    std::ofstream(dir_ / "web.yml.tmp") << text;
    fs::rename(dir_ / "web.yml.tmp", dir_ / "web.yml");
  }
  void Start(const std::string& config) {
    WriteConfig(config);
    ServerOptions options(std::string("127.0.0.1:0"), 2);
    options.web_config_file = (dir_ / "web.yml").string();
    server_ = std::make_unique<Server>(options, router_);
  }
  std::string Url(const std::string& scheme, const std::string& path) {
    return scheme + "://localhost:" + std::to_string(server_->port()) + path;
  }
  // Runs a shell command (openssl), bounded in time; true on exit status 0.
  bool Sh(const std::string& command) {
    return std::system(
               ("cd " + dir_.string() + " && timeout 20 " + command + " >>sh.log 2>&1").c_str()) ==
           0;
  }
  // A CA, a server certificate for localhost/127.0.0.1 and a client certificate.
  void MakeCertificates(const std::string& server_cn = "server") {
    if (std::system("command -v openssl >/dev/null") != 0) GTEST_SKIP() << "openssl missing";
    if (!fs::exists(dir_ / "ca.crt")) {
      ASSERT_TRUE(
          Sh("openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes "
             "-keyout ca.key -out ca.crt -days 2 -subj /CN=test-ca"));
      ASSERT_TRUE(
          Sh("openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes "
             "-keyout client.key -out client.csr -subj /CN=client"));
      ASSERT_TRUE(
          Sh("openssl x509 -req -in client.csr -CA ca.crt -CAkey ca.key "
             "-CAcreateserial -out client.crt -days 2"));
    }
    ASSERT_TRUE(
        Sh("openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes "
           "-keyout new.key -out server.csr -subj /CN=" +
           server_cn));
    std::ofstream(dir_ / "san.ext") << "subjectAltName=DNS:localhost,IP:127.0.0.1\n";
    ASSERT_TRUE(
        Sh("openssl x509 -req -in server.csr -CA ca.crt -CAkey ca.key -CAcreateserial "
           "-out new.crt -days 2 -extfile san.ext"));
    // Key first, then certificate: each rename is atomic (cert-manager swaps both at once).
    fs::rename(dir_ / "new.key", dir_ / "server.key");
    fs::rename(dir_ / "new.crt", dir_ / "server.crt");
  }
  FetchOptions Ca() {
    FetchOptions o;
    o.ca_file = (dir_ / "ca.crt").string();
    return o;
  }
  FetchOptions ClientCert() {
    return FetchOptions{"", (dir_ / "ca.crt").string(), (dir_ / "client.crt").string(),
                        (dir_ / "client.key").string()};
  }
  // What `openssl s_client` prints for a handshake with extra flags ("handshake failed" first
  // when it fails).
  std::string SClient(const std::string& flags) {
    fs::remove(dir_ / "sclient.out");
    std::string command =
        "cd " + dir_.string() +
        " && timeout 10 openssl s_client -connect 127.0.0.1:" + std::to_string(server_->port()) +
        " -CAfile ca.crt " + flags + " </dev/null >sclient.out 2>&1";
    int rc = std::system(command.c_str());
    std::ifstream in(dir_ / "sclient.out");
    std::string out((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    return rc == 0 ? out : "handshake failed:\n" + out;
  }

  fs::path dir_ = fs::temp_directory_path() / ("cerniq-webtls-" + std::to_string(getpid()));
  collect::SnapshotStore store_;
  Router router_;
  std::unique_ptr<Server> server_;
};

TEST_F(WebServerTest, BasicAuthHeadersAndProbes) {
  Start(std::string("basic_auth_users:\n  alice: ") + kHash +
        "\nhttp_server_config:\n  headers:\n    X-Frame-Options: deny\n");
  auto none = Get(Url("http", "/metrics"));
  EXPECT_EQ(none.status, 401);
  EXPECT_THAT(none.headers, HasSubstr("WWW-Authenticate: Basic"));
  EXPECT_THAT(none.headers, HasSubstr("X-Frame-Options: deny"));
  EXPECT_EQ(none.body, "Unauthorized\n");
  EXPECT_EQ(Get(Url("http", "/metrics"), Auth("alice:wrong")).status, 401);
  EXPECT_EQ(Get(Url("http", "/metrics"), Auth("bob:right")).status, 401);
  auto right = Get(Url("http", "/metrics"), Auth("alice:right"));
  EXPECT_EQ(right.status, 200);
  EXPECT_THAT(right.headers, HasSubstr("X-Frame-Options: deny"));
  EXPECT_EQ(Get(Url("http", "/health")).status, 200);
  EXPECT_EQ(Get(Url("http", "/-/healthy")).status, 200);
  EXPECT_EQ(Get(Url("http", "/-/ready")).status, 401);
  EXPECT_EQ(Get(Url("http", "/api/admin/queues/etapa5")).status, 401);
}

TEST_F(WebServerTest, ConfigChangesTakeEffectWithoutRestart) {
  Start("{}\n");
  EXPECT_EQ(Get(Url("http", "/metrics")).status, 200);
  WriteConfig(std::string("basic_auth_users:\n  alice: ") + kHash + "\n");
  EXPECT_EQ(Get(Url("http", "/metrics")).status, 401);
  EXPECT_EQ(Get(Url("http", "/metrics"), Auth("alice:right")).status, 200);
  WriteConfig("basic_auth_users: [\n");  // broken: 500, as exporter-toolkit answers
  EXPECT_EQ(Get(Url("http", "/metrics"), Auth("alice:right")).status, 500);
  WriteConfig("{}\n");
  EXPECT_EQ(Get(Url("http", "/metrics")).status, 200);
}

// bcrypt runs off the I/O threads: a flood of wrong passwords does not stall a cached scraper.
TEST_F(WebServerTest, WrongPasswordsDoNotStallOtherScrapers) {
  char salt[64];
  ASSERT_TRUE(crypt_gensalt_rn("$2y$", 11, nullptr, 0, salt, sizeof salt));
  crypt_data data{};
  Start(std::string("basic_auth_users:\n  alice: ") + crypt_r("right", salt, &data) + "\n");
  ASSERT_EQ(Get(Url("http", "/metrics"), Auth("alice:right")).status, 200);  // now cached
  std::vector<std::thread> attackers;
  for (int t = 0; t < 4; ++t) {
    attackers.emplace_back([&, t] {
      for (int i = 0; i < 2; ++i)
        Get(Url("http", "/metrics"), Auth("alice:wrong" + std::to_string(t * 10 + i)));
    });
  }
  std::this_thread::sleep_for(50ms);
  for (int i = 0; i < 5; ++i) {
    auto started = std::chrono::steady_clock::now();
    EXPECT_EQ(Get(Url("http", "/metrics"), Auth("alice:right")).status, 200);
    EXPECT_LT(std::chrono::steady_clock::now() - started, 150ms);
  }
  for (auto& t : attackers) t.join();
}

TEST_F(WebServerTest, InvalidConfigStopsTheStart) {
  EXPECT_THROW(Start("tls_server_config:\n  cert_file: nope.crt\n  key_file: nope.key\n"),
               std::runtime_error);
  EXPECT_THROW(Start("unknown: 1\n"), std::runtime_error);
}

TEST_F(WebServerTest, HttpsWithCaAndBasicAuth) {
  MakeCertificates();
  if (IsSkipped() || HasFatalFailure()) return;
  Start(std::string("tls_server_config:\n  cert_file: server.crt\n  key_file: server.key\n") +
        "basic_auth_users:\n  alice: " + kHash + "\n");
  FetchOptions o = Ca();
  EXPECT_EQ(Get(Url("https", "/metrics"), o).status, 401);
  o.user_password = "alice:right";
  EXPECT_EQ(Get(Url("https", "/metrics"), o).status, 200);
  EXPECT_EQ(Get(Url("https", "/health"), Ca()).status, 200);
  EXPECT_EQ(Get(Url("http", "/health")).status, 0);   // plain HTTP is refused by TLS
  EXPECT_NE(Get(Url("https", "/health")).error, "");  // unknown CA: curl refuses
}

TEST_F(WebServerTest, ClientCertificates) {
  MakeCertificates();
  if (IsSkipped() || HasFatalFailure()) return;
  Start(
      "tls_server_config:\n  cert_file: server.crt\n  key_file: server.key\n"
      "  client_auth_type: RequireAndVerifyClientCert\n  client_ca_file: ca.crt\n");
  EXPECT_EQ(Get(Url("https", "/metrics"), Ca()).status, 0);
  EXPECT_EQ(Get(Url("https", "/metrics"), ClientCert()).status, 200);
  WriteConfig(
      "tls_server_config:\n  cert_file: server.crt\n  key_file: server.key\n"
      "  client_auth_type: VerifyClientCertIfGiven\n  client_ca_file: ca.crt\n");
  EXPECT_EQ(Get(Url("https", "/metrics"), Ca()).status, 200);
  EXPECT_EQ(Get(Url("https", "/metrics"), ClientCert()).status, 200);
}

TEST_F(WebServerTest, TlsVersionsAsConfigured) {
  MakeCertificates();
  if (IsSkipped() || HasFatalFailure()) return;
  Start(
      "tls_server_config:\n  cert_file: server.crt\n  key_file: server.key\n"
      "  min_version: TLS13\n");
  EXPECT_THAT(SClient("-tls1_3"), HasSubstr("New, TLSv1.3, Cipher is"));
  EXPECT_THAT(SClient("-tls1_2"), HasSubstr("handshake failed"));
  WriteConfig(
      "tls_server_config:\n  cert_file: server.crt\n  key_file: server.key\n"
      "  max_version: TLS12\n  cipher_suites: [TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384]\n");
  std::string tls12 = SClient("");
  EXPECT_THAT(tls12, HasSubstr("New, TLSv1.2, Cipher is ECDHE-ECDSA-AES256-GCM-SHA384"));
  EXPECT_THAT(SClient("-cipher ECDHE-ECDSA-AES128-GCM-SHA256"), HasSubstr("handshake failed"));
  EXPECT_THAT(SClient("-tls1_3"), HasSubstr("handshake failed"));
}

TEST_F(WebServerTest, RotatedCertificateServedToTheNextConnection) {
  MakeCertificates("first");
  if (IsSkipped() || HasFatalFailure()) return;
  Start("tls_server_config:\n  cert_file: server.crt\n  key_file: server.key\n");
  EXPECT_THAT(SClient(""), HasSubstr("CN = first"));
  MakeCertificates("rotated");
  std::string next = SClient("");
  EXPECT_THAT(next, HasSubstr("CN = rotated"));
  EXPECT_THAT(next, ::testing::Not(HasSubstr("CN = first")));
  EXPECT_EQ(Get(Url("https", "/health"), Ca()).status, 200);
}

}  // namespace
}  // namespace cerniq::http
