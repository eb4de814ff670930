#include "promql/engine.h"

#include <algorithm>
#include <cmath>
#include <unordered_map>
#include <unordered_set>

#include "promql/evaluator.h"
#include "promql/parser.h"

namespace cerniq::promql {
namespace internal {

void Fail(const std::string& msg) { throw QueryError(msg); }

Labels DropMetricName(const Labels& l) { return l.WithoutName(); }

bool ContainsSameLabelset(const Vector& v) {
  if (v.size() < 2) return false;
  std::unordered_set<uint64_t> seen;
  seen.reserve(v.size());
  for (const auto& s : v)
    if (!seen.insert(s.metric.Hash()).second) return true;
  return false;
}

bool ContainsSameLabelset(const Matrix& m) {
  if (m.size() < 2) return false;
  std::unordered_set<uint64_t> seen;
  seen.reserve(m.size());
  for (const auto& s : m)
    if (!seen.insert(s.metric.Hash()).second) return true;
  return false;
}

const Expr& UnwrapParens(const Expr& e) {
  const Expr* p = &e;
  while (p->kind == NodeKind::kParen) p = static_cast<const ParenExpr*>(p)->expr.get();
  return *p;
}

std::string StringArg(const Call& call, size_t i) {
  const Expr& e = UnwrapParens(*call.args[i]);
  return static_cast<const StringLiteral&>(e).val;
}

Evaluator::Evaluator(const Storage& storage, const EngineOptions& opts, int64_t start, int64_t end,
                     int64_t interval, const std::atomic<bool>* cancel,
                     std::chrono::steady_clock::time_point deadline)
    : storage_(storage),
      opts_(opts),
      start_(start),
      end_(end),
      interval_(interval),
      cancel_(cancel),
      deadline_(deadline) {}

void Evaluator::CheckCancel() const {
  if (cancel_ && cancel_->load(std::memory_order_relaxed))
    Fail("query was canceled in expression evaluation");
  if (std::chrono::steady_clock::now() > deadline_)
    Fail("query timed out in expression evaluation");
}

void Evaluator::AddSamples(int64_t n) {
  current_samples += n;
  if (current_samples > opts_.max_samples)
    Fail("query processing would load too many samples into memory in query execution");
}

std::optional<int64_t> Evaluator::AtTime(const TimeModifiers& m) const {
  if (m.at_ms) return m.at_ms;
  if (m.start_or_end == Tok::kStart) return query_start;
  if (m.start_or_end == Tok::kEnd) return query_end;
  return std::nullopt;
}

Matrix Evaluator::Eval(const Expr& e) {
  CheckCancel();
  switch (e.kind) {
    case NodeKind::kNumber:
      return EvalNumber(static_cast<const NumberLiteral&>(e).val);
    case NodeKind::kVectorSelector:
      return EvalVectorSelector(static_cast<const VectorSelector&>(e));
    case NodeKind::kMatrixSelector:
      return EvalMatrixSelector(static_cast<const MatrixSelector&>(e));
    case NodeKind::kSubquery:
      return EvalSubquery(static_cast<const SubqueryExpr&>(e));
    case NodeKind::kCall:
      return EvalCall(static_cast<const Call&>(e));
    case NodeKind::kAggregate:
      return EvalAggregate(static_cast<const AggregateExpr&>(e));
    case NodeKind::kBinary:
      return EvalBinary(static_cast<const BinaryExpr&>(e));
    case NodeKind::kUnary:
      return EvalUnary(static_cast<const UnaryExpr&>(e));
    case NodeKind::kParen:
      return Eval(*static_cast<const ParenExpr&>(e).expr);
    case NodeKind::kString:
      Fail("unexpected string expression in evaluation");
  }
  Fail("unhandled expression");
}

Matrix Evaluator::RangeEval(const std::vector<const Expr*>& exprs, const StepFn& fn,
                            const KeyFn* key_fn) {
  const int64_t original_samples = current_samples;
  std::vector<Matrix> matrices(exprs.size());
  for (size_t i = 0; i < exprs.size(); ++i) {
    if (exprs[i] && exprs[i]->Type() != ValueType::kString) matrices[i] = Eval(*exprs[i]);
  }
  std::vector<std::vector<uint64_t>> series_keys(exprs.size());
  if (key_fn) {
    for (size_t i = 0; i < exprs.size(); ++i) {
      series_keys[i].reserve(matrices[i].size());
      for (const auto& s : matrices[i]) series_keys[i].push_back((*key_fn)(s.metric));
    }
  }
  std::vector<std::vector<size_t>> cursors(exprs.size());
  for (size_t i = 0; i < exprs.size(); ++i) cursors[i].assign(matrices[i].size(), 0);

  std::vector<Vector> args(exprs.size());
  std::vector<std::vector<uint64_t>> keys(exprs.size());
  Vector out;
  Matrix result;
  std::unordered_map<uint64_t, size_t> index;  // output series by label hash
  int64_t temp_samples = current_samples;
  const bool instant = start_ == end_;
  const size_t steps = NumSteps(start_, end_, interval_);

  for (int64_t ts : StepRange(start_, end_, interval_)) {
    CheckCancel();
    current_samples = temp_samples;
    for (size_t i = 0; i < exprs.size(); ++i) {
      args[i].clear();
      keys[i].clear();
      auto& m = matrices[i];
      for (size_t si = 0; si < m.size(); ++si) {
        auto& cur = cursors[i][si];
        const auto& pts = m[si].points;
        if (cur < pts.size() && pts[cur].t == ts) {
          if (current_samples >= opts_.max_samples)
            Fail("query processing would load too many samples into memory in query execution");
          args[i].push_back({m[si].metric, ts, pts[cur].v});
          if (key_fn) keys[i].push_back(series_keys[i][si]);
          ++cur;
          ++current_samples;
        }
      }
    }
    out.clear();
    fn(args, keys, ts, out);
    if (ContainsSameLabelset(out)) Fail("vector cannot contain metrics with the same labelset");
    current_samples += static_cast<int64_t>(out.size());
    temp_samples += static_cast<int64_t>(out.size());
    if (current_samples > opts_.max_samples)
      Fail("query processing would load too many samples into memory in query execution");

    if (instant) {
      // Keep the function's order: sort(), topk() and friends rely on it.
      Matrix mat;
      mat.reserve(out.size());
      for (auto& s : out) mat.push_back({std::move(s.metric), {{ts, s.v}}});
      current_samples = original_samples + static_cast<int64_t>(mat.size());
      return mat;
    }
    for (auto& s : out) {
      auto [it, inserted] = index.try_emplace(s.metric.Hash(), result.size());
      if (inserted) {
        result.push_back({s.metric, {}});
        result.back().points.reserve(std::min<size_t>(steps, 11000));
      }
      result[it->second].points.push_back({ts, s.v});
    }
  }
  int64_t total = 0;
  for (const auto& s : result) total += static_cast<int64_t>(s.points.size());
  current_samples = original_samples + total;
  return result;
}

Matrix Evaluator::EvalNumber(double v) {
  return RangeEval({}, [v](auto&, auto&, int64_t ts, Vector& out) { out.push_back({{}, ts, v}); });
}

Matrix Evaluator::EvalVectorSelector(const VectorSelector& vs) {
  const int64_t offset = vs.mod.original_offset_ms;
  const auto at = AtTime(vs.mod);
  const int64_t lookback = opts_.lookback_delta_ms;
  const int64_t first_ref = Sub(at ? *at : start_, offset);
  const int64_t last_ref = Sub(at ? *at : end_, offset);
  auto series = storage_.Select(vs.matchers, Sub(first_ref, lookback), last_ref);
  Matrix mat;
  mat.reserve(series.size());
  for (const auto& s : series) {
    Series out{s.labels, {}};
    size_t next = 0;  // first sample after the reference time
    size_t step = 0;
    for (int64_t ts : StepRange(start_, end_, interval_)) {
      if ((++step & 4095) == 0) CheckCancel();
      const int64_t ref = Sub(at ? *at : ts, offset);
      while (next < s.t.size() && s.t[next] <= ref) ++next;
      if (next == 0) continue;
      const size_t i = next - 1;
      if (s.t[i] < Sub(ref, lookback) || IsStaleNaN(s.v[i])) continue;
      if (current_samples >= opts_.max_samples)
        Fail("query processing would load too many samples into memory in query execution");
      ++current_samples;
      out.points.push_back({ts, s.v[i]});
    }
    if (!out.points.empty()) mat.push_back(std::move(out));
  }
  return mat;
}

std::vector<SeriesView> Evaluator::SelectForRange(const VectorSelector& vs, int64_t range_ms) {
  const int64_t offset = vs.mod.original_offset_ms;
  const auto at = AtTime(vs.mod);
  const int64_t first_end = Sub(at ? *at : start_, offset);
  const int64_t last_end = Sub(at ? *at : end_, offset);
  return storage_.Select(vs.matchers, Sub(first_end, range_ms), last_end);
}

Matrix Evaluator::EvalMatrixSelector(const MatrixSelector& ms) {
  const auto& vs = ms.selector();
  const auto at = AtTime(vs.mod);
  const int64_t maxt = Sub(at ? *at : start_, vs.mod.original_offset_ms);
  const int64_t mint = Sub(maxt, ms.range_ms);
  Matrix mat;
  for (const auto& s : SelectForRange(vs, ms.range_ms)) {
    CheckCancel();
    Series out{s.labels, {}};
    for (size_t i = 0; i < s.t.size(); ++i) {
      if (s.t[i] < mint || s.t[i] > maxt || IsStaleNaN(s.v[i])) continue;
      if (current_samples >= opts_.max_samples)
        Fail("query processing would load too many samples into memory in query execution");
      ++current_samples;
      out.points.push_back({s.t[i], s.v[i]});
    }
    if (!out.points.empty()) mat.push_back(std::move(out));
  }
  return mat;
}

Matrix Evaluator::EvalSubquery(const SubqueryExpr& sq) {
  const int64_t offset = sq.mod.original_offset_ms;
  const auto at = AtTime(sq.mod);
  const int64_t interval =
      sq.step_ms != 0 ? sq.step_ms : opts_.no_step_subquery_interval(sq.range_ms);
  const int64_t end = Sub(at ? *at : end_, offset);
  const int64_t raw_start = Sub(Sub(at ? *at : start_, offset), sq.range_ms);
  // The first step-aligned timestamp at or after raw_start (Go's division truncates to zero).
  int64_t start = interval * (raw_start / interval);
  if (start < raw_start) start = Add(start, interval);
  Evaluator sub(storage_, opts_, start, end, interval, cancel_, deadline_);
  sub.query_start = query_start;
  sub.query_end = query_end;
  sub.current_samples = current_samples;
  Matrix res = start <= end ? sub.Eval(*sq.expr) : Matrix{};
  current_samples = sub.current_samples;
  for (const auto& s : res) current_samples += static_cast<int64_t>(s.points.size());
  return res;
}

// Samples of one series in columnar form, the input of range functions.
struct ColumnSeries {
  Labels labels;
  std::vector<int64_t> t_store;
  std::vector<double> v_store;
  std::span<const int64_t> t;
  std::span<const double> v;
  bool may_contain_stale = false;
};

// What a range function reads: the series of a matrix selector or of a subquery's result, and
// the window's range, offset and `@` time.
struct RangeInput {
  std::vector<ColumnSeries> series;
  int64_t range_ms = 0;
  int64_t offset = 0;
  std::optional<int64_t> at;
  int64_t subquery_samples = 0;  // held by the subquery's result while the function runs
};

// Per-call buffers reused across series and steps.
struct RangeScratch {
  std::vector<double> scalar_args;  // the other arguments' values at the current step
  std::vector<int64_t> t;           // a window without stale markers
  std::vector<uint32_t> decreases;  // decreases[i]: how many k in [1, i] have v[k] < v[k-1]
  std::vector<double> v;
};

namespace {

// absent_over_time: one series with a 1 at every step where no input series had a sample.
Matrix AbsentOverTime(const Matrix& mat, const Expr& arg, int64_t start, int64_t end,
                      int64_t interval) {
  const size_t steps = NumSteps(start, end, interval);
  std::unordered_set<int64_t> found;
  for (const auto& s : mat) {
    if (s.points.size() == steps) return {};
    for (const auto& p : s.points) found.insert(p.t);
  }
  if (found.size() == steps) return {};
  Series absent{AbsentLabels(arg), {}};
  for (int64_t ts : StepRange(start, end, interval))
    if (!found.count(ts)) absent.points.push_back({ts, 1});
  return {std::move(absent)};
}

}  // namespace

RangeInput Evaluator::LoadRangeInput(const Expr& arg) {
  RangeInput in;
  if (arg.kind == NodeKind::kMatrixSelector) {
    const auto& ms = static_cast<const MatrixSelector&>(arg);
    in.range_ms = ms.range_ms;
    in.offset = ms.selector().mod.original_offset_ms;
    in.at = AtTime(ms.selector().mod);
    for (auto& s : SelectForRange(ms.selector(), in.range_ms))
      in.series.push_back({std::move(s.labels), {}, {}, s.t, s.v, s.may_contain_stale});
    return in;
  }
  const auto& sq = static_cast<const SubqueryExpr&>(arg);
  in.range_ms = sq.range_ms;
  in.offset = sq.mod.original_offset_ms;
  in.at = AtTime(sq.mod);
  Matrix res = EvalSubquery(sq);
  for (auto& s : res) {
    ColumnSeries c;
    c.labels = std::move(s.metric);
    for (const auto& p : s.points) {
      c.t_store.push_back(p.t);
      c.v_store.push_back(p.v);
    }
    c.t = c.t_store;
    c.v = c.v_store;
    in.subquery_samples += static_cast<int64_t>(s.points.size());
    in.series.push_back(std::move(c));
  }
  return in;
}

namespace {

void CountDecreases(std::span<const double> v, std::vector<uint32_t>& decreases) {
  decreases.resize(v.size());
  uint32_t n = 0;
  for (size_t i = 0; i < v.size(); ++i) {
    if (i > 0 && v[i] < v[i - 1]) ++n;
    decreases[i] = n;
  }
}

}  // namespace

Series Evaluator::EvalRangeSeries(const RangeFn fn, const Call& call, size_t matrix_arg,
                                  const std::vector<Matrix>& other, const RangeInput& in,
                                  const ColumnSeries& s, RangeScratch& scratch) {
  const bool keep_name = call.func->name == "last_over_time";
  Series out{keep_name ? s.labels : DropMetricName(s.labels), {}};
  size_t lo = 0, hi = 0;
  size_t next_step = 0;
  // Windows much longer than the step (increase(x[24h]) every minute) overlap: counting the
  // decreases once per series lets a counter function skip its per-window reset scan.
  const bool count_decreases =
      !s.may_contain_stale && interval_ > 0 && start_ < end_ && in.range_ms >= 16 * interval_;
  if (count_decreases) CountDecreases(s.v, scratch.decreases);
  for (int64_t ts : StepRange(start_, end_, interval_)) {
    const size_t step = next_step++;
    if ((step & 4095) == 4095) CheckCancel();
    for (size_t j = 0; j < call.args.size(); ++j) {
      if (j == matrix_arg) continue;
      const bool has = !other[j].empty() && step < other[j][0].points.size();
      scratch.scalar_args[j] = has ? other[j][0].points[step].v : std::nan("");
    }
    const int64_t maxt = Sub(in.at ? *in.at : ts, in.offset);
    const int64_t mint = Sub(maxt, in.range_ms);
    while (hi < s.t.size() && s.t[hi] <= maxt) ++hi;
    while (lo < hi && s.t[lo] < mint) ++lo;
    Window w;
    if (s.may_contain_stale) {
      scratch.t.clear();
      scratch.v.clear();
      for (size_t i = lo; i < hi; ++i) {
        if (IsStaleNaN(s.v[i])) continue;
        scratch.t.push_back(s.t[i]);
        scratch.v.push_back(s.v[i]);
      }
      w.t = scratch.t;
      w.v = scratch.v;
    } else {
      w.t = s.t.subspan(lo, hi - lo);
      w.v = s.v.subspan(lo, hi - lo);
      w.no_decrease = count_decreases && hi > lo && !(s.v[lo] < 0) &&
                      scratch.decreases[hi - 1] == scratch.decreases[lo];
    }
    if (w.t.empty()) continue;
    if (current_samples + static_cast<int64_t>(w.t.size()) > opts_.max_samples)
      Fail("query processing would load too many samples into memory in query execution");
    w.range_start = mint;
    w.range_end = maxt;
    w.range_ms = in.range_ms;
    w.ts = ts;
    w.scalar_args = scratch.scalar_args;
    if (auto v = fn(w)) out.points.push_back({ts, *v});
  }
  return out;
}

Matrix Evaluator::EvalRangeCall(const Call& call, size_t matrix_arg) {
  const FunctionImpl* impl = LookupImpl(call.func->name);
  const Expr& arg = UnwrapParens(*call.args[matrix_arg]);

  // Scalar arguments, evaluated over all steps.
  std::vector<Matrix> other(call.args.size());
  for (size_t i = 0; i < call.args.size(); ++i) {
    if (i != matrix_arg) other[i] = Eval(*call.args[i]);
  }
  const RangeInput in = LoadRangeInput(arg);
  Matrix mat;
  RangeScratch scratch;
  scratch.scalar_args.assign(call.args.size(), std::nan(""));
  for (const auto& s : in.series) {
    CheckCancel();
    Series out = EvalRangeSeries(impl->range, call, matrix_arg, other, in, s, scratch);
    if (!out.points.empty()) {
      AddSamples(static_cast<int64_t>(out.points.size()));
      mat.push_back(std::move(out));
    }
  }
  current_samples -= in.subquery_samples;

  if (call.func->name == "absent_over_time")
    return AbsentOverTime(mat, arg, start_, end_, interval_);
  if (ContainsSameLabelset(mat)) Fail("vector cannot contain metrics with the same labelset");
  return mat;
}

Matrix Evaluator::EvalTimestampOfSelector(const Call& call, const VectorSelector& vs) {
  // timestamp(selector) reports the sample's own time, not the step's.
  const int64_t offset = vs.mod.original_offset_ms;
  const auto at = AtTime(vs.mod);
  const int64_t lookback = opts_.lookback_delta_ms;
  auto series = storage_.Select(vs.matchers, Sub(Sub(at ? *at : start_, offset), lookback),
                                Sub(at ? *at : end_, offset));
  (void)call;
  return RangeEval({}, [&](auto&, auto&, int64_t ts, Vector& out) {
    const int64_t ref = Sub(at ? *at : ts, offset);
    for (const auto& s : series) {
      auto it = std::upper_bound(s.t.begin(), s.t.end(), ref);
      if (it == s.t.begin()) continue;
      size_t i = static_cast<size_t>(it - s.t.begin()) - 1;
      if (s.t[i] < Sub(ref, lookback) || IsStaleNaN(s.v[i])) continue;
      AddSamples(1);
      out.push_back({DropMetricName(s.labels), ts, static_cast<double>(s.t[i]) / 1000.0});
    }
  });
}

Matrix Evaluator::EvalCall(const Call& call) {
  const std::string& name = call.func->name;
  if (name == "timestamp") {
    const Expr& arg = UnwrapParens(*call.args[0]);
    if (arg.kind == NodeKind::kVectorSelector)
      return EvalTimestampOfSelector(call, static_cast<const VectorSelector&>(arg));
  }
  for (size_t i = 0; i < call.args.size(); ++i) {
    const Expr& a = UnwrapParens(*call.args[i]);
    if (a.kind == NodeKind::kMatrixSelector || a.kind == NodeKind::kSubquery)
      return EvalRangeCall(call, i);
  }
  const FunctionImpl* impl = LookupImpl(name);
  std::vector<const Expr*> exprs;
  for (const auto& a : call.args) exprs.push_back(a.get());
  std::unique_ptr<FuncState> state;
  return RangeEval(exprs, [&](std::vector<Vector>& args, auto&, int64_t ts, Vector& out) {
    StepContext ctx{*this, call, ts, state};
    impl->vector(ctx, args, out);
  });
}

Matrix Evaluator::EvalAggregate(const AggregateExpr& agg) {
  std::vector<std::string> grouping = agg.grouping;
  std::sort(grouping.begin(), grouping.end());
  if (auto fast = FastAggregate(agg, grouping)) return std::move(*fast);
  KeyFn key = [&](const Labels& l) { return GroupingKey(l, grouping, agg.without); };
  const Expr* param = agg.param ? &UnwrapParens(*agg.param) : nullptr;
  if (param && param->kind == NodeKind::kString) {
    const std::string sparam = static_cast<const StringLiteral*>(param)->val;
    return RangeEval(
        {agg.expr.get()},
        [&](std::vector<Vector>& args, std::vector<std::vector<uint64_t>>& keys, int64_t,
            Vector& out) { out = Aggregate(*this, agg, grouping, 0, &sparam, args[0], keys[0]); },
        &key);
  }
  return RangeEval(
      {agg.param.get(), agg.expr.get()},
      [&](std::vector<Vector>& args, std::vector<std::vector<uint64_t>>& keys, int64_t,
          Vector& out) {
        double p = agg.param ? args[0][0].v : 0;
        out = Aggregate(*this, agg, grouping, p, nullptr, args[1], keys[1]);
      },
      &key);
}

Matrix Evaluator::EvalBinary(const BinaryExpr& bin) {
  const ValueType lt = bin.lhs->Type(), rt = bin.rhs->Type();
  const Tok op = bin.op;
  if (lt == ValueType::kScalar && rt == ValueType::kScalar) {
    return RangeEval({bin.lhs.get(), bin.rhs.get()},
                     [op](std::vector<Vector>& a, auto&, int64_t ts, Vector& out) {
                       out.push_back({{}, ts, ScalarBinop(op, a[0][0].v, a[1][0].v)});
                     });
  }
  if (lt == ValueType::kVector && rt == ValueType::kVector) {
    const VectorMatching& m = *bin.matching;
    KeyFn sig = [&m](const Labels& l) { return MatchSignature(l, m); };
    return RangeEval(
        {bin.lhs.get(), bin.rhs.get()},
        [&](std::vector<Vector>& a, std::vector<std::vector<uint64_t>>& k, int64_t, Vector& out) {
          out = BinaryVectorVector(bin, a[0], a[1], k[0], k[1]);
        },
        &sig);
  }
  if (auto fast = FastVectorScalar(bin)) return std::move(*fast);
  const bool swap = lt == ValueType::kScalar;
  const bool rb = bin.return_bool;
  return RangeEval({bin.lhs.get(), bin.rhs.get()},
                   [=](std::vector<Vector>& a, auto&, int64_t, Vector& out) {
                     const Vector& vec = swap ? a[1] : a[0];
                     double s = swap ? a[0][0].v : a[1][0].v;
                     out = BinaryVectorScalar(op, vec, s, swap, rb);
                   });
}

Matrix Evaluator::EvalUnary(const UnaryExpr& u) {
  Matrix mat = Eval(*u.expr);
  if (u.op == Tok::kSub) {
    for (auto& s : mat) {
      s.metric = DropMetricName(s.metric);
      for (auto& p : s.points) p.v = -p.v;
    }
    if (ContainsSameLabelset(mat)) Fail("vector cannot contain metrics with the same labelset");
  }
  return mat;
}

}  // namespace internal

namespace {

std::chrono::steady_clock::time_point Deadline(const EngineOptions& o) {
  return std::chrono::steady_clock::now() + o.timeout;
}

}  // namespace

Value Engine::Instant(const Storage& storage, const Expr& expr, int64_t t,
                      const std::atomic<bool>* cancel) const {
  if (expr.Type() == ValueType::kString) {
    return String{t, static_cast<const StringLiteral&>(internal::UnwrapParens(expr)).val};
  }
  internal::Evaluator ev(storage, opts_, t, t, 1, cancel, Deadline(opts_));
  ev.query_start = ev.query_end = t;
  Matrix mat = ev.Eval(expr);
  switch (expr.Type()) {
    case ValueType::kVector: {
      Vector vec;
      vec.reserve(mat.size());
      for (auto& s : mat) vec.push_back({std::move(s.metric), t, s.points[0].v});
      return vec;
    }
    case ValueType::kScalar:
      return Scalar{t, mat.empty() ? std::nan("") : mat[0].points[0].v};
    default:
      return mat;
  }
}

Matrix Engine::Range(const Storage& storage, const Expr& expr, int64_t start, int64_t end,
                     int64_t step, const std::atomic<bool>* cancel) const {
  ValueType t = expr.Type();
  if (t != ValueType::kVector && t != ValueType::kScalar) {
    throw QueryError("invalid expression type \"" + std::string(DocumentedType(t)) +
                     "\" for range query, must be Scalar or instant Vector");
  }
  if (step <= 0) throw QueryError("zero or negative query resolution step widths are not accepted");
  if (end < start) throw QueryError("end timestamp must not be before start time");
  internal::Evaluator ev(storage, opts_, start, end, step, cancel, Deadline(opts_));
  ev.query_start = start;
  ev.query_end = end;
  Matrix mat = ev.Eval(expr);
  std::sort(mat.begin(), mat.end(),
            [](const Series& a, const Series& b) { return Compare(a.metric, b.metric) < 0; });
  return mat;
}

Value Engine::Instant(const Storage& storage, std::string_view expr, int64_t t) const {
  ExprPtr e = ParseExpr(expr);
  return Instant(storage, *e, t);
}

}  // namespace cerniq::promql
