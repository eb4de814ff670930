// Functions over range vectors (rate, *_over_time, deriv, ...), as Prometheus 2.42: each gets
// the samples of one series in one window, stale markers already removed.
#include <algorithm>
#include <cmath>
#include <cstdio>

#include "promql/evaluator.h"

namespace cerniq::promql::internal {
namespace {

std::optional<double> ExtrapolatedRate(const Window& w, bool is_counter, bool is_rate) {
  const size_t n = w.t.size();
  if (n < 2) return std::nullopt;
  double result = w.v[n - 1] - w.v[0];
  if (is_counter && !w.no_decrease) {  // the scan would add nothing (not even a 0 to -0)
    double last = 0;
    for (double v : w.v) {
      if (v < last) result += last;
      last = v;
    }
  }
  double to_start = static_cast<double>(w.t[0] - w.range_start) / 1000;
  double to_end = static_cast<double>(w.range_end - w.t[n - 1]) / 1000;
  double sampled = static_cast<double>(w.t[n - 1] - w.t[0]) / 1000;
  double avg_between = sampled / static_cast<double>(n - 1);
  if (is_counter && result > 0 && w.v[0] >= 0) {
    // A counter cannot have been negative: do not extrapolate before its zero point.
    double to_zero = sampled * (w.v[0] / result);
    if (to_zero < to_start) to_start = to_zero;
  }
  double threshold = avg_between * 1.1;
  double interval = sampled;
  interval += to_start < threshold ? to_start : avg_between / 2;
  interval += to_end < threshold ? to_end : avg_between / 2;
  // One factor, then one multiplication: the rounding of Prometheus 2.40+.
  double factor = interval / sampled;
  if (is_rate) factor /= static_cast<double>(w.range_ms) / 1000;
  return result * factor;
}

std::optional<double> Rate(const Window& w) { return ExtrapolatedRate(w, true, true); }
std::optional<double> Increase(const Window& w) { return ExtrapolatedRate(w, true, false); }
std::optional<double> Delta(const Window& w) { return ExtrapolatedRate(w, false, false); }

std::optional<double> InstantValue(const Window& w, bool is_rate) {
  const size_t n = w.t.size();
  if (n < 2) return std::nullopt;
  double last = w.v[n - 1], prev = w.v[n - 2];
  double result = (is_rate && last < prev) ? last : last - prev;
  int64_t interval = w.t[n - 1] - w.t[n - 2];
  if (interval == 0) return std::nullopt;
  if (is_rate) result /= static_cast<double>(interval) / 1000;
  return result;
}
std::optional<double> Irate(const Window& w) { return InstantValue(w, true); }
std::optional<double> Idelta(const Window& w) { return InstantValue(w, false); }

std::string GoPercentF(double v) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "+Inf" : "-Inf";
  char buf[512];
  snprintf(buf, sizeof buf, "%f", v);
  return buf;
}

std::optional<double> HoltWinters(const Window& w) {
  double sf = w.scalar_args[1], tf = w.scalar_args[2];
  if (sf <= 0 || sf >= 1)
    Fail("invalid smoothing factor. Expected: 0 < sf < 1, got: " + GoPercentF(sf));
  if (tf <= 0 || tf >= 1)
    Fail("invalid trend factor. Expected: 0 < tf < 1, got: " + GoPercentF(tf));
  const size_t n = w.v.size();
  if (n < 2) return std::nullopt;
  double s0 = 0, s1 = w.v[0], b = w.v[1] - w.v[0];
  for (size_t i = 1; i < n; ++i) {
    double x = sf * w.v[i];
    if (i - 1 != 0) b = tf * (s1 - s0) + (1 - tf) * b;
    double y = (1 - sf) * (s1 + b);
    s0 = s1;
    s1 = x + y;
  }
  return s1;
}

std::optional<double> AvgOverTime(const Window& w) {
  double mean = 0, count = 0, c = 0;
  for (double v : w.v) {
    ++count;
    if (std::isinf(mean)) {
      // Inf stays Inf unless an opposite Inf or a NaN arrives.
      if (std::isinf(v) && (mean > 0) == (v > 0)) continue;
      if (!std::isinf(v) && !std::isnan(v)) continue;
    }
    std::tie(mean, c) = KahanSumInc(v / count - mean / count, mean, c);
  }
  if (std::isinf(mean)) return mean;
  return mean + c;
}

std::optional<double> CountOverTime(const Window& w) { return static_cast<double>(w.v.size()); }

std::optional<double> MaxOverTime(const Window& w) {
  double m = w.v[0];
  for (double v : w.v)
    if (v > m || std::isnan(m)) m = v;
  return m;
}

std::optional<double> MinOverTime(const Window& w) {
  double m = w.v[0];
  for (double v : w.v)
    if (v < m || std::isnan(m)) m = v;
  return m;
}

std::optional<double> SumOverTime(const Window& w) {
  double sum = 0, c = 0;
  for (double v : w.v) std::tie(sum, c) = KahanSumInc(v, sum, c);
  if (std::isinf(sum)) return sum;
  return sum + c;
}

std::optional<double> QuantileOverTime(const Window& w) {
  return Quantile(w.scalar_args[0], std::vector<double>(w.v.begin(), w.v.end()));
}

// Welford's running variance with compensated (Kahan-Neumaier) sums, as 2.42 computes it.
double StdVar(const Window& w) {
  double count = 0, mean = 0, c_mean = 0, aux = 0, c_aux = 0;
  for (double v : w.v) {
    ++count;
    double delta = v - (mean + c_mean);
    std::tie(mean, c_mean) = KahanSumInc(delta / count, mean, c_mean);
    std::tie(aux, c_aux) = KahanSumInc(delta * (v - (mean + c_mean)), aux, c_aux);
  }
  return (aux + c_aux) / count;
}
std::optional<double> StdvarOverTime(const Window& w) { return StdVar(w); }
std::optional<double> StddevOverTime(const Window& w) { return std::sqrt(StdVar(w)); }

std::optional<double> LastOverTime(const Window& w) { return w.v.back(); }
std::optional<double> One(const Window&) { return 1.0; }

std::optional<double> Changes(const Window& w) {
  int changes = 0;
  double prev = w.v[0];
  for (size_t i = 1; i < w.v.size(); ++i) {
    double cur = w.v[i];
    if (cur != prev && !(std::isnan(cur) && std::isnan(prev))) ++changes;
    prev = cur;
  }
  return static_cast<double>(changes);
}

std::optional<double> Resets(const Window& w) {
  int resets = 0;
  double prev = w.v[0];
  for (size_t i = 1; i < w.v.size(); ++i) {
    if (w.v[i] < prev) ++resets;
    prev = w.v[i];
  }
  return static_cast<double>(resets);
}

// Least-squares fit of the window; x is seconds relative to intercept_time.
std::pair<double, double> LinearRegression(const Window& w, int64_t intercept_time) {
  double n = 0, sx = 0, cx = 0, sy = 0, cy = 0, sxy = 0, cxy = 0, sx2 = 0, cx2 = 0;
  double init_y = w.v[0];
  bool const_y = true;
  for (size_t i = 0; i < w.v.size(); ++i) {
    double v = w.v[i];
    if (const_y && i > 0 && v != init_y) const_y = false;
    n += 1;
    double x = static_cast<double>(w.t[i] - intercept_time) / 1e3;
    std::tie(sx, cx) = KahanSumInc(x, sx, cx);
    std::tie(sy, cy) = KahanSumInc(v, sy, cy);
    std::tie(sxy, cxy) = KahanSumInc(x * v, sxy, cxy);
    std::tie(sx2, cx2) = KahanSumInc(x * x, sx2, cx2);
  }
  if (const_y) {
    if (std::isinf(init_y)) return {std::nan(""), std::nan("")};
    return {0, init_y};
  }
  sx += cx;
  sy += cy;
  sxy += cxy;
  sx2 += cx2;
  double cov = sxy - sx * sy / n;
  double var = sx2 - sx * sx / n;
  double slope = cov / var;
  return {slope, sy / n - slope * sx / n};
}

std::optional<double> Deriv(const Window& w) {
  if (w.v.size() < 2) return std::nullopt;
  return LinearRegression(w, w.t[0]).first;
}

std::optional<double> PredictLinear(const Window& w) {
  if (w.v.size() < 2) return std::nullopt;
  auto [slope, intercept] = LinearRegression(w, w.ts);
  return slope * w.scalar_args[1] + intercept;
}

}  // namespace

