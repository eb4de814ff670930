#pragma once
// `evaluator_bench generate`: 24 h (or `hours`) of the exporter's real series at 5 s into a
// HistoryStore, the shipped rules evaluated over it on a simulated clock, and the result
// written for Prometheus (OpenMetrics), for the bench server and for the exporter (checkpoints).
#include <cstdint>
#include <string>
#include <vector>

namespace cerniq::bench {

struct GenerateOptions {
  std::string scrape_file;  // one real /metrics scrape
  std::string out_dir;      // data.om, ours.txt, cerniq-history.ckpt, exporter/cerniq-history.ckpt
  int64_t hours = 24;
  int64_t end_ms = 0;  // the last collection's time
  std::vector<std::string> rule_files;
};

int Generate(const GenerateOptions& options);

}  // namespace cerniq::bench
