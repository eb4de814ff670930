#pragma once
// A read-only view of the history over [mint, maxt] for the PromQL engine. It holds its own
// references to the chunks (the head chunks copied), so appends and truncation go on while it
// is used; a series' chunks are decoded on its first Select, into buffers the querier owns.
#include <cstdint>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "promql/storage.h"
#include "tsdb/series.h"

namespace cerniq::tsdb {

struct SeriesSnapshot {
  promql::Labels labels;
  std::vector<ChunkRef> chunks;  // oldest first
};

class HistoryQuerier : public promql::Storage {
 public:
  // `series` sorted by labels.
  HistoryQuerier(std::vector<SeriesSnapshot> series, int64_t mint, int64_t maxt);

  // Views stay valid while the querier lives. Samples outside [mint, maxt] of the querier are
  // not returned.
  std::vector<promql::SeriesView> Select(const std::vector<promql::Matcher>& matchers, int64_t mint,
                                         int64_t maxt) const override;

 private:
  struct Decoded {
    bool done = false;
    bool has_stale = false;
    std::vector<int64_t> t;
    std::vector<double> v;
  };
  const Decoded& Decode(size_t i) const;

  std::vector<SeriesSnapshot> series_;
  int64_t mint_, maxt_;
  std::unordered_map<std::string, std::vector<uint32_t>> by_name_;  // ids in label order
  mutable std::mutex mu_;
  mutable std::vector<Decoded> decoded_;  // one per series, never resized
};

}  // namespace cerniq::tsdb
