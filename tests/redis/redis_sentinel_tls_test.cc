// TLS through Sentinel (rediss+sentinel:// and redis.sentinel.tls): master, replica and three
// redis-sentinel processes all TLS only (`tls-port`, replication and Sentinel gossip over TLS too),
// certificates from a throw-away CA. BullMQ (ioredis `sentinels` with enableTLSForSentinelMode)
// fills the queues; the collector's figures equal BullMQ's before and after a forced failover, and
// the exporter binary serves them with redis.sentinel.tls, and is down with one clear line when
// the CA it is given is not the servers'.

#include <signal.h>

#include <filesystem>
#include <fstream>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "collect/redis/bullmq_collector.h"
#include "config/config.h"
#include "family_values.h"
#include "oracle_compare.h"
#include "support/http_get.h"
#include "support/sentinel_setup.h"
#include "support/subprocess.h"
#include "support/test_pki.h"
#include "support/wait.h"

namespace cerniq::collect::redis {
namespace {

using std::chrono::milliseconds;
using ::testing::HasSubstr;

class RedisSentinelTls : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!pki_.ok()) GTEST_SKIP() << "openssl could not make the test CA";
    setup_.UseTls({pki_.Path("server.crt"), pki_.Path("server.key"), pki_.ca(), false, "", ""});
    std::string error;
    ASSERT_TRUE(setup_.Start(error)) << error;
  }

  std::unique_ptr<Connection> Connect(int db) {
    std::string error;
    auto address = ParseRedisUrl(setup_.url(db), error);
    EXPECT_TRUE(address && address->via_sentinel() && address->tls) << error;
    config::RedisTlsConfig cfg;
    cfg.ca_file = pki_.ca();
    auto tls = std::make_shared<TlsContext>(cfg);
    auto c = std::make_unique<Connection>(*address, milliseconds(1000), milliseconds(2000), tls);
    c->FollowSentinels(std::make_unique<SentinelResolver>(
        address->sentinels, address->master_name, "", milliseconds(1000), milliseconds(2000), tls));
    return c;
  }

  // The exporter binary with redis.sentinel.tls and `ca_file`; stderr to <dir>/stderr.
  std::unique_ptr<cerniq::testing::Subprocess> StartExporter(const std::string& dir,
                                                             const std::string& ca_file, int port) {
    std::filesystem::create_directories(dir);
    std::string addresses;
    for (int p : setup_.sentinel_ports()) {
      addresses += (addresses.empty() ? "" : ", ") + std::string("127.0.0.1:") + std::to_string(p);
    }
    std::ofstream(dir + "/config.yml")
        << "redis:\n  connect_timeout: 500ms\n  tls:\n    ca_file: " << ca_file
        << "\n  sentinel:\n    addresses: [" << addresses << "]\n    master: " << setup_.kMaster
        << "\n    tls: true\nbullmq:\n  interval: 100ms\n";
    return std::make_unique<cerniq::testing::Subprocess>(std::vector<std::string>{
        "sh", "-c", "exec \"$0\" \"$@\" 2>" + dir + "/stderr", CERNIQ_EXPORTER_BIN, "--config.file",
        dir + "/config.yml", "--web.listen-address", "127.0.0.1:" + std::to_string(port)});
  }

  cerniq::testing::TestPki pki_;
  cerniq::testing::SentinelSetup setup_;
};

