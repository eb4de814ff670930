#pragma once
// A child process with its stdin and stdout on pipes (stderr inherited), killed on destruction.

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include <sys/types.h>

namespace cerniq::testing {

class Subprocess {
 public:
  // argv[0] is looked up in PATH. `env` entries ("K=V") are added to the environment.
  explicit Subprocess(std::vector<std::string> argv, std::vector<std::string> env = {},
                      const std::string& cwd = "");
  ~Subprocess();
  Subprocess(const Subprocess&) = delete;
  Subprocess& operator=(const Subprocess&) = delete;

  pid_t pid() const { return pid_; }
  bool WriteLine(const std::string& line);
  // Next stdout line (without '\n'), or nullopt on EOF or timeout.
  std::optional<std::string> ReadLine(std::chrono::milliseconds timeout);
  // Reads lines until one starts with `prefix`; returns the rest of that line.
  std::optional<std::string> ReadUntil(const std::string& prefix,
                                       std::chrono::milliseconds timeout);
  void Signal(int sig);
  // Waits for exit (bounded); kills with SIGKILL after the timeout. Returns the exit status.
  int Wait(std::chrono::milliseconds timeout);
  bool Running();

 private:
  pid_t pid_ = -1;
  int in_fd_ = -1;
  int out_fd_ = -1;
  std::string buffer_;
  std::optional<int> status_;
};

}  // namespace cerniq::testing
