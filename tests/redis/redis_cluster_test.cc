// Redis Cluster (--redis.cluster): three masters and three replicas on loopback. BullMQ with
// prefix `{bull}` over ioredis' Cluster client fills the queues; the collector's figures, workers
// included, equal BullMQ's, also while the queues' slot moves to another master (ASK halfway,
// MOVED after) and after that master is killed and its replica promoted. A queue written without
// a hash tag (keys on several masters) is read right key by key; discovery scans every master;
// the LLM rate-limit key is routed by its slot.

#include <filesystem>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "collect/redis/bullmq_collector.h"
#include "collect/redis/cluster_client.h"
#include "collect/redis/key_slot.h"
#include "collect/redis/llm_rate_limit_collector.h"
#include "config/config.h"
#include "family_values.h"
#include "oracle_compare.h"
#include "support/cluster_setup.h"
#include "support/subprocess.h"
#include "support/wait.h"

namespace cerniq::collect::redis {
namespace {

using std::chrono::milliseconds;
using ::testing::HasSubstr;

class RedisCluster : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string error;
    ASSERT_TRUE(cluster_.Start(error)) << error;
  }

  std::unique_ptr<ClusterClient> Client() {
    std::string error;
    auto seed = ParseRedisUrl("redis://127.0.0.1:" + std::to_string(cluster_.seed_port()), error);
    EXPECT_TRUE(seed) << error;
    return std::make_unique<ClusterClient>(*seed, milliseconds(1000), milliseconds(2000));
  }

  // Every figure equals BullMQ's, workers aside: ours are the named Worker connections on the
  // master that holds the queues (`owner`). After a resharding or a failover, Workers busy with
  // a long job have not connected to the new owner yet, and BullMQ's getWorkersCount takes
  // whichever node has most (their old connections), so workers are checked against the owner's
  // own CLIENT LIST instead.
  void ExpectMatchOnOwner(BullmqCollector& collector, cerniq::testing::Subprocess& scenario,
                          const std::vector<std::string>& queues, int owner,
                          const std::string& context) {
    auto result = collector.Collect();
    ASSERT_TRUE(result.success) << result.error;
    std::string clients = cluster_.CliAt(owner, {"CLIENT", "LIST"});
    scenario.WriteLine("ORACLE");
    auto line = scenario.ReadUntil("ORACLE ", milliseconds(30000));
    ASSERT_TRUE(line);
    auto oracle = nlohmann::json::parse(*line);
    for (const auto& q : queues) {
      oracle[q]["workers"] = cerniq::testing::WorkersInClientList(clients, kPrefix, q);
    }
    cerniq::testing::ExpectGaugesMatchOracle(result.families, oracle, queues, context, kPrefix);
  }

  static constexpr const char* kPrefix = "{bull}";
  cerniq::testing::ClusterSetup cluster_;
};

TEST_F(RedisCluster, QueueWithoutHashTagIsReadKeyByKeyAndDiscoveredOnEveryMaster) {
  // prefix "raw" has no hash tag: each key of queue "q" lands on its own slot.
  cluster_.Cli({"RPUSH", "raw:q:wait", "3", "2", "1"});
  cluster_.Cli({"RPUSH", "raw:q:active", "4"});
  cluster_.Cli({"ZADD", "raw:q:delayed", "1", "5", "2", "6"});
  cluster_.Cli({"ZADD", "raw:q:completed", "1", "7", "2", "8", "3", "9", "4", "10"});
  cluster_.Cli({"ZADD", "raw:q:failed", "1", "11"});
  cluster_.Cli({"HSET", "raw:q:meta", "paused", "1", "version", "bullmq:5"});
  cluster_.Cli({"HSET", "raw:q:metrics:completed", "count", "12"});
  cluster_.Cli({"HSET", "raw:q:1", "timestamp", "1000", "delay", "0"});
  cluster_.Cli({"SET", "anthropic:rate_limit:remaining", "321"});
  std::set<int> masters;
  for (const char* key :
       {"raw:q:wait", "raw:q:active", "raw:q:delayed", "raw:q:completed", "raw:q:meta"}) {
    masters.insert(cluster_.MasterOfSlot(KeySlot(key)));
  }
  ASSERT_GE(masters.size(), 2u) << "the test keys should span several masters";

  config::BullmqConfig cfg;
  cfg.prefixes.push_back({"raw", {}, true});  // discovery only
  BullmqCollector collector(Client(), cfg);
  auto result = collector.Collect();
  ASSERT_TRUE(result.success) << result.error;
  std::vector<std::pair<std::string, std::string>> q = {{"prefix", "raw"}, {"queue", "q"}};
  using cerniq::testing::ValueOf;
  EXPECT_EQ(ValueOf(result.families, "bullmq_queue_waiting", q), 3.0);
  EXPECT_EQ(ValueOf(result.families, "bullmq_queue_active", q), 1.0);
  EXPECT_EQ(ValueOf(result.families, "bullmq_queue_delayed", q), 2.0);
  EXPECT_EQ(ValueOf(result.families, "bullmq_queue_completed", q), 4.0);
  EXPECT_EQ(ValueOf(result.families, "bullmq_queue_failed", q), 1.0);
  EXPECT_EQ(ValueOf(result.families, "bullmq_queue_paused", q), 1.0);
  EXPECT_EQ(ValueOf(result.families, "bullmq_jobs_completed_total", q), 12.0);
  // The oldest waiting job (id 1, at the tail) read from its own hash on its own master.
  EXPECT_GT(ValueOf(result.families, "bullmq_queue_oldest_waiting_age_seconds", q).value_or(0),
            1e6);

  LlmRateLimitCollector llm(Client(), "anthropic:rate_limit:remaining");
  auto rate = llm.Collect();
  ASSERT_TRUE(rate.success) << rate.error;
  EXPECT_EQ(ValueOf(rate.families, "llm_rate_limit_remaining", {}), 321.0);
}

