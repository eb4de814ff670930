#include "collect/process_metrics.h"

#include <dirent.h>
#include <sys/resource.h>
#include <unistd.h>

#include <fstream>
#include <limits>
#include <sstream>

#include "collect/families.h"

namespace cerniq::collect {
namespace {

std::optional<std::string> ReadFile(const char* path) {
  std::ifstream in(path);
  if (!in) return std::nullopt;
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// Entries of /proc/self/fd; this function's own descriptor on the directory is counted, as
// client_golang's procfs counts its own.
std::optional<double> OpenFds() {
  DIR* dir = opendir("/proc/self/fd");
  if (!dir) return std::nullopt;
  double count = 0;
  while (const dirent* entry = readdir(dir)) {
    if (entry->d_name[0] != '.') ++count;
  }
  closedir(dir);
  return count;
}

// The soft limit; "unlimited" as procfs reports it, 2^64-1.
std::optional<double> SoftLimit(int resource) {
  rlimit limit{};
  if (getrlimit(resource, &limit) != 0) return std::nullopt;
  if (limit.rlim_cur == RLIM_INFINITY)
    return static_cast<double>(std::numeric_limits<uint64_t>::max());
  return static_cast<double>(limit.rlim_cur);
}

void AddGauge(std::vector<prometheus::MetricFamily>& out, const char* name,
              std::optional<double> value) {
  if (!value) return;
  out.push_back(MakeFamily(name));
  AddSample(out.back(), {}, *value);
}

}  // namespace

std::optional<ProcStat> ParseProcStat(const std::string& text) {
  auto close = text.rfind(')');
  if (close == std::string::npos) return std::nullopt;
  std::istringstream fields(text.substr(close + 1));
  std::vector<std::string> f;  // f[0] is field 3 (state) of proc(5)
  for (std::string token; fields >> token && f.size() < 22;) f.push_back(token);
  if (f.size() < 22) return std::nullopt;
  try {
    ProcStat s;
    s.utime_ticks = std::stod(f[11]);
    s.stime_ticks = std::stod(f[12]);
    s.threads = std::stod(f[17]);
    s.start_ticks = std::stod(f[19]);
    s.vsize_bytes = std::stod(f[20]);
    s.rss_pages = std::stod(f[21]);
    return s;
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

std::optional<double> ParseBootTime(const std::string& text) {
  std::istringstream lines(text);
  for (std::string line; std::getline(lines, line);) {
    if (line.rfind("btime ", 0) != 0) continue;
    try {
      return std::stod(line.substr(6));
    } catch (const std::exception&) {
      return std::nullopt;
    }
  }
  return std::nullopt;
}

std::vector<prometheus::MetricFamily> ProcessFamilies() {
  std::vector<prometheus::MetricFamily> out;
  try {
    const double ticks = static_cast<double>(sysconf(_SC_CLK_TCK));
    const double page = static_cast<double>(sysconf(_SC_PAGESIZE));
    auto stat_text = ReadFile("/proc/self/stat");
    auto stat = stat_text ? ParseProcStat(*stat_text) : std::nullopt;
    if (stat && ticks > 0) {
      out.push_back(MakeFamily("process_cpu_seconds_total"));
      AddSample(out.back(), {}, (stat->utime_ticks + stat->stime_ticks) / ticks);
    }
    AddGauge(out, "process_open_fds", OpenFds());
    AddGauge(out, "process_max_fds", SoftLimit(RLIMIT_NOFILE));
    AddGauge(out, "process_virtual_memory_max_bytes", SoftLimit(RLIMIT_AS));
    if (stat) {
      AddGauge(out, "process_virtual_memory_bytes", stat->vsize_bytes);
      AddGauge(out, "process_resident_memory_bytes", stat->rss_pages * page);
      auto boot_text = ReadFile("/proc/stat");
      auto boot = boot_text ? ParseBootTime(*boot_text) : std::nullopt;
      if (boot && ticks > 0) {
        AddGauge(out, "process_start_time_seconds", *boot + stat->start_ticks / ticks);
      }
      AddGauge(out, "process_threads", stat->threads);
    }
  } catch (const std::exception&) {
    // out of memory building a family: serve what was built
  }
  return out;
}

}  // namespace cerniq::collect
