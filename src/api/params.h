#pragma once
// Request parameters as Prometheus's handlers read them: Go's url.ParseQuery / FormValue, and
// web/api/v1's parseTime and parseDuration.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace cerniq::api {

// Go's r.Form: the POST form body's values first, then the URL query's.
class Form {
 public:
  Form() = default;
  // The body counts only for POST/PUT/PATCH with Content-Type application/x-www-form-urlencoded.
  Form(std::string_view method, std::string_view query, std::string_view body,
       std::string_view content_type);
  // r.FormValue: the first value, or "".
  std::string Value(std::string_view name) const;
  std::vector<std::string> Values(std::string_view name) const;

 private:
  void Add(std::string_view encoded);
  std::vector<std::pair<std::string, std::string>> pairs_;
};

// url.QueryUnescape with '+' as space; nullopt for a bad %-escape.
std::optional<std::string> QueryUnescape(std::string_view s);

// Go's time bounds of the API (minTime / maxTime), as milliseconds.
inline constexpr int64_t kMinTimeMs = (INT64_MIN / 1000 + 62135596801) * 1000;
inline constexpr int64_t kMaxTimeMs = (INT64_MAX / 1000 - 62135596801) * 1000 + 999;

// parseTime: float unix seconds (rounded to ms) or RFC3339Nano, as timestamp.FromTime
// milliseconds; on failure `error` is `cannot parse "x" to a valid timestamp`.
std::optional<int64_t> ParseTime(std::string_view s, std::string* error);

// parseDuration: float seconds or a Prometheus duration, in nanoseconds.
std::optional<int64_t> ParseDuration(std::string_view s, std::string* error);

// RFC3339Nano ("2015-07-01T20:10:51.781Z", "...+02:00") as unix nanoseconds.
std::optional<int64_t> ParseRfc3339(std::string_view s);

}  // namespace cerniq::api
