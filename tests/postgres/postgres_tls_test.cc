// PostgreSQL over verified TLS: a cluster of its own with ssl=on and a test CA, where plain TCP
// is rejected, one role logs in with a password and one with a client certificate. libpq's
// options in the DSN (sslmode, sslrootcert, sslcert, sslkey) reach libpq untouched: verify-full
// succeeds with the right CA and fails clearly with a wrong one or a wrong host name, through
// the collectors and through the exporter binary (cerniq_up 0, no crash, no password shown).

#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include <gtest/gtest.h>

#include "collect/postgres/postgres_collectors.h"
#include "collect/runner.h"
#include "collect/snapshot.h"
#include "pg_test_db.h"
#include "support/http_get.h"
#include "support/subprocess.h"
#include "support/test_pki.h"
#include "support/wait.h"

namespace cerniq {
namespace {

using std::chrono::milliseconds;

const char kPassword[] = "Tls-secret-7q4";
const char kDb[] = "cerniq";

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// Plain TCP rejected; the superuser (fixtures, expected values) trusted over TLS; cerniq_pw with
// scram; cerniq_exporter (sql/grants.sql) only with a client certificate whose CN maps to it.
const char kHba[] = R"(local all all trust
hostnossl all all 127.0.0.1/32 reject
hostssl all cerniq_exporter 127.0.0.1/32 cert map=cerniq
hostssl all cerniq_pw 127.0.0.1/32 scram-sha-256
hostssl all postgres 127.0.0.1/32 trust
)";

class PostgresTlsTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    pki_ = new testing::TestPki();
    cluster_ = new testing::OwnCluster();
    if (!pki_->ok() || !cluster_->ok()) return;
    // libpq refuses a client key others can read.
    chmod(pki_->Path("client.key").c_str(), 0600);
    bool files =
        cluster_->WriteDataFile("server.crt", ReadFile(pki_->Path("server.crt"))) &&
        cluster_->WriteDataFile("server.key", ReadFile(pki_->Path("server.key"))) &&
        cluster_->WriteDataFile("ca.crt", ReadFile(pki_->ca())) &&
        cluster_->WriteDataFile("pg_hba.conf", kHba) &&
        cluster_->WriteDataFile("pg_ident.conf", "cerniq cerniq-exporter cerniq_exporter\n");
    if (!files || !cluster_->Start("-c ssl=on -c ssl_cert_file=server.crt "
                                   "-c ssl_key_file=server.key -c ssl_ca_file=ca.crt")) {
      return;
    }
    db_ = new testing::ScratchDb("127.0.0.1", cluster_->port(), 200);
    if (!db_->ok() || !db_->ApplyGrants()) return;
    db_->sql().Exec(std::string("CREATE ROLE cerniq_pw LOGIN PASSWORD '") + kPassword +
                    "' IN ROLE cerniq_exporter");
    ready_ = true;
  }
  static void TearDownTestSuite() {
    delete db_;
    delete cluster_;
    delete pki_;
  }
  void SetUp() override {
    if (!pki_->ok()) GTEST_SKIP() << "openssl could not make the test PKI";
    ASSERT_TRUE(ready_) << "TLS cluster did not start:\n" << cluster_->ServerLog();
  }

  // verify-full to `host`, as user with `extra` libpq options.
  static std::string Dsn(const std::string& host, const std::string& user,
                         const std::string& extra) {
    return "host=" + host + " port=" + std::to_string(cluster_->port()) + " dbname=" + db_->name() +
           " user=" + user + " sslmode=verify-full " + extra;
  }
  static std::string PasswordDsn(const std::string& ca) {
    return Dsn("localhost", "cerniq_pw", "sslrootcert=" + ca + " password=" + kPassword);
  }
  static std::string CertDsn() {
    return Dsn("localhost", "cerniq_exporter",
               "sslrootcert=" + pki_->ca() + " sslcert=" + pki_->Path("client.crt") +
                   " sslkey=" + pki_->Path("client.key"));
  }

  // One pass of every collector built from dsn; name -> state.
  static std::map<std::string, collect::CollectorState> PassAll(const std::string& dsn) {
    config::PostgresConfig c;
    c.dsn = dsn;
    c.connect_timeout = milliseconds(2000);
    std::map<std::string, collect::CollectorState> out;
    for (auto& [collector, schedule] : collect::postgres::MakePostgresCollectors(c)) {
      auto state = collect::Runner::RunOnce(*collector);
      out[state.name] = std::move(state);
    }
    return out;
  }

  // The collected values equal independent SQL, and the sessions were TLS with this client DN.
  static void ExpectCollectedOverTls(const std::string& dsn, const std::string& client_dn) {
    auto states = PassAll(dsn);
    ASSERT_EQ(states.size(), 10u);
    auto& sql = db_->sql();
    for (const auto& [name, state] : states)
      ASSERT_TRUE(state.success) << name << ": " << state.error;
    const auto& families = states["clients"].families;
    auto rows = sql.Rows("SELECT state, count(*) FROM gold_nurturing_state GROUP BY state");
    ASSERT_FALSE(rows.empty());
    for (const auto& row : rows) {
      auto* sample = testing::FindSample(families, "nurturing_clients", {{"state", row[0]}});
      ASSERT_NE(sample, nullptr) << row[0];
      EXPECT_EQ(testing::SampleValue(*sample), std::stod(row[1])) << row[0];
    }
    EXPECT_EQ(testing::SampleCount(families, "nurturing_clients"), rows.size());
    auto* churn = testing::FindSample(states["churn"].families, "nurturing_client_churn_score");
    ASSERT_NE(churn, nullptr);
    EXPECT_EQ(churn->histogram.sample_count,
              sql.Number("SELECT count(churn_score) FROM gold_nurturing_state"));
    // The server's view: the exporter's sessions used TLS (the collectors are gone by now, so
    // ask with a session opened the same way).
    testing::Sql probe(dsn + " application_name=cerniq_tls_probe");
    ASSERT_TRUE(probe.ok());
    EXPECT_EQ(probe.Scalar("SELECT ssl::text || ' ' || coalesce(client_dn, '') FROM pg_stat_ssl "
                           "WHERE pid = pg_backend_pid()"),
              "true " + client_dn);
  }

  // Every collector failed to connect with `fragment` in its error, never showing the password.
  static void ExpectRefused(const std::string& dsn, const std::string& fragment) {
    for (const auto& [name, state] : PassAll(dsn)) {
      EXPECT_FALSE(state.success) << name;
      EXPECT_FALSE(state.source_reached) << name;
      EXPECT_NE(state.error.find("cannot connect"), std::string::npos) << state.error;
      EXPECT_NE(state.error.find(fragment), std::string::npos) << state.error;
      EXPECT_EQ(state.error.find(kPassword), std::string::npos) << state.error;
    }
  }

  static testing::TestPki* pki_;
  static testing::OwnCluster* cluster_;
  static testing::ScratchDb* db_;
  static bool ready_;
};

