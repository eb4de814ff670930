#pragma once
// Series storage seen by the engine. The exporter can implement Storage over its own history;
// MemoryStorage is the columnar in-memory store used by tests, the tool and the benchmark.
#include <cstdint>
#include <span>
#include <string>
#include <unordered_map>
#include <vector>

#include "promql/labels.h"
#include "promql/matcher.h"

namespace cerniq::promql {

// One selected series: its labels and the samples in the requested time range, in time order.
struct SeriesView {
  Labels labels;
  std::span<const int64_t> t;
  std::span<const double> v;
  bool may_contain_stale = true;  // false lets range functions skip the stale-marker filter
};

// The views a Select returns point into the storage: it must not change while a query runs
// (an appending owner locks, or queries a snapshot).
class Storage {
 public:
  virtual ~Storage() = default;
  // Series matching every matcher, sorted by labels, with samples mint <= t <= maxt. Series
  // with no sample in the range may be omitted.
  virtual std::vector<SeriesView> Select(const std::vector<Matcher>& matchers, int64_t mint,
                                         int64_t maxt) const = 0;
};

class MemoryStorage : public Storage {
 public:
  // Appends one sample. Samples at or before the series' last timestamp are rejected (false).
  bool Append(const Labels& labels, int64_t t, double v);
  // The series' id, created if new: appending by id skips the label lookup.
  uint32_t SeriesId(const Labels& labels);
  bool Append(uint32_t id, int64_t t, double v);
  void Reserve(uint32_t id, size_t samples);
  // Releases spare capacity so memory is 16 bytes per sample plus per-series overhead.
  void Compact();
  void Clear();

  size_t NumSeries() const { return series_.size(); }
  size_t NumSamples() const;
  // Bytes held by sample columns (capacity, not size) and by everything else.
  size_t SampleBytes() const;
  size_t OverheadBytes() const;

  std::vector<SeriesView> Select(const std::vector<Matcher>& matchers, int64_t mint,
                                 int64_t maxt) const override;

 private:
  struct StoredSeries {
    Labels labels;
    std::vector<int64_t> t;
    std::vector<double> v;
    bool has_stale = false;
  };
  std::vector<StoredSeries> series_;
  std::unordered_map<uint64_t, std::vector<uint32_t>> by_hash_;
  std::unordered_map<std::string, std::vector<uint32_t>> by_name_;  // each in label order
  std::vector<uint32_t> all_sorted_;                                // every id, label order
  void InsertSorted(std::vector<uint32_t>& ids, uint32_t id) const;
};

}  // namespace cerniq::promql
