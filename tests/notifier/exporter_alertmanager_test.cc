// The real cerniq_exporter binary evaluating a rule file and notifying a real Alertmanager 0.25
// whose receiver is a webhook on a loopback fake server: the alert arrives with the external
// labels, resolves (endsAt set) when the rule stops firing after SIGHUP, two exporters with the
// same rules give one notification per alert, and a dead Alertmanager delays no scrape.

#include <signal.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <regex>
#include <thread>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "notifier/fake_http_server.h"
#include "notifier/real_alertmanager.h"
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
  ~Exporter() {
    process_->Signal(SIGTERM);
    process_->Wait(5s);
  }
  bool WaitReady() {
    return WaitFor([&] { return Get("/-/healthy").status == 200; }, 15s, 50ms);
  }
  cerniq::testing::HttpResult Get(const std::string& path, std::chrono::milliseconds t = 3s) {
    return HttpGet("http://127.0.0.1:" + std::to_string(port_) + path, t);
  }
  void Reload() { process_->Signal(SIGHUP); }
  bool Running() { return process_->Running(); }

 private:
  int port_ = 0;
  std::unique_ptr<cerniq::testing::Subprocess> process_;
};

class ExporterAlertmanagerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!testing::RealAlertmanager::Installed()) {
      GTEST_SKIP() << testing::kAlertmanagerBin << " is not installed (scripts/install-deps.sh)";
    }
    am_ = std::make_unique<testing::RealAlertmanager>(hook_.url() + "/hook");
    ASSERT_TRUE(am_->ok()) << "Alertmanager did not become ready";
    dir_ = fs::temp_directory_path() / ("cerniq-exporter-am-" + std::to_string(getpid()));
    fs::create_directories(dir_);
    rule_file_ = (dir_ / "rules.yml").string();
    WriteRules("vector(1)");
  }
  void TearDown() override {
    if (!dir_.empty()) fs::remove_all(dir_);
  }
  void WriteRules(const std::string& expr) { std::ofstream(rule_file_) << Rules(expr); }

  // Webhook notifications: (status, alertname -> alert) per request.
  std::vector<json> Notifications() const {
    std::vector<json> out;
    for (const auto& r : hook_.requests()) out.push_back(json::parse(r.body));
    return out;
  }
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

  testing::FakeHttpServer hook_;
  std::unique_ptr<testing::RealAlertmanager> am_;
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
  EXPECT_THAT(on["generatorURL"].get<std::string>(), HasSubstr("/graph?g0.expr=vector%281%29"));
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
  testing::FakeHttpServer blackhole(
      [](const testing::Request&) { return testing::Reply{200, std::chrono::minutes(1)}; });
  Exporter exporter(rule_file_, {"--alertmanager.url=" + blackhole.url(),
                                 "--alertmanager.timeout=30s", "--rules.alert.resend-delay=1s"});
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

}  // namespace
}  // namespace cerniq::notifier
