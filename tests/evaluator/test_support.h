#pragma once
// Helpers of the evaluator tests: temporary rule files and instant queries on the test storage.
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <string>

#include "evaluator/rule_storage.h"
#include "promql/engine.h"

namespace cerniq::evaluator::testing {

// A directory removed at the end of the test.
class TempDir {
 public:
  TempDir() {
    static std::atomic<int> n{0};
    path_ = std::filesystem::temp_directory_path() /
            ("cerniq_evaluator_" + std::to_string(getpid()) + "_" + std::to_string(n++));
    std::filesystem::create_directories(path_);
  }
  ~TempDir() { std::filesystem::remove_all(path_); }
  std::string Write(const std::string& name, const std::string& content) const {
    const auto p = path_ / name;
    std::ofstream(p) << content;
    return p.string();
  }
  std::string path() const { return path_.string(); }

 private:
  std::filesystem::path path_;
};

inline promql::Vector QueryAt(MemoryRuleStorage& storage, const std::string& expr, int64_t t_ms) {
  promql::Engine engine;
  auto q = storage.Querier(0, t_ms);
  return std::get<promql::Vector>(engine.Instant(*q, expr, t_ms));
}

}  // namespace cerniq::evaluator::testing
