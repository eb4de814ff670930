#pragma once
// PromQL evaluation with Prometheus 2.42 semantics: instant and range queries over a Storage.
#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <stdexcept>
#include <string>
#include <string_view>

#include "promql/ast.h"
#include "promql/storage.h"
#include "promql/value.h"

namespace cerniq::promql {

// An evaluation error ("vector cannot contain metrics with the same labelset", too many
// samples, timeout, cancellation, bad function arguments...).
class QueryError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct EngineOptions {
  int64_t lookback_delta_ms = 5 * 60 * 1000;
  // Samples a query may hold in memory at once; promtool's test runner uses 10000.
  int64_t max_samples = 50'000'000;
  std::chrono::milliseconds timeout{2 * 60 * 1000};
  // Step of subqueries written without one (`x[5m:]`), given their range.
  std::function<int64_t(int64_t range_ms)> no_step_subquery_interval = [](int64_t) {
    return int64_t{60 * 1000};
  };
};

class Engine {
 public:
  explicit Engine(EngineOptions opts = {}) : opts_(std::move(opts)) {}

  // Evaluates expr at time t (ms). Returns a Scalar, Vector, Matrix (for range-vector
  // expressions) or String. Throws QueryError. `cancel`, when set, aborts evaluation.
  Value Instant(const Storage& storage, const Expr& expr, int64_t t,
                const std::atomic<bool>* cancel = nullptr) const;
  // Evaluates expr at start, start+step, ..., end; the result is a Matrix sorted by labels.
  // Throws QueryError, also for expressions that are not scalar or instant vector.
  Matrix Range(const Storage& storage, const Expr& expr, int64_t start, int64_t end, int64_t step,
               const std::atomic<bool>* cancel = nullptr) const;

  // Convenience: parse then evaluate (throws ParseError or QueryError).
  Value Instant(const Storage& storage, std::string_view expr, int64_t t) const;

  const EngineOptions& options() const { return opts_; }

 private:
  EngineOptions opts_;
};

}  // namespace cerniq::promql
