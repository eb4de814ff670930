#include "tsdb/querier.h"

#include <algorithm>
#include <bit>

#include "promql/value.h"
#include "tsdb/history_store.h"

namespace cerniq::tsdb {

HistoryQuerier::HistoryQuerier(const HistoryStore* store, std::vector<SeriesHorizon> horizon,
                               int64_t mint, int64_t maxt)
    : store_(store), horizon_(std::move(horizon)), mint_(mint), maxt_(maxt) {}

void HistoryQuerier::Decode(const SeriesSnapshot& series, Decoded* d) const {
  const int64_t maxt = std::min(maxt_, series.last_t);
  // Chunks come in time order: the first starting after maxt ends the series.
  auto first = series.chunks.begin(), last = series.chunks.end();
  while (first != last && first->max_t < mint_) ++first;
  auto end = first;
  size_t room = 0;
  for (; end != last && end->min_t <= maxt; ++end)
    room += static_cast<size_t>(end->data->NumSamples());
  d->t = std::make_unique_for_overwrite<int64_t[]>(room);
  d->v = std::make_unique_for_overwrite<double[]>(room);
  size_t n = 0;
  for (auto c = first; c != end; ++c) {
    n += XorIterator(c->data->Bytes()).DecodeInto(mint_, maxt, d->t.get() + n, d->v.get() + n);
  }
  d->size = n;
  // Compared as bits in one pass: the values are NaN-safe and it vectorizes.
  const uint64_t stale = std::bit_cast<uint64_t>(promql::StaleNaN());
  bool any = false;
  for (size_t i = 0; i < n; ++i) any |= std::bit_cast<uint64_t>(d->v[i]) == stale;
  d->has_stale = any;
}

std::vector<promql::SeriesView> HistoryQuerier::Select(const std::vector<promql::Matcher>& matchers,
                                                       int64_t mint, int64_t maxt) const {
  std::lock_guard lock(mu_);
  // The store gives only the series this querier has not read yet; those it has are answered
  // from what it read, even if the store has truncated or removed them since.
  auto held = [this](const promql::Labels& labels) { return decoded_.contains(labels); };
  for (auto& snap : store_->Select(matchers, mint_, maxt_, &horizon_, held)) {
    auto [it, fresh] = decoded_.try_emplace(std::move(snap.labels));
    if (fresh) Decode(snap, &it->second);
  }
  std::vector<promql::SeriesView> out;
  for (const auto& [labels, d] : decoded_) {  // in label order
    bool match = std::all_of(matchers.begin(), matchers.end(),
                             [&](const auto& m) { return m.Matches(labels.Get(m.name())); });
    if (!match) continue;
    const int64_t* times = d.t.get();
    const int64_t* lo = std::lower_bound(times, times + d.size, mint);
    const int64_t* hi = std::upper_bound(lo, times + d.size, maxt);
    if (lo == hi) continue;
    size_t from = static_cast<size_t>(lo - times);
    size_t n = static_cast<size_t>(hi - lo);
    out.push_back({labels, std::span<const int64_t>(lo, n),
                   std::span<const double>(d.v.get() + from, n), d.has_stale});
  }
  return out;
}

}  // namespace cerniq::tsdb
