// Times one BullMQ collection pass (the exporter's collector, as it runs in production) against
// the floor: the same queues' LLEN/ZCARD/HEXISTS reads in one pipelined round trip by a bare
// client (hiredis over TCP; a blocking socket + OpenSSL + hiredis' reader over TLS). On a Redis
// Cluster there is no single-connection floor: only the pass is timed (run.sh compares it with
// redis_exporter). Prints medians, p90s, round trips and ratios. Loopback only; bounded
// repetitions.
//
// usage: bullmq_pass_bench [--tls <ca-file> | --cluster] <redis-port> <prefix> <queue-count> <reps>
//   --cluster: queues are named {q<i>} (a hash tag each, so they spread over the masters).

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "bare_floor.h"
#include "collect/redis/bullmq_collector.h"
#include "collect/redis/cluster_client.h"

namespace {

using Clock = std::chrono::steady_clock;
namespace redis = cerniq::collect::redis;

struct Args {
  std::string ca_file;  // --tls
  bool cluster = false;
  int port = 0;
  std::string prefix;
  int queues = 0;
  int reps = 0;
};

bool ParseArgs(int argc, char** argv, Args& a) {
  int i = 1;
  if (argc > i + 1 && std::string(argv[i]) == "--tls") {
    a.ca_file = argv[i + 1];
    i += 2;
  } else if (argc > i && std::string(argv[i]) == "--cluster") {
    a.cluster = true;
    ++i;
  }
  if (argc - i != 4) return false;
  a.port = std::atoi(argv[i]);
  a.prefix = argv[i + 1];
  a.queues = std::atoi(argv[i + 2]);
  a.reps = std::clamp(std::atoi(argv[i + 3]), 1, 10000);
  return a.port > 0 && a.queues > 0;
}

double Percentile(std::vector<double> v, double p) {
  std::sort(v.begin(), v.end());
  return v[std::min(v.size() - 1, static_cast<size_t>(p * static_cast<double>(v.size())))];
}

std::vector<std::string> QueueNames(int count, bool hash_tags) {
  std::vector<std::string> names;
  for (int i = 0; i < count; ++i) {
    std::string q = "q" + std::to_string(i);
    names.push_back(hash_tags ? "{" + q + "}" : q);
  }
  return names;
}

std::unique_ptr<redis::RedisClient> MakeClient(const Args& a) {
  std::string url = (a.ca_file.empty() ? "redis://" : "rediss://") + std::string("127.0.0.1:") +
                    std::to_string(a.port);
  std::string error;
  auto address = redis::ParseRedisUrl(url, error);
  std::chrono::milliseconds timeout(5000);
  if (a.cluster) return std::make_unique<redis::ClusterClient>(*address, timeout, timeout);
  std::shared_ptr<const redis::TlsContext> tls;
  if (!a.ca_file.empty()) {
    cerniq::config::RedisTlsConfig cfg;
    cfg.ca_file = a.ca_file;
    tls = std::make_shared<redis::TlsContext>(cfg);
  }
  return std::make_unique<redis::Connection>(*address, timeout, timeout, std::move(tls));
}

}  // namespace

int main(int argc, char** argv) {
  Args a;
  if (!ParseArgs(argc, argv, a)) {
    std::fprintf(stderr,
                 "usage: %s [--tls <ca-file> | --cluster] <redis-port> <prefix> <queue-count> "
                 "<repetitions>\n",
                 argv[0]);
    return 2;
  }
  auto queues = QueueNames(a.queues, a.cluster);
  cerniq::config::BullmqConfig cfg;
  cfg.prefixes.push_back({a.prefix, queues, false});
  redis::BullmqCollector collector(MakeClient(a), cfg);
  std::unique_ptr<cerniq::bench::BareClient> bare;
  if (!a.cluster) {
    bare = a.ca_file.empty() ? cerniq::bench::BareTcpClient(a.port)
                             : cerniq::bench::BareTlsClient(a.port, a.ca_file);
  }

  // Warm up both (connection, caches), then alternate so drift hits both alike.
  collector.Collect();
  if (bare) cerniq::bench::FloorPassMs(*bare, a.prefix, queues, false);
  std::vector<double> pass_ms, floor_ms, same_reads_ms;
  std::uint64_t round_trips = 0;
  for (int r = 0; r < a.reps; ++r) {
    auto begin = Clock::now();
    auto result = collector.Collect();
    pass_ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - begin).count());
    if (!result.success) {
      std::fprintf(stderr, "pass failed: %s\n", result.error.c_str());
      return 1;
    }
    round_trips = collector.last_pass_round_trips();
    if (!bare) continue;
    floor_ms.push_back(cerniq::bench::FloorPassMs(*bare, a.prefix, queues, false));
    same_reads_ms.push_back(cerniq::bench::FloorPassMs(*bare, a.prefix, queues, true));
  }
  double pass = Percentile(pass_ms, 0.5);
  std::printf("queues=%d pass_median_ms=%.3f pass_p90_ms=%.3f round_trips=%llu", a.queues, pass,
              Percentile(pass_ms, 0.9), static_cast<unsigned long long>(round_trips));
  if (bare) {
    double floor = Percentile(floor_ms, 0.5), same = Percentile(same_reads_ms, 0.5);
    std::printf(
        " floor_median_ms=%.3f floor_p90_ms=%.3f ratio_pass_to_floor=%.2f "
        "same_reads_floor_median_ms=%.3f ratio_pass_to_same_reads_floor=%.2f",
        floor, Percentile(floor_ms, 0.9), pass / floor, same, pass / same);
  }
  std::printf("\n");
  return 0;
}
