#include "generate.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <stdexcept>

#include "evaluator/clock.h"
#include "evaluator/manager.h"
#include "gocompat/float_format.h"
#include "history_rule_storage.h"
#include "scraped_series.h"
#include "tsdb/checkpoint.h"

namespace cerniq::bench {
namespace {

using promql::Labels;
using tsdb::HistoryStore;
using Clock = std::chrono::steady_clock;

constexpr int64_t kIntervalMs = 5000;
const Labels kScrapeLabels{{"job", "cerniq"}, {"instance", "127.0.0.1:9755"}};

double Ms(Clock::duration d) { return std::chrono::duration<double, std::milli>(d).count(); }

// Results for run.sh, one "key value" per line.
class Report {
 public:
  explicit Report(const std::string& path) : out_(path) {}
  void Put(const std::string& key, double value) {
    out_ << key << ' ' << value << '\n';
    out_.flush();
  }

 private:
  std::ofstream out_;
};

void ReportBytes(Report& report, const std::string& what, const tsdb::HistoryStats& s) {
  const double n = static_cast<double>(s.samples);
  std::printf(
      "%-34s %6zu series %10zu samples %8zu chunks  %.3f B/sample chunk data, %.3f with overhead\n",
      what.c_str(), s.series, s.samples, s.chunks, double(s.chunk_bytes) / n,
      double(s.chunk_bytes + s.overhead_bytes) / n);
  report.Put(what + "_series", double(s.series));
  report.Put(what + "_samples", n);
  report.Put(what + "_bytes_per_sample", double(s.chunk_bytes) / n);
  report.Put(what + "_bytes_per_sample_overhead", double(s.chunk_bytes + s.overhead_bytes) / n);
}

std::vector<ScrapedSeries> ReadScrape(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  auto series = ParseScrape(text.str(), kScrapeLabels);
  // What Prometheus's scrape adds and the dashboard reads.
  series.push_back(
      {Labels{{"__name__", "up"}, {"job", "cerniq"}, {"instance", "127.0.0.1:9755"}}, "gauge", 1});
  return series;
}

// Appends one collection every 5 s, each a timer's 0-4 ms late, as the exporter would.
void AppendHistory(const GenerateOptions& o, const std::vector<ScrapedSeries>& scraped,
                   HistoryStore& store, Report& report) {
  const int64_t start = o.end_ms - o.hours * 3'600'000;
  HistoryModel model(scraped, start, 42);
  int counts[kShapeCount] = {};
  for (size_t i = 0; i < model.size(); ++i) ++counts[static_cast<int>(model.shape(i))];
  std::printf("series by shape:");
  for (int k = 0; k < kShapeCount; ++k) std::printf(" %s %d,", ShapeName(Shape(k)), counts[k]);
  std::printf("\n");
  std::mt19937_64 jitter(7);
  const auto began = Clock::now();
  for (int64_t t = start + kIntervalMs; t <= o.end_ms; t += kIntervalMs) {
    const int64_t at = t - 4 + static_cast<int64_t>(jitter() % 5);
    const auto& values = model.Advance(at);
    for (size_t i = 0; i < values.size(); ++i) store.Append(model.labels(i), at, values[i]);
  }
  const double ms = Ms(Clock::now() - began);
  const auto stats = store.Stats();
  std::printf("appended %zu samples in %.0f ms (%.0f ns/sample)\n", stats.samples, ms,
              ms * 1e6 / double(stats.samples));
  ReportBytes(report, "exporter", stats);
}

struct Percentiles {
  double mean = 0, p50 = 0, p99 = 0, max = 0;
};
Percentiles Summarize(std::vector<double> v) {
  Percentiles p;
  if (v.empty()) return p;
  std::sort(v.begin(), v.end());
  for (double x : v) p.mean += x / double(v.size());
  p.p50 = v[v.size() / 2];
  p.p99 = v[std::min(v.size() - 1, v.size() * 99 / 100)];
  p.max = v.back();
  return p;
}

// Runs the rule manager over the whole history on a fake clock moved 5 s at a time.
int EvaluateRules(const GenerateOptions& o, HistoryStore& store, Report& report) {
  StaleFreeRuleStorage storage(store);
  evaluator::FakeClock clock((o.end_ms - o.hours * 3'600'000) * 1'000'000);
  evaluator::ManagerOptions mo;
  mo.storage = &storage;
  mo.clock = &clock;
  evaluator::Manager manager(mo);
  auto loaded = manager.Reload(o.rule_files);
  for (const auto& e : loaded.errors) std::fprintf(stderr, "%s\n", e.c_str());
  if (!loaded.ok()) return 1;
  std::map<std::string, std::vector<double>> per_group;  // ms per evaluation
  std::map<std::string, uint64_t> seen;
  std::map<int64_t, double> per_interval;  // ms of all groups' evaluations in each interval
  for (int64_t t = clock.NowNs() / 1'000'000; t <= o.end_ms; t += kIntervalMs) {
    clock.SetNs(t * 1'000'000);
    manager.RunDue();
    for (const auto& g : manager.Status()->groups) {
      if (g.iterations_total == seen[g.Key()]) continue;
      seen[g.Key()] = g.iterations_total;
      per_group[g.name].push_back(g.last_duration_seconds * 1000);
      per_interval[t / g.interval_ms] += g.last_duration_seconds * 1000;
    }
  }
  std::printf("\nrule evaluation over %lld h (ms per evaluation)\n",
              static_cast<long long>(o.hours));
  std::printf("%-28s %7s %9s %9s %9s %9s\n", "group", "evals", "mean", "p50", "p99", "max");
  for (const auto& [name, v] : per_group) {
    const auto p = Summarize(v);
    std::printf("%-28s %7zu %9.3f %9.3f %9.3f %9.3f\n", name.c_str(), v.size(), p.mean, p.p50,
                p.p99, p.max);
    report.Put("eval_mean_ms_" + name, p.mean);
    report.Put("eval_p99_ms_" + name, p.p99);
  }
  std::vector<double> sums;
  for (const auto& [slot, ms] : per_interval) sums.push_back(ms);
  const auto p = Summarize(sums);
  std::printf("%-28s %7zu %9.3f %9.3f %9.3f %9.3f\n", "all groups, per interval", sums.size(),
              p.mean, p.p50, p.p99, p.max);
  report.Put("eval_interval_mean_ms", p.mean);
  report.Put("eval_interval_p99_ms", p.p99);
  for (const auto& g : manager.Status()->groups) {
    for (const auto& r : g.rules) {
      if (r.health == "err") std::printf("rule %s: %s\n", r.name.c_str(), r.last_error.c_str());
    }
  }
  return 0;
}

std::string OpenMetricsEscape(std::string_view v) {
  std::string out;
  for (char c : v) {
    if (c == '\\' || c == '"') out += '\\';
    out += c == '\n' ? std::string("\\n") : std::string(1, c);
  }
  return out;
}

// Prometheus reads an OpenMetrics timestamp as int64(seconds * 1000), which truncates: a time
// written half a millisecond late reads back as exactly the stored one.
std::string OpenMetricsTimestamp(int64_t t_ms) {
  char ts[40];
  std::snprintf(ts, sizeof ts, " %lld.%03lld5\n", static_cast<long long>(t_ms / 1000),
                static_cast<long long>(t_ms % 1000));
  if (static_cast<int64_t>(std::strtod(ts, nullptr) * 1000) != t_ms)
    throw std::runtime_error("timestamp " + std::to_string(t_ms) + " would not read back");
  return ts;
}

// Every sample of the store, series after series, as `promtool tsdb create-blocks-from
// openmetrics` reads them (timestamps in seconds with ms).
size_t WriteOpenMetrics(const HistoryStore& store, const std::string& path) {
  std::FILE* f = std::fopen(path.c_str(), "w");
  size_t samples = 0;
  std::string buf;
  for (const auto& s : store.Snapshot(INT64_MIN, INT64_MAX)) {
    std::string head(s.labels.Get("__name__"));
    head += '{';
    for (const auto& l : s.labels) {
      if (l.name == "__name__") continue;
      head += (head.back() == '{' ? "" : ",") + l.name + "=\"" + OpenMetricsEscape(l.value) + "\"";
    }
    head += "} ";
    for (const auto& c : s.chunks) {
      tsdb::XorIterator it(c.data->Bytes());
      while (it.Next()) {
        const std::string ts = OpenMetricsTimestamp(it.t());
        buf += head + gocompat::FormatFloat(it.v()) + ts;
        ++samples;
      }
    }
    if (buf.size() > (1 << 20)) {
      std::fwrite(buf.data(), 1, buf.size(), f);
      buf.clear();
    }
  }
  buf += "# EOF\n";
  std::fwrite(buf.data(), 1, buf.size(), f);
  std::fclose(f);
  return samples;
}

// The same history as the exporter itself would hold it: no job/instance (a scrape adds them)
// and no `up`.
int WriteExporterCheckpoint(const HistoryStore& store, const std::string& path) {
  std::vector<tsdb::SeriesSnapshot> series;
  for (auto& s : store.Snapshot(INT64_MIN, INT64_MAX)) {
    if (s.labels.Get("__name__") == "up") continue;
    s.labels = s.labels.Drop({"job", "instance"});
    series.push_back(std::move(s));
  }
  std::sort(series.begin(), series.end(),
            [](const auto& a, const auto& b) { return a.labels < b.labels; });
  series.erase(std::unique(series.begin(), series.end(),
                           [](const auto& a, const auto& b) { return a.labels == b.labels; }),
               series.end());
  HistoryStore exporter_store;
  if (auto err = exporter_store.Replace(std::move(series)); !err.empty()) {
    std::fprintf(stderr, "%s\n", err.c_str());
    return 1;
  }
  auto r = tsdb::WriteCheckpoint(exporter_store, path, "");
  if (!r.ok) std::fprintf(stderr, "%s\n", r.message.c_str());
  return r.ok ? 0 : 1;
}

int WriteOutputs(const GenerateOptions& o, const HistoryStore& store, Report& report) {
  const auto began = Clock::now();
  const size_t samples = WriteOpenMetrics(store, o.out_dir + "/data.om");
  std::printf("\nwrote %zu samples as OpenMetrics in %.0f ms\n", samples, Ms(Clock::now() - began));
  report.Put("openmetrics_samples", double(samples));
  const std::string ckpt = o.out_dir + "/cerniq-history.ckpt";
  auto r = tsdb::WriteCheckpoint(store, ckpt, "");
  if (!r.ok) {
    std::fprintf(stderr, "%s\n", r.message.c_str());
    return 1;
  }
  report.Put("checkpoint_bytes", double(std::filesystem::file_size(ckpt)));
  std::filesystem::create_directories(o.out_dir + "/exporter");
  return WriteExporterCheckpoint(store, o.out_dir + "/exporter/cerniq-history.ckpt");
}

}  // namespace

int Generate(const GenerateOptions& o) {
  std::filesystem::create_directories(o.out_dir);
  Report report(o.out_dir + "/ours.txt");
  tsdb::HistoryOptions ho;
  ho.retention = std::chrono::hours(o.hours + 2);
  HistoryStore store(ho);
  const auto scraped = ReadScrape(o.scrape_file);
  std::printf("%zu series from the scrape (+ up), %lld h at 5 s\n", scraped.size() - 1,
              static_cast<long long>(o.hours));
  AppendHistory(o, scraped, store, report);
  if (EvaluateRules(o, store, report) != 0) return 1;
  std::printf("\n");
  ReportBytes(report, "all", store.Stats());
  return WriteOutputs(o, store, report);
}

}  // namespace cerniq::bench
