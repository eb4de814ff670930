#pragma once
// The exporter's real series, read from one /metrics scrape, and a model of how each one moves
// over time (counters increase, gauges walk, constants stay), so 24 h of plausible history can
// be generated from a single real exposition.
#include <cstdint>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "promql/labels.h"

namespace cerniq::bench {

// How a series moves from one collection to the next (chosen from its TYPE, name and value).
enum class Shape {
  kConstant,     // build info, up, success, paused, thresholds, flags
  kCounter,      // a counter already moving: +1..5 on 60% of collections
  kRareCounter,  // a counter at 0 (errors, failures): +1 on 0.05% of collections
  kIntegerWalk,  // queue depths, counts from SQL: +-0..5 on 15% of collections, never < 0
  kFloatWalk,    // averages from SQL: a new value within 5% on 5% of collections
  kDuration,     // a pass's duration: a fresh float every collection (log-normal, sigma 0.3)
  kAge,          // oldest job's age: grows with the clock (ms), resets on 2% of collections
  kTickTime,     // last-success timestamps: the collection time in seconds with ms
  kHourlyTime,   // cron last-run timestamps: jump by an hour every hour
  kHistogram,    // _bucket/_sum/_count: an observation on 5% of collections, all buckets coherent
};
const char* ShapeName(Shape shape);
inline constexpr int kShapeCount = 10;

struct ScrapedSeries {
  promql::Labels labels;
  std::string type;  // the family's # TYPE (counter, gauge, histogram, untyped)
  double value = 0;  // at the scrape
};

// Parses the text exposition (what /metrics serves): "# TYPE" lines and "name{labels} value"
// samples; `extra` labels (job, instance) are added as a scrape would. Throws on a bad line.
std::vector<ScrapedSeries> ParseScrape(std::string_view text, const promql::Labels& extra);

// Generates one sample per series per collection, deterministically from a seed.
class HistoryModel {
 public:
  HistoryModel(const std::vector<ScrapedSeries>& series, int64_t start_ms, uint64_t seed);
  size_t size() const { return series_.size(); }
  const promql::Labels& labels(size_t i) const { return series_[i].labels; }
  Shape shape(size_t i) const { return series_[i].shape; }
  // Moves every series to collection time t_ms (called with increasing times) and returns the
  // values, one per series in the order given.
  const std::vector<double>& Advance(int64_t t_ms);

 private:
  struct Modelled {
    promql::Labels labels;
    Shape shape;
    double v0, v;
    int histogram = -1;  // index into histograms_
    double le = 0;       // for _bucket; +Inf for the count
    bool is_sum = false;
    int64_t origin_ms = 0;  // kAge: when the oldest waiting job was added
  };
  double Next(Modelled& s, int64_t t_ms);

  std::vector<Modelled> series_;
  std::vector<double> observation_;  // per histogram: this collection's observation, or NaN
  std::vector<double> histogram_max_;
  std::vector<double> values_;
  int64_t start_ms_;
  std::mt19937_64 rng_;
};

}  // namespace cerniq::bench
