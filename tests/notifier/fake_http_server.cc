#include "notifier/fake_http_server.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <stdexcept>

namespace cerniq::notifier::testing {
namespace {

constexpr auto kIoTimeout = std::chrono::seconds(5);

bool WaitReadable(int fd, std::chrono::milliseconds timeout) {
  pollfd p{fd, POLLIN, 0};
  return poll(&p, 1, static_cast<int>(timeout.count())) > 0;
}

size_t ContentLength(const std::string& headers) {
  const std::string key = "content-length:";
  size_t at = headers.find(key);
  return at == std::string::npos ? 0 : std::stoul(headers.substr(at + key.size()));
}

// Reads one request (headers and Content-Length body); false on timeout or close.
bool ReadRequest(int fd, Request& req) {
  std::string data;
  char buf[8192];
  const auto deadline = std::chrono::steady_clock::now() + kIoTimeout;
  size_t header_end = std::string::npos;
  while (std::chrono::steady_clock::now() < deadline) {
    if (header_end == std::string::npos) header_end = data.find("\r\n\r\n");
    if (header_end != std::string::npos) {
      std::string head = data.substr(0, header_end);
      std::transform(head.begin(), head.end(), head.begin(),
                     [](unsigned char c) { return std::tolower(c); });
      if (data.size() >= header_end + 4 + ContentLength(head)) {
        size_t line_end = data.find("\r\n");
        std::string line = data.substr(0, line_end);
        size_t sp1 = line.find(' '), sp2 = line.rfind(' ');
        req.method = line.substr(0, sp1);
        req.path = line.substr(sp1 + 1, sp2 - sp1 - 1);
        req.headers = head.substr(std::min(head.size(), line_end + 2));
        req.body = data.substr(header_end + 4, ContentLength(head));
        return true;
      }
    }
    if (!WaitReadable(fd, std::chrono::milliseconds(100))) continue;
    ssize_t n = read(fd, buf, sizeof buf);
    if (n <= 0) return false;
    data.append(buf, static_cast<size_t>(n));
  }
  return false;
}

}  // namespace

FakeHttpServer::FakeHttpServer(Handler handler) : handler_(std::move(handler)) {
  listen_fd_ = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof addr;
  if (bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), len) != 0 ||
      listen(listen_fd_, 16) != 0 ||
      getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    throw std::runtime_error("cannot listen on loopback");
  }
  port_ = ntohs(addr.sin_port);
  thread_ = std::thread([this] { Serve(); });
}

FakeHttpServer::~FakeHttpServer() {
  stop_ = true;
  thread_.join();
  close(listen_fd_);
}

std::vector<Request> FakeHttpServer::requests() const {
  std::lock_guard lock(mu_);
  return requests_;
}

size_t FakeHttpServer::request_count() const {
  std::lock_guard lock(mu_);
  return requests_.size();
}

void FakeHttpServer::Serve() {
  while (!stop_) {
    if (!WaitReadable(listen_fd_, std::chrono::milliseconds(50))) continue;
    int fd = accept(listen_fd_, nullptr, nullptr);
    if (fd < 0) continue;
    HandleConnection(fd);
    close(fd);
  }
}

void FakeHttpServer::HandleConnection(int fd) {
  Request req;
  if (!ReadRequest(fd, req)) return;
  Reply reply = handler_ ? handler_(req) : Reply{};
  {
    std::lock_guard lock(mu_);
    requests_.push_back(req);
  }
  // A slow endpoint: wait, but give up early when the server stops.
  const auto until = std::chrono::steady_clock::now() + reply.delay;
  while (!stop_ && std::chrono::steady_clock::now() < until) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  std::string response = "HTTP/1.1 " + std::to_string(reply.status) +
                         " Status\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
  (void)!write(fd, response.data(), response.size());
}

}  // namespace cerniq::notifier::testing
