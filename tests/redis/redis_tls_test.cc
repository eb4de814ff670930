// Redis over TLS (rediss://): a TLS-only redis-server that requires client certificates, with a
// throw-away CA made by `openssl`. BullMQ (over ioredis with TLS) fills the queues and the
// collector's figures must equal BullMQ's; a wrong CA, a wrong server name, an expired server
// certificate and a missing client certificate each give one clear log line and
// cerniq_up{source="redis"} 0 from the real exporter binary.

#include <filesystem>
#include <fstream>
#include <sstream>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "collect/redis/bullmq_collector.h"
#include "collect/redis/llm_rate_limit_collector.h"
#include "config/config.h"
#include "family_values.h"
#include "oracle_compare.h"
#include "support/http_get.h"
#include "support/redis_server.h"
#include "support/subprocess.h"
#include "support/test_pki.h"
#include "support/wait.h"

namespace cerniq::collect::redis {
namespace {

using std::chrono::milliseconds;
using ::testing::HasSubstr;

class RedisTls : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!pki_.ok()) GTEST_SKIP() << "openssl could not make the test CA";
    StartServer("server");
  }

  void StartServer(const std::string& cert) {
    server_ = std::make_unique<cerniq::testing::RedisServer>();
    server_->UseTls({pki_.Path(cert + ".crt"), pki_.Path(cert + ".key"), pki_.ca(), true,
                     pki_.Path("client.crt"), pki_.Path("client.key")});
    ASSERT_TRUE(server_->Start()) << "TLS redis-server did not start";
  }

  config::RedisTlsConfig ClientTls() const {
    config::RedisTlsConfig tls;
    tls.ca_file = pki_.ca();
    tls.cert_file = pki_.Path("client.crt");
    tls.key_file = pki_.Path("client.key");
    return tls;
  }

  std::unique_ptr<Connection> Connect(const config::RedisTlsConfig& tls, int db = 3) {
    std::string error;
    auto address = ParseRedisUrl(server_->url(db), error);
    EXPECT_TRUE(address && address->tls) << error;
    return std::make_unique<Connection>(*address, milliseconds(2000), milliseconds(2000),
                                        std::make_shared<TlsContext>(tls));
  }

  cerniq::testing::TestPki pki_;
  std::unique_ptr<cerniq::testing::RedisServer> server_;
};

TEST_F(RedisTls, BullmqCountsOverTlsEqualBullmqsOwn) {
  std::string bullmq_dir =
      cerniq::testing::EnvOr("CERNIQ_BULLMQ_DIR", CERNIQ_SOURCE_DIR "/tests/bullmq") + "/v6";
  if (!std::filesystem::exists(bullmq_dir + "/node_modules/bullmq")) {
    GTEST_SKIP() << "bullmq not installed in " << bullmq_dir;
  }
  const std::vector<std::string>& queues = config::Etapa5Queues();
  std::string list;
  for (const auto& q : queues) list += (list.empty() ? "" : ",") + q;
  cerniq::testing::Subprocess scenario(
      {"node", CERNIQ_SOURCE_DIR "/tests/bullmq/scenario.cjs", bullmq_dir, server_->url(3), "bull",
       list},
      {"CERNIQ_REDIS_TLS_CA=" + pki_.ca(), "CERNIQ_REDIS_TLS_CERT=" + pki_.Path("client.crt"),
       "CERNIQ_REDIS_TLS_KEY=" + pki_.Path("client.key")});
  ASSERT_TRUE(scenario.ReadUntil("READY", milliseconds(90000))) << "scenario did not start";

  config::BullmqConfig cfg;
  cfg.prefixes.push_back({"bull", queues, false});
  BullmqCollector collector(Connect(ClientTls()), cfg);
  auto first = collector.Collect();
  ASSERT_TRUE(first.success) << first.error;
  EXPECT_EQ(collector.last_pass_round_trips(), 3u);  // SELECT, counts, tail hashes: as over TCP
  auto result = collector.Collect();
  ASSERT_TRUE(result.success) << result.error;
  EXPECT_EQ(collector.last_pass_round_trips(), 1u);
  scenario.WriteLine("ORACLE");
  auto line = scenario.ReadUntil("ORACLE ", milliseconds(30000));
  ASSERT_TRUE(line);
  long long waiting = cerniq::testing::ExpectGaugesMatchOracle(
      result.families, nlohmann::json::parse(*line), queues, "over TLS");
  EXPECT_GT(waiting, 60);
  scenario.WriteLine("QUIT");
  scenario.Wait(milliseconds(15000));
}

