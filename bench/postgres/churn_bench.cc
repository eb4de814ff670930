// Times the exporter's churn histogram collection: the collector the exporter runs, with its
// default query and buckets, one pass after another on one connection.
//   postgres_churn_bench DSN ITERATIONS
// Prints one line per pass ("pass_ms X"), then the process's peak RSS ("rss_kb X"), so
// run.sh can compare RSS across database sizes.

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <string>

#include "collect/postgres/postgres_collectors.h"

namespace {

long PeakRssKb() {
  std::ifstream status("/proc/self/status");
  std::string key;
  long value = 0;
  while (status >> key) {
    if (key == "VmHWM:") {
      status >> value;
      return value;
    }
    status.ignore(4096, '\n');
  }
  return -1;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::cerr << "usage: " << argv[0] << " DSN ITERATIONS\n";
    return 2;
  }
  cerniq::config::PostgresConfig config;
  config.dsn = argv[1];
  int iterations = std::atoi(argv[2]);
  if (iterations < 1 || iterations > 1000) {
    std::cerr << "ITERATIONS must be 1..1000\n";
    return 2;
  }
  config.statement_timeout = std::chrono::minutes(5);
  for (auto& [name, c] : config.collectors) c.enabled = name == "churn";
  auto collectors = cerniq::collect::postgres::MakePostgresCollectors(config);
  if (collectors.size() != 1) return 1;
  auto& churn = *collectors.front().first;
  // Connect and warm the caches outside the timed passes, as a running exporter would be.
  auto warm = churn.Collect();
  if (!warm.success) {
    std::cerr << "churn collection failed: " << warm.error << "\n";
    return 1;
  }
  for (int i = 0; i < iterations; ++i) {
    auto begin = std::chrono::steady_clock::now();
    auto result = churn.Collect();
    double ms =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - begin).count();
    if (!result.success) {
      std::cerr << "churn collection failed: " << result.error << "\n";
      return 1;
    }
    std::cout << "pass_ms " << ms << "\n";
  }
  std::cout << "rss_kb " << PeakRssKb() << "\n";
  return 0;
}
