#include "http/server.h"

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ip/v6_only.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>

#include <algorithm>
#include <list>
#include <stdexcept>
#include <thread>

#include "http/connection.h"
#include "http/listen_address.h"
#include "http/tls_context.h"
#include "http/web_config_source.h"
#include "log/limits.h"

namespace cerniq::http {
namespace asio = boost::asio;
using tcp = asio::ip::tcp;

namespace {

std::string Display(const tcp::endpoint& endpoint) {
  std::string host = endpoint.address().to_string();
  if (endpoint.address().is_v6()) host = "[" + host + "]";
  return host + ":" + std::to_string(endpoint.port());
}

// ":port" is every address: IPv6 dual-stack when the host has IPv6, else IPv4 (as Go does).
tcp::endpoint Resolve(asio::io_context& io, const std::string& text) {
  std::string error;
  auto address = ParseListenAddress(text, error);
  if (!address) throw std::runtime_error(error);
  if (address->host.empty()) return tcp::endpoint(tcp::v6(), address->port);
  tcp::resolver resolver(io);
  boost::system::error_code ec;
  auto results = resolver.resolve(address->host, std::to_string(address->port),
                                  tcp::resolver::passive | tcp::resolver::numeric_service, ec);
  if (ec || results.empty())
    throw std::runtime_error("cannot resolve listen address \"" + text + "\": " + ec.message());
  return results.begin()->endpoint();
}

}  // namespace

struct Listener {
  explicit Listener(asio::io_context& io) : acceptor(io), retry(io) {}
  tcp::acceptor acceptor;
  asio::steady_timer retry;  // backoff after accept errors (EMFILE) instead of spinning
};

class Server::Impl {
 public:
  Impl(const ServerOptions& options, const Router& router)
      : web_(options.web_config_file.empty()
                 ? nullptr
                 : std::make_unique<WebConfigSource>(options.web_config_file)),
        dispatcher_(router, web_.get()),
        io_(Threads(options)) {
    if (web_) {
      std::string error;
      tls_.For(web_->Current(error));  // a certificate that does not load stops the start
    }
    shared_.limits = options.limits;
    shared_.dispatcher = &dispatcher_;
    shared_.slow = &slow_;
    if (options.listen_addresses.empty()) throw std::runtime_error("no listen address given");
    for (const auto& text : options.listen_addresses) Listen(text);
    for (auto& listener : listeners_) Accept(listener);
    for (int i = 0; i < Threads(options); ++i) threads_.emplace_back([this] { Run(); });
  }

  ~Impl() {
    slow_.stop();
    slow_.join();
    io_.stop();
    for (auto& thread : threads_) thread.join();
  }

  std::vector<std::string> Bound() const {
    std::vector<std::string> out;
    for (const auto& listener : listeners_)
      out.push_back(Display(listener.acceptor.local_endpoint()));
    return out;
  }
  int FirstPort() const { return listeners_.front().acceptor.local_endpoint().port(); }
  std::size_t Open() const { return shared_.open.load(); }

 private:
  static int Threads(const ServerOptions& options) {
    if (options.threads > 0) return options.threads;
    return std::max(2, static_cast<int>(std::thread::hardware_concurrency()));
  }

  void Listen(const std::string& text) {
    tcp::endpoint endpoint = Resolve(io_, text);
    Listener& listener = listeners_.emplace_back(io_);
    auto& acceptor = listener.acceptor;
    boost::system::error_code ec;
    acceptor.open(endpoint.protocol(), ec);
    if (ec && endpoint.address().is_v6() && endpoint.address().is_unspecified()) {
      endpoint = tcp::endpoint(tcp::v4(), endpoint.port());  // a host without IPv6
      ec = {};
      acceptor.open(endpoint.protocol(), ec);
    }
    if (!ec) acceptor.set_option(tcp::acceptor::reuse_address(true), ec);
    if (!ec && endpoint.address().is_v6() && endpoint.address().is_unspecified())
      acceptor.set_option(asio::ip::v6_only(false), ec);
    if (!ec) acceptor.bind(endpoint, ec);
    if (!ec) acceptor.listen(1024, ec);
    if (ec) throw std::runtime_error("cannot listen on " + text + ": " + ec.message());
  }

  void Accept(Listener& listener) {
    listener.acceptor.async_accept(
        asio::make_strand(io_),
        [this, &listener](boost::system::error_code ec, tcp::socket socket) {
          if (ec == asio::error::operation_aborted) return;
          if (ec) {
            log::Warn("accept failed", {{"err", ec.message()}});
            listener.retry.expires_after(std::chrono::milliseconds(50));
            listener.retry.async_wait([this, &listener](boost::system::error_code e) {
              if (!e) Accept(listener);
            });
            return;
          }
          Adopt(std::move(socket));
          Accept(listener);
        });
  }

  void Adopt(tcp::socket socket) {
    if (shared_.open.load() >= shared_.limits.max_connections) {  // closes the socket
      log::LimitReached(log::limit::kHttpConnections,
                        {{"max_connections", std::to_string(shared_.limits.max_connections)}});
      return;
    }
    boost::system::error_code ignored;
    socket.set_option(tcp::no_delay(true), ignored);
    detail::TcpStream stream(std::move(socket));
    std::shared_ptr<asio::ssl::context> tls;
    if (web_) {
      std::string error;
      auto web = web_->Current(error);
      if (!web && tls_.LastHadTls()) return;  // exporter-toolkit's handshake fails too
      try {
        if (web) tls = tls_.For(web);
      } catch (const std::exception& e) {
        log::Error("TLS handshake refused", {{"err", e.what()}});
        return;
      }
    }
    if (tls) {
      std::make_shared<detail::Connection<detail::TlsStream>>(std::move(stream), shared_, tls)
          ->Start();
    } else {
      std::make_shared<detail::Connection<detail::TcpStream>>(std::move(stream), shared_)->Start();
    }
  }

  void Run() {
    for (int restarts = 0; restarts < 1000; ++restarts) {
      try {
        io_.run();
        return;
      } catch (const std::exception& e) {
        log::Error("HTTP I/O thread caught an exception", {{"err", e.what()}});
      }
    }
  }

  std::unique_ptr<WebConfigSource> web_;
  TlsContextCache tls_;
  Dispatcher dispatcher_;
  detail::ConnectionShared shared_;
  asio::io_context io_;
  // After io_: its pending jobs hold connections, whose sockets must die before io_ does.
  asio::thread_pool slow_{1};      // bcrypt runs one at a time anyway
  std::list<Listener> listeners_;  // a list: Accept holds references
  std::vector<std::thread> threads_;
};

Server::Server(const ServerOptions& options, const Router& router)
    : impl_(std::make_unique<Impl>(options, router)) {}
Server::~Server() = default;
int Server::port() const { return impl_->FirstPort(); }
std::vector<std::string> Server::bound_addresses() const { return impl_->Bound(); }
std::size_t Server::open_connections() const { return impl_->Open(); }

}  // namespace cerniq::http
