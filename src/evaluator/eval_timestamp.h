#pragma once
// Where a group's evaluations fall in time, as rules.Group.EvalTimestamp of Prometheus 2.42:
// every interval, shifted by an offset derived from the group's name and file, so groups spread
// over the interval and a restart keeps the same slots.
#include <cstdint>
#include <string>

namespace cerniq::evaluator {

// labels.Labels{file=<file>, name=<name>}.Hash(): xxhash64 of
// "file\xff<file>\xffname\xff<name>\xff".
uint64_t GroupHash(const std::string& file, const std::string& name);

// The slot at or before `now_ns`: base + hash % interval, with base a multiple of the interval.
int64_t EvalTimestampNs(uint64_t group_hash, int64_t interval_ns, int64_t now_ns);

// timestamp.FromTime: Unix nanoseconds to milliseconds, rounded towards minus infinity for the
// times that matter here (after 1970).
inline int64_t NsToMs(int64_t ns) { return ns / 1'000'000; }

}  // namespace cerniq::evaluator
