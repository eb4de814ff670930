#pragma once
// Durations as Go and Prometheus write them: model.Duration (parse and print) and
// time.Duration's String().
#include <cstdint>
#include <string>
#include <string_view>
#include <variant>

namespace cerniq::gocompat {

// model.ParseDuration (prometheus/common as vendored by 2.42): "1y2w3d4h5m6s7ms" units, each at
// most once and in that order, or a bare "0". The milliseconds, or Go's error text:
// "empty duration string", "not a valid duration string: \"5 minutes\"", "duration out of
// range".
std::variant<std::int64_t, std::string> ParseDuration(std::string_view text);

// model.Duration.String(): "1h30m", "0s", "1d", "2w", "1y", "500ms".
std::string FormatDuration(std::int64_t ms);

// time.Duration.String() of whole milliseconds: "0s", "500ms", "1.5s", "1m0s", "24h0m0.001s".
std::string FormatTimeDuration(std::int64_t ms);

}  // namespace cerniq::gocompat
