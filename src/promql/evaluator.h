#pragma once
// Internal: the step-wise evaluator shared by engine.cc, functions.cc, aggregation.cc and
// binary_ops.cc. Its structure follows Prometheus's evaluator (rangeEval, the matrix-argument
// path for range functions, subqueries) so that results and errors line up.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <unordered_map>
#include <vector>

#include "promql/ast.h"
#include "promql/engine.h"
#include "promql/function_defs.h"

namespace cerniq::promql::internal {

// The samples a range function sees for one series at one step.
struct Window {
  std::span<const int64_t> t;
  std::span<const double> v;
  int64_t range_start = 0;  // ts - offset - range (or the @ time instead of ts)
  int64_t range_end = 0;
  int64_t range_ms = 0;
  int64_t ts = 0;                       // evaluation time of the step
  std::span<const double> scalar_args;  // value of every argument at this step (NaN for matrix)
  // The engine knows v never decreases here and v[0] is not negative: no counter reset to add.
  bool no_decrease = false;
};
using RangeFn = std::optional<double> (*)(const Window& w);

class Evaluator;
struct ColumnSeries;
struct RangeInput;
struct RangeScratch;

// Per-call state kept across the steps of one evaluation (compiled regexes, label caches).
struct FuncState {
  virtual ~FuncState() = default;
};

struct StepContext {
  Evaluator& ev;
  const Call& call;
  int64_t ts;
  std::unique_ptr<FuncState>& state;
};
using VectorFn = void (*)(StepContext& ctx, std::vector<Vector>& args, Vector& out);

struct FunctionImpl {
  RangeFn range = nullptr;    // functions taking a range vector
  VectorFn vector = nullptr;  // all others
};
const FunctionImpl* LookupImpl(std::string_view name);
void AddRangeFunctions(std::unordered_map<std::string_view, FunctionImpl>& table);

[[noreturn]] void Fail(const std::string& msg);

// Time arithmetic wraps around like Go's int64, instead of being undefined on overflow
// (`x @ 1e18 offset 300y` is valid PromQL).
inline int64_t Sub(int64_t a, int64_t b) {
  return static_cast<int64_t>(static_cast<uint64_t>(a) - static_cast<uint64_t>(b));
}
inline int64_t Add(int64_t a, int64_t b) {
  return static_cast<int64_t>(static_cast<uint64_t>(a) + static_cast<uint64_t>(b));
}
inline size_t NumSteps(int64_t start, int64_t end, int64_t interval) {
  return static_cast<size_t>((static_cast<uint64_t>(end) - static_cast<uint64_t>(start)) /
                             static_cast<uint64_t>(interval)) +
         1;
}

// The evaluation timestamps start, start+interval, ..., <= end, counted by index so that no
// addition can overflow.
class StepRange {
 public:
  StepRange(int64_t start, int64_t end, int64_t interval)
      : start_(start), interval_(interval), n_(end < start ? 0 : NumSteps(start, end, interval)) {}
  struct Iter {
    int64_t start, interval;
    uint64_t k;
    int64_t operator*() const {
      return Add(start, static_cast<int64_t>(k * static_cast<uint64_t>(interval)));
    }
    Iter& operator++() {
      ++k;
      return *this;
    }
    bool operator!=(const Iter& o) const { return k != o.k; }
  };
  Iter begin() const { return {start_, interval_, 0}; }
  Iter end() const { return {start_, interval_, n_}; }

 private:
  int64_t start_, interval_;
  uint64_t n_;
};

class Evaluator {
 public:
  Evaluator(const Storage& storage, const EngineOptions& opts, int64_t start, int64_t end,
            int64_t interval, const std::atomic<bool>* cancel,
            std::chrono::steady_clock::time_point deadline);

  // Evaluates an expression of type scalar, vector or matrix into a matrix (one point per step
  // for scalars and vectors).
  Matrix Eval(const Expr& e);

  // Calls fn once per step with the step's input vectors. `key_fn`, when given, computes a key
  // per input series once (grouping keys, join signatures); keys[i][j] is the key of args[i][j].
  using StepFn =
      std::function<void(std::vector<Vector>& args, std::vector<std::vector<uint64_t>>& keys,
                         int64_t ts, Vector& out)>;
  using KeyFn = std::function<uint64_t(const Labels&)>;
  Matrix RangeEval(const std::vector<const Expr*>& exprs, const StepFn& fn,
                   const KeyFn* key_fn = nullptr);

  void CheckCancel() const;
  void AddSamples(int64_t n);

  int64_t start() const { return start_; }
  int64_t end() const { return end_; }
  int64_t interval() const { return interval_; }
  // Time an `@` modifier pins a selector to, if any (`@ start()` means the query's start).
  std::optional<int64_t> AtTime(const TimeModifiers& m) const;
  int64_t query_start = 0;
  int64_t query_end = 0;

