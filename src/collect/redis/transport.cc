#include "collect/redis/transport.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "collect/redis/tls_context.h"

namespace cerniq::collect::redis {
namespace {

using Clock = std::chrono::steady_clock;

int RemainingMs(Clock::time_point deadline) {
  auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
  return static_cast<int>(std::max<long long>(0, left.count()));
}

// Waits for `events` on fd until the deadline; false (and error) on timeout or poll failure.
bool PollUntil(int fd, short events, Clock::time_point deadline, std::string& error) {
  for (;;) {
    pollfd p{fd, events, 0};
    int n = poll(&p, 1, RemainingMs(deadline));
    if (n > 0) return true;
    if (n == 0) {
      error = "timed out";
      return false;
    }
    if (errno != EINTR) {
      error = std::string("poll: ") + std::strerror(errno);
      return false;
    }
  }
}

void TuneTcp(int fd) {
  int on = 1;
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on);
  // Keepalive as hiredis sets it: a peer that vanished is noticed within about a minute.
  setsockopt(fd, SOL_SOCKET, SO_KEEPALIVE, &on, sizeof on);
  int idle = 15, interval = 5, count = 3;
  setsockopt(fd, IPPROTO_TCP, TCP_KEEPIDLE, &idle, sizeof idle);
  setsockopt(fd, IPPROTO_TCP, TCP_KEEPINTVL, &interval, sizeof interval);
  setsockopt(fd, IPPROTO_TCP, TCP_KEEPCNT, &count, sizeof count);
}

// A non-blocking connect of one address; returns the socket or -1 with error set.
int ConnectOne(int family, const sockaddr* addr, socklen_t len, Clock::time_point deadline,
               std::string& error) {
  int fd = socket(family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) {
    error = std::strerror(errno);
    return -1;
  }
  if (connect(fd, addr, len) != 0) {
    if (errno != EINPROGRESS) {
      error = std::strerror(errno);
      close(fd);
      return -1;
    }
    int so_error = 0;
    socklen_t so_len = sizeof so_error;
    if (!PollUntil(fd, POLLOUT, deadline, error)) {
      if (error == "timed out") error = "connection timed out";
      close(fd);
      return -1;
    }
    getsockopt(fd, SOL_SOCKET, SO_ERROR, &so_error, &so_len);
    if (so_error != 0) {
      error = std::strerror(so_error);
      close(fd);
      return -1;
    }
  }
  if (family != AF_UNIX) TuneTcp(fd);
  return fd;
}

int ConnectSocket(const RedisAddress& address, Clock::time_point deadline, std::string& error) {
  if (!address.socket_path.empty()) {
    sockaddr_un un{};
    un.sun_family = AF_UNIX;
    if (address.socket_path.size() >= sizeof un.sun_path) {
      error = "socket path too long";
      return -1;
    }
    std::memcpy(un.sun_path, address.socket_path.c_str(), address.socket_path.size() + 1);
    return ConnectOne(AF_UNIX, reinterpret_cast<sockaddr*>(&un), sizeof un, deadline, error);
  }
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* found = nullptr;
  std::string port = std::to_string(address.port);
  if (int rc = getaddrinfo(address.host.c_str(), port.c_str(), &hints, &found); rc != 0) {
    error = std::string("cannot resolve host: ") + gai_strerror(rc);
    return -1;
  }
  int fd = -1;
  for (addrinfo* a = found; a != nullptr && fd < 0; a = a->ai_next) {
    fd = ConnectOne(a->ai_family, a->ai_addr, a->ai_addrlen, deadline, error);
  }
  freeaddrinfo(found);
  return fd;
}

// A BIO over the socket that writes with MSG_NOSIGNAL: OpenSSL's socket BIO uses write(), and a
// server closing the connection must fail the write, not kill the process with SIGPIPE.
int BioWrite(BIO* bio, const char* data, int len) {
  BIO_clear_retry_flags(bio);
  ssize_t n = send(static_cast<int>(BIO_get_fd(bio, nullptr)), data, static_cast<size_t>(len),
                   MSG_NOSIGNAL);
  if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)) {
    BIO_set_retry_write(bio);
  }
  return static_cast<int>(n);
}