void AddRangeFunctions(std::unordered_map<std::string_view, FunctionImpl>& m) {
  m["rate"] = {Rate, nullptr};
  m["increase"] = {Increase, nullptr};
  m["delta"] = {Delta, nullptr};
  m["irate"] = {Irate, nullptr};
  m["idelta"] = {Idelta, nullptr};
  m["holt_winters"] = {HoltWinters, nullptr};
  m["avg_over_time"] = {AvgOverTime, nullptr};
  m["count_over_time"] = {CountOverTime, nullptr};
  m["max_over_time"] = {MaxOverTime, nullptr};
  m["min_over_time"] = {MinOverTime, nullptr};
  m["sum_over_time"] = {SumOverTime, nullptr};
  m["quantile_over_time"] = {QuantileOverTime, nullptr};
  m["stddev_over_time"] = {StddevOverTime, nullptr};
  m["stdvar_over_time"] = {StdvarOverTime, nullptr};
  m["last_over_time"] = {LastOverTime, nullptr};
  m["present_over_time"] = {One, nullptr};
  m["absent_over_time"] = {One, nullptr};
  m["changes"] = {Changes, nullptr};
  m["resets"] = {Resets, nullptr};
  m["deriv"] = {Deriv, nullptr};
  m["predict_linear"] = {PredictLinear, nullptr};
}

}  // namespace cerniq::promql::internal
