#pragma once
// The Go formatting helpers this folder needs, in one place (they move to src/gocompat).
#include <optional>
#include <string>
#include <string_view>

#include "gotemplate/builtins.h"
#include "promql/format.h"
#include "promql/labels.h"

namespace cerniq::promapi {

// strconv.FormatFloat(v, 'f', -1, 64).
inline std::string FormatFloatF(double v) { return promql::FormatFloat(v, 'f'); }
// strconv.Quote (fmt's %q).
inline std::string Quote(std::string_view s) { return promql::GoQuote(s); }
// url.QueryEscape.
inline std::string QueryEscape(std::string_view s) { return gotemplate::GoQueryEscape(s); }
// strconv.ParseFloat(s, 64).
inline std::optional<double> ParseFloat(std::string_view s) { return promql::ParseGoFloat(s); }

}  // namespace cerniq::promapi
