#pragma once
// Go's time package, the part promtool 2.42's query commands use: time.Time as Unix seconds
// and nanoseconds, RFC 3339 parsing, time.ParseDuration and Duration.Seconds().
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

namespace cerniq::gocompat {

// A Go time.Time reduced to what the queries need: Unix seconds and nanoseconds (0..1e9).
struct GoTime {
  int64_t sec = 0;
  int64_t nsec = 0;
  bool operator<(const GoTime& o) const { return sec < o.sec || (sec == o.sec && nsec < o.nsec); }
};

GoTime Now();
// t.Add(d) for d in nanoseconds.
GoTime Add(GoTime t, int64_t d_ns);
// t.Sub(u) in nanoseconds (saturating as Go's).
int64_t Sub(GoTime t, GoTime u);

// promtool's parseTime: a float of Unix seconds, else RFC 3339 (fractions and offsets allowed);
// nullopt when neither.
std::optional<GoTime> ParseTime(std::string_view s);

// client_golang's formatTime: Unix seconds as the shortest float.
std::string FormatTime(GoTime t);

// time.ParseDuration: nanoseconds, or Go's error text ("time: invalid duration \"x\"").
std::variant<int64_t, std::string> ParseGoDuration(std::string_view s);

// strconv.FormatFloat(d.Seconds(), 'f', -1, 64).
std::string FormatSeconds(int64_t d_ns);

// The fraction of a second as time.Format's ".999999999" writes it: "" for 0, else a dot and
// the nanoseconds (0..999999999) without trailing zeros (RFC3339Nano, time.Time.String()).
std::string TrimmedFraction(int64_t nanos);

}  // namespace cerniq::gocompat
