#pragma once
// Go's strconv.FormatFloat(v, fmt, prec, 64), which fmt's %v, %g, %e and %f build on.
#include <string>

namespace cerniq::gocompat {

// fmt is one of 'e', 'E', 'f', 'g', 'G'; prec -1 asks for the shortest digits that round-trip.
// NaN -> "NaN", infinities -> "+Inf" / "-Inf".
std::string FormatFloat(double v, char fmt = 'g', int prec = -1);
// strconv.AppendFloat: the same text appended to `out`.
void AppendFloat(std::string& out, double v, char fmt = 'g', int prec = -1);

// fmt's %v of a float64: FormatFloat(v, 'g', -1), e.g. 1e+06, 0.1, 1.234567e+06, +Inf, NaN.
inline std::string FloatString(double v) { return FormatFloat(v, 'g', -1); }

}  // namespace cerniq::gocompat
