#pragma once
// Limits that protect the exporter from runaway input (too many queues, series, rows, connections,
// bytes). Reaching one is never an error: the code that hits it drops the excess, calls
// LimitReached, and carries on. Each limit is logged once per process (at warn, with the details
// of the first time) and counted every time, so /metrics shows
// cerniq_limit_reached_total{limit="..."} and the log is not flooded.

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "log/log.h"

namespace cerniq::log {

// The limit names the exporter uses; each is exposed at 0 from the start so a rate() works.
namespace limit {
inline constexpr std::string_view kQueuesDiscovered = "queues_discovered";
inline constexpr std::string_view kSeriesPerCollector = "series_per_collector";
inline constexpr std::string_view kLabelValueLength = "label_value_length";
inline constexpr std::string_view kPostgresRows = "postgres_rows";
inline constexpr std::string_view kHttpConnections = "http_connections";
inline constexpr std::string_view kHttpRequestBody = "http_request_body";
inline constexpr std::string_view kHttpRequestHeader = "http_request_header";
inline constexpr std::string_view kQuerySamples = "query_samples";
inline constexpr std::string_view kQueryTimeout = "query_timeout";
inline constexpr std::string_view kHistoryBytes = "history_bytes";
}  // namespace limit

// Counts one hit of `limit` (one pass, connection, request, query or enforcement that met it);
// the first hit of each limit is logged at warn with `fields`. Thread-safe, never throws.
void LimitReached(std::string_view limit, Fields fields = {});

// Every known limit with its count, sorted by name (unknown names passed to LimitReached
// included).
std::vector<std::pair<std::string, std::uint64_t>> LimitCounts();

}  // namespace cerniq::log
