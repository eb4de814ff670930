// Redis faults: not there at start, killed, restarted, hung (SIGSTOP), AUTH/SELECT after a
// restart, CLIENT refused by ACL. The exporter pieces run in-process with a real HTTP server;
// every wait is bounded.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "collect/redis/bullmq_collector.h"
#include "collect/redis/llm_rate_limit_collector.h"
#include "collect/runner.h"
#include "family_values.h"
#include "http/routes.h"
#include "http/server.h"
#include "support/http_get.h"
#include "support/redis_server.h"
#include "support/wait.h"

namespace cerniq::collect::redis {
namespace {

using std::chrono::milliseconds;
using ::testing::HasSubstr;

class RedisFaults : public ::testing::Test {
 protected:
  void StartExporter(const std::string& url) {
    config::BullmqConfig cfg;
    cfg.prefixes.push_back({"bull", {"churn", "sentiment"}, false});
    cfg.interval = milliseconds(100);
    std::string error;
    auto address = ParseRedisUrl(url, error);
    ASSERT_TRUE(address) << error;
    runner_ = std::make_unique<collect::Runner>(store_);
    runner_->Add(
        std::make_unique<BullmqCollector>(
            std::make_unique<Connection>(*address, milliseconds(500), milliseconds(500)), cfg),
        {cfg.interval});
    http::RouteContext ctx;
    ctx.configured_queues = {{"bull", "churn"}, {"bull", "sentiment"}};
    router_ = std::make_unique<http::Router>(ctx, store_);
    server_ = std::make_unique<http::Server>(http::ServerOptions{"127.0.0.1:0", 4}, *router_);
    runner_->Start();
  }

  void TearDown() override {
    server_.reset();
    if (runner_) runner_->Stop();
  }

  std::string Metrics() {
    auto r = cerniq::testing::HttpGet(
        "http://127.0.0.1:" + std::to_string(server_->port()) + "/metrics", milliseconds(2000));
    EXPECT_EQ(r.status, 200) << r.error;
    return r.body;
  }

  // Waits until a finished pass reports the source up (or down).
  bool WaitUp(bool up, milliseconds timeout = milliseconds(20000)) {
    std::string want = std::string("cerniq_up{source=\"redis\"} ") + (up ? "1" : "0");
    std::string pass_done = "cerniq_scrape_collector_success{collector=\"bullmq\"}";
    return cerniq::testing::WaitFor(
        [&] {
          std::string m = Metrics();
          return m.find(want) != std::string::npos && m.find(pass_done) != std::string::npos;
        },
        timeout, milliseconds(100));
  }

