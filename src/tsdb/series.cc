#include "tsdb/series.h"

#include <algorithm>
#include <cmath>

namespace cerniq::tsdb {
namespace {

// The end of the chunk range holding t (Prometheus's rangeForTimestamp).
int64_t RangeEnd(int64_t t, int64_t width) { return (t / width) * width + width; }

// Prometheus's computeChunkEndTime: once a chunk is 1/ratio full, the end time that splits
// what is left of the range into chunks of equal size at the current sample rate.
int64_t ChunkEndTime(int64_t start, int64_t cur, int64_t max_t, double ratio) {
  double n = static_cast<double>(max_t - start) / (static_cast<double>(cur - start + 1) * ratio);
  if (n <= 1) return max_t;
  return static_cast<int64_t>(static_cast<double>(start) +
                              static_cast<double>(max_t - start) / std::floor(n));
}

}  // namespace

Series::Series(promql::Labels labels) : labels_(std::move(labels)) {
  for (const auto& l : labels_)
    label_bytes_ += sizeof(promql::Label) + l.name.capacity() + l.value.capacity();
  ResetHead();
}

void Series::ResetHead() {
  head_ = std::make_unique<XorChunk>();
  appender_ = std::make_unique<XorAppender>(head_.get());
}

AppendResult Series::Append(int64_t t, double v, const ChunkPolicy& policy, bool* cut) {
  *cut = false;
  t = Align(t, policy.timestamp_tolerance_ms);
  if (head_samples() > 0 || !closed_.empty()) {
    if (t == head_max_t_) return AppendResult::kDuplicate;
    if (t < head_max_t_) return AppendResult::kOutOfOrder;
  }
  bool empty_before = empty();
  int n = head_samples();
  if (n == 0) {
    head_min_t_ = t;
    next_cut_at_ = RangeEnd(t, policy.chunk_range_ms);
  } else {
    if (n == policy.samples_per_chunk / 4)
      next_cut_at_ = ChunkEndTime(head_min_t_, head_max_t_, next_cut_at_, 4);
    bool full = head_->Bytes().size() > kMaxChunkBytes - kMaxSampleBytes ||
                n >= 2 * policy.samples_per_chunk || n >= kMaxChunkSamples;
    if (full || t >= next_cut_at_) {
      CutHead(t, policy);
      *cut = true;
    }
  }
  appender_->Append(t, v);
  last_delta_ = empty_before ? 0 : t - head_max_t_;
  head_max_t_ = t;
  return AppendResult::kAppended;
}

int64_t Series::Align(int64_t t, int64_t tolerance) const {
  if (tolerance <= 0 || last_delta_ <= 0) return t;
  int64_t expected = head_max_t_ + last_delta_;
  int64_t off = t > expected ? t - expected : expected - t;
  return off <= std::min(tolerance, last_delta_ / 100) ? expected : t;
}

void Series::CutHead(int64_t t, const ChunkPolicy& policy) {
  head_->Compact();
  closed_bytes_ += head_->Bytes().size();
  closed_samples_ += static_cast<size_t>(head_samples());
  // One allocation for the chunk object and its reference count.
  closed_.push_back(
      {head_min_t_, head_max_t_, std::make_shared<const XorChunk>(std::move(*head_))});
  ResetHead();
  head_min_t_ = t;
  next_cut_at_ = RangeEnd(t, policy.chunk_range_ms);
}

int64_t Series::min_t() const { return closed_.empty() ? head_min_t_ : closed_.front().min_t; }

size_t Series::num_samples() const { return closed_samples_ + static_cast<size_t>(head_samples()); }

size_t Series::chunk_bytes() const {
  return closed_bytes_ + (head_samples() > 0 ? head_->Bytes().size() : 0);
}

size_t Series::overhead_bytes() const {
  // Estimated: the series object, its label strings, the head's spare capacity and appender,
  // and per closed chunk its reference, shared_ptr control block and vector header.
  size_t n = sizeof(Series) + sizeof(XorChunk) + sizeof(XorAppender) + 32 + label_bytes_;
  n += head_->CapacityBytes() - (head_samples() > 0 ? head_->Bytes().size() : 0);
  n += closed_.capacity() * sizeof(ChunkRef) + closed_.size() * (sizeof(XorChunk) + 16);
  return n;
}

void Series::CollectChunks(int64_t mint, int64_t maxt, std::vector<ChunkRef>* out) const {
  // Closed chunks are in time order and do not overlap: binary search the first one ending
  // at or after mint, then take them until one starts after maxt.
  auto it = std::partition_point(closed_.begin(), closed_.end(),
                                 [mint](const ChunkRef& c) { return c.max_t < mint; });
  for (; it != closed_.end() && it->min_t <= maxt; ++it) out->push_back(*it);
  if (head_samples() > 0 && head_max_t_ >= mint && head_min_t_ <= maxt)
    out->push_back({head_min_t_, head_max_t_, std::make_shared<const XorChunk>(*head_)});
}

size_t Series::DropChunksBefore(int64_t cutoff) {
  size_t dropped = 0;
  while (!closed_.empty() && closed_.front().max_t < cutoff) {
    DropOldestChunk();
    ++dropped;
  }
  if (closed_.empty() && head_samples() > 0 && head_max_t_ < cutoff) {
    DropOldestChunk();
    ++dropped;
  }
  return dropped;
}

size_t Series::DropOldestChunk() {
  if (closed_.empty()) {
    size_t bytes = chunk_bytes();
    ResetHead();
    return bytes;
  }
  size_t bytes = closed_.front().data->Bytes().size();
  closed_bytes_ -= bytes;
  closed_samples_ -= static_cast<size_t>(closed_.front().data->NumSamples());
  closed_.erase(closed_.begin());
  return bytes;
}

int64_t Series::oldest_chunk_max_t() const {
  return closed_.empty() ? head_max_t_ : closed_.front().max_t;
}

std::string Series::Restore(std::vector<ChunkRef> chunks, const ChunkPolicy& policy) {
  closed_.clear();
  closed_bytes_ = closed_samples_ = 0;
  ResetHead();
  if (chunks.empty()) return {};
  ChunkRef last = chunks.back();
  chunks.pop_back();
  for (auto& c : chunks) {
    closed_bytes_ += c.data->Bytes().size();
    closed_samples_ += static_cast<size_t>(c.data->NumSamples());
    closed_.push_back(std::move(c));
  }
  head_ = std::make_unique<XorChunk>(*last.data);
  appender_ = std::make_unique<XorAppender>(head_.get());
  if (!appender_->ok()) return appender_->error();
  head_min_t_ = last.min_t;
  head_max_t_ = last.max_t;
  // Where the chunk would end had it been appended here: its range end, or the end predicted
  // from its fill once it is a quarter full, or right away when it is full.
  int n = head_samples();
  int64_t range_end = RangeEnd(head_min_t_, policy.chunk_range_ms);
  next_cut_at_ = range_end;
  if (n >= policy.samples_per_chunk)
    next_cut_at_ = INT64_MIN;
  else if (n >= policy.samples_per_chunk / 4)
    next_cut_at_ = ChunkEndTime(head_min_t_, head_max_t_, range_end,
                                static_cast<double>(policy.samples_per_chunk) / n);
  return {};
}

}  // namespace cerniq::tsdb
