#include "notifier/manager.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "notifier/fake_http_server.h"
#include "notifier/payload.h"
#include "support/wait.h"

namespace cerniq::notifier {
namespace {

using namespace std::chrono_literals;
using testing::FakeHttpServer;
using testing::Reply;
using testing::Request;
using Clock = std::chrono::steady_clock;

Alert MakeAlert(const std::string& name) {
  Alert a;
  a.labels = {{"alertname", name}};
  a.starts_at_ms = 1700000000000;
  a.ends_at_ms = 1700000240000;
  return a;
}

std::vector<Alert> MakeAlerts(const std::string& prefix, int n) {
  std::vector<Alert> out;
  for (int i = 0; i < n; ++i) out.push_back(MakeAlert(prefix + std::to_string(i)));
  return out;
}

Options FastOptions(std::vector<std::string> urls) {
  Options o;
  o.alertmanager_urls = std::move(urls);
  o.timeout = 2s;
  o.backoff_initial = 20ms;
  o.backoff_max = 50ms;
  return o;
}

// Value of a family's sample (first with the given label value, or the only one).
double Metric(const Manager& m, std::string_view name, const std::string& label_value = "") {
  for (const auto& f : m.Families()) {
    if (f.name != name) continue;
    for (const auto& s : f.metric) {
      if (!label_value.empty() && (s.label.empty() || s.label[0].value != label_value)) continue;
      return f.type == prometheus::MetricType::Counter ? s.counter.value : s.gauge.value;
    }
  }
  return -1;
}

size_t AlertsIn(const Request& r) { return nlohmann::json::parse(r.body).size(); }

// The first request is held `hold` long, so the next Send()s pile up in the queue.
Reply HoldFirst(const Request&, std::atomic<int>& seen, std::chrono::milliseconds hold) {
  return Reply{200, seen++ == 0 ? hold : 0ms};
}

TEST(Manager, PostsPrometheusJsonToApiV2WithExternalLabels) {
  FakeHttpServer am;
  Options o = FastOptions({am.url() + "/"});
  o.external_labels = {{"cluster", "c1"}, {"severity", "ignored"}};
  Manager m(o);
  Alert a = MakeAlert("QueueBacklog");
  a.labels.push_back({"severity", "critical"});
  a.annotations = {{"summary", "waiting > 100"}};
  m.Send({a});
  ASSERT_TRUE(cerniq::testing::WaitFor([&] { return am.request_count() == 1; }, 5s));
  Request r = am.requests()[0];
  EXPECT_EQ(r.method, "POST");
  EXPECT_EQ(r.path, "/api/v2/alerts");
  EXPECT_NE(r.headers.find("content-type: application/json"), std::string::npos);
  a.labels = {{"alertname", "QueueBacklog"}, {"cluster", "c1"}, {"severity", "critical"}};
  const std::vector<Alert> expected{a};
  EXPECT_EQ(r.body, EncodeAlerts(expected));
  ASSERT_TRUE(cerniq::testing::WaitFor(
      [&] {
        return Metric(m, "cerniq_notifications_sent_total", am.url() + "/api/v2/alerts") == 1;
      },
      2s));
  EXPECT_EQ(Metric(m, "cerniq_notifications_errors_total"), 0);
  EXPECT_EQ(Metric(m, "cerniq_notifications_dropped_total"), 0);
  EXPECT_EQ(Metric(m, "cerniq_notifications_queue_capacity"), 10000);
  EXPECT_EQ(Metric(m, "cerniq_notifications_alertmanagers_discovered"), 1);
}

TEST(Manager, SendsBatchesOfAtMost64) {
  std::atomic<int> seen{0};
  FakeHttpServer am([&](const Request& r) { return HoldFirst(r, seen, 300ms); });
  Manager m(FastOptions({am.url()}));
  m.Send({MakeAlert("first")});
  ASSERT_TRUE(cerniq::testing::WaitFor([&] { return seen == 1; }, 5s));
  m.Send(MakeAlerts("a", 100));
  m.Send(MakeAlerts("b", 30));
  EXPECT_EQ(m.QueueLength(), 130u);
  ASSERT_TRUE(cerniq::testing::WaitFor([&] { return am.request_count() == 4; }, 5s));
  auto requests = am.requests();
  EXPECT_EQ(AlertsIn(requests[0]), 1u);
  EXPECT_EQ(AlertsIn(requests[1]), 64u);
  EXPECT_EQ(AlertsIn(requests[2]), 64u);
  EXPECT_EQ(AlertsIn(requests[3]), 2u);
  EXPECT_EQ(nlohmann::json::parse(requests[3].body)[1]["labels"]["alertname"], "b29");
}

TEST(Manager, FullQueueDropsTheOldestAndCountsThem) {
  std::atomic<int> seen{0};
  FakeHttpServer am([&](const Request& r) { return HoldFirst(r, seen, 300ms); });
  Options o = FastOptions({am.url()});
  o.queue_capacity = 10;
  Manager m(o);
  m.Send({MakeAlert("first")});
  ASSERT_TRUE(cerniq::testing::WaitFor([&] { return seen == 1; }, 5s));
  m.Send(MakeAlerts("a", 6));
  m.Send(MakeAlerts("b", 6));   // drops a0, a1
  m.Send(MakeAlerts("c", 12));  // larger than the queue: drops c0, c1, then everything queued
  EXPECT_EQ(m.QueueLength(), 10u);
  EXPECT_EQ(Metric(m, "cerniq_notifications_queue_length"), 10);
  EXPECT_EQ(Metric(m, "cerniq_notifications_dropped_total"), 2 + 2 + 10);
  ASSERT_TRUE(cerniq::testing::WaitFor([&] { return am.request_count() == 2; }, 5s));
  auto batch = nlohmann::json::parse(am.requests()[1].body);
  ASSERT_EQ(batch.size(), 10u);
  EXPECT_EQ(batch[0]["labels"]["alertname"], "c2");
  EXPECT_EQ(batch[9]["labels"]["alertname"], "c11");
}

TEST(Manager, RetriesWithGrowingBackoffThenDropsTheBatch) {
  FakeHttpServer am([](const Request&) { return Reply{503}; });
  Options o = FastOptions({am.url()});
  o.max_attempts = 4;
  Manager m(o);
  m.Send(MakeAlerts("a", 3));
  ASSERT_TRUE(cerniq::testing::WaitFor(
      [&] { return Metric(m, "cerniq_notifications_dropped_total") == 3; }, 5s));
  EXPECT_EQ(am.request_count(), 4u);  // bounded: max_attempts POSTs, no more
  EXPECT_EQ(Metric(m, "cerniq_notifications_errors_total"), 4);
  EXPECT_EQ(Metric(m, "cerniq_notifications_sent_total"), 3);  // as Prometheus: tried
}

TEST(Manager, BackoffDelaysGrowAndAreCapped) {
  std::vector<Clock::time_point> times;
  std::mutex mu;
  FakeHttpServer am([&](const Request&) {
    std::lock_guard lock(mu);
    times.push_back(Clock::now());
    return Reply{500};
  });
  Options o = FastOptions({am.url()});
  o.max_attempts = 5;
  o.backoff_initial = 40ms;
  o.backoff_max = 100ms;
  Manager m(o);
  m.Send({MakeAlert("a")});
  ASSERT_TRUE(cerniq::testing::WaitFor([&] { return am.request_count() == 5; }, 5s));
  std::lock_guard lock(mu);
  const std::vector<int> minimum_gaps{40, 80, 100, 100};
  for (size_t i = 0; i < minimum_gaps.size(); ++i) {
    auto gap = std::chrono::duration_cast<std::chrono::milliseconds>(times[i + 1] - times[i]);
    EXPECT_GE(gap.count(), minimum_gaps[i]) << i;
    EXPECT_LT(gap.count(), minimum_gaps[i] + 1000) << i;
  }
}

TEST(Manager, ClientErrorIsNotRetriedAndRetryCanSucceed) {
  FakeHttpServer bad([](const Request&) { return Reply{400}; });
  std::atomic<int> calls{0};
  FakeHttpServer flaky([&](const Request&) { return Reply{calls++ == 0 ? 500 : 200}; });
  Manager m(FastOptions({bad.url(), flaky.url()}));
  m.Send({MakeAlert("a")});
  ASSERT_TRUE(cerniq::testing::WaitFor([&] { return flaky.request_count() == 2; }, 5s));
  std::this_thread::sleep_for(100ms);
  EXPECT_EQ(bad.request_count(), 1u);
  EXPECT_EQ(Metric(m, "cerniq_notifications_errors_total", bad.url() + "/api/v2/alerts"), 1);
  EXPECT_EQ(Metric(m, "cerniq_notifications_errors_total", flaky.url() + "/api/v2/alerts"), 1);
  // One Alertmanager took the batch: nothing dropped.
  EXPECT_EQ(Metric(m, "cerniq_notifications_dropped_total"), 0);
}

TEST(Manager, DeadOrSlowAlertmanagerNeverBlocksSendOrStop) {
  int dead_port = cerniq::testing::FreeLoopbackPort();  // nothing listens there
  FakeHttpServer slow([](const Request&) { return Reply{200, 10s}; });
  Options o = FastOptions({"http://127.0.0.1:" + std::to_string(dead_port), slow.url()});
  o.timeout = 5s;
  auto m = std::make_unique<Manager>(o);
  auto begin = Clock::now();
  for (int i = 0; i < 200; ++i) m->Send(MakeAlerts("a", 50));
  EXPECT_LT(Clock::now() - begin, 1s);
  EXPECT_EQ(m->QueueLength() + 0u <= 10000u, true);
  ASSERT_TRUE(cerniq::testing::WaitFor([&] { return slow.request_count() >= 1; }, 5s));
  begin = Clock::now();
  m.reset();  // Stop aborts the POST in flight
  EXPECT_LT(Clock::now() - begin, 2s);
}

// SIGTERM with alerts still queued behind a slow POST: Stop(drain) sends them before returning.
TEST(Manager, StopWithDrainSendsWhatIsQueued) {
  std::atomic<int> seen{0};
  FakeHttpServer am([&](const Request& r) { return HoldFirst(r, seen, 300ms); });
  Manager m(FastOptions({am.url()}));
  m.Send({MakeAlert("first")});
  ASSERT_TRUE(cerniq::testing::WaitFor([&] { return seen == 1; }, 5s));
  m.Send(MakeAlerts("a", 100));  // two batches behind the held POST
  const auto begin = Clock::now();
  m.Stop(5s);
  EXPECT_LT(Clock::now() - begin, 4s);
  ASSERT_EQ(am.request_count(), 3u);
  EXPECT_EQ(AlertsIn(am.requests()[1]) + AlertsIn(am.requests()[2]), 100u);
  EXPECT_EQ(Metric(m, "cerniq_notifications_dropped_total"), 0);
  EXPECT_EQ(Metric(m, "cerniq_notifications_queue_length"), 0);
  m.Stop(5s);  // idempotent
}

// The drain is bounded: an Alertmanager slower than the bound loses what was queued (counted).
TEST(Manager, DrainGivesUpAfterItsBoundAndCountsTheRestDropped) {
  FakeHttpServer slow([](const Request&) { return Reply{200, 10s}; });
  Options o = FastOptions({slow.url()});
  o.timeout = 20s;
  Manager m(o);
  m.Send({MakeAlert("first")});
  ASSERT_TRUE(cerniq::testing::WaitFor([&] { return slow.request_count() == 1; }, 5s));
  m.Send(MakeAlerts("a", 10));
  const auto begin = Clock::now();
  m.Stop(300ms);
  const auto took = Clock::now() - begin;
  EXPECT_GE(took, 300ms);
  EXPECT_LT(took, 3s);
  EXPECT_EQ(Metric(m, "cerniq_notifications_dropped_total"), 1 + 10);  // aborted + queued
}

// Without a drain (--no-alertmanager.drain-notification-queue-on-shutdown) the queue is
// dropped at once, and counted.
TEST(Manager, StopWithoutDrainDropsTheQueue) {
  std::atomic<int> seen{0};
  FakeHttpServer am([&](const Request& r) { return HoldFirst(r, seen, 2s); });
  Manager m(FastOptions({am.url()}));
  m.Send({MakeAlert("first")});
  ASSERT_TRUE(cerniq::testing::WaitFor([&] { return seen == 1; }, 5s));
  m.Send(MakeAlerts("a", 5));
  const auto begin = Clock::now();
  m.Stop();
  EXPECT_LT(Clock::now() - begin, 1500ms);
  EXPECT_EQ(am.request_count(), 1u);
  EXPECT_EQ(Metric(m, "cerniq_notifications_dropped_total"), 1 + 5);
}

}  // namespace
}  // namespace cerniq::notifier
