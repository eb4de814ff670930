// Health probes against real HTTP servers on loopback: our own HTTP server for answers, and a
// socket that accepts but never answers for the timeout.

#include "collect/probe/probe_collector.h"

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "collect/families.h"
#include "http/routes.h"
#include "http/server.h"

namespace cerniq::collect::probe {
namespace {

using std::chrono::milliseconds;

double ServiceUp(const collect::CollectResult& r) {
  EXPECT_EQ(r.families.size(), 1u);
  return r.families.at(0).metric.at(0).gauge.value;
}

class ProbeTest : public ::testing::Test {
 protected:
  ProbeTest() : router_(http::RouteContext{}, store_), server_({"127.0.0.1:0", 2}, router_) {}
  config::ProbeConfig Probe(const std::string& path, std::map<std::string, std::string> expect) {
    config::ProbeConfig p;
    p.service = "api";
    p.url = "http://127.0.0.1:" + std::to_string(server_.port()) + path;
    p.expect = std::move(expect);
    p.timeout = milliseconds(1000);
    return p;
  }
  collect::SnapshotStore store_;
  http::Router router_;
  http::Server server_;
};

TEST_F(ProbeTest, UpWhenTheAnswerHasTheExpectedFields) {
  auto r = ProbeCollector(Probe("/health", {{"status", "healthy"}})).Collect();
  EXPECT_TRUE(r.success);
  EXPECT_EQ(ServiceUp(r), 1);
  EXPECT_EQ(r.families[0].metric[0].label[0].value, "api");
}

TEST_F(ProbeTest, DownOnWrongValueMissingFieldOrBadStatus) {
  // /health/redis answers {"connected":false} with 503 here (no Redis collector ran).
  auto wrong = ProbeCollector(Probe("/health/redis", {{"connected", "true"}})).Collect();
  EXPECT_EQ(ServiceUp(wrong), 0);
  EXPECT_THAT(wrong.error, ::testing::HasSubstr("HTTP status 503"));
  auto missing = ProbeCollector(Probe("/health", {{"available", "true"}})).Collect();
  EXPECT_EQ(ServiceUp(missing), 0);
  EXPECT_THAT(missing.error, ::testing::HasSubstr("no field \"available\""));
  auto value = ProbeCollector(Probe("/health", {{"status", "ok"}})).Collect();
  EXPECT_EQ(ServiceUp(value), 0);
  EXPECT_THAT(value.error, ::testing::HasSubstr("\"healthy\", expected ok"));
  auto not_json = ProbeCollector(Probe("/-/healthy", {{"status", "ok"}})).Collect();
  EXPECT_EQ(ServiceUp(not_json), 0);
  auto notfound = ProbeCollector(Probe("/nope", {})).Collect();
  EXPECT_EQ(ServiceUp(notfound), 0);
}

TEST(Probe, TimesOutOnAServerThatNeverAnswers) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  ASSERT_EQ(listen(fd, 4), 0);  // the kernel completes the handshake; nobody ever reads
  socklen_t len = sizeof addr;
  getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  config::ProbeConfig p;
  p.service = "llm";
  p.url = "http://127.0.0.1:" + std::to_string(ntohs(addr.sin_port)) + "/health/llm";
  p.timeout = milliseconds(300);
  auto begin = std::chrono::steady_clock::now();
  auto r = ProbeCollector(p).Collect();
  auto took = std::chrono::steady_clock::now() - begin;
  close(fd);
  EXPECT_EQ(ServiceUp(r), 0);
  EXPECT_THAT(r.error, ::testing::HasSubstr("imeout"));
  EXPECT_LT(took, std::chrono::seconds(5)) << "the probe's own timeout must bound it";
}

TEST(Probe, BodyMatching) {
  std::string why;
  EXPECT_TRUE(BodyMatches(R"({"available": true, "x": 1})", {{"available", "true"}}, why));
  EXPECT_TRUE(BodyMatches(R"({"n": 3})", {{"n", "3"}}, why));
  EXPECT_FALSE(BodyMatches(R"({"available": "true"})", {{"available", "false"}}, why));
  EXPECT_FALSE(BodyMatches("[1]", {{"a", "b"}}, why));
  EXPECT_EQ(why, "answer is not a JSON object");
  EXPECT_TRUE(BodyMatches("anything", {}, why)) << "no expectation: any 2xx is up";
}

}  // namespace
}  // namespace cerniq::collect::probe
