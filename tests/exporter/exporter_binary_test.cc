// Runs the real cerniq_exporter binary against a loopback redis-server.

#include <signal.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <regex>

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

struct RunResult {
  int code;
  std::string output;  // stdout and stderr
};

RunResult RunExporter(const std::string& args) {
  std::string cmd = std::string("timeout 20 ") + CERNIQ_EXPORTER_BIN + " " + args + " 2>&1";
  RunResult r{0, ""};
  FILE* p = popen(cmd.c_str(), "r");
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) r.output.append(buf, n);
  int st = pclose(p);
  r.code = WEXITSTATUS(st);
  return r;
}

std::string WriteTemp(const std::string& name, const std::string& text) {
  auto path = std::filesystem::temp_directory_path() /
              ("cerniq-test-" + std::to_string(getpid()) + "-" + name);
  std::ofstream(path) << text;
  return path.string();
}

class ExporterBinary : public ::testing::Test {
 protected:
  void StartExporter(std::vector<std::string> extra, std::vector<std::string> env = {}) {
    port_ = cerniq::testing::FreeLoopbackPort();
    std::vector<std::string> argv = {CERNIQ_EXPORTER_BIN, "--web.listen-address",
                                     "127.0.0.1:" + std::to_string(port_)};
    argv.insert(argv.end(), extra.begin(), extra.end());
    exporter_ = std::make_unique<cerniq::testing::Subprocess>(argv, env);
    ASSERT_TRUE(cerniq::testing::WaitFor([&] { return Get("/-/ready").status == 200; },
                                         milliseconds(15000)));
  }
  cerniq::testing::HttpResult Get(const std::string& path) {
    return HttpGet("http://127.0.0.1:" + std::to_string(port_) + path, milliseconds(3000));
  }
  int port_ = 0;
  std::unique_ptr<cerniq::testing::Subprocess> exporter_;
};

TEST_F(ExporterBinary, ServesEveryEndpointAndPassesPromtoolCheckMetrics) {
  cerniq::testing::RedisServer redis;
  ASSERT_TRUE(redis.Start());
  redis.Cli({"RPUSH", "bull:churn:wait", "1", "2"});
  redis.Cli({"HSET", "bull:churn:meta", "paused", "1"});
  redis.Cli({"SET", "anthropic:rate_limit:remaining", "4321"});
  StartExporter({"--redis.url", redis.url()});

  auto metrics = Get("/metrics");
  ASSERT_EQ(metrics.status, 200);
  EXPECT_EQ(metrics.content_type, "text/plain; version=0.0.4; charset=utf-8");
  EXPECT_THAT(metrics.body, HasSubstr("bullmq_queue_waiting{prefix=\"bull\",queue=\"churn\"} 2\n"));
  EXPECT_THAT(metrics.body, HasSubstr("bullmq_queue_paused{prefix=\"bull\",queue=\"churn\"} 1\n"));
  EXPECT_THAT(metrics.body, HasSubstr("llm_rate_limit_remaining 4321\n"));
  EXPECT_THAT(metrics.body, HasSubstr("cerniq_up{source=\"redis\"} 1\n"));

  if (std::filesystem::exists("/usr/bin/promtool")) {
    std::string file = WriteTemp("metrics.txt", metrics.body);
    std::string cmd = "promtool check metrics < " + file + " 2>&1";
    FILE* p = popen(cmd.c_str(), "r");
    std::string out;
    char buf[4096];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
    EXPECT_EQ(WEXITSTATUS(pclose(p)), 0) << out;
    EXPECT_EQ(out, "") << "promtool findings";
    std::filesystem::remove(file);
  } else {
    GTEST_SKIP() << "promtool not installed (Debian package prometheus)";
  }

  EXPECT_EQ(Get("/health").body, R"({"status":"healthy"})");
  EXPECT_EQ(Get("/health/redis").body, R"({"connected":true})");
  auto db = Get("/health/db");
  EXPECT_EQ(db.status, 503);
  EXPECT_EQ(db.body, R"({"connected":false,"enabled":false})");
  EXPECT_EQ(Get("/nope").status, 404);
  EXPECT_EQ(
      HttpGet("http://127.0.0.1:" + std::to_string(port_) + "/metrics", milliseconds(3000), "POST")
          .status,
      405);

  // Runbook §1.2: one entry per configured queue, numbers as JSON numbers, waiting as exported.
  auto queues = nlohmann::json::parse(Get("/api/admin/queues/etapa5").body)["queues"];
  ASSERT_EQ(queues.size(), 13u);
  std::regex line("bullmq_queue_waiting\\{prefix=\"bull\",queue=\"([a-z]+)\"\\} ([0-9]+)");
  std::map<std::string, long long> waiting;
  for (std::sregex_iterator it(metrics.body.begin(), metrics.body.end(), line), end; it != end;
       ++it) {
    waiting[(*it)[1]] = std::stoll((*it)[2]);
  }
  for (const auto& q : queues) {
    ASSERT_TRUE(q["waiting"].is_number_integer()) << q.dump();
    EXPECT_EQ(q["waiting"].get<long long>(), waiting.at(q["name"].get<std::string>()));
    EXPECT_TRUE(q["active"].is_number_integer());
    EXPECT_TRUE(q["failed"].is_number_integer());
  }

  exporter_->Signal(SIGTERM);
  EXPECT_EQ(exporter_->Wait(milliseconds(15000)), 0) << "clean shutdown on SIGTERM";
}

