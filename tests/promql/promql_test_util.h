#pragma once
// Helpers for the engine tests: load data in test-file notation, run queries, read results.
#include <gtest/gtest.h>

#include <map>
#include <string>

#include "promql/engine.h"
#include "promql/parser.h"
#include "promql/test_file.h"

namespace cerniq::promql::testing {

// Storage filled from `load` blocks, e.g. "load 1m\n  x{a=\"b\"} 1 2 3\n".
inline MemoryStorage Load(const std::string& text) {
  MemoryStorage s;
  for (const auto& cmd : ParseTestFile(text))
    if (cmd.kind == TestCommand::Kind::kLoad) ApplyLoad(cmd.load, s);
  return s;
}

inline Value Query(const MemoryStorage& s, const std::string& expr, int64_t t_ms,
                   EngineOptions opts = TestRunnerEngineOptions()) {
  Engine engine(opts);
  return engine.Instant(s, expr, t_ms);
}

// The vector result as "labels -> value", for compact assertions.
inline std::map<std::string, double> VectorOf(const Value& v) {
  std::map<std::string, double> out;
  for (const auto& s : std::get<Vector>(v)) out[s.metric.String()] = s.v;
  return out;
}

inline std::map<std::string, double> Vec(const MemoryStorage& s, const std::string& expr,
                                         int64_t t_ms) {
  return VectorOf(Query(s, expr, t_ms));
}

inline double ScalarOf(const MemoryStorage& s, const std::string& expr, int64_t t_ms) {
  return std::get<Scalar>(Query(s, expr, t_ms)).v;
}

// The single value of a one-series result.
inline double One(const MemoryStorage& s, const std::string& expr, int64_t t_ms) {
  auto v = std::get<Vector>(Query(s, expr, t_ms));
  EXPECT_EQ(v.size(), 1u) << expr;
  return v.empty() ? -12345.678 : v[0].v;
}

inline std::string ErrorOf(const MemoryStorage& s, const std::string& expr, int64_t t_ms,
                           EngineOptions opts = TestRunnerEngineOptions()) {
  try {
    Query(s, expr, t_ms, opts);
  } catch (const QueryError& e) {
    return e.what();
  }
  return "";
}

// Labels and value of the first series of a vector result (by label order).
inline std::string FirstLabels(const MemoryStorage& s, const std::string& expr, int64_t t_ms) {
  auto v = Vec(s, expr, t_ms);
  return v.empty() ? "<empty>" : v.begin()->first;
}
inline double FirstValue(const MemoryStorage& s, const std::string& expr, int64_t t_ms) {
  auto v = Vec(s, expr, t_ms);
  return v.empty() ? -12345.678 : v.begin()->second;
}

constexpr int64_t kMin = 60 * 1000;

}  // namespace cerniq::promql::testing