TEST_F(RedisTls, RateLimitKeyAndReconnectWithSelectReplay) {
  server_->Cli({"-n", "2", "SET", "anthropic:rate_limit:remaining", "77"});
  LlmRateLimitCollector collector(Connect(ClientTls(), 2), "anthropic:rate_limit:remaining");
  auto before = collector.Collect();
  ASSERT_TRUE(before.success) << before.error;
  EXPECT_EQ(cerniq::testing::ValueOf(before.families, "llm_rate_limit_remaining", {}), 77.0);

  server_->Kill();
  auto down = collector.Collect();
  EXPECT_FALSE(down.success);
  ASSERT_TRUE(server_->Start());
  server_->Cli({"-n", "2", "SET", "anthropic:rate_limit:remaining", "78"});
  // Reconnect (after the backoff) runs the TLS handshake and SELECT 2 again.
  collect::CollectResult after;
  ASSERT_TRUE(cerniq::testing::WaitFor([&] { return (after = collector.Collect()).success; },
                                       milliseconds(10000), milliseconds(100)))
      << after.error;
  EXPECT_EQ(cerniq::testing::ValueOf(after.families, "llm_rate_limit_remaining", {}), 78.0);
}

// The exporter binary against the TLS server; its stderr goes to a file to count log lines.
class RedisTlsExporter : public RedisTls {
 protected:
  void StartExporter(std::vector<std::string> flags, const std::string& tls_yaml) {
    dir_ = pki_.Path("run-" + std::to_string(++runs_));
    std::filesystem::create_directories(dir_);
    std::ofstream(dir_ + "/config.yml")
        << "redis:\n  url: " << server_->url(0) << "\n  connect_timeout: 1s\n"
        << tls_yaml << "bullmq:\n  interval: 200ms\n";
    port_ = cerniq::testing::FreeLoopbackPort();
    std::vector<std::string> argv = {"sh",
                                     "-c",
                                     "exec \"$0\" \"$@\" 2>" + dir_ + "/stderr",
                                     CERNIQ_EXPORTER_BIN,
                                     "--config.file",
                                     dir_ + "/config.yml",
                                     "--web.listen-address",
                                     "127.0.0.1:" + std::to_string(port_)};
    argv.insert(argv.end(), flags.begin(), flags.end());
    exporter_ = std::make_unique<cerniq::testing::Subprocess>(argv);
    ASSERT_TRUE(cerniq::testing::WaitFor([&] { return Get("/-/ready").status == 200; },
                                         milliseconds(15000)));
  }

  cerniq::testing::HttpResult Get(const std::string& path) {
    return cerniq::testing::HttpGet("http://127.0.0.1:" + std::to_string(port_) + path,
                                    milliseconds(3000));
  }

  bool WaitForMetric(const std::string& text) {
    return cerniq::testing::WaitFor(
        [&] { return Get("/metrics").body.find(text) != std::string::npos; }, milliseconds(15000),
        milliseconds(100));
  }

  // The log lines of failed bullmq passes.
  std::vector<std::string> FailureLines() {
    std::ifstream in(dir_ + "/stderr");
    std::vector<std::string> lines;
    for (std::string line; std::getline(in, line);) {
      if (line.find("collection failed") != std::string::npos &&
          line.find("collector=bullmq") != std::string::npos) {
        lines.push_back(line);
      }
    }
    return lines;
  }

