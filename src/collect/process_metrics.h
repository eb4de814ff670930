#pragma once
// The process_* metrics of client_golang's process collector (the names every SRE dashboard
// knows), read from /proc/self at scrape time, plus process_threads (the name of the Rust and
// Python clients; client_golang only has the Go runtime's go_threads). prometheus-cpp 1.0 has
// no process collector, hence this one.

#include <optional>
#include <string>
#include <vector>

#include <prometheus/metric_family.h>

namespace cerniq::collect {

// The fields of /proc/<pid>/stat the metrics need, in the kernel's units.
struct ProcStat {
  double utime_ticks = 0;
  double stime_ticks = 0;
  double threads = 0;
  double start_ticks = 0;  // since boot
  double vsize_bytes = 0;
  double rss_pages = 0;
};

// Parses one /proc/<pid>/stat line; nullopt when it is cut short. The command name may hold
// spaces and parentheses, so the fields are counted from its last ')'.
std::optional<ProcStat> ParseProcStat(const std::string& text);
// "btime" (boot time, Unix seconds) of /proc/stat; nullopt when absent.
std::optional<double> ParseBootTime(const std::string& text);

// The families of this process; a file that cannot be read leaves its metrics out (never
// throws).
std::vector<prometheus::MetricFamily> ProcessFamilies();

}  // namespace cerniq::collect
