#include "api/params.h"

#include <cmath>
#include <ctime>

#include "gocompat/duration.h"
#include "gocompat/parse_float.h"
#include "gocompat/quote.h"
#include "promql/labels.h"

namespace cerniq::api {
namespace {

int HexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool IsFormContentType(std::string_view ct) {
  size_t semi = ct.find(';');
  std::string_view media = ct.substr(0, semi);
  while (!media.empty() && media.back() == ' ') media.remove_suffix(1);
  std::string lower(media);
  for (auto& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return lower == "application/x-www-form-urlencoded";
}

// Reads `n` decimal digits at s[*pos]; false when they are not there.
bool Digits(std::string_view s, size_t* pos, int n, int* out) {
  if (*pos + n > s.size()) return false;
  int v = 0;
  for (int i = 0; i < n; ++i) {
    char c = s[*pos + i];
    if (c < '0' || c > '9') return false;
    v = v * 10 + (c - '0');
  }
  *pos += n;
  *out = v;
  return true;
}

bool Expect(std::string_view s, size_t* pos, char c) {
  if (*pos >= s.size() || s[*pos] != c) return false;
  ++*pos;
  return true;
}

int DaysIn(int year, int month) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  return month == 2 && leap ? 29 : kDays[month - 1];
}

}  // namespace

Form::Form(std::string_view method, std::string_view query, std::string_view body,
           std::string_view content_type) {
  if ((method == "POST" || method == "PUT" || method == "PATCH") &&
      IsFormContentType(content_type)) {
    Add(body);
  }
  Add(query);
}

void Form::Add(std::string_view encoded) {
  while (!encoded.empty()) {
    size_t amp = encoded.find('&');
    std::string_view part = encoded.substr(0, amp);
    encoded = amp == std::string_view::npos ? std::string_view() : encoded.substr(amp + 1);
    if (part.empty() || part.find(';') != std::string_view::npos) continue;  // Go rejects ';'
    size_t eq = part.find('=');
    auto key = QueryUnescape(part.substr(0, eq));
    auto value = QueryUnescape(eq == std::string_view::npos ? "" : part.substr(eq + 1));
    if (key && value) pairs_.emplace_back(std::move(*key), std::move(*value));
  }
}

std::string Form::Value(std::string_view name) const {
  for (const auto& [k, v] : pairs_)
    if (k == name) return v;
  return "";
}

std::vector<std::string> Form::Values(std::string_view name) const {
  std::vector<std::string> out;
  for (const auto& [k, v] : pairs_)
    if (k == name) out.push_back(v);
  return out;
}

std::optional<std::string> QueryUnescape(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '+') {
      out += ' ';
    } else if (s[i] == '%') {
      if (i + 2 >= s.size()) return std::nullopt;
      int hi = HexDigit(s[i + 1]), lo = HexDigit(s[i + 2]);
      if (hi < 0 || lo < 0) return std::nullopt;
      out += static_cast<char>(hi * 16 + lo);
      i += 2;
    } else {
      out += s[i];
    }
  }
  return out;
}

std::optional<int64_t> ParseRfc3339(std::string_view s) {
  size_t pos = 0;
  int year, month, day, hour, minute, second;
  if (!Digits(s, &pos, 4, &year) || !Expect(s, &pos, '-') || !Digits(s, &pos, 2, &month) ||
      !Expect(s, &pos, '-') || !Digits(s, &pos, 2, &day) || !Expect(s, &pos, 'T') ||
      !Digits(s, &pos, 2, &hour) || !Expect(s, &pos, ':') || !Digits(s, &pos, 2, &minute) ||
      !Expect(s, &pos, ':') || !Digits(s, &pos, 2, &second)) {
    return std::nullopt;
  }
  if (month < 1 || month > 12 || day < 1 || day > DaysIn(year, month) || hour > 23 || minute > 59 ||
      second > 59) {
    return std::nullopt;
  }
  int64_t nanos = 0;
  if (pos < s.size() && (s[pos] == '.' || s[pos] == ',')) {
    ++pos;
    int digits = 0;
    int64_t scale = 100'000'000;
    while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') {
      if (digits < 9) nanos += (s[pos] - '0') * scale;
      scale /= 10;
      ++digits;
      ++pos;
    }
    if (digits == 0 || digits > 9) return std::nullopt;
  }
  int64_t offset_s = 0;
  if (Expect(s, &pos, 'Z')) {
  } else if (pos < s.size() && (s[pos] == '+' || s[pos] == '-')) {
    int sign = s[pos] == '-' ? -1 : 1;
    ++pos;
    int oh, om;
    if (!Digits(s, &pos, 2, &oh) || !Expect(s, &pos, ':') || !Digits(s, &pos, 2, &om) || oh > 23 ||
        om > 59) {
      return std::nullopt;
    }
    offset_s = sign * (oh * 3600 + om * 60);
  } else {
    return std::nullopt;
  }
  if (pos != s.size()) return std::nullopt;
  std::tm tm{};
  tm.tm_year = year - 1900;
  tm.tm_mon = month - 1;
  tm.tm_mday = day;
  tm.tm_hour = hour;
  tm.tm_min = minute;
  tm.tm_sec = second;
  int64_t secs = static_cast<int64_t>(timegm(&tm)) - offset_s;
  return secs * 1'000'000'000 + nanos;
}

std::optional<int64_t> ParseTime(std::string_view s, std::string* error) {
  if (auto f = gocompat::ParseFloat(s); f && std::isfinite(*f)) {
    // math.Modf, then the fraction rounded to ms, then time.Unix(s, ns) and FromTime.
    double whole = 0;
    double frac = std::modf(*f, &whole);
    frac = std::round(frac * 1000) / 1000;
    int64_t secs = static_cast<int64_t>(whole);
    int64_t nanos = static_cast<int64_t>(frac * 1e9);
    secs += nanos / 1'000'000'000;
    nanos %= 1'000'000'000;
    if (nanos < 0) {
      nanos += 1'000'000'000;
      --secs;
    }
    return secs * 1000 + nanos / 1'000'000;
  }
  if (auto ns = ParseRfc3339(s)) {
    int64_t secs = *ns / 1'000'000'000, nanos = *ns % 1'000'000'000;
    if (nanos < 0) {
      nanos += 1'000'000'000;
      --secs;
    }
    return secs * 1000 + nanos / 1'000'000;
  }
  *error = "cannot parse " + gocompat::Quote(s) + " to a valid timestamp";
  return std::nullopt;
}

std::optional<int64_t> ParseDuration(std::string_view s, std::string* error) {
  if (auto f = gocompat::ParseFloat(s)) {
    double ns = *f * 1e9;
    if (ns > 9.223372036854775807e18 || ns < -9.223372036854775808e18) {
      *error = "cannot parse " + gocompat::Quote(s) + " to a valid duration. It overflows int64";
      return std::nullopt;
    }
    if (std::isnan(ns)) return int64_t{INT64_MIN};  // time.Duration(NaN) on amd64
    return static_cast<int64_t>(ns);
  }
  auto parsed = gocompat::ParseDuration(s);
  if (auto* ms = std::get_if<std::int64_t>(&parsed)) return *ms * 1'000'000;
  *error = "cannot parse " + gocompat::Quote(s) + " to a valid duration";
  return std::nullopt;
}

}  // namespace cerniq::api
