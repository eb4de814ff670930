// `test promql` and `eval`: the PromQL engine from the command line (`query` is promtool's
// HTTP client, in query_commands.cc).
#include <cmath>
#include <fstream>
#include <iostream>
#include <sstream>

#include "gocompat/duration.h"
#include "gocompat/float_format.h"
#include "gocompat/parse_float.h"
#include "promql/engine.h"
#include "promql/parser.h"
#include "promql/test_file.h"
#include "tool/command.h"
#include "tool/kingpin.h"

namespace cerniq::tool {
namespace {

using namespace cerniq::promql;

bool ReadFile(const std::string& path, std::string* content) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  std::ostringstream ss;
  ss << in.rdbuf();
  *content = ss.str();
  return true;
}

int TestPromql(const std::vector<std::string>& args, CommandIO& io) {
  if (args.empty()) {
    return UsageError(io.err, "cerniqtool", "required argument 'test-file' not provided");
  }
  TestSummary total;
  for (const auto& path : args) {
    std::string content;
    if (!ReadFile(path, &content)) {
      io.out << path << ": cannot read file\n";
      ++total.failed;
      continue;
    }
    TestSummary s = RunTestFile(path, content, io.out);
    total.passed += s.passed;
    total.failed += s.failed;
  }
  io.out << total.passed << " passed, " << total.failed << " failed\n";
  return total.failed == 0 ? 0 : 1;
}

// A time given as a duration since the epoch ("50m") or as Unix seconds ("3000", "1.5").
std::optional<int64_t> ParseTime(const std::string& s) {
  auto d = gocompat::ParseDuration(s);
  if (auto* ms = std::get_if<int64_t>(&d)) return *ms;
  if (auto f = gocompat::ParseFloat(s); f && std::isfinite(*f))
    return static_cast<int64_t>(std::llround(*f * 1000));
  return std::nullopt;
}

void PrintValue(const Value& v, std::ostream& os) {
  auto point = [](double value, int64_t t) {
    return gocompat::FormatFloat(value) + " @[" + std::to_string(t) + "]";
  };
  if (const auto* s = std::get_if<Scalar>(&v)) {
    os << "scalar: " << point(s->v, s->t) << "\n";
  } else if (const auto* str = std::get_if<String>(&v)) {
    os << "string: " << str->v << "\n";
  } else if (const auto* vec = std::get_if<Vector>(&v)) {
    for (const auto& s : *vec) os << s.metric.String() << " => " << point(s.v, s.t) << "\n";
  } else {
    for (const auto& s : std::get<Matrix>(v)) {
      os << s.metric.String() << " =>\n";
      for (const auto& p : s.points) os << point(p.v, p.t) << "\n";
    }
  }
}

int Eval(const std::vector<std::string>& args, CommandIO& io) {
  std::string data, time_str = "0", expr;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    auto value = [&](const std::string& flag) -> std::string {
      if (a.size() > flag.size() && a.compare(0, flag.size() + 1, flag + "=") == 0)
        return a.substr(flag.size() + 1);
      if (i + 1 >= args.size())
        throw std::invalid_argument("expected argument for flag '" + flag + "'");
      return args[++i];
    };
    if (a == "--data" || a.starts_with("--data=")) {
      data = value("--data");
    } else if (a == "--time" || a.starts_with("--time=")) {
      time_str = value("--time");
    } else if (a == "--" && i + 1 < args.size() && expr.empty()) {
      expr = args[++i];  // an expression that starts with "--"
    } else if (expr.empty() && !(a.size() > 1 && a[0] == '-' && a[1] == '-')) {
      expr = a;
    } else {
      return UsageError(io.err, "cerniqtool", "unexpected argument " + a);
    }
  }
  if (expr.empty()) {
    return UsageError(io.err, "cerniqtool", "required argument 'expr' not provided");
  }
  auto t = ParseTime(time_str);
  if (!t) {
    io.err << "cerniqtool: error: invalid time " << time_str << "\n";
    return 1;
  }
  MemoryStorage storage;
  if (!data.empty()) {
    std::string content;
    if (!ReadFile(data, &content)) {
      io.err << "cerniqtool: error: cannot read " << data << "\n";
      return 1;
    }
    try {
      // Only the load and clear statements matter here; evals are ignored.
      for (const auto& cmd : ParseTestFile(content)) {
        if (cmd.kind == TestCommand::Kind::kLoad) ApplyLoad(cmd.load, storage);
        if (cmd.kind == TestCommand::Kind::kClear) storage.Clear();
      }
    } catch (const TestFileError& e) {
      io.err << data << ":" << e.what() << "\n";
      return 1;
    }
  }
  try {
    Engine engine(TestRunnerEngineOptions());
    ExprPtr e = ParseExpr(expr);
    PrintValue(engine.Instant(storage, *e, *t), io.out);
  } catch (const ParseError& e) {
    io.err << "Error: " << e.what() << "\n";
    return 1;
  } catch (const QueryError& e) {
    io.err << "Error: " << e.what() << "\n";
    return 1;
  }
  return 0;
}

}  // namespace

void AddPromqlCommands(std::vector<Command>& commands) {
  commands.push_back({{"test", "promql"},
                      "<test-file>...",
                      "Run PromQL test files (Prometheus promql/testdata format).",
                      TestPromql});
  commands.push_back({{"eval"},
                      "[--data FILE.test] [--time T] <expr>",
                      "Evaluate an instant query locally, over the data of a test file.",
                      Eval});
}

}  // namespace cerniq::tool
