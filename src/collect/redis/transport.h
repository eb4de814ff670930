#pragma once
// One byte stream to a Redis server: a non-blocking TCP or unix socket, optionally wrapped in an
// OpenSSL session. Every wait is a poll() bounded by the caller's timeout, so plain and TLS
// connections time out, fail and close alike; the RESP layer above never knows which it has.

#include <chrono>
#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

#include "collect/redis/redis_url.h"

struct ssl_st;

namespace cerniq::collect::redis {

class TlsContext;

class Transport {
 public:
  // Connects (and, with `tls`, handshakes and verifies) within `timeout`. Returns nullptr and
  // sets `error` on failure; the error names the reason (refused, timed out, certificate...).
  static std::unique_ptr<Transport> Connect(const RedisAddress& address, const TlsContext* tls,
                                            std::chrono::milliseconds timeout, std::string& error);
  ~Transport();
  Transport(const Transport&) = delete;
  Transport& operator=(const Transport&) = delete;

  // Writes all of `data`; each wait for the socket is bounded by `timeout`.
  bool WriteAll(std::string_view data, std::chrono::milliseconds timeout, std::string& error);
  // Reads what is available (at least one byte), waiting at most `timeout`. Returns the number
  // of bytes, or 0 with `error` set (timeout, closed by the server, I/O or TLS error).
  size_t ReadSome(char* buffer, size_t size, std::chrono::milliseconds timeout, std::string& error);

 private:
  Transport(int fd, ssl_st* ssl) : fd_(fd), ssl_(ssl) {}
  bool Handshake(std::chrono::milliseconds timeout, std::string& error);
  // Waits until the socket is readable (`events` POLLIN) or writable (POLLOUT).
  bool Wait(short events, std::chrono::milliseconds timeout, std::string& error);
  // With TLS 1.3 the server judges the client certificate after the handshake: a refusal shows
  // up as a reset on the first write or read. Says so, since the bare error would not.
  void ExplainEarlyTlsFailure(std::string& error) const;

  int fd_ = -1;
  ssl_st* ssl_ = nullptr;
  bool received_data_ = false;
};

}  // namespace cerniq::collect::redis
