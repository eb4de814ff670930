// libFuzzer target: parse any input as PromQL; when it parses, the printed form must parse
// again, and evaluating it over a small storage must not crash.
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <string>

#include "promql/engine.h"
#include "promql/parser.h"

namespace {

using namespace cerniq::promql;

const MemoryStorage& Data() {
  static MemoryStorage* storage = [] {
    auto* s = new MemoryStorage();
    for (int i = 0; i < 20; ++i) {
      s->Append(Labels{{"__name__", "x"}, {"job", "a"}}, i * 15000, i);
      s->Append(Labels{{"__name__", "x"}, {"job", "b"}}, i * 15000, 100 - i);
      s->Append(Labels{{"__name__", "h_bucket"}, {"le", i % 2 ? "+Inf" : "1"}}, i * 15000, i);
    }
    s->Append(Labels{{"__name__", "x"}, {"job", "a"}}, 20 * 15000, StaleNaN());
    return s;
  }();
  return *storage;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string input(reinterpret_cast<const char*>(data), size);
  ExprPtr expr;
  try {
    expr = ParseExpr(input);
  } catch (const ParseError&) {
    return 0;
  }
  std::string printed = expr->String();
  try {
    ParseExpr(printed);
  } catch (const ParseError& e) {
    // The printer must produce valid PromQL: the test runner and the linter rely on it.
    __builtin_trap();
  }
  EngineOptions opts;
  opts.max_samples = 10000;
  opts.timeout = std::chrono::milliseconds(200);
  Engine engine(opts);
  try {
    engine.Instant(Data(), *expr, 150000);
    if (expr->Type() == ValueType::kVector || expr->Type() == ValueType::kScalar)
      engine.Range(Data(), *expr, 0, 300000, 30000);
  } catch (const QueryError&) {
  }
  return 0;
}
