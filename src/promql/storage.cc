#include "promql/storage.h"

#include <algorithm>

#include "promql/value.h"

namespace cerniq::promql {

uint32_t MemoryStorage::SeriesId(const Labels& labels) {
  auto& bucket = by_hash_[labels.Hash()];
  for (uint32_t candidate : bucket)
    if (series_[candidate].labels == labels) return candidate;
  uint32_t id = static_cast<uint32_t>(series_.size());
  series_.push_back({labels, {}, {}, false});
  bucket.push_back(id);
  InsertSorted(by_name_[std::string(labels.Get(kMetricName))], id);
  InsertSorted(all_sorted_, id);
  return id;
}

void MemoryStorage::InsertSorted(std::vector<uint32_t>& ids, uint32_t id) const {
  // Kept in label order so Select returns sorted views without sorting per query (a query
  // evaluated at every step of a range or a test file selects the same series thousands of
  // times); a new series costs one binary search and a move.
  auto pos = std::upper_bound(ids.begin(), ids.end(), id, [&](uint32_t a, uint32_t b) {
    return Compare(series_[a].labels, series_[b].labels) < 0;
  });
  ids.insert(pos, id);
}

bool MemoryStorage::Append(uint32_t id, int64_t t, double v) {
  auto& s = series_[id];
  if (!s.t.empty() && t <= s.t.back()) return false;
  s.t.push_back(t);
  s.v.push_back(v);
  s.has_stale = s.has_stale || IsStaleNaN(v);
  return true;
}

bool MemoryStorage::Append(const Labels& labels, int64_t t, double v) {
  return Append(SeriesId(labels), t, v);
}

void MemoryStorage::Reserve(uint32_t id, size_t samples) {
  series_[id].t.reserve(samples);
  series_[id].v.reserve(samples);
}

void MemoryStorage::Compact() {
  for (auto& s : series_) {
    s.t.shrink_to_fit();
    s.v.shrink_to_fit();
  }
}

void MemoryStorage::Clear() {
  series_.clear();
  by_hash_.clear();
  by_name_.clear();
  all_sorted_.clear();
}

size_t MemoryStorage::NumSamples() const {
  size_t n = 0;
  for (const auto& s : series_) n += s.t.size();
  return n;
}

size_t MemoryStorage::SampleBytes() const {
  size_t n = 0;
  for (const auto& s : series_)
    n += s.t.capacity() * sizeof(int64_t) + s.v.capacity() * sizeof(double);
  return n;
}

size_t MemoryStorage::OverheadBytes() const {
  size_t n = series_.capacity() * sizeof(StoredSeries);
  for (const auto& s : series_) {
    for (const auto& l : s.labels) n += sizeof(Label) + l.name.capacity() + l.value.capacity();
    n += 32;  // shared_ptr control block of the label set
  }
  n += by_hash_.size() * (sizeof(uint64_t) + sizeof(std::vector<uint32_t>) + 16 + sizeof(uint32_t));
  n += by_name_.size() * (32 + sizeof(std::vector<uint32_t>) + 16) +
       2 * series_.size() * sizeof(uint32_t);
  return n;
}

std::vector<SeriesView> MemoryStorage::Select(const std::vector<Matcher>& matchers, int64_t mint,
                                              int64_t maxt) const {
  // Use the metric-name index when there is an equality matcher on __name__.
  const std::vector<uint32_t>* candidates = nullptr;
  for (const auto& m : matchers) {
    if (m.name() == kMetricName && m.type() == MatchType::kEqual) {
      auto it = by_name_.find(m.value());
      if (it == by_name_.end()) return {};
      candidates = &it->second;
      break;
    }
  }
  std::vector<SeriesView> out;
  auto consider = [&](const StoredSeries& s) {
    for (const auto& m : matchers)
      if (!m.Matches(s.labels.Get(m.name()))) return;
    auto lo = std::lower_bound(s.t.begin(), s.t.end(), mint);
    auto hi = std::upper_bound(lo, s.t.end(), maxt);
    if (lo == hi) return;
    size_t from = static_cast<size_t>(lo - s.t.begin());
    size_t n = static_cast<size_t>(hi - lo);
    out.push_back({s.labels, std::span<const int64_t>(s.t.data() + from, n),
                   std::span<const double>(s.v.data() + from, n), s.has_stale});
  };
  for (uint32_t id : candidates ? *candidates : all_sorted_) consider(series_[id]);
  return out;  // in label order: both id lists are kept sorted
}

}  // namespace cerniq::promql
