// Implementations of PromQL 2.42's functions (classic histograms only).
#include <re2/re2.h>

#include <algorithm>
#include <cmath>
#include <numbers>
#include <unordered_map>

#include "gocompat/math.h"
#include "gocompat/parse_float.h"
#include "gocompat/regexp_expand.h"
#include "gocompat/sort.h"
#include "promql/evaluator.h"
#include "promql/matcher.h"

namespace cerniq::promql::internal {

std::pair<double, double> KahanSumInc(double inc, double sum, double c) {
  double t = sum + inc;
  // Neumaier's variant: compensate with whichever term is larger.
  if (std::fabs(sum) >= std::fabs(inc)) {
    c += (sum - t) + inc;
  } else {
    c += (inc - t) + sum;
  }
  return {t, c};
}

double Quantile(double q, std::vector<double> values) {
  if (values.empty() || std::isnan(q)) return std::nan("");
  if (q < 0) return -INFINITY;
  if (q > 1) return INFINITY;
  // sort.Sort(vectorByValueHeap): NaN first (its Less is true for any NaN on the left).
  gocompat::SortSlice(values, [](double a, double b) { return std::isnan(a) || a < b; });
  double n = static_cast<double>(values.size());
  double rank = q * (n - 1);
  double lower = std::max(0.0, std::floor(rank));
  double upper = std::min(n - 1, lower + 1);
  double weight = rank - std::floor(rank);
  return values[static_cast<size_t>(lower)] * (1 - weight) +
         values[static_cast<size_t>(upper)] * weight;
}

namespace {

// ---- instant-vector functions ----

template <double (*F)(double)>
void Simple(StepContext&, std::vector<Vector>& args, Vector& out) {
  for (const auto& s : args[0]) out.push_back({DropMetricName(s.metric), s.t, F(s.v)});
}

double Abs(double v) { return std::fabs(v); }
double Ceil(double v) { return std::ceil(v); }
double Floor(double v) { return std::floor(v); }
double Exp(double v) { return std::exp(v); }
double Sqrt(double v) { return std::sqrt(v); }
double Ln(double v) { return gocompat::Log(v); }
double Log2(double v) { return gocompat::Log2(v); }
double Log10(double v) { return gocompat::Log10(v); }
double Sin(double v) { return std::sin(v); }
double Cos(double v) { return std::cos(v); }
double Tan(double v) { return std::tan(v); }
double Asin(double v) { return std::asin(v); }
double Acos(double v) { return std::acos(v); }
double Atan(double v) { return std::atan(v); }
double Sinh(double v) { return std::sinh(v); }
double Cosh(double v) { return std::cosh(v); }
double Tanh(double v) { return std::tanh(v); }
double Asinh(double v) { return std::asinh(v); }
double Acosh(double v) { return std::acosh(v); }
double Atanh(double v) { return std::atanh(v); }
double Deg(double v) { return v * 180 / std::numbers::pi; }
double Rad(double v) { return v * std::numbers::pi / 180; }
double Sgn(double v) {
  if (v < 0) return -1;
  if (v > 0) return 1;
  return v;  // 0 and NaN stay as they are
}

void Vec(StepContext& ctx, std::vector<Vector>& args, Vector& out) {
  out.push_back({{}, ctx.ts, args[0][0].v});
}

void ScalarFn(StepContext& ctx, std::vector<Vector>& args, Vector& out) {
  out.push_back({{}, ctx.ts, args[0].size() == 1 ? args[0][0].v : std::nan("")});
}

void Time(StepContext& ctx, std::vector<Vector>&, Vector& out) {
  out.push_back({{}, ctx.ts, static_cast<double>(ctx.ts) / 1000});
}

void Pi(StepContext& ctx, std::vector<Vector>&, Vector& out) {
  out.push_back({{}, ctx.ts, std::numbers::pi});
}

void Timestamp(StepContext&, std::vector<Vector>& args, Vector& out) {
  for (const auto& s : args[0])
    out.push_back({DropMetricName(s.metric), s.t, static_cast<double>(s.t) / 1000});
}

void Clamp(StepContext&, std::vector<Vector>& args, Vector& out) {
  double lo = args[1][0].v, hi = args[2][0].v;
  if (hi < lo) return;
  for (const auto& s : args[0])
    out.push_back({DropMetricName(s.metric), s.t, gocompat::Max(lo, gocompat::Min(hi, s.v))});
}

void ClampMax(StepContext&, std::vector<Vector>& args, Vector& out) {
  double hi = args[1][0].v;
  for (const auto& s : args[0])
    out.push_back({DropMetricName(s.metric), s.t, gocompat::Min(hi, s.v)});
}

void ClampMin(StepContext&, std::vector<Vector>& args, Vector& out) {
  double lo = args[1][0].v;
  for (const auto& s : args[0])
    out.push_back({DropMetricName(s.metric), s.t, gocompat::Max(lo, s.v)});
}

void Round(StepContext& ctx, std::vector<Vector>& args, Vector& out) {
  double to_nearest = ctx.call.args.size() >= 2 ? args[1][0].v : 1;
  double inverse = 1.0 / to_nearest;  // fewer floating-point surprises than dividing
  for (const auto& s : args[0])
    out.push_back({DropMetricName(s.metric), s.t, std::floor(s.v * inverse + 0.5) / inverse});
}

void Sort(StepContext&, std::vector<Vector>& args, Vector& out) {
  out = args[0];
  // Ascending, NaN last.
  gocompat::SortSlice(
      out, [](const Sample& a, const Sample& b) { return std::isnan(b.v) || b.v > a.v; });
}

void SortDesc(StepContext&, std::vector<Vector>& args, Vector& out) {
  out = args[0];
  // Descending, NaN last.
  gocompat::SortSlice(
      out, [](const Sample& a, const Sample& b) { return std::isnan(b.v) || b.v < a.v; });
}

void Absent(StepContext& ctx, std::vector<Vector>& args, Vector& out) {
  if (!args[0].empty()) return;
  out.push_back({AbsentLabels(UnwrapParens(*ctx.call.args[0])), ctx.ts, 1});
}

// Dates as Go's time package computes them: from "absolute" seconds since the year
// -292277022399, in uint64 arithmetic, so that out-of-range inputs (NaN and Inf become MinInt64)
// wrap around exactly as in Go.
struct Date {
  int64_t year;
  int month, day, weekday, yday, hour, minute;
};

constexpr int64_t kAbsoluteZeroYear = -292277022399;
constexpr uint64_t kUnixToAbsolute = 9223372028715321600ull;  // unixToInternal+internalToAbsolute
constexpr uint64_t kSecondsPerDay = 86400;
constexpr uint64_t kDaysPer400Years = 365 * 400 + 97;
constexpr uint64_t kDaysPer100Years = 365 * 100 + 24;
constexpr uint64_t kDaysPer4Years = 365 * 4 + 1;
constexpr int kDaysBefore[] = {0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334, 365};

bool IsLeap(int64_t year) { return year % 4 == 0 && (year % 100 != 0 || year % 400 == 0); }

// Go's absDate: year, month, day and 0-based day of the year.
void AbsDate(uint64_t abs, Date& d) {
  uint64_t days = abs / kSecondsPerDay;
  uint64_t n = days / kDaysPer400Years;
  uint64_t y = 400 * n;
  days -= kDaysPer400Years * n;
  n = days / kDaysPer100Years;
  n -= n >> 2;
  y += 100 * n;
  days -= kDaysPer100Years * n;
  n = days / kDaysPer4Years;
  y += 4 * n;
  days -= kDaysPer4Years * n;
  n = days / 365;
  n -= n >> 2;
  y += n;
  days -= 365 * n;
  d.year = static_cast<int64_t>(y + static_cast<uint64_t>(kAbsoluteZeroYear));
  d.yday = static_cast<int>(days);
  int day = d.yday;
  if (IsLeap(d.year)) {
    if (day == 31 + 29 - 1) {
      d.month = 2;
      d.day = 29;
      return;
    }
    if (day > 31 + 29 - 1) --day;  // after the leap day: pretend it was not there
  }
  int month = day / 31;  // may be one too low
  int begin = kDaysBefore[month];
  if (day >= kDaysBefore[month + 1]) begin = kDaysBefore[++month];
  d.month = month + 1;
  d.day = day - begin + 1;
}

Date ToDate(int64_t unix_seconds) {
  const uint64_t abs = static_cast<uint64_t>(unix_seconds) + kUnixToAbsolute;
  Date d{};
  d.hour = static_cast<int>(abs % kSecondsPerDay / 3600);
  d.minute = static_cast<int>(abs % 3600 / 60);
  d.weekday = static_cast<int>((abs + kSecondsPerDay) % (7 * kSecondsPerDay) / kSecondsPerDay);
  AbsDate(abs, d);
  d.yday += 1;
  return d;
}

// Prometheus's 32 - time.Date(year, month, 32).Day(), with Go's daysSinceEpoch.
int DaysInMonth(const Date& d) {
  uint64_t y = static_cast<uint64_t>(d.year) - static_cast<uint64_t>(kAbsoluteZeroYear);
  uint64_t days = kDaysPer400Years * (y / 400);
  y %= 400;
  days += kDaysPer100Years * (y / 100);
  y %= 100;
  days += kDaysPer4Years * (y / 4);
  days += 365 * (y % 4);
  days += static_cast<uint64_t>(kDaysBefore[d.month - 1]);
  if (IsLeap(d.year) && d.month >= 3) ++days;
  days += 31;  // day 32 of the month
  Date next{};
  AbsDate(days * kSecondsPerDay, next);
  return 32 - next.day;
}

// Go's int64(float64) on amd64 gives the minimum int64 for NaN and out-of-range values.
int64_t GoFloatToInt64(double v) {
  if (std::isnan(v) || v >= 9.2233720368547758e18 || v < -9.2233720368547758e18)
    return std::numeric_limits<int64_t>::min();
  return static_cast<int64_t>(v);
}

template <double (*F)(const Date&)>
void DateFn(StepContext& ctx, std::vector<Vector>& args, Vector& out) {
  if (args.empty()) {
    out.push_back({{}, ctx.ts, F(ToDate(ctx.ts / 1000))});
    return;
  }
  for (const auto& s : args[0])
    out.push_back({DropMetricName(s.metric), s.t, F(ToDate(GoFloatToInt64(s.v)))});
}

double DayOfMonth(const Date& d) { return d.day; }
double DayOfWeek(const Date& d) { return d.weekday; }
double DayOfYear(const Date& d) { return d.yday; }
double DaysInMonthFn(const Date& d) { return DaysInMonth(d); }
double Hour(const Date& d) { return d.hour; }
double Minute(const Date& d) { return d.minute; }
double Month(const Date& d) { return d.month; }
double Year(const Date& d) { return static_cast<double>(d.year); }

struct Bucket {
  double upper, count;
};

// Go's bucketQuantile: the q-quantile of one classic histogram, interpolated linearly within the
// bucket it falls into. The special cases come first, as in Go, so that a NaN, negative or
// above-one q answers NaN, -Inf or +Inf for every histogram, whatever its buckets.
double BucketQuantile(double q, std::vector<Bucket>& b) {
  if (std::isnan(q)) return std::nan("");
  if (q < 0) return -INFINITY;
  if (q > 1) return INFINITY;
  gocompat::SortSlice(b, [](const Bucket& x, const Bucket& y) { return x.upper < y.upper; });
  if (!(std::isinf(b.back().upper) && b.back().upper > 0)) return std::nan("");
  // Merge buckets with equal bounds (coalesceBuckets), then force counts to be monotonic
  // (ensureMonotonic).
  std::vector<Bucket> merged;
  for (const auto& x : b) {
    if (!merged.empty() && merged.back().upper == x.upper) {
      merged.back().count += x.count;
    } else {
      merged.push_back(x);
    }
  }
  double max = merged[0].count;
  for (auto& x : merged) {
    if (x.count > max)
      max = x.count;
    else if (x.count < max)
      x.count = max;
  }
  if (merged.size() < 2 || merged.back().count == 0) return std::nan("");
  double rank = q * merged.back().count;
  const size_t n = merged.size() - 1;
  size_t i = 0;
  while (i < n && !(merged[i].count >= rank)) ++i;
  if (i == n) return merged[n - 1].upper;
  if (i == 0 && merged[0].upper <= 0) return merged[0].upper;
  double start = 0, end = merged[i].upper, count = merged[i].count;
  if (i > 0) {
    start = merged[i - 1].upper;
    count -= merged[i - 1].count;
    rank -= merged[i - 1].count;
  }
  return start + (end - start) * (rank / count);
}

void HistogramQuantile(StepContext& ctx, std::vector<Vector>& args, Vector& out) {
  const double q = args[0][0].v;
  struct Group {
    Labels metric;
    std::vector<Bucket> buckets;
  };
  std::vector<Group> groups;
  std::unordered_map<uint64_t, size_t> index;
  static const std::vector<std::string> kLe = {std::string(kBucketLabel)};
  for (const auto& s : args[1]) {
    auto upper = gocompat::ParseFloat(s.metric.Get(kBucketLabel));
    if (!upper) continue;  // no or malformed "le": not a bucket
    // Buckets group by every label but "le" (the metric name included).
    uint64_t key = s.metric.Drop(kLe).Hash();
    auto [it, inserted] = index.try_emplace(key, groups.size());
    if (inserted)
      groups.push_back({LabelsBuilder(s.metric).Del(kMetricName).Del(kBucketLabel).Build(), {}});
    groups[it->second].buckets.push_back({*upper, s.v});
  }
  for (auto& g : groups) out.push_back({g.metric, ctx.ts, BucketQuantile(q, g.buckets)});
}

// Native-histogram functions: classic float samples yield nothing.
void NoFloatResult(StepContext&, std::vector<Vector>&, Vector&) {}

struct LabelFnState : FuncState {
  std::shared_ptr<const re2::RE2> re;
  std::unordered_map<uint64_t, Labels> cache;
};

void LabelReplace(StepContext& ctx, std::vector<Vector>& args, Vector& out) {
  const std::string dst = StringArg(ctx.call, 1), repl = StringArg(ctx.call, 2),
                    src = StringArg(ctx.call, 3), regex = StringArg(ctx.call, 4);
  if (!ctx.state) {
    auto st = std::make_unique<LabelFnState>();
    try {
      st->re = CompileAnchored(regex);
    } catch (const std::invalid_argument&) {
      Fail("invalid regular expression in label_replace(): " + regex);
    }
    if (!IsValidLabelName(dst)) Fail("invalid destination label name in label_replace(): " + dst);
    ctx.state = std::move(st);
  }
  auto& st = static_cast<LabelFnState&>(*ctx.state);
  const re2::RE2& re = *st.re;
  std::vector<re2::StringPiece> groups(static_cast<size_t>(re.NumberOfCapturingGroups()) + 1);
  for (const auto& s : args[0]) {
    auto cached = st.cache.find(s.metric.Hash());
    if (cached == st.cache.end()) {
      std::string_view value = s.metric.Get(src);
      Labels result = s.metric;
      if (re.Match(re2::StringPiece(value.data(), value.size()), 0, value.size(),
                   re2::RE2::UNANCHORED, groups.data(), static_cast<int>(groups.size()))) {
        std::string res;
        gocompat::RegexpExpand(res, repl, re, groups);
        LabelsBuilder b(s.metric);
        b.Del(dst);
        if (!res.empty()) b.Set(dst, res);
        result = b.Build();
      }
      cached = st.cache.emplace(s.metric.Hash(), result).first;
    }
    out.push_back({cached->second, s.t, s.v});
  }
}

void LabelJoin(StepContext& ctx, std::vector<Vector>& args, Vector& out) {
  const std::string dst = StringArg(ctx.call, 1), sep = StringArg(ctx.call, 2);
  std::vector<std::string> srcs;
  for (size_t i = 3; i < ctx.call.args.size(); ++i) {
    srcs.push_back(StringArg(ctx.call, i));
    if (!IsValidLabelName(srcs.back()))
      Fail("invalid source label name in label_join(): " + srcs.back());
  }
  if (!IsValidLabelName(dst)) Fail("invalid destination label name in label_join(): " + dst);
  if (!ctx.state) ctx.state = std::make_unique<LabelFnState>();
  auto& st = static_cast<LabelFnState&>(*ctx.state);
  for (const auto& s : args[0]) {
    auto cached = st.cache.find(s.metric.Hash());
    if (cached == st.cache.end()) {
      std::string joined;
      for (size_t i = 0; i < srcs.size(); ++i) {
        if (i) joined += sep;
        joined += s.metric.Get(srcs[i]);
      }
      LabelsBuilder b(s.metric);
      if (joined.empty())
        b.Del(dst);
      else
        b.Set(dst, joined);
      cached = st.cache.emplace(s.metric.Hash(), b.Build()).first;
    }
    out.push_back({cached->second, s.t, s.v});
  }
}

std::unordered_map<std::string_view, FunctionImpl> BuildImpls() {
  std::unordered_map<std::string_view, FunctionImpl> m;
  AddRangeFunctions(m);
  auto vec = [&](std::string_view n, VectorFn f) { m[n] = {nullptr, f}; };
  vec("abs", Simple<Abs>);
  vec("ceil", Simple<Ceil>);
  vec("floor", Simple<Floor>);
  vec("exp", Simple<Exp>);
  vec("sqrt", Simple<Sqrt>);
  vec("ln", Simple<Ln>);
  vec("log2", Simple<Log2>);
  vec("log10", Simple<Log10>);
  vec("sin", Simple<Sin>);
  vec("cos", Simple<Cos>);
  vec("tan", Simple<Tan>);
  vec("asin", Simple<Asin>);
  vec("acos", Simple<Acos>);
  vec("atan", Simple<Atan>);
  vec("sinh", Simple<Sinh>);
  vec("cosh", Simple<Cosh>);
  vec("tanh", Simple<Tanh>);
  vec("asinh", Simple<Asinh>);
  vec("acosh", Simple<Acosh>);
  vec("atanh", Simple<Atanh>);
  vec("deg", Simple<Deg>);
  vec("rad", Simple<Rad>);
  vec("sgn", Simple<Sgn>);
  vec("vector", Vec);
  vec("scalar", ScalarFn);
  vec("time", Time);
  vec("pi", Pi);
  vec("timestamp", Timestamp);
  vec("clamp", Clamp);
  vec("clamp_max", ClampMax);
  vec("clamp_min", ClampMin);
  vec("round", Round);
  vec("sort", Sort);
  vec("sort_desc", SortDesc);
  vec("absent", Absent);
  vec("day_of_month", DateFn<DayOfMonth>);
  vec("day_of_week", DateFn<DayOfWeek>);
  vec("day_of_year", DateFn<DayOfYear>);
  vec("days_in_month", DateFn<DaysInMonthFn>);
  vec("hour", DateFn<Hour>);
  vec("minute", DateFn<Minute>);
  vec("month", DateFn<Month>);
  vec("year", DateFn<Year>);
  vec("histogram_quantile", HistogramQuantile);
  vec("histogram_count", NoFloatResult);
  vec("histogram_sum", NoFloatResult);
  vec("histogram_fraction", NoFloatResult);
  vec("label_replace", LabelReplace);
  vec("label_join", LabelJoin);
  return m;
}

}  // namespace

Labels AbsentLabels(const Expr& e) {
  const std::vector<Matcher>* matchers = nullptr;
  if (e.kind == NodeKind::kVectorSelector) {
    matchers = &static_cast<const VectorSelector&>(e).matchers;
  } else if (e.kind == NodeKind::kMatrixSelector) {
    matchers = &static_cast<const MatrixSelector&>(e).selector().matchers;
  } else {
    return {};
  }
  // Equality matchers become labels; a name matched in any other way (or twice) is dropped.
  std::vector<Label> labels;
  std::vector<std::string> drop;
  for (const auto& m : *matchers) {
    if (m.name() == kMetricName) continue;
    bool have = std::any_of(labels.begin(), labels.end(),
                            [&](const Label& l) { return l.name == m.name(); });
    if (m.type() == MatchType::kEqual && !have) {
      if (!m.value().empty()) labels.push_back({m.name(), m.value()});
    } else {
      drop.push_back(m.name());
    }
  }
  return Labels(std::move(labels)).Drop(drop);
}

const FunctionImpl* LookupImpl(std::string_view name) {
  static const auto kImpls = BuildImpls();
  auto it = kImpls.find(name);
  if (it == kImpls.end()) Fail("function \"" + std::string(name) + "\" is not implemented");
  return &it->second;
}

}  // namespace cerniq::promql::internal