BIO_METHOD* NoSignalSocketMethod() {
  static BIO_METHOD* method = [] {
    const BIO_METHOD* socket = BIO_s_socket();
    BIO_METHOD* m = BIO_meth_new(BIO_get_new_index() | BIO_TYPE_SOURCE_SINK, "cerniq socket");
    BIO_meth_set_write(m, BioWrite);
    BIO_meth_set_read(m, BIO_meth_get_read(socket));
    BIO_meth_set_puts(m, BIO_meth_get_puts(socket));
    BIO_meth_set_ctrl(m, BIO_meth_get_ctrl(socket));
    BIO_meth_set_create(m, BIO_meth_get_create(socket));
    BIO_meth_set_destroy(m, BIO_meth_get_destroy(socket));
    return m;
  }();
  return method;
}

bool IsIpAddress(const std::string& host) {
  unsigned char buf[sizeof(in6_addr)];
  return inet_pton(AF_INET, host.c_str(), buf) == 1 || inet_pton(AF_INET6, host.c_str(), buf) == 1;
}

std::string VerifyFailure(long result, const std::string& name) {
  std::string why = X509_verify_cert_error_string(result);
  if (result == X509_V_ERR_HOSTNAME_MISMATCH || result == X509_V_ERR_IP_ADDRESS_MISMATCH) {
    why += " (the certificate is not for \"" + name + "\"; see redis.tls.server_name)";
  } else if (result == X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY ||
             result == X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN ||
             result == X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT) {
    why += " (the server's CA is not trusted; see redis.tls.ca_file)";
  }
  return "TLS certificate verification failed: " + why;
}

// Why an SSL call failed, for the log; clears OpenSSL's error queue.
std::string SslFailure(int ssl_error, const char* when) {
  if (ssl_error == SSL_ERROR_ZERO_RETURN) return "server closed the TLS session";
  if (ssl_error == SSL_ERROR_SYSCALL) {
    std::string queued = TakeOpensslError("");
    if (!queued.empty()) return std::string("TLS ") + when + ": " + queued;
    return errno != 0 ? std::string("TLS ") + when + ": " + std::strerror(errno)
                      : std::string("server closed the connection during TLS ") + when;
  }
  return std::string("TLS ") + when + ": " + TakeOpensslError("error " + std::to_string(ssl_error));
}

}  // namespace

std::unique_ptr<Transport> Transport::Connect(const RedisAddress& address, const TlsContext* tls,
                                              std::chrono::milliseconds timeout,
                                              std::string& error) {
  Clock::time_point deadline = Clock::now() + timeout;
  int fd = ConnectSocket(address, deadline, error);
  if (fd < 0) return nullptr;
  if (tls == nullptr) return std::unique_ptr<Transport>(new Transport(fd, nullptr));

  ERR_clear_error();
  SSL* ssl = SSL_new(tls->get());
  BIO* bio = ssl ? BIO_new(NoSignalSocketMethod()) : nullptr;
  if (bio == nullptr) {
    if (ssl) SSL_free(ssl);
    close(fd);
    error = TakeOpensslError("cannot create a TLS session");
    return nullptr;
  }
  BIO_set_fd(bio, fd, BIO_NOCLOSE);
  SSL_set_bio(ssl, bio, bio);
  std::unique_ptr<Transport> t(new Transport(fd, ssl));
  std::string name = tls->ServerName(address.host);
  if (IsIpAddress(name)) {
    X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl), name.c_str());
  } else {
    SSL_set_tlsext_host_name(ssl, name.c_str());  // SNI carries DNS names only (RFC 6066)
    X509_VERIFY_PARAM_set1_host(SSL_get0_param(ssl), name.c_str(), 0);
  }
  if (!t->Handshake(std::chrono::milliseconds(RemainingMs(deadline)), error)) {
    long verify = SSL_get_verify_result(ssl);
    if (tls->verify() && verify != X509_V_OK) error = VerifyFailure(verify, name);
    return nullptr;
  }
  return t;
}

