#include "rules/go_duration.h"

#include <cstdint>
#include <limits>

#include "rules/go_format.h"

namespace cerniq::rules {
namespace {

struct Unit {
  std::string_view suffix;
  std::int64_t ms;
};

// In the order the regexp of model.ParseDuration requires them.
constexpr Unit kUnits[] = {
    {"y", 1000LL * 60 * 60 * 24 * 365},
    {"w", 1000LL * 60 * 60 * 24 * 7},
    {"d", 1000LL * 60 * 60 * 24},
    {"h", 1000LL * 60 * 60},
    {"m", 1000LL * 60},
    {"s", 1000},
    {"ms", 1},
};

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

}  // namespace

std::variant<DurationMs, std::string> ParsePromDuration(std::string_view text) {
  if (text == "0") return DurationMs{0};
  if (text.empty()) return std::string("empty duration string");
  const std::string invalid = "not a valid duration string: " + GoQuote(text);

  std::size_t pos = 0;
  std::size_t next_unit = 0;
  bool overflow = false;
  std::int64_t total_ns = 0;  // time.Duration arithmetic, which is what overflows in Go
  while (pos < text.size()) {
    std::size_t digits_end = pos;
    while (digits_end < text.size() && IsDigit(text[digits_end])) ++digits_end;
    if (digits_end == pos) return invalid;
    // Find the unit that follows; "m" must not swallow the "m" of "ms".
    std::size_t unit_index = next_unit;
    std::string_view rest = text.substr(digits_end);
    for (; unit_index < std::size(kUnits); ++unit_index) {
      const auto& u = kUnits[unit_index];
      if (rest.substr(0, u.suffix.size()) != u.suffix) continue;
      if (u.suffix == "m" && rest.substr(0, 2) == "ms") continue;
      break;
    }
    if (unit_index == std::size(kUnits)) return invalid;
    const auto& unit = kUnits[unit_index];

    // strconv.Atoi of the digits; Go ignores its error (n stays 0 on overflow).
    std::int64_t n = 0;
    bool atoi_overflow = false;
    for (std::size_t i = pos; i < digits_end; ++i) {
      if (n > (std::numeric_limits<std::int64_t>::max() - (text[i] - '0')) / 10) {
        atoi_overflow = true;
        break;
      }
      n = n * 10 + (text[i] - '0');
    }
    if (atoi_overflow) n = 0;
    const std::int64_t max_n = std::numeric_limits<std::int64_t>::max() / unit.ms / 1000000;
    if (n > max_n) overflow = true;
    // d := time.Duration(n) * time.Millisecond; dur += d * mult (wrapping like Go).
    const auto d = static_cast<std::uint64_t>(n) * 1000000ULL * static_cast<std::uint64_t>(unit.ms);
    total_ns = static_cast<std::int64_t>(static_cast<std::uint64_t>(total_ns) + d);
    if (total_ns < 0) overflow = true;

    pos = digits_end + unit.suffix.size();
    next_unit = unit_index + 1;
  }
  if (overflow) return std::string("duration out of range");
  return DurationMs{total_ns / 1000000};
}

}  // namespace cerniq::rules
