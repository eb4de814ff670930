// promql_bench: the engine side of bench/promql/run.sh.
//   promql_bench openmetrics FILE      writes the data set for promtool's block importer
//   promql_bench run RUNS MAX_SECONDS  loads the data, prints memory per sample, then times each
//                                      expression as a range query over the day at 1 m steps
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

#include "bench_data.h"
#include "gocompat/float_format.h"
#include "promql/engine.h"
#include "promql/parser.h"

namespace {

using namespace cerniq;
using namespace cerniq::promql;

const std::vector<std::string> kExprs = {
    "sum by (queue) (rate(x[5m]))",
    "histogram_quantile(0.95, sum by (le) (rate(h_bucket[5m])))",
    "count(x > 80)",
};

long MaxRssKb() {
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  return ru.ru_maxrss;
}

int WriteOpenMetrics(const std::string& path) {
  std::ofstream out(path);
  if (!out) {
    std::cerr << "cannot write " << path << "\n";
    return 1;
  }
  std::vector<std::string> names;
  bench::ForEachSeries([&](int, const Labels& l) {
    std::string s(l.Get("__name__"));
    s += "{";
    bool first = true;
    for (const auto& label : l) {
      if (label.name == "__name__") continue;
      s += (first ? "" : ",") + label.name + "=\"" + label.value + "\"";
      first = false;
    }
    names.push_back(s + "} ");
  });
  // Series by series: the importer keeps every series' samples in time order.
  std::string buf;
  for (size_t s = 0; s < names.size(); ++s) {
    for (int i = 0; i < bench::kSamplesPerSeries; ++i) {
      int64_t t = bench::kStartMs + static_cast<int64_t>(i) * bench::kStepMs;
      buf += names[s];
      buf += gocompat::FormatFloat(bench::Value(static_cast<int>(s), i), 'f');
      buf += ' ';
      buf += std::to_string(t / 1000);
      buf += '\n';
    }
    if (buf.size() > (1 << 22)) {
      out << buf;
      buf.clear();
    }
  }
  out << buf << "# EOF\n";
  return out.good() ? 0 : 1;
}

// Writes a range result as "labels<TAB>unix seconds<TAB>value" lines, for comparison with
// Prometheus's answer.
void Dump(const Matrix& m, const std::string& path) {
  std::ofstream out(path);
  for (const auto& s : m)
    for (const auto& p : s.points)
      out << s.metric.String() << '\t' << p.t / 1000 << '\t' << gocompat::FormatFloat(p.v) << '\n';
}

int Run(int runs, double max_seconds, const std::string& dump_dir) {
  long rss_before = MaxRssKb();
  MemoryStorage storage;
  auto load_start = std::chrono::steady_clock::now();
  bench::ForEachSeries([&](int idx, const Labels& l) {
    uint32_t id = storage.SeriesId(l);
    storage.Reserve(id, bench::kSamplesPerSeries);
    for (int i = 0; i < bench::kSamplesPerSeries; ++i)
      storage.Append(id, bench::kStartMs + static_cast<int64_t>(i) * bench::kStepMs,
                     bench::Value(idx, i));
  });
  double load_s =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - load_start).count();
  const double samples = static_cast<double>(storage.NumSamples());
  std::printf("series %zu samples %.0f load_seconds %.2f\n", storage.NumSeries(), samples, load_s);
  std::printf("bytes_per_sample columns %.2f with_index_and_labels %.2f process_rss %.2f\n",
              storage.SampleBytes() / samples,
              (storage.SampleBytes() + storage.OverheadBytes()) / samples,
              (MaxRssKb() - rss_before) * 1024.0 / samples);

  EngineOptions opts;
  opts.timeout = std::chrono::seconds(600);
  Engine engine(opts);
  const int64_t start = bench::kStartMs;
  const int64_t end = bench::kStartMs + 24 * 3600 * 1000;
  for (size_t e = 0; e < kExprs.size(); ++e) {
    ExprPtr expr = ParseExpr(kExprs[e]);
    std::vector<double> times;
    size_t series = 0, points = 0;
    auto budget_end = std::chrono::steady_clock::now() + std::chrono::duration<double>(max_seconds);
    // One warm-up run, then up to `runs` timed runs within the time budget.
    for (int r = 0; r <= runs; ++r) {
      auto t0 = std::chrono::steady_clock::now();
      Matrix m = engine.Range(storage, *expr, start, end, 60000);
      double ms =
          std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
      series = m.size();
      if (r == 0 && !dump_dir.empty())
        Dump(m, dump_dir + "/cerniq_expr" + std::to_string(e) + ".tsv");
      points = 0;
      for (const auto& s : m) points += s.points.size();
      if (r > 0) times.push_back(ms);
      if (std::chrono::steady_clock::now() > budget_end && !times.empty()) break;
    }
    std::sort(times.begin(), times.end());
    std::printf("expr %zu median_ms %.1f runs %zu series %zu points %zu query %s\n", e,
                times[times.size() / 2], times.size(), series, points, kExprs[e].c_str());
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  if (args.size() == 2 && args[0] == "openmetrics") return WriteOpenMetrics(args[1]);
  if ((args.size() == 3 || args.size() == 4) && args[0] == "run") {
    int runs = std::max(1, std::stoi(args[1]));
    return Run(runs, std::stod(args[2]), args.size() == 4 ? args[3] : "");
  }
  std::cerr
      << "usage: promql_bench openmetrics FILE | promql_bench run RUNS MAX_SECONDS [DUMP_DIR]\n";
  return 2;
}
