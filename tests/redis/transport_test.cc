// The connection's own socket and RESP parsing against a fake in-process server on loopback:
// replies split into single bytes, a server that never answers, one that hangs up mid-reply,
// and nothing listening (backoff).

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <thread>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "collect/redis/connection.h"

namespace cerniq::collect::redis {
namespace {

using std::chrono::milliseconds;
using ::testing::HasSubstr;

// Accepts one connection, reads the request, then sends `chunks` one by one (empty chunk: wait
// 50 ms) and closes, or keeps the connection silent until destroyed when `silent`.
class FakeServer {
 public:
  FakeServer(std::vector<std::string> chunks, bool silent = false) {
    listener_ = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    bind(listener_, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
    listen(listener_, 1);
    socklen_t len = sizeof addr;
    getsockname(listener_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
    thread_ = std::thread([this, chunks = std::move(chunks), silent] {
      int fd = accept(listener_, nullptr, nullptr);
      if (fd < 0) return;
      char buf[4096];
      if (recv(fd, buf, sizeof buf, 0) <= 0) return void(close(fd));
      if (silent) {
        recv(fd, buf, sizeof buf, 0);  // until the client gives up and closes
      } else {
        for (const std::string& c : chunks) {
          if (c.empty()) std::this_thread::sleep_for(milliseconds(50));
          for (char ch : c) send(fd, &ch, 1, MSG_NOSIGNAL);
        }
      }
      close(fd);
    });
  }
  ~FakeServer() {
    shutdown(listener_, SHUT_RDWR);
    close(listener_);
    thread_.join();
  }
  int port() const { return port_; }

 private:
  int listener_ = -1;
  int port_ = 0;
  std::thread thread_;
};

Connection ConnectionTo(int port) {
  std::string error;
  return Connection(*ParseRedisUrl("redis://127.0.0.1:" + std::to_string(port), error),
                    milliseconds(500), milliseconds(300));
}

TEST(Transport, ParsesRepliesArrivingByteByByte) {
  FakeServer server({"+OK\r\n:4", "", "2\r\n*2\r\n$1\r\na\r\n$-1\r\n-ERR nope\r\n"});
  Connection c = ConnectionTo(server.port());
  std::string error;
  auto replies = c.Pipeline({{"PING"}, {"LLEN", "x"}, {"HMGET", "h", "a", "b"}, {"X"}}, error);
  ASSERT_TRUE(replies) << error;
  ASSERT_EQ(replies->size(), 4u);
  EXPECT_EQ((*replies)[0].str, "OK");
  EXPECT_EQ((*replies)[1].integer, 42);
  ASSERT_EQ((*replies)[2].elements.size(), 2u);
  EXPECT_EQ((*replies)[2].elements[0].str, "a");
  EXPECT_EQ((*replies)[2].elements[1].type, Reply::Type::kNil);
  EXPECT_TRUE((*replies)[3].IsError());
  EXPECT_EQ(c.round_trips(), 1u);
}

TEST(Transport, SilentServerTimesOutWithinTheReadTimeout) {
  FakeServer server({}, /*silent=*/true);
  Connection c = ConnectionTo(server.port());
  std::string error;
  auto started = std::chrono::steady_clock::now();
  EXPECT_FALSE(c.Pipeline({{"PING"}}, error));
  EXPECT_LT(std::chrono::steady_clock::now() - started, milliseconds(2000));
  EXPECT_THAT(error, HasSubstr("read timed out"));
}

TEST(Transport, ServerHangingUpMidReplyIsAnError) {
  FakeServer server({":1\r\n$10\r\nhal"});
  Connection c = ConnectionTo(server.port());
  std::string error;
  EXPECT_FALSE(c.Pipeline({{"A"}, {"B"}}, error));
  EXPECT_THAT(error, HasSubstr("server closed the connection"));
}

TEST(Transport, RefusedConnectBacksOff) {
  int port = 0;
  {
    FakeServer gone({"+OK\r\n"});
    port = gone.port();
    Connection c = ConnectionTo(port);
    std::string error;
    ASSERT_TRUE(c.Pipeline({{"PING"}}, error)) << error;
  }
  Connection c = ConnectionTo(port);
  std::string error;
  EXPECT_FALSE(c.Pipeline({{"PING"}}, error));
  EXPECT_THAT(error, HasSubstr("Connection refused"));
  EXPECT_FALSE(c.Pipeline({{"PING"}}, error));
  EXPECT_THAT(error, HasSubstr("reconnect backoff"));
}

}  // namespace
}  // namespace cerniq::collect::redis
