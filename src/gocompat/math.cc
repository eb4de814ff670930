#include "gocompat/math.h"

#include <cmath>
#include <limits>

namespace cerniq::gocompat {

double Log(double x) {
  // FreeBSD's e_log.c, as in Go's math/log.go.
  constexpr double kLn2Hi = 6.93147180369123816490e-01;
  constexpr double kLn2Lo = 1.90821492927058770002e-10;
  constexpr double kL1 = 6.666666666666735130e-01;
  constexpr double kL2 = 3.999999999940941908e-01;
  constexpr double kL3 = 2.857142874366239149e-01;
  constexpr double kL4 = 2.222219843214978396e-01;
  constexpr double kL5 = 1.818357216161805012e-01;
  constexpr double kL6 = 1.531383769920937332e-01;
  constexpr double kL7 = 1.479819860511658591e-01;
  if (std::isnan(x) || (std::isinf(x) && x > 0)) return x;
  if (x < 0) return std::numeric_limits<double>::quiet_NaN();
  if (x == 0) return -std::numeric_limits<double>::infinity();
  int ki = 0;
  double f1 = std::frexp(x, &ki);
  if (f1 < 0.70710678118654752440084436210484903928) {  // Sqrt2/2, folded exactly like Go
    f1 *= 2;
    ki--;
  }
  double f = f1 - 1;
  double k = ki;
  double s = f / (2 + f);
  double s2 = s * s;
  double s4 = s2 * s2;
  double t1 = s2 * (kL1 + s4 * (kL3 + s4 * (kL5 + s4 * kL7)));
  double t2 = s4 * (kL2 + s4 * (kL4 + s4 * kL6));
  double r = t1 + t2;
  double hfsq = 0.5 * f * f;
  return k * kLn2Hi - ((hfsq - (s * (hfsq + r) + k * kLn2Lo)) - f);
}

double Log2(double x) {
  int exp = 0;
  double frac = std::frexp(x, &exp);
  // Exact for powers of two.
  if (frac == 0.5) return exp - 1;
  return Log(frac) * 1.4426950408889634073599246810018921374 + exp;  // 1/Ln2
}

double Log10(double x) {
  // Go folds 1/Ln10 at compile time with exact arithmetic.
  return Log(x) * 0.43429448190325182765112891891660508229;
}

// math.Max: +Inf wins over NaN, NaN over the rest, +0 over -0.
double Max(double a, double b) {
  if (std::isinf(a) && a > 0) return a;
  if (std::isinf(b) && b > 0) return b;
  if (std::isnan(a) || std::isnan(b)) return std::nan("");
  if (a == 0 && a == b) return std::signbit(a) ? b : a;
  return a > b ? a : b;
}

// math.Min: -Inf wins over NaN, NaN over the rest, -0 over +0.
double Min(double a, double b) {
  if (std::isinf(a) && a < 0) return a;
  if (std::isinf(b) && b < 0) return b;
  if (std::isnan(a) || std::isnan(b)) return std::nan("");
  if (a == 0 && a == b) return std::signbit(a) ? a : b;
  return a < b ? a : b;
}

}  // namespace cerniq::gocompat
