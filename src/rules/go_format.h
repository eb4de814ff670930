#pragma once
// Go-compatible text formatting that promtool output depends on: strconv.Quote and
// strconv.FormatFloat with a precision (the shortest forms come from promql/format.h).
#include <string>
#include <string_view>

namespace cerniq::rules {

// strconv.Quote: Go's %q of a string. Printable runes are kept, invalid UTF-8 bytes become \xNN.
std::string GoQuote(std::string_view s);

// Go's %.Nq: quote at most `max_runes` runes of `s`.
std::string GoQuotePrefix(std::string_view s, std::size_t max_runes);

// strconv.FormatFloat(v, fmt, prec, 64) for fmt in {'e','E','f','g','G'}; prec -1 = shortest
// digits that round-trip. NaN -> "NaN", infinities -> "+Inf" / "-Inf".
std::string GoFormatFloat(double v, char fmt, int prec);

// fmt's %v of a float64: FormatFloat(v, 'g', -1, 64), e.g. 1e+06, 0.1, 1.234567e+06, +Inf, NaN.
inline std::string GoFloatString(double v) { return GoFormatFloat(v, 'g', -1); }

// strconv's underscoreOK: in Go number syntax, "_" may only separate digits (or follow a base
// prefix), e.g. 1_000 and 0x_1F.
bool GoUnderscoreOK(std::string_view s);

}  // namespace cerniq::rules
