// The real cerniq_exporter binary evaluating a rule file and notifying a real Alertmanager 0.25
// whose receiver is a webhook on a loopback fake server: the alert arrives with the external
// labels, resolves (endsAt set) when the rule stops firing after SIGHUP, two exporters with the
// same rules give one notification per alert, and a dead Alertmanager delays no scrape.

#include <signal.h>
#include <time.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <regex>
#include <thread>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "notifier/alertmanager_fixture.h"
#include "notifier/payload.h"
#include "support/http_get.h"
#include "support/subprocess.h"
#include "support/wait.h"

namespace cerniq::notifier {
namespace {

using namespace std::chrono_literals;
using cerniq::testing::HttpGet;
using cerniq::testing::WaitFor;
using nlohmann::json;
using ::testing::HasSubstr;
namespace fs = std::filesystem;

// "2006-01-02T15:04:05.000Z" (as FormatTimeMillis writes) to Unix milliseconds.
int64_t ParseTimeMillis(const std::string& s) {
  tm t{};
  int ms = 0;
  sscanf(s.c_str(), "%d-%d-%dT%d:%d:%d.%dZ", &t.tm_year, &t.tm_mon, &t.tm_mday, &t.tm_hour,
         &t.tm_min, &t.tm_sec, &ms);
  t.tm_year -= 1900;
  t.tm_mon -= 1;
  return static_cast<int64_t>(timegm(&t)) * 1000 + ms;
}

std::string Rules(const std::string& expr) {
  return "groups:\n"
         "  - name: quick\n"
         "    interval: 1s\n"
         "    rules:\n"
         "      - alert: AlwaysOn\n"
         "        expr: " +
         expr +
         "\n"
         "        labels: {severity: info}\n"
         "        annotations: {summary: 'on since {{ $value }}'}\n"
         "      - alert: AlsoOn\n"
         "        expr: " +
         expr + "\n";
}

// One exporter process: no Redis behind it (the rules need no data), its own port.
class Exporter {
 public:
  Exporter(const std::string& rule_file, const std::vector<std::string>& extra) {
    port_ = cerniq::testing::FreeLoopbackPort();
    std::vector<std::string> argv = {
        CERNIQ_EXPORTER_BIN, "--web.listen-address=127.0.0.1:" + std::to_string(port_),
        "--redis.url=redis://127.0.0.1:1/0", "--rules.file=" + rule_file, "--log.level=warn"};
    argv.insert(argv.end(), extra.begin(), extra.end());
    process_ = std::make_unique<cerniq::testing::Subprocess>(argv);
  }
  ~Exporter() { Terminate(5s); }
  // SIGTERM; the exit status (SIGKILL after `limit`).
  int Terminate(std::chrono::milliseconds limit) {
    process_->Signal(SIGTERM);
    return process_->Wait(limit);
  }
  bool WaitReady() {
    return WaitFor([&] { return Get("/-/healthy").status == 200; }, 15s, 50ms);
  }
  cerniq::testing::HttpResult Get(const std::string& path, std::chrono::milliseconds t = 3s) {
    return HttpGet("http://127.0.0.1:" + std::to_string(port_) + path, t);
  }
  void Reload() { process_->Signal(SIGHUP); }
  int port() const { return port_; }
  bool Running() { return process_->Running(); }

 private:
  int port_ = 0;
  std::unique_ptr<cerniq::testing::Subprocess> process_;
};

class ExporterAlertmanagerTest : public testing::AlertmanagerFixture {
 protected:
  void SetUp() override {
    AlertmanagerFixture::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    dir_ = fs::temp_directory_path() / ("cerniq-exporter-am-" + std::to_string(getpid()));
    fs::create_directories(dir_);
    rule_file_ = (dir_ / "rules.yml").string();
    WriteRules("vector(1)");
  }
  void TearDown() override {
    if (!dir_.empty()) fs::remove_all(dir_);
  }
  void WriteRules(const std::string& expr) { std::ofstream(rule_file_) << Rules(expr); }

  // How many times each alertname was announced with the given status.
  std::map<std::string, int> Announced(const std::string& status) const {
    std::map<std::string, int> out;
    for (const auto& n : Notifications()) {
      for (const auto& a : n["alerts"]) {
        if (a["status"] == status) ++out[a["labels"]["alertname"].get<std::string>()];
      }
    }
    return out;
  }

