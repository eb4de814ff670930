#include "http/routes.h"

#include <nlohmann/json.hpp>

#include <atomic>
#include <chrono>
#include <thread>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "collect/families.h"

namespace cerniq::http {
namespace {

using ::testing::HasSubstr;

collect::CollectorState BullmqState(bool success) {
  collect::CollectorState s;
  s.name = "bullmq";
  s.source = "redis";
  s.finished_first_pass = true;
  s.success = s.source_reached = success;
  if (!success) return s;
  for (auto [name, churn, hitl] :
       {std::tuple{"bullmq_queue_waiting", 120.0, 3.0}, std::tuple{"bullmq_queue_active", 2.0, 0.0},
        std::tuple{"bullmq_queue_failed", 4.0, 1.0}, std::tuple{"bullmq_queue_paused", 0.0, 1.0}}) {
    auto f = collect::MakeFamily(name);
    collect::AddSample(f, {{"prefix", "bull"}, {"queue", "churn"}}, churn);
    collect::AddSample(f, {{"prefix", "bull"}, {"queue", "hitl"}}, hitl);
    s.families.push_back(f);
  }
  return s;
}

class RoutesTest : public ::testing::Test {
 protected:
  RoutesTest() {
    RouteContext ctx;
    ctx.configured_queues = {{"bull", "churn"}, {"bull", "hitl"}};
    store_.Register("bullmq", "redis");
    router_ = std::make_unique<Router>(ctx, store_);
  }
  Response Get(const std::string& path) { return router_->Handle({"GET", path, ""}); }
  collect::SnapshotStore store_;
  std::unique_ptr<Router> router_;
};

TEST_F(RoutesTest, ReadyOnlyAfterTheFirstPass) {
  EXPECT_EQ(Get("/-/ready").status, 503);
  store_.Publish(BullmqState(false));
  EXPECT_EQ(Get("/-/ready").status, 200);
}

TEST_F(RoutesTest, HealthEndpointsAnswerTheRunbooksJson) {
  EXPECT_EQ(Get("/health").body, R"({"status":"healthy"})");
  EXPECT_EQ(Get("/health").content_type, "application/json");
  EXPECT_EQ(Get("/health/redis").body, R"({"connected":false})");
  EXPECT_EQ(Get("/health/redis").status, 503);
  store_.Publish(BullmqState(true));
  EXPECT_EQ(Get("/health/redis").body, R"({"connected":true})");
  EXPECT_EQ(Get("/health/redis").status, 200);
  EXPECT_EQ(Get("/health/db").body, R"({"connected":false,"enabled":false})");
}

TEST_F(RoutesTest, QueuesJsonPerConfiguredQueueWithThresholds) {
  store_.Publish(BullmqState(true));
  auto doc = nlohmann::json::parse(Get("/api/admin/queues/etapa5").body);
  ASSERT_EQ(doc["queues"].size(), 2u);
  auto churn = doc["queues"][0];
  EXPECT_EQ(churn["name"], "churn");
  EXPECT_TRUE(churn["waiting"].is_number_integer());
  EXPECT_EQ(churn["waiting"], 120);
  EXPECT_EQ(churn["active"], 2);
  EXPECT_EQ(churn["failed"], 4);
  EXPECT_EQ(churn["paused"], false);
  EXPECT_EQ(churn["healthy"], false) << "120 waiting is over churn's 50";
  EXPECT_EQ(churn["thresholds"]["waiting_below"], 50);
  auto hitl = doc["queues"][1];
  EXPECT_EQ(hitl["paused"], true);
  EXPECT_EQ(hitl["healthy"], false) << "hitl allows no failure";
}

TEST_F(RoutesTest, QueuesWithoutDataSayUnavailableNotZero) {
  auto doc = nlohmann::json::parse(Get("/api/admin/queues/etapa5").body);
  EXPECT_EQ(doc["queues"][0]["available"], false);
  EXPECT_FALSE(doc["queues"][0].contains("waiting"));
}

TEST_F(RoutesTest, MetricsAndErrors) {
  store_.Publish(BullmqState(true));
  Response m = Get("/metrics");
  EXPECT_EQ(m.content_type, "text/plain; version=0.0.4; charset=utf-8");
  EXPECT_THAT(m.Body(), HasSubstr("bullmq_queue_waiting{prefix=\"bull\",queue=\"churn\"} 120\n"));
  EXPECT_EQ(Get("/nope").status, 404);
  EXPECT_EQ(router_->Handle({"POST", "/metrics", ""}).status, 405);
  EXPECT_THAT(Get("/").body, HasSubstr("href=\"/metrics\""));
}

TEST(ApiRoutes, ApiV1GoesToTheApiWithItsStorage) {
  collect::SnapshotStore store;
  EXPECT_EQ(Router(RouteContext{}, store).Handle({"GET", "/api/v1/query", "query=1"}).status, 503);
  RouteContext ctx;
  ctx.storage = [](int64_t, int64_t) {
    auto copy = std::make_unique<promql::MemoryStorage>();
    copy->Append(promql::Labels{{"__name__", "up"}}, 1000, 1);
    return std::unique_ptr<promql::Storage>(std::move(copy));
  };
  Router router(ctx, store);
  Response r = router.Handle(
      {"POST", "/api/v1/query", "", "query=up&time=1", "application/x-www-form-urlencoded"});
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.content_type, "application/json");
  EXPECT_EQ(
      r.body,
      R"({"status":"success","data":{"resultType":"vector","result":[{"metric":{"__name__":"up"},"value":[1,"1"]}]}})");
  EXPECT_EQ(router.Handle({"POST", "/metrics", ""}).status, 405);
}

// An alert's generatorURL (<external URL>/graph?g0.expr=...&g0.tab=1) lands on the query API.
TEST(GraphRoute, GeneratorUrlRedirectsToTheQueryApi) {
  collect::SnapshotStore store;
  RouteContext ctx;
  ctx.link_prefix = "/cerniq";
  Router router(ctx, store);
  Response r = router.Handle({"GET", "/graph", "g0.expr=sum%28up%29+%3E+0&g0.tab=1"});
  EXPECT_EQ(r.status, 302);
  EXPECT_EQ(r.headers["Location"], "/cerniq/api/v1/query?query=sum%28up%29+%3E+0");
  EXPECT_EQ(r.body, "<a href=\"/cerniq/api/v1/query?query=sum%28up%29+%3E+0\">Found</a>.\n");
  EXPECT_EQ(router.Handle({"GET", "/graph", ""}).headers["Location"], "/cerniq/");
}

// A provider of one gauge whose value counts its calls.
RouteContext::FamiliesProvider CountingGauge(std::atomic<int>& calls) {
  return [&calls] {
    prometheus::MetricFamily f;
    f.name = "cerniq_notifications_queue_length";
    f.help = "The number of alert notifications in the queue.";
    f.type = prometheus::MetricType::Gauge;
    prometheus::ClientMetric m;
    m.gauge.value = ++calls;
    f.metric.push_back(m);
    return std::vector<prometheus::MetricFamily>{f};
  };
}

// The contract changed deliberately (issue 12): the extra families used to be rendered at every
// scrape, which with 200 scrapers meant rendering and gzipping the same body thousands of times a
// second (35k -> 22k requests/s). Prometheus scrapes every 15 s or more, so values up to
// extra_families_max_age (1 s) old are as good as fresh. Now they are rendered again only when
// the snapshot changes, after POST /-/reload (an operator checks the reload's outcome at once) or
// when the rendering is that old; in between, scrapes share one body.
TEST(MetricsRoute, ExtraFamiliesAreAtMostMaxAgeOldAndFollowTheSnapshot) {
  collect::SnapshotStore store;
  store.Register("bullmq", "redis");
  std::atomic<int> calls = 0;
  auto now = std::chrono::steady_clock::time_point{} + std::chrono::hours(1);
  RouteContext ctx;
  ctx.extra_families.push_back(CountingGauge(calls));
  ctx.steady_now = [&now] { return now; };
  ctx.enable_lifecycle = true;
  ctx.reload = [] { return std::string(); };
  Router router(ctx, store);
  auto scrape = [&router] { return router.Handle({"GET", "/metrics", ""}); };
  Response first = scrape();
  EXPECT_THAT(first.Body(), HasSubstr("\ncerniq_notifications_queue_length 1\n"));
  now += std::chrono::milliseconds(999);
  Response second = scrape();
  EXPECT_EQ(second.shared_body, first.shared_body) << "within 1 s: the same rendering";
  EXPECT_EQ(calls, 1);
  now += std::chrono::milliseconds(1);
  EXPECT_THAT(scrape().Body(), HasSubstr("\ncerniq_notifications_queue_length 2\n"))
      << "1 s old: rendered again";
  store.Publish(BullmqState(true));
  Response published = scrape();
  EXPECT_THAT(published.Body(), HasSubstr("\ncerniq_notifications_queue_length 3\n"))
      << "a new snapshot: rendered again at once";
  EXPECT_THAT(published.Body(),
              HasSubstr("bullmq_queue_waiting{prefix=\"bull\",queue=\"churn\"} 120\n"));
  EXPECT_EQ(published.body, "") << "the body is shared, not copied";
  EXPECT_EQ(router.Handle({"POST", "/-/reload", ""}).status, 200);
  EXPECT_THAT(scrape().Body(), HasSubstr("\ncerniq_notifications_queue_length 4\n"))
      << "after POST /-/reload the next scrape shows the reload's outcome";
}

// Many server threads scrape at once: one rendering serves them all (the others wait for it).
TEST(MetricsRoute, ConcurrentScrapersShareOneRendering) {
  collect::SnapshotStore store;
  std::atomic<int> calls = 0;
  RouteContext ctx;
  ctx.extra_families.push_back(CountingGauge(calls));
  auto fixed = std::chrono::steady_clock::now();
  ctx.steady_now = [fixed] { return fixed; };
  Router router(ctx, store);
  std::vector<std::shared_ptr<const std::string>> bodies(8);
  std::vector<std::thread> threads;
  for (auto& body : bodies) {
    threads.emplace_back([&router, &body] {
      for (int i = 0; i < 200; ++i) body = router.Handle({"GET", "/metrics", ""}).shared_body;
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(calls, 1);
  for (const auto& body : bodies) EXPECT_EQ(body, bodies.front());
}

// The lifecycle API as Prometheus 2.42's web.go: 403 without --web.enable-lifecycle, 405 on
// GET, 500 with the error when the reload fails.
TEST(LifecycleRoutes, ReloadOnlyWithTheFlagAndOnlyByPostOrPut) {
  collect::SnapshotStore store;
  int reloads = 0;
  std::string outcome;
  RouteContext ctx;
  ctx.reload = [&] {
    ++reloads;
    return outcome;
  };
  Router off(ctx, store);
  Response forbidden = off.Handle({"POST", "/-/reload", ""});
  EXPECT_EQ(forbidden.status, 403);
  EXPECT_EQ(forbidden.body, "Lifecycle API is not enabled.");
  EXPECT_EQ(reloads, 0);
  Response get = off.Handle({"GET", "/-/reload", ""});
  EXPECT_EQ(get.status, 405);
  EXPECT_EQ(get.body, "Only POST or PUT requests allowed");

  ctx.enable_lifecycle = true;
  Router on(ctx, store);
  EXPECT_EQ(on.Handle({"POST", "/-/reload", ""}).status, 200);
  EXPECT_EQ(on.Handle({"PUT", "/-/reload", ""}).status, 200);
  EXPECT_EQ(on.Handle({"GET", "/-/reload", ""}).status, 405);
  EXPECT_EQ(reloads, 2);
  outcome = "r.yaml: 5:15: parse error";
  Response failed = on.Handle({"POST", "/-/reload", ""});
  EXPECT_EQ(failed.status, 500);
  EXPECT_EQ(failed.body, "failed to reload config: r.yaml: 5:15: parse error\n");
}

}  // namespace
}  // namespace cerniq::http
