// The exporter's self-observation and limits through the real binary and a loopback
// redis-server: process_* metrics, build info, collector pass counters across SIGHUP, and each
// limit reached (label value length, queues discovered, HTTP connections, request body) counted
// in cerniq_limit_reached_total without the exporter failing.

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <regex>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "support/http_get.h"
#include "support/redis_server.h"
#include "support/subprocess.h"
#include "support/wait.h"

namespace cerniq::exporter {
namespace {

using std::chrono::milliseconds;
using ::testing::HasSubstr;
using ::testing::Not;

// The value of the one series `selector` (exact name and labels as exposed); -1 when absent.
double Value(const std::string& text, const std::string& selector) {
  auto at = text.find("\n" + selector + " ");
  if (at == std::string::npos) return -1;
  return std::stod(text.substr(at + selector.size() + 2));
}

int Connect(int port) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    close(fd);
    return -1;
  }
  return fd;
}

// Everything the server sends until it closes the connection or `timeout` passes.
std::string ReadUntilClosed(int fd, milliseconds timeout, bool* closed) {
  std::string out;
  *closed = false;
  auto end = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < end) {
    pollfd p{fd, POLLIN, 0};
    if (poll(&p, 1, 50) <= 0) continue;
    char buf[4096];
    ssize_t n = recv(fd, buf, sizeof buf, 0);
    if (n <= 0) {
      *closed = true;
      break;
    }
    out.append(buf, static_cast<size_t>(n));
  }
  return out;
}

class ExporterLimits : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(redis_.Start());
    // Three queues discovery finds, one more than discovery_max_queues allows.
    for (const char* q : {"extra1", "extra2", "extra3"}) {
      redis_.Cli({"HSET", std::string("bull:") + q + ":meta", "version", "bullmq:5.0.0"});
    }
    redis_.Cli({"RPUSH", "bull:churn:wait", "1", "2"});
    config_ = std::filesystem::temp_directory_path() /
              ("cerniq-limits-" + std::to_string(getpid()) + ".yml");
    std::ofstream(config_) << "bullmq:\n  interval: 1s\n  discovery_max_queues: 2\n"
                              "  prefixes:\n    - prefix: bull\n"
                              "      queues: [churn, association]\n      discover: true\n";
    port_ = cerniq::testing::FreeLoopbackPort();
    exporter_ = std::make_unique<cerniq::testing::Subprocess>(std::vector<std::string>{
        CERNIQ_EXPORTER_BIN, "--web.listen-address", "127.0.0.1:" + std::to_string(port_),
        "--config.file", config_.string(), "--redis.url", redis_.url(),
        "--collector.max-label-value-length", "8", "--web.max-connections", "3",
        "--web.max-request-body-bytes", "1KiB"});
    ASSERT_TRUE(cerniq::testing::WaitFor([&] { return Get("/-/ready").status == 200; },
                                         milliseconds(15000)));
  }
  void TearDown() override { std::filesystem::remove(config_); }
  std::string Metrics() {
    auto r = Get("/metrics");
    EXPECT_EQ(r.status, 200);
    return r.body;
  }
  cerniq::testing::HttpResult Get(const std::string& path) {
    return cerniq::testing::HttpGet("http://127.0.0.1:" + std::to_string(port_) + path,
                                    milliseconds(3000));
  }

  cerniq::testing::RedisServer redis_;
  std::filesystem::path config_;
  int port_ = 0;
  std::unique_ptr<cerniq::testing::Subprocess> exporter_;
};

