// The live side of the real cerniq_exporter binary (issue 11): the history fed from its
// snapshots answers /api/v1, the rule evaluator's state reaches /api/v1/rules, /api/v1/alerts
// and /metrics, POST /-/reload follows Prometheus's lifecycle API, and --storage.path keeps
// history and `for` clocks across a restart (a corrupted checkpoint is set aside).
#include <signal.h>

#include <chrono>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <regex>
#include <thread>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "support/http_get.h"
#include "support/redis_server.h"
#include "support/subprocess.h"
#include "support/wait.h"

namespace cerniq::exporter {
namespace {

using cerniq::testing::HttpGet;
using std::chrono::milliseconds;
using ::testing::HasSubstr;
namespace fs = std::filesystem;

const char* kRules = R"(groups:
  - name: live
    rules:
      - record: cerniq:waiting:sum
        expr: sum(bullmq_queue_waiting)
      - alert: Backlog
        expr: cerniq:waiting:sum > 1
        for: 1h
        annotations:
          summary: "{{ $value }} waiting"
)";

// "2006-01-02T15:04:05.999999999Z" (the API's activeAt) as Unix seconds.
double UnixSeconds(const std::string& rfc3339) {
  tm t{};
  double seconds = 0;
  sscanf(rfc3339.c_str(), "%d-%d-%dT%d:%d:%lfZ", &t.tm_year, &t.tm_mon, &t.tm_mday, &t.tm_hour,
         &t.tm_min, &seconds);
  t.tm_year -= 1900;
  t.tm_mon -= 1;
  return static_cast<double>(timegm(&t)) + seconds;
}

double NowSeconds() {
  return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
}

std::string RunShell(const std::string& cmd) {
  std::string out;
  FILE* p = popen((cmd + " 2>&1").c_str(), "r");
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
  if (WEXITSTATUS(pclose(p)) != 0) out += "\n(exit status non-zero)";
  return out;
}

class ExporterHistory : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("cerniq-history-test-" + std::to_string(getpid()));
    fs::create_directories(dir_);  // the exporter creates data/
    rules_ = (dir_ / "rules.yaml").string();
    std::ofstream(rules_) << kRules;
    config_ = (dir_ / "config.yml").string();
    std::ofstream(config_) << "bullmq:\n  interval: 1s\n  timeout: 900ms\n";
    ASSERT_TRUE(redis_.Start());
    redis_.Cli({"RPUSH", "bull:churn:wait", "1", "2", "3"});
  }
  void TearDown() override {
    exporter_.reset();
    fs::remove_all(dir_);
  }
  // Starts the exporter with its log on our pipe (sh -c: stderr into stdout).
  void Start(const std::vector<std::string>& extra = {}) {
    port_ = cerniq::testing::FreeLoopbackPort();
    std::string cmd = std::string("exec ") + CERNIQ_EXPORTER_BIN +
                      " --web.listen-address 127.0.0.1:" + std::to_string(port_) + " --redis.url " +
                      redis_.url() + " --config.file " + config_ + " --rules.file " + rules_ +
                      " --rules.evaluation-interval 1s" + " --storage.path " +
                      (dir_ / "data").string();
    for (const auto& e : extra) cmd += " " + e;
    exporter_ = std::make_unique<cerniq::testing::Subprocess>(
        std::vector<std::string>{"sh", "-c", cmd + " 2>&1"});
    ASSERT_TRUE(cerniq::testing::WaitFor([&] { return Get("/-/ready").status == 200; },
                                         milliseconds(15000)));
  }
  void StopWith(int sig) {
    exporter_->Signal(sig);
    EXPECT_EQ(exporter_->Wait(milliseconds(15000)), 0);
  }
  cerniq::testing::HttpResult Get(const std::string& path, const std::string& method = "GET") {
    return HttpGet("http://127.0.0.1:" + std::to_string(port_) + path, milliseconds(5000), method);
  }
  nlohmann::json Data(const std::string& path) {
    auto r = Get(path);
    if (r.status != 200) return nullptr;
    return nlohmann::json::parse(r.body)["data"];
  }
  // The Backlog alert of /api/v1/alerts, or null.
  nlohmann::json Backlog() {
    auto data = Data("/api/v1/alerts");
    if (data.is_null()) return nullptr;
    for (const auto& a : data["alerts"]) {
      if (a["labels"]["alertname"] == "Backlog") return a;
    }
    return nullptr;
  }
  std::string Metric(const std::string& line_prefix) {
    const std::string body = Get("/metrics").body;
    const size_t at = body.find("\n" + line_prefix + " ");
    if (at == std::string::npos) return "";
    const size_t start = at + line_prefix.size() + 2;
    return body.substr(start, body.find('\n', start) - start);
  }
  // Log lines until one contains `what` (bounded).
  bool LogHas(const std::string& what) {
    for (int i = 0; i < 200; ++i) {
      auto line = exporter_->ReadLine(milliseconds(5000));
      if (!line) return false;
      if (line->find(what) != std::string::npos) return true;
    }
    return false;
  }

  fs::path dir_;
  std::string rules_, config_;
  cerniq::testing::RedisServer redis_;
  int port_ = 0;
  std::unique_ptr<cerniq::testing::Subprocess> exporter_;
};

