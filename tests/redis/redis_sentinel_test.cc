// Redis behind Sentinel (redis+sentinel:// and redis.sentinel): one master, one replica, three
// redis-sentinel processes on loopback. BullMQ (over ioredis with `sentinels`) fills the queues;
// the collector's figures equal BullMQ's before and after a forced failover (SENTINEL failover),
// the first pass after the Sentinels switched already reads the new master, and the exporter
// binary reports cerniq_up{source="redis"} 0 while a killed master is not yet replaced, then
// follows the promoted replica by itself.

#include <signal.h>

#include <filesystem>
#include <fstream>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "collect/redis/bullmq_collector.h"
#include "collect/redis/llm_rate_limit_collector.h"
#include "config/config.h"
#include "family_values.h"
#include "oracle_compare.h"
#include "support/http_get.h"
#include "support/sentinel_setup.h"
#include "support/subprocess.h"
#include "support/wait.h"

namespace cerniq::collect::redis {
namespace {

using std::chrono::milliseconds;
using ::testing::HasSubstr;

class RedisSentinel : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string error;
    ASSERT_TRUE(setup_.Start(error)) << error;
  }

  // A connection that follows the master named by the Sentinels, as the exporter makes it.
  std::unique_ptr<Connection> Connect(int db) {
    std::string error;
    auto address = ParseRedisUrl(setup_.url(db), error);
    EXPECT_TRUE(address && address->via_sentinel()) << error;
    auto c = std::make_unique<Connection>(*address, milliseconds(1000), milliseconds(2000));
    c->FollowSentinels(std::make_unique<SentinelResolver>(
        address->sentinels, address->master_name, "", milliseconds(1000), milliseconds(2000)));
    return c;
  }

  // Forces a failover through Sentinel 0 and waits (bounded) until it names the new master.
  int FailOver(int old_port) {
    EXPECT_THAT(setup_.SentinelCli(0, {"SENTINEL", "failover", setup_.kMaster}), HasSubstr("OK"));
    int now = old_port;
    EXPECT_TRUE(cerniq::testing::WaitFor(
        [&] { return (now = setup_.MasterPortSeenBy(0)) != old_port && now != 0; },
        milliseconds(30000), milliseconds(100)))
        << "Sentinel did not switch the master";
    return now;
  }

  cerniq::testing::SentinelSetup setup_;
};

TEST_F(RedisSentinel, BullmqCountsEqualBullmqsBeforeAndAfterAForcedFailover) {
  std::string bullmq_dir =
      cerniq::testing::EnvOr("CERNIQ_BULLMQ_DIR", CERNIQ_SOURCE_DIR "/tests/bullmq") + "/v6";
  if (!std::filesystem::exists(bullmq_dir + "/node_modules/bullmq")) {
    GTEST_SKIP() << "bullmq not installed in " << bullmq_dir;
  }
  const std::vector<std::string>& queues = config::Etapa5Queues();
  std::string list;
  for (const auto& q : queues) list += (list.empty() ? "" : ",") + q;
  cerniq::testing::Subprocess scenario({"node", CERNIQ_SOURCE_DIR "/tests/bullmq/scenario.cjs",
                                        bullmq_dir, setup_.url(3), "bull", list});
  ASSERT_TRUE(scenario.ReadUntil("READY", milliseconds(90000))) << "scenario did not start";

  int old_master = setup_.MasterPortSeenBy(0);
  setup_.ServerOnPort(old_master).Cli({"-n", "3", "SET", "anthropic:rate_limit:remaining", "55"});
  config::BullmqConfig cfg;
  cfg.prefixes.push_back({"bull", queues, false});
  auto connection = Connect(3);
  const Connection* seen = connection.get();
  BullmqCollector collector(std::move(connection), cfg);
  LlmRateLimitCollector llm(Connect(3), "anthropic:rate_limit:remaining");
  cerniq::testing::ExpectMatchWithin(collector, scenario, queues, milliseconds(0),
                                     "before the failover");
  EXPECT_EQ(seen->address().port, old_master);
  ASSERT_TRUE(collector.Collect().success);
  EXPECT_EQ(collector.last_pass_round_trips(), 1u);  // ROLE rides in the pass' one round trip

  int new_master = FailOver(old_master);
  // The first pass after the Sentinels switched reads the new master: no pass lost.
  auto first = collector.Collect();
  ASSERT_TRUE(first.success) << first.error;
  EXPECT_EQ(seen->address().port, new_master);
  cerniq::testing::ExpectMatchWithin(collector, scenario, queues, milliseconds(30000),
                                     "after the failover");
  auto rate = llm.Collect();
  ASSERT_TRUE(rate.success) << rate.error;
  EXPECT_EQ(cerniq::testing::ValueOf(rate.families, "llm_rate_limit_remaining", {}), 55.0);
  scenario.WriteLine("QUIT");
  scenario.Wait(milliseconds(15000));
}

