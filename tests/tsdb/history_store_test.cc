#include "tsdb/history_store.h"

#include <gtest/gtest.h>

#include <bit>
#include <cstdio>
#include <random>
#include <thread>

#include "log/limits.h"
#include "promql/engine.h"
#include "promql/parser.h"
#include "promql/value.h"

namespace cerniq::tsdb {
namespace {

using promql::Labels;
using std::chrono::hours;
using std::chrono::milliseconds;
using std::chrono::minutes;

constexpr int64_t kStart = 1'700'000'000'000;

std::string Hex(double v) {
  char buf[24];
  std::snprintf(buf, sizeof buf, "%016llx",
                static_cast<unsigned long long>(std::bit_cast<uint64_t>(v)));
  return buf;
}

// A value as text with exact float bits, so results compare bit for bit.
std::string Text(const promql::Value& value) {
  std::string out;
  if (auto* s = std::get_if<promql::Scalar>(&value)) return "scalar " + Hex(s->v);
  if (auto* v = std::get_if<promql::Vector>(&value))
    for (const auto& s : *v) out += s.metric.String() + " " + Hex(s.v) + "\n";
  if (auto* m = std::get_if<promql::Matrix>(&value))
    for (const auto& s : *m) {
      out += s.metric.String() + ":";
      for (const auto& p : s.points) out += " " + std::to_string(p.t) + "=" + Hex(p.v);
      out += "\n";
    }
  return out;
}

std::string Eval(const promql::Storage& storage, const std::string& expr, int64_t t,
                 int64_t end = 0, int64_t step = 0) {
  promql::Engine engine;
  try {
    auto parsed = promql::ParseExpr(expr);
    if (step == 0) return Text(engine.Instant(storage, *parsed, t));
    return Text(engine.Range(storage, *parsed, t, end, step));
  } catch (const std::exception& e) {
    return std::string("error: ") + e.what();
  }
}

HistoryOptions Exact() {
  HistoryOptions options;
  options.chunks.timestamp_tolerance_ms = 0;
  return options;
}

struct Both {
  HistoryStore history{Exact()};
  promql::MemoryStorage memory;
  void Append(const Labels& labels, int64_t t, double v) {
    bool in_memory = memory.Append(labels, t, v);
    EXPECT_EQ(history.Append(labels, t, v) == AppendResult::kAppended, in_memory);
  }
};

// Random series over four hours: 5 s collections with jitter, gaps, value styles the exporter
// has (flat, counters, random, NaN), and staleness markers.
void Fill(Both& both, std::mt19937_64& rng, int num_series) {
  for (int i = 0; i < num_series; ++i) {
    Labels labels{{"__name__", "m" + std::to_string(i % 4)},
                  {"a", std::to_string(i % 3)},
                  {"b", std::to_string(i)}};
    double v = static_cast<double>(rng() % 10);
    int64_t t = kStart + static_cast<int64_t>(rng() % 60'000);
    int style = static_cast<int>(rng() % 4);
    while (t < kStart + 4 * 3600 * 1000) {
      int roll = static_cast<int>(rng() % 1000);
      if (roll < 3) {
        t += static_cast<int64_t>(rng() % 1'800'000);  // a gap, up to 30 minutes
      } else if (roll < 8) {
        both.Append(labels, t, promql::StaleNaN());
      } else {
        if (style == 1) v += static_cast<double>(rng() % 3);
        if (style == 2) v = static_cast<double>(rng() % 1000) / 7;
        if (style == 3 && roll < 20) v = roll < 14 ? std::nan("") : 0.0;
        if (roll < 12) v = 0;  // counter reset
        both.Append(labels, t, v);
      }
      t += 5000 + static_cast<int64_t>(rng() % 7) - 3;
    }
  }
}

TEST(HistoryStore, QueriesMatchMemoryStorage) {
  std::mt19937_64 rng(1234);
  Both both;
  Fill(both, rng, 60);
  const std::vector<std::string> exprs = {"m0",
                                          "m1{a=\"1\"}",
                                          "{__name__=~\"m[12]\",b!=\"5\"}",
                                          "m2 offset 7m",
                                          "rate(m1[1m])",
                                          "increase(m0[5m])",
                                          "sum by (a) (m3)",
                                          "count_over_time(m2[10m])",
                                          "max_over_time(m0[3m])",
                                          "last_over_time(m1[30m])",
                                          "changes(m2[15m])",
                                          "resets(m1[20m])",
                                          "deriv(m0[10m])",
                                          "timestamp(m3)",
                                          "absent(m9)",
                                          "m1[2m]",
                                          "avg_over_time({a=\"2\"}[4m])",
                                          "histogram_quantile(0.9, m0)",
                                          "m0 @ 1700003600.000",
                                          "sum(rate({__name__=~\".+\"}[5m]))"};
  for (int i = 0; i < 40; ++i) {
    int64_t t = kStart + static_cast<int64_t>(rng() % (4 * 3600 * 1000));
    // An hour covers every range, offset and lookback above; `@` may reach anywhere.
    auto narrow = both.history.Querier(t - 3'600'000, t);
    auto wide = both.history.Querier(INT64_MIN, INT64_MAX);
    for (const auto& e : exprs) {
      std::string want = Eval(both.memory, e, t);
      const auto& querier = e.find('@') == std::string::npos ? narrow : wide;
      ASSERT_EQ(Eval(*querier, e, t), want) << e << " at " << t;
    }
  }
  for (const auto& e : exprs) {
    if (e == "m1[2m]") continue;  // not allowed in a range query
    int64_t start = kStart + 3600 * 1000, end = start + 2 * 3600 * 1000;
    auto querier = both.history.Querier(start - 3'600'000, end);
    ASSERT_EQ(Eval(*querier, e, start, end, 60'000), Eval(both.memory, e, start, end, 60'000)) << e;
  }
}

TEST(HistoryStore, RejectsAndCountsOutOfOrderAndDuplicates) {
  HistoryStore store;
  Labels x{{"__name__", "x"}};
  EXPECT_EQ(store.Append(x, 1000, 1), AppendResult::kAppended);
  EXPECT_EQ(store.Append(x, 1000, 2), AppendResult::kDuplicate);
  EXPECT_EQ(store.Append(x, 999, 2), AppendResult::kOutOfOrder);
  EXPECT_EQ(store.Append(x, 2000, 2), AppendResult::kAppended);
  auto stats = store.Stats();
  EXPECT_EQ(stats.samples_appended, 2u);
  EXPECT_EQ(stats.rejected_duplicate, 1u);
  EXPECT_EQ(stats.rejected_out_of_order, 1u);
  EXPECT_EQ(stats.samples, 2u);
  EXPECT_EQ(stats.series, 1u);
}

TEST(HistoryStore, CutsChunksLikePrometheusHead) {
  HistoryStore store;
  Labels x{{"__name__", "x"}};
  int64_t range_start = 7200 * 1000 * 1000LL;  // a multiple of the 2 h chunk range
  for (int i = 0; i < 1440; ++i) store.Append(x, range_start + i * 5000LL, i % 7);
  auto snap = store.Snapshot(INT64_MIN, INT64_MAX);
  ASSERT_EQ(snap.size(), 1u);
  ASSERT_EQ(snap[0].chunks.size(), 12u);  // 2 h at 5 s is 12 chunks of 120
  for (const auto& c : snap[0].chunks) EXPECT_EQ(c.data->NumSamples(), 120);
}

TEST(HistoryStore, TruncateKeepsRetentionAndRuleRanges) {
  HistoryOptions options;
  options.retention = hours(1);
  HistoryStore store(options);
  Labels keep_long{{"__name__", "queue_waiting"}}, normal{{"__name__", "other"}};
  store.SetRetentionRules(
      {{{promql::Matcher(promql::MatchType::kEqual, "__name__", "queue_waiting")}, hours(3)}});
  for (int64_t t = kStart; t < kStart + 4 * 3600 * 1000; t += 5000) {
    store.Append(keep_long, t, 1);
    store.Append(normal, t, 2);
  }
  Labels gone{{"__name__", "gone"}};
  store.Append(gone, kStart, 1);
  store.Append(gone, kStart + 5000, promql::StaleNaN());
  int64_t now = kStart + 4 * 3600 * 1000;
  store.Truncate(now);
  auto snap = store.Snapshot(INT64_MIN, INT64_MAX);
  ASSERT_EQ(snap.size(), 2u);  // "gone" had nothing left
  for (const auto& s : snap) {
    int64_t keep = s.labels == keep_long ? 3 * 3600 * 1000 : 3600 * 1000;
    EXPECT_GE(s.chunks.front().max_t, now - keep) << s.labels.String();
    // Only whole chunks go: the oldest kept chunk starts at most one chunk before the cutoff.
    EXPECT_LE(s.chunks.front().min_t, now - keep) << s.labels.String();
  }
  auto stats = store.Stats();
  EXPECT_EQ(stats.series_removed, 1u);
  EXPECT_GT(stats.chunks_expired, 0u);
}

TEST(HistoryStore, ByteLimitEvictsOldestChunksFirst) {
  HistoryStore store;
  for (int i = 0; i < 20; ++i)
    for (int64_t t = kStart; t < kStart + 3600 * 1000; t += 5000)
      store.Append(Labels{{"__name__", "x"}, {"i", std::to_string(i)}}, t, (t / 5000 + i) % 9);
  auto before = store.Stats();
  size_t limit = (before.chunk_bytes + before.overhead_bytes) / 2;
  auto reached = [] {
    for (const auto& [name, count] : log::LimitCounts())
      if (name == log::limit::kHistoryBytes) return count;
    return std::uint64_t{0};
  };
  auto reached_before = reached();
  store.SetByteLimit(limit);
  EXPECT_EQ(reached(), reached_before + 1)
      << "counted in cerniq_limit_reached_total{limit=\"history_bytes\"}";
  auto after = store.Stats();
  EXPECT_LE(after.chunk_bytes + after.overhead_bytes, limit);
  EXPECT_GT(after.chunks_evicted, 0u);
  int64_t oldest_kept = INT64_MAX, newest_dropped_bound = INT64_MIN;
  for (const auto& s : store.Snapshot(INT64_MIN, INT64_MAX)) {
    oldest_kept = std::min(oldest_kept, s.chunks.front().max_t);
    newest_dropped_bound = std::max(newest_dropped_bound, s.chunks.front().min_t);
  }
  EXPECT_GT(oldest_kept, kStart);
  // Appending keeps the total under the limit as chunks are cut.
  for (int64_t t = kStart + 3600 * 1000; t < kStart + 2 * 3600 * 1000; t += 5000)
    for (int i = 0; i < 20; ++i)
      store.Append(Labels{{"__name__", "x"}, {"i", std::to_string(i)}}, t, (t / 5000 + i) % 9);
  auto later = store.Stats();
  EXPECT_LE(later.chunk_bytes + later.overhead_bytes, limit);
}

TEST(HistoryStore, AlignsJitteredTimestampsWithinTolerance) {
  HistoryStore aligned, exact(Exact());
  Labels x{{"__name__", "x"}};
  std::vector<int64_t> given = {0, 5000, 10'002, 14'998, 20'003, 25'000, 29'999};
  for (int64_t t : given) {
    aligned.Append(x, kStart + t, 1);
    exact.Append(x, kStart + t, 1);
  }
  auto times = [](const HistoryStore& store) {
    auto q = store.Querier(INT64_MIN, INT64_MAX);
    auto views = q->Select({}, INT64_MIN, INT64_MAX);
    std::vector<int64_t> out;
    for (int64_t t : views.at(0).t) out.push_back(t - kStart);
    return out;
  };
  // 10'002 and 14'998 are within 2 ms of the expected time and aligned; 20'003 is 3 ms off and
  // kept, so 25'006 is expected next and 25'000 is kept; then 29'997 is expected and 29'999
  // stored as that. No stored time is more than 2 ms from the given one.
  EXPECT_EQ(times(aligned),
            (std::vector<int64_t>{0, 5000, 10'000, 15'000, 20'003, 25'000, 29'997}));
  EXPECT_EQ(times(exact), given);
}

TEST(HistoryStore, StatsCountExactChunkBytes) {
  HistoryStore store;
  for (int64_t t = kStart; t < kStart + 3600 * 1000; t += 5000)
    for (int i = 0; i < 5; ++i)
      store.Append(Labels{{"__name__", "x"}, {"i", std::to_string(i)}}, t, t % 7);
  size_t bytes = 0, chunks = 0, samples = 0;
  for (const auto& s : store.Snapshot(INT64_MIN, INT64_MAX))
    for (const auto& c : s.chunks) {
      bytes += c.data->Bytes().size();
      ++chunks;
      samples += static_cast<size_t>(c.data->NumSamples());
    }
  auto stats = store.Stats();
  EXPECT_EQ(stats.chunk_bytes, bytes);
  EXPECT_EQ(stats.chunks, chunks);
  EXPECT_EQ(stats.samples, samples);
  EXPECT_EQ(stats.samples, 5u * 720);
  EXPECT_GT(stats.overhead_bytes, 0u);
}

TEST(HistoryStore, QueriersLiveThroughAppendsAndTruncation) {
  HistoryStore store;
  Labels x{{"__name__", "x"}};
  for (int i = 0; i < 100; ++i) store.Append(x, kStart + i * 5000LL, i);
  auto querier = store.Querier(kStart, kStart + 1000 * 5000LL);
  ASSERT_EQ(querier->Select({}, kStart, kStart + 1000 * 5000LL).size(), 1u);  // reads x now
  std::atomic<bool> stop = false;
  std::thread writer([&] {
    for (int i = 100; i < 5000 && !stop; ++i) {
      store.Append(x, kStart + i * 5000LL, i);
      if (i % 500 == 0) store.Truncate(kStart + i * 5000LL);
    }
  });
  for (int round = 0; round < 50; ++round) {
    auto q = store.Querier(kStart, kStart + 10'000'000'000);
    auto views = q->Select({promql::Matcher(promql::MatchType::kEqual, "__name__", "x")}, kStart,
                           kStart + 10'000'000'000);
    ASSERT_LE(views.size(), 1u);
    for (size_t i = 1; !views.empty() && i < views[0].t.size(); ++i)
      ASSERT_LT(views[0].t[i - 1], views[0].t[i]);
  }
  stop = true;
  writer.join();
  auto views = querier->Select({}, kStart, kStart + 1000 * 5000LL);
  ASSERT_EQ(views.size(), 1u);
  EXPECT_EQ(views[0].t.size(), 100u);  // what was there when the querier first read x
  EXPECT_EQ(views[0].v[99], 99);
}

// A querier reads a series at its first Select, but shows only what the series held when the
// querier was made: no later sample, no later series, whichever matcher selects it.
TEST(HistoryStore, QuerierShowsTheStoreAsItWasWhenMade) {
  HistoryStore store;
  Labels x{{"__name__", "x"}}, y{{"__name__", "y"}};
  for (int i = 0; i < 300; ++i) store.Append(x, kStart + i * 5000LL, i);
  auto querier = store.Querier(INT64_MIN, INT64_MAX);
  for (int i = 300; i < 400; ++i) {
    store.Append(x, kStart + i * 5000LL, i);
    store.Append(y, kStart + i * 5000LL, i);
  }
  auto by_name = querier->Select({promql::Matcher(promql::MatchType::kEqual, "__name__", "x")},
                                 INT64_MIN, INT64_MAX);
  ASSERT_EQ(by_name.size(), 1u);
  EXPECT_EQ(by_name[0].t.size(), 300u);
  EXPECT_EQ(by_name[0].t.back(), kStart + 299 * 5000LL);
  auto all = querier->Select({}, INT64_MIN, INT64_MAX);
  ASSERT_EQ(all.size(), 1u);
  EXPECT_EQ(all[0].labels, x);
  EXPECT_EQ(all[0].t.size(), 300u);
  EXPECT_TRUE(querier
                  ->Select({promql::Matcher(promql::MatchType::kEqual, "__name__", "y")}, INT64_MIN,
                           INT64_MAX)
                  .empty());
  auto later = store.Querier(INT64_MIN, INT64_MAX);
  auto fresh = later->Select({}, INT64_MIN, INT64_MAX);
  ASSERT_EQ(fresh.size(), 2u);
  EXPECT_EQ(fresh[0].t.size(), 400u);
}

}  // namespace
}  // namespace cerniq::tsdb
