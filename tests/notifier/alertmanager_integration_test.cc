// Against a real Alertmanager (Debian's prometheus-alertmanager) on loopback: alerts arrive with
// their labels, annotations and endsAt; resolved alerts resolve; two notifiers sending the same
// alert (two exporters with the same rules) give one notification, by Alertmanager's dedup.

#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "notifier/alertmanager_fixture.h"
#include "notifier/manager.h"
#include "notifier/payload.h"
#include "support/wait.h"

namespace cerniq::notifier {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;

int64_t NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

class AlertmanagerTest : public testing::AlertmanagerFixture {
 protected:
  std::string url() const { return am_->url(); }
  json ActiveAlerts() const { return am_->ActiveAlerts(); }

  static Options ManagerOptions(const std::string& am_url) {
    Options o;
    o.alertmanager_urls = {am_url};
    o.external_labels = {{"cluster", "laptop"}};
    o.timeout = 2s;
    o.backoff_initial = 50ms;
    return o;
  }

  static Alert QueueAlert(const std::string& queue, int64_t starts, int64_t ends) {
    Alert a;
    a.labels = {{"alertname", "BullMQQueueBacklog"}, {"queue", queue}, {"severity", "warning"}};
    a.annotations = {{"summary", "queue " + queue + " has > 100 waiting jobs"}};
    a.starts_at_ms = starts;
    a.ends_at_ms = ends;
    a.generator_url = "http://exporter:9755/graph?g0.expr=x&g0.tab=1";
    return a;
  }

  // The webhook bodies received so far, a redelivery of the same notification counted once:
  // under load Alertmanager may post one notification twice (its retry after a slow answer),
  // which is delivery, not a failure of deduplication; two different notifications still count
  // as two. The raw bodies go into the failure message.
  std::vector<json> DistinctNotifications(std::string& raw) const {
    std::vector<json> out;
    raw.clear();
    for (const auto& n : Notifications()) {
      raw += n.dump() + "\n";
      json key = {n["status"], n["alerts"]};
      bool seen = false;
      for (const auto& o : out) seen = seen || json({o["status"], o["alerts"]}) == key;
      if (!seen) out.push_back(n);
    }
    return out;
  }
};

TEST_F(AlertmanagerTest, AlertsArriveWithLabelsAnnotationsAndEndsAt) {
  Manager m(ManagerOptions(url()));
  const int64_t now = NowMs();
  const int64_t valid_until = now + 4 * 60'000;
  m.Send({QueueAlert("etapa5-a", now - 1000, valid_until)});
  ASSERT_TRUE(cerniq::testing::WaitFor([&] { return ActiveAlerts().size() == 1; }, 10s));
  json a = ActiveAlerts()[0];
  EXPECT_EQ(a["labels"], json({{"alertname", "BullMQQueueBacklog"},
                               {"cluster", "laptop"},
                               {"queue", "etapa5-a"},
                               {"severity", "warning"}}));
  EXPECT_EQ(a["annotations"]["summary"], "queue etapa5-a has > 100 waiting jobs");
  EXPECT_EQ(a["startsAt"], FormatTimeMillis(now - 1000));
  EXPECT_EQ(a["endsAt"], FormatTimeMillis(valid_until));
  EXPECT_EQ(a["generatorURL"], "http://exporter:9755/graph?g0.expr=x&g0.tab=1");
  EXPECT_EQ(a["status"]["state"], "active");

  // Resolved: endsAt = resolvedAt, in the past; Alertmanager stops listing it.
  m.Send({QueueAlert("etapa5-a", now - 1000, NowMs())});
  EXPECT_TRUE(cerniq::testing::WaitFor([&] { return ActiveAlerts().empty(); }, 10s));
}

TEST_F(AlertmanagerTest, TwoExportersSendingTheSameAlertGiveOneNotification) {
  Manager first(ManagerOptions(url()));
  Manager second(ManagerOptions(url()));
  const int64_t fired = NowMs() - 1000;
  // Each exporter evaluates on its own clock: same labels, slightly different times.
  first.Send(
      {QueueAlert("q1", fired, NowMs() + 240'000), QueueAlert("q2", fired, NowMs() + 240'000)});
  second.Send({QueueAlert("q1", fired + 300, NowMs() + 240'000),
               QueueAlert("q2", fired + 300, NowMs() + 240'000)});
  ASSERT_TRUE(cerniq::testing::WaitFor([&] { return hook_.request_count() >= 1; }, 10s));
  std::this_thread::sleep_for(2500ms);  // two more group_interval flushes: nothing new to say
  // A resend (the resend delay passed) by both is no news either.
  first.Send({QueueAlert("q1", fired, NowMs() + 240'000)});
  second.Send({QueueAlert("q1", fired + 300, NowMs() + 240'000)});
  std::this_thread::sleep_for(1500ms);
  std::string raw;
  auto notes = DistinctNotifications(raw);
  ASSERT_EQ(notes.size(), 1u) << raw;
  EXPECT_EQ(notes[0]["status"], "firing");
  EXPECT_EQ(notes[0]["alerts"].size(), 2u);  // q1 and q2, each once
  EXPECT_EQ(ActiveAlerts().size(), 2u);

  // Both resolve: one resolved notification.
  const int64_t resolved = NowMs();
  first.Send({QueueAlert("q1", fired, resolved), QueueAlert("q2", fired, resolved)});
  second.Send({QueueAlert("q1", fired + 300, resolved - 200),
               QueueAlert("q2", fired + 300, resolved - 200)});
  ASSERT_TRUE(cerniq::testing::WaitFor(
      [&] {
        std::string ignored;
        return DistinctNotifications(ignored).size() >= 2;
      },
      10s));
  std::this_thread::sleep_for(1500ms);
  notes = DistinctNotifications(raw);
  ASSERT_EQ(notes.size(), 2u) << raw;
  EXPECT_EQ(notes[1]["status"], "resolved");
  EXPECT_EQ(notes[1]["alerts"].size(), 2u);
  EXPECT_EQ(first.Families().size(), 6u);
}

}  // namespace
}  // namespace cerniq::notifier