 private:
  Matrix EvalVectorSelector(const VectorSelector& vs);
  Matrix EvalMatrixSelector(const MatrixSelector& ms);
  Matrix EvalSubquery(const SubqueryExpr& sq);
  Matrix EvalCall(const Call& call);
  Matrix EvalRangeCall(const Call& call, size_t matrix_arg);
  RangeInput LoadRangeInput(const Expr& matrix_arg);
  // One output series of a range function: a point per step whose window has samples.
  Series EvalRangeSeries(RangeFn fn, const Call& call, size_t matrix_arg,
                         const std::vector<Matrix>& other_args, const RangeInput& in,
                         const ColumnSeries& s, RangeScratch& scratch);
  Matrix EvalTimestampOfSelector(const Call& call, const VectorSelector& vs);
  Matrix EvalAggregate(const AggregateExpr& agg);
  Matrix EvalBinary(const BinaryExpr& bin);
  Matrix EvalUnary(const UnaryExpr& u);
  // Series-at-a-time versions of step-wise operations, for range evaluation. They give the
  // same values in the same order as the step-wise path; nullopt when they do not apply.
  std::optional<Matrix> FastAggregate(const AggregateExpr& agg,
                                      const std::vector<std::string>& grouping);
  std::optional<Matrix> FastVectorScalar(const BinaryExpr& bin);
  Matrix EvalNumber(double v);
  std::vector<SeriesView> SelectForRange(const VectorSelector& vs, int64_t range_ms);

  const Storage& storage_;
  const EngineOptions& opts_;
  int64_t start_, end_, interval_;
  const std::atomic<bool>* cancel_;
  std::chrono::steady_clock::time_point deadline_;

 public:
  int64_t current_samples = 0;
};

// Helpers shared by the operator and function implementations.
Labels DropMetricName(const Labels& l);
Labels AbsentLabels(const Expr& e);  // labels absent() reports for its argument
bool ContainsSameLabelset(const Vector& v);
bool ContainsSameLabelset(const Matrix& m);
const Expr& UnwrapParens(const Expr& e);
std::string StringArg(const Call& call, size_t i);
double Quantile(double q, std::vector<double> values);
std::pair<double, double> KahanSumInc(double inc, double sum, double c);

Vector Aggregate(Evaluator& ev, const AggregateExpr& agg, const std::vector<std::string>& grouping,
                 double param, const std::string* string_param, const Vector& vec,
                 const std::vector<uint64_t>& keys);
uint64_t GroupingKey(const Labels& l, const std::vector<std::string>& grouping, bool without);

// Running state of sum, avg, count, min, max, group, stddev and stdvar for one group at one step,
// shared by the step-wise aggregation and FastAggregate so that both compute bit for bit alike.
struct Moments {
  double value = 0;
  double mean = 0;
  double count = 0;
};
inline Moments StartMoments(Tok op, double v) {
  Moments m{v, v, 1};
  if (op == Tok::kStddev || op == Tok::kStdvar) m.value = 0;
  if (op == Tok::kGroup) m.value = 1;
  return m;
}
inline void AddMoments(Tok op, Moments& m, double v) {
  switch (op) {
    case Tok::kSum:
      m.value += v;
      break;
    case Tok::kAvg:
      m.count++;
      if (std::isinf(m.mean)) {
        // Inf stays Inf unless an opposite Inf or a NaN arrives.
        if (std::isinf(v) && (m.mean > 0) == (v > 0)) break;
        if (!std::isinf(v) && !std::isnan(v)) break;
      }
      // Divide both terms by the count to avoid overflow.
      m.mean += v / m.count - m.mean / m.count;
      break;
    case Tok::kMax:
      if (m.value < v || std::isnan(m.value)) m.value = v;
      break;
    case Tok::kMin:
      if (m.value > v || std::isnan(m.value)) m.value = v;
      break;
    case Tok::kCount:
    case Tok::kCountValues:
      m.count++;
      break;
    case Tok::kStddev:
    case Tok::kStdvar: {
      m.count++;
      double delta = v - m.mean;
      m.mean += delta / m.count;
      m.value += delta * (v - m.mean);
      break;
    }
    default:
      break;
  }
}
inline double FinishMoments(Tok op, const Moments& m) {
  switch (op) {
    case Tok::kAvg:
      return m.mean;
    case Tok::kCount:
    case Tok::kCountValues:
      return m.count;
    case Tok::kStdvar:
      return m.value / m.count;
    case Tok::kStddev:
      return std::sqrt(m.value / m.count);
    default:
      return m.value;
  }
}

Vector BinaryVectorVector(const BinaryExpr& bin, const Vector& lhs, const Vector& rhs,
                          const std::vector<uint64_t>& lsig, const std::vector<uint64_t>& rsig);
Vector BinaryVectorScalar(Tok op, const Vector& lhs, double scalar, bool swap, bool return_bool);
// One element of a vector-scalar operation: the value, or nullopt when a comparison drops it.
std::optional<double> VectorScalarElem(Tok op, double v, double scalar, bool swap,
                                       bool return_bool);
double ScalarBinop(Tok op, double lhs, double rhs);
uint64_t MatchSignature(const Labels& l, const VectorMatching& m);

}  // namespace cerniq::promql::internal