testing::TestPki* PostgresTlsTest::pki_ = nullptr;
testing::OwnCluster* PostgresTlsTest::cluster_ = nullptr;
testing::ScratchDb* PostgresTlsTest::db_ = nullptr;
bool PostgresTlsTest::ready_ = false;

TEST_F(PostgresTlsTest, VerifyFullWithTheRightCaAndAPassword) {
  ExpectCollectedOverTls(PasswordDsn(pki_->ca()), "");
  // The certificate names 127.0.0.1 too (IP SAN).
  ExpectCollectedOverTls(
      Dsn("127.0.0.1", "cerniq_pw", "sslrootcert=" + pki_->ca() + " password=" + kPassword), "");
}

TEST_F(PostgresTlsTest, ClientCertificateAuthentication) {
  ExpectCollectedOverTls(CertDsn(), "/CN=cerniq-exporter");
  // The same role without its certificate is refused by pg_hba's `cert` method.
  ExpectRefused(Dsn("localhost", "cerniq_exporter", "sslrootcert=" + pki_->ca()),
                "connection requires a valid client certificate");
}

TEST_F(PostgresTlsTest, EncryptedClientKeyWithSslpassword) {
  const std::string passphrase = "Key-pass-3x8";
  std::string key = pki_->Path("client-enc.key");
  ASSERT_EQ(testing::Shell("openssl pkey -in " + pki_->Path("client.key") +
                           " -aes256 -passout pass:" + passphrase + " -out " + key +
                           " && chmod 600 " + key),
            0);
  std::string dsn =
      Dsn("localhost", "cerniq_exporter",
          "sslrootcert=" + pki_->ca() + " sslcert=" + pki_->Path("client.crt") + " sslkey=" + key);
  ExpectCollectedOverTls(dsn + " sslpassword=" + passphrase, "/CN=cerniq-exporter");
  for (const auto& [name, state] : PassAll(dsn + " sslpassword=wrong-" + passphrase)) {
    EXPECT_FALSE(state.success) << name;
    EXPECT_NE(state.error.find("could not load private key file"), std::string::npos)
        << state.error;
    EXPECT_EQ(state.error.find(passphrase), std::string::npos) << state.error;
  }
}