TEST_F(ExporterLimits, ProcessMetricsBuildInfoAndPassCountersThatSurviveSighup) {
  std::string m = Metrics();
  for (const char* name :
       {"process_cpu_seconds_total", "process_open_fds", "process_max_fds",
        "process_virtual_memory_bytes", "process_virtual_memory_max_bytes",
        "process_resident_memory_bytes", "process_start_time_seconds", "process_threads"}) {
    EXPECT_GE(Value(m, name), 0) << name;
  }
  EXPECT_GT(Value(m, "process_threads"), 2) << "collector, evaluator and I/O threads";
  EXPECT_GT(Value(m, "process_resident_memory_bytes"), 1 << 20);
  EXPECT_TRUE(std::regex_search(
      m, std::regex("\ncerniq_exporter_build_info\\{version=\"[0-9.]+\",revision=\"[^\"]+\","
                    "branch=\"[^\"]+\",compiler=\"(gcc|clang) [0-9.]+\"\\} 1\n")))
      << m;
  const std::string passes = "cerniq_collector_passes_total{collector=\"bullmq\"}";
  ASSERT_GE(Value(m, passes), 1);
  EXPECT_EQ(Value(m, "cerniq_collector_failures_total{collector=\"bullmq\"}"), 0);

  // A Redis outage between two scrapes: the gauge may be back to 1, the counter keeps it.
  double before = Value(Metrics(), passes);
  exporter_->Signal(SIGHUP);
  redis_.Cli({"CLIENT", "PAUSE", "3000", "ALL"});
  EXPECT_TRUE(cerniq::testing::WaitFor(
      [&] {
        return Value(Metrics(), "cerniq_collector_failures_total{collector=\"bullmq\"}") >= 1;
      },
      milliseconds(15000)));
  EXPECT_TRUE(cerniq::testing::WaitFor(
      [&] {
        return Value(Metrics(), "cerniq_scrape_collector_success{collector=\"bullmq\"}") == 1;
      },
      milliseconds(15000)));
  std::string after = Metrics();
  EXPECT_GT(Value(after, passes), before) << "no reset by SIGHUP";
  EXPECT_GE(Value(after, "cerniq_collector_failures_total{collector=\"bullmq\"}"), 1);
  EXPECT_TRUE(exporter_->Running());
}

TEST_F(ExporterLimits, LabelValueLengthAndQueuesDiscoveredAreCountedNotFatal) {
  std::string m = Metrics();
  EXPECT_THAT(m, HasSubstr("bullmq_queue_waiting{prefix=\"bull\",queue=\"churn\"} 2\n"));
  // "association" (11 bytes) is over --collector.max-label-value-length 8: its samples go.
  EXPECT_THAT(m, Not(HasSubstr("queue=\"association\"")));
  EXPECT_GE(Value(m, "cerniq_limit_reached_total{limit=\"label_value_length\"}"), 1);
  EXPECT_GE(Value(m, "cerniq_limit_reached_total{limit=\"queues_discovered\"}"), 1);
  EXPECT_EQ(Value(m, "cerniq_limit_reached_total{limit=\"series_per_collector\"}"), 0);
  EXPECT_EQ(Value(m, "cerniq_scrape_collector_success{collector=\"bullmq\"}"), 1);
}

TEST_F(ExporterLimits, RequestBodyOverTheLimitIs413AndCounted) {
  int fd = Connect(port_);
  ASSERT_GE(fd, 0);
  std::string body = "query=" + std::string(2000, '1');
  std::string request =
      "POST /api/v1/query HTTP/1.1\r\nHost: 127.0.0.1\r\n"
      "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: " +
      std::to_string(body.size()) + "\r\n\r\n" + body;
  ASSERT_EQ(send(fd, request.data(), request.size(), MSG_NOSIGNAL),
            static_cast<ssize_t>(request.size()));
  bool closed = false;
  std::string reply = ReadUntilClosed(fd, milliseconds(3000), &closed);
  close(fd);
  EXPECT_THAT(reply, ::testing::StartsWith("HTTP/1.1 413"));
  EXPECT_EQ(Value(Metrics(), "cerniq_limit_reached_total{limit=\"http_request_body\"}"), 1);
  EXPECT_EQ(Get("/api/v1/query?query=1").status, 200) << "a small request still works";
}

TEST_F(ExporterLimits, ConnectionsOverTheLimitAreClosedAndCounted) {
  // Idle connections until the server closes one at once. A connection of an earlier request
  // the server has not yet seen close may still count, so the refusal can come before the fourth;
  // what must hold is that no more than --web.max-connections stay open.
  std::vector<int> idle;
  bool refused = false;
  for (int i = 0; i < 8 && !refused; ++i) {
    int fd = Connect(port_);
    ASSERT_GE(fd, 0);
    std::string got = ReadUntilClosed(fd, milliseconds(500), &refused);
    if (refused) {
      EXPECT_EQ(got, "") << "closed without an answer";
      close(fd);
    } else {
      idle.push_back(fd);
    }
  }
  EXPECT_TRUE(refused);
  EXPECT_LE(idle.size(), 3u);
  EXPECT_GE(idle.size(), 1u);
  for (int fd : idle) close(fd);
  // Once the idle ones are gone the exporter serves again, and says what it refused.
  double counted = -1;
  EXPECT_TRUE(cerniq::testing::WaitFor(
      [&] {
        auto r = Get("/metrics");
        if (r.status == 200) {
          counted = Value(r.body, "cerniq_limit_reached_total{limit=\"http_connections\"}");
        }
        return r.status == 200;
      },
      milliseconds(5000)));
  EXPECT_GE(counted, 1);
  EXPECT_TRUE(exporter_->Running());
}

}  // namespace
}  // namespace cerniq::exporter
