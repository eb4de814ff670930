#pragma once
// Access to ../shared/golden/promtool (read in place, never copied into the repo).
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>

namespace cerniq::rules::testing {

inline std::optional<std::filesystem::path> GoldenPromtoolDir() {
  const char* env = std::getenv("CERNIQ_SHARED_DIR");
  std::filesystem::path shared = env && *env ? env : CERNIQ_SHARED_DIR_DEFAULT;
  auto dir = shared / "golden" / "promtool";
  if (!std::filesystem::is_directory(dir)) return std::nullopt;
  return dir;
}

inline std::string ReadText(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// Runs `body` with the working directory set to `dir`, as the golden commands were run.
template <typename F>
auto InDirectory(const std::filesystem::path& dir, F body) {
  struct Restore {
    std::filesystem::path old = std::filesystem::current_path();
    ~Restore() { std::filesystem::current_path(old); }
  } restore;
  std::filesystem::current_path(dir);
  return body();
}

// An ostream whose writes also land, in order, in a shared "combined" string (like 2>&1).
class TeeStream : public std::ostream {
 public:
  explicit TeeStream(std::string& combined) : std::ostream(&buf_), buf_(combined) {}
  std::string str() const { return buf_.own; }

 private:
  struct Buf : std::streambuf {
    explicit Buf(std::string& c) : combined(c) {}
    int overflow(int ch) override {
      if (ch != EOF) own += static_cast<char>(ch), combined += static_cast<char>(ch);
      return ch;
    }
    std::streamsize xsputn(const char* s, std::streamsize n) override {
      own.append(s, n), combined.append(s, n);
      return n;
    }
    std::string own;
    std::string& combined;
  } buf_;
};

}  // namespace cerniq::rules::testing