TEST_F(PostgresTlsTest, WrongCaFailsClearly) {
  ExpectRefused(PasswordDsn(pki_->other_ca()), "certificate verify failed");
}

TEST_F(PostgresTlsTest, HostNameMismatchFailsClearly) {
  // TCP to 127.0.0.1, but the name checked is db.invalid, which the certificate does not name.
  ExpectRefused(Dsn("db.invalid", "cerniq_pw",
                    "hostaddr=127.0.0.1 sslrootcert=" + pki_->ca() + " password=" + kPassword),
                "does not match host name \"db.invalid\"");
}

TEST_F(PostgresTlsTest, PlainTcpIsRejected) {
  ExpectRefused("host=127.0.0.1 port=" + std::to_string(cluster_->port()) + " dbname=" +
                    db_->name() + " user=cerniq_pw sslmode=disable password=" + kPassword,
                "no encryption");
}

// The exporter binary as a user runs it: the DSN from CERNIQ_POSTGRES_DSN, its log on stderr.
TEST_F(PostgresTlsTest, ExporterBinaryRightAndWrongCa) {
  std::string log = ::testing::TempDir() + "/cerniq-pgtls-" + std::to_string(getpid()) + ".log";
  auto run = [&](const std::string& dsn) {
    int http_port = testing::FreeLoopbackPort();
    std::filesystem::remove(log);
    auto exporter = std::make_unique<testing::Subprocess>(
        std::vector<std::string>{"/bin/sh", "-c", "exec \"$0\" \"$@\" 2>" + log,
                                 CERNIQ_EXPORTER_BIN, "--web.listen-address",
                                 "127.0.0.1:" + std::to_string(http_port), "--redis.url",
                                 "redis://127.0.0.1:1/0", "--log.level", "warn"},
        std::vector<std::string>{"CERNIQ_POSTGRES_DSN=" + dsn});
    std::string base = "http://127.0.0.1:" + std::to_string(http_port);
    // Ready: every collector has finished its first pass.
    EXPECT_TRUE(testing::WaitFor(
        [&] { return testing::HttpGet(base + "/-/ready", milliseconds(2000)).status == 200; },
        milliseconds(20000)));
    std::string body = testing::HttpGet(base + "/metrics", milliseconds(3000)).body;
    EXPECT_TRUE(exporter->Running());
    return body;
  };

  std::string good = run(CertDsn());
  EXPECT_NE(good.find("cerniq_up{source=\"postgres\"} 1\n"), std::string::npos) << good;

  std::string bad = run(PasswordDsn(pki_->other_ca()));
  EXPECT_NE(bad.find("cerniq_up{source=\"postgres\"} 0\n"), std::string::npos) << bad;
  std::string text = ReadFile(log);
  EXPECT_NE(text.find("certificate verify failed"), std::string::npos) << text;
  EXPECT_EQ(text.find(kPassword), std::string::npos) << text;
  EXPECT_EQ(bad.find(kPassword), std::string::npos);
  std::filesystem::remove(log);
}

}  // namespace
}  // namespace cerniq
