#pragma once
// Query result types, shaped like Prometheus's promql.Value family.
#include <cstdint>
#include <string>
#include <variant>
#include <vector>

#include "promql/labels.h"

namespace cerniq::promql {

struct Point {
  int64_t t = 0;
  double v = 0;
};

struct Sample {
  Labels metric;
  int64_t t = 0;
  double v = 0;
};
using Vector = std::vector<Sample>;

struct Series {
  Labels metric;
  std::vector<Point> points;
};
using Matrix = std::vector<Series>;

struct Scalar {
  int64_t t = 0;
  double v = 0;
};

struct String {
  int64_t t = 0;
  std::string v;
};

using Value = std::variant<Scalar, Vector, Matrix, String>;

// Prometheus's special NaN that marks a series as stale; distinct from an ordinary NaN.
double StaleNaN();
bool IsStaleNaN(double v);

}  // namespace cerniq::promql