TEST_F(RedisSentinelTls, BullmqCountsEqualBullmqsBeforeAndAfterAFailoverOverTls) {
  std::string bullmq_dir =
      cerniq::testing::EnvOr("CERNIQ_BULLMQ_DIR", CERNIQ_SOURCE_DIR "/tests/bullmq") + "/v6";
  if (!std::filesystem::exists(bullmq_dir + "/node_modules/bullmq")) {
    GTEST_SKIP() << "bullmq not installed in " << bullmq_dir;
  }
  const std::vector<std::string> queues = {"lifecycle", "churn", "sentiment", "alerts"};
  std::string list;
  for (const auto& q : queues) list += (list.empty() ? "" : ",") + q;
  cerniq::testing::Subprocess scenario({"node", CERNIQ_SOURCE_DIR "/tests/bullmq/scenario.cjs",
                                        bullmq_dir, setup_.url(2), "bull", list},
                                       {"CERNIQ_REDIS_TLS_CA=" + pki_.ca()});
  ASSERT_TRUE(scenario.ReadUntil("READY", milliseconds(90000))) << "scenario did not start";

  config::BullmqConfig cfg;
  cfg.prefixes.push_back({"bull", queues, false});
  auto connection = Connect(2);
  const Connection* seen = connection.get();
  BullmqCollector collector(std::move(connection), cfg);
  cerniq::testing::ExpectMatchWithin(collector, scenario, queues, milliseconds(0),
                                     "before the failover, over TLS");
  int old_master = setup_.MasterPortSeenBy(0);
  ASSERT_NE(old_master, 0) << "Sentinel 0 does not answer over TLS";
  EXPECT_EQ(seen->address().port, old_master);

  EXPECT_THAT(setup_.SentinelCli(0, {"SENTINEL", "failover", setup_.kMaster}), HasSubstr("OK"));
  int new_master = old_master;
  ASSERT_TRUE(cerniq::testing::WaitFor(
      [&] { return (new_master = setup_.MasterPortSeenBy(0)) != old_master && new_master != 0; },
      milliseconds(30000), milliseconds(100)))
      << "Sentinel did not switch the master";
  auto first = collector.Collect();
  ASSERT_TRUE(first.success) << first.error;
  EXPECT_EQ(seen->address().port, new_master);
  cerniq::testing::ExpectMatchWithin(collector, scenario, queues, milliseconds(30000),
                                     "after the failover, over TLS");
  scenario.WriteLine("QUIT");
  scenario.Wait(milliseconds(15000));
}

TEST_F(RedisSentinelTls, ExporterBinaryWithSentinelTlsServesAndAWrongCaIsDown) {
  int master = setup_.MasterPortSeenBy(0);
  ASSERT_NE(master, 0);
  setup_.ServerOnPort(master).Cli({"SET", "anthropic:rate_limit:remaining", "31"});
  std::string dir = ::testing::TempDir() + "/sentinel-tls-" + std::to_string(getpid());
  for (bool right_ca : {true, false}) {
    SCOPED_TRACE(right_ca ? "the servers' CA" : "another CA");
    std::string run = dir + (right_ca ? "/right" : "/wrong");
    int port = cerniq::testing::FreeLoopbackPort();
    auto exporter = StartExporter(run, right_ca ? pki_.ca() : pki_.other_ca(), port);
    auto get = [&](const std::string& path) {
      return cerniq::testing::HttpGet("http://127.0.0.1:" + std::to_string(port) + path,
                                      milliseconds(3000));
    };
    std::string up = right_ca ? "cerniq_up{source=\"redis\"} 1" : "cerniq_up{source=\"redis\"} 0";
    ASSERT_TRUE(
        cerniq::testing::WaitFor([&] { return get("/metrics").body.find(up) != std::string::npos; },
                                 milliseconds(15000), milliseconds(100)));
    if (right_ca) {
      EXPECT_THAT(get("/metrics").body, HasSubstr("llm_rate_limit_remaining 31\n"));
      EXPECT_EQ(get("/health/redis").status, 200);
    } else {
      EXPECT_EQ(get("/health/redis").status, 503);
    }
    exporter->Signal(SIGTERM);
    EXPECT_EQ(exporter->Wait(milliseconds(10000)), 0);
    std::ifstream in(run + "/stderr");
    std::string log((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (right_ca) {
      EXPECT_THAT(log, ::testing::Not(HasSubstr("collection failed")));
    } else {
      // Every Sentinel refused for the reason that matters, named in the failure line.
      EXPECT_THAT(log, HasSubstr("no Sentinel named master mymaster"));
      EXPECT_THAT(log, HasSubstr("the server's CA is not trusted"));
    }
  }
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace cerniq::collect::redis
