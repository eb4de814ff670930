#pragma once
// One series of the history: closed chunks (immutable, shared with queriers and checkpoints)
// and the head chunk being appended to, cut the way Prometheus's head cuts them.
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "promql/labels.h"
#include "tsdb/xor_chunk.h"

namespace cerniq::tsdb {

struct ChunkPolicy {
  int samples_per_chunk = 120;               // Prometheus's DefaultSamplesPerChunk
  int64_t chunk_range_ms = 2 * 3600 * 1000;  // chunks never span a boundary of this range
  // A timestamp within this many ms of the previous one plus the previous interval is stored as
  // that (and never more than 1% of the interval off), so a timer's jitter costs 1 bit instead
  // of 16: Prometheus's scrape loop aligns its timestamps the same way, by default within 2 ms.
  // 0 stores timestamps exactly as given.
  int64_t timestamp_tolerance_ms = 2;
};

// An immutable chunk with the times of its first and last samples.
struct ChunkRef {
  int64_t min_t = 0;
  int64_t max_t = 0;
  std::shared_ptr<const XorChunk> data;
};

enum class AppendResult { kAppended, kOutOfOrder, kDuplicate };

class Series {
 public:
  explicit Series(promql::Labels labels);

  const promql::Labels& labels() const { return labels_; }
  // Rejects a timestamp at or before the last one. `cut` is set when a chunk was closed.
  AppendResult Append(int64_t t, double v, const ChunkPolicy& policy, bool* cut);

  bool empty() const { return closed_.empty() && head_samples() == 0; }
  int64_t min_t() const;
  int64_t max_t() const { return head_max_t_; }
  size_t num_samples() const;
  size_t num_chunks() const { return closed_.size() + (head_samples() > 0 ? 1 : 0); }
  size_t chunk_bytes() const;
  size_t overhead_bytes() const;
  size_t footprint_bytes() const { return chunk_bytes() + overhead_bytes(); }

  // The chunks with a sample in [mint, maxt], oldest first; the head is copied.
  void CollectChunks(int64_t mint, int64_t maxt, std::vector<ChunkRef>* out) const;
  // Drops chunks whose last sample is before `cutoff`; returns how many.
  size_t DropChunksBefore(int64_t cutoff);
  // Drops the oldest chunk (the head too when it is the only one); returns its bytes.
  size_t DropOldestChunk();
  // Time of the last sample of the oldest chunk (what a byte limit evicts first).
  int64_t oldest_chunk_max_t() const;

  // Rebuilds a series from chunks read back (oldest first, each already checked); the last
  // becomes the head. Returns an error text when the head cannot take appends.
  std::string Restore(std::vector<ChunkRef> chunks, const ChunkPolicy& policy);

  int64_t retention_ms = 0;  // set by the store from its floor and retention rules
  uint64_t id = 0;           // set by the store, unique among the series it ever held

 private:
  int head_samples() const { return head_->NumSamples(); }
  int64_t Align(int64_t t, int64_t tolerance) const;
  void CutHead(int64_t t, const ChunkPolicy& policy);
  void ResetHead();

  promql::Labels labels_;
  size_t label_bytes_ = 0;
  std::vector<ChunkRef> closed_;
  std::unique_ptr<XorChunk> head_;
  std::unique_ptr<XorAppender> appender_;
  int64_t head_min_t_ = 0;
  int64_t head_max_t_ = INT64_MIN;
  int64_t next_cut_at_ = INT64_MAX;
  int64_t last_delta_ = 0;  // between the last two samples, for timestamp alignment
  size_t closed_bytes_ = 0;
  size_t closed_samples_ = 0;
};

}  // namespace cerniq::tsdb
