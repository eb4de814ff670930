#include "gocompat/float_format.h"

#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>

namespace cerniq::gocompat {
namespace {

std::string ToChars(double v, std::chars_format format) {
  char buf[400];
  auto r = std::to_chars(buf, buf + sizeof buf, v, format);
  return std::string(buf, r.ptr);
}

// Shortest round-trip digits; for 'g' Go then takes the exponent form when exp < -4 || exp >= 6.
std::string Shortest(double v, char fmt) {
  if (fmt == 'f') return ToChars(v, std::chars_format::fixed);
  std::string sci = ToChars(v, std::chars_format::scientific);
  if (fmt == 'e') return sci;
  const int exp = std::atoi(sci.c_str() + sci.find('e') + 1);
  if (exp < -4 || exp >= 6) return sci;
  return ToChars(v, std::chars_format::fixed);
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

std::string FormatFloat(double v, char fmt, int prec) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "+Inf" : "-Inf";
  if (prec >= 0) return WithPrecision(v, fmt, prec);
  const bool upper = fmt == 'E' || fmt == 'G';
  std::string out = Shortest(v, upper ? static_cast<char>(fmt | 0x20) : fmt);
  if (upper) {
    for (char& c : out) c = c == 'e' ? 'E' : c;
  }
  return out;
}

}  // namespace cerniq::gocompat
