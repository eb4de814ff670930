// The BullMQ collector against real queue state made by the real bullmq package (5.x and 6.x),
// compared with BullMQ's own getJobCounts(), isPaused(), getWorkersCount() and getMetrics().

#include <hiredis/hiredis.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <set>
#include <thread>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "collect/redis/bullmq_collector.h"
#include "config/config.h"
#include "family_values.h"
#include "oracle_compare.h"
#include "support/redis_server.h"
#include "support/subprocess.h"
#include "support/wait.h"

namespace cerniq::collect::redis {
namespace {

using cerniq::testing::CountOf;
using cerniq::testing::ValueOf;
using std::chrono::milliseconds;
using Families = std::vector<prometheus::MetricFamily>;

std::string BullmqDir(const std::string& version) {
  std::string base = cerniq::testing::EnvOr("CERNIQ_BULLMQ_DIR", CERNIQ_SOURCE_DIR "/tests/bullmq");
  return base + "/" + version;
}

std::string Join(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& s : v) out += (out.empty() ? "" : ",") + s;
  return out;
}

class BullmqIntegration : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    if (!std::filesystem::exists(BullmqDir(GetParam()) + "/node_modules/bullmq")) {
      GTEST_SKIP() << "bullmq " << GetParam() << " not installed in " << BullmqDir(GetParam())
                   << " (scripts/install-deps.sh installs it)";
    }
    ASSERT_TRUE(server_.Start()) << "redis-server did not start";
    queues_ = config::Etapa5Queues();
    scenario_ = std::make_unique<cerniq::testing::Subprocess>(
        std::vector<std::string>{"node", CERNIQ_SOURCE_DIR "/tests/bullmq/scenario.cjs",
                                 BullmqDir(GetParam()), server_.url(3), "bull", Join(queues_)});
    ASSERT_TRUE(scenario_->ReadUntil("READY", milliseconds(90000))) << "scenario did not start";
  }

  void TearDown() override {
    if (scenario_) {
      scenario_->WriteLine("QUIT");
      scenario_->Wait(milliseconds(15000));
    }
  }

  nlohmann::json Oracle() {
    scenario_->WriteLine("ORACLE");
    auto line = scenario_->ReadUntil("ORACLE ", milliseconds(30000));
    EXPECT_TRUE(line.has_value());
    return nlohmann::json::parse(line.value_or("{}"));
  }

  std::unique_ptr<BullmqCollector> MakeCollector(std::vector<std::string> extra_queues = {}) {
    config::BullmqConfig cfg;
    config::QueuePrefix p;
    p.prefix = "bull";
    p.queues = queues_;
    p.queues.insert(p.queues.end(), extra_queues.begin(), extra_queues.end());
    cfg.prefixes.push_back(p);
    std::string error;
    auto address = ParseRedisUrl(server_.url(3), error);
    EXPECT_TRUE(address) << error;
    return std::make_unique<BullmqCollector>(
        std::make_unique<Connection>(*address, milliseconds(2000), milliseconds(2000)), cfg);
  }

  cerniq::testing::RedisServer server_;
  std::vector<std::string> queues_;
  std::unique_ptr<cerniq::testing::Subprocess> scenario_;
};

TEST_P(BullmqIntegration, EveryQueueAndStateEqualsBullmqsOwnCounts) {
  auto collector = MakeCollector({"nokeys"});
  collect::CollectResult result = collector->Collect();
  ASSERT_TRUE(result.success) << result.error;
  EXPECT_TRUE(result.source_reached);
  nlohmann::json oracle = Oracle();
  const Families& f = result.families;

  long long total_waiting =
      cerniq::testing::ExpectGaugesMatchOracle(f, oracle, queues_, "bullmq " + GetParam());
  for (const auto& q : queues_) {
    std::string id = server_.Cli({"-n", "3", "GET", "bull:" + q + ":id"});
    EXPECT_EQ(ValueOf(f, "bullmq_jobs_added_total", {{"prefix", "bull"}, {"queue", q}}),
              std::stod(id))
        << q;
  }
  EXPECT_GT(total_waiting, 60) << "the scenario should have made a backlog";

  // Exactly one series per configured queue for every gauge, even without any key.
  for (const char* gauge : {"bullmq_queue_waiting", "bullmq_queue_active", "bullmq_queue_delayed",
                            "bullmq_queue_prioritized", "bullmq_queue_waiting_children",
                            "bullmq_queue_failed", "bullmq_queue_completed", "bullmq_queue_paused",
                            "bullmq_queue_oldest_waiting_age_seconds", "bullmq_workers_active"}) {
    EXPECT_EQ(CountOf(f, gauge, {}), queues_.size() + 1) << gauge;
    EXPECT_EQ(ValueOf(f, gauge, {{"queue", "nokeys"}}), 0.0) << gauge;
  }
  EXPECT_EQ(CountOf(f, "bullmq_jobs_added_total", {{"queue", "nokeys"}}), 0u);
  EXPECT_EQ(CountOf(f, "bullmq_jobs_completed_total", {{"queue", "nokeys"}}), 0u);
  // Decoys in the scenario: workers of "alerts2" and of churn under another prefix.
  EXPECT_EQ(ValueOf(f, "bullmq_workers_active", {{"queue", "alerts"}}), 0.0);
}

