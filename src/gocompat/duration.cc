#include "gocompat/duration.h"

#include <limits>

#include "gocompat/quote.h"

namespace cerniq::gocompat {
namespace {

struct Unit {
  std::string_view suffix;
  std::int64_t ms;
  bool print_only_exact;  // model.Duration prints "90d", not "12w6d"
};

// In the order the regexp of model.ParseDuration requires them.
constexpr Unit kUnits[] = {
    {"y", 1000LL * 60 * 60 * 24 * 365, true},
    {"w", 1000LL * 60 * 60 * 24 * 7, true},
    {"d", 1000LL * 60 * 60 * 24, false},
    {"h", 1000LL * 60 * 60, false},
    {"m", 1000LL * 60, false},
    {"s", 1000, false},
    {"ms", 1, false},
};

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// The first unit from `from` on that `rest` starts with; "m" must not take the "m" of "ms".
std::size_t MatchUnit(std::string_view rest, std::size_t from) {
  for (std::size_t i = from; i < std::size(kUnits); ++i) {
    const auto& u = kUnits[i];
    if (rest.substr(0, u.suffix.size()) != u.suffix) continue;
    if (u.suffix == "m" && rest.substr(0, 2) == "ms") continue;
    return i;
  }
  return std::size(kUnits);
}

// strconv.Atoi, whose range error model.ParseDuration ignores: it then sees MaxInt64.
std::int64_t Atoi(std::string_view digits) {
  std::int64_t n = 0;
  for (char c : digits) {
    if (n > (std::numeric_limits<std::int64_t>::max() - (c - '0')) / 10) {
      return std::numeric_limits<std::int64_t>::max();
    }
    n = n * 10 + (c - '0');
  }
  return n;
}

}  // namespace

std::variant<std::int64_t, std::string> ParseDuration(std::string_view text) {
  if (text == "0") return std::int64_t{0};
  if (text.empty()) return std::string("empty duration string");
  const std::string invalid = "not a valid duration string: " + Quote(text);
  std::size_t pos = 0;
  std::size_t next_unit = 0;
  bool overflow = false;
  std::int64_t total_ns = 0;  // time.Duration arithmetic, which is what overflows in Go
  while (pos < text.size()) {
    std::size_t digits_end = pos;
    while (digits_end < text.size() && IsDigit(text[digits_end])) ++digits_end;
    if (digits_end == pos) return invalid;
    const std::size_t unit_index = MatchUnit(text.substr(digits_end), next_unit);
    if (unit_index == std::size(kUnits)) return invalid;
    const Unit& unit = kUnits[unit_index];
    const std::int64_t n = Atoi(text.substr(pos, digits_end - pos));
    if (n > std::numeric_limits<std::int64_t>::max() / unit.ms / 1000000) overflow = true;
    // d := time.Duration(n) * time.Millisecond; dur += d * mult, wrapping like Go.
    const auto d = static_cast<std::uint64_t>(n) * 1000000ULL * static_cast<std::uint64_t>(unit.ms);
    total_ns = static_cast<std::int64_t>(static_cast<std::uint64_t>(total_ns) + d);
    if (total_ns < 0) overflow = true;
    pos = digits_end + unit.suffix.size();
    next_unit = unit_index + 1;
  }
  if (overflow) return std::string("duration out of range");
  return total_ns / 1000000;
}

std::string FormatDuration(std::int64_t ms) {
  if (ms == 0) return "0s";
  const bool negative = ms < 0;
  std::uint64_t u =
      negative ? std::uint64_t{0} - static_cast<std::uint64_t>(ms) : static_cast<std::uint64_t>(ms);
  std::string out = negative ? "-" : "";
  for (const auto& unit : kUnits) {
    const auto unit_ms = static_cast<std::uint64_t>(unit.ms);
    if (unit.print_only_exact && u % unit_ms != 0) continue;
    const std::uint64_t n = u / unit_ms;
    if (n == 0) continue;
    u -= n * unit_ms;
    out += std::to_string(n) + std::string(unit.suffix);
  }
  return out;
}

std::string FormatTimeDuration(std::int64_t ms) {
  if (ms == 0) return "0s";
  const std::string sign = ms < 0 ? "-" : "";
  const std::uint64_t u =
      ms < 0 ? std::uint64_t{0} - static_cast<std::uint64_t>(ms) : static_cast<std::uint64_t>(ms);
  if (u < 1000) return sign + std::to_string(u) + "ms";
  std::string out = sign;
  const std::uint64_t hours = u / 3600000;
  const std::uint64_t minutes = u / 60000 % 60;
  const std::uint64_t millis = u % 60000;
  if (hours > 0) out += std::to_string(hours) + "h";
  if (hours > 0 || minutes > 0) out += std::to_string(minutes) + "m";
  out += std::to_string(millis / 1000);
  if (millis % 1000 != 0) {
    std::string frac = std::to_string(1000 + millis % 1000).substr(1);
    while (frac.back() == '0') frac.pop_back();
    out += "." + frac;
  }
  return out + "s";
}

}  // namespace cerniq::gocompat
