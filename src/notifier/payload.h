#pragma once
// The body Prometheus 2.42 posts to Alertmanager's /api/v2/alerts, byte for byte: Go's
// encoding/json of models.PostableAlerts (keys annotations, endsAt, startsAt, generatorURL,
// labels; maps sorted by key; <, >, & escaped as \u003c...; times as RFC 3339 with milliseconds).

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "notifier/alert.h"

namespace cerniq::notifier {

std::string EncodeAlerts(std::span<const Alert> alerts);

// strfmt.DateTime's format "2006-01-02T15:04:05.000Z07:00", in UTC.
std::string FormatTimeMillis(int64_t unix_ms);

}  // namespace cerniq::notifier