TEST_P(BullmqIntegration, RoundTripsDoNotGrowWithTheQueueCount) {
  auto few = MakeCollector();
  std::vector<std::string> many;
  for (int i = 0; i < 300; ++i) many.push_back("extra" + std::to_string(i));
  auto lots = MakeCollector(many);
  // First pass: connect + SELECT, counts, then the tail jobs' hashes.
  ASSERT_TRUE(few->Collect().success);
  ASSERT_TRUE(lots->Collect().success);
  EXPECT_EQ(few->last_pass_round_trips(), 3u);
  EXPECT_EQ(lots->last_pass_round_trips(), 3u);
  // Steady state with unchanged tails: everything in one round trip.
  ASSERT_TRUE(few->Collect().success);
  ASSERT_TRUE(lots->Collect().success);
  EXPECT_EQ(few->last_pass_round_trips(), 1u);
  EXPECT_EQ(lots->last_pass_round_trips(), 1u);
}

TEST_P(BullmqIntegration, FollowsNewJobs) {
  auto collector = MakeCollector();
  auto before = collector->Collect();
  ASSERT_TRUE(before.success);
  scenario_->WriteLine("ADD geospatial 25");
  ASSERT_TRUE(scenario_->ReadUntil("ADDED", milliseconds(20000)));
  auto after = collector->Collect();
  ASSERT_TRUE(after.success);
  std::vector<std::pair<std::string, std::string>> geo = {{"queue", "geospatial"}};
  EXPECT_EQ(*ValueOf(after.families, "bullmq_queue_waiting", geo),
            *ValueOf(before.families, "bullmq_queue_waiting", geo) + 25);
  EXPECT_EQ(*ValueOf(after.families, "bullmq_jobs_added_total", geo),
            *ValueOf(before.families, "bullmq_jobs_added_total", geo) + 25);
}

// Every command the exporter sends during a pass, as seen by MONITOR, is a read.
TEST_P(BullmqIntegration, MonitorShowsOnlyReadCommands) {
  scenario_->WriteLine("QUIT");
  ASSERT_EQ(scenario_->Wait(milliseconds(15000)), 0);
  scenario_.reset();

  redisContext* monitor = redisConnect("127.0.0.1", server_.port());
  ASSERT_TRUE(monitor && !monitor->err);
  timeval tv{5, 0};
  redisSetTimeout(monitor, tv);
  redisReply* ok = static_cast<redisReply*>(redisCommand(monitor, "MONITOR"));
  ASSERT_TRUE(ok);
  freeReplyObject(ok);

  config::BullmqConfig cfg;
  cfg.prefixes.push_back({"bull", queues_, /*discover=*/true});
  std::string error;
  auto collector = std::make_unique<BullmqCollector>(
      std::make_unique<Connection>(*ParseRedisUrl(server_.url(3), error), milliseconds(2000),
                                   milliseconds(2000)),
      cfg);
  ASSERT_TRUE(collector->Collect().success);
  server_.Cli({"ECHO", "cerniq-monitor-end"});

  const std::set<std::string> reads = {"LLEN",   "ZCARD",  "HEXISTS", "HGET", "HMGET",  "GET",
                                       "LRANGE", "LINDEX", "CLIENT",  "SCAN", "SELECT", "ECHO"};
  std::vector<std::string> seen;
  for (int i = 0; i < 100000; ++i) {
    redisReply* r = nullptr;
    if (redisGetReply(monitor, reinterpret_cast<void**>(&r)) != REDIS_OK) break;
    std::string line(r->str, r->len);
    freeReplyObject(r);
    if (line.find("cerniq-monitor-end") != std::string::npos) break;
    size_t q = line.find("] \"");
    if (q == std::string::npos) continue;
    seen.push_back(line.substr(q + 3, line.find('"', q + 3) - (q + 3)));
  }
  redisFree(monitor);
  ASSERT_GT(seen.size(), queues_.size() * 10) << "MONITOR captured too little to judge";
  for (const auto& cmd : seen) {
    std::string upper = cmd;
    for (auto& ch : upper) ch = static_cast<char>(toupper(ch));
    EXPECT_TRUE(reads.contains(upper)) << "non-read command sent: " << cmd;
  }
  // The pass really ran through this monitor: every kind of read shows up.
  for (const char* expected :
       {"LLEN", "ZCARD", "HEXISTS", "HGET", "GET", "LINDEX", "HMGET", "SCAN"}) {
    EXPECT_NE(std::find(seen.begin(), seen.end(), expected), seen.end()) << expected;
  }
}

