// The Beast server on loopback: several addresses and IPv6, gzip, limits, and connections that
// misbehave (slowloris, abandoned) neither block a scrape nor leak file descriptors.
#include "http/server.h"

#include <unistd.h>
#include <zlib.h>

#include <chrono>
#include <thread>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "raw_client.h"
#include "support/http_get.h"
#include "support/wait.h"

namespace cerniq::http {
namespace {

using namespace std::chrono_literals;
using ::testing::HasSubstr;
using namespace testing;

std::string Gunzip(const std::string& data) {
  z_stream z{};
  if (inflateInit2(&z, 15 + 16) != Z_OK) return "";
  std::string out(1 << 22, '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  z.avail_in = static_cast<uInt>(data.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  int rc = inflate(&z, Z_FINISH);
  out.resize(z.total_out);
  inflateEnd(&z);
  return rc == Z_STREAM_END ? out : "";
}

class ServerTest : public ::testing::Test {
 protected:
  ServerTest() : router_(RouteContext{}, store_) {}

  std::unique_ptr<Server> Start(std::vector<std::string> addresses, ServerLimits limits = {}) {
    ServerOptions options(std::move(addresses), 2);
    options.limits = limits;
    return std::make_unique<Server>(options, router_);
  }
  static std::string Get(const std::string& path, const std::string& extra = "") {
    return "GET " + path + " HTTP/1.1\r\nHost: x\r\n" + extra + "Connection: close\r\n\r\n";
  }
  // A scrape must answer quickly whatever other connections do.
  static void ExpectQuickScrape(int port) {
    auto started = std::chrono::steady_clock::now();
    auto r = cerniq::testing::HttpGet("http://127.0.0.1:" + std::to_string(port) + "/metrics", 2s);
    EXPECT_EQ(r.status, 200) << r.error;
    EXPECT_LT(std::chrono::steady_clock::now() - started, 1s);
  }

  collect::SnapshotStore store_;
  Router router_;
};

TEST_F(ServerTest, ServesTwoAddressesIncludingIPv6) {
  std::unique_ptr<Server> server;
  try {
    server = Start({"127.0.0.1:0", "[::1]:0"});
  } catch (const std::exception& e) {
    GTEST_SKIP() << "no IPv6 loopback: " << e.what();
  }
  auto bound = server->bound_addresses();
  ASSERT_EQ(bound.size(), 2u);
  EXPECT_THAT(bound[0], HasSubstr("127.0.0.1:"));
  EXPECT_THAT(bound[1], HasSubstr("[::1]:"));
  int v6_port = std::stoi(bound[1].substr(bound[1].rfind(':') + 1));
  EXPECT_EQ(Parse(Exchange("127.0.0.1", server->port(), Get("/-/healthy"))).status, 200);
  auto v6 = Parse(Exchange("::1", v6_port, Get("/-/healthy")));
  EXPECT_EQ(v6.status, 200);
  EXPECT_EQ(v6.body, "Healthy\n");
}

TEST_F(ServerTest, EveryAddressIsDualStack) {
  std::unique_ptr<Server> server = Start({":0"});
  EXPECT_EQ(Parse(Exchange("127.0.0.1", server->port(), Get("/-/healthy"))).status, 200);
  int v6 = Connect("::1", server->port());
  if (v6 < 0) GTEST_SKIP() << "no IPv6 loopback";
  close(v6);
  EXPECT_EQ(Parse(Exchange("::1", server->port(), Get("/-/healthy"))).status, 200);
}

TEST_F(ServerTest, RejectsBadAddressesAndBusyPorts) {
  EXPECT_THROW(Start({"9755"}), std::runtime_error);
  auto first = Start({"127.0.0.1:0"});
  EXPECT_THROW(Start({"127.0.0.1:" + std::to_string(first->port())}), std::runtime_error);
}

TEST_F(ServerTest, GzipWhenAsked) {
  auto server = Start({"127.0.0.1:0"});
  std::string plain = router_.Handle({"GET", "/metrics", ""}).Body();
  auto zipped = Parse(
      Exchange("127.0.0.1", server->port(), Get("/metrics", "Accept-Encoding: gzip, deflate\r\n")));
  EXPECT_EQ(zipped.status, 200);
  EXPECT_THAT(zipped.head, HasSubstr("Content-Encoding: gzip"));
  EXPECT_EQ(Gunzip(zipped.body), plain);
  auto unzipped = Parse(Exchange("127.0.0.1", server->port(), Get("/metrics")));
  EXPECT_THAT(unzipped.head, ::testing::Not(HasSubstr("Content-Encoding")));
  EXPECT_EQ(unzipped.body, plain);
  // curl decodes what it asked for.
  EXPECT_EQ(
      cerniq::testing::HttpGet("http://127.0.0.1:" + std::to_string(server->port()) + "/metrics")
          .body,
      plain);
}

TEST_F(ServerTest, KeepAliveHeadAndPipelining) {
  auto server = Start({"127.0.0.1:0"});
  int fd = Connect("127.0.0.1", server->port());
  ASSERT_GE(fd, 0);
  SendAll(fd,
          "HEAD /-/healthy HTTP/1.1\r\nHost: x\r\n\r\n"
          "GET /-/healthy HTTP/1.1\r\nHost: x\r\n\r\n"
          "POST /metrics HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
  std::string all = ReadAll(fd);
  close(fd);
  EXPECT_THAT(all, HasSubstr("HTTP/1.1 200 OK\r\n"));
  EXPECT_THAT(all, HasSubstr("Content-Length: 8\r\n"));
  EXPECT_THAT(all, HasSubstr("\r\n\r\nHealthy\n"));
  EXPECT_THAT(all, HasSubstr("HTTP/1.1 405 Method Not Allowed\r\n"));
  EXPECT_EQ(all.find("Healthy\n"), all.rfind("Healthy\n"));  // HEAD had no body
}

TEST_F(ServerTest, OversizedAndMalformedRequests) {
  ServerLimits limits;
  limits.max_header_bytes = 8192;
  auto server = Start({"127.0.0.1:0"}, limits);
  int port = server->port();
  auto long_line = Parse(Exchange("127.0.0.1", port, Get("/" + std::string(10000, 'a'))));
  EXPECT_EQ(long_line.status, 431);
  EXPECT_EQ(long_line.body, "431 Request Header Fields Too Large");
  auto big_header =
      Parse(Exchange("127.0.0.1", port, Get("/", "X-Big: " + std::string(10000, 'b') + "\r\n")));
  EXPECT_EQ(big_header.status, 431);
  EXPECT_EQ(Parse(Exchange("127.0.0.1", port, "GARBAGE\r\n\r\n")).status, 400);
  EXPECT_EQ(Parse(Exchange("127.0.0.1", port, "GET / HTTP/1.1\r\nBad Header\r\n\r\n")).status, 400);
  auto body = Parse(Exchange(
      "127.0.0.1", port,
      "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\n" + std::string(100000, 'c')));
  EXPECT_EQ(body.status, 413);
  ExpectQuickScrape(port);
}

TEST_F(ServerTest, SlowlorisIsCutAndDoesNotBlockScrapes) {
  ServerLimits limits;
  limits.read_timeout = 1s;
  auto server = Start({"127.0.0.1:0"}, limits);
  std::vector<int> slow;
  for (int i = 0; i < 50; ++i) {
    int fd = Connect("127.0.0.1", server->port(), 5s);
    ASSERT_GE(fd, 0);
    SendAll(fd, "GET /metrics HTTP/1.1\r\nX-Slow: ");
    slow.push_back(fd);
  }
  auto started = std::chrono::steady_clock::now();
  for (int step = 0; step < 6; ++step) {  // keep trickling, one byte each 200 ms
    for (int fd : slow) SendAll(fd, "a");
    ExpectQuickScrape(server->port());
    std::this_thread::sleep_for(200ms);
  }
  // The server closed them at the read timeout although they kept sending.
  for (int fd : slow) {
    EXPECT_EQ(ReadAll(fd), "");
    close(fd);
  }
  EXPECT_LT(std::chrono::steady_clock::now() - started, 4s);
}

TEST_F(ServerTest, AbandonedConnectionsNeitherBlockNorLeak) {
  RaiseFdLimit();
  ServerLimits limits;
  limits.idle_timeout = 2s;
  auto server = Start({"127.0.0.1:0"}, limits);
  ExpectQuickScrape(server->port());
  ASSERT_TRUE(cerniq::testing::WaitFor([&] { return server->open_connections() == 0; }, 3s));
  int baseline = OpenFds();
  std::vector<int> abandoned;
  for (int i = 0; i < 1000; ++i) {
    int fd = Connect("127.0.0.1", server->port());
    ASSERT_GE(fd, 0) << "connection " << i;
    if (i % 2) SendAll(fd, "GET /metrics HTTP/1.1\r\nHost");  // half a request, then silence
    abandoned.push_back(fd);
  }
  ExpectQuickScrape(server->port());
  EXPECT_TRUE(cerniq::testing::WaitFor([&] { return server->open_connections() >= 1000; }, 5s));
  for (int fd : abandoned) close(fd);
  EXPECT_TRUE(cerniq::testing::WaitFor(
      [&] { return server->open_connections() == 0 && OpenFds() == baseline; }, 5s))
      << "open connections " << server->open_connections() << ", fds " << OpenFds() << " vs "
      << baseline;
  ExpectQuickScrape(server->port());
}

TEST_F(ServerTest, IdleConnectionsAreClosedAfterTheIdleTimeout) {
  ServerLimits limits;
  limits.idle_timeout = 300ms;
  auto server = Start({"127.0.0.1:0"}, limits);
  int fd = Connect("127.0.0.1", server->port(), 3s);
  ASSERT_GE(fd, 0);
  auto started = std::chrono::steady_clock::now();
  EXPECT_EQ(ReadAll(fd), "");
  EXPECT_LT(std::chrono::steady_clock::now() - started, 2s);
  close(fd);
}

}  // namespace
}  // namespace cerniq::http
