#include "tsdb/history_store.h"

#include <algorithm>
#include <mutex>
#include <queue>
#include <utility>

#include "log/limits.h"

namespace cerniq::tsdb {
namespace {

// A std::map node: three pointers and a colour, the key and the mapped pointer.
constexpr size_t kMapNodeBytes = 4 * sizeof(void*) + sizeof(promql::Labels) + sizeof(void*);

}  // namespace

HistoryStore::HistoryStore(HistoryOptions options) : options_(std::move(options)) {}

AppendResult HistoryStore::Append(const promql::Labels& labels, int64_t t_ms, double v) {
  std::unique_lock lock(mu_);
  auto it = series_.find(labels);
  if (it == series_.end()) {
    auto series = std::make_unique<Series>(labels);
    series->id = next_series_id_++;
    series->retention_ms = RetentionFor(labels);
    total_bytes_ += series->footprint_bytes() + kMapNodeBytes;
    it = series_.emplace(labels, std::move(series)).first;
    IndexName(it->second.get());
  }
  Series& s = *it->second;
  size_t before = s.footprint_bytes();
  bool cut = false;
  AppendResult result = s.Append(t_ms, v, options_.chunks, &cut);
  total_bytes_ += s.footprint_bytes() - before;
  switch (result) {
    case AppendResult::kAppended:
      ++counters_.samples_appended;
      break;
    case AppendResult::kOutOfOrder:
      ++counters_.rejected_out_of_order;
      break;
    case AppendResult::kDuplicate:
      ++counters_.rejected_duplicate;
      break;
  }
  if (options_.max_bytes > 0 && total_bytes_ > options_.max_bytes) EnforceByteLimit();
  return result;
}

std::vector<SeriesSnapshot> HistoryStore::Snapshot(int64_t mint, int64_t maxt) const {
  std::shared_lock lock(mu_);
  std::vector<SeriesSnapshot> out;
  out.reserve(series_.size());
  for (const auto& [labels, series] : series_) {
    SeriesSnapshot snap{labels, {}};
    series->CollectChunks(mint, maxt, &snap.chunks);
    if (!snap.chunks.empty()) out.push_back(std::move(snap));
  }
  return out;
}

std::vector<SeriesSnapshot> HistoryStore::Select(
    const std::vector<promql::Matcher>& matchers, int64_t mint, int64_t maxt,
    const std::vector<SeriesHorizon>* visible,
    const std::function<bool(const promql::Labels&)>& held) const {
  std::vector<SeriesSnapshot> out;
  auto take = [&](const Series& series) {
    const auto& labels = series.labels();
    int64_t last = maxt;
    if (visible) {
      auto it = std::lower_bound(visible->begin(), visible->end(), series.id,
                                 [](const SeriesHorizon& h, uint64_t id) { return h.id < id; });
      if (it == visible->end() || it->id != series.id) return;  // created after the querier
      last = std::min(last, it->max_t);
    }
    if (series.max_t() < mint || series.min_t() > last) return;
    bool match = std::all_of(matchers.begin(), matchers.end(),
                             [&](const auto& m) { return m.Matches(labels.Get(m.name())); });
    if (!match) return;
    if (held && held(labels)) return;
    SeriesSnapshot snap{labels, {}, last};
    series.CollectChunks(mint, last, &snap.chunks);
    if (!snap.chunks.empty()) out.push_back(std::move(snap));
  };
  std::shared_lock lock(mu_);
  for (const auto& m : matchers) {
    if (m.name() != promql::kMetricName || m.type() != promql::MatchType::kEqual) continue;
    auto it = by_name_.find(m.value());
    if (it == by_name_.end()) return out;
    for (const Series* series : it->second) take(*series);
    return out;
  }
  for (const auto& [labels, series] : series_) take(*series);
  return out;
}

std::vector<SeriesHorizon> HistoryStore::Horizon() const {
  std::shared_lock lock(mu_);
  std::vector<SeriesHorizon> out;
  out.reserve(series_.size());
  for (const auto& [labels, series] : series_) out.push_back({series->id, series->max_t()});
  lock.unlock();
  std::sort(out.begin(), out.end(),
            [](const SeriesHorizon& a, const SeriesHorizon& b) { return a.id < b.id; });
  return out;
}

std::unique_ptr<promql::Storage> HistoryStore::Querier(int64_t mint, int64_t maxt) const {
  return std::make_unique<HistoryQuerier>(this, Horizon(), mint, maxt);
}

namespace {
bool LabelsBefore(const Series* a, const Series* b) { return a->labels() < b->labels(); }
}  // namespace

void HistoryStore::IndexName(const Series* series) {
  auto& list = by_name_[std::string(series->labels().Get(promql::kMetricName))];
  list.insert(std::lower_bound(list.begin(), list.end(), series, LabelsBefore), series);
}

void HistoryStore::UnindexName(const Series* series) {
  auto it = by_name_.find(std::string(series->labels().Get(promql::kMetricName)));
  if (it == by_name_.end()) return;
  std::erase(it->second, series);
  if (it->second.empty()) by_name_.erase(it);
}

int64_t HistoryStore::RetentionFor(const promql::Labels& labels) const {
  int64_t keep = options_.retention.count();
  for (const auto& rule : rules_) {
    bool match = std::all_of(rule.matchers.begin(), rule.matchers.end(),
                             [&](const auto& m) { return m.Matches(labels.Get(m.name())); });
    if (match) keep = std::max<int64_t>(keep, rule.keep.count());
  }
  return keep;
}

void HistoryStore::SetRetention(std::chrono::milliseconds floor) {
  std::unique_lock lock(mu_);
  options_.retention = floor;
  for (auto& [labels, series] : series_) series->retention_ms = RetentionFor(labels);
}

void HistoryStore::SetRetentionRules(std::vector<RetentionRule> rules) {
  std::unique_lock lock(mu_);
  rules_ = std::move(rules);
  for (auto& [labels, series] : series_) series->retention_ms = RetentionFor(labels);
}

void HistoryStore::Truncate(int64_t now_ms) {
  std::unique_lock lock(mu_);
  for (auto it = series_.begin(); it != series_.end();) {
    Series& s = *it->second;
    size_t before = s.footprint_bytes();
    counters_.chunks_expired += s.DropChunksBefore(now_ms - s.retention_ms);
    total_bytes_ -= before - s.footprint_bytes();
    it = s.empty() ? Erase(it) : std::next(it);
  }
}

void HistoryStore::SetByteLimit(size_t max_bytes) {
  std::unique_lock lock(mu_);
  options_.max_bytes = max_bytes;
  if (max_bytes > 0 && total_bytes_ > max_bytes) EnforceByteLimit();
}

void HistoryStore::EnforceByteLimit() {
  size_t target = options_.max_bytes - options_.max_bytes / 20;
  log::LimitReached(log::limit::kHistoryBytes, {{"max_bytes", std::to_string(options_.max_bytes)}});
  using Entry = std::pair<int64_t, SeriesMap::iterator>;
  auto later = [](const Entry& a, const Entry& b) { return a.first > b.first; };
  std::priority_queue<Entry, std::vector<Entry>, decltype(later)> oldest(later);
  for (auto it = series_.begin(); it != series_.end(); ++it)
    oldest.push({it->second->oldest_chunk_max_t(), it});
  // Each round drops one chunk, so the loop ends within the number of chunks held.
  while (total_bytes_ > target && !oldest.empty()) {
    auto it = oldest.top().second;
    oldest.pop();
    Series& s = *it->second;
    size_t before = s.footprint_bytes();
    s.DropOldestChunk();
    ++counters_.chunks_evicted;
    total_bytes_ -= before - s.footprint_bytes();
    if (s.empty())
      Erase(it);
    else
      oldest.push({s.oldest_chunk_max_t(), it});
  }
}

HistoryStore::SeriesMap::iterator HistoryStore::Erase(SeriesMap::iterator it) {
  total_bytes_ -= it->second->footprint_bytes() + kMapNodeBytes;
  ++counters_.series_removed;
  UnindexName(it->second.get());
  return series_.erase(it);
}

HistoryStats HistoryStore::Stats() const {
  std::shared_lock lock(mu_);
  HistoryStats stats = counters_;
  stats.series = series_.size();
  for (const auto& [labels, series] : series_) {
    stats.samples += series->num_samples();
    stats.chunks += series->num_chunks();
    stats.chunk_bytes += series->chunk_bytes();
    stats.overhead_bytes += series->overhead_bytes() + kMapNodeBytes;
  }
  return stats;
}

std::string HistoryStore::Replace(std::vector<SeriesSnapshot> snapshots) {
  SeriesMap fresh;
  size_t bytes = 0;
  for (auto& snap : snapshots) {
    auto series = std::make_unique<Series>(snap.labels);
    series->id = next_series_id_++;
    if (auto error = series->Restore(std::move(snap.chunks), options_.chunks); !error.empty())
      return "series " + snap.labels.String() + ": " + error;
    bytes += series->footprint_bytes() + kMapNodeBytes;
    fresh.emplace(snap.labels, std::move(series));
  }
  std::unique_lock lock(mu_);
  for (auto& [labels, series] : fresh) series->retention_ms = RetentionFor(labels);
  series_ = std::move(fresh);
  by_name_.clear();
  for (const auto& [labels, series] : series_) IndexName(series.get());
  total_bytes_ = bytes;
  return {};
}

}  // namespace cerniq::tsdb