  fs::path dir_;
  std::string rule_file_;
};

TEST_F(ExporterAlertmanagerTest, FiringWithExternalLabelsThenResolvedAfterReload) {
  Exporter exporter(rule_file_,
                    {"--alertmanager.url=" + am_->url(), "--rules.external-label=cluster=laptop",
                     "--rules.external-label=severity=external"});
  ASSERT_TRUE(exporter.WaitReady());
  ASSERT_TRUE(WaitFor([&] { return am_->ActiveAlerts().size() == 2; }, 15s));
  json alerts = am_->ActiveAlerts();
  json on;
  for (const auto& a : alerts) {
    if (a["labels"]["alertname"] == "AlwaysOn") on = a;
  }
  ASSERT_FALSE(on.is_null()) << alerts.dump();
  // External labels are added unless the alert has the label (severity stays the rule's).
  EXPECT_EQ(on["labels"],
            json({{"alertname", "AlwaysOn"}, {"cluster", "laptop"}, {"severity", "info"}}));
  EXPECT_EQ(on["annotations"]["summary"], "on since 1");
  // Without --web.external-url: http://<hostname>:<listen port>, as Prometheus derives it.
  char host[256] = {};
  gethostname(host, sizeof host - 1);
  EXPECT_EQ(on["generatorURL"], "http://" + std::string(host) + ":" +
                                    std::to_string(exporter.port()) +
                                    "/graph?g0.expr=vector%281%29&g0.tab=1");
  EXPECT_EQ(on["status"]["state"], "active");

  ASSERT_TRUE(WaitFor([&] { return Announced("firing").size() == 2; }, 10s));
  auto metrics = exporter.Get("/metrics");
  EXPECT_THAT(metrics.body, HasSubstr("cerniq_notifications_sent_total{alertmanager=\"" +
                                      am_->url() + "/api/v2/alerts\"} 2\n"));
  EXPECT_THAT(metrics.body, HasSubstr("cerniq_notifications_queue_capacity 10000\n"));
  EXPECT_THAT(metrics.body, HasSubstr("cerniq_notifications_dropped_total 0\n"));

  // The rule stops firing: the alert carried over by the reload is sent resolved.
  WriteRules("vector(1) == 0");
  exporter.Reload();
  ASSERT_TRUE(WaitFor([&] { return Announced("resolved").size() == 2; }, 15s))
      << hook_.request_count() << " notifications";
  EXPECT_TRUE(am_->ActiveAlerts().empty());
  for (const auto& n : Notifications()) {
    for (const auto& a : n["alerts"]) {
      if (a["status"] != "resolved") continue;
      // endsAt is the resolution time, after startsAt (Go's zero time would mean unset).
      const std::string starts = a["startsAt"], ends = a["endsAt"];
      EXPECT_THAT(ends, ::testing::Not(HasSubstr("0001-01-01")));
      EXPECT_GT(ends, starts);
      EXPECT_EQ(a["labels"]["cluster"], "laptop");
    }
  }
  EXPECT_TRUE(exporter.Running());
}

TEST_F(ExporterAlertmanagerTest, TwoExportersWithTheSameRulesGiveOneNotificationPerAlert) {
  const std::vector<std::string> flags = {"--alertmanager.url=" + am_->url(),
                                          "--rules.external-label=cluster=laptop"};
  Exporter first(rule_file_, flags);
  Exporter second(rule_file_, flags);
  ASSERT_TRUE(first.WaitReady());
  ASSERT_TRUE(second.WaitReady());
  ASSERT_TRUE(WaitFor([&] { return Announced("firing").size() == 2; }, 15s));
  // Both exporters have posted (each counts its sends); later flushes bring no news.
  for (Exporter* e : {&first, &second}) {
    ASSERT_TRUE(WaitFor(
        [&] {
          return e->Get("/metrics")
                     .body.find("cerniq_notifications_sent_total{alertmanager=\"" + am_->url() +
                                "/api/v2/alerts\"} 2\n") != std::string::npos;
        },
        10s));
  }
  std::this_thread::sleep_for(2500ms);  // two group_interval flushes
  EXPECT_EQ(Announced("firing"), (std::map<std::string, int>{{"AlsoOn", 1}, {"AlwaysOn", 1}}));
  EXPECT_EQ(am_->ActiveAlerts().size(), 2u);

  WriteRules("vector(1) == 0");
  first.Reload();
  second.Reload();
  ASSERT_TRUE(WaitFor([&] { return Announced("resolved").size() == 2; }, 15s));
  std::this_thread::sleep_for(2500ms);
  EXPECT_EQ(Announced("resolved"), (std::map<std::string, int>{{"AlsoOn", 1}, {"AlwaysOn", 1}}));
  EXPECT_EQ(Announced("firing"), (std::map<std::string, int>{{"AlsoOn", 1}, {"AlwaysOn", 1}}));
}

TEST_F(ExporterAlertmanagerTest, ADeadAlertmanagerDelaysNeitherScrapesNorEvaluation) {
  // Accepts connections and never answers: every POST waits for --alertmanager.timeout.
  testing::FakeHttpServer blackhole([](const testing::Request&) {
    return testing::Reply{200, std::chrono::minutes(1)};
  });
  // No drain at the end: SIGTERM does not wait up to 30s for the stuck POST.
  Exporter exporter(rule_file_, {"--alertmanager.url=" + blackhole.url(),
                                 "--alertmanager.timeout=30s", "--rules.alert.resend-delay=1s",
                                 "--no-alertmanager.drain-notification-queue-on-shutdown"});
  ASSERT_TRUE(exporter.WaitReady());
  ASSERT_TRUE(WaitFor([&] { return blackhole.request_count() >= 1; }, 10s));
  // With the sender stuck, alerts pile up in the queue while evaluations go on each second...
  ASSERT_TRUE(WaitFor(
      [&] {
        std::smatch m;
        const std::string body = exporter.Get("/metrics").body;
        static const std::regex re("\ncerniq_notifications_queue_length ([0-9]+)\n");
        return std::regex_search(body, m, re) && std::stoi(m[1]) >= 4;
      },
      10s));
  // ...and every scrape answers well within the POST timeout.
  for (int i = 0; i < 5; ++i) {
    auto r = exporter.Get("/metrics", 2s);
    EXPECT_EQ(r.status, 200) << r.error;
  }
}

// Prometheus 2.42 as the oracle: the same rule file (so the same evaluation slots, which depend on
// the file and group names) with an alert firing over a wall-clock window, both sending to
// their own recording endpoint with a 2s resend delay. Both post the same startsAt/endsAt
// sequence, and it is the one alerting.go's needsSending/sendAlerts give.
// SIGTERM while alerts wait behind a slow POST: they are sent before the exporter exits.
TEST_F(ExporterAlertmanagerTest, SigtermSendsTheQueuedNotificationsFirst) {
  std::atomic<int> seen{0};
  testing::FakeHttpServer slow([&](const testing::Request&) {
    return testing::Reply{200, seen++ == 0 ? 4s : 0s};
  });
  Exporter exporter(rule_file_,
                    {"--alertmanager.url=" + slow.url(), "--rules.alert.resend-delay=1s"});
  ASSERT_TRUE(exporter.WaitReady());
  // The first POST is held; the next evaluations' alerts wait in the queue.
  static const std::regex queued("\ncerniq_notifications_queue_length [1-9][0-9]*\n");
  ASSERT_TRUE(
      WaitFor([&] { return std::regex_search(exporter.Get("/metrics").body, queued); }, 10s));
  const auto begin = std::chrono::steady_clock::now();
  EXPECT_EQ(exporter.Terminate(15s), 0);
  EXPECT_LT(std::chrono::steady_clock::now() - begin, 12s);  // bounded by --alertmanager.timeout
  ASSERT_GE(slow.request_count(), 2u) << "the queued alerts were dropped";
  EXPECT_THAT(slow.requests()[1].body, HasSubstr("\"alertname\":\"AlwaysOn\""));
}

TEST_F(ExporterAlertmanagerTest, SendsTheSameTimelineAsPrometheus) {
  if (access("/usr/bin/prometheus", X_OK) != 0) GTEST_SKIP() << "no /usr/bin/prometheus";
  const int64_t t0 = std::chrono::duration_cast<std::chrono::seconds>(
                         std::chrono::system_clock::now().time_since_epoch())
                         .count() +
                     10;  // Prometheus discovers its Alertmanager within 5s of starting
  const int64_t t1 = t0 + 7;
  std::ofstream(rule_file_) << "groups:\n  - name: window\n    interval: 1s\n    rules:\n"
                               "      - alert: Window\n        expr: vector(time()) > "
                            << t0 << " < " << t1 << "\n";
  testing::FakeHttpServer ours_hook, theirs_hook;
  const std::string config = (dir_ / "prometheus.yml").string();
  std::ofstream(config) << "global: {evaluation_interval: 1s}\nrule_files: ['" << rule_file_
                        << "']\nalerting:\n  alertmanagers:\n    - static_configs: [{targets: "
                           "['127.0.0.1:"
                        << theirs_hook.port() << "']}]\n";
  const std::string external_url = "--web.external-url=https://alerts.example:8443/prom//";
  cerniq::testing::Subprocess prometheus(
      {"/usr/bin/prometheus", "--config.file=" + config,
       "--storage.tsdb.path=" + (dir_ / "data").string(),
       "--web.listen-address=127.0.0.1:" + std::to_string(cerniq::testing::FreeLoopbackPort()),
       "--rules.alert.resend-delay=2s", "--log.level=warn", external_url},
      {"TZ=UTC"});
  Exporter exporter(rule_file_, {"--alertmanager.url=" + ours_hook.url(),
                                 "--rules.alert.resend-delay=2s", external_url});
  ASSERT_TRUE(exporter.WaitReady());

  // Fired at F (the first slot after t0), resolved at R = F + 7s. Posts: firing at F, F+3s, F+6s
  // (resend when lastSent + 2s is before ts), endsAt = ts + 4 * max(2s, 1s); resolved at R and
  // R+3s with endsAt R. Collected at R + 4.5s, between two resends.
  const auto collect_at = std::chrono::system_clock::time_point(std::chrono::seconds(t1)) +
                          std::chrono::milliseconds(5500);
  std::this_thread::sleep_until(collect_at);
  auto timeline = [](const testing::FakeHttpServer& hook) {
    std::vector<std::pair<std::string, std::string>> out;  // (startsAt, endsAt) per alert posted
    for (const auto& r : hook.requests()) {
      for (const auto& a : json::parse(r.body)) out.emplace_back(a["startsAt"], a["endsAt"]);
    }
    return out;
  };
  const auto ours = timeline(ours_hook);
  const auto theirs = timeline(theirs_hook);
  ASSERT_EQ(ours.size(), 5u) << json(ours).dump();
  const std::string fired = ours[0].first;
  const int64_t f_ms = ParseTimeMillis(fired);
  const int64_t r_ms = f_ms + 7000;
  const std::vector<std::pair<std::string, std::string>> expected = {
      {fired, FormatTimeMillis(f_ms + 8000)},
      {fired, FormatTimeMillis(f_ms + 11000)},
      {fired, FormatTimeMillis(f_ms + 14000)},
      {fired, FormatTimeMillis(r_ms)},
      {fired, FormatTimeMillis(r_ms)}};
  EXPECT_EQ(ours, expected);
  EXPECT_EQ(ours, theirs) << "ours " << json(ours).dump() << "\ntheirs " << json(theirs).dump();
  // The same generatorURL from the same --web.external-url.
  ASSERT_GT(theirs_hook.request_count(), 0u);
  const json our_first = json::parse(ours_hook.requests()[0].body)[0];
  const json their_first = json::parse(theirs_hook.requests()[0].body)[0];
  EXPECT_EQ(our_first["generatorURL"], their_first["generatorURL"]);
  EXPECT_THAT(our_first["generatorURL"].get<std::string>(),
              ::testing::StartsWith("https://alerts.example:8443/prom/graph?g0.expr="));
  prometheus.Signal(SIGTERM);
  prometheus.Wait(10s);
}

}  // namespace
}  // namespace cerniq::notifier
