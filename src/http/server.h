#pragma once
// The HTTP server (Boost.Beast on Asio, see README.md for the choice): serves a Router on one or
// more addresses with a few I/O threads, so a slow, idle or abandoned connection costs a socket
// and a buffer, never a thread. Every request goes through Router::Handle; exceptions become a
// 500, never a crash.

#include <chrono>
#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include "http/routes.h"

namespace cerniq::http {

struct ServerLimits {
  // Keep-alive: how long an idle connection may wait for the first byte of its next request.
  std::chrono::milliseconds idle_timeout{std::chrono::minutes(2)};
  // From a request's first byte to its last (bounds slowloris), and for a TLS handshake.
  std::chrono::milliseconds read_timeout{std::chrono::seconds(10)};
  std::chrono::milliseconds write_timeout{std::chrono::seconds(30)};
  std::size_t max_header_bytes = 64 * 1024;  // request line + headers; more gets a 431
  std::size_t max_body_bytes = 64 * 1024;    // more gets a 413
  std::size_t max_connections = 10000;       // beyond it new connections are closed at once
};

struct ServerOptions {
  ServerOptions() = default;
  ServerOptions(std::vector<std::string> addresses, int io_threads = 0)
      : listen_addresses(std::move(addresses)), threads(io_threads) {}
  ServerOptions(std::string address, int io_threads)
      : listen_addresses{std::move(address)}, threads(io_threads) {}

  // [host]:port each (Go's form); ":port" listens on every IPv6 and IPv4 address.
  std::vector<std::string> listen_addresses = {":9755"};
  int threads = 0;  // I/O threads; 0 = one per core, at least 2
  // exporter-toolkit's --web.config.file (TLS, basic auth, headers); "" = plain HTTP, no auth.
  std::string web_config_file;
  ServerLimits limits;
};

class Server {
 public:
  // Throws std::runtime_error when an address is invalid or cannot be bound, or the web config
  // (or its certificate and key) is invalid.
  Server(const ServerOptions& options, const Router& router);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // The port actually bound by the first address (useful with port 0).
  int port() const;
  // The bound "host:port" of every address, in order ("[::1]:9755" for IPv6).
  std::vector<std::string> bound_addresses() const;
  // Connections currently open (for tests and self-monitoring).
  std::size_t open_connections() const;

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace cerniq::http