Transport::~Transport() {
  if (ssl_ != nullptr) {
    // No close_notify: the socket may be dead, and Redis does not need one.
    SSL_free(ssl_);
  }
  if (fd_ >= 0) close(fd_);
}

bool Transport::Wait(short events, std::chrono::milliseconds timeout, std::string& error) {
  return PollUntil(fd_, events, Clock::now() + timeout, error);
}

void Transport::ExplainEarlyTlsFailure(std::string& error) const {
  if (ssl_ == nullptr || received_data_) return;
  if (error.find("certificate required") != std::string::npos ||
      error.find("reset by peer") != std::string::npos ||
      error.find("closed the") != std::string::npos ||
      error.find("Broken pipe") != std::string::npos) {
    error +=
        " (the server ended the TLS session before its first reply: a client certificate "
        "missing or refused? see redis.tls.cert_file)";
  }
}

bool Transport::Handshake(std::chrono::milliseconds timeout, std::string& error) {
  Clock::time_point deadline = Clock::now() + timeout;
  for (;;) {
    errno = 0;
    int rc = SSL_connect(ssl_);
    if (rc == 1) return true;
    int e = SSL_get_error(ssl_, rc);
    if (e != SSL_ERROR_WANT_READ && e != SSL_ERROR_WANT_WRITE) {
      error = SslFailure(e, "handshake");
      return false;
    }
    if (!PollUntil(fd_, e == SSL_ERROR_WANT_READ ? POLLIN : POLLOUT, deadline, error)) {
      error = "TLS handshake " + error;
      return false;
    }
  }
}

bool Transport::WriteAll(std::string_view data, std::chrono::milliseconds timeout,
                         std::string& error) {
  while (!data.empty()) {
    short wait_for = POLLOUT;
    if (ssl_ == nullptr) {
      ssize_t n = send(fd_, data.data(), data.size(), MSG_NOSIGNAL);
      if (n > 0) {
        data.remove_prefix(static_cast<size_t>(n));
        continue;
      }
      if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) {
        error = std::string("write: ") + std::strerror(errno);
        return false;
      }
    } else {
      size_t written = 0;
      errno = 0;
      if (SSL_write_ex(ssl_, data.data(), data.size(), &written) == 1) {
        data.remove_prefix(written);
        continue;
      }
      int e = SSL_get_error(ssl_, 0);
      if (e != SSL_ERROR_WANT_READ && e != SSL_ERROR_WANT_WRITE) {
        error = SslFailure(e, "write");
        ExplainEarlyTlsFailure(error);
        return false;
      }
      if (e == SSL_ERROR_WANT_READ) wait_for = POLLIN;
    }
    // Progress resets the wait: the timeout bounds a stall, like SO_SNDTIMEO.
    if (!Wait(wait_for, timeout, error)) {
      error = "write " + error;
      return false;
    }
  }
  return true;
}

size_t Transport::ReadSome(char* buffer, size_t size, std::chrono::milliseconds timeout,
                           std::string& error) {
  Clock::time_point deadline = Clock::now() + timeout;
  for (;;) {
    short wait_for = POLLIN;
    if (ssl_ == nullptr) {
      ssize_t n = recv(fd_, buffer, size, 0);
      if (n > 0) return static_cast<size_t>(n);
      if (n == 0) {
        error = "server closed the connection";
        return 0;
      }
      if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) {
        error = std::string("read: ") + std::strerror(errno);
        return 0;
      }
    } else {
      size_t n = 0;
      errno = 0;
      if (SSL_read_ex(ssl_, buffer, size, &n) == 1) {
        received_data_ = true;
        return n;
      }
      int e = SSL_get_error(ssl_, 0);
      if (e != SSL_ERROR_WANT_READ && e != SSL_ERROR_WANT_WRITE) {
        error = SslFailure(e, "read");
        ExplainEarlyTlsFailure(error);
        return 0;
      }
      if (e == SSL_ERROR_WANT_WRITE) wait_for = POLLOUT;
    }
    if (!PollUntil(fd_, wait_for, deadline, error)) {
      if (error == "timed out") error = "read timed out";
      return 0;
    }
  }
}

}  // namespace cerniq::collect::redis
