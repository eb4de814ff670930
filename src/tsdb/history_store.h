#pragma once
// The exporter's in-memory history: every series appended at each collection, compressed in
// XOR chunks, queried through promql::Storage, bounded by retention and a byte limit.
//
// Staleness: the store never invents samples. A caller whose series disappears appends
// promql::StaleNaN() to it at the next collection, as Prometheus's scrape loop does; the
// series then ages out through Truncate like any other.
#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <shared_mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "promql/labels.h"
#include "promql/matcher.h"
#include "promql/storage.h"
#include "tsdb/querier.h"
#include "tsdb/series.h"

namespace cerniq::tsdb {

// Series matching every matcher are kept at least `keep` (what a rule's range, `for` and
// lookback need over them).
struct RetentionRule {
  std::vector<promql::Matcher> matchers;
  std::chrono::milliseconds keep{0};
};

// For the exporter's self metrics (cerniq_storage_*).
struct HistoryStats {
  size_t series = 0;
  size_t samples = 0;
  size_t chunks = 0;
  size_t chunk_bytes = 0;     // exact bytes of encoded chunk data
  size_t overhead_bytes = 0;  // estimate of everything else (series, labels, indexes)
  uint64_t samples_appended = 0;
  uint64_t rejected_out_of_order = 0;
  uint64_t rejected_duplicate = 0;
  uint64_t chunks_expired = 0;  // dropped by retention
  uint64_t chunks_evicted = 0;  // dropped by the byte limit
  uint64_t series_removed = 0;  // with no sample left
};

struct HistoryOptions {
  ChunkPolicy chunks;
  std::chrono::milliseconds retention{std::chrono::hours(1)};
  size_t max_bytes = 0;  // chunk data plus overhead; 0 = unlimited
};

class HistoryStore {
 public:
  explicit HistoryStore(HistoryOptions options = {});

  // Out-of-order and duplicate timestamps are rejected and counted.
  AppendResult Append(const promql::Labels& labels, int64_t t_ms, double v);

  // Storage over [mint, maxt]; it holds no lock while the query runs, so appends go on. It
  // reads each series it selects once, at its first Select, and must not outlive the store.
  std::unique_ptr<promql::Storage> Querier(int64_t mint, int64_t maxt) const;
  // The series with a sample in [mint, maxt] and their chunks, in label order.
  std::vector<SeriesSnapshot> Snapshot(int64_t mint, int64_t maxt) const;
  // The same for the series matching every matcher only (an equality matcher on __name__ uses
  // the name index). Series for which `held` (may be empty) is true are left out: the caller
  // already holds them.
  // With `visible`, only the series in it (sorted by id) and their samples up to its max_t.
  std::vector<SeriesSnapshot> Select(const std::vector<promql::Matcher>& matchers, int64_t mint,
                                     int64_t maxt, const std::vector<SeriesHorizon>* visible,
                                     const std::function<bool(const promql::Labels&)>& held) const;
  // Every series' id and last sample time, sorted by id: what a querier made now may see.
  std::vector<SeriesHorizon> Horizon() const;

  // The retention floor; each series keeps max(floor, the longest matching rule).
  void SetRetention(std::chrono::milliseconds floor);
  void SetRetentionRules(std::vector<RetentionRule> rules);
  // Drops every chunk whose last sample is older than now - retention, and empty series.
  void Truncate(int64_t now_ms);
  // Above `max_bytes` the oldest chunks of any series are dropped until the total is 5% under
  // it (the margin keeps every chunk cut from evicting again).
  void SetByteLimit(size_t max_bytes);

  HistoryStats Stats() const;

  // Replaces the whole content with restored series (checkpoint loading); each series' chunks
  // must decode. Returns an error text naming the first series that cannot take appends.
  std::string Replace(std::vector<SeriesSnapshot> series);

 private:
  using SeriesMap = std::map<promql::Labels, std::unique_ptr<Series>>;
  int64_t RetentionFor(const promql::Labels& labels) const;
  void EnforceByteLimit();
  // Removes a series, keeping the byte total and counters right.
  SeriesMap::iterator Erase(SeriesMap::iterator it);
  void IndexName(const Series* series);
  void UnindexName(const Series* series);

  HistoryOptions options_;
  std::vector<RetentionRule> rules_;
  mutable std::shared_mutex mu_;
  SeriesMap series_;
  // __name__ value -> its series in label order (so Select need not walk every series).
  std::unordered_map<std::string, std::vector<const Series*>> by_name_;
  std::atomic<uint64_t> next_series_id_ = 1;
  size_t total_bytes_ = 0;  // footprints plus map nodes, kept current for the byte limit
  HistoryStats counters_;
};

}  // namespace cerniq::tsdb
