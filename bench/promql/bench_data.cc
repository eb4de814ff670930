#include "bench_data.h"

#include <cmath>

namespace cerniq::bench {
namespace {

constexpr const char* kLe[kBuckets] = {"0.005", "0.01", "0.025", "0.05", "0.1",
                                       "0.25",  "0.5",  "1",     "2.5",  "+Inf"};

// A cheap, stateless pseudo-random number in [0, 1) for (series, step).
double Noise(uint64_t a, uint64_t b) {
  uint64_t x = a * 0x9E3779B97F4A7C15ull ^ (b + 0x632BE59BD9B4E019ull);
  x ^= x >> 33;
  x *= 0xff51afd7ed558ccdull;
  x ^= x >> 33;
  return static_cast<double>(x >> 11) / 9007199254740992.0;
}

std::string Pad(int v, int width) {
  std::string s = std::to_string(v);
  return std::string(width - std::min<int>(width, static_cast<int>(s.size())), '0') + s;
}

}  // namespace

void ForEachSeries(const std::function<void(int, const promql::Labels&)>& fn) {
  int idx = 0;
  for (int q = 0; q < kQueues; ++q)
    for (int i = 0; i < kInstancesPerQueue; ++i)
      fn(idx++, promql::Labels{
                    {"__name__", "x"}, {"queue", "q" + Pad(q, 2)}, {"instance", "i" + Pad(i, 3)}});
  for (int i = 0; i < kHistInstances; ++i)
    for (int b = 0; b < kBuckets; ++b)
      fn(idx++,
         promql::Labels{{"__name__", "h_bucket"}, {"instance", "h" + Pad(i, 3)}, {"le", kLe[b]}});
}

double Value(int series, int i) {
  // Counters: x grows by 0..4 per step with a reset every 6 h for a tenth of the series;
  // a bucket's count is the instance's total times the bucket's cumulative share. Values are
  // whole numbers so that both systems store them exactly.
  if (series < kQueues * kInstancesPerQueue) {
    int since_reset = (series % 10 == 0) ? i % 1440 : i;
    return std::floor(since_reset * 2 + 40 * Noise(series, i / 240));
  }
  int h = series - kQueues * kInstancesPerQueue;
  int bucket = h % kBuckets;
  double share = bucket == kBuckets - 1 ? 1.0 : (bucket + 1) / 11.0;
  return std::floor(i * 3 * share);
}

}  // namespace cerniq::bench
