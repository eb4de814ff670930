#pragma once
// civetweb adapter: serves a Router on one port. Every request goes through Router::Handle;
// exceptions become a 500, never a crash.

#include <memory>
#include <string>

#include "http/routes.h"

class CivetServer;

namespace cerniq::http {

struct ServerOptions {
  std::string listen_address = ":9755";  // [host]:port; ":port" listens on every IPv4 address
  int threads = 32;
};

class Server {
 public:
  // Throws std::runtime_error when the address cannot be bound.
  Server(const ServerOptions& options, const Router& router);
  ~Server();
  // The port actually bound (useful with port 0).
  int port() const;

 private:
  class Handler;
  std::unique_ptr<Handler> handler_;
  std::unique_ptr<CivetServer> server_;
};

// ":9755" -> "9755"; "127.0.0.1:0" stays; rejects IPv6 (civetweb on Debian 12 has none).
std::string CivetListeningPorts(const std::string& listen_address, std::string& error);

}  // namespace cerniq::http