TEST_F(ExporterHistory, ApiRulesSelfMetricsReloadAndRestart) {
  Start({"--web.enable-lifecycle"});
  // The recording rule's output is in the history and the alert pending.
  nlohmann::json pending;
  ASSERT_TRUE(cerniq::testing::WaitFor([&] { return !(pending = Backlog()).is_null(); },
                                       milliseconds(15000)));
  EXPECT_EQ(pending["state"], "pending");
  EXPECT_EQ(pending["annotations"]["summary"], "3 waiting");
  const std::string active_at = pending["activeAt"];
  auto sum = Data("/api/v1/query?query=cerniq:waiting:sum");
  ASSERT_EQ(sum["result"].size(), 1u) << sum.dump();
  EXPECT_EQ(sum["result"][0]["value"][1], "3");
  const double before_restart = sum["result"][0]["value"][0].get<double>();
  auto rules = Data("/api/v1/rules");
  ASSERT_EQ(rules["groups"].size(), 1u);
  EXPECT_EQ(rules["groups"][0]["name"], "live");
  EXPECT_EQ(rules["groups"][0]["rules"][1]["state"], "pending");

  // Self metrics, in the catalogue's words, promtool-clean.
  const std::string metrics = Get("/metrics").body;
  EXPECT_THAT(metrics, HasSubstr("cerniq_rules_config_last_reload_successful 1\n"));
  EXPECT_THAT(metrics, HasSubstr("cerniq_alerts{state=\"pending\"} 1\n"));
  EXPECT_THAT(metrics,
              HasSubstr("cerniq_rule_group_rules{rule_group=\"" + rules_ + ";live\"} 2\n"));
  EXPECT_THAT(metrics, HasSubstr("# TYPE cerniq_storage_series gauge\n"));
  EXPECT_NE(Metric("cerniq_storage_samples"), "0");
  if (fs::exists("/usr/bin/promtool")) {
    std::ofstream((dir_ / "metrics.txt").string()) << metrics;
    EXPECT_EQ(RunShell("promtool check metrics < " + (dir_ / "metrics.txt").string()), "");
  }

  // Lifecycle API: GET is refused; a bad file is refused with its position, old rules go on.
  EXPECT_EQ(Get("/-/reload").status, 405);
  std::ofstream(rules_)
      << "groups:\n  - name: g\n    rules:\n      - record: x\n        expr: sum(\n";
  auto bad = Get("/-/reload", "POST");
  EXPECT_EQ(bad.status, 500);
  EXPECT_THAT(bad.body, HasSubstr("failed to reload config: " + rules_ + ": 5:15:"));
  EXPECT_TRUE(LogHas(rules_ + ": 5:15:"));
  EXPECT_EQ(Metric("cerniq_rules_config_last_reload_successful"), "0");
  std::ofstream(rules_) << kRules;
  EXPECT_EQ(Get("/-/reload", "POST").status, 200);
  EXPECT_EQ(Metric("cerniq_rules_config_last_reload_successful"), "1");
  ASSERT_FALSE(Backlog().is_null());
  EXPECT_EQ(Backlog()["activeAt"], active_at) << "alert state survives a reload";
  // SIGHUP reloads the same way.
  std::ofstream(rules_) << "groups:\n  - name: g\n    rules:\n      - alert: [\n";
  exporter_->Signal(SIGHUP);
  EXPECT_TRUE(cerniq::testing::WaitFor(
      [&] { return Metric("cerniq_rules_config_last_reload_successful") == "0"; },
      milliseconds(10000)));
  std::ofstream(rules_) << kRules;
  exporter_->Signal(SIGHUP);
  EXPECT_TRUE(cerniq::testing::WaitFor(
      [&] { return Metric("cerniq_rules_config_last_reload_successful") == "1"; },
      milliseconds(10000)));
  EXPECT_EQ(Backlog()["activeAt"], active_at);

  // Restart: history and the pending alert come back from the checkpoint, its activeAt moved
  // later by the downtime (RestoreForState: `for: 1h` is longer than the grace period).
  const double stopped_at = NowSeconds();
  StopWith(SIGTERM);
  ASSERT_TRUE(fs::exists(dir_ / "data" / "cerniq-history.ckpt"));
  std::this_thread::sleep_for(milliseconds(2000));  // down clearly longer than a second
  Start();
  const double restarted_at = NowSeconds();
  ASSERT_FALSE(Backlog().is_null());
  const double moved = UnixSeconds(Backlog()["activeAt"]) - UnixSeconds(active_at);
  EXPECT_GE(moved, 1.0) << "the downtime does not count as pending";
  EXPECT_LE(moved, restarted_at - stopped_at + 2.5) << Backlog()["activeAt"] << " " << active_at;
  auto old = Data("/api/v1/query?query=cerniq:waiting:sum&time=" + std::to_string(before_restart));
  ASSERT_EQ(old["result"].size(), 1u) << old.dump();
  EXPECT_EQ(old["result"][0]["value"][1], "3");
  EXPECT_EQ(Get("/-/reload", "POST").status, 403) << "lifecycle API off without the flag";
  StopWith(SIGINT);

  // Down longer than --rules.alert.for-outage-tolerance: the `for` clock starts again.
  // Taken before Start(): under load the first evaluation may come well before Start() sees
  // the exporter ready; a restored clock would instead lie before this by the pending time
  // already served.
  const double started_at = NowSeconds();
  Start({"--rules.alert.for-outage-tolerance=1ms"});
  nlohmann::json fresh;
  ASSERT_TRUE(cerniq::testing::WaitFor([&] { return !(fresh = Backlog()).is_null(); },
                                       milliseconds(15000)));
  EXPECT_GE(UnixSeconds(fresh["activeAt"]), started_at - 1.0) << fresh.dump() << " started_at=" << std::fixed << started_at;
  StopWith(SIGINT);

  // A corrupted checkpoint is set aside; the exporter starts empty.
  {
    std::fstream f((dir_ / "data" / "cerniq-history.ckpt").string(),
                   std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(40);
    f.write("garbage!", 8);
  }
  Start();
  EXPECT_TRUE(LogHas("history checkpoint unreadable, starting empty"));
  bool set_aside = false;
  for (const auto& e : fs::directory_iterator(dir_ / "data")) {
    set_aside |= e.path().filename().string().starts_with("cerniq-history.ckpt.corrupt-");
  }
  EXPECT_TRUE(set_aside);
  auto gone = Data("/api/v1/query?query=cerniq:waiting:sum&time=" + std::to_string(before_restart));
  EXPECT_TRUE(gone["result"].empty()) << gone.dump();
  StopWith(SIGTERM);
}

}  // namespace
}  // namespace cerniq::exporter
