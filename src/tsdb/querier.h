#pragma once
// A read-only view of the history over [mint, maxt] for the PromQL engine. Each Select asks the
// store for the series its matchers select (name index first) and references to only their
// chunks overlapping [mint, maxt] (the head chunk copied), under the store's shared lock; the
// chunks are decoded after the lock is released, into buffers the querier owns. A series is
// read once, at the first Select that selects it, so appends and truncation go on while the
// querier is used and what a series shows never changes within one querier.
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <vector>

#include "promql/storage.h"
#include "tsdb/series.h"

namespace cerniq::tsdb {

class HistoryStore;

// A series (Series::id) as a querier saw it when it was made: its last sample then.
struct SeriesHorizon {
  uint64_t id;
  int64_t max_t;
};

struct SeriesSnapshot {
  promql::Labels labels;
  std::vector<ChunkRef> chunks;  // oldest first
  int64_t last_t = INT64_MAX;    // HistoryStore::Select: samples after it are not to be shown
};

class HistoryQuerier : public promql::Storage {
 public:
  // The store must outlive the querier.
  // `horizon`: HistoryStore::Horizon() when the querier is made.
  HistoryQuerier(const HistoryStore* store, std::vector<SeriesHorizon> horizon, int64_t mint,
                 int64_t maxt);

  // Views stay valid while the querier lives. Samples outside [mint, maxt] of the querier are
  // not returned.
  std::vector<promql::SeriesView> Select(const std::vector<promql::Matcher>& matchers, int64_t mint,
                                         int64_t maxt) const override;

 private:
  struct Decoded {
    bool has_stale = false;
    size_t size = 0;
    // Allocated without zeroing (DecodeInto writes every sample it counts).
    std::unique_ptr<int64_t[]> t;
    std::unique_ptr<double[]> v;
  };
  void Decode(const SeriesSnapshot& series, Decoded* out) const;

  const HistoryStore* store_;
  std::vector<SeriesHorizon> horizon_;
  int64_t mint_, maxt_;
  mutable std::mutex mu_;
  mutable std::map<promql::Labels, Decoded> decoded_;  // node-based: views stay valid
};

}  // namespace cerniq::tsdb
