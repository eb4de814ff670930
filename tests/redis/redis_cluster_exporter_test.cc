// The cerniq_exporter binary with --redis.cluster against a real Redis Cluster (three masters,
// three replicas) filled by real BullMQ (prefix `{bull}`, ioredis' Cluster client): every gauge
// and counter that /metrics serves equals BullMQ's own getJobCounts/isPaused/getMetrics, workers
// the named connections on the master holding the queues (see WorkersInClientList), the LLM
// rate-limit key is read from the master of its slot, and the health endpoint says connected.

#include <csignal>
#include <filesystem>
#include <fstream>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "collect/redis/key_slot.h"
#include "family_values.h"
#include "oracle_compare.h"
#include "support/cluster_setup.h"
#include "support/http_get.h"
#include "support/subprocess.h"
#include "support/wait.h"

namespace cerniq::collect::redis {
namespace {

using std::chrono::milliseconds;
using ::testing::HasSubstr;

TEST(RedisClusterExporter, MetricsOfTheBinaryEqualBullmqsCounts) {
  std::string bullmq_dir =
      cerniq::testing::EnvOr("CERNIQ_BULLMQ_DIR", CERNIQ_SOURCE_DIR "/tests/bullmq") + "/v6";
  if (!std::filesystem::exists(bullmq_dir + "/node_modules/bullmq")) {
    GTEST_SKIP() << "bullmq not installed in " << bullmq_dir;
  }
  cerniq::testing::ClusterSetup cluster;
  std::string error;
  ASSERT_TRUE(cluster.Start(error)) << error;
  const std::vector<std::string> queues = {"lifecycle", "churn", "sentiment", "geospatial",
                                           "alerts"};
  std::string list;
  for (const auto& q : queues) list += (list.empty() ? "" : ",") + q;
  const std::string prefix = "{bull}";
  cerniq::testing::Subprocess scenario({"node", CERNIQ_SOURCE_DIR "/tests/bullmq/scenario.cjs",
                                        bullmq_dir, cluster.scenario_url(), prefix, list});
  ASSERT_TRUE(scenario.ReadUntil("READY", milliseconds(90000))) << "scenario did not start";
  cluster.Cli({"SET", "anthropic:rate_limit:remaining", "654"});

  std::string dir = ::testing::TempDir() + "/cluster-exporter-" + std::to_string(getpid());
  std::filesystem::create_directories(dir);
  // The seed is any node; the {bull} slot and the rate-limit key may live on others.
  std::ofstream(dir + "/config.yml")
      << "redis:\n  url: redis://127.0.0.1:" << cluster.seed_port()
      << "\n  connect_timeout: 1s\nbullmq:\n  interval: 200ms\n  prefixes:\n    - prefix: \""
      << prefix << "\"\n      queues: [" << list << "]\n";
  int port = cerniq::testing::FreeLoopbackPort();
  cerniq::testing::Subprocess exporter({"sh", "-c", "exec \"$0\" \"$@\" 2>" + dir + "/stderr",
                                        CERNIQ_EXPORTER_BIN, "--config.file", dir + "/config.yml",
                                        "--redis.cluster", "--web.listen-address",
                                        "127.0.0.1:" + std::to_string(port)});
  auto get = [&](const std::string& path) {
    return cerniq::testing::HttpGet("http://127.0.0.1:" + std::to_string(port) + path,
                                    milliseconds(3000));
  };
  ASSERT_TRUE(cerniq::testing::WaitFor(
      [&] {
        return get("/metrics").body.find("cerniq_up{source=\"redis\"} 1") != std::string::npos;
      },
      milliseconds(15000), milliseconds(100)));

  // A scrape may show the pass before BullMQ's last move: bounded retries, then the verdict.
  const int owner = cluster.MasterOfSlot(KeySlot(prefix));
  ASSERT_NE(owner, 0);
  cerniq::testing::ExpectMatchWithin(
      [&](std::string& why) -> std::optional<std::vector<prometheus::MetricFamily>> {
        auto scrape = get("/metrics");
        if (scrape.status != 200) {
          why = "GET /metrics: " + std::to_string(scrape.status) + " " + scrape.error;
          return std::nullopt;
        }
        return cerniq::testing::FamiliesFromText(scrape.body);
      },
      scenario, queues, milliseconds(5000), "exporter binary on the cluster", prefix,
      [&](nlohmann::json& oracle) {
        std::string clients = cluster.CliAt(owner, {"CLIENT", "LIST"});
        for (const auto& q : queues) {
          oracle[q]["workers"] = cerniq::testing::WorkersInClientList(clients, prefix, q);
        }
      });
  std::string metrics = get("/metrics").body;
  EXPECT_THAT(metrics, HasSubstr("llm_rate_limit_remaining 654\n"));
  EXPECT_THAT(metrics, HasSubstr("cerniq_up{source=\"redis\"} 1\n"));
  EXPECT_EQ(get("/health/redis").body, R"({"connected":true})");

  exporter.Signal(SIGTERM);
  EXPECT_EQ(exporter.Wait(milliseconds(10000)), 0);
  std::ifstream in(dir + "/stderr");
  std::string log((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_THAT(log, ::testing::Not(HasSubstr("collection failed")));
  scenario.WriteLine("QUIT");
  scenario.Wait(milliseconds(15000));
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace cerniq::collect::redis