TEST_F(RedisCluster, BullmqWithHashTagPrefixThroughReshardingAndFailover) {
  std::string bullmq_dir =
      cerniq::testing::EnvOr("CERNIQ_BULLMQ_DIR", CERNIQ_SOURCE_DIR "/tests/bullmq") + "/v6";
  if (!std::filesystem::exists(bullmq_dir + "/node_modules/bullmq")) {
    GTEST_SKIP() << "bullmq not installed in " << bullmq_dir;
  }
  const std::vector<std::string> queues = {"lifecycle", "churn", "sentiment", "geospatial",
                                           "alerts"};
  std::string list;
  for (const auto& q : queues) list += (list.empty() ? "" : ",") + q;
  const std::string prefix = kPrefix;
  cerniq::testing::Subprocess scenario({"node", CERNIQ_SOURCE_DIR "/tests/bullmq/scenario.cjs",
                                        bullmq_dir, cluster_.scenario_url(), prefix, list});
  ASSERT_TRUE(scenario.ReadUntil("READY", milliseconds(90000))) << "scenario did not start";

  config::BullmqConfig cfg;
  cfg.prefixes.push_back({prefix, queues, false});
  auto client = Client();
  const ClusterClient* seen = client.get();
  BullmqCollector collector(std::move(client), cfg);
  // Workers against the owner's CLIENT LIST even here: BullMQ names its cluster connections
  // with a CLIENT SETNAME that lands on any node, so its own count may come from another one.
  ExpectMatchOnOwner(collector, scenario, queues, cluster_.MasterOfSlot(KeySlot(prefix)), "steady");
  ASSERT_TRUE(collector.Collect().success);
  EXPECT_EQ(seen->Masters().size(), 3u);
  // Every queue key shares the {bull} slot: one round trip to one node in a steady pass.
  EXPECT_EQ(collector.last_pass_round_trips(), 1u);

  // Resharding: the {bull} slot moves to another master while passes run.
  const int slot = KeySlot("{bull}");
  int from = cluster_.MasterOfSlot(slot), to = 0;
  for (int port : cluster_.MasterPorts()) {
    if (port != from) to = port;
  }
  std::string error;
  ASSERT_TRUE(cluster_.MoveSlot(
      slot, to,
      [&] {
        auto halfway = collector.Collect();  // some keys answer ASK
        EXPECT_TRUE(halfway.success) << halfway.error;
      },
      error))
      << error;
  auto moved = collector.Collect();  // the old owner answers MOVED
  ASSERT_TRUE(moved.success) << moved.error;
  ExpectMatchOnOwner(collector, scenario, queues, to, "after the resharding");

  // Failover: the new owner dies and its replica is promoted (cluster-node-timeout 1 s).
  cluster_.NodeOnPort(to).Kill();
  ASSERT_TRUE(cluster_.WaitUntilOk(slot, error)) << error;
  collect::CollectResult after;
  ASSERT_TRUE(cerniq::testing::WaitFor([&] { return (after = collector.Collect()).success; },
                                       milliseconds(20000), milliseconds(200)))
      << after.error;
  int promoted = cluster_.MasterOfSlot(slot);
  EXPECT_NE(promoted, to);
  ExpectMatchOnOwner(collector, scenario, queues, promoted, "after the failover");
  scenario.WriteLine("QUIT");
  scenario.Wait(milliseconds(15000));
}

}  // namespace
}  // namespace cerniq::collect::redis
