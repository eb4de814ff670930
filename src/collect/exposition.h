#pragma once
// Turns a snapshot into the Prometheus text exposition format (version 0.0.4).

#include <string>
#include <vector>

#include <prometheus/metric_family.h>

#include "collect/snapshot.h"

namespace cerniq::collect {

// Families of all collectors merged by name (a name appears once, as the format requires),
// followed by the self metrics: cerniq_up, per-collector success/duration/last success, build info.
std::vector<prometheus::MetricFamily> SnapshotFamilies(const Snapshot& snapshot);

std::string RenderText(const std::vector<prometheus::MetricFamily>& families);

inline constexpr const char* kTextContentType = "text/plain; version=0.0.4; charset=utf-8";

}  // namespace cerniq::collect
