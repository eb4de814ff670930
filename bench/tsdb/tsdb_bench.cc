// Bytes per sample of HistoryStore on 24 h of synthetic series shaped like the exporter's own
// (13 BullMQ queues, the PostgreSQL collectors, self metrics) at a 5 s interval, with exact
// timestamps, with a timer's few ms of jitter, and with that jitter aligned within 2 ms as
// Prometheus's scrape loop does. No test asserts on it; run:
//   build/bin/tsdb_bench [hours]
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "tsdb/history_store.h"

namespace {

using cerniq::promql::Labels;
using cerniq::tsdb::HistoryOptions;
using cerniq::tsdb::HistoryStore;

enum class Kind {
  kFlatGauge,     // paused, workers, up, success, build info: changes every few hours
  kQueueDepth,    // waiting, active, delayed, failed...: integer walk, changes now and then
  kCounter,       // jobs completed/failed/added: integer increments most collections
  kBucket,        // histogram buckets bucketed in SQL: cumulative, changes rarely
  kDuration,      // a pass's duration in seconds: a new float every collection
  kUnixTimestamp  // last success in Unix seconds with ms: t/1000 every collection
};

const char* Name(Kind k) {
  switch (k) {
    case Kind::kFlatGauge:
      return "flat gauge";
    case Kind::kQueueDepth:
      return "queue depth";
    case Kind::kCounter:
      return "counter";
    case Kind::kBucket:
      return "histogram bucket";
    case Kind::kDuration:
      return "duration gauge";
    case Kind::kUnixTimestamp:
      return "unix timestamp";
  }
  return "?";
}

// How many series of each kind the exporter exposes with 13 queues and its collectors (see
// src/catalog/catalog.cc): 13 x (7 depth gauges, 3 flat, 3 counters), a 12-bucket histogram,
// ~15 collectors x (success, duration, last success), a few dozen SQL gauges.
const std::map<Kind, int> kExporterMix = {{Kind::kFlatGauge, 13 * 3 + 15 + 30},
                                          {Kind::kQueueDepth, 13 * 7 + 20},
                                          {Kind::kCounter, 13 * 3 + 10},
                                          {Kind::kBucket, 14},
                                          {Kind::kDuration, 15},
                                          {Kind::kUnixTimestamp, 15 + 10}};

struct Walk {
  double v = 0;
  double Next(Kind kind, std::mt19937_64& rng, int64_t t_ms) {
    std::uniform_real_distribution<double> u(0, 1);
    switch (kind) {
      case Kind::kFlatGauge:
        if (u(rng) < 1.0 / 2000) v = std::floor(u(rng) * 4);
        return v;
      case Kind::kQueueDepth:
        if (u(rng) < 0.15) v = std::max(0.0, v + std::floor(u(rng) * 11) - 5);
        return v;
      case Kind::kCounter:
        if (u(rng) < 0.6) v += std::floor(u(rng) * 8) + 1;
        return v;
      case Kind::kBucket:
        if (u(rng) < 0.02) v += 1;
        return v;
      case Kind::kDuration:
        return 0.002 + u(rng) * 0.05;
      case Kind::kUnixTimestamp:
        return static_cast<double>(t_ms) / 1000.0;
    }
    return v;
  }
};

enum class Clock { kExact, kJitter, kJitterAligned };

struct Result {
  size_t samples = 0, chunk_bytes = 0, overhead_bytes = 0;
};

Result Measure(Kind kind, int series, Clock clock, int64_t hours) {
  HistoryOptions options;
  options.retention = std::chrono::hours(hours + 1);
  options.chunks.timestamp_tolerance_ms = clock == Clock::kJitterAligned ? 2 : 0;
  HistoryStore store(options);
  std::mt19937_64 rng(static_cast<uint64_t>(kind) * 1000 + static_cast<uint64_t>(series));
  const int64_t start = 1'700'000'000'000;
  const int64_t samples = hours * 3600 / 5;
  for (int s = 0; s < series; ++s) {
    Labels labels{{"__name__", Name(kind)}, {"i", std::to_string(s)}};
    Walk walk;
    for (int64_t i = 0; i < samples; ++i) {
      int64_t t = start + i * 5000;
      if (clock != Clock::kExact)
        t += static_cast<int64_t>(rng() % 5);  // a timer fires 0-4 ms late
      store.Append(labels, t, walk.Next(kind, rng, t));
    }
  }
  auto stats = store.Stats();
  return {stats.samples, stats.chunk_bytes, stats.overhead_bytes};
}

}  // namespace

int main(int argc, char** argv) {
  int64_t hours = argc > 1 ? std::atoll(argv[1]) : 24;
  const char* clocks[] = {"exact 5 s", "jitter 0-4 ms", "jitter, aligned 2 ms"};
  std::printf("%lld h at 5 s; bytes per sample of chunk data (with overhead in brackets)\n\n",
              static_cast<long long>(hours));
  std::printf("%-18s %7s", "series kind", "series");
  for (const char* c : clocks) std::printf(" %22s", c);
  std::printf("\n");
  Result mix[3];
  for (const auto& [kind, count] : kExporterMix) {
    std::printf("%-18s %7d", Name(kind), count);
    for (int c = 0; c < 3; ++c) {
      Result r = Measure(kind, count, static_cast<Clock>(c), hours);
      mix[c].samples += r.samples;
      mix[c].chunk_bytes += r.chunk_bytes;
      mix[c].overhead_bytes += r.overhead_bytes;
      std::printf("    %7.3f (%7.3f)     ", double(r.chunk_bytes) / double(r.samples),
                  double(r.chunk_bytes + r.overhead_bytes) / double(r.samples));
    }
    std::printf("\n");
  }
  std::printf("%-18s %7s", "exporter mix", "");
  for (const auto& r : mix)
    std::printf("    %7.3f (%7.3f)     ", double(r.chunk_bytes) / double(r.samples),
                double(r.chunk_bytes + r.overhead_bytes) / double(r.samples));
  std::printf(
      "\n\ntarget: <= 2.0 bytes/sample on the exporter mix (Prometheus's head: ~1.3-1.4)\n");
  return 0;
}
