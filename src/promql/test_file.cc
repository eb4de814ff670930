#include "promql/test_file.h"

#include <re2/re2.h>

#include <algorithm>
#include <cmath>
#include <ostream>
#include <unordered_map>

#include "gocompat/duration.h"
#include "gocompat/float_format.h"
#include "gocompat/parse_float.h"
#include "gocompat/parse_int.h"
#include "gocompat/quote.h"
#include "promql/function_defs.h"

namespace cerniq::promql {
namespace {

std::string Trim(std::string_view s) {
  size_t b = 0, e = s.size();
  auto space = [](char c) {
    return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f';
  };
  while (b < e && space(s[b])) ++b;
  while (e > b && space(s[e - 1])) --e;
  return std::string(s.substr(b, e - b));
}

std::vector<std::string> Lines(std::string_view content) {
  std::vector<std::string> lines;
  size_t start = 0;
  for (;;) {
    size_t nl = content.find('\n', start);
    std::string l = Trim(
        content.substr(start, nl == std::string_view::npos ? std::string_view::npos : nl - start));
    if (!l.empty() && l[0] == '#') l.clear();
    lines.push_back(std::move(l));
    if (nl == std::string_view::npos) break;
    start = nl + 1;
  }
  return lines;
}

[[noreturn]] void Raise(size_t line, const std::string& msg) {
  throw TestFileError(std::to_string(line + 1) + ": " + msg);
}

// A ParseError from a line of the file, re-based to the file's line numbering.
[[noreturn]] void RaiseParse(size_t line, int col, const std::string& message) {
  throw TestFileError(std::to_string(line + 1) + ":" + std::to_string(col) +
                      ": parse error: " + message);
}

std::optional<double> ParseExpectedNumber(std::string_view s) {
  if (auto i = gocompat::ParseInt(s)) return static_cast<double>(*i);
  return gocompat::ParseFloat(s);
}

// almostEqual of promql/test.go.
bool AlmostEqual(double a, double b) {
  if (std::isnan(a) && std::isnan(b)) return true;
  if (a == b) return true;
  constexpr double kMinNormal = 2.2250738585072014e-308;
  constexpr double kEpsilon = 1e-6;
  double diff = std::fabs(a - b);
  if (a == 0 || b == 0 || diff < kMinNormal) return diff < kEpsilon * kMinNormal;
  return diff / (std::fabs(a) + std::fabs(b)) < kEpsilon;
}

std::string Num(double v) { return gocompat::FormatFloat(v, 'g'); }

}  // namespace

std::vector<TestCommand> ParseTestFile(std::string_view content) {
  static const re2::RE2 kLoad(R"(^load\s+(.+?)$)");
  static const re2::RE2 kEval(R"(^eval(?:_(fail|ordered))?\s+instant\s+(?:at\s+(.+?))?\s+(.+)$)");
  std::vector<std::string> lines = Lines(content);
  std::vector<TestCommand> cmds;
  for (size_t i = 0; i < lines.size(); ++i) {
    const std::string& l = lines[i];
    if (l.empty()) continue;
    std::string first = l.substr(0, l.find_first_of(" \t"));
    std::transform(first.begin(), first.end(), first.begin(), ::tolower);
    TestCommand cmd;
    if (first == "clear") {
      cmd.kind = TestCommand::Kind::kClear;
    } else if (first == "load") {
      cmd.kind = TestCommand::Kind::kLoad;
      std::string step;
      if (!re2::RE2::FullMatch(l, kLoad, &step))
        Raise(i, "invalid load command. (load <step:duration>)");
      auto gap = gocompat::ParseDuration(step);
      if (auto* error = std::get_if<std::string>(&gap))
        Raise(i, "invalid step definition \"" + step + "\": " + *error);
      cmd.load.interval_ms = std::get<int64_t>(gap);
      std::unordered_map<uint64_t, size_t> by_labels;
      while (i + 1 < lines.size() && !lines[i + 1].empty()) {
        ++i;
        try {
          SeriesDescription desc = ParseSeriesDesc(lines[i]);
          auto [it, inserted] = by_labels.try_emplace(desc.labels.Hash(), cmd.load.series.size());
          if (inserted)
            cmd.load.series.push_back(std::move(desc));
          else
            cmd.load.series[it->second] = std::move(desc);
        } catch (const ParseError& e) {
          RaiseParse(i, e.col(), e.message());
        }
      }
    } else if (first.starts_with("eval")) {
      cmd.kind = TestCommand::Kind::kEval;
      std::string mod, at, expr;
      if (!re2::RE2::FullMatch(l, kEval, &mod, &at, &expr))
        Raise(i,
              "invalid evaluation command. (eval[_fail|_ordered] instant [at <offset:duration>] "
              "<query>");
      try {
        ParseExpr(expr);
      } catch (const ParseError& e) {
        int offset = static_cast<int>(l.find(expr));
        RaiseParse(i, e.col() + offset, e.message());
      }
      auto offset = gocompat::ParseDuration(at);
      if (auto* error = std::get_if<std::string>(&offset))
        Raise(i, "invalid step definition \"" + mod + "\": " + *error);
      EvalCommand& ev = cmd.eval;
      ev.line = static_cast<int>(i + 1);
      ev.expr = expr;
      ev.time_ms = std::get<int64_t>(offset);
      ev.fail = mod == "fail";
      ev.ordered = mod == "ordered";
      for (int pos = 1; i + 1 < lines.size() && !lines[i + 1].empty(); ++pos) {
        ++i;
        if (auto f = ParseExpectedNumber(lines[i])) {
          ev.expected_scalar = *f;
          break;
        }
        try {
          SeriesDescription desc = ParseSeriesDesc(lines[i]);
          if (desc.values.size() > 1)
            Raise(i, "expecting multiple values in instant evaluation not allowed");
          ExpectedSample s{desc.labels, desc.values.empty() ? 0 : desc.values[0].value, pos};
          ev.expected.push_back(std::move(s));
        } catch (const ParseError& e) {
          RaiseParse(i, e.col(), e.message());
        }
      }
    } else {
      Raise(i, "invalid command \"" + l + "\"");
    }
    cmds.push_back(std::move(cmd));
  }
  return cmds;
}

void ApplyLoad(const LoadCommand& load, MemoryStorage& storage) {
  for (const auto& s : load.series) {
    for (size_t i = 0; i < s.values.size(); ++i) {
      if (s.values[i].omitted) continue;
      storage.Append(s.labels, static_cast<int64_t>(i) * load.interval_ms, s.values[i].value);
    }
  }
}

EngineOptions TestRunnerEngineOptions() {
  EngineOptions o;
  o.lookback_delta_ms = 5 * 60 * 1000;
  o.max_samples = 10000;
  o.timeout = std::chrono::seconds(100);
  return o;
}

namespace {

// compareResult of promql/test.go.
std::string Compare(const EvalCommand& cmd, const Value& result) {
  if (std::holds_alternative<Matrix>(result)) return "received range result on instant evaluation";
  if (std::holds_alternative<String>(result)) return "received string result on instant evaluation";
  if (const auto* sc = std::get_if<Scalar>(&result)) {
    if (!cmd.expected_scalar) return "expected a vector but got Scalar " + Num(sc->v);
    if (!AlmostEqual(*cmd.expected_scalar, sc->v))
      return "expected Scalar " + Num(*cmd.expected_scalar) + " but got " + Num(sc->v);
    return "";
  }
  const Vector& vec = std::get<Vector>(result);
  if (cmd.expected_scalar) {
    if (!vec.empty()) return "unexpected metric " + vec[0].metric.String() + " in result";
    return "expected Scalar " + Num(*cmd.expected_scalar) + " not found";
  }
  std::vector<bool> seen(cmd.expected.size(), false);
  for (size_t pos = 0; pos < vec.size(); ++pos) {
    const Sample& s = vec[pos];
    auto it = std::find_if(cmd.expected.begin(), cmd.expected.end(),
                           [&](const ExpectedSample& e) { return e.labels == s.metric; });
    if (it == cmd.expected.end()) return "unexpected metric " + s.metric.String() + " in result";
    if (cmd.ordered && it->position != static_cast<int>(pos) + 1) {
      return "expected metric " + s.metric.String() + " with [" + Num(it->value) +
             "] at position " + std::to_string(it->position) + " but was at " +
             std::to_string(pos + 1);
    }
    if (!AlmostEqual(it->value, s.v))
      return "expected " + Num(it->value) + " for " + s.metric.String() + " but got " + Num(s.v);
    seen[static_cast<size_t>(it - cmd.expected.begin())] = true;
  }
  for (size_t i = 0; i < cmd.expected.size(); ++i) {
    if (!seen[i])
      return "expected metric " + cmd.expected[i].labels.String() + " with [" +
             Num(cmd.expected[i].value) + "] not found";
  }
  return "";
}

bool CallsAtUnsafeFunction(Expr& e) {
  static const std::vector<std::string_view> kUnsafe = {
      "days_in_month", "day_of_month", "day_of_week",    "day_of_year", "hour",     "minute",
      "month",         "year",         "predict_linear", "time",        "timestamp"};
  bool found = false;
  Inspect(e, [&](Expr& n, const std::vector<Expr*>& path) {
    for (Expr* p : path)
      if (p->kind == NodeKind::kSubquery) return;
    if (n.kind == NodeKind::kCall) {
      const auto& name = static_cast<Call&>(n).func->name;
      found = found || std::find(kUnsafe.begin(), kUnsafe.end(), name) != kUnsafe.end();
    }
  });
  return found;
}

// The expression with `@ t` on every selector and subquery that has none, except below a
// subquery (atModifierTestCases in promql/test.go).
std::string WithAtModifiers(Expr& e, int64_t t) {
  Inspect(e, [&](Expr& n, const std::vector<Expr*>& path) {
    for (Expr* p : path)
      if (p->kind == NodeKind::kSubquery && static_cast<SubqueryExpr*>(p)->mod.at_ms) return;
    switch (n.kind) {
      case NodeKind::kVectorSelector: {
        auto& m = static_cast<VectorSelector&>(n).mod;
        if (!m.at_ms) m.at_ms = t;
        break;
      }
      case NodeKind::kMatrixSelector: {
        auto& m = static_cast<MatrixSelector&>(n).selector().mod;
        if (!m.at_ms) m.at_ms = t;
        break;
      }
      case NodeKind::kSubquery: {
        auto& m = static_cast<SubqueryExpr&>(n).mod;
        if (!m.at_ms) m.at_ms = t;
        break;
      }
      default:
        break;
    }
  });
  return e.String();
}

std::string RunQuery(const Engine& engine, const MemoryStorage& storage, const EvalCommand& cmd,
                     const std::string& expr, int64_t t) {
  ExprPtr parsed;
  try {
    parsed = ParseExpr(expr);
  } catch (const ParseError& e) {
    return "error parsing query " + gocompat::Quote(expr) + ": " + e.what();
  }
  Value result;
  try {
    result = engine.Instant(storage, *parsed, t);
  } catch (const QueryError& e) {
    if (cmd.fail) return "";
    return "error evaluating query " + gocompat::Quote(expr) + ": " + e.what();
  }
  if (cmd.fail) return "expected error evaluating query " + gocompat::Quote(expr) + " but got none";
  if (std::string err = Compare(cmd, result); !err.empty())
    return "error in " + gocompat::Quote(expr) + ": " + err;

  // The same query as a range query around t must give the same value at t.
  Matrix range;
  try {
    range = engine.Range(storage, *parsed, t - 60000, t + 60000, 60000);
  } catch (const QueryError& e) {
    return "error evaluating query " + gocompat::Quote(expr) + " in range mode: " + e.what();
  }
  if (cmd.ordered) return "";
  Vector at_t;
  for (const auto& s : range) {
    for (const auto& p : s.points) {
      if (p.t == t) {
        at_t.push_back({s.metric, p.t, p.v});
        break;
      }
    }
  }
  Value from_range;
  if (std::holds_alternative<Scalar>(result)) {
    if (at_t.empty())
      return "error in " + gocompat::Quote(expr) +
             " range mode: no scalar value at the evaluation time";
    from_range = Scalar{t, at_t[0].v};
  } else {
    from_range = std::move(at_t);
  }
  if (std::string err = Compare(cmd, from_range); !err.empty())
    return "error in " + gocompat::Quote(expr) + " range mode: " + err;
  return "";
}

}  // namespace

std::string CheckEval(const Engine& engine, const MemoryStorage& storage, const EvalCommand& cmd) {
  struct Query {
    std::string expr;
    int64_t t;
  };
  std::vector<Query> queries = {{cmd.expr, cmd.time_ms}};
  ExprPtr e = ParseExpr(cmd.expr);
  if (!CallsAtUnsafeFunction(*e)) {
    const int64_t t = cmd.time_ms;
    std::string with_at = WithAtModifiers(*e, t);
    std::vector<int64_t> times = t == 0 ? std::vector<int64_t>{-1000, 0, 1000}
                                        : std::vector<int64_t>{-10 * t, 0, t / 5, t, 10 * t};
    for (int64_t at : times) queries.push_back({with_at, at});
  }
  for (const auto& q : queries) {
    if (std::string err = RunQuery(engine, storage, cmd, q.expr, q.t); !err.empty()) {
      if (q.t != cmd.time_ms || q.expr != cmd.expr)
        err += " (at time " + gocompat::FormatDuration(q.t) + ")";
      return err;
    }
  }
  return "";
}

TestSummary RunTestFile(const std::string& name, std::string_view content, std::ostream& out) {
  TestSummary summary;
  std::vector<TestCommand> cmds;
  try {
    cmds = ParseTestFile(content);
  } catch (const TestFileError& e) {
    out << name << ":" << e.what() << "\n";
    summary.failed = 1;
    return summary;
  }
  Engine engine(TestRunnerEngineOptions());
  MemoryStorage storage;
  for (const auto& cmd : cmds) {
    switch (cmd.kind) {
      case TestCommand::Kind::kClear:
        storage.Clear();
        break;
      case TestCommand::Kind::kLoad:
        ApplyLoad(cmd.load, storage);
        break;
      case TestCommand::Kind::kEval: {
        std::string err = CheckEval(engine, storage, cmd.eval);
        if (err.empty()) {
          ++summary.passed;
        } else {
          ++summary.failed;
          out << name << ":" << cmd.eval.line << ": " << cmd.eval.expr << ": " << err << "\n";
        }
        break;
      }
    }
  }
  return summary;
}

}  // namespace cerniq::promql
