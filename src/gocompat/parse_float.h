#pragma once
// Go's strconv.ParseFloat(s, 64).
#include <optional>
#include <string>
#include <string_view>
#include <variant>

namespace cerniq::gocompat {

// strconv.ParseFloat(s, 64): decimal or hexadecimal (with a 'p' exponent) syntax, '_' as Go
// number syntax allows, "Inf" / "Infinity" / "NaN" in any case; nullopt for invalid syntax and
// overflow (Go's range error), while underflow rounds to zero or a denormal as in Go.
std::optional<double> ParseFloat(std::string_view s);

// ParseFloat, or Go's error text: strconv.ParseFloat: parsing "x": invalid syntax (or
// "value out of range").
std::variant<double, std::string> ParseFloatOrError(std::string_view s);

}  // namespace cerniq::gocompat
