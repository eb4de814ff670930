#pragma once
// Go-compatible number and duration formatting, shared by the engine, the test runner and
// (later) the rule templates, which must print values exactly as Prometheus does.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace cerniq::promql {

// strconv.FormatFloat(v, fmt, -1, 64) for fmt in 'f', 'g', 'e', 'E': shortest round-trip digits.
std::string FormatFloat(double v, char fmt = 'g');

// model.Duration.String(): "1h30m", "0s", "1d", "1y", "500ms".
std::string FormatDuration(int64_t ms);

// model.ParseDuration: "1h30m", "5m", "0"; units y w d h m s ms, each at most once, in order.
std::optional<int64_t> ParseDuration(std::string_view s);

// Go's strconv.ParseFloat for the syntax PromQL accepts (decimal, hex, Inf, NaN).
std::optional<double> ParseGoFloat(std::string_view s);

// Go's strconv.ParseInt(s, 0, 64): optional sign, 0x / 0o / 0b / leading-0 octal prefixes.
std::optional<int64_t> ParseGoInt(std::string_view s);

// Go's strconv.Unquote for "...", '...' (any length, as Prometheus allows) and `...` strings;
// false when invalid.
bool UnquoteGo(std::string_view quoted, std::string* out);

// Decodes the UTF-8 rune at s[pos] (pos < s.size()); invalid bytes decode as U+FFFD of width
// 1, as in Go.
char32_t DecodeRune(std::string_view s, size_t pos, int* width);

// Appends the UTF-8 encoding of code point r.
void AppendUtf8(std::string& out, char32_t r);

}  // namespace cerniq::promql
