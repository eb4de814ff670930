#include "gocompat/float_format.h"

#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace cerniq::gocompat {
namespace {

void AppendChars(std::string& out, double v, std::chars_format format) {
  char buf[400];
  auto r = std::to_chars(buf, buf + sizeof buf, v, format);
  out.append(buf, r.ptr);
}

// Shortest round-trip digits; for 'g' Go then takes the exponent form when exp < -4 || exp >= 6.
void AppendShortest(std::string& out, double v, char fmt) {
  if (fmt == 'f') {
    // Below 2^53 doubles are at most 1 apart, so an integer's shortest digits are all of its
    // own: written as an integer, which is faster. -0 keeps its sign through to_chars.
    if (v == std::trunc(v) && std::fabs(v) < 0x1p53 && !(v == 0 && std::signbit(v))) {
      char buf[24];
      auto r = std::to_chars(buf, buf + sizeof buf, static_cast<int64_t>(v));
      out.append(buf, r.ptr);
      return;
    }
    return AppendChars(out, v, std::chars_format::fixed);
  }
  char sci[400];
  auto r = std::to_chars(sci, sci + sizeof sci, v, std::chars_format::scientific);
  *r.ptr = '\0';
  const int exp = std::atoi(std::strchr(sci, 'e') + 1);
  if (fmt == 'e' || exp < -4 || exp >= 6) {
    out.append(sci, r.ptr);
    return;
  }
  AppendChars(out, v, std::chars_format::fixed);
}

// C's printf rounds an explicit precision correctly, as Go does, and its %g then matches Go's.
std::string WithPrecision(double v, char fmt, int prec) {
  char spec[16];
  std::snprintf(spec, sizeof spec, "%%.%d%c", prec, fmt);
  const int n = std::snprintf(nullptr, 0, spec, v);
  std::string out(static_cast<std::size_t>(n), '\0');
  std::snprintf(out.data(), out.size() + 1, spec, v);
  return out;
}

}  // namespace

void AppendFloat(std::string& out, double v, char fmt, int prec) {
  if (std::isnan(v)) {
    out += "NaN";
    return;
  }
  if (std::isinf(v)) {
    out += v > 0 ? "+Inf" : "-Inf";
    return;
  }
  if (prec >= 0) {
    out += WithPrecision(v, fmt, prec);
    return;
  }
  const bool upper = fmt == 'E' || fmt == 'G';
  const size_t from = out.size();
  AppendShortest(out, v, upper ? static_cast<char>(fmt | 0x20) : fmt);
  if (upper) {
    for (size_t i = from; i < out.size(); ++i) out[i] = out[i] == 'e' ? 'E' : out[i];
  }
}

std::string FormatFloat(double v, char fmt, int prec) {
  std::string out;
  AppendFloat(out, v, fmt, prec);
  return out;
}

}  // namespace cerniq::gocompat
