// The admin diagnosis endpoints end to end (router + RedisAdminReader + a real redis-server)
// against queue state made by the real bullmq package (5.x and 6.x), compared with BullMQ's own
// getWorkers() and getFailed(0, n-1) (tests/bullmq/admin_oracle.cjs).

#include <filesystem>
#include <nlohmann/json.hpp>
#include <set>

#include <gtest/gtest.h>

#include "collect/redis/admin_reader_redis.h"
#include "collect/redis/connection.h"
#include "collect/redis/redis_url.h"
#include "http/admin_routes.h"
#include "support/redis_server.h"
#include "support/subprocess.h"
#include "support/wait.h"

namespace cerniq::collect::redis {
namespace {

using std::chrono::milliseconds;

std::string BullmqDir(const std::string& version) {
  return cerniq::testing::EnvOr("CERNIQ_BULLMQ_DIR", CERNIQ_SOURCE_DIR "/tests/bullmq") + "/" +
         version;
}

class AdminReaderIntegration : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    if (!std::filesystem::exists(BullmqDir(GetParam()) + "/node_modules/bullmq")) {
      GTEST_SKIP() << "bullmq " << GetParam() << " not installed in " << BullmqDir(GetParam());
    }
    ASSERT_TRUE(server_.Start()) << "redis-server did not start";
    oracle_ = std::make_unique<cerniq::testing::Subprocess>(
        std::vector<std::string>{"node", CERNIQ_SOURCE_DIR "/tests/bullmq/admin_oracle.cjs",
                                 BullmqDir(GetParam()), server_.url(4), "bull", "churn"});
    ASSERT_TRUE(oracle_->ReadUntil("READY", milliseconds(90000))) << "admin_oracle did not start";
    std::string error;
    auto address = ParseRedisUrl(server_.url(4), error);
    ASSERT_TRUE(address) << error;
    context_.configured_queues = {{"bull", "churn"}, {"bull", "empty"}};
    context_.admin_reader = std::make_shared<RedisAdminReader>(
        std::make_unique<Connection>(*address, milliseconds(2000), milliseconds(2000)));
  }

  void TearDown() override {
    if (oracle_) {
      oracle_->WriteLine("QUIT");
      oracle_->Wait(milliseconds(15000));
    }
  }

  nlohmann::json Oracle(int n) {
    oracle_->WriteLine("ORACLE " + std::to_string(n));
    auto line = oracle_->ReadUntil("ORACLE ", milliseconds(30000));
    EXPECT_TRUE(line.has_value());
    return nlohmann::json::parse(line.value_or("{}"));
  }

  nlohmann::json Get(const std::string& path, const std::string& query, int want_status) {
    auto r = http::HandleAdminRead({"GET", path, query}, context_);
    EXPECT_TRUE(r.has_value()) << path;
    if (!r) return {};
    EXPECT_EQ(r->status, want_status) << path << "?" << query << ": " << r->body;
    return nlohmann::json::parse(r->body);
  }

  cerniq::testing::RedisServer server_;
  std::unique_ptr<cerniq::testing::Subprocess> oracle_;
  http::RouteContext context_;
};

TEST_P(AdminReaderIntegration, WorkersEqualBullmqsGetWorkers) {
  const nlohmann::json ours = Get("/api/admin/workers/churn", "", 200)["workers"];
  const nlohmann::json theirs = Oracle(1)["workers"];
  ASSERT_EQ(ours.size(), 3u) << ours.dump();  // unnamed, w-a, w:b; no decoys
  ASSERT_EQ(ours.size(), theirs.size()) << theirs.dump();
  std::set<std::string> raw_names;
  for (const auto& w : ours) {
    const auto same = std::find_if(theirs.begin(), theirs.end(),
                                   [&](const auto& t) { return t["id"] == w["id"]; });
    ASSERT_NE(same, theirs.end()) << w.dump();
    // Every field BullMQ returns, with the same value where it does not move between two reads.
    for (const auto& [key, value] : same->items()) {
      ASSERT_TRUE(w.contains(key)) << key;
      if (key == "age" || key == "idle") {
        EXPECT_LE(
            std::abs(std::stoll(w[key].get<std::string>()) - std::stoll(value.get<std::string>())),
            2)
            << key;
      } else if (key == "id" || key == "addr" || key == "laddr" || key == "fd" || key == "name" ||
                 key == "rawname" || key == "db" || key == "user" || key == "resp") {
        EXPECT_EQ(w[key], value) << key;
      }
    }
    EXPECT_EQ(w.size(), same->size()) << w.dump();
    raw_names.insert(w["rawname"].get<std::string>());
  }
  EXPECT_EQ(raw_names,
            (std::set<std::string>{"bull:Y2h1cm4=", "bull:Y2h1cm4=:w:w-a", "bull:Y2h1cm4=:w:w:b"}));
  EXPECT_EQ(Get("/api/admin/workers/empty", "", 200)["workers"].size(), 0u);
}

TEST_P(AdminReaderIntegration, FailedJobsEqualBullmqsGetFailed) {
  for (int n : {3, 20, 100}) {
    const nlohmann::json ours =
        Get("/api/admin/queues/churn/failed", n == 20 ? "" : "limit=" + std::to_string(n), 200);
    const nlohmann::json theirs = Oracle(n)["failed"];
    EXPECT_EQ(ours, theirs) << "limit " << n << "\nours:   " << ours.dump()
                            << "\ntheirs: " << theirs.dump();
  }
  // 20 failed jobs in all, some retried: their latest trace is the one shown.
  const nlohmann::json all = Get("/api/admin/queues/churn/failed", "limit=100", 200);
  ASSERT_EQ(all.size(), 20u);
  bool retried = false;
  for (const auto& j : all) {
    retried = retried || j["attemptsMade"] == 2;
    EXPECT_EQ("Error: " + j["failedReason"].get<std::string>().substr(
                              0, j["failedReason"].get<std::string>().find('\n')),
              j["stacktrace"]);
  }
  EXPECT_TRUE(retried);
  EXPECT_EQ(Get("/api/admin/queues/empty/failed", "", 200), nlohmann::json::array());
  EXPECT_EQ(Get("/api/admin/queues/nope/failed", "", 404)["error"],
            "queue \"nope\" is not a configured queue");
}

TEST_P(AdminReaderIntegration, AFrozenRedisIsA503WithinTheTimeout) {
  server_.Freeze();
  const auto start = std::chrono::steady_clock::now();
  EXPECT_TRUE(Get("/api/admin/workers/churn", "", 503).contains("error"));
  EXPECT_TRUE(Get("/api/admin/queues/churn/failed", "", 503).contains("error"));
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(10));
  server_.Thaw();
}

INSTANTIATE_TEST_SUITE_P(Bullmq, AdminReaderIntegration, ::testing::Values("v5", "v6"));

}  // namespace
}  // namespace cerniq::collect::redis
