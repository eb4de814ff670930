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
  const auto& chunks = series.chunks;
  const int64_t maxt = std::min(maxt_, series.last_t);
  size_t estimate = 0;
  for (const auto& c : chunks) estimate += static_cast<size_t>(c.data->NumSamples());
  d->t.reserve(estimate);
  d->v.reserve(estimate);
  for (const auto& c : chunks) {
    // Chunks come in time order: the first starting after maxt ends the series.
    if (c.min_t > maxt) break;
    if (c.max_t < mint_) continue;
    XorIterator(c.data->Bytes()).DecodeInto(mint_, maxt, &d->t, &d->v);
  }
  // Compared as bits in one pass: the values are NaN-safe and it vectorizes.
  const uint64_t stale = std::bit_cast<uint64_t>(promql::StaleNaN());
  bool any = false;
  for (double v : d->v) any |= std::bit_cast<uint64_t>(v) == stale;
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
    auto lo = std::lower_bound(d.t.begin(), d.t.end(), mint);
    auto hi = std::upper_bound(lo, d.t.end(), maxt);
    if (lo == hi) continue;
    size_t from = static_cast<size_t>(lo - d.t.begin());
    size_t n = static_cast<size_t>(hi - lo);
    out.push_back({labels, std::span<const int64_t>(d.t.data() + from, n),
                   std::span<const double>(d.v.data() + from, n), d.has_stale});
  }
  return out;
}

}  // namespace cerniq::tsdb
