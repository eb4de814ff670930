#include "bare_floor.h"

#include <arpa/inet.h>
#include <hiredis/hiredis.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>

namespace cerniq::bench {
namespace {

[[noreturn]] void Die(const std::string& what) {
  std::fprintf(stderr, "floor: %s\n", what.c_str());
  std::exit(1);
}

void Append(std::string& batch, size_t& commands, const char* format, const std::string& key) {
  char* formatted = nullptr;
  int len = redisFormatCommand(&formatted, format, key.data(), key.size());
  if (len < 0) Die("cannot format a command");
  batch.append(formatted, static_cast<size_t>(len));
  redisFreeCommand(formatted);
  ++commands;
}

class TcpClient : public BareClient {
 public:
  explicit TcpClient(int port) : c_(redisConnect("127.0.0.1", port)) {
    if (c_ == nullptr || c_->err) Die("cannot connect to port " + std::to_string(port));
  }
  ~TcpClient() override { redisFree(c_); }
  void RoundTrip(const std::string& batch, size_t replies) override {
    redisAppendFormattedCommand(c_, batch.data(), batch.size());
    for (size_t i = 0; i < replies; ++i) {
      void* reply = nullptr;
      if (redisGetReply(c_, &reply) != REDIS_OK) Die(c_->errstr);
      freeReplyObject(reply);
    }
  }

 private:
  redisContext* c_;
};

// A blocking socket (10 s send/receive timeouts, so nothing waits forever) under one OpenSSL
// session; replies parsed by hiredis' reader as they arrive.
class TlsClient : public BareClient {
 public:
  TlsClient(int port, const std::string& ca_file) {
    ctx_ = SSL_CTX_new(TLS_client_method());
    if (ctx_ == nullptr || SSL_CTX_load_verify_locations(ctx_, ca_file.c_str(), nullptr) != 1) {
      Die("cannot load CA " + ca_file);
    }
    SSL_CTX_set_verify(ctx_, SSL_VERIFY_PEER, nullptr);
    fd_ = socket(AF_INET, SOCK_STREAM, 0);
    timeval tv{10, 0};
    setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    setsockopt(fd_, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
    int one = 1;
    setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<uint16_t>(port));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
      Die("cannot connect to port " + std::to_string(port));
    }
    ssl_ = SSL_new(ctx_);
    X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl_), "127.0.0.1");
    SSL_set_fd(ssl_, fd_);
    if (SSL_connect(ssl_) != 1) Die("TLS handshake failed");
    reader_ = redisReaderCreate();
  }
  ~TlsClient() override {
    redisReaderFree(reader_);
    SSL_free(ssl_);
    close(fd_);
    SSL_CTX_free(ctx_);
  }
  void RoundTrip(const std::string& batch, size_t replies) override {
    size_t written = 0;
    if (SSL_write_ex(ssl_, batch.data(), batch.size(), &written) != 1 || written != batch.size()) {
      Die("TLS write failed");
    }
    char buffer[64 * 1024];
    for (size_t got = 0; got < replies;) {
      void* reply = nullptr;
      if (redisReaderGetReply(reader_, &reply) != REDIS_OK) Die(reader_->errstr);
      if (reply != nullptr) {
        freeReplyObject(reply);
        ++got;
        continue;
      }
      size_t n = 0;
      if (SSL_read_ex(ssl_, buffer, sizeof buffer, &n) != 1) Die("TLS read failed or timed out");
      redisReaderFeed(reader_, buffer, n);
    }
  }

 private:
  SSL_CTX* ctx_ = nullptr;
  SSL* ssl_ = nullptr;
  int fd_ = -1;
  redisReader* reader_ = nullptr;
};

}  // namespace

std::string FloorBatch(const std::string& prefix, const std::vector<std::string>& queues,
                       bool all_reads, size_t& commands) {
  std::string batch;
  commands = 0;
  for (const auto& q : queues) {
    std::string k = prefix + ":" + q + ":";
    for (const char* list : {"wait", "paused", "active"})
      Append(batch, commands, "LLEN %b", k + list);
    for (const char* zset : {"delayed", "prioritized", "waiting-children", "failed", "completed"}) {
      Append(batch, commands, "ZCARD %b", k + zset);
    }
    Append(batch, commands, "HEXISTS %b paused", k + "meta");
    if (!all_reads) continue;
    Append(batch, commands, "HGET %b count", k + "metrics:completed");
    Append(batch, commands, "HGET %b count", k + "metrics:failed");
    Append(batch, commands, "GET %b", k + "id");
    Append(batch, commands, "LINDEX %b -1", k + "wait");
  }
  return batch;
}

std::unique_ptr<BareClient> BareTcpClient(int port) { return std::make_unique<TcpClient>(port); }

std::unique_ptr<BareClient> BareTlsClient(int port, const std::string& ca_file) {
  return std::make_unique<TlsClient>(port, ca_file);
}

double FloorPassMs(BareClient& client, const std::string& prefix,
                   const std::vector<std::string>& queues, bool all_reads) {
  auto begin = std::chrono::steady_clock::now();
  size_t commands = 0;
  std::string batch = FloorBatch(prefix, queues, all_reads, commands);
  client.RoundTrip(batch, commands);
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - begin)
      .count();
}

}  // namespace cerniq::bench
