#pragma once
// The benchmark data set: 10,000 series over 24 h at 15 s, generated deterministically so that
// the engine and Prometheus load exactly the same samples.
#include <cstdint>
#include <functional>
#include <string>

#include "promql/labels.h"

namespace cerniq::bench {

inline constexpr int64_t kStartMs = 1767225600000;  // 2026-01-01T00:00:00Z
inline constexpr int64_t kStepMs = 15000;
inline constexpr int kSamplesPerSeries = 24 * 3600 * 1000 / kStepMs;  // 5760
inline constexpr int kQueues = 30;
inline constexpr int kInstancesPerQueue = 300;  // x: 9,000 counter series
inline constexpr int kHistInstances = 100;      // h_bucket: 100 x 10 buckets = 1,000 series
inline constexpr int kBuckets = 10;
inline constexpr int kSeries = kQueues * kInstancesPerQueue + kHistInstances * kBuckets;

// Calls fn(series_index, labels) for every series, then values(series_index, i) gives the
// value of sample i (time kStartMs + i * kStepMs).
void ForEachSeries(const std::function<void(int, const promql::Labels&)>& fn);
double Value(int series, int i);

}  // namespace cerniq::bench