  // Down with one log line naming `reason`, still serving, over several failed passes.
  void ExpectDownWithOneLine(const std::string& reason) {
    ASSERT_TRUE(WaitForMetric("cerniq_up{source=\"redis\"} 0"));
    std::this_thread::sleep_for(milliseconds(1000));  // several more failed passes
    EXPECT_TRUE(exporter_->Running());
    EXPECT_EQ(Get("/health/redis").status, 503);
    auto lines = FailureLines();
    ASSERT_EQ(lines.size(), 1u) << (lines.empty() ? "no failure line" : lines[0]);
    EXPECT_THAT(lines[0], HasSubstr(reason));
  }

  std::string dir_;
  int runs_ = 0;
  int port_ = 0;
  std::unique_ptr<cerniq::testing::Subprocess> exporter_;
};

TEST_F(RedisTlsExporter, ServesMetricsAndHealthOverTlsWithFlags) {
  server_->Cli({"SET", "anthropic:rate_limit:remaining", "4321"});
  server_->Cli({"RPUSH", "bull:churn:wait", "1", "2"});
  StartExporter({"--redis.tls.ca-file", pki_.ca(), "--redis.tls.cert-file", pki_.Path("client.crt"),
                 "--redis.tls.key-file", pki_.Path("client.key")},
                "");
  ASSERT_TRUE(WaitForMetric("cerniq_up{source=\"redis\"} 1"));
  std::string metrics = Get("/metrics").body;
  EXPECT_THAT(metrics, HasSubstr("llm_rate_limit_remaining 4321\n"));
  EXPECT_THAT(metrics, HasSubstr("bullmq_queue_waiting{prefix=\"bull\",queue=\"churn\"} 2\n"));
  EXPECT_EQ(Get("/health/redis").body, R"({"connected":true})");
  EXPECT_TRUE(FailureLines().empty());
}

TEST_F(RedisTlsExporter, WrongCaIsOneClearLineAndDown) {
  StartExporter({"--redis.tls.ca-file", pki_.other_ca()},
                "  tls:\n    cert_file: " + pki_.Path("client.crt") +
                    "\n    key_file: " + pki_.Path("client.key") + "\n");
  ExpectDownWithOneLine("the server's CA is not trusted");
}

TEST_F(RedisTlsExporter, WrongServerNameIsOneClearLineAndDown) {
  StartExporter({}, "  tls:\n    ca_file: " + pki_.ca() + "\n    cert_file: " +
                        pki_.Path("client.crt") + "\n    key_file: " + pki_.Path("client.key") +
                        "\n    server_name: cache.example.com\n");
  ExpectDownWithOneLine("hostname mismatch");
}

TEST_F(RedisTlsExporter, ExpiredServerCertificateIsOneClearLineAndDown) {
  StartServer("expired");
  StartExporter({"--redis.tls.ca-file", pki_.ca(), "--redis.tls.cert-file", pki_.Path("client.crt"),
                 "--redis.tls.key-file", pki_.Path("client.key")},
                "");
  ExpectDownWithOneLine("certificate has expired");
}

TEST_F(RedisTlsExporter, MissingClientCertificateIsOneClearLineAndDown) {
  StartExporter({"--redis.tls.ca-file", pki_.ca()}, "");
  ExpectDownWithOneLine("a client certificate missing or refused?");
}

TEST_F(RedisTlsExporter, InsecureSkipVerifyAcceptsAnUntrustedServer) {
  StartExporter({"--redis.tls.insecure-skip-verify", "--redis.tls.ca-file", pki_.other_ca(),
                 "--redis.tls.cert-file", pki_.Path("client.crt"), "--redis.tls.key-file",
                 pki_.Path("client.key")},
                "");
  EXPECT_TRUE(WaitForMetric("cerniq_up{source=\"redis\"} 1"));
}

}  // namespace
}  // namespace cerniq::collect::redis
