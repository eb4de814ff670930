#pragma once
// The PromQL test-file format of Prometheus 2.42 (promql/test.go): `load`, `clear`,
// `eval[_fail|_ordered] instant at`, and a runner that checks each eval like the Go runner does
// (the instant query, the same query in range mode, and the `@` variants).
#include <cstdint>
#include <iosfwd>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "promql/engine.h"
#include "promql/labels.h"
#include "promql/parser.h"
#include "promql/storage.h"

namespace cerniq::promql {

struct LoadCommand {
  int64_t interval_ms = 0;
  std::vector<SeriesDescription>
      series;  // a later line for the same labels replaces an earlier one
};

struct ClearCommand {};

struct ExpectedSample {
  Labels labels;
  double value = 0;
  int position = 0;  // 1-based line position, for eval_ordered
};

struct EvalCommand {
  int line = 0;  // 1-based line of the eval statement
  std::string expr;
  int64_t time_ms = 0;
  bool fail = false;
  bool ordered = false;
  std::optional<double> expected_scalar;
  std::vector<ExpectedSample> expected;
};

struct TestCommand {
  enum class Kind { kLoad, kClear, kEval } kind;
  LoadCommand load;
  EvalCommand eval;
};

// Thrown for a malformed test file; what() is "LINE:COL: parse error: ..." or "LINE: ...".
class TestFileError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

std::vector<TestCommand> ParseTestFile(std::string_view content);

// Appends a load command's samples to storage (sample i of a series at i * interval).
void ApplyLoad(const LoadCommand& load, MemoryStorage& storage);

// Engine settings of Prometheus's test runner: 5m lookback, 10000 samples, 100s timeout.
EngineOptions TestRunnerEngineOptions();

// Runs one eval statement against storage the way the Go runner does. Returns an empty string
// when it passes, else the reason it failed.
std::string CheckEval(const Engine& engine, const MemoryStorage& storage, const EvalCommand& cmd);

struct TestSummary {
  int passed = 0;
  int failed = 0;
};

// Runs a test file; prints one line per failed statement ("file:line: ...") to out.
TestSummary RunTestFile(const std::string& name, std::string_view content, std::ostream& out);

}  // namespace cerniq::promql
