#pragma once
// JSON written byte for byte as Prometheus 2.42 writes it (Go's encoding/json and jsoniter's
// standard-library mode, plus util/jsonutil for sample values and timestamps).
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "gocompat/json_string.h"
#include "promql/labels.h"

namespace cerniq::api {

// Go JSON strings (HTML-safe) come from gocompat; the API's files use them under these names.
using gocompat::AppendJsonString;
using gocompat::JsonString;

// A float64 as encoding/json writes it ('f', or 'e' below 1e-6 and from 1e21; "e-07" as "e-7").
std::string JsonFloat(double v);

// jsonutil.MarshalValue: the quoted sample value ("1.5", "+Inf", "NaN", "1e-07").
void AppendSampleValue(std::string& out, double v);

// jsonutil.MarshalTimestamp: milliseconds as seconds with up to 3 decimals (1435781451.78 is
// written 1435781451.780, as Prometheus does).
void AppendTimestamp(std::string& out, int64_t ms);
// The same text written at p (at most kTimestampMaxChars); returns its end.
constexpr int kTimestampMaxChars = 25;
char* FormatTimestamp(char* p, int64_t ms);

// Labels.MarshalJSON: an object with the names in order.
void AppendLabels(std::string& out, const promql::Labels& labels);

// time.Time's JSON (RFC3339Nano, UTC); nullopt is Go's zero time "0001-01-01T00:00:00Z".
std::string JsonTime(std::optional<int64_t> unix_nanos);

}  // namespace cerniq::api