TEST_F(ExporterBinary, PasswordFileFromEnvironmentNeverLogged) {
  cerniq::testing::RedisServer redis({"--requirepass", "top-secret-pw"});
  ASSERT_TRUE(redis.Start());
  std::string secret = WriteTemp("redis-pw", "top-secret-pw\n");
  StartExporter({"--log.level", "debug"},
                {"CERNIQ_REDIS_URL=redis://127.0.0.1:" + std::to_string(redis.port()) + "/0",
                 "CERNIQ_REDIS_PASSWORD_FILE=" + secret});
  EXPECT_TRUE(cerniq::testing::WaitFor(
      [&] { return Get("/health/redis").body == R"({"connected":true})"; }, milliseconds(10000)));
  EXPECT_THAT(Get("/metrics").body, ::testing::Not(HasSubstr("top-secret-pw")));
  std::filesystem::remove(secret);
}

TEST(ExporterCli, VersionAndCatalogue) {
  auto v = RunExporter("--version");
  EXPECT_EQ(v.code, 0);
  EXPECT_THAT(v.output, ::testing::StartsWith("cerniq_exporter, version "));
  auto m = RunExporter("--print-metrics");
  EXPECT_EQ(m.code, 0);
  EXPECT_THAT(m.output, HasSubstr("bullmq_queue_waiting gauge prefix queue\n"));
  EXPECT_THAT(m.output, HasSubstr("nurturing_client_churn_score histogram\n"));
  auto md = RunExporter("--print-metrics=markdown");
  EXPECT_THAT(md.output, HasSubstr("| `hitl_sla_breached_total` | counter | `approval_type` |"));
}

TEST(ExporterCli, BadRuleFileExitsWithItsPosition) {
  std::string rules = WriteTemp("bad-rules.yml",
                                "groups:\n  - name: g\n    rules:\n      - record: x\n"
                                "        expr: sum(\n");
  auto r = RunExporter("--web.listen-address 127.0.0.1:0 --rules.file " + rules);
  EXPECT_EQ(r.code, 1);
  EXPECT_THAT(r.output, HasSubstr(rules + ": 5:15:"));
  std::filesystem::remove(rules);
  EXPECT_EQ(RunExporter("--rules.evaluation-interval soon").code, 1);
  EXPECT_EQ(RunExporter("--rules.external-label novalue").code, 2);
}

TEST(ExporterCli, BadInputExitsNonZeroWithPosition) {
  std::string cfg = WriteTemp("bad.yml", "redis:\n  url: redis://x\nbullmq:\n  intervall: 5s\n");
  auto r = RunExporter("--config.file " + cfg);
  EXPECT_EQ(r.code, 1);
  EXPECT_THAT(r.output, HasSubstr(cfg + ":4:3: unknown key \"intervall\" in bullmq"));
  std::filesystem::remove(cfg);
  auto flag = RunExporter("--no-such-flag");
  EXPECT_NE(flag.code, 0);
  auto level = RunExporter("--log.level chatty");
  EXPECT_NE(level.code, 0);
  auto url = RunExporter("--redis.url http://x --web.listen-address 127.0.0.1:0");
  EXPECT_EQ(url.code, 1);
  EXPECT_THAT(url.output, HasSubstr("invalid Redis URL"));
}

TEST_F(ExporterBinary, ListensOnEveryRepeatedAddressIncludingIPv6) {
  int second = cerniq::testing::FreeLoopbackPort();
  StartExporter({"--web.listen-address", "[::1]:" + std::to_string(second), "--redis.url",
                 "redis://127.0.0.1:1/0"});
  auto v6 = HttpGet("http://[::1]:" + std::to_string(second) + "/health", milliseconds(3000));
  if (v6.status == 0 && v6.error.find("connect") != std::string::npos)
    GTEST_SKIP() << "no IPv6 loopback: " << v6.error;
  EXPECT_EQ(v6.status, 200) << v6.error;
  EXPECT_EQ(Get("/health").status, 200);
}

TEST(ExporterCli, InvalidWebConfigIsAClearError) {
  std::string web = WriteTemp("web.yml", "tls_server_config:\n  cert_file: a.crt\n");
  auto run = RunExporter("--web.listen-address 127.0.0.1:0 --web.config.file " + web +
                         " --redis.url redis://127.0.0.1:1/0");
  std::filesystem::remove(web);
  EXPECT_EQ(run.code, 1);
  EXPECT_THAT(run.output, HasSubstr("cannot start the HTTP server"));
  EXPECT_THAT(run.output, HasSubstr("missing key_file"));
}

TEST(ExporterCli, PortInUseIsAClearError) {
  int port = cerniq::testing::FreeLoopbackPort();
  cerniq::testing::Subprocess first({CERNIQ_EXPORTER_BIN, "--web.listen-address",
                                     "127.0.0.1:" + std::to_string(port), "--redis.url",
                                     "redis://127.0.0.1:1/0"});
  ASSERT_TRUE(cerniq::testing::WaitFor(
      [&] { return HttpGet("http://127.0.0.1:" + std::to_string(port) + "/health").status == 200; },
      milliseconds(10000)));
  auto second = RunExporter("--web.listen-address 127.0.0.1:" + std::to_string(port) +
                            " --redis.url redis://127.0.0.1:1/0");
  EXPECT_EQ(second.code, 1);
  EXPECT_THAT(second.output, HasSubstr("cannot start the HTTP server"));
}

}  // namespace
}  // namespace cerniq::exporter
