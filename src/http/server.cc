#include "http/server.h"

#include <CivetServer.h>

#include <exception>
#include <stdexcept>

#include "log/log.h"

namespace cerniq::http {

namespace {

// A request body of at most 1 MiB (query forms are small); the rest is not read.
std::string ReadBody(mg_connection* conn) {
  constexpr size_t kMax = 1 << 20;
  std::string body;
  char buf[8192];
  for (int n; body.size() < kMax && (n = mg_read(conn, buf, sizeof buf)) > 0;) {
    body.append(buf, static_cast<size_t>(n));
  }
  return body;
}

}  // namespace

class Server::Handler : public CivetHandler {
 public:
  explicit Handler(const Router& router) : router_(router) {}
  bool handleGet(CivetServer*, mg_connection* conn) override { return Serve(conn, "GET"); }
  bool handleHead(CivetServer*, mg_connection* conn) override { return Serve(conn, "HEAD"); }
  bool handlePost(CivetServer*, mg_connection* conn) override { return Serve(conn, "POST"); }
  bool handlePut(CivetServer*, mg_connection* conn) override { return Serve(conn, "PUT"); }
  bool handleDelete(CivetServer*, mg_connection* conn) override { return Serve(conn, "DELETE"); }
  bool handlePatch(CivetServer*, mg_connection* conn) override { return Serve(conn, "PATCH"); }

 private:
  bool Serve(mg_connection* conn, const char* method) {
    Response response;
    try {
      const mg_request_info* info = mg_get_request_info(conn);
      Request request;
      request.method = method;
      request.path = info->local_uri ? info->local_uri : "/";
      request.query = info->query_string ? info->query_string : "";
      if (const char* ct = mg_get_header(conn, "Content-Type")) request.content_type = ct;
      if (request.method == "POST") request.body = ReadBody(conn);
      response = router_.Handle(request);
    } catch (const std::exception& e) {
      log::Error("HTTP handler failed", {{"err", e.what()}});
      response = Response{500, "text/plain; charset=utf-8", "internal error\n", {}};
    } catch (...) {
      response = Response{500, "text/plain; charset=utf-8", "internal error\n", {}};
    }
    std::string head = "HTTP/1.1 " + std::to_string(response.status) + " " +
                       mg_get_response_code_text(conn, response.status) +
                       "\r\nContent-Type: " + response.content_type +
                       "\r\nContent-Length: " + std::to_string(response.body.size()) + "\r\n";
    for (const auto& [k, v] : response.headers) head += k + ": " + v + "\r\n";
    head += "\r\n";
    mg_write(conn, head.data(), head.size());
    if (std::string_view(method) != "HEAD")
      mg_write(conn, response.body.data(), response.body.size());
    return true;
  }

  const Router& router_;
};

std::string CivetListeningPorts(const std::string& listen_address, std::string& error) {
  if (listen_address.find('[') != std::string::npos) {
    error = "IPv6 listen addresses are not supported by Debian 12's civetweb";
    return "";
  }
  size_t colon = listen_address.rfind(':');
  if (colon == std::string::npos) {
    error = "listen address must be [host]:port, got \"" + listen_address + "\"";
    return "";
  }
  std::string port = listen_address.substr(colon + 1);
  if (port.empty() || port.find_first_not_of("0123456789") != std::string::npos ||
      port.size() > 5 || std::stoi(port) > 65535) {
    error = "invalid port in listen address \"" + listen_address + "\"";
    return "";
  }
  std::string host = listen_address.substr(0, colon);
  return host.empty() ? port : host + ":" + port;
}

Server::Server(const ServerOptions& options, const Router& router)
    : handler_(std::make_unique<Handler>(router)) {
  std::string error;
  std::string ports = CivetListeningPorts(options.listen_address, error);
  if (ports.empty()) throw std::runtime_error(error);
  std::vector<std::string> civet_options = {
      "listening_ports",    ports,   "num_threads",           std::to_string(options.threads),
      "enable_keep_alive",  "yes",   "keep_alive_timeout_ms", "5000",
      "request_timeout_ms", "10000", "tcp_nodelay",           "1",
      "listen_backlog",     "512"};
  try {
    server_ = std::make_unique<CivetServer>(civet_options);
  } catch (const CivetException& e) {
    throw std::runtime_error("cannot listen on " + options.listen_address + ": " + e.what());
  }
  server_->addHandler("/", handler_.get());
}

Server::~Server() {
  if (server_) server_->close();
}

int Server::port() const {
  auto ports = server_->getListeningPorts();
  return ports.empty() ? 0 : ports[0];
}

}  // namespace cerniq::http
