#include "support/redis_server.h"

#include <signal.h>

#include <array>
#include <cstdio>

#include "support/wait.h"

namespace cerniq::testing {

RedisServer::RedisServer(std::vector<std::string> extra_args)
    : port_(FreeLoopbackPort()), extra_args_(std::move(extra_args)) {}

RedisServer::~RedisServer() {
  if (process_) {
    process_->Signal(SIGCONT);
    process_->Signal(SIGKILL);
    process_->Wait(std::chrono::milliseconds(5000));
  }
}

bool RedisServer::Start() {
  std::vector<std::string> argv = {
      "redis-server", "--port", std::to_string(port_), "--bind", "127.0.0.1",
      "--save",       "",       "--appendonly",        "no"};
  if (tls_) {
    argv[2] = "0";
    for (const std::string& a :
         {std::string("--tls-port"), std::to_string(port_), std::string("--tls-cert-file"),
          tls_->cert, std::string("--tls-key-file"), tls_->key, std::string("--tls-ca-cert-file"),
          tls_->ca, std::string("--tls-auth-clients"),
          std::string(tls_->auth_clients ? "yes" : "no")}) {
      argv.push_back(a);
    }
  }
  argv.insert(argv.end(), extra_args_.begin(), extra_args_.end());
  process_ = std::make_unique<Subprocess>(argv);
  std::string auth;
  for (size_t i = 0; i + 1 < extra_args_.size(); ++i) {
    if (extra_args_[i] == "--requirepass") auth = extra_args_[i + 1];
  }
  return WaitFor(
      [&] {
        std::vector<std::string> args = {"PING"};
        if (!auth.empty()) args = {"-a", auth, "--no-auth-warning", "PING"};
        return Cli(args).find("PONG") != std::string::npos;
      },
      std::chrono::milliseconds(10000), std::chrono::milliseconds(50));
}

void RedisServer::Kill() {
  if (!process_) return;
  process_->Signal(SIGCONT);
  process_->Signal(SIGKILL);
  process_->Wait(std::chrono::milliseconds(5000));
  process_.reset();
}

void RedisServer::Freeze() {
  if (process_) process_->Signal(SIGSTOP);
}

void RedisServer::Thaw() {
  if (process_) process_->Signal(SIGCONT);
}

std::string RedisServer::url(int db) const {
  return std::string(tls_ ? "rediss" : "redis") + "://127.0.0.1:" + std::to_string(port_) + "/" +
         std::to_string(db);
}

std::string RedisServer::Cli(const std::vector<std::string>& args) const {
  std::string cmd = "timeout 5 redis-cli -p " + std::to_string(port_);
  if (tls_) {
    // The helper only seeds and inspects the server; it must reach one with a bad certificate.
    cmd += " --tls --insecure";
    if (!tls_->cli_cert.empty())
      cmd += " --cert '" + tls_->cli_cert + "' --key '" + tls_->cli_key + "'";
  }
  return ShellOutput(cmd, args);
}

std::string ShellOutput(std::string command, const std::vector<std::string>& args) {
  for (const auto& a : args) {
    std::string quoted = "'";
    for (char c : a) quoted += (c == '\'') ? std::string("'\\''") : std::string(1, c);
    command += " " + quoted + "'";
  }
  command += " 2>/dev/null";
  std::string out;
  FILE* p = popen(command.c_str(), "r");
  if (!p) return out;
  std::array<char, 4096> buf;
  size_t n;
  while ((n = fread(buf.data(), 1, buf.size(), p)) > 0) out.append(buf.data(), n);
  pclose(p);
  return out;
}

}  // namespace cerniq::testing