// A legacy `0:` marker at the tail of wait (pre-v5 BullMQ) is subtracted, never popped.
TEST_P(BullmqIntegration, LegacyMarkerIsSubtractedNotPopped) {
  auto collector = MakeCollector();
  auto before = collector->Collect();
  ASSERT_TRUE(before.success);
  server_.Cli({"-n", "3", "RPUSH", "bull:graph:wait", "0:1234"});
  auto after = collector->Collect();
  ASSERT_TRUE(after.success);
  EXPECT_EQ(ValueOf(after.families, "bullmq_queue_waiting", {{"queue", "graph"}}),
            ValueOf(before.families, "bullmq_queue_waiting", {{"queue", "graph"}}));
  EXPECT_EQ(server_.Cli({"-n", "3", "LINDEX", "bull:graph:wait", "-1"}), "0:1234\n");
  EXPECT_GT(
      *ValueOf(after.families, "bullmq_queue_oldest_waiting_age_seconds", {{"queue", "graph"}}),
      0.0);
}

// A list that was empty at the last pass is not read at its tail in the first round trip; when it
// fills, the pass reads the tail in a further round trip, and the age is still right.
TEST_P(BullmqIntegration, ListThatFillsBetweenPassesGetsItsAge) {
  auto collector = MakeCollector({"fresh"});
  ASSERT_TRUE(collector->Collect().success);
  ASSERT_TRUE(collector->Collect().success);
  EXPECT_EQ(collector->last_pass_round_trips(), 1u);
  auto ms =
      std::chrono::duration_cast<milliseconds>(std::chrono::system_clock::now().time_since_epoch())
          .count();
  server_.Cli(
      {"-n", "3", "HSET", "bull:fresh:1", "timestamp", std::to_string(ms - 30000), "delay", "0"});
  server_.Cli({"-n", "3", "LPUSH", "bull:fresh:paused", "1"});
  auto filled = collector->Collect();
  ASSERT_TRUE(filled.success);
  EXPECT_EQ(collector->last_pass_round_trips(), 3u) << "counts, then the tail, then its hash";
  std::vector<std::pair<std::string, std::string>> fresh = {{"queue", "fresh"}};
  EXPECT_EQ(ValueOf(filled.families, "bullmq_queue_waiting", fresh), 1.0);
  EXPECT_NEAR(*ValueOf(filled.families, "bullmq_queue_oldest_waiting_age_seconds", fresh), 30.0,
              5.0);
  auto steady = collector->Collect();
  EXPECT_EQ(collector->last_pass_round_trips(), 1u);
  EXPECT_NEAR(*ValueOf(steady.families, "bullmq_queue_oldest_waiting_age_seconds", fresh), 30.0,
              5.0);
  server_.Cli({"-n", "3", "DEL", "bull:fresh:paused"});
  auto emptied = collector->Collect();
  EXPECT_EQ(ValueOf(emptied.families, "bullmq_queue_waiting", fresh), 0.0);
  EXPECT_EQ(ValueOf(emptied.families, "bullmq_queue_oldest_waiting_age_seconds", fresh), 0.0);
}

TEST_P(BullmqIntegration, DiscoveryFindsQueuesNotInTheConfig) {
  config::BullmqConfig cfg;
  cfg.prefixes.push_back({"bull", {"lifecycle"}, /*discover=*/true});
  std::string error;
  BullmqCollector collector(std::make_unique<Connection>(*ParseRedisUrl(server_.url(3), error),
                                                         milliseconds(2000), milliseconds(2000)),
                            cfg);
  auto result = collector.Collect();
  ASSERT_TRUE(result.success) << result.error;
  for (const auto& q : queues_) {
    EXPECT_EQ(CountOf(result.families, "bullmq_queue_waiting", {{"queue", q}}), 1u) << q;
  }
  // The decoy worker's queue "alerts2" never had a Queue meta written by an add: BullMQ writes
  // meta on the first add or on `new Queue`; workers alone do not create it.
  EXPECT_EQ(CountOf(result.families, "bullmq_queue_waiting", {{"prefix", "bull-other"}}), 0u);
}

INSTANTIATE_TEST_SUITE_P(Versions, BullmqIntegration, ::testing::Values("v5", "v6"),
                         [](const auto& info) { return "bullmq_" + info.param; });

}  // namespace
}  // namespace cerniq::collect::redis
