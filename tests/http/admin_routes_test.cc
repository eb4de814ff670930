// /api/admin/workers/<queue> and /api/admin/queues/<queue>/failed with a fake AdminReader: which
// queue and limit reach the reader, the 400/404/503 answers, JSON escaping.
#include "http/admin_routes.h"

#include <nlohmann/json.hpp>

#include <gtest/gtest.h>

namespace cerniq::http {
namespace {

class FakeReader : public collect::AdminReader {
 public:
  bool Workers(const std::string& prefix, const std::string& queue,
               std::vector<collect::ClientEntry>& out, std::string& error) override {
    calls.push_back("workers " + prefix + " " + queue);
    if (fail) return error = "redis down", false;
    out = {{{"id", "7"},
            {"addr", "127.0.0.1:5000"},
            {"name", queue},
            {"age", "3"},
            {"idle", "0"},
            {"rawname", prefix + ":Y2h1cm4=:w:w\"1\\"}}};
    return true;
  }
  bool FailedJobs(const std::string& prefix, const std::string& queue, int limit,
                  std::vector<collect::FailedJob>& out, std::string& error) override {
    calls.push_back("failed " + prefix + " " + queue + " " + std::to_string(limit));
    if (fail) return error = "redis down", false;
    collect::FailedJob j;
    j.id = "12";
    j.name = "score";
    j.failed_reason = "bad \"input\"\n<x>";
    j.attempts_made = 2;
    j.timestamp = 1700000000000;
    j.stack_first_line = "Error: bad \"input\"";
    out = {j};
    return true;
  }
  std::vector<std::string> calls;
  bool fail = false;
};

class AdminRoutesTest : public ::testing::Test {
 protected:
  AdminRoutesTest() {
    context_.configured_queues = {{"bull", "churn"}, {"{bull}", "churn"}, {"bull", "a b"}};
    context_.admin_reader = reader_;
  }
  Response Get(const std::string& path, const std::string& query = "") {
    auto r = HandleAdminRead({"GET", path, query}, context_);
    return r.value_or(Response{-1, "", "not an admin route", {}});
  }
  std::shared_ptr<FakeReader> reader_ = std::make_shared<FakeReader>();
  RouteContext context_;
};

TEST_F(AdminRoutesTest, WorkersOfAConfiguredQueue) {
  auto r = Get("/api/admin/workers/churn");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.content_type, "application/json");
  EXPECT_EQ(r.body,
            R"({"workers":[{"id":"7","addr":"127.0.0.1:5000","name":"churn","age":"3","idle":"0",)"
            R"("rawname":"bull:Y2h1cm4=:w:w\"1\\"}]})");
  EXPECT_EQ(nlohmann::json::parse(r.body)["workers"][0]["rawname"], "bull:Y2h1cm4=:w:w\"1\\");
  // ?prefix= picks among prefixes; a %-escaped queue name is decoded.
  EXPECT_EQ(Get("/api/admin/workers/churn", "prefix=%7Bbull%7D").status, 200);
  EXPECT_EQ(Get("/api/admin/workers/a%20b").status, 200);
  EXPECT_EQ(reader_->calls, (std::vector<std::string>{"workers bull churn", "workers {bull} churn",
                                                      "workers bull a b"}));
}

TEST_F(AdminRoutesTest, FailedJobsWithLimits) {
  auto r = Get("/api/admin/queues/churn/failed");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.body,
            R"([{"id":"12","name":"score","failedReason":"bad \"input\"\n<x>","attemptsMade":2,)"
            R"("timestamp":1700000000000,"finishedOn":null,"stacktrace":"Error: bad \"input\""}])");
  EXPECT_EQ(Get("/api/admin/queues/churn/failed", "limit=5").status, 200);
  EXPECT_EQ(Get("/api/admin/queues/churn/failed", "limit=100").status, 200);
  EXPECT_EQ(Get("/api/admin/queues/churn/failed", "limit=5000").status, 200);
  EXPECT_EQ(Get("/api/admin/queues/churn/failed", "limit=99999999999999999999").status, 200);
  EXPECT_EQ(reader_->calls,
            (std::vector<std::string>{"failed bull churn 20", "failed bull churn 5",
                                      "failed bull churn 100", "failed bull churn 100",
                                      "failed bull churn 100"}));
}

TEST_F(AdminRoutesTest, BadLimitIs400) {
  for (const char* q : {"limit=0", "limit=-3", "limit=abc", "limit=5x", "limit=2.5", "limit="}) {
    auto r = Get("/api/admin/queues/churn/failed", q);
    if (std::string(q) == "limit=") {
      EXPECT_EQ(r.status, 200) << q;  // empty: the default, as FormValue reads it
      continue;
    }
    EXPECT_EQ(r.status, 400) << q;
    EXPECT_EQ(r.content_type, "application/json");
    EXPECT_NE(nlohmann::json::parse(r.body)["error"].get<std::string>().find("limit must be"),
              std::string::npos);
  }
  EXPECT_EQ(reader_->calls.size(), 1u);
}

TEST_F(AdminRoutesTest, UnknownQueueIs404WithEscapedJson) {
  for (auto [path, query] :
       {std::pair{"/api/admin/workers/nope", ""}, std::pair{"/api/admin/queues/nope/failed", ""},
        std::pair{"/api/admin/workers/churn", "prefix=other"}}) {
    auto r = Get(path, query);
    EXPECT_EQ(r.status, 404) << path;
    EXPECT_EQ(r.content_type, "application/json");
  }
  auto r = Get("/api/admin/workers/%22%3Cq%3E%5C");
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(r.body, R"({"error":"queue \"\"<q>\\\" is not a configured queue"})");
  EXPECT_EQ(Get("/api/admin/workers/%zz").status, 400);
  EXPECT_TRUE(reader_->calls.empty());
}

TEST_F(AdminRoutesTest, ReadFailuresAndNoReaderAre503) {
  reader_->fail = true;
  auto r = Get("/api/admin/workers/churn");
  EXPECT_EQ(r.status, 503);
  EXPECT_EQ(r.body, R"({"error":"redis down"})");
  EXPECT_EQ(Get("/api/admin/queues/churn/failed").status, 503);
  context_.admin_reader = nullptr;
  EXPECT_EQ(Get("/api/admin/workers/churn").status, 503);
}

TEST_F(AdminRoutesTest, OtherPathsAreNotAdminReads) {
  for (const char* p : {"/api/admin/workers/", "/api/admin/workers/a/b", "/api/admin/queues/etapa5",
                        "/api/admin/queues//failed", "/api/admin/queues/churn/failedx",
                        "/api/admin/queues/failed"}) {
    EXPECT_EQ(Get(p).status, -1) << p;
  }
}

TEST(AdminRoutesRouter, TheRouterServesThem) {
  collect::SnapshotStore store;
  RouteContext ctx;
  ctx.configured_queues = {{"bull", "churn"}};
  ctx.admin_reader = std::make_shared<FakeReader>();
  Router router(ctx, store);
  EXPECT_EQ(router.Handle({"GET", "/api/admin/workers/churn", ""}).status, 200);
  EXPECT_EQ(router.Handle({"GET", "/api/admin/workers/x", ""}).status, 404);
  EXPECT_EQ(router.Handle({"GET", "/api/admin/queues/etapa5", ""}).status, 200);
}

}  // namespace
}  // namespace cerniq::http
