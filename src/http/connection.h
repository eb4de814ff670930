#pragma once
// One connection's life on its strand: (TLS handshake), then per request: wait for the first
// byte (idle timeout), read the request (read timeout, size limits), answer (write timeout), and
// again while keep-alive lasts. Nothing blocks a thread; a connection that misbehaves costs its
// own socket only and is closed by its deadlines. Internal to server.cc.

#include <boost/asio/post.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>

#include <array>
#include <atomic>
#include <memory>
#include <optional>
#include <type_traits>

#include "http/dispatch.h"
#include "http/server.h"
#include "log/limits.h"

namespace cerniq::http::detail {

namespace beast = boost::beast;
using TcpStream = beast::tcp_stream;
using TlsStream = beast::ssl_stream<beast::tcp_stream>;

// What every connection shares with the server.
struct ConnectionShared {
  ServerLimits limits;
  Dispatcher* dispatcher;
  boost::asio::thread_pool* slow;  // for requests that need a bcrypt run
  std::atomic<std::size_t> open{0};
};

template <class Stream>
class Connection : public std::enable_shared_from_this<Connection<Stream>> {
  static constexpr bool kTls = std::is_same_v<Stream, TlsStream>;

 public:
  Connection(TcpStream tcp, ConnectionShared& shared,
             std::shared_ptr<boost::asio::ssl::context> tls = nullptr)
      : shared_(shared), tls_(std::move(tls)), stream_(MakeStream(std::move(tcp))) {
    ++shared_.open;
  }
  ~Connection() { --shared_.open; }

  void Start() {
    if constexpr (kTls) {
      Lowest().expires_after(shared_.limits.read_timeout);
      stream_.async_handshake(boost::asio::ssl::stream_base::server,
                              [self = this->shared_from_this()](beast::error_code ec) {
                                if (!ec) self->WaitForRequest();
                              });
    } else {
      WaitForRequest();
    }
  }

 private:
  Stream MakeStream(TcpStream tcp) {
    if constexpr (kTls) {
      return Stream(std::move(tcp), *tls_);
    } else {
      return tcp;
    }
  }
  TcpStream& Lowest() { return beast::get_lowest_layer(stream_); }

  // Idle keep-alive: wait for any byte of the next request (pipelined bytes may be buffered).
  void WaitForRequest() {
    if (buffer_.size() > 0) return ReadRequest();
    Lowest().expires_after(shared_.limits.idle_timeout);
    stream_.async_read_some(buffer_.prepare(4096), [self = this->shared_from_this()](
                                                       beast::error_code ec, std::size_t n) {
      if (ec) return;  // closed, reset or idle too long: the socket closes with us
      self->buffer_.commit(n);
      self->ReadRequest();
    });
  }

  void ReadRequest() {
    parser_.emplace();
    parser_->header_limit(static_cast<std::uint32_t>(shared_.limits.max_header_bytes));
    parser_->body_limit(shared_.limits.max_body_bytes);
    Lowest().expires_after(shared_.limits.read_timeout);
    beast::http::async_read(
        stream_, buffer_, *parser_,
        [self = this->shared_from_this()](beast::error_code ec, std::size_t) { self->OnRead(ec); });
  }

  void OnRead(beast::error_code ec) {
    using error = beast::http::error;
    if (ec == error::header_limit) {
      log::LimitReached(log::limit::kHttpRequestHeader,
                        {{"max_bytes", std::to_string(shared_.limits.max_header_bytes)}});
      return Reply(ErrorResponse(431));
    }
    if (ec == error::body_limit) {
      log::LimitReached(log::limit::kHttpRequestBody,
                        {{"max_bytes", std::to_string(shared_.limits.max_body_bytes)}});
      return Reply(ErrorResponse(413));
    }
    if (ec == error::end_of_stream || ec == error::partial_message) return;
    if (ec && ec.category() == beast::http::make_error_code(error::bad_target).category())
      return Reply(ErrorResponse(400));
    if (ec) return;  // timeout, reset: close
    if (!shared_.dispatcher->MayBlock(parser_->get()))
      return Reply(shared_.dispatcher->Serve(parser_->get()));
    // Nothing else touches this connection until Reply, back on its strand.
    boost::asio::post(*shared_.slow, [self = this->shared_from_this()] {
      auto response =
          std::make_shared<BeastResponse>(self->shared_.dispatcher->Serve(self->parser_->get()));
      boost::asio::post(self->stream_.get_executor(),
                        [self, response] { self->Reply(std::move(*response)); });
    });
  }

  void Reply(BeastResponse response) {
    response_ = std::move(response);
    Lowest().expires_after(shared_.limits.write_timeout);
    beast::http::async_write(stream_, response_,
                             [self = this->shared_from_this()](beast::error_code ec, std::size_t) {
                               if (ec) return;
                               if (self->response_.keep_alive()) return self->WaitForRequest();
                               self->Close();
                             });
  }

  // Half-close, then drain what the client still sends for a moment, so that a client that
  // is still writing (an oversized header) reads our answer instead of a reset.
  void Close() {
    if constexpr (kTls) {
      Lowest().expires_after(shared_.limits.read_timeout);
      stream_.async_shutdown([self = this->shared_from_this()](beast::error_code) {});
    } else {
      beast::error_code ignored;
      Lowest().socket().shutdown(boost::asio::ip::tcp::socket::shutdown_send, ignored);
      Lowest().expires_after(std::chrono::seconds(1));
      Drain();
    }
  }

  void Drain() {
    Lowest().async_read_some(boost::asio::buffer(drain_),
                             [self = this->shared_from_this()](beast::error_code ec, std::size_t) {
                               if (!ec) self->Drain();
                             });
  }

  ConnectionShared& shared_;
  std::shared_ptr<boost::asio::ssl::context> tls_;
  Stream stream_;
  beast::flat_buffer buffer_;
  std::optional<beast::http::request_parser<beast::http::string_body>> parser_;
  BeastResponse response_;
  std::array<char, 1024> drain_{};
};

}  // namespace cerniq::http::detail
