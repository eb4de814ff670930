#include "collect/process_metrics.h"

#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <map>
#include <thread>

#include <gtest/gtest.h>

namespace cerniq::collect {
namespace {

std::map<std::string, double> Values() {
  std::map<std::string, double> out;
  for (const auto& f : ProcessFamilies()) {
    EXPECT_EQ(f.metric.size(), 1u) << f.name;
    const auto& m = f.metric.at(0);
    out[f.name] = f.type == prometheus::MetricType::Counter ? m.counter.value : m.gauge.value;
  }
  return out;
}

// `ps -o <field>= -p <pid>`: procps as an independent reader of the same process.
double Ps(const std::string& field) {
  std::string cmd = "ps -o " + field + "= -p " + std::to_string(getpid());
  FILE* p = popen(cmd.c_str(), "r");
  double v = -1;
  if (p && fscanf(p, "%lf", &v) != 1) v = -1;
  if (p) pclose(p);
  return v;
}

TEST(ProcStat, CountsFieldsFromTheLastParenthesis) {
  // The command name may hold spaces and ") (" (prctl PR_SET_NAME is free text).
  std::string line =
      "4242 (we ird) (name) S 1 4242 4242 0 -1 4194560 900 0 0 0 250 130 0 0 20 0 7 0 "
      "123456 987654321 2048 18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0\n";
  auto s = ParseProcStat(line);
  ASSERT_TRUE(s);
  EXPECT_EQ(s->utime_ticks, 250);
  EXPECT_EQ(s->stime_ticks, 130);
  EXPECT_EQ(s->threads, 7);
  EXPECT_EQ(s->start_ticks, 123456);
  EXPECT_EQ(s->vsize_bytes, 987654321);
  EXPECT_EQ(s->rss_pages, 2048);
  EXPECT_FALSE(ParseProcStat("4242 (cut) S 1 2 3\n"));
  EXPECT_FALSE(ParseProcStat("no parenthesis"));
  EXPECT_FALSE(ParseProcStat(""));
}

TEST(ProcStat, BootTime) {
  EXPECT_EQ(*ParseBootTime("cpu  1 2 3\nintr 5\nbtime 1764600000\nprocesses 9\n"), 1764600000);
  EXPECT_FALSE(ParseBootTime("cpu  1 2 3\n"));
  EXPECT_FALSE(ParseBootTime("btime soon\n"));
}

TEST(ProcessFamilies, AgreeWithPsAndTheClock) {
  auto v = Values();
  for (const char* name :
       {"process_cpu_seconds_total", "process_open_fds", "process_max_fds",
        "process_virtual_memory_bytes", "process_virtual_memory_max_bytes",
        "process_resident_memory_bytes", "process_start_time_seconds", "process_threads"}) {
    EXPECT_TRUE(v.count(name)) << name;
  }
  // Start: after boot, before now, and this test binary started less than an hour ago.
  double now =
      std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
  EXPECT_LE(v["process_start_time_seconds"], now + 1);
  EXPECT_GT(v["process_start_time_seconds"], now - 3600);
  EXPECT_EQ(v["process_threads"], Ps("nlwp"));
  double ps_vsz = Ps("vsz") * 1024;  // KiB
  EXPECT_NEAR(v["process_virtual_memory_bytes"], ps_vsz, 64.0 * 1024 * 1024);
  double ps_rss = Ps("rss") * 1024;
  EXPECT_NEAR(v["process_resident_memory_bytes"], ps_rss, 16.0 * 1024 * 1024);
  EXPECT_EQ(v["process_max_fds"], static_cast<double>(sysconf(_SC_OPEN_MAX)));
  EXPECT_GE(v["process_open_fds"], 3);  // stdin, stdout, stderr
}

TEST(ProcessFamilies, TrackDescriptorsThreadsAndCpu) {
  auto before = Values();
  FILE* files[5];
  for (auto& f : files) f = std::tmpfile();
  std::thread spinner([] {
    // Burn a little CPU so the counter moves; bounded by time.
    auto end = std::chrono::steady_clock::now() + std::chrono::milliseconds(300);
    volatile double x = 0;
    while (std::chrono::steady_clock::now() < end) x = x + 1;
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  auto during = Values();
  spinner.join();
  for (auto* f : files) std::fclose(f);
  auto after = Values();
  EXPECT_EQ(during["process_open_fds"], before["process_open_fds"] + 5);
  EXPECT_EQ(during["process_threads"], before["process_threads"] + 1);
  EXPECT_EQ(after["process_open_fds"], before["process_open_fds"]);
  EXPECT_GT(after["process_cpu_seconds_total"], before["process_cpu_seconds_total"]);
}

}  // namespace
}  // namespace cerniq::collect
