#include "gocompat/parse_float.h"

#include <charconv>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <string>

#include "gocompat/parse_int.h"
#include "gocompat/quote.h"

namespace cerniq::gocompat {
namespace {

bool EqualFoldAscii(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if ((a[i] | 0x20) != (b[i] | 0x20)) return false;
  }
  return true;
}

// Go's special(): a sign may precede "inf" and "infinity", but not "nan".
std::optional<double> Special(std::string_view body, bool negative, bool signed_text) {
  constexpr double kInf = std::numeric_limits<double>::infinity();
  if (EqualFoldAscii(body, "inf") || EqualFoldAscii(body, "infinity")) {
    return negative ? -kInf : kInf;
  }
  if (!signed_text && EqualFoldAscii(body, "nan")) return std::numeric_limits<double>::quiet_NaN();
  return std::nullopt;
}

enum class Failure { kNone, kSyntax, kRange };

// from_chars of the whole text; out of range tells overflow (an error in Go) from underflow
// (not an error) through strtod, which rounds both the way Go does.
std::optional<double> Convert(const std::string& text, std::chars_format format, Failure& why) {
  double v = 0;
  const char* end = text.data() + text.size();
  auto r = std::from_chars(text.data(), end, v, format);
  if (r.ptr != end) return std::nullopt;
  if (r.ec == std::errc()) return v;
  if (r.ec != std::errc::result_out_of_range) return std::nullopt;
  const std::string c_text = format == std::chars_format::hex ? "0x" + text : text;
  v = std::strtod(c_text.c_str(), nullptr);
  if (std::isinf(v)) {
    why = Failure::kRange;
    return std::nullopt;
  }
  return v;
}

std::optional<double> Parse(std::string_view s, Failure& why) {
  why = Failure::kSyntax;
  if (s.empty()) return std::nullopt;
  std::string_view body = s;
  const bool negative = body[0] == '-';
  if (body[0] == '+' || body[0] == '-') body.remove_prefix(1);
  if (auto special = Special(body, negative, body.size() != s.size())) return special;
  // A digit or '.' must follow; from_chars would take "nan" and "inf" after a second sign.
  if (body.empty() || !((body[0] >= '0' && body[0] <= '9') || body[0] == '.')) return std::nullopt;
  if (body.find('_') != std::string_view::npos && !UnderscoreOK(body)) return std::nullopt;
  std::string digits;
  for (char c : body) {
    if (c != '_') digits += c;
  }
  std::optional<double> v;
  if (digits.size() > 2 && digits[0] == '0' && (digits[1] | 0x20) == 'x') {
    // Go requires the 'p' exponent of a hexadecimal mantissa.
    if (digits.find_first_of("pP") == std::string::npos) return std::nullopt;
    v = Convert(digits.substr(2), std::chars_format::hex, why);
  } else {
    v = Convert(digits, std::chars_format::general, why);
  }
  if (!v) return std::nullopt;
  why = Failure::kNone;
  return negative ? -*v : *v;
}

}  // namespace

std::optional<double> ParseFloat(std::string_view s) {
  Failure why = Failure::kNone;
  return Parse(s, why);
}

std::variant<double, std::string> ParseFloatOrError(std::string_view s) {
  Failure why = Failure::kNone;
  if (auto v = Parse(s, why)) return *v;
  return "strconv.ParseFloat: parsing " + Quote(s) + ": " +
         (why == Failure::kRange ? "value out of range" : "invalid syntax");
}

}  // namespace cerniq::gocompat
