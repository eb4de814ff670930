#pragma once
// A redis-server child process on a loopback port, for fault tests: kill, restart, freeze.

#include <memory>
#include <optional>
#include <string>

#include "support/subprocess.h"

namespace cerniq::testing {

// The stdout of `command` run by the shell with `args` appended, each single-quoted (stderr
// dropped). For redis-cli and the like; bound the command with `timeout N`.
std::string ShellOutput(std::string command, const std::vector<std::string>& args = {});

class RedisServer {
 public:
  // Picks a free port; `extra_args` e.g. {"--requirepass", "s3cret"}.
  explicit RedisServer(std::vector<std::string> extra_args = {});
  ~RedisServer();

  // Before Start(): serve TLS only (`--port 0 --tls-port`), with this certificate and key, and
  // `ca` for client certificates (required when `auth_clients`). Cli() then uses TLS too, with
  // `cli_cert`/`cli_key` as its client certificate.
  struct Tls {
    std::string cert, key, ca;
    bool auth_clients = false;
    std::string cli_cert, cli_key;
  };
  void UseTls(Tls tls) { tls_ = std::move(tls); }

  bool Start();   // returns once PING answers (bounded), false on failure
  void Kill();    // SIGKILL, as a crash
  void Freeze();  // SIGSTOP: connections stay open, nothing answers
  void Thaw();    // SIGCONT
  int port() const { return port_; }
  std::string url(int db = 0) const;  // rediss:// with TLS
  // Runs redis-cli with args against this server; returns its stdout.
  std::string Cli(const std::vector<std::string>& args) const;

 private:
  int port_;
  std::vector<std::string> extra_args_;
  std::optional<Tls> tls_;
  std::unique_ptr<Subprocess> process_;
};

}  // namespace cerniq::testing
