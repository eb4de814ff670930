#include "promql/value.h"

#include <cstring>

namespace cerniq::promql {

namespace {
// Prometheus's value.StaleNaN bit pattern.
constexpr uint64_t kStaleNaNBits = 0x7ff0000000000002ull;
}  // namespace

double StaleNaN() {
  double d;
  std::memcpy(&d, &kStaleNaNBits, sizeof d);
  return d;
}

bool IsStaleNaN(double v) {
  uint64_t bits;
  std::memcpy(&bits, &v, sizeof bits);
  return bits == kStaleNaNBits;
}

}  // namespace cerniq::promql
