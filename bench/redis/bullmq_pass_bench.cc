// Times one BullMQ collection pass (the exporter's collector, as it runs in production) against
// the floor: the same queues' LLEN/ZCARD/HEXISTS reads in one pipelined round trip with bare
// hiredis. Prints medians, p90s, round trips and the ratio. Loopback only; bounded repetitions.
//
// usage: bullmq_pass_bench <redis-port> <prefix> <queue-count> <repetitions>

#include <hiredis/hiredis.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "collect/redis/bullmq_collector.h"

namespace {

using Clock = std::chrono::steady_clock;

double Percentile(std::vector<double> v, double p) {
  std::sort(v.begin(), v.end());
  return v[std::min(v.size() - 1, static_cast<size_t>(p * static_cast<double>(v.size())))];
}

std::vector<std::string> QueueNames(int count) {
  std::vector<std::string> names;
  for (int i = 0; i < count; ++i) names.push_back("q" + std::to_string(i));
  return names;
}

// The floor: 9 reads per queue (3 LLEN, 5 ZCARD, 1 HEXISTS), one write, one read of all replies.
// With `all_reads`, also the 4 further reads a pass makes per queue (the two counter hashes, the
// id counter, the wait tail), to show what the extra reads themselves cost.
double FloorPassMs(redisContext* c, const std::string& prefix,
                   const std::vector<std::string>& queues, bool all_reads = false) {
  auto begin = Clock::now();
  size_t n = 0;
  for (const auto& q : queues) {
    std::string k = prefix + ":" + q + ":";
    for (const char* list : {"wait", "paused", "active"}) {
      redisAppendCommand(c, "LLEN %b", (k + list).data(), (k + list).size());
      ++n;
    }
    for (const char* zset : {"delayed", "prioritized", "waiting-children", "failed", "completed"}) {
      redisAppendCommand(c, "ZCARD %b", (k + zset).data(), (k + zset).size());
      ++n;
    }
    std::string meta = k + "meta";
    redisAppendCommand(c, "HEXISTS %b paused", meta.data(), meta.size());
    ++n;
    if (!all_reads) continue;
    for (const char* hash : {"metrics:completed", "metrics:failed"}) {
      redisAppendCommand(c, "HGET %b count", (k + hash).data(), (k + hash).size());
    }
    redisAppendCommand(c, "GET %b", (k + "id").data(), (k + "id").size());
    redisAppendCommand(c, "LINDEX %b -1", (k + "wait").data(), (k + "wait").size());
    n += 4;
  }
  for (size_t i = 0; i < n; ++i) {
    void* reply = nullptr;
    if (redisGetReply(c, &reply) != REDIS_OK) {
      std::fprintf(stderr, "floor: %s\n", c->errstr);
      std::exit(1);
    }
    freeReplyObject(reply);
  }
  return std::chrono::duration<double, std::milli>(Clock::now() - begin).count();
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 5) {
    std::fprintf(stderr, "usage: %s <redis-port> <prefix> <queue-count> <repetitions>\n", argv[0]);
    return 2;
  }
  int port = std::atoi(argv[1]);
  std::string prefix = argv[2];
  int queue_count = std::atoi(argv[3]);
  int reps = std::clamp(std::atoi(argv[4]), 1, 10000);
  auto queues = QueueNames(queue_count);

  cerniq::config::BullmqConfig cfg;
  cfg.prefixes.push_back({prefix, queues, false});
  std::string error;
  auto address =
      cerniq::collect::redis::ParseRedisUrl("redis://127.0.0.1:" + std::to_string(port), error);
  cerniq::collect::redis::BullmqCollector collector(
      std::make_unique<cerniq::collect::redis::Connection>(
          *address, std::chrono::milliseconds(5000), std::chrono::milliseconds(5000)),
      cfg);
  redisContext* bare = redisConnect("127.0.0.1", port);
  if (bare == nullptr || bare->err) {
    std::fprintf(stderr, "cannot connect to redis on port %d\n", port);
    return 1;
  }

  // Warm up both (connection, caches), then alternate so drift hits both alike.
  collector.Collect();
  FloorPassMs(bare, prefix, queues);
  std::vector<double> pass_ms, floor_ms, same_reads_ms;
  std::uint64_t round_trips = 0;
  for (int r = 0; r < reps; ++r) {
    auto begin = Clock::now();
    auto result = collector.Collect();
    pass_ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - begin).count());
    if (!result.success) {
      std::fprintf(stderr, "pass failed: %s\n", result.error.c_str());
      return 1;
    }
    round_trips = collector.last_pass_round_trips();
    floor_ms.push_back(FloorPassMs(bare, prefix, queues));
    same_reads_ms.push_back(FloorPassMs(bare, prefix, queues, /*all_reads=*/true));
  }
  redisFree(bare);
  double pass = Percentile(pass_ms, 0.5), floor = Percentile(floor_ms, 0.5);
  std::printf(
      "queues=%d pass_median_ms=%.3f pass_p90_ms=%.3f round_trips=%llu floor_median_ms=%.3f "
      "floor_p90_ms=%.3f ratio_pass_to_floor=%.2f same_reads_floor_median_ms=%.3f "
      "ratio_pass_to_same_reads_floor=%.2f\n",
      queue_count, pass, Percentile(pass_ms, 0.9), static_cast<unsigned long long>(round_trips),
      floor, Percentile(floor_ms, 0.9), pass / floor, Percentile(same_reads_ms, 0.5),
      pass / Percentile(same_reads_ms, 0.5));
  return 0;
}