  collect::SnapshotStore store_;
  std::unique_ptr<collect::Runner> runner_;
  std::unique_ptr<http::Router> router_;
  std::unique_ptr<http::Server> server_;
};

TEST_F(RedisFaults, NotThereAtStartThenComesUp) {
  cerniq::testing::RedisServer redis;
  StartExporter(redis.url());
  EXPECT_TRUE(WaitUp(false));
  auto ready = cerniq::testing::HttpGet(
      "http://127.0.0.1:" + std::to_string(server_->port()) + "/-/ready", milliseconds(2000));
  EXPECT_EQ(ready.status, 200) << "a failed first pass still counts as finished";
  EXPECT_THAT(Metrics(), ::testing::Not(HasSubstr("bullmq_queue_waiting{")));
  EXPECT_THAT(Metrics(), HasSubstr("cerniq_scrape_collector_success{collector=\"bullmq\"} 0"));
  ASSERT_TRUE(redis.Start());
  EXPECT_TRUE(WaitUp(true));
  EXPECT_THAT(Metrics(), HasSubstr("bullmq_queue_waiting{prefix=\"bull\",queue=\"churn\"} 0"));
}

TEST_F(RedisFaults, KilledAndRestarted) {
  cerniq::testing::RedisServer redis;
  ASSERT_TRUE(redis.Start());
  StartExporter(redis.url());
  ASSERT_TRUE(WaitUp(true));
  redis.Kill();
  EXPECT_TRUE(WaitUp(false));
  EXPECT_THAT(Metrics(), ::testing::Not(HasSubstr("bullmq_queue_waiting{")))
      << "values of a failed pass must not be served as fresh";
  ASSERT_TRUE(redis.Start());
  EXPECT_TRUE(WaitUp(true));
}

TEST_F(RedisFaults, HungServerDoesNotBlockScrapes) {
  cerniq::testing::RedisServer redis;
  ASSERT_TRUE(redis.Start());
  StartExporter(redis.url());
  ASSERT_TRUE(WaitUp(true));
  redis.Freeze();
  // Scrapes keep answering (Metrics() asserts 200 within 2 s) while the read times out.
  EXPECT_TRUE(WaitUp(false));
  for (int i = 0; i < 5; ++i) Metrics();
  redis.Thaw();
  EXPECT_TRUE(WaitUp(true));
}

TEST_F(RedisFaults, AuthAndSelectAreReplayedAfterARestart) {
  cerniq::testing::RedisServer redis({"--requirepass", "s3cret"});
  ASSERT_TRUE(redis.Start());
  auto cli = [&](std::vector<std::string> args) {
    args.insert(args.begin(), {"-a", "s3cret", "--no-auth-warning", "-n", "5"});
    return redis.Cli(args);
  };
  cli({"RPUSH", "bull:churn:wait", "1", "2", "3"});
  StartExporter("redis://:s3cret@127.0.0.1:" + std::to_string(redis.port()) + "/5");
  std::string three = "bullmq_queue_waiting{prefix=\"bull\",queue=\"churn\"} 3";
  ASSERT_TRUE(cerniq::testing::WaitFor([&] { return Metrics().find(three) != std::string::npos; },
                                       milliseconds(20000)));
  redis.Kill();
  ASSERT_TRUE(WaitUp(false));
  ASSERT_TRUE(redis.Start());
  cli({"RPUSH", "bull:churn:wait", "1", "2", "3"});
  EXPECT_TRUE(cerniq::testing::WaitFor([&] { return Metrics().find(three) != std::string::npos; },
                                       milliseconds(20000)))
      << Metrics();
  EXPECT_THAT(Metrics(), ::testing::Not(HasSubstr("s3cret")));
}

TEST_F(RedisFaults, WrongPasswordIsAFailedPassNotACrash) {
  cerniq::testing::RedisServer redis({"--requirepass", "right"});
  ASSERT_TRUE(redis.Start());
  StartExporter("redis://:pw-guess-123@127.0.0.1:" + std::to_string(redis.port()) + "/0");
  EXPECT_TRUE(WaitUp(false));
  std::string error;
  // The first attempt may also meet a connection the server resets; wait for the AUTH answer.
  EXPECT_TRUE(cerniq::testing::WaitFor(
      [&] {
        error = store_.Current()->collectors.at("bullmq")->error;
        return error.find("WRONGPASS") != std::string::npos;
      },
      milliseconds(20000)))
      << error;
  EXPECT_THAT(error, ::testing::Not(HasSubstr("pw-guess-123")));
}

TEST(RedisAcl, ClientListRefusedGivesNoWorkerMetricButEverythingElse) {
  cerniq::testing::RedisServer redis;
  ASSERT_TRUE(redis.Start());
  redis.Cli({"ACL", "SETUSER", "limited", "on", ">pw", "~*", "+@all", "-client"});
  redis.Cli({"RPUSH", "bull:churn:wait", "a", "b"});
  config::BullmqConfig cfg;
  cfg.prefixes.push_back({"bull", {"churn"}, false});
  std::string error;
  BullmqCollector collector(
      std::make_unique<Connection>(
          *ParseRedisUrl("redis://limited:pw@127.0.0.1:" + std::to_string(redis.port()), error),
          milliseconds(1000), milliseconds(1000)),
      cfg);
  auto result = collector.Collect();
  ASSERT_TRUE(result.success) << result.error;
  EXPECT_EQ(cerniq::testing::CountOf(result.families, "bullmq_workers_active", {}), 0u);
  EXPECT_EQ(cerniq::testing::ValueOf(result.families, "bullmq_queue_waiting", {{"queue", "churn"}}),
            2.0);
}

TEST(RedisKeys, WrongTypeNamesTheKey) {
  cerniq::testing::RedisServer redis;
  ASSERT_TRUE(redis.Start());
  redis.Cli({"SET", "bull:churn:wait", "not a list"});
  config::BullmqConfig cfg;
  cfg.prefixes.push_back({"bull", {"churn"}, false});
  std::string error;
  BullmqCollector collector(std::make_unique<Connection>(*ParseRedisUrl(redis.url(), error),
                                                         milliseconds(1000), milliseconds(1000)),
                            cfg);
  auto result = collector.Collect();
  EXPECT_FALSE(result.success);
  EXPECT_TRUE(result.source_reached);
  EXPECT_THAT(result.error, HasSubstr("bull:churn:wait"));
  EXPECT_THAT(result.error, HasSubstr("WRONGTYPE"));
}

TEST(BullmqTimeout, APassOverItsTimeoutFailsWithTheBackendReached) {
  cerniq::testing::RedisServer redis;
  ASSERT_TRUE(redis.Start());
  config::BullmqConfig cfg;
  cfg.prefixes.push_back({"bull", {"churn"}, false});
  cfg.timeout = milliseconds(0);  // spent before the first round trip ends
  std::string error;
  BullmqCollector collector(std::make_unique<Connection>(*ParseRedisUrl(redis.url(), error),
                                                         milliseconds(1000), milliseconds(1000)),
                            cfg);
  auto result = collector.Collect();
  EXPECT_FALSE(result.success);
  EXPECT_TRUE(result.source_reached);
  EXPECT_TRUE(result.families.empty());
  EXPECT_THAT(result.error, HasSubstr("bullmq.timeout"));
}

}  // namespace
}  // namespace cerniq::collect::redis

namespace cerniq::collect::redis {
namespace {

TEST(LlmRateLimit, AbsentKeyNoSeriesNumberValueGarbageError) {
  cerniq::testing::RedisServer redis;
  ASSERT_TRUE(redis.Start());
  std::string error;
  LlmRateLimitCollector collector(std::make_unique<Connection>(*ParseRedisUrl(redis.url(), error),
                                                               std::chrono::milliseconds(1000),
                                                               std::chrono::milliseconds(1000)),
                                  "anthropic:rate_limit:remaining");
  auto absent = collector.Collect();
  EXPECT_TRUE(absent.success);
  EXPECT_TRUE(absent.families.empty()) << "an absent key is no series, not 0";
  redis.Cli({"SET", "anthropic:rate_limit:remaining", "37"});
  auto present = collector.Collect();
  ASSERT_TRUE(present.success);
  EXPECT_EQ(cerniq::testing::ValueOf(present.families, "llm_rate_limit_remaining", {}), 37.0);
  redis.Cli({"SET", "anthropic:rate_limit:remaining", "lots"});
  auto garbage = collector.Collect();
  EXPECT_FALSE(garbage.success);
  EXPECT_THAT(garbage.error, ::testing::HasSubstr("does not hold a number"));
}

}  // namespace
}  // namespace cerniq::collect::redis
