#include "gocompat/time.h"

#include <chrono>
#include <cmath>
#include <cstdio>
#include <limits>
#include <regex>

#include "gocompat/float_format.h"
#include "gocompat/parse_float.h"
#include "gocompat/quote.h"

namespace cerniq::gocompat {
namespace {

constexpr int64_t kNano = 1'000'000'000;

GoTime Normalized(int64_t sec, int64_t nsec) {
  sec += nsec / kNano;
  nsec %= kNano;
  if (nsec < 0) nsec += kNano, --sec;
  return {sec, nsec};
}

// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's days_from_civil).
int64_t DaysFromCivil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

bool IsLeap(int64_t y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

// time.Parse(time.RFC3339Nano, s).
std::optional<GoTime> ParseRfc3339(std::string_view s) {
  static const std::regex kRfc3339(
      R"(^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?(Z|([+-])(\d{2}):(\d{2}))$)");
  std::cmatch m;
  if (!std::regex_match(s.begin(), s.end(), m, kRfc3339)) return std::nullopt;
  auto num = [&](int i) { return std::stoll(m[i].str()); };
  const int64_t year = num(1), month = num(2), day = num(3);
  static const int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (month < 1 || month > 12) return std::nullopt;
  const int64_t max_day = kDays[month - 1] + (month == 2 && IsLeap(year) ? 1 : 0);
  if (day < 1 || day > max_day || num(4) > 23 || num(5) > 59 || num(6) > 59) return std::nullopt;
  int64_t sec =
      DaysFromCivil(year, static_cast<unsigned>(month), static_cast<unsigned>(day)) * 86400 +
      num(4) * 3600 + num(5) * 60 + num(6);
  int64_t nsec = 0;
  if (m[7].matched) {
    std::string frac = m[7].str().substr(1);
    frac.resize(9, '0');
    nsec = std::stoll(frac);
  }
  if (m[9].matched) {
    if (num(10) > 23 || num(11) > 59) return std::nullopt;
    const int64_t offset = num(10) * 3600 + num(11) * 60;
    sec -= m[9].str() == "+" ? offset : -offset;
  }
  return GoTime{sec, nsec};
}

}  // namespace

GoTime Now() {
  const auto ns = std::chrono::duration_cast<std::chrono::nanoseconds>(
                      std::chrono::system_clock::now().time_since_epoch())
                      .count();
  return Normalized(0, ns);
}

GoTime Add(GoTime t, int64_t d_ns) {
  return Normalized(t.sec + d_ns / kNano, t.nsec + d_ns % kNano);
}

int64_t Sub(GoTime t, GoTime u) {
  const long double d = (static_cast<long double>(t.sec) - u.sec) * kNano + (t.nsec - u.nsec);
  if (d > static_cast<long double>(std::numeric_limits<int64_t>::max()))
    return std::numeric_limits<int64_t>::max();
  if (d < static_cast<long double>(std::numeric_limits<int64_t>::min()))
    return std::numeric_limits<int64_t>::min();
  return static_cast<int64_t>(d);
}

std::optional<GoTime> ParseTime(std::string_view s) {
  if (auto f = ParseFloat(s); f && std::isfinite(*f) && std::fabs(*f) < 9.2e18) {
    double whole = 0;
    const double frac = std::modf(*f, &whole);
    return Normalized(static_cast<int64_t>(whole), static_cast<int64_t>(frac * kNano));
  }
  return ParseRfc3339(s);
}

std::string FormatTime(GoTime t) {
  return FormatFloat(static_cast<double>(t.sec) + static_cast<double>(t.nsec) / 1e9, 'f');
}

std::variant<int64_t, std::string> ParseGoDuration(std::string_view text) {
  const std::string quoted = Quote(text);
  const std::string invalid = "time: invalid duration " + quoted;
  std::string_view s = text;
  bool neg = false;
  if (!s.empty() && (s[0] == '-' || s[0] == '+')) neg = s[0] == '-', s.remove_prefix(1);
  if (s == "0") return int64_t{0};
  if (s.empty()) return invalid;
  long double total = 0;
  while (!s.empty()) {
    std::size_t i = 0;
    while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) ++i;
    std::size_t j = i;
    if (j < s.size() && s[j] == '.') {
      ++j;
      while (j < s.size() && std::isdigit(static_cast<unsigned char>(s[j]))) ++j;
    }
    if (j == 0 || (i == 0 && j == 1)) return invalid;  // no digits
    const long double value = std::stold(std::string(s.substr(0, j)) + (j == i + 1 ? "0" : ""));
    std::size_t k = j;
    while (k < s.size() && s[k] != '.' && !std::isdigit(static_cast<unsigned char>(s[k]))) ++k;
    const std::string unit(s.substr(j, k - j));
    if (unit.empty()) return "time: missing unit in duration " + quoted;
    static const std::pair<const char*, int64_t> kUnits[] = {
        {"ns", 1},       {"us", 1000}, {"\xC2\xB5s", 1000}, {"\xCE\xBCs", 1000},
        {"ms", 1000000}, {"s", kNano}, {"m", 60 * kNano},   {"h", 3600 * kNano}};
    int64_t scale = 0;
    for (const auto& [name, ns] : kUnits) {
      if (unit == name) scale = ns;
    }
    if (!scale) return "time: unknown unit " + Quote(unit) + " in duration " + quoted;
    total += value * scale;
    if (total > static_cast<long double>(std::numeric_limits<int64_t>::max())) return invalid;
    s.remove_prefix(k);
  }
  return static_cast<int64_t>(neg ? -total : total);
}

std::string FormatSeconds(int64_t d_ns) {
  return FormatFloat(static_cast<double>(d_ns / kNano) + static_cast<double>(d_ns % kNano) / 1e9,
                     'f');
}

std::string TrimmedFraction(int64_t nanos) {
  if (nanos == 0) return "";
  char frac[16];
  std::snprintf(frac, sizeof frac, ".%09lld", static_cast<long long>(nanos));
  std::string f = frac;
  while (f.back() == '0') f.pop_back();
  return f;
}

}  // namespace cerniq::gocompat
