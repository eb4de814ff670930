#include "tsdb/querier.h"

#include <algorithm>

#include "promql/value.h"

namespace cerniq::tsdb {

HistoryQuerier::HistoryQuerier(std::vector<SeriesSnapshot> series, int64_t mint, int64_t maxt)
    : series_(std::move(series)), mint_(mint), maxt_(maxt), decoded_(series_.size()) {
  for (uint32_t i = 0; i < series_.size(); ++i)
    by_name_[std::string(series_[i].labels.Get(promql::kMetricName))].push_back(i);
}

const HistoryQuerier::Decoded& HistoryQuerier::Decode(size_t i) const {
  Decoded& d = decoded_[i];
  if (d.done) return d;
  d.done = true;
  size_t estimate = 0;
  for (const auto& c : series_[i].chunks) estimate += static_cast<size_t>(c.data->NumSamples());
  d.t.reserve(estimate);
  d.v.reserve(estimate);
  for (const auto& c : series_[i].chunks) {
    XorIterator it(c.data->Bytes());
    while (it.Next()) {
      if (it.t() < mint_) continue;
      if (it.t() > maxt_) break;
      d.t.push_back(it.t());
      d.v.push_back(it.v());
      d.has_stale = d.has_stale || promql::IsStaleNaN(it.v());
    }
  }
  return d;
}

std::vector<promql::SeriesView> HistoryQuerier::Select(const std::vector<promql::Matcher>& matchers,
                                                       int64_t mint, int64_t maxt) const {
  std::vector<uint32_t> all;
  const std::vector<uint32_t>* candidates = nullptr;
  for (const auto& m : matchers) {
    if (m.name() == promql::kMetricName && m.type() == promql::MatchType::kEqual) {
      auto it = by_name_.find(m.value());
      if (it == by_name_.end()) return {};
      candidates = &it->second;
      break;
    }
  }
  if (!candidates) {
    all.resize(series_.size());
    for (uint32_t i = 0; i < all.size(); ++i) all[i] = i;
    candidates = &all;
  }
  std::vector<promql::SeriesView> out;
  std::lock_guard lock(mu_);
  for (uint32_t i : *candidates) {
    const auto& labels = series_[i].labels;
    bool match = std::all_of(matchers.begin(), matchers.end(),
                             [&](const auto& m) { return m.Matches(labels.Get(m.name())); });
    if (!match) continue;
    const Decoded& d = Decode(i);
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