TEST_F(RedisSentinel, ExporterIsDownWhileTheMasterIsDeadThenFollowsThePromotedReplica) {
  std::string dir = ::testing::TempDir() + "/sentinel-exporter-" + std::to_string(getpid());
  std::filesystem::create_directories(dir);
  int old_master = setup_.MasterPortSeenBy(0);
  setup_.ServerOnPort(old_master).Cli({"SET", "anthropic:rate_limit:remaining", "9"});
  std::string addresses;
  for (int port : setup_.sentinel_ports()) {
    addresses += (addresses.empty() ? "" : ", ") + std::string("127.0.0.1:") + std::to_string(port);
  }
  std::ofstream(dir + "/config.yml")
      << "redis:\n  connect_timeout: 500ms\n  sentinel:\n    addresses: [" << addresses
      << "]\n    master: " << setup_.kMaster << "\nbullmq:\n  interval: 100ms\n";
  int port = cerniq::testing::FreeLoopbackPort();
  cerniq::testing::Subprocess exporter(
      {"sh", "-c", "exec \"$0\" \"$@\" 2>" + dir + "/stderr", CERNIQ_EXPORTER_BIN, "--config.file",
       dir + "/config.yml", "--web.listen-address", "127.0.0.1:" + std::to_string(port)});
  auto get = [&](const std::string& path) {
    return cerniq::testing::HttpGet("http://127.0.0.1:" + std::to_string(port) + path,
                                    milliseconds(3000));
  };
  auto metrics_have = [&](const std::string& text, milliseconds bound) {
    return cerniq::testing::WaitFor(
        [&] { return get("/metrics").body.find(text) != std::string::npos; }, bound,
        milliseconds(50));
  };
  ASSERT_TRUE(metrics_have("cerniq_up{source=\"redis\"} 1", milliseconds(15000)));
  EXPECT_EQ(get("/health/redis").status, 200);
  EXPECT_THAT(get("/metrics").body, HasSubstr("llm_rate_limit_remaining 9\n"));

  setup_.ServerOnPort(old_master).Kill();
  // Sentinel still names the dead master for down-after (1 s) plus the election: honest 0.
  EXPECT_TRUE(metrics_have("cerniq_up{source=\"redis\"} 0", milliseconds(5000)));
  EXPECT_EQ(get("/health/redis").status, 503);
  ASSERT_TRUE(cerniq::testing::WaitFor([&] { return setup_.MasterPortSeenBy(0) != old_master; },
                                       milliseconds(30000), milliseconds(100)))
      << "Sentinel did not promote the replica";
  // Following within one interval of the switch (bounded here by the polling, not timed).
  EXPECT_TRUE(metrics_have("cerniq_up{source=\"redis\"} 1", milliseconds(5000)));
  EXPECT_EQ(get("/health/redis").status, 200);
  EXPECT_THAT(get("/metrics").body, HasSubstr("llm_rate_limit_remaining 9\n"));
  std::ifstream in(dir + "/stderr");
  std::string log((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_THAT(log, HasSubstr("Sentinel names a new Redis master"));
  exporter.Signal(SIGTERM);
  EXPECT_EQ(exporter.Wait(milliseconds(10000)), 0);
  std::filesystem::remove_all(dir);
}

TEST(RedisSentinelDown, NoSentinelAnsweringIsAClearErrorNotACrash) {
  int dead1 = cerniq::testing::FreeLoopbackPort(), dead2 = cerniq::testing::FreeLoopbackPort();
  std::string error;
  auto address = ParseRedisUrl("redis+sentinel://127.0.0.1:" + std::to_string(dead1) +
                                   ",127.0.0.1:" + std::to_string(dead2) + "/jobs/0",
                               error);
  ASSERT_TRUE(address) << error;
  Connection c(*address, milliseconds(500), milliseconds(500));
  c.FollowSentinels(std::make_unique<SentinelResolver>(address->sentinels, "jobs", "",
                                                       milliseconds(500), milliseconds(500)));
  EXPECT_FALSE(c.Pipeline({{"PING"}}, error));
  EXPECT_THAT(error, HasSubstr("no Sentinel named master jobs"));
  EXPECT_THAT(error, HasSubstr("127.0.0.1:" + std::to_string(dead1)));
  EXPECT_THAT(error, HasSubstr("127.0.0.1:" + std::to_string(dead2)));
}

}  // namespace
}  // namespace cerniq::collect::redis
