#pragma once
// A loopback HTTP/1.1 server for the notifier's tests: records every request and answers each
// with what the test's handler says (status, optional delay), one connection at a time.

#include <atomic>
#include <chrono>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace cerniq::notifier::testing {

struct Request {
  std::string method;
  std::string path;
  std::string headers;  // raw header block, lower-cased names
  std::string body;
};

struct Reply {
  int status = 200;
  std::chrono::milliseconds delay{0};  // before answering (a slow endpoint)
};

class FakeHttpServer {
 public:
  using Handler = std::function<Reply(const Request&)>;
  explicit FakeHttpServer(Handler handler = nullptr);
  ~FakeHttpServer();

  int port() const { return port_; }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  std::vector<Request> requests() const;
  size_t request_count() const;

 private:
  void Serve();
  void HandleConnection(int fd);

  Handler handler_;
  int listen_fd_ = -1;
  int port_ = 0;
  std::atomic<bool> stop_{false};
  mutable std::mutex mu_;
  std::vector<Request> requests_;
  std::thread thread_;
};

}  // namespace cerniq::notifier::testing
